/* SPDX-License-Identifier: ISC */
/* Unit tests for the rows of the HTML report's long tables (html.c): they
 * are written in blocks, every other block on a second thread, and the
 * page must be the same bytes for every block size, with the thread and
 * without it, with every row in table order. */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "rules.h"
#include "view.h"
#include "xalloc.h"

#define N_SUBS 61

/* One REST list of N_SUBS contacts: most pass, every third fails (empty,
 * a reserved domain), every fifth has markup and quotes in its contact's
 * name, and the passing ones an address with markup. */
static char *evidence(void)
{
    struct xbuf b = { 0 };
    xbuf_add(&b, "{\"value\":[");
    for (unsigned i = 0; i < N_SUBS; i++) {
        char item[512];
        const char *emails = i % 3 == 1   ? ""
                             : i % 3 == 2 ? "soc@example.com"
                                          : "soc@acme-corp.com;x<b>&amp;@acme-corp.com";
        snprintf(item, sizeof item,
                 "%s{\"id\":\"/subscriptions/%08x-0000-4000-8000-%012x/providers/"
                 "Microsoft.Security/securityContacts/default\",\"name\":\"%s\","
                 "\"properties\":{\"emails\":\"%s\",\"alertNotifications\":{\"state\":\"On\","
                 "\"minimalSeverity\":\"High\"}}}",
                 i ? "," : "", (i + 1) * 2654435761u, i + 1,
                 i % 5 ? "default" : "<i>\\\"default\\\"</i>", emails);
        xbuf_add(&b, item);
    }
    xbuf_add(&b, "]}");
    return xbuf_finish(&b);
}

static size_t count(const char *page, const char *what)
{
    size_t n = 0;
    for (const char *p = page; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

static void test_every_block_size_writes_the_same_page(void **state)
{
    (void)state;
    char *json = evidence();
    struct test_view t;
    test_view_load1(&t, "e/contacts.json", json, 1u << RULE_CONTACT_EMAIL, 0);
    const size_t *tally = t.outcome.counts[RULE_CONTACT_EMAIL];
    assert_int_equal(tally[VERDICT_PASS], 21);
    assert_int_equal(tally[VERDICT_FAIL], 40);
    char *one = NULL;
    size_t one_len = 0;
    assert_int_equal(html_render_blocks(&t.v, SIZE_MAX, &one, &one_len), 0);
    /* every row is there once, in table order, and the evidence escaped */
    assert_int_equal(count(one, "<tbody class=\"finding "), 40);
    assert_int_equal(count(one, "<tr id=\"sub-"), 21);
    assert_null(strstr(one, "<i>"));
    assert_non_null(strstr(one, "&lt;i&gt;"));
    /* the findings, then the passes, each in table order */
    const char *prev[2] = { one, strstr(one, "<section id=\"passes\"") };
    assert_non_null(prev[1]);
    for (size_t i = 0; i < verdicts_count(t.table); i++) {
        const struct verdict_subscription *s = verdicts_get(t.table, i);
        int pass = verdicts_result(t.table, s, RULE_CONTACT_EMAIL)->status == VERDICT_PASS;
        char id[64];
        snprintf(id, sizeof id, "id=\"sub-%s\"", s->id);
        const char *at = strstr(one, id);
        assert_non_null(at);
        assert_true(at > prev[pass]);
        assert_true(pass || at < prev[1]);
        prev[pass] = at;
    }
    static const size_t blocks[] = { 1, 2, 3, 7, 30, 60, 61, 2048 };
    for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++) {
        char *page = NULL;
        size_t len = 0;
        assert_int_equal(html_render_blocks(&t.v, blocks[k], &page, &len), 0);
        assert_int_equal(len, one_len);
        assert_memory_equal(page, one, len);
        free(page);
    }
    char *page = NULL;
    size_t len = 0;
    assert_int_equal(html_render(&t.v, &page, &len), 0);
    assert_int_equal(len, one_len);
    assert_memory_equal(page, one, len);
    free(page);
    free(one);
    test_view_free(&t);
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_block_size_writes_the_same_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
