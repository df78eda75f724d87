/* SPDX-License-Identifier: ISC */
/* Unit tests for remediation.c: the fix that fits each reason, with the
 * subscription id filled in and the exact az syntax; no flag the current
 * CLI refuses; addresses kept, given or a placeholder; masking; and a
 * script in which evidence never leaves a comment or a quoted word. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include "remediation.h"
#include "rules.h"
#include "view.h"

#define SUB_A "a23a4fff-bd90-491f-b422-fd1e97e54303"
#define SUB_B "70c60ca8-c9ff-4023-9986-d1b935125105"
#define CONTACT_ID(sub)                                                                            \
    "/subscriptions/" sub "/providers/Microsoft.Security/securityContacts/default"

#define AAZ_ROLES "--notifications-by-role '{\"state\":\"On\",\"roles\":[\"Owner\"]}'"
#define AAZ_ALERTS(sev) "--alert-notifications '{\"state\":\"On\",\"minimalSeverity\":\"" sev "\"}'"
#define REST_URL(sub)                                                                              \
    "az rest --method put --url 'https://management.azure.com/subscriptions/" sub                  \
    "/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview'"
#define REST_BODY(emails, sev)                                                                     \
    "--body '{\"properties\":{\"emails\":\"" emails                                                \
    "\",\"isEnabled\":true,\"notificationsByRole\":"                                               \
    "{\"state\":\"On\",\"roles\":[\"Owner\"]},\"notificationsSources\":[{\"sourceType\":"          \
    "\"Alert\","                                                                                   \
    "\"minimalSeverity\":\"" sev "\"},{\"sourceType\":\"AttackPath\",\"minimalRiskLevel\":"        \
    "\"Critical\"}]}}'"

static void assert_no_refused_flag(const char *text)
{
    assert_null(strstr(text, "--email "));
    assert_null(strstr(text, "--email="));
    assert_null(strstr(text, "--alerts-admins"));
    assert_null(strstr(text, "--is-enabled"));
    assert_null(strstr(text, "2020-01-01-preview --body")); /* the 2023 body on the 2020 API */
}

static char *fix_text(const char *path, const char *json, unsigned rule, const char *sub,
                      const char *const *emails, size_t n_emails, int redact)
{
    struct test_view t;
    test_view_load1(&t, path, json, (1u << RULE_COUNT) - 1, redact);
    t.v.fix_emails = emails;
    t.v.n_fix_emails = n_emails;
    char *text = remediation_text(&t.v, test_view_find(&t, sub), rule);
    test_view_free(&t);
    if (text)
        assert_no_refused_flag(text);
    return text;
}

static void test_no_contact_gets_both_forms_with_a_placeholder(void **state)
{
    (void)state;
    char *text = fix_text("e/" SUB_A "/securityContacts.json", "{\"value\":[]}", RULE_CONTACT_EMAIL,
                          SUB_A, NULL, 0, 0);
    assert_string_equal(
        text,
        "how to fix: create the security contact 'default' with your security team's "
        "address (semicolon-separated when there are several)\n"
        "  az CLI (api-version 2020-01-01-preview; replaces the whole contact): az security "
        "contact create --subscription " SUB_A " -n default --emails "
        "'<SECURITY-CONTACT-ADDRESS>' " AAZ_ROLES " " AAZ_ALERTS(
            "High") "\n"
                    "  az rest (api-version 2023-12-01-preview; replaces the whole contact, sets "
                    "isEnabled): " REST_URL(SUB_A) " " REST_BODY("<SECURITY-CONTACT-ADDRESS>",
                                                                 "High") "\n");
    free(text);
}

static const char disabled[] = "{\"id\":\"" CONTACT_ID(
    SUB_A) "\",\"name\":\"default\",\"properties\":{"
           "\"emails\":\"soc@acme-corp.com;o'brien@acme-corp.com\",\"isEnabled\":false,"
           "\"notificationsByRole\":{\"state\":\"On\",\"roles\":[\"Owner\"]},"
           "\"notificationsSources\":[{\"sourceType\":\"Alert\",\"minimalSeverity\":\"Low\"}]}}";

static void test_disabled_contact_only_az_rest_keeps_addresses(void **state)
{
    (void)state;
    char *text = fix_text("e/c.json", disabled, RULE_CONTACT_EMAIL, SUB_A, NULL, 0, 0);
    assert_string_equal(
        text, "how to fix: switch the security contact back on (isEnabled=true): only az rest "
              "with api-version 2023-12-01-preview sets it\n"
              "  az rest (api-version 2023-12-01-preview; replaces the whole contact, sets "
              "isEnabled): " REST_URL(SUB_A) " " REST_BODY(
                  "soc@acme-corp.com;o'\\''brien@acme-corp.com", "Low") "\n");
    free(text);
}

static const char severity_off[] =
    "{\"id\":\"" CONTACT_ID(SUB_A) "\",\"name\":\"default\",\"properties\":{"
                                   "\"emails\":\"soc@acme-corp.com\",\"isEnabled\":true,"
                                   "\"notificationsByRole\":{\"state\":\"Off\",\"roles\":[]},"
                                   "\"alertNotifications\":{\"state\":\"Off\"}}}";

static void test_sibling_rules_get_their_own_advice(void **state)
{
    (void)state;
    const char *emails[] = { "secops@acme-corp.com" };
    char *alerts = fix_text("e/c.json", severity_off, RULE_ALERT_SEVERITY, SUB_A, emails, 1, 0);
    assert_non_null(strstr(alerts, "how to fix: turn alert e-mail notifications on with minimal "
                                   "severity High\n"));
    /* the contact keeps its address; --remediation-email adds the team's */
    assert_non_null(strstr(alerts, "--emails 'soc@acme-corp.com;secops@acme-corp.com' "));
    assert_non_null(strstr(alerts, AAZ_ALERTS("High")));
    char *owners = fix_text("e/c.json", severity_off, RULE_NOTIFY_OWNERS, SUB_A, NULL, 0, 0);
    assert_non_null(strstr(owners, "how to fix: turn e-mail notifications to subscription owners "
                                   "on (notificationsByRole: state On, role Owner)\n"));
    /* an address to keep: no placeholder needed */
    assert_null(strstr(owners, REMEDIATION_PLACEHOLDER));
    char *email = fix_text("e/c.json", severity_off, RULE_CONTACT_EMAIL, SUB_A, NULL, 0, 0);
    assert_null(email); /* it passes */
    free(alerts);
    free(owners);
}

static void test_errors_say_how_to_get_evidence(void **state)
{
    (void)state;
    char *denied = fix_text(
        "e/" SUB_B "/securityContacts.json",
        "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client has no access\"}}",
        RULE_CONTACT_EMAIL, SUB_B, NULL, 0, 0);
    assert_string_equal(denied,
                        "how to fix: re-export with a role that can read security contacts "
                        "(Security Reader)\n"
                        "  collect it with the collector: azure-contact-audit-collect -o DIR "
                        "--subscription " SUB_B "\n");
    char *other = fix_text("e/" SUB_B "/securityContacts.json",
                           "{\"error\":{\"code\":\"SomethingNew\",\"message\":\"x\"}}",
                           RULE_NOTIFY_OWNERS, SUB_B, NULL, 0, 0);
    assert_non_null(strstr(other, "how to fix: re-export this subscription: the API answered "
                                  "with an error instead of its contacts\n"));
    char *broken = fix_text("e/" SUB_B "/securityContacts.json",
                            "{\"value\":[{\"id\":", RULE_CONTACT_EMAIL, SUB_B, NULL, 0, 0);
    assert_non_null(strstr(broken, "how to fix: re-export this subscription: its evidence could "
                                   "not be read to the end\n"));
    free(denied);
    free(other);
    free(broken);
}

static void test_no_evidence_means_collect_it(void **state)
{
    (void)state;
    const char *paths[] = { "e/accounts.json", "e/" SUB_B "/securityContacts.json" };
    const char *jsons[] = { "[{\"id\":\"" SUB_A "\",\"name\":\"Prod\",\"state\":\"Enabled\","
                            "\"tenantId\":\"5c2a7e04-1b3f-4d8e-9a61-0f2b7c9d3e15\"}]",
                            "{\"value\":[]}" };
    struct test_view t;
    test_view_load(&t, paths, jsons, 2, 1u << RULE_CONTACT_EMAIL, 0);
    struct remediation fix = { 0 };
    remediation_get(&t.v, test_view_find(&t, SUB_A), RULE_CONTACT_EMAIL, &fix);
    assert_int_equal(fix.count, 2);
    assert_string_equal(fix.items[0].label,
                        "collect this subscription: the inventory lists it, no evidence names it");
    assert_null(fix.items[0].command);
    assert_string_equal(fix.items[1].command,
                        "azure-contact-audit-collect -o DIR --subscription " SUB_A);
    remediation_free(&fix);
    test_view_free(&t);
}

static void test_pass_has_no_fix(void **state)
{
    (void)state;
    struct test_view t;
    test_view_load1(
        &t, "e/c.json",
        "{\"id\":\"" CONTACT_ID(SUB_A) "\",\"properties\":{\"emails\":\"a@acme-corp.com\"}}",
        1u << RULE_CONTACT_EMAIL, 0);
    struct remediation fix = { 0 };
    remediation_get(&t.v, test_view_find(&t, SUB_A), RULE_CONTACT_EMAIL, &fix);
    assert_int_equal(fix.count, 0);
    assert_null(remediation_text(&t.v, test_view_find(&t, SUB_A), RULE_CONTACT_EMAIL));
    test_view_free(&t);
}

static void test_redact_hides_evidence_addresses_and_masks_given_ones(void **state)
{
    (void)state;
    const char *emails[] = { "secops@acme-corp.com" };
    char *text = fix_text("e/c.json", disabled, RULE_CONTACT_EMAIL, SUB_A, emails, 1, 1);
    assert_null(strstr(text, "soc@"));
    assert_null(strstr(text, "brien@"));
    assert_null(strstr(text, "secops@"));
    assert_non_null(strstr(text, "\"emails\":\"s***@acme-corp.com\""));
    free(text);
}

/* The script of one evidence file, every line checked: nothing from the
 * evidence starts a line of code. Caller frees. */
static char *script_of(const char *path, const char *json, unsigned rules)
{
    struct test_view t;
    test_view_load1(&t, path, json, rules, 0);
    char *doc = NULL;
    size_t len = 0;
    assert_int_equal(remediation_render(&t.v, &doc, &len), 0);
    const char *stray = test_script_stray_line(doc, &len);
    if (stray)
        fail_msg("unexpected script line: %.*s", (int)len, stray);
    test_view_free(&t);
    return doc;
}

static void test_script_keeps_evidence_in_comments_and_quotes(void **state)
{
    (void)state;
    static const char hostile[] = "{\"value\":[{\"id\":\"" CONTACT_ID(
        SUB_A) "\",\"name\":\"x\\nrm -rf / #\","
               "\"properties\":{\"emails\":\"'; touch pwned; '\\r\\nreboot\"}},"
               "{\"id\":\"" CONTACT_ID(
                   SUB_A) "\",\"name\":\"y\\u2028$(id)\","
                          "\"properties\":{\"emails\":\"a$HOME`id`{x}@acme-corp."
                          "com\",\"isEnabled\":false}}]}";
    char *doc = script_of("e/x\nnew line.json", hostile, (1u << RULE_COUNT) - 1);
    /* the switched-off contact's address is kept: no placeholder needed */
    assert_null(strstr(doc, "ADDRESSES="));
    /* the evidence's deliverable address, kept, with $ and ` as JSON escapes */
    assert_non_null(strstr(doc, "\"emails\":\"a\\u0024HOME\\u0060id\\u0060{x}@acme-corp.com\""));
    assert_non_null(strstr(doc, "# evidence: e/x\\nnew line.json:1:"));
    free(doc);
}

static void test_script_with_nothing_to_fix(void **state)
{
    (void)state;
    char *doc = script_of(
        "e/c.json",
        "{\"id\":\"" CONTACT_ID(SUB_A) "\",\"properties\":{\"emails\":\"a@acme-corp.com\"}}",
        1u << RULE_CONTACT_EMAIL);
    assert_null(strstr(doc, "ADDRESSES"));
    assert_null(strstr(doc, "az rest"));
    assert_non_null(strstr(doc, "\n# Nothing to change: no subscription FAILs a selected rule.\n"));
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_contact_gets_both_forms_with_a_placeholder),
        cmocka_unit_test(test_disabled_contact_only_az_rest_keeps_addresses),
        cmocka_unit_test(test_sibling_rules_get_their_own_advice),
        cmocka_unit_test(test_errors_say_how_to_get_evidence),
        cmocka_unit_test(test_no_evidence_means_collect_it),
        cmocka_unit_test(test_pass_has_no_fix),
        cmocka_unit_test(test_redact_hides_evidence_addresses_and_masks_given_ones),
        cmocka_unit_test(test_script_keeps_evidence_in_comments_and_quotes),
        cmocka_unit_test(test_script_with_nothing_to_fix),
    };
    return cmocka_run_group_tests_name("remediation", tests, NULL, NULL) == 0 ? 0 : 1;
}
