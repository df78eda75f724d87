/* SPDX-License-Identifier: ISC */
/* Unit tests for oscal.c: version 5 UUIDs (RFC 4122 vectors), and the
 * document of a small table parsed back with yajl's tree parser: the
 * OSCAL version, one finding per subscription and rule with the status
 * each verdict maps to, evidence bound to back-matter hashes, and the
 * same bytes on a second run. */
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "oscal.h"
#include "rules.h"
#include "view.h"

static const unsigned char dns_namespace[16] = { 0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                                 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 };
static const unsigned char url_namespace[16] = { 0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 };

static void test_uuid5_vectors(void **state)
{
    (void)state;
    char out[37];
    /* The values Python's uuid.uuid5 gives for the same names. */
    oscal_uuid5(dns_namespace, "python.org", 10, out);
    assert_string_equal(out, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    oscal_uuid5(url_namespace, "https://www.example.org/", 24, out);
    assert_string_equal(out, "84f5ec25-93a7-5271-bfbb-77d0e0a15d7b");
    /* version 5, RFC 4122 variant, whatever the name */
    for (int i = 0; i < 64; i++) {
        char name[8];
        snprintf(name, sizeof name, "n%d", i);
        oscal_uuid5(dns_namespace, name, strlen(name), out);
        assert_int_equal(out[14], '5');
        assert_non_null(strchr("89ab", out[19]));
    }
}

static const char evidence[] =
    "{\"value\":["
    "{\"id\":\"/subscriptions/a23a4fff-bd90-491f-b422-fd1e97e54303/providers/"
    "Microsoft.Security/securityContacts/default\",\"name\":\"default\","
    "\"properties\":{\"emails\":\"soc@acme-corp.com\"}},"
    "{\"id\":\"/subscriptions/70c60ca8-c9ff-4023-9986-d1b935125105/providers/"
    "Microsoft.Security/securityContacts/default\",\"name\":\"<b>[x](javascript:1)\","
    "\"properties\":{\"emails\":\"\"}}]}";
static const char denied[] =
    "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"no read\"}}";

static yajl_val get(yajl_val v, const char *const *path)
{
    yajl_val got = yajl_tree_get(v, (const char **)path, yajl_t_any);
    assert_non_null(got);
    return got;
}

static const char *get_string(yajl_val v, const char *const *path)
{
    const char *s = YAJL_GET_STRING(get(v, path));
    assert_non_null(s);
    return s ? s : "";
}

/* The finding for control "cis-azure-2.3.2" whose title names sub. */
static yajl_val finding_of(yajl_val findings, const char *sub)
{
    static const char *const title[] = { "title", NULL };
    for (size_t i = 0; i < YAJL_GET_ARRAY(findings)->len; i++) {
        yajl_val f = YAJL_GET_ARRAY(findings)->values[i];
        if (strstr(get_string(f, title), sub))
            return f;
    }
    fail_msg("no finding for %s", sub);
    return NULL;
}

static void test_document_parses_back(void **state)
{
    (void)state;
    const char *paths[] = { "e/contacts.json",
                            "e/0804510a-22a0-4975-b0f2-cefb1456f111/securityContacts.json" };
    const char *jsons[] = { evidence, denied };
    struct test_view t;
    test_view_load(&t, paths, jsons, 2, 1u << RULE_CONTACT_EMAIL, 0);
    char *doc = NULL, *again = NULL;
    size_t len = 0, len2 = 0;
    assert_int_equal(oscal_render(&t.v, &doc, &len), 0);
    assert_int_equal(oscal_render(&t.v, &again, &len2), 0);
    assert_int_equal(len, len2);
    assert_memory_equal(doc, again, len);
    char err[200];
    yajl_val root = yajl_tree_parse(doc, err, sizeof err);
    assert_non_null(root);
    static const char *const version[] = { "assessment-results", "metadata", "oscal-version",
                                           NULL };
    assert_string_equal(get_string(root, version), "1.0.6");
    static const char *const results[] = { "assessment-results", "results", NULL };
    yajl_val result = YAJL_GET_ARRAY(get(root, results))->values[0];
    static const char *const findings_path[] = { "findings", NULL };
    yajl_val findings = get(result, findings_path);
    assert_int_equal(YAJL_GET_ARRAY(findings)->len, 3);
    static const char *const state_path[] = { "target", "status", "state", NULL };
    static const char *const reason_path[] = { "target", "status", "reason", NULL };
    static const char *const target_path[] = { "target", "target-id", NULL };
    yajl_val pass = finding_of(findings, "a23a4fff-bd90-491f-b422-fd1e97e54303");
    assert_string_equal(get_string(pass, state_path), "satisfied");
    assert_string_equal(get_string(pass, target_path), "cis-azure-2.3.2");
    yajl_val fail = finding_of(findings, "70c60ca8-c9ff-4023-9986-d1b935125105");
    assert_string_equal(get_string(fail, state_path), "not-satisfied");
    assert_string_equal(get_string(fail, reason_path), "fail");
    yajl_val error = finding_of(findings, "0804510a-22a0-4975-b0f2-cefb1456f111");
    assert_string_equal(get_string(error, state_path), "not-satisfied");
    assert_string_equal(get_string(error, reason_path), "other");
    assert_non_null(strstr(doc, "\"name\": \"undecided\",\n"));
    /* every evidence file in the back-matter, with its SHA-256 */
    assert_non_null(strstr(doc, "\"algorithm\": \"SHA-256\",\n"));
    assert_non_null(strstr(doc,
                           "\"value\": \"" /* file 1's pinned digest */
                           "0000000000000000000000000000000000000000000000000000000000000001"));
    assert_non_null(strstr(doc, "\"href\": \"e/contacts.json\""));
    /* markup from the evidence cannot become a link or HTML */
    assert_null(strstr(doc, "<b>"));
    assert_null(strstr(doc, "[x](javascript"));
    yajl_tree_free(root);
    free(doc);
    free(again);
    test_view_free(&t);
}

static void test_href_is_a_relative_reference(void **state)
{
    (void)state;
    static const char evidence2[] = "{\"value\":[]}";
    const char *paths[] = { "c:/a b/%x?#.json", "//host/x.json" };
    const char *jsons[] = { evidence2, evidence2 };
    struct test_view t;
    test_view_load(&t, paths, jsons, 2, 1u << RULE_CONTACT_EMAIL, 0);
    char *doc = NULL;
    size_t len = 0;
    assert_int_equal(oscal_render(&t.v, &doc, &len), 0);
    assert_non_null(strstr(doc, "\"href\": \"c%3A/a%20b/%25x%3F%23.json\""));
    assert_non_null(strstr(doc, "\"href\": \"/%2Fhost/x.json\""));
    free(doc);
    test_view_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid5_vectors),
        cmocka_unit_test(test_document_parses_back),
        cmocka_unit_test(test_href_is_a_relative_reference),
    };
    return cmocka_run_group_tests_name("oscal", tests, NULL, NULL) == 0 ? 0 : 1;
}
