/* test_address: cmocka unit tests for the address module (judge, split, redact) used by the audit checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "address.h"

/* Macros rather than helper functions so a failure reports the caller's line.
 * sizeof - 1 keeps embedded NUL bytes in literals part of the input. */
#define JUDGE_N(s, n, pol, verdict, reason)                                                        \
    do {                                                                                           \
        const char *why_ = "unset";                                                                \
        enum address_verdict v_ = address_judge((s), (n), (pol), &why_);                           \
        assert_string_equal(address_verdict_name(v_), address_verdict_name(verdict));              \
        assert_int_equal(v_, (verdict));                                                           \
        assert_string_equal(why_, (reason));                                                       \
    } while (0)
#define JUDGE(lit, pol, verdict, reason) JUDGE_N((lit), sizeof(lit) - 1, (pol), (verdict), (reason))
#define OK(lit, pol) JUDGE((lit), (pol), ADDRESS_DELIVERABLE, "")
#define BAD(lit, reason) JUDGE((lit), NULL, ADDRESS_INVALID_SYNTAX, (reason))

static const char NOT_ADDR[] = "not an email address";
static const char R2606[] = "RFC 2606 reserved domain";
static const char R6762[] = "RFC 6762 special-use domain";
static const char SAMPLE[] = "Microsoft documentation sample domain";
static const char OUTSIDE[] = "outside --org-domain";
static const char BADBYTE[] = "contains a space, control or non-ASCII character";

/* Fills buf with n copies of c; returns buf + n for chaining. */
static char *fill(char *buf, char c, size_t n)
{
    memset(buf, c, n);
    return buf + n;
}

static char *put(char *buf, const char *s)
{
    size_t n = strlen(s);
    memcpy(buf, s, n);
    return buf + n;
}

/* ---- valid ---- */

static void test_valid_addresses(void **state)
{
    (void)state;
    OK("alice@acme-corp.com", NULL);
    OK("security+azure@acme.com", NULL);
    OK("soc.team@mail.eu.acme.com", NULL);
    OK("a1@x9.io", NULL);
    OK("x@a-b-c.co", NULL);
    OK("USER@ACME.COM", NULL);
    OK("a@1.com", NULL);
    OK("a@x.c0m", NULL);
    OK("a@xn--bcher-kva.de", NULL);
    OK("!#$%&'*+-/=?^_`{|}~@acme.com", NULL);
    OK("first.middle.last@acme.com", NULL);
}

/* ---- invalid syntax ---- */

static void test_not_an_address(void **state)
{
    (void)state;
    BAD("", NOT_ADDR);
    JUDGE_N(NULL, 0, NULL, ADDRESS_INVALID_SYNTAX, NOT_ADDR);
    BAD("security team", NOT_ADDR);
    BAD("<validEmailAddress>", NOT_ADDR);
    BAD("alice", NOT_ADDR);
    BAD("a@b@acme.com", NOT_ADDR);
    BAD("\"a@b\"@acme.com", NOT_ADDR);
}

static void test_missing_parts(void **state)
{
    (void)state;
    BAD("@contoso.com", "missing local part");
    BAD("admin@", "missing domain");
    BAD("@", "missing local part");
}

static void test_local_part_dots_and_chars(void **state)
{
    (void)state;
    BAD("a..b@x.com", "consecutive dots in local part");
    BAD(".a@x.com", "local part starts or ends with a dot");
    BAD("a.@x.com", "local part starts or ends with a dot");
    BAD(".@x.com", "local part starts or ends with a dot");
    BAD("<admin@acme.com>", "invalid character in local part");
    BAD("a(b)@acme.com", "invalid character in local part");
    BAD("a\\b@acme.com", "invalid character in local part");
}

static void test_quoted_and_ip_literal(void **state)
{
    (void)state;
    BAD("\"security team\"@acme.com", "quoted local part not accepted");
    BAD("\"sec\"@acme.com", "quoted local part not accepted");
    BAD("a@[192.0.2.1]", "IP-literal domain not accepted");
    BAD("a@[IPv6:2001:db8::1]", "IP-literal domain not accepted");
}

static void test_domain_syntax(void **state)
{
    (void)state;
    BAD("a@b", "domain needs at least two labels");
    BAD("a@localhost", "domain needs at least two labels");
    BAD("a@acme.com.", "domain ends with a dot");
    BAD("a@b.", "domain ends with a dot");
    BAD("a@acme..com", "empty label in domain");
    BAD("a@.acme.com", "empty label in domain");
    BAD("a@-acme.com", "domain label starts or ends with a hyphen");
    BAD("a@acme-.com", "domain label starts or ends with a hyphen");
    BAD("a@acme.-com", "domain label starts or ends with a hyphen");
    BAD("a@ac_me.com", "invalid character in domain");
    BAD("a@acme.com>", "invalid character in domain");
    BAD("a@1.2.3.4", "top-level domain is all digits");
    BAD("a@acme.123", "top-level domain is all digits");
    BAD("a@acme.c", "top-level domain of one character");
    OK("a@acme.xn--p1ai", NULL);
}

static void test_local_part_length(void **state)
{
    (void)state;
    char buf[128];
    char *end = put(fill(buf, 'l', 64), "@acme.com");
    JUDGE_N(buf, (size_t)(end - buf), NULL, ADDRESS_DELIVERABLE, "");
    end = put(fill(buf, 'l', 65), "@acme.com");
    JUDGE_N(buf, (size_t)(end - buf), NULL, ADDRESS_INVALID_SYNTAX,
            "local part longer than 64 characters");
}

/* 64-byte local part + '@' + 63.63.x.com domain, x chosen to hit total. */
static size_t build_long(char *buf, size_t total)
{
    char *p = fill(buf, 'l', 64);
    *p++ = '@';
    p = fill(p, 'a', 63);
    *p++ = '.';
    p = fill(p, 'b', 63);
    *p++ = '.';
    size_t used = (size_t)(p - buf) + 4; /* + ".com" */
    p = fill(p, 'c', total - used);
    p = put(p, ".com");
    return (size_t)(p - buf);
}

static void test_total_length(void **state)
{
    (void)state;
    char buf[300];
    size_t n = build_long(buf, 254);
    assert_int_equal(n, 254);
    JUDGE_N(buf, n, NULL, ADDRESS_DELIVERABLE, "");
    n = build_long(buf, 255);
    assert_int_equal(n, 255);
    JUDGE_N(buf, n, NULL, ADDRESS_INVALID_SYNTAX, "address longer than 254 characters");
}

static void test_label_length(void **state)
{
    (void)state;
    char buf[128];
    char *end = put(fill(put(buf, "a@"), 'd', 63), ".com");
    JUDGE_N(buf, (size_t)(end - buf), NULL, ADDRESS_DELIVERABLE, "");
    end = put(fill(put(buf, "a@"), 'd', 64), ".com");
    JUDGE_N(buf, (size_t)(end - buf), NULL, ADDRESS_INVALID_SYNTAX,
            "domain label longer than 63 characters");
    end = fill(put(buf, "a@acme."), 't', 64);
    JUDGE_N(buf, (size_t)(end - buf), NULL, ADDRESS_INVALID_SYNTAX,
            "domain label longer than 63 characters");
}

static void test_bad_bytes(void **state)
{
    (void)state;
    BAD("a b@acme.com", BADBYTE);
    BAD("a\tb@acme.com", BADBYTE);
    BAD("a\x01@acme.com", BADBYTE);
    BAD("a@acme.com\r", BADBYTE);
    BAD("a@acme.com\x7f", BADBYTE);
    BAD("jos\xc3\xa9@acme.com", BADBYTE);
    BAD("a@b\xc3\xbc"
        "cher.de",
        BADBYTE);
    BAD("a@acme.com\xff", BADBYTE);
}

/* strlen would stop at the NUL and wrongly see a valid address. */
static void test_embedded_nul(void **state)
{
    (void)state;
    BAD("a\0b@acme.com", BADBYTE);
    BAD("a@acme.com\0", BADBYTE);
    BAD("a@acme.com\0junk", BADBYTE);
    BAD("a@acme\0.com", BADBYTE);
}

/* ---- reserved ---- */

static void test_reserved(void **state)
{
    (void)state;
    JUDGE("a@example.com", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("a@example.net", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("a@example.org", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("a@mail.example.com", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("a@EXAMPLE.Org", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("a@acme.example", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("a@acme.test", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("a@acme.TEST", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("a@acme.invalid", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("a@acme.localhost", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("a@printer.local", NULL, ADDRESS_RESERVED, R6762);
    JUDGE("a@x.y.LOCAL", NULL, ADDRESS_RESERVED, R6762);
}

static void test_reserved_boundaries(void **state)
{
    (void)state;
    OK("a@myexample.com", NULL);
    OK("a@example.co", NULL);
    OK("a@example.com.au", NULL);
    OK("a@test.com", NULL);
    OK("a@acme.tests", NULL);
    OK("a@acme.locale", NULL);
    OK("a@local.acme.com", NULL);
}

/* ---- sample ---- */

static void test_sample_domains(void **state)
{
    (void)state;
    static const char *const samples[] = {
        "contoso.com",         "fabrikam.com",          "northwindtraders.com",
        "adventure-works.com", "wingtiptoys.com",       "tailspintoys.com",
        "woodgrovebank.com",   "litwareinc.com",        "proseware.com",
        "fourthcoffee.com",    "alpineskihouse.com",    "wideworldimporters.com",
        "treyresearch.net",    "lucernepublishing.com", "margiestravel.com",
        "contososuites.com",   "relecloud.com",
    };
    char buf[128];
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        char *end = put(put(buf, "sec@"), samples[i]);
        JUDGE_N(buf, (size_t)(end - buf), NULL, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
        end = put(put(buf, "sec@mail."), samples[i]);
        JUDGE_N(buf, (size_t)(end - buf), NULL, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
        /* Tenant form: first label of the entry + .onmicrosoft.com. */
        const char *dot = strchr(samples[i], '.');
        end = put(buf, "sec@");
        memcpy(end, samples[i], (size_t)(dot - samples[i]));
        end = put(end + (dot - samples[i]), ".onmicrosoft.com");
        JUDGE_N(buf, (size_t)(end - buf), NULL, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
    }
}

static void test_sample_variants(void **state)
{
    (void)state;
    JUDGE("a@CONTOSO.COM", NULL, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
    JUDGE("a@x.y.contoso.com", NULL, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
    JUDGE("a@Fabrikam.OnMicrosoft.com", NULL, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
    JUDGE("a@mail.contoso.onmicrosoft.com", NULL, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
}

static void test_sample_boundaries(void **state)
{
    (void)state;
    OK("a@evilcontoso.com", NULL);
    OK("a@contoso.co", NULL);
    OK("a@contoso.com.evil.net", NULL);
    OK("a@contoso-corp.com", NULL);
    OK("a@acme.onmicrosoft.com", NULL);
    OK("a@notcontoso.onmicrosoft.com", NULL);
    OK("a@contoso.acme.onmicrosoft.com", NULL);
    OK("a@onmicrosoft.com", NULL);
    OK("a@treyresearch.com", NULL);
}

/* ---- allow-list ---- */

static void test_allow_overrides_reserved_and_sample(void **state)
{
    (void)state;
    static const char *const allow[] = { "Contoso.com", "example.com", "test" };
    const struct address_policy pol = { allow, 3, NULL, 0 };
    OK("a@contoso.com", &pol);
    OK("a@mail.contoso.com", &pol);
    OK("a@example.com", &pol);
    OK("a@x.example.com", &pol);
    OK("a@acme.test", &pol);
    /* Not covered by the allow-list: still flagged. */
    JUDGE("a@example.net", &pol, ADDRESS_RESERVED, R2606);
    JUDGE("a@fabrikam.com", &pol, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
    JUDGE("a@evilcontoso.com", &pol, ADDRESS_DELIVERABLE, "");
    /* Allow-list never rescues bad syntax. */
    JUDGE("a..b@contoso.com", &pol, ADDRESS_INVALID_SYNTAX, "consecutive dots in local part");
}

static void test_allow_subdomain_does_not_cover_parent(void **state)
{
    (void)state;
    static const char *const allow[] = { NULL, "mail.contoso.com", "" };
    const struct address_policy pol = { allow, 3, NULL, 0 };
    OK("a@mail.contoso.com", &pol);
    OK("a@eu.mail.contoso.com", &pol);
    JUDGE("a@contoso.com", &pol, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
    JUDGE("a@fakemail.contoso.com", &pol, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
}

static void test_allow_does_not_widen_org(void **state)
{
    (void)state;
    static const char *const allow[] = { "contoso.com" };
    static const char *const org[] = { "acme.com" };
    const struct address_policy pol = { allow, 1, org, 1 };
    JUDGE("a@contoso.com", &pol, ADDRESS_OUTSIDE_ORG, OUTSIDE);
    OK("a@acme.com", &pol);

    static const char *const org2[] = { "contoso.com" };
    const struct address_policy pol2 = { allow, 1, org2, 1 };
    OK("a@mail.contoso.com", &pol2);
}

/* ---- org restriction ---- */

static void test_org_domains(void **state)
{
    (void)state;
    static const char *const org[] = { "acme.com", "Acme-Labs.io" };
    const struct address_policy pol = { NULL, 0, org, 2 };
    OK("a@acme.com", &pol);
    OK("a@ACME.COM", &pol);
    OK("a@eu.acme.com", &pol);
    OK("a@acme-labs.io", &pol);
    JUDGE("a@other.com", &pol, ADDRESS_OUTSIDE_ORG, OUTSIDE);
    JUDGE("a@evilacme.com", &pol, ADDRESS_OUTSIDE_ORG, OUTSIDE);
    JUDGE("a@acme.com.evil.net", &pol, ADDRESS_OUTSIDE_ORG, OUTSIDE);
    JUDGE("a@com", &pol, ADDRESS_INVALID_SYNTAX, "domain needs at least two labels");
    /* Reserved and sample are reported before the org restriction. */
    JUDGE("a@example.com", &pol, ADDRESS_RESERVED, R2606);
    JUDGE("a@contoso.com", &pol, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
}

static void test_org_parent_not_covered_by_subdomain(void **state)
{
    (void)state;
    static const char *const org[] = { "eu.acme.com" };
    const struct address_policy pol = { NULL, 0, org, 1 };
    OK("a@eu.acme.com", &pol);
    JUDGE("a@acme.com", &pol, ADDRESS_OUTSIDE_ORG, OUTSIDE);
    JUDGE("a@us.acme.com", &pol, ADDRESS_OUTSIDE_ORG, OUTSIDE);
}

static void test_empty_policy_restricts_nothing(void **state)
{
    (void)state;
    static const char *const org[] = { "acme.com" };
    const struct address_policy pol = { NULL, 0, org, 0 };
    OK("a@other.com", &pol);
    const char *why = "unset";
    assert_int_equal(address_judge("a@x.com", 7, &pol, NULL), ADDRESS_DELIVERABLE);
    assert_int_equal(address_judge("a@x.com", 7, NULL, &why), ADDRESS_DELIVERABLE);
    assert_string_equal(why, "");
}

/* ---- names and domain validation ---- */

static void test_verdict_names(void **state)
{
    (void)state;
    assert_string_equal(address_verdict_name(ADDRESS_DELIVERABLE), "deliverable");
    assert_string_equal(address_verdict_name(ADDRESS_INVALID_SYNTAX), "invalid");
    assert_string_equal(address_verdict_name(ADDRESS_RESERVED), "reserved");
    assert_string_equal(address_verdict_name(ADDRESS_SAMPLE_DOMAIN), "sample");
    assert_string_equal(address_verdict_name(ADDRESS_OUTSIDE_ORG), "outside-org");
    assert_string_equal(address_verdict_name((enum address_verdict)99), "unknown");
}

static void test_domain_is_valid(void **state)
{
    (void)state;
    assert_true(address_domain_is_valid("acme.com", 8));
    assert_true(address_domain_is_valid("eu.acme-corp.com", 16));
    assert_false(address_domain_is_valid("", 0));
    assert_false(address_domain_is_valid("com", 3));
    assert_false(address_domain_is_valid("acme.com.", 9));
    assert_false(address_domain_is_valid("@acme.com", 9));
    assert_false(address_domain_is_valid("acme.com\0", 9));
    assert_false(address_domain_is_valid("ac me.com", 9));
    char buf[300];
    char *p = buf;
    for (int i = 0; i < 4; i++) {
        p = fill(p, 'a', 62);
        *p++ = '.';
    }
    p = put(p, "com");
    assert_int_equal(p - buf, 255);
    assert_false(address_domain_is_valid(buf, 255));
    assert_true(address_domain_is_valid(buf + 2, 253));
}

/* ---- split ---- */

struct seen {
    size_t n;
    char text[8][64];
    size_t offset[8];
};

static void record(const char *piece, size_t len, size_t offset, void *ctx)
{
    struct seen *s = ctx;
    assert_true(s->n < 8);
    assert_true(len < sizeof(s->text[0]));
    memcpy(s->text[s->n], piece, len);
    s->text[s->n][len] = '\0';
    s->offset[s->n] = offset;
    s->n++;
}

#define SPLIT(lit, seen) address_split((lit), sizeof(lit) - 1, record, (seen))

static void test_split_simple(void **state)
{
    (void)state;
    struct seen s = { 0 };
    assert_int_equal(SPLIT("a@x.com;b@y.com", &s), 2);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.text[0], "a@x.com");
    assert_int_equal(s.offset[0], 0);
    assert_string_equal(s.text[1], "b@y.com");
    assert_int_equal(s.offset[1], 8);
}

static void test_split_blanks_and_commas(void **state)
{
    (void)state;
    struct seen s = { 0 };
    assert_int_equal(SPLIT(" a@x.com , b@y.com ;", &s), 2);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.text[0], "a@x.com");
    assert_int_equal(s.offset[0], 1);
    assert_string_equal(s.text[1], "b@y.com");
    assert_int_equal(s.offset[1], 11);
}

static void test_split_only_blanks(void **state)
{
    (void)state;
    struct seen s = { 0 };
    assert_int_equal(SPLIT("  ;  ", &s), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(SPLIT(",;,", &s), 0);
    assert_int_equal(SPLIT("", &s), 0);
    assert_int_equal(address_split(NULL, 0, record, &s), 0);
    assert_int_equal(s.n, 0);
}

static void test_split_crlf(void **state)
{
    (void)state;
    struct seen s = { 0 };
    assert_int_equal(SPLIT("\r\n\ta@x.com\r\n;\r\n b@y.com\r\n", &s), 2);
    assert_string_equal(s.text[0], "a@x.com");
    assert_int_equal(s.offset[0], 3);
    assert_string_equal(s.text[1], "b@y.com");
    assert_int_equal(s.offset[1], 16);
}

static void test_split_keeps_inner_content(void **state)
{
    (void)state;
    struct seen s = { 0 };
    /* Inner blanks and NUL bytes stay in the piece for address_judge to reject. */
    assert_int_equal(SPLIT("security team;a\0b@x.com", &s), 2);
    assert_string_equal(s.text[0], "security team");
    assert_int_equal(s.offset[0], 0);
    assert_memory_equal(s.text[1], "a\0b@x.com", 9);
    assert_int_equal(s.offset[1], 14);
}

static void test_split_single_and_null_visit(void **state)
{
    (void)state;
    struct seen s = { 0 };
    assert_int_equal(SPLIT("a@x.com", &s), 1);
    assert_string_equal(s.text[0], "a@x.com");
    assert_int_equal(s.offset[0], 0);
    assert_int_equal(address_split("a;b;;c", 6, NULL, NULL), 3);
}

/* ---- mask ---- */

/* address_mask() of text must give want. */
static void expect_mask(const char *text, size_t len, const char *want)
{
    char *got = address_mask(text, len);
    assert_string_equal(got, want);
    free(got);
}

static void test_mask_addresses(void **state)
{
    (void)state;
    expect_mask("john@acme-corp.com", 18, "j***@acme-corp.com");
    expect_mask("a@b.io", 6, "a***@b.io");
    expect_mask("@x.com", 6, "***@x.com");
    expect_mask("bob.jones@", 10, "b***@");
    expect_mask("a;b@x.io, c@y.io", 16, "a;b***@x.io, c***@y.io");
}

static void test_mask_in_text(void **state)
{
    (void)state;
    const char *t = "The client 'auditor@initech.io' has no access. Mail soc@acme.com.";
    expect_mask(t, strlen(t), "The client 'a***@initech.io' has no access. Mail s***@acme.com.");
    expect_mask("security team", 13, "security team");
    expect_mask("a @ b", 5, "a @ b");
    expect_mask("", 0, "");
    expect_mask(NULL, 0, "");
}

static void test_mask_utf8_local_part(void **state)
{
    (void)state;
    /* The local part goes whole, a non-ASCII first character too: what is
     * left is still valid UTF-8. */
    expect_mask("j\xc3\xb6rg@x.de", 10, "j***@x.de");
    expect_mask("\xc3\xb6rg@x.de", 9, "***@x.de");
    expect_mask("caf\xc3\xa9 a@b.io", 12, "caf\xc3\xa9 a***@b.io");
}

static void test_mask_several_ats(void **state)
{
    (void)state;
    expect_mask("a@b@c.com", 9, "a***@b***@c.com");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_addresses),
        cmocka_unit_test(test_not_an_address),
        cmocka_unit_test(test_missing_parts),
        cmocka_unit_test(test_local_part_dots_and_chars),
        cmocka_unit_test(test_quoted_and_ip_literal),
        cmocka_unit_test(test_domain_syntax),
        cmocka_unit_test(test_local_part_length),
        cmocka_unit_test(test_total_length),
        cmocka_unit_test(test_label_length),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_reserved),
        cmocka_unit_test(test_reserved_boundaries),
        cmocka_unit_test(test_sample_domains),
        cmocka_unit_test(test_sample_variants),
        cmocka_unit_test(test_sample_boundaries),
        cmocka_unit_test(test_allow_overrides_reserved_and_sample),
        cmocka_unit_test(test_allow_subdomain_does_not_cover_parent),
        cmocka_unit_test(test_allow_does_not_widen_org),
        cmocka_unit_test(test_org_domains),
        cmocka_unit_test(test_org_parent_not_covered_by_subdomain),
        cmocka_unit_test(test_empty_policy_restricts_nothing),
        cmocka_unit_test(test_verdict_names),
        cmocka_unit_test(test_domain_is_valid),
        cmocka_unit_test(test_split_simple),
        cmocka_unit_test(test_split_blanks_and_commas),
        cmocka_unit_test(test_split_only_blanks),
        cmocka_unit_test(test_split_crlf),
        cmocka_unit_test(test_split_keeps_inner_content),
        cmocka_unit_test(test_split_single_and_null_visit),
        cmocka_unit_test(test_mask_addresses),
        cmocka_unit_test(test_mask_in_text),
        cmocka_unit_test(test_mask_utf8_local_part),
        cmocka_unit_test(test_mask_several_ats),
    };
    return cmocka_run_group_tests_name("address", tests, NULL, NULL) == 0 ? 0 : 1;
}
