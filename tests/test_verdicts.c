/* SPDX-License-Identifier: ISC */
/* Unit tests for verdicts.c and rules.c: records built by hand, decided, and
 * the exact status and reason checked for each case. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "contacts.h"
#include "facts.h"
#include "rules.h"
#include "verdicts.h"

#define SUB_A "11111111-1111-1111-1111-111111111111"
#define SUB_B "22222222-2222-2222-2222-222222222222"
#define SUB_C "33333333-3333-3333-3333-333333333333"

static char path0[] = "bundle/a.json", path1[] = "bundle/b.json";
static struct evidence_file file0 = { .path = path0 };
static struct evidence_file file1 = { .path = path1 };
static const struct address_policy no_policy = { 0 };

/* The files the records name, as the reports see them. */
static struct evidence_file files[2];
static const struct evidence_list file_list = { .files = files, .count = 2, .cap = 2 };

/* Seals t and runs the rules in selected, as the driver does. */
static void decide(struct verdict_table *t, unsigned selected)
{
    verdicts_seal(t, RULES_ALL);
    rules_decide(t, selected);
}

/* The reason of rule for s in words, as every writer renders it; valid
 * until the next call. */
static const char *reason_of(const struct verdict_table *t, const struct verdict_subscription *s,
                             unsigned rule)
{
    static char *text;
    free(text);
    files[0] = file0;
    files[1] = file1;
    struct report_view v = { 0 };
    v.files = &file_list;
    v.table = t;
    text = facts_reason(&v, s, rule);
    return text;
}

static const struct verdict_subscription *find(const struct verdict_table *t, const char *sub)
{
    for (size_t i = 0; i < verdicts_count(t); i++) {
        const struct verdict_subscription *s = verdicts_get(t, i);
        if (s->known && strcmp(s->id, sub) == 0)
            return s;
    }
    return NULL;
}

/* Decides rule on SUB_A and checks status and reason; frees the table. */
static void expect_rule(struct verdict_table *t, unsigned rule, enum verdict_status st,
                        const char *reason)
{
    decide(t, 1u << rule);
    const struct verdict_subscription *s = find(t, SUB_A);
    assert_non_null(s);
    assert_string_equal(verdicts_status_name(verdicts_result(t, s, rule)->status),
                        verdicts_status_name(st));
    assert_non_null(reason_of(t, s, rule));
    assert_string_equal(reason_of(t, s, rule), reason);
    verdicts_free(t);
}

static void expect(struct verdict_table *t, enum verdict_status st, const char *reason)
{
    expect_rule(t, RULE_CONTACT_EMAIL, st, reason);
}

/* One contact on SUB_A with emails, under policy. */
static void one(const struct address_policy *p, const char *emails, enum verdict_status st,
                const char *reason)
{
    struct verdict_table *t = verdicts_alloc(p);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", emails);
    verdicts_add_record(t, 0, &r);
    expect(t, st, reason);
}

/* ---- single contact ------------------------------------------------------ */

static void test_pass_one_good(void **state)
{
    (void)state;
    one(&no_policy, "soc@acme-corp.com", VERDICT_PASS,
        "1 deliverable address in contact 'default'");
    /* One good address passes; the one that does not count is named. */
    one(&no_policy, "soc@acme-corp.com; soc@example.com", VERDICT_PASS,
        "1 deliverable address in contact 'default'; warning: 1 address not deliverable, "
        "'soc@example.com' (RFC 2606 reserved domain)");
    one(&no_policy, "soc@acme-corp.com; <validEmailAddress>; x@contoso.com", VERDICT_PASS,
        "1 deliverable address in contact 'default'; warning: 2 addresses not deliverable, "
        "first '<validEmailAddress>' (not an email address)");
    one(&no_policy, "a@acme-corp.com,b@acme-corp.com", VERDICT_PASS,
        "2 deliverable addresses in contact 'default'");
}

/* A table sealed for one rule keeps results for it alone: another rule's
 * result reads as undecided (ERROR, never PASS) and cannot be set. */
static void test_kept_rules(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    verdicts_seal(t, 1u << RULE_CONTACT_EMAIL);
    rules_decide(t, RULES_ALL);
    const struct verdict_subscription *s = verdicts_get(t, 0);
    assert_int_equal(verdicts_result(t, s, RULE_CONTACT_EMAIL)->status, VERDICT_PASS);
    const struct verdict_result *other = verdicts_result(t, s, RULE_NOTIFY_OWNERS);
    assert_int_equal(other->status, VERDICT_ERROR);
    assert_int_equal(other->reason, REASON_NONE);
    struct verdict_result pass = { .status = VERDICT_PASS, .reason = REASON_DELIVERABLE };
    verdicts_set_result(t, s, RULE_NOTIFY_OWNERS, &pass);
    assert_int_equal(verdicts_result(t, s, RULE_NOTIFY_OWNERS)->status, VERDICT_ERROR);
    verdicts_free(t);
}

static void test_fail_reasons(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct jstream_pos pos = { 1, 1, 0 };
    verdicts_add_empty_list(t, 0, SUB_A, &pos);
    expect(t, VERDICT_FAIL, "no security contact configured");

    one(&no_policy, "", VERDICT_FAIL, "emails is empty");
    one(&no_policy, NULL, VERDICT_FAIL, "emails is missing");
    one(&no_policy, "  ;  ", VERDICT_FAIL, "emails holds no address");
    one(&no_policy, "security team", VERDICT_FAIL,
        "no valid address: 'security team' is not an email address");
    one(&no_policy, "soc@example.com", VERDICT_FAIL,
        "only reserved/sample addresses: soc@example.com (RFC 2606)");
    one(&no_policy, "soc@contoso.com", VERDICT_FAIL,
        "only reserved/sample addresses: soc@contoso.com (Microsoft documentation sample domain)");

    t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", NULL);
    r.emails_kind = CONTACT_EMAILS_NULL;
    verdicts_add_record(t, 0, &r);
    expect(t, VERDICT_FAIL, "emails is null");

    t = verdicts_alloc(&no_policy);
    r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    r.enabled = CONTACT_OFF;
    verdicts_add_record(t, 0, &r);
    expect(t, VERDICT_FAIL, "contact disabled (isEnabled=false)");
}

static void test_policy(void **state)
{
    (void)state;
    static const char *const org[] = { "acme-corp.com" };
    struct address_policy p = { .org_domains = org, .n_org = 1 };
    one(&p, "soc@other-corp.com", VERDICT_FAIL, "no address in --org-domain: soc@other-corp.com");
    one(&p, "soc@sec.acme-corp.com", VERDICT_PASS, "1 deliverable address in contact 'default'");

    static const char *const allow[] = { "example.com" };
    struct address_policy a = { .allow_domains = allow, .n_allow = 1 };
    one(&a, "soc@example.com", VERDICT_PASS, "1 deliverable address in contact 'default'");
    one(&a, "soc@contoso.com", VERDICT_FAIL,
        "only reserved/sample addresses: soc@contoso.com (Microsoft documentation sample domain)");
}

/* ---- several contacts, several files ---------------------------------------- */

static void test_several_contacts(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default1", "");
    verdicts_add_record(t, 0, &r);
    r = util_make_contact(&file0, SUB_A, "john", "john@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    expect(t, VERDICT_PASS, "1 deliverable address in contact 'john'");

    t = verdicts_alloc(&no_policy);
    r = util_make_contact(&file0, SUB_A, "default1", "");
    verdicts_add_record(t, 0, &r);
    r = util_make_contact(&file0, SUB_A, "john", "soc@example.com");
    verdicts_add_record(t, 0, &r);
    expect(t, VERDICT_FAIL,
           "default1: emails is empty; john: only reserved/sample addresses: soc@example.com (RFC "
           "2606)");
}

static void test_several_files(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "");
    verdicts_add_record(t, 0, &r);
    r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    r.file = &file1;
    verdicts_add_record(t, 1, &r);
    decide(t, 1u << RULE_CONTACT_EMAIL);
    const struct verdict_subscription *s = find(t, SUB_A);
    assert_non_null(s);
    assert_int_equal(verdicts_result(t, s, RULE_CONTACT_EMAIL)->status, VERDICT_ERROR);
    assert_string_equal(reason_of(t, s, RULE_CONTACT_EMAIL),
                        "snapshots disagree: contact 'default' at bundle/b.json:1:1 passes (1 "
                        "deliverable address), at bundle/a.json:1:1 does not (emails is empty)");
    verdicts_free(t);

    t = verdicts_alloc(&no_policy);
    r = util_make_contact(&file0, SUB_A, "default", "");
    verdicts_add_record(t, 0, &r);
    r = util_make_contact(&file0, SUB_A, "other", "soc@acme-corp.com");
    r.file = &file1;
    verdicts_add_record(t, 1, &r);
    expect(t, VERDICT_PASS, "1 deliverable address in contact 'other'");
}

/* Two snapshots of one contact in one file (a loop that appended twice)
 * that give different verdicts are an ERROR; two snapshots a hundred
 * contacts apart are compared too. */
static void test_conflict_anywhere(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "");
    verdicts_add_record(t, 0, &r);
    r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    expect(t, VERDICT_ERROR,
           "snapshots disagree: contact 'default' at bundle/a.json:1:1 passes (1 deliverable "
           "address), at bundle/a.json:1:1 does not (emails is empty)");

    t = verdicts_alloc(&no_policy);
    r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    char names[98][16];
    for (int i = 0; i < 98; i++) {
        snprintf(names[i], sizeof names[i], "contact%02d", i);
        r = util_make_contact(&file0, SUB_A, names[i], "team@acme-corp.com");
        verdicts_add_record(t, 0, &r);
    }
    r = util_make_contact(&file0, SUB_A, "default", "");
    r.file = &file1;
    verdicts_add_record(t, 1, &r);
    /* 98 other contacts pass in every reading: the two snapshots of
     * 'default', however far apart, differ without changing the verdict. */
    expect(t, VERDICT_PASS,
           "1 deliverable address in contact 'default'; warning: two snapshots of contact "
           "'default' differ in addresses (bundle/a.json:1:1 and bundle/b.json:1:1), with the "
           "same verdict under each");

    /* The same value twice is one contact seen twice, not a conflict. */
    t = verdicts_alloc(&no_policy);
    r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    r.file = &file1;
    verdicts_add_record(t, 1, &r);
    expect(t, VERDICT_PASS, "1 deliverable address in contact 'default'");
}

/* ---- snapshots that mean the same, or give the same verdict ---------------- */

/* Two snapshots of SUB_A's contact, from two files: a (file0) and b (file1). */
static struct verdict_table *two_snapshots(const struct contact_record *a,
                                           const struct contact_record *b)
{
    struct verdict_table *t = verdicts_alloc(&no_policy);
    verdicts_add_record(t, 0, a);
    struct contact_record second = *b;
    second.file = &file1;
    verdicts_add_record(t, 1, &second);
    return t;
}

static void test_same_meaning(void **state)
{
    (void)state;
    /* az security contact list (2020, no isEnabled) beside a 2023 REST
     * export with isEnabled true: one contact. */
    struct contact_record a = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    struct contact_record b = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    b.enabled = CONTACT_ON;
    b.api = CONTACT_API_2023;
    expect(two_snapshots(&a, &b), VERDICT_PASS, "1 deliverable address in contact 'default'");
    /* "a;b" against "a; b", and letter case. */
    a = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com;ops@acme-corp.com");
    b = util_make_contact(&file0, SUB_A, "default", "OPS@acme-corp.com; soc@Acme-Corp.com");
    expect(two_snapshots(&a, &b), VERDICT_PASS, "2 deliverable addresses in contact 'default'");
    /* Members the rule does not read do not count. */
    a = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    b = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    b.alerts = CONTACT_OFF;
    expect(two_snapshots(&a, &b), VERDICT_PASS, "1 deliverable address in contact 'default'");
}

static void test_names_without_case(void **state)
{
    (void)state;
    /* default and Default are one contact: two snapshots of it that give
     * different verdicts cannot both stand. */
    struct contact_record a = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    struct contact_record b = util_make_contact(&file0, SUB_A, "Default", "");
    expect(two_snapshots(&a, &b), VERDICT_ERROR,
           "snapshots disagree: contact 'default' at bundle/a.json:1:1 passes (1 deliverable "
           "address), at bundle/b.json:1:1 does not (emails is empty)");
}

static void test_same_verdict_differs(void **state)
{
    (void)state;
    /* Two readings that really differ but fail alike: FAIL, with a warning
     * that names both. */
    struct contact_record a = util_make_contact(&file0, SUB_A, "default", "");
    struct contact_record b = util_make_contact(&file0, SUB_A, "default", "soc@example.com");
    expect(two_snapshots(&a, &b), VERDICT_FAIL,
           "default: emails is empty; default: only reserved/sample addresses: soc@example.com "
           "(RFC 2606); warning: two snapshots of contact 'default' differ in addresses "
           "(bundle/a.json:1:1 and bundle/b.json:1:1), with the same verdict under each");
    /* Both pass, on different addresses. */
    a = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    b = util_make_contact(&file0, SUB_A, "default", "secops@acme-corp.com");
    expect(two_snapshots(&a, &b), VERDICT_PASS,
           "1 deliverable address in contact 'default'; warning: two snapshots of contact "
           "'default' differ in addresses (bundle/a.json:1:1 and bundle/b.json:1:1), with the "
           "same verdict under each");
}

static void test_empty_list_beside_contacts(void **state)
{
    (void)state;
    /* An empty list in one file and a contact in another are two snapshots,
     * not "one of them has a contact". */
    struct jstream_pos pos = { 1, 1, 0 };
    struct verdict_table *t = verdicts_alloc(&no_policy);
    verdicts_add_empty_list(t, 0, SUB_A, &pos);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    r.file = &file1;
    verdicts_add_record(t, 1, &r);
    expect(t, VERDICT_ERROR,
           "snapshots disagree: contact 'default' at bundle/b.json:1:1 passes (1 deliverable "
           "address), the contact list at bundle/a.json:1:1 is empty");
    /* The same verdict under both: FAIL, with the warning. */
    t = verdicts_alloc(&no_policy);
    verdicts_add_empty_list(t, 0, SUB_A, &pos);
    r = util_make_contact(&file0, SUB_A, "default", "");
    r.file = &file1;
    verdicts_add_record(t, 1, &r);
    expect(t, VERDICT_FAIL,
           "emails is empty; warning: the contact list at bundle/a.json:1:1 is empty but contact "
           "'default' is at bundle/b.json:1:1, with the same verdict under each");
}

static void test_pages_missing(void **state)
{
    (void)state;
    /* An empty first page whose nextLink names pages not in the bundle: the
     * missing page may hold the contact. */
    struct jstream_pos pos = { 1, 1, 0 };
    struct verdict_table *t = verdicts_alloc(&no_policy);
    verdicts_add_empty_list(t, 0, SUB_A, &pos);
    verdicts_file_paged(t, 0, 1);
    expect(t, VERDICT_ERROR,
           "one page of a longer list (nextLink or skip token set) and its other pages are not in "
           "the bundle: they may hold the contact");
    /* With its last page, the pages decide: here a passing contact. */
    t = verdicts_alloc(&no_policy);
    verdicts_add_empty_list(t, 0, SUB_A, &pos);
    verdicts_file_paged(t, 0, 1);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    r.file = &file1;
    verdicts_add_record(t, 1, &r);
    verdicts_file_paged(t, 1, 0);
    expect(t, VERDICT_PASS, "1 deliverable address in contact 'default'");
    /* A PASS on a first page stands: one good contact is enough. */
    t = verdicts_alloc(&no_policy);
    r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    verdicts_file_paged(t, 0, 1);
    expect(t, VERDICT_PASS, "1 deliverable address in contact 'default'");
}

static void test_addresses_only(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, SUB_A, NULL, "soc@acme-corp.com");
    r.addresses_only = 1;
    verdicts_add_record(t, 0, &r);
    expect(t, VERDICT_PASS,
           "1 deliverable address in contact '(unnamed)'; note: the evidence shows the addresses "
           "only, not whether the contact is enabled");
}

/* ---- problems and failed files ------------------------------------------- */

static void test_problems(void **state)
{
    (void)state;
    const char *msg = "API error AuthorizationFailed: no access";
    struct verdict_table *t = verdicts_alloc(&no_policy);
    verdicts_add_problem(t, 0, SUB_A, PROBLEM_API_ERROR, 1, 2, "AuthorizationFailed", "no access");
    expect(t, VERDICT_ERROR, msg);

    t = verdicts_alloc(&no_policy);
    verdicts_add_problem(t, 1, SUB_A, PROBLEM_API_ERROR, 1, 2, "AuthorizationFailed", "no access");
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    expect(t, VERDICT_PASS, "1 deliverable address in contact 'default'");

    /* Fail-closed: an unreadable file might have held the good contact. */
    t = verdicts_alloc(&no_policy);
    verdicts_add_problem(t, 1, SUB_A, PROBLEM_API_ERROR, 1, 2, "AuthorizationFailed", "no access");
    r = util_make_contact(&file0, SUB_A, "default", "");
    verdicts_add_record(t, 0, &r);
    expect(t, VERDICT_ERROR, msg);
}

/* With each file begun as the pipeline reads it, a failed file withdraws
 * its own records only: the ones it added to an entry another file added
 * to before, none of that other file's, and nothing when it added none. */
static void test_file_begun_failed(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    verdicts_file_begin(t, 0);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    r = util_make_contact(&file0, SUB_B, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    verdicts_file_begin(t, 1);
    r = util_make_contact(&file1, SUB_A, "second", "soc@acme-corp.com");
    verdicts_add_record(t, 1, &r);
    verdicts_file_failed(t, 1, 4, 2, "cut");
    /* A third file, begun, that adds nothing before it fails. */
    verdicts_file_begin(t, 2);
    verdicts_file_failed(t, 2, 1, 1, "empty");
    decide(t, 1u << RULE_CONTACT_EMAIL);
    const struct verdict_subscription *s = find(t, SUB_A);
    assert_non_null(s);
    assert_int_equal(s->n_contacts, 2);
    assert_int_equal(s->contacts[0].from_failed_file, 0);
    assert_int_equal(s->contacts[1].from_failed_file, 1);
    assert_int_equal(verdicts_extra(s)->n_problems, 1);
    /* the readable file's PASS stands (README: one good contact is enough) */
    assert_int_equal(verdicts_result(t, s, RULE_CONTACT_EMAIL)->status, VERDICT_PASS);
    assert_string_equal(reason_of(t, s, RULE_CONTACT_EMAIL),
                        "1 deliverable address in contact 'default'");
    s = find(t, SUB_B);
    assert_non_null(s);
    assert_int_equal(s->contacts[0].from_failed_file, 0);
    assert_int_equal(verdicts_extra(s)->n_problems, 0);
    assert_int_equal(verdicts_result(t, s, RULE_CONTACT_EMAIL)->status, VERDICT_PASS);
    assert_int_equal(verdicts_count(t), 2);
    verdicts_free(t);
}

static void test_file_failed(void **state)
{
    (void)state;
    const char *msg = "truncated JSON at line 9";
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    r = util_make_contact(&file0, SUB_B, "default", "soc@acme-corp.com");
    r.file = &file1;
    verdicts_add_record(t, 1, &r);
    verdicts_file_failed(t, 0, 9, 1, msg);
    const char *want = "unreadable evidence bundle/a.json:9:1: truncated JSON at line 9";
    decide(t, 1u << RULE_CONTACT_EMAIL);
    const struct verdict_subscription *s = find(t, SUB_A);
    assert_non_null(s);
    assert_int_equal(s->n_contacts, 1);
    assert_int_equal(s->contacts[0].from_failed_file, 1);
    assert_int_equal(verdicts_result(t, s, RULE_CONTACT_EMAIL)->status, VERDICT_ERROR);
    assert_string_equal(reason_of(t, s, RULE_CONTACT_EMAIL), want);
    /* The other file's subscription is untouched. */
    s = find(t, SUB_B);
    assert_non_null(s);
    assert_int_equal(s->contacts[0].from_failed_file, 0);
    assert_int_equal(verdicts_extra(s)->n_problems, 0);
    assert_int_equal(verdicts_result(t, s, RULE_CONTACT_EMAIL)->status, VERDICT_PASS);
    verdicts_free(t);
}

static void test_ambiguous_record(void **state)
{
    (void)state;
    const char *msg = "'emails' given twice in one contact: ambiguous";
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    r.problem = msg;
    verdicts_add_record(t, 0, &r);
    expect(t, VERDICT_ERROR, msg);
}

/* ---- inventory, unknown subscriptions, order ----------------------------------- */

static void test_inventory(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    assert_int_equal(verdicts_has_inventory(t), 0);
    verdicts_add_inventory(t, SUB_A, "Production", "Enabled");
    verdicts_add_inventory(t, SUB_B, "Old", "Disabled");
    assert_int_equal(verdicts_has_inventory(t), 1);
    decide(t, (1u << RULE_COUNT) - 1);
    const struct verdict_subscription *s = find(t, SUB_A);
    assert_non_null(s);
    assert_int_equal(s->disabled, 0);
    assert_string_equal(verdicts_extra(s)->display_name, "Production");
    assert_string_equal(verdicts_extra(s)->state, "Enabled");
    assert_int_equal(verdicts_result(t, s, RULE_CONTACT_EMAIL)->status, VERDICT_ERROR);
    assert_string_equal(reason_of(t, s, RULE_CONTACT_EMAIL), "no evidence for subscription");
    s = find(t, SUB_B);
    assert_non_null(s);
    assert_int_equal(s->disabled, 1);
    assert_string_equal(verdicts_extra(s)->display_name, "Old");
    verdicts_free(t);

    /* Any live row puts it in scope, in whichever order the rows come. */
    for (int order = 0; order < 2; order++) {
        t = verdicts_alloc(&no_policy);
        verdicts_add_inventory(t, SUB_A, "Prod", order ? "Disabled" : "Warned");
        verdicts_add_inventory(t, SUB_A, "Prod", order ? "Warned" : "Disabled");
        decide(t, 1u << RULE_CONTACT_EMAIL);
        s = find(t, SUB_A);
        assert_int_equal(s->disabled, 0);
        assert_string_equal(verdicts_extra(s)->state, "Warned");
        assert_int_equal(verdicts_result(t, s, RULE_CONTACT_EMAIL)->status, VERDICT_ERROR);
        verdicts_free(t);
    }
}

static void test_unknown_subscription(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, NULL, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 3, &r);
    r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    verdicts_add_record(t, 0, &r);
    decide(t, 1u << RULE_CONTACT_EMAIL);
    assert_int_equal(verdicts_count(t), 2);
    /* Known ids sort first; the file's entry comes last. */
    const struct verdict_subscription *s = verdicts_get(t, 1);
    assert_int_equal(s->known, 0);
    assert_int_equal(s->unknown_file, 3);
    assert_int_equal(s->n_contacts, 1);
    assert_int_equal(verdicts_get(t, 0)->known, 1);
    verdicts_free(t);
}

/* The first n entries of sealed t come in the order of their ids' text. */
static void expect_ids_in_order(const struct verdict_table *t, size_t n)
{
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(verdicts_get(t, i - 1)->id, verdicts_get(t, i)->id) < 0);
}

/* A passing contact of file for subscription id (NULL: none) into t. */
static void add_passing(struct verdict_table *t, size_t file, const char *id)
{
    struct contact_record r = util_make_contact(&file0, id, "default", "soc@acme-corp.com");
    verdicts_add_record(t, file, &r);
}

static void test_sorted(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    const char *subs[] = { SUB_C, SUB_A, SUB_B, "00000000-0000-0000-0000-0000000000ff" };
    for (size_t i = 0; i < 4; i++)
        add_passing(t, 0, subs[i]);
    decide(t, 1u << RULE_CONTACT_EMAIL);
    assert_int_equal(verdicts_count(t), 4);
    assert_string_equal(verdicts_get(t, 0)->id, "00000000-0000-0000-0000-0000000000ff");
    expect_ids_in_order(t, verdicts_count(t));
    verdicts_free(t);
}

/* The i-th of a sequence of ids spread over the whole range (and so
 * added out of order), each different. */
static void spread_id(char id[GUID_TEXT_LEN + 1], unsigned i)
{
    unsigned x = (unsigned)(((size_t)i * 2654435761u) % 1000003u);
    snprintf(id, GUID_TEXT_LEN + 1, "%08x-0000-4000-8000-%012x", x * 4099u, i);
}

/* Many ids, most of them sharing their first hex digits (one bucket of
 * the sort), the rest spread; entries without an id from files added out
 * of order: ids in the order of their text, then the files in order. */
static void test_sorted_many(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    const size_t n = 3000;
    for (size_t i = 0; i < n; i++) {
        char id[GUID_TEXT_LEN + 1];
        unsigned x = (unsigned)((i * 2654435761u) % 1000003u);
        if (i % 3)
            snprintf(id, sizeof id, "abcd%04x-%04x-4000-8000-%012x", x & 0xffff, (unsigned)i, x);
        else
            spread_id(id, (unsigned)i);
        add_passing(t, 0, id);
        if (i % 1000 == 7)
            add_passing(t, 9 - i / 1000, NULL); /* files 9, 8, 7 */
    }
    decide(t, 1u << RULE_CONTACT_EMAIL);
    assert_int_equal(verdicts_count(t), n + 3);
    expect_ids_in_order(t, n);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(verdicts_get(t, n + i)->known, 0);
        assert_int_equal(verdicts_get(t, n + i)->unknown_file, 7 + i);
    }
    verdicts_free(t);
}

/* The seal moves the entries into subscription order: each keeps its own
 * contacts, and each rule's result is the one its own contacts give (every
 * seventh added fails, an empty emails list). */
static void test_sorted_entries_keep_theirs(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    const unsigned n = 2500;
    for (unsigned i = 0; i < n; i++) {
        char id[GUID_TEXT_LEN + 1];
        spread_id(id, i);
        struct contact_record r = util_make_contact(&file0, id, i % 7 ? "default" : "failing",
                                                    i % 7 ? "soc@acme-corp.com" : "");
        verdicts_add_record(t, 0, &r);
    }
    decide(t, 1u << RULE_CONTACT_EMAIL);
    assert_int_equal(verdicts_count(t), n);
    expect_ids_in_order(t, n);
    size_t failing = 0;
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(t, i);
        unsigned added = (unsigned)strtoul(s->id + 24, NULL, 16);
        int fails = added % 7 == 0;
        assert_int_equal(s->n_contacts, 1);
        assert_string_equal(s->contacts[0].name, fails ? "failing" : "default");
        assert_string_equal(s->contacts[0].emails, fails ? "" : "soc@acme-corp.com");
        assert_int_equal(verdicts_result(t, s, RULE_CONTACT_EMAIL)->status,
                         fails ? VERDICT_FAIL : VERDICT_PASS);
        failing += fails;
    }
    assert_int_equal(failing, (n + 6) / 7);
    verdicts_free(t);
}

/* Ids alike in their first 96 bits (the sort key) differ in the last 32:
 * added out of order, they come out in the order of their text. */
static void test_sorted_ties(void **state)
{
    (void)state;
    struct verdict_table *t = verdicts_alloc(&no_policy);
    const unsigned n = 700;
    for (unsigned i = 0; i < n; i++) {
        char id[GUID_TEXT_LEN + 1];
        unsigned x = (i * 2654435761u) % 4294967291u; /* every one different */
        snprintf(id, sizeof id, "0123abcd-0000-4000-8000-ffff%08x", x);
        add_passing(t, 0, id);
    }
    decide(t, 1u << RULE_CONTACT_EMAIL);
    assert_int_equal(verdicts_count(t), n);
    expect_ids_in_order(t, n);
    verdicts_free(t);
}

/* The table keeps how many addresses a contact has, not each verdict:
 * judged again, every address has the verdict and the why that judging
 * it on its own gives, under the same policy. */
static void expect_judged_again(const struct address_policy *p, const char *emails)
{
    struct verdict_table *t = verdicts_alloc(p);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", emails);
    verdicts_add_record(t, 0, &r);
    decide(t, 1u << RULE_CONTACT_EMAIL);
    const struct verdict_contact *c = &find(t, SUB_A)->contacts[0];
    struct verdict_addresses judged = { 0 };
    const struct verdict_address *a = verdicts_addresses(t, c, &judged);
    size_t deliverable = 0;
    for (size_t i = 0; i < judged.n; i++) {
        const char *why = NULL;
        enum address_verdict v = address_judge(a[i].text, a[i].len, p, &why);
        assert_int_equal(a[i].verdict, v);
        assert_string_equal(a[i].why, why);
        deliverable += v == ADDRESS_DELIVERABLE;
    }
    assert_int_equal(deliverable, c->n_deliverable);
    assert_int_equal(c->undeliverable, deliverable < judged.n);
    assert_int_equal(verdicts_has_addresses(c), judged.n > 0);
    free(judged.items);
    verdicts_free(t);
}

static void test_addresses_judged_again(void **state)
{
    (void)state;
    static const char *const org[] = { "acme-corp.com" };
    struct address_policy in_org = { .org_domains = org, .n_org = 1 };
    static const char *const allow[] = { "example.com" };
    struct address_policy allowed = { .allow_domains = allow, .n_allow = 1 };
    const char *const lists[] = {
        "soc@acme-corp.com",
        "soc@acme-corp.com;jane.doe@acme-corp.com",
        "soc@acme-corp.com; soc@example.com",
        "jane@gmail.com",
        "soc@acme-corp.com;jane@gmail.com",
        "<validEmailAddress>; x@contoso.com; noreply@acme-corp.com",
        "soc@other-corp.com, soc@sec.acme-corp.com",
        "  ;  ",
        "",
    };
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        expect_judged_again(&no_policy, lists[i]);
        expect_judged_again(&in_org, lists[i]);
        expect_judged_again(&allowed, lists[i]);
    }
}

/* ---- sibling rules ------------------------------------------------------- */

static void alerts(enum contact_switch on, enum contact_severity sev, unsigned api,
                   enum verdict_status st, const char *reason)
{
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    r.alerts = on;
    r.alert_severity = sev;
    r.api = api;
    verdicts_add_record(t, 0, &r);
    expect_rule(t, RULE_ALERT_SEVERITY, st, reason);
}

static void owners(enum contact_switch on, int owner, unsigned api, enum verdict_status st,
                   const char *reason)
{
    struct verdict_table *t = verdicts_alloc(&no_policy);
    struct contact_record r = util_make_contact(&file0, SUB_A, "default", "soc@acme-corp.com");
    r.notify_roles = on;
    r.roles_include_owner = owner;
    r.api = api;
    verdicts_add_record(t, 0, &r);
    expect_rule(t, RULE_NOTIFY_OWNERS, st, reason);
}

static void test_alert_severity(void **state)
{
    (void)state;
    alerts(CONTACT_ON, SEVERITY_HIGH, CONTACT_API_2020, VERDICT_PASS,
           "alert e-mails on for high-severity alerts");
    alerts(CONTACT_OFF, SEVERITY_HIGH, CONTACT_API_2020, VERDICT_FAIL,
           "alert e-mail notifications are off or have no severity");
    alerts(CONTACT_OTHER, SEVERITY_HIGH, CONTACT_API_2020, VERDICT_ERROR,
           "alert notification settings not understood (PowerShell depth-truncated export?)");
}

static void test_notify_owners(void **state)
{
    (void)state;
    owners(CONTACT_ON, 1, CONTACT_API_2020, VERDICT_PASS, "subscription owners are notified");
    owners(CONTACT_ON, 0, CONTACT_API_2020, VERDICT_FAIL,
           "owners are not notified (notificationsByRole off or without Owner)");
    owners(CONTACT_ON, 0, CONTACT_API_2017, VERDICT_PASS, "subscription owners are notified");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pass_one_good),
        cmocka_unit_test(test_fail_reasons),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_several_contacts),
        cmocka_unit_test(test_several_files),
        cmocka_unit_test(test_problems),
        cmocka_unit_test(test_file_failed),
        cmocka_unit_test(test_file_begun_failed),
        cmocka_unit_test(test_ambiguous_record),
        cmocka_unit_test(test_inventory),
        cmocka_unit_test(test_unknown_subscription),
        cmocka_unit_test(test_sorted),
        cmocka_unit_test(test_sorted_many),
        cmocka_unit_test(test_sorted_ties),
        cmocka_unit_test(test_sorted_entries_keep_theirs),
        cmocka_unit_test(test_addresses_judged_again),
        cmocka_unit_test(test_conflict_anywhere),
        cmocka_unit_test(test_same_meaning),
        cmocka_unit_test(test_names_without_case),
        cmocka_unit_test(test_same_verdict_differs),
        cmocka_unit_test(test_empty_list_beside_contacts),
        cmocka_unit_test(test_pages_missing),
        cmocka_unit_test(test_addresses_only),
        cmocka_unit_test(test_alert_severity),
        cmocka_unit_test(test_notify_owners),
        cmocka_unit_test(test_kept_rules),
    };
    return cmocka_run_group_tests_name("verdicts", tests, NULL, NULL) == 0 ? 0 : 1;
}
