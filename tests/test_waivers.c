/* Unit tests for waivers.c: waiver files written to a temporary folder,
 * loaded, and applied to a verdict table built by hand; the status, reason
 * and use counts are checked for each case. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
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
        struct contact_record r;
        memset(&r, 0, sizeof r);
        r.file = &file0;
        r.has_subscription = 1;
        strcpy(r.subscription, subs[i]);
        r.name = "default";
        r.name_len = 7;
        r.emails = "";
        r.emails_kind = CONTACT_EMAILS_STRING;
        r.emails_member = "emails";
        r.pos.line = r.pos.col = 1;
        r.api = CONTACT_API_2020;
        verdicts_add_record(t, 0, &r);
    }
    verdicts_seal(t, RULE_COUNT);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_waiver),    cmocka_unit_test(test_expired_waiver),
        cmocka_unit_test(test_waiver_on_error), cmocka_unit_test(test_invalid_entries),
        cmocka_unit_test(test_many_waivers),
    };
    return cmocka_run_group_tests_name("waivers", tests, NULL, NULL) == 0 ? 0 : 1;
}
