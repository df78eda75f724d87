/* SPDX-License-Identifier: ISC */
/* Unit tests for guid.c: subscription ids from resource ids, members and paths. */
#include "util.h"

#include <string.h>

#include "guid.h"

static void test_parse_canonicalises(void **state)
{
    (void)state;
    guid_text g;
    const char *upper = "3FD65C5F-C586-49D2-ADB2-0B8DC425EAED";
    assert_int_equal(guid_parse(upper, strlen(upper), g), 1);
    assert_string_equal(g, "3fd65c5f-c586-49d2-adb2-0b8dc425eaed");
    const char *braces = "{3fd65c5f-c586-49d2-adb2-0b8dc425eaed}";
    assert_int_equal(guid_parse(braces, strlen(braces), g), 1);
    assert_int_equal(guid_parse("3fd65c5f-c586-49d2-adb2-0b8dc425eae", 35, g), 0);
    assert_int_equal(guid_parse("3fd65c5fxc586-49d2-adb2-0b8dc425eaed", 36, g), 0);
    assert_int_equal(guid_parse("3fd65c5f-c586-49d2-adb2-0b8dc425eaeg", 36, g), 0);
    /* every byte that is not a hex digit or a dash in its place, wherever it
     * stands: a fifth dash, G and g (one past f), NUL, a high byte */
    const char *good = "3fd65c5f-c586-49d2-adb2-0b8dc425eaed";
    const char others[] = { '-', 'g', 'G', '/', ':', '@', '`', '\0', (char)0xC3 };
    for (size_t i = 0; i < GUID_TEXT_LEN; i++) {
        for (size_t k = 0; k < sizeof others; k++) {
            char text[GUID_TEXT_LEN];
            memcpy(text, good, sizeof text);
            if (text[i] == '-' && others[k] == '-')
                continue;
            text[i] = others[k];
            assert_int_equal(guid_parse(text, sizeof text, g), 0);
        }
    }
}

static void test_resource_id_any_case(void **state)
{
    (void)state;
    guid_text g;
    const char *id = "/SUBSCRIPTIONS/20FF7FC3-E762-44DD-BD96-B71116DCDC23/providers/"
                     "Microsoft.Security/securityContacts/default";
    assert_int_equal(guid_from_resource_id(id, strlen(id), g), 1);
    assert_string_equal(g, "20ff7fc3-e762-44dd-bd96-b71116dcdc23");
    const char *bad = "/subscriptions/not-a-guid/providers/x";
    assert_int_equal(guid_from_resource_id(bad, strlen(bad), g), 0);
    const char *none = "/providers/Microsoft.Security/securityContacts/default";
    assert_int_equal(guid_from_resource_id(none, strlen(none), g), 0);
}

static void test_path_file_name_first(void **state)
{
    (void)state;
    guid_text g;
    assert_int_equal(
        guid_from_path(
            "a/11111111-1111-4111-8111-111111111111/x-22222222-2222-4222-8222-222222222222.json",
            g),
        1);
    assert_string_equal(g, "22222222-2222-4222-8222-222222222222");
    assert_int_equal(guid_from_path("a/11111111-1111-4111-8111-111111111111/contacts.json", g), 1);
    assert_string_equal(g, "11111111-1111-4111-8111-111111111111");
    /* within one component the last GUID wins */
    assert_int_equal(
        guid_from_path(
            "33333333-3333-4333-8333-333333333333_44444444-4444-4444-8444-444444444444.json", g),
        1);
    assert_string_equal(g, "44444444-4444-4444-8444-444444444444");
    assert_int_equal(guid_from_path("fixtures/shapes/empty.json", g), 0);
    /* part of a longer hex run is not a GUID */
    assert_int_equal(guid_from_path("a11111111-1111-4111-8111-111111111111.json", g), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_canonicalises),
        cmocka_unit_test(test_resource_id_any_case),
        cmocka_unit_test(test_path_file_name_first),
    };
    return cmocka_run_group_tests_name("guid", tests, NULL, NULL) == 0 ? 0 : 1;
}
