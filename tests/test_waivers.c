/* SPDX-License-Identifier: ISC */
/* Unit tests for waivers.c: waiver files written to a temporary folder,
 * loaded, and applied to a verdict table built by hand; the status, reason
 * and use counts are checked for each case. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence.h"
#include "facts.h"
#include "rules.h"
#include "verdicts.h"
#include "waivers.h"

#define SUB_A "11111111-1111-4111-8111-111111111111"
#define SUB_B "22222222-2222-4222-8222-222222222222"
/* 2026-01-01T00:00:00Z, the audit's time in every case. */
#define NOW ((time_t)1767225600)

static char path0[] = "bundle/a.json";
static struct evidence_file file0 = { .path = path0 };
static const struct address_policy no_policy = { 0 };

/* Writes text to a new temporary file; the caller unlinks and frees it. */
static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/aca-waivers.XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

/* Adds contact 'default' of sub with the given emails to t. */
static void add_contact(struct verdict_table *t, const char *sub, const char *emails)
{
    struct contact_record r;
    memset(&r, 0, sizeof r);
    r.file = &file0;
    r.has_subscription = 1;
    strcpy(r.subscription, sub);
    r.name = "default";
    r.name_len = 7;
    r.emails = emails;
    r.emails_len = strlen(emails);
    r.emails_kind = CONTACT_EMAILS_STRING;
    r.emails_member = "emails";
    r.pos.line = r.pos.col = 1;
    r.api = CONTACT_API_2020;
    verdicts_add_record(t, 0, &r);
}

/* A table where SUB_A fails (empty emails); with error, SUB_B is an ERROR
 * (an API error body), else it fails too. Decided for 2.3.2. */
static struct verdict_table *table_with(int error)
{
    struct verdict_table *t = verdicts_alloc(&no_policy);
    const char *subs[] = { SUB_A, SUB_B };
    for (int i = 0; i < 2; i++) {
        if (i == 1 && error) {
            verdicts_add_problem(t, 0, SUB_B, PROBLEM_API_ERROR, 1, 1, "AuthorizationFailed",
                                 "no access");
            continue;
        }
        add_contact(t, subs[i], "");
    }
    verdicts_seal(t, RULES_ALL);
    rules_decide(t, 1u << RULE_CONTACT_EMAIL);
    return t;
}

/* Messages go to stderr, as in the program, and are counted. */
static struct diag test_diag = { NULL, 0, -1, { 0 } };

static const struct verdict_subscription *find(const struct verdict_table *t, const char *sub)
{
    for (size_t i = 0; i < verdicts_count(t); i++) {
        const struct verdict_subscription *s = verdicts_get(t, i);
        if (strcmp(s->id, sub) == 0)
            return s;
    }
    fail_msg("no subscription %s", sub);
    return NULL;
}

static const struct verdict_result *result_of(const struct verdict_table *t, const char *sub)
{
    return verdicts_result(t, find(t, sub), RULE_CONTACT_EMAIL);
}

/* The 2.3.2 reason of sub in words, with the waivers ws, as every writer
 * renders it; valid until the next call. */
static const char *reason_of(const struct verdict_table *t, const struct waiver_set *ws,
                             const char *sub)
{
    static char *text;
    static struct evidence_list files;
    free(text);
    files.files = &file0;
    files.count = 1;
    struct report_view v = { 0 };
    v.files = &files;
    v.table = t;
    v.waivers = ws;
    text = facts_reason(&v, find(t, sub), RULE_CONTACT_EMAIL);
    return text;
}

/* Loads text as a waiver file; returns waivers_load()'s status. */
static int load(struct waiver_set *ws, const char *text)
{
    char *path = write_temp(text);
    test_diag.stream = stderr;
    int rc = waivers_load(ws, path, NOW, RULES_DEFAULT_EDITION, &test_diag);
    unlink(path);
    free(path);
    return rc;
}

/* Loads text (it must load cleanly) and applies it to table_with(error). */
static struct verdict_table *waived(struct waiver_set *ws, const char *text, int error)
{
    assert_int_equal(load(ws, text), 0);
    struct verdict_table *t = table_with(error);
    waivers_apply(ws, t, 1u << RULE_CONTACT_EMAIL, &test_diag);
    return t;
}

static void test_valid_waiver(void **state)
{
    (void)state;
    struct waiver_set ws = { 0 };
    struct verdict_table *t =
        waived(&ws,
               "[{\"subscription\":\"" SUB_A "\",\"rule\":\"2.3.2\",\"reason\":\"dev\","
               "\"ticket\":\"SEC-1\",\"expires\":\"2026-01-01\"}]",
               0);
    const struct verdict_result *a = result_of(t, SUB_A);
    assert_int_equal(a->status, VERDICT_WAIVED);
    assert_string_equal(reason_of(t, &ws, SUB_A),
                        "waived by SEC-1 until 2026-01-01: dev (was FAIL: emails is empty)");
    assert_ptr_equal(waivers_covering(&ws, SUB_A, RULE_CONTACT_EMAIL), &ws.items[0]);
    assert_int_equal(result_of(t, SUB_B)->status, VERDICT_FAIL); /* another subscription */
    assert_int_equal(ws.items[0].used, 1);
    verdicts_free(t);
    waivers_free(&ws);
}

static void test_expired_waiver(void **state)
{
    (void)state;
    struct waiver_set ws = { 0 };
    /* Its day ended the second before the audit's time. */
    struct verdict_table *t =
        waived(&ws,
               "{\"waivers\":[{\"subscription\":\"" SUB_A "\",\"rule\":\"*\","
               "\"reason\":\"dev\",\"ticket\":\"SEC-1\",\"expires\":\"2025-12-31\"}]}",
               0);
    assert_int_equal(ws.count, 1);
    assert_int_equal(ws.items[0].expired, 1);
    assert_int_equal(result_of(t, SUB_A)->status, VERDICT_FAIL);
    assert_string_equal(reason_of(t, &ws, SUB_A), "emails is empty");
    assert_int_equal(ws.items[0].used, 0);
    verdicts_free(t);
    waivers_free(&ws);
}

static void test_waiver_on_error(void **state)
{
    (void)state;
    struct waiver_set ws = { 0 };
    struct verdict_table *t =
        waived(&ws,
               "[{\"subscription\":\"" SUB_B "\",\"rule\":\"contact-email\",\"reason\":\"x\","
               "\"ticket\":\"SEC-2\",\"expires\":\"2099-12-31\"}]",
               1);
    const struct verdict_result *b = result_of(t, SUB_B);
    assert_int_equal(b->status, VERDICT_ERROR);
    assert_string_equal(reason_of(t, &ws, SUB_B), "API error AuthorizationFailed: no access");
    assert_int_equal(ws.items[0].used, 0);
    assert_int_equal(ws.items[0].refused, 1);
    verdicts_free(t);
    waivers_free(&ws);
}

static void test_invalid_entries(void **state)
{
    (void)state;
    struct waiver_set ws = { 0 };
    /* No such day (2099 is no leap year), a missing ticket, an unknown rule;
     * 2096-02-29 is a real day and stays. */
    assert_int_equal(
        load(&ws,
             "["
             "{\"subscription\":\"" SUB_A
             "\",\"rule\":\"*\",\"reason\":\"r\",\"ticket\":\"T\",\"expires\":\"2099-02-30\"},"
             "{\"subscription\":\"" SUB_A
             "\",\"rule\":\"*\",\"reason\":\"r\",\"ticket\":\"T\",\"expires\":\"2099-02-29\"},"
             "{\"subscription\":\"" SUB_A
             "\",\"rule\":\"*\",\"reason\":\"r\",\"expires\":\"2099-01-01\"},"
             "{\"subscription\":\"" SUB_A
             "\",\"rule\":\"9.9.9\",\"reason\":\"r\",\"ticket\":\"T\",\"expires\":\"2099-01-01\"},"
             "{\"subscription\":\"" SUB_A
             "\",\"rule\":\"*\",\"reason\":\"r\",\"ticket\":\"T\",\"expires\":\"2096-02-29\"}]"),
        -1);
    assert_int_equal(ws.invalid, 4);
    assert_int_equal(ws.count, 1);
    assert_string_equal(ws.items[0].expires, "2096-02-29");
    waivers_free(&ws);
}

/* Many waivers: each FAIL finds its own, the first in file order. */
static void test_many_waivers(void **state)
{
    (void)state;
    size_t cap = 2000 * 160 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len, "[");
    for (int i = 1999; i >= 0; i--) /* reverse order, so the index must sort */
        len += (size_t)snprintf(
            text + len, cap - len,
            "%s{\"subscription\":\"%08x-1111-4111-8111-111111111111\",\"rule\":\"*\","
            "\"reason\":\"r\",\"ticket\":\"T-%d\",\"expires\":\"2099-01-01\"}",
            i == 1999 ? "" : ",", (unsigned)(0x11111100 + i), i);
    /* a second waiver for SUB_A, later in the file: the first one wins */
    len += (size_t)snprintf(text + len, cap - len,
                            ",{\"subscription\":\"" SUB_A "\",\"rule\":\"*\","
                            "\"reason\":\"r\",\"ticket\":\"LATER\",\"expires\":\"2099-01-01\"}]");
    struct waiver_set ws = { 0 };
    struct verdict_table *t = waived(&ws, text, 0);
    free(text);
    assert_int_equal(ws.count, 2001);
    /* SUB_A is 11111111-..., waiver i = 0x11 */
    assert_string_equal(reason_of(t, &ws, SUB_A),
                        "waived by T-17 until 2099-01-01: r (was FAIL: emails is empty)");
    assert_int_equal(result_of(t, SUB_B)->status, VERDICT_FAIL);
    verdicts_free(t);
    waivers_free(&ws);
}

/* Loads text with the messages caught in *said (caller frees); returns
 * waivers_load()'s status. */
static int load_said(struct waiver_set *ws, const char *text, char **said)
{
    char *path = write_temp(text);
    size_t len;
    FILE *mem = open_memstream(said, &len);
    assert_non_null(mem);
    struct diag d;
    diag_init(&d, mem, 0);
    int rc = waivers_load(ws, path, NOW, RULES_DEFAULT_EDITION, &d);
    fclose(mem);
    /* the path is random: keep what follows it */
    char *p;
    while ((p = strstr(*said, path)) != NULL)
        memmove(p, p + strlen(path), strlen(p + strlen(path)) + 1);
    unlink(path);
    free(path);
    return rc;
}

#define ENTRY(sub, extra)                                                                          \
    "{\"subscription\":\"" sub "\",\"rule\":\"*\",\"reason\":\"r\",\"ticket\":\"T\"," extra "}"

/* Only the top-level array, or the array of a top-level "waivers" member,
 * holds waivers: a second list ("revoked") is said and not applied. */
static void test_other_list_not_applied(void **state)
{
    (void)state;
    struct waiver_set ws = { 0 };
    char *said = NULL;
    assert_int_equal(
        load_said(
            &ws,
            "{\"revoked\":[" ENTRY(
                SUB_B, "\"expires\":\"2099-01-01\"") "],"
                                                     "\"waivers\":[" ENTRY(
                                                         SUB_A, "\"expires\":\"2099-01-01\"") "]}",
            &said),
        0);
    assert_string_equal(said, "azure-contact-audit: :1:12: warning: entries under 'revoked' are "
                              "not waivers (only the top-level array or 'waivers' holds them): "
                              "not applied\n");
    assert_int_equal(ws.count, 1);
    assert_string_equal(ws.items[0].subscription, SUB_A);
    assert_null(waivers_covering(&ws, SUB_B, RULE_CONTACT_EMAIL));
    free(said);
    waivers_free(&ws);
}

/* A file that is one object, whose "waivers" is not an array, that holds
 * two JSON values or a scalar, is no waiver file. */
static void test_not_a_waiver_file(void **state)
{
    (void)state;
    static const struct {
        const char *text, *said;
    } cases[] = {
        { ENTRY(SUB_A, "\"expires\":\"2099-01-01\""),
          "azure-contact-audit: :1:1: error: invalid waiver file: a single object, not a list of "
          "waivers (a JSON array, or an object with a 'waivers' array)\n" },
        { "{\"waivers\":" ENTRY(SUB_A, "\"expires\":\"2099-01-01\"") "}",
          "azure-contact-audit: :1:12: error: invalid waiver file: 'waivers' is not an array\n" },
        { "{\"waivers\":\"none\"}",
          "azure-contact-audit: :1:12: error: invalid waiver file: 'waivers' is not an array\n" },
        { "{\"waivers\":[],\"waivers\":[]}",
          "azure-contact-audit: :1:15: error: invalid waiver file: 'waivers' is given twice\n" },
        { "[] []", "azure-contact-audit: :1:4: error: invalid waiver file: more than one JSON "
                   "value\n" },
        { "\"x\"", "azure-contact-audit: :1:1: error: invalid waiver file: not a list of waivers "
                   "(a JSON array, or an object with a 'waivers' array)\n" },
        { "  \n", "azure-contact-audit: : error: invalid waiver file: no waivers in file\n" },
        /* a valid entry before the place where the file breaks does not apply */
        { "[" ENTRY(SUB_A, "\"expires\":\"2099-01-01\"") ",",
          "azure-contact-audit: :1:118: error: invalid waiver file: file ends early at 1:118 "
          "(truncated?)\n" },
        { "[" ENTRY(SUB_A, "\"expires\":\"2099-01-01\"") "] []",
          "azure-contact-audit: :1:119: error: invalid waiver file: more than one JSON value\n" },
        { "[" ENTRY(SUB_A, "\"expires\":\"2099-01-01\"") "," ENTRY(SUB_A,
                                                                   "\"expires\":20991231") "]",
          "azure-contact-audit: :1:220: error: invalid waiver file: a waiver field that is not a "
          "string of at most 1024 characters\n" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct waiver_set ws = { 0 };
        char *said = NULL;
        assert_int_equal(load_said(&ws, cases[i].text, &said), -1);
        assert_string_equal(said, cases[i].said);
        assert_int_equal(ws.unreadable, 1);
        assert_non_null(ws.unreadable_why);
        assert_int_equal(ws.count, 0);
        assert_null(waivers_covering(&ws, SUB_A, RULE_CONTACT_EMAIL));
        free(said);
        waivers_free(&ws);
    }
    /* an empty list is a waiver file with no waivers */
    struct waiver_set ws = { 0 };
    char *said = NULL;
    assert_int_equal(load_said(&ws, "{\"waivers\": []}", &said), 0);
    assert_string_equal(said, "");
    free(said);
    waivers_free(&ws);
}

/* A member given twice, a blank reason or ticket, a date that is not
 * exactly YYYY-MM-DD: each entry is refused, and kept with why and where. */
static void test_refused_entries_kept(void **state)
{
    (void)state;
    struct waiver_set ws = { 0 };
    char *said = NULL;
    assert_int_equal(
        load_said(
            &ws,
            "[" ENTRY(
                SUB_A,
                "\"expires\":\"2099-01-01\",\"expires\":\"2000-01-"
                "01\"") ",\n"
                        "{\"subscription\":\"" SUB_A "\",\"subscriptionId\":\"" SUB_B
                        "\",\"rule\":\"*\","
                        "\"reason\":\"r\",\"ticket\":\"T\","
                        "\"expires\":\"2099-01-01\"},\n"
                        "{\"subscription\":\"" SUB_A "\",\"rule\":\"*\",\"reason\":\" "
                        "\\t\",\"ticket\":"
                        "\"T\",\"expires\":\"2099-01-01\"},\n"
                        "{\"subscription\":\"" SUB_B "\",\"rule\":\"*\",\"reason\":\"r\","
                        "\"ticket\":"
                        "\"  \",\"expires\":\"2099-01-01\"},\n"
                        "" ENTRY(
                            SUB_A,
                            "\"expires\":\" "
                            "2099-01-01\"") ",\n"
                                            "" ENTRY(
                                                SUB_A,
                                                "\"expi"
                                                "res\":"
                                                "\"+"
                                                "099-"
                                                "01-"
                                                "01\"") ",\n"
                                                        "" ENTRY(
                                                            SUB_A,
                                                            "\"expires\":\"99-01-"
                                                            "01\"") ",\n"
                                                                    "" ENTRY(
                                                                        SUB_A,
                                                                        "\"expires\":"
                                                                        "\"2099-1-"
                                                                        "01\"") ",\n"
                                                                                "" ENTRY(
                                                                                    SUB_A,
                                                                                    "\"expires\":"
                                                                                    "\"2099-01-01 "
                                                                                    "\"") ",\n"
                                                                                          "\"SEC-"
                                                                                          "1\","
                                                                                          "\n" ENTRY(
                                                                                              SUB_B,
                                                                                              "\"ex"
                                                                                              "pire"
                                                                                              "s\":"
                                                                                              "\"20"
                                                                                              "99-"
                                                                                              "01-"
                                                                                              "01"
                                                                                              "\"") "]",
            &said),
        -1);
    assert_string_equal(
        said,
        "azure-contact-audit: :1:2: error: invalid waiver: 'expires' is given twice in one entry: "
        "ambiguous\n"
        "azure-contact-audit: :2:1: error: invalid waiver: 'subscriptionId' is given twice in one "
        "entry: ambiguous\n"
        "azure-contact-audit: :3:1: error: invalid waiver: reason is blank\n"
        "azure-contact-audit: :4:1: error: invalid waiver: ticket is blank\n"
        "azure-contact-audit: :5:1: error: invalid waiver: expires is not a date YYYY-MM-DD\n"
        "azure-contact-audit: :6:1: error: invalid waiver: expires is not a date YYYY-MM-DD\n"
        "azure-contact-audit: :7:1: error: invalid waiver: expires is not a date YYYY-MM-DD\n"
        "azure-contact-audit: :8:1: error: invalid waiver: expires is not a date YYYY-MM-DD\n"
        "azure-contact-audit: :9:1: error: invalid waiver: expires is not a date YYYY-MM-DD\n"
        "azure-contact-audit: :10:1: error: invalid waiver: an entry is not an object\n");
    assert_int_equal(ws.invalid, 10);
    assert_int_equal(ws.count, 1);
    assert_string_equal(ws.items[0].subscription, SUB_B);
    const struct waiver_refusal *x = &ws.refusals[1];
    assert_int_equal(x->entry, 2);
    assert_int_equal(x->line, 2);
    assert_int_equal(x->col, 1);
    assert_string_equal(x->why, "'subscriptionId' is given twice in one entry: ambiguous");
    assert_string_equal(ws.refusals[3].subscription, SUB_B);
    assert_string_equal(ws.refusals[3].ticket, "  ");
    assert_int_equal(ws.refusals[9].entry, 10);
    assert_null(ws.refusals[9].subscription);
    free(said);
    waivers_free(&ws);
}

/* A waiver that meets only PASS verdicts, or names a subscription that is
 * in no evidence, is said (a warning): the run's outcome does not change. */
static void test_waiver_warnings(void **state)
{
    (void)state;
    struct waiver_set ws = { 0 };
    char *said = NULL;
    assert_int_equal(
        load_said(&ws,
                  "[" ENTRY(SUB_A, "\"expires\":\"2099-01-01\"") ",\n" ENTRY(
                      "33333333-3333-4333-8333-333333333333", "\"expires\":\"2099-01-01\"") "]",
                  &said),
        0);
    free(said);
    /* SUB_A passes: one deliverable address */
    struct verdict_table *t = verdicts_alloc(&no_policy);
    add_contact(t, SUB_A, "soc@acme-corp.com");
    verdicts_seal(t, RULES_ALL);
    rules_decide(t, 1u << RULE_CONTACT_EMAIL);
    size_t len;
    FILE *mem = open_memstream(&said, &len);
    struct diag d;
    diag_init(&d, mem, 0);
    waivers_apply(&ws, t, 1u << RULE_CONTACT_EMAIL, &d);
    fclose(mem);
    char want[512];
    snprintf(want, sizeof want,
             "azure-contact-audit: %s:1:2: warning: waiver for " SUB_A
             " covers only PASS verdicts: nothing to waive\n"
             "azure-contact-audit: %s:2:1: warning: waiver for "
             "33333333-3333-4333-8333-333333333333: the subscription is in no evidence and no "
             "inventory\n",
             ws.path, ws.path);
    assert_string_equal(said, want);
    assert_int_equal(d.worst, DIAG_WARNING);
    assert_int_equal(result_of(t, SUB_A)->status, VERDICT_PASS);
    free(said);
    verdicts_free(t);
    waivers_free(&ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_waiver),      cmocka_unit_test(test_expired_waiver),
        cmocka_unit_test(test_waiver_on_error),   cmocka_unit_test(test_invalid_entries),
        cmocka_unit_test(test_many_waivers),      cmocka_unit_test(test_other_list_not_applied),
        cmocka_unit_test(test_not_a_waiver_file), cmocka_unit_test(test_refused_entries_kept),
        cmocka_unit_test(test_waiver_warnings),
    };
    return cmocka_run_group_tests_name("waivers", tests, NULL, NULL) == 0 ? 0 : 1;
}
