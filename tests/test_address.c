/* SPDX-License-Identifier: ISC */
/* test_address: cmocka unit tests for the address module (judge, split, redact) used by the audit checks. */
#include "util.h"

#include <stdio.h>
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
/* Judges before + name + after for each name of the array list. */
#define JUDGE_EACH(before, list, after, verdict, reason)                                           \
    for (size_t i_ = 0; i_ < sizeof(list) / sizeof((list)[0]); i_++) {                             \
        char b_[256];                                                                              \
        int n_ = snprintf(b_, sizeof b_, "%s%s%s", (before), (list)[i_], (after));                 \
        assert_true(n_ > 0 && (size_t)n_ < sizeof b_);                                             \
        JUDGE_N(b_, (size_t)n_, NULL, (verdict), (reason));                                        \
    }

static const char NOT_ADDR[] = "not an email address";
static const char R2606[] = "RFC 2606 reserved domain";
static const char R6762[] = "RFC 6762 special-use domain";
static const char SAMPLE[] = "Microsoft documentation sample domain";
static const char OUTSIDE[] = "outside --org-domain";
static const char BADBYTE[] = "contains a space, control or non-ASCII character";
static const char R3172[] = "RFC 3172 infrastructure domain";
static const char R7686[] = "RFC 7686 onion-service domain";
static const char R8375[] = "RFC 8375 home-network domain";
static const char R9476[] = "RFC 9476 non-DNS domain";
static const char INTERNAL[] = "ICANN-reserved private-use domain";
static const char TEMPLATE[] = "placeholder domain from a template";
static const char MAILBOX[] = "placeholder mailbox name from a template";
static const char NOREPLY[] = "no-reply mailbox: nobody reads it";
static const char PERSONAL[] = "personal mail provider: not an address the organisation controls";
static const char PUBLIC_SUFFIX[] = "a public suffix (anyone can register a domain under it)";
static const char NOT_DOMAIN[] = "not a domain name";

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

static const char *tld_why(void)
{
    static char why[128];
    const char *v = address_tld_list_version();
    char number[16];
    assert_int_equal(sscanf(v, "Version %15[0-9], Last Updated ", number), 1);
    snprintf(why, sizeof why, "top-level domain not in the IANA root zone (version %s)", number);
    return why;
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
    OK("a@x.co", NULL);
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
    OK("a@test.co", NULL);
    /* Not .test or .local: no top-level domain at all. */
    JUDGE("a@acme.tests", NULL, ADDRESS_UNKNOWN_TLD, tld_why());
    JUDGE("a@acme.locale", NULL, ADDRESS_UNKNOWN_TLD, tld_why());
    OK("a@local.acme.com", NULL);
}

/* ---- sample ---- */

static void test_sample_domains(void **state)
{
    (void)state;
    static const char *const samples[] = {
        "contoso.com",
        "fabrikam.com",
        "northwindtraders.com",
        "adventure-works.com",
        "wingtiptoys.com",
        "tailspintoys.com",
        "woodgrovebank.com",
        "litwareinc.com",
        "proseware.com",
        "fourthcoffee.com",
        "alpineskihouse.com",
        "wideworldimporters.com",
        "treyresearch.net",
        "lucernepublishing.com",
        "margiestravel.com",
        "contososuites.com",
        "relecloud.com",
        "adatum.com",
        "tailwindtraders.com",
        "cohovineyard.com",
        "cohowinery.com",
        "humongousinsurance.com",
        "lamnahealthcare.com",
        "blueyonderairlines.com",
        "consolidatedmessenger.com",
        "graphicdesigninstitute.com",
        "nodpublishers.com",
        "southridgevideo.com",
        "thephone-company.com",
        "worldwideimporters.com",
        "cpandl.com",
        "fineartschool.net",
        "bellowscollege.com",
        "vanarsdelltd.com",
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

/* ---- special-use names beyond RFC 2606 and RFC 6762 ---- */

static void test_reserved_special_use(void **state)
{
    (void)state;
    JUDGE("a@duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion", NULL,
          ADDRESS_RESERVED, R7686);
    JUDGE("a@x.ONION", NULL, ADDRESS_RESERVED, R7686);
    JUDGE("a@router.home.arpa", NULL, ADDRESS_RESERVED, R8375);
    JUDGE("a@printer.alt", NULL, ADDRESS_RESERVED, R9476);
    JUDGE("a@corp.internal", NULL, ADDRESS_RESERVED, INTERNAL);
    JUDGE("a@mail.corp.Internal", NULL, ADDRESS_RESERVED, INTERNAL);
    JUDGE("a@x.ipv4only.arpa", NULL, ADDRESS_RESERVED, "RFC 8880 special-use domain");
    JUDGE("a@x.6tisch.arpa", NULL, ADDRESS_RESERVED, "RFC 9031 special-use domain");
    JUDGE("a@eap-noob.arpa", NULL, ADDRESS_RESERVED, "RFC 9140 special-use domain");
    JUDGE("a@_dns.resolver.arpa", NULL, ADDRESS_INVALID_SYNTAX, "invalid character in domain");
    JUDGE("a@dns.resolver.arpa", NULL, ADDRESS_RESERVED, "RFC 9462 special-use domain");
    JUDGE("a@printer.service.arpa", NULL, ADDRESS_RESERVED, "RFC 9665 special-use domain");
    /* The rest of .arpa: eap.arpa, the reverse-mapping zones, uri.arpa. */
    JUDGE("a@eap.arpa", NULL, ADDRESS_RESERVED, R3172);
    JUDGE("a@1.10.in-addr.arpa", NULL, ADDRESS_RESERVED, R3172);
    JUDGE("a@b.e.f.ip6.arpa", NULL, ADDRESS_RESERVED, R3172);
    JUDGE("a@iana.arpa", NULL, ADDRESS_RESERVED, R3172);
}

static void test_reserved_special_use_boundaries(void **state)
{
    (void)state;
    OK("a@onion.com", NULL);
    OK("a@onion.acme.com", NULL);
    OK("a@internal.acme.com", NULL);
    OK("a@acme-internal.com", NULL);
    OK("a@alt.acme.com", NULL);
    OK("a@home.arpa.acme.com", NULL);
    OK("a@arpa.acme.com", NULL);
    OK("a@acme.arpanet.com", NULL);
}

/* ---- top-level domains not in the root zone ---- */

static void test_unknown_tld(void **state)
{
    (void)state;
    const char *why = tld_why();
    JUDGE("security@kestrelbank.con", NULL, ADDRESS_UNKNOWN_TLD, why);
    JUDGE("security@KestrelBank.CON", NULL, ADDRESS_UNKNOWN_TLD, why);
    JUDGE("a@x.c0m", NULL, ADDRESS_UNKNOWN_TLD, why);
    JUDGE("a@corp.lan", NULL, ADDRESS_UNKNOWN_TLD, why);
    JUDGE("a@acme.corp", NULL, ADDRESS_UNKNOWN_TLD, why);
    JUDGE("a@acme.mail", NULL, ADDRESS_UNKNOWN_TLD, why);
    JUDGE("a@acme.xn--zz", NULL, ADDRESS_UNKNOWN_TLD, why);
    /* One letter more or less than a real one. */
    JUDGE("a@acme.comm", NULL, ADDRESS_UNKNOWN_TLD, why);
    JUDGE("a@acme.zwx", NULL, ADDRESS_UNKNOWN_TLD, why);
    /* The first, the last and the longest of the list, and an IDN one. */
    OK("a@acme.aaa", NULL);
    OK("a@acme.zw", NULL);
    OK("a@acme.XN--VERMGENSBERATUNG-PWB", NULL);
    OK("a@acme.xn--p1ai", NULL);
    OK("a@acme.museum", NULL);
    OK("a@acme.CoM", NULL);
}

static void test_tld_list_version(void **state)
{
    (void)state;
    const char *v = address_tld_list_version();
    assert_int_equal(strncmp(v, "Version ", 8), 0);
    assert_non_null(strstr(v, ", Last Updated "));
    assert_int_equal(v[strlen(v) - 4], ' ');
    assert_string_equal(v + strlen(v) - 3, "UTC");
}

/* ---- templates' placeholders ---- */

static void test_placeholder_addresses(void **state)
{
    (void)state;
    /* A template domain decides before the mailbox name. */
    JUDGE("test@test.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("email@domain.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("user@domain.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("user@company.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("name@company.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("your.email@company.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("yourname@yourcompany.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("security@yourcompany.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("security@YourDomain.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("security@mail.mydomain.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("changeme@changeme.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    /* A placeholder mailbox at a real domain. */
    JUDGE("xxx@xxx.com", NULL, ADDRESS_PLACEHOLDER, MAILBOX);
    JUDGE("your.email@kestrelbank.com", NULL, ADDRESS_PLACEHOLDER, MAILBOX);
    JUDGE("Your_Email@kestrelbank.com", NULL, ADDRESS_PLACEHOLDER, MAILBOX);
    JUDGE("your-email+azure@kestrelbank.com", NULL, ADDRESS_PLACEHOLDER, MAILBOX);
    JUDGE("CHANGE-ME@kestrelbank.com", NULL, ADDRESS_PLACEHOLDER, MAILBOX);
    JUDGE("firstname.lastname@kestrelbank.com", NULL, ADDRESS_PLACEHOLDER, MAILBOX);
    JUDGE("first.last@kestrelbank.com", NULL, ADDRESS_PLACEHOLDER, MAILBOX);
    JUDGE("XXXX@kestrelbank.com", NULL, ADDRESS_PLACEHOLDER, MAILBOX);
}

static void test_placeholder_boundaries(void **state)
{
    (void)state;
    OK("yourname2@kestrelbank.com", NULL);
    OK("xxxy@kestrelbank.com", NULL);
    OK("xx@kestrelbank.com", NULL);
    OK("changeme.security@kestrelbank.com", NULL);
    OK("security@notyourdomain.com", NULL);
    OK("security@yourdomain.com.au", NULL);
    OK("security@domain.co", NULL);
    OK("security@testcompany.com", NULL);
    OK("user@kestrelbank.com", NULL);
    OK("test@kestrelbank.com", NULL);
    OK("-@kestrelbank.com", NULL);
}

static void test_allow_lifts_template_not_mailbox(void **state)
{
    (void)state;
    static const char *const allow[] = { "yourcompany.com", "test.com" };
    const struct address_policy pol = { allow, 2, NULL, 0 };
    OK("security@yourcompany.com", &pol);
    OK("test@test.com", &pol);
    JUDGE("changeme@yourcompany.com", &pol, ADDRESS_PLACEHOLDER, MAILBOX);
    JUDGE("noreply@test.com", &pol, ADDRESS_NO_REPLY, NOREPLY);
    JUDGE("security@company.com", &pol, ADDRESS_PLACEHOLDER, TEMPLATE);
}

/* ---- no-reply mailboxes ---- */

static void test_noreply(void **state)
{
    (void)state;
    static const char *const locals[] = {
        "noreply",           "no-reply",           "NoReply",
        "no_reply",          "no.reply",           "donotreply",
        "do-not-reply",      "Do.Not.Reply",       "dont-reply",
        "no-response",       "do-not-respond",     "noreply+azure",
        "no-reply+x.y",      "noreply-azure",      "no-reply.alerts",
        "azure-noreply",     "azure.do-not-reply", "mail_no_reply",
        "eu.alerts.noreply",
    };
    JUDGE_EACH("", locals, "@kestrelbank.com", ADDRESS_NO_REPLY, NOREPLY);
}

static void test_noreply_boundaries(void **state)
{
    (void)state;
    OK("noreplyazure@kestrelbank.com", NULL);
    OK("azurenoreply@kestrelbank.com", NULL);
    OK("alerts-noreply-eu@kestrelbank.com", NULL);
    OK("reply@kestrelbank.com", NULL);
    OK("no@kestrelbank.com", NULL);
    OK("reply-to@kestrelbank.com", NULL);
    OK("norep@kestrelbank.com", NULL);
    OK("azure+noreply@kestrelbank.com", NULL);
    OK("security@noreply.kestrelbank.com", NULL);
}

static void test_noreply_not_lifted_by_allow(void **state)
{
    (void)state;
    static const char *const allow[] = { "contoso.com" };
    const struct address_policy pol = { allow, 1, NULL, 0 };
    JUDGE("no-reply@contoso.com", &pol, ADDRESS_NO_REPLY, NOREPLY);
    /* Without the allow-list the sample domain is reported first. */
    JUDGE("no-reply@contoso.com", NULL, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
}

/* ---- personal mail providers ---- */

static void test_personal(void **state)
{
    (void)state;
    static const char *const domains[] = {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com",  "msn.com",
        "yahoo.com", "icloud.com",     "me.com",      "aol.com",     "proton.me", "protonmail.com",
        "gmx.com",   "gmx.de",         "gmx.net",     "web.de",      "mail.com",  "email.com",
        "yandex.ru", "mail.ru",        "qq.com",      "163.com",     "zoho.com",  "hotmail.co.uk",
    };
    JUDGE_EACH("jane.doe@", domains, "", ADDRESS_DELIVERABLE, PERSONAL);
    for (size_t i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
        char b[128];
        int n = snprintf(b, sizeof b, "jane.doe@%s", domains[i]);
        assert_true(address_is_personal(b, (size_t)n));
    }
    JUDGE("Jane@GMAIL.COM", NULL, ADDRESS_DELIVERABLE, PERSONAL);
    assert_true(address_is_personal("Jane@GMAIL.COM", 14));
    assert_true(address_is_personal("a@mail.gmail.com", 16));
    assert_false(address_is_personal("a@notgmail.com", 14));
    assert_false(address_is_personal("a@gmail.com.evil.net", 20));
    assert_false(address_is_personal("a@kestrelbank.com", 17));
    assert_false(address_is_personal("a b@gmail.com", 13));
    assert_false(address_is_personal("", 0));
    OK("a@notgmail.com", NULL);
    OK("a@gmail.co", NULL);
}

static void test_personal_and_org(void **state)
{
    (void)state;
    static const char *const org[] = { "kestrelbank.com" };
    const struct address_policy pol = { NULL, 0, org, 1 };
    JUDGE("jane@gmail.com", &pol, ADDRESS_OUTSIDE_ORG, OUTSIDE);
    static const char *const org2[] = { "gmail.com" };
    const struct address_policy pol2 = { NULL, 0, org2, 1 };
    JUDGE("jane@gmail.com", &pol2, ADDRESS_DELIVERABLE, PERSONAL);
    /* A no-reply mailbox at a personal provider is still no-reply. */
    JUDGE("noreply@gmail.com", NULL, ADDRESS_NO_REPLY, NOREPLY);
}

/* ---- which check decides ---- */

static void test_check_order(void **state)
{
    (void)state;
    JUDGE("noreply@example.com", NULL, ADDRESS_RESERVED, R2606);
    JUDGE("changeme@kestrelbank.con", NULL, ADDRESS_UNKNOWN_TLD, tld_why());
    JUDGE("noreply@contoso.com", NULL, ADDRESS_SAMPLE_DOMAIN, SAMPLE);
    JUDGE("noreply@yourcompany.com", NULL, ADDRESS_PLACEHOLDER, TEMPLATE);
    JUDGE("yourname@x.example", NULL, ADDRESS_RESERVED, R2606);
    static const char *const org[] = { "kestrelbank.com" };
    const struct address_policy pol = { NULL, 0, org, 1 };
    JUDGE("noreply@other.com", &pol, ADDRESS_NO_REPLY, NOREPLY);
    JUDGE("changeme@other.com", &pol, ADDRESS_PLACEHOLDER, MAILBOX);
    JUDGE("security@yourcompany.com", &pol, ADDRESS_PLACEHOLDER, TEMPLATE);
}

static void test_allow_lifts_reserved_and_unknown_tld(void **state)
{
    (void)state;
    static const char *const allow[] = { "corp.lan", "corp.internal", "x.onion" };
    const struct address_policy pol = { allow, 3, NULL, 0 };
    OK("a@corp.lan", &pol);
    OK("a@mail.corp.lan", &pol);
    OK("a@corp.internal", &pol);
    OK("a@x.onion", &pol);
    JUDGE("a@other.lan", &pol, ADDRESS_UNKNOWN_TLD, tld_why());
    JUDGE("a@other.internal", &pol, ADDRESS_RESERVED, INTERNAL);
}

/* ---- every entry of the data files works ---- */

static const char *srcdir(void)
{
    const char *s = getenv("srcdir");
    return s != NULL && *s != '\0' ? s : ".";
}

static FILE *open_source(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", srcdir(), rel);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        fail_msg("cannot open %s", path);
    return fp;
}

/* Judges the address before + name + after. */
static enum address_verdict judge_built(const char *before, const char *name, const char *after,
                                        const struct address_policy *pol, const char **why)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s%s%s", before, name, after);
    assert_true(n > 0 && (size_t)n < sizeof buf);
    return address_judge(buf, (size_t)n, pol, why);
}

static void check_domain_entry(const char *kind, const char *name)
{
    const char *const allow[] = { name };
    const struct address_policy pol = { allow, 1, NULL, 0 };
    const char *why = "unset";
    enum address_verdict want = ADDRESS_DELIVERABLE;
    if (strcmp(kind, "reserved") == 0)
        want = ADDRESS_RESERVED;
    else if (strcmp(kind, "sample") == 0)
        want = ADDRESS_SAMPLE_DOMAIN;
    else if (strcmp(kind, "template") == 0)
        want = ADDRESS_PLACEHOLDER;
    else
        assert_string_equal(kind, "personal");
    for (int sub = 0; sub < 2; sub++) {
        /* A single-label name (test, onion) is only ever a parent. */
        const char *before = sub ? "soc@mail." : strchr(name, '.') ? "soc@" : "soc@kestrel.";
        assert_string_equal(address_verdict_name(judge_built(before, name, "", NULL, &why)),
                            address_verdict_name(want));
        if (want == ADDRESS_DELIVERABLE) {
            assert_string_equal(why, PERSONAL);
        } else {
            assert_true(why[0] != '\0');
            if (want == ADDRESS_RESERVED)
                assert_true(strncmp(why, "RFC ", 4) == 0 || strncmp(why, "ICANN", 5) == 0);
            /* An --allow-domain entry lifts every domain entry but a personal one. */
            assert_int_equal(judge_built(before, name, "", &pol, &why), ADDRESS_DELIVERABLE);
            assert_string_equal(why, "");
        }
    }
    if (want == ADDRESS_SAMPLE_DOMAIN) {
        char label[128];
        assert_int_equal(sscanf(name, "%127[^.]", label), 1);
        assert_int_equal(judge_built("soc@", label, ".onmicrosoft.com", NULL, &why),
                         ADDRESS_SAMPLE_DOMAIN);
    }
}

static void check_mailbox_entry(const char *kind, const char *name)
{
    const char *why = "unset";
    enum address_verdict want =
        strcmp(kind, "noreply") == 0 ? ADDRESS_NO_REPLY : ADDRESS_PLACEHOLDER;
    assert_true(want == ADDRESS_NO_REPLY || strcmp(kind, "placeholder") == 0);
    assert_int_equal(judge_built("", name, "@kestrelbank.com", NULL, &why), want);
    assert_string_equal(why, want == ADDRESS_NO_REPLY ? NOREPLY : MAILBOX);
    assert_int_equal(judge_built("", name, "+tag@kestrelbank.com", NULL, &why), want);
}

static void test_every_name_entry(void **state)
{
    (void)state;
    FILE *fp = open_source("src/address-names.txt");
    char line[512];
    unsigned counts[2] = { 0, 0 };
    while (fgets(line, sizeof line, fp) != NULL) {
        char kind[32], name[256];
        if (line[0] == '#' || sscanf(line, "%31s %255s", kind, name) != 2)
            continue;
        int domain = strcmp(kind, "placeholder") != 0 && strcmp(kind, "noreply") != 0;
        if (domain)
            check_domain_entry(kind, name);
        else
            check_mailbox_entry(kind, name);
        counts[domain]++;
    }
    fclose(fp);
    /* The file holds what this test was written against, at least. */
    assert_true(counts[1] >= 130);
    assert_true(counts[0] >= 15);
}

/* Every top-level domain of IANA's list is known, and the list embedded is
 * the one in the source tree. */
static void test_every_tld(void **state)
{
    (void)state;
    FILE *fp = open_source("src/tlds-alpha-by-domain.txt");
    char line[256];
    assert_non_null(fgets(line, sizeof line, fp));
    line[strcspn(line, "\n")] = '\0';
    assert_string_equal(line + 2, address_tld_list_version());
    unsigned n = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        const char *why = "unset";
        enum address_verdict v = judge_built("soc@kestrelbank.", line, "", NULL, &why);
        if (strcmp(line, "ARPA") == 0)
            assert_int_equal(v, ADDRESS_RESERVED);
        else
            assert_string_equal(address_verdict_name(v), "deliverable");
        n++;
    }
    fclose(fp);
    assert_true(n > 1000);
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
    assert_string_equal(address_verdict_name(ADDRESS_PLACEHOLDER), "placeholder");
    assert_string_equal(address_verdict_name(ADDRESS_NO_REPLY), "no-reply");
    assert_string_equal(address_verdict_name(ADDRESS_UNKNOWN_TLD), "unknown-tld");
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

/* ---- --org-domain and --allow-domain arguments ---- */

static void test_vet_org_domain(void **state)
{
    (void)state;
    assert_null(address_vet_org_domain("kestrelbank.com", NULL));
    assert_null(address_vet_org_domain("KestrelBank.CO.UK", NULL));
    assert_null(address_vet_org_domain("eu.kestrelbank.com", NULL));
    assert_null(address_vet_org_domain("kestrel.onmicrosoft.com", NULL));
    assert_null(address_vet_org_domain("gmail.com", NULL));
    assert_string_equal(address_vet_org_domain("co.uk", NULL), PUBLIC_SUFFIX);
    assert_string_equal(address_vet_org_domain("CO.UK", NULL), PUBLIC_SUFFIX);
    assert_string_equal(address_vet_org_domain("com.au", NULL), PUBLIC_SUFFIX);
    assert_string_equal(address_vet_org_domain("github.io", NULL), PUBLIC_SUFFIX);
    assert_string_equal(address_vet_org_domain("azurewebsites.net", NULL), PUBLIC_SUFFIX);
    assert_string_equal(address_vet_org_domain("com", NULL), NOT_DOMAIN);
    assert_string_equal(address_vet_org_domain("", NULL), NOT_DOMAIN);
    assert_string_equal(address_vet_org_domain("not a domain", NULL), NOT_DOMAIN);
    assert_string_equal(address_vet_org_domain("kestrelbank.com.", NULL), NOT_DOMAIN);
    assert_string_equal(address_vet_org_domain("onmicrosoft.com", NULL),
                        "shared by every Microsoft 365 tenant (name the tenant's own subdomain)");
    assert_string_equal(address_vet_org_domain("example.com", NULL), R2606);
    assert_string_equal(address_vet_org_domain("corp.test", NULL), R2606);
    assert_string_equal(address_vet_org_domain("corp.internal", NULL), INTERNAL);
    assert_string_equal(address_vet_org_domain("kestrelbank.con", NULL), tld_why());
    assert_string_equal(address_vet_org_domain("contoso.com", NULL), SAMPLE);
    assert_string_equal(address_vet_org_domain("contoso.onmicrosoft.com", NULL), SAMPLE);
    assert_string_equal(address_vet_org_domain("yourcompany.com", NULL), TEMPLATE);
}

static void test_vet_org_domain_allowed(void **state)
{
    (void)state;
    static const char *const allow[] = { "contoso.com", "corp.lan", "example.com" };
    const struct address_policy pol = { allow, 3, NULL, 0 };
    assert_null(address_vet_org_domain("contoso.com", &pol));
    assert_null(address_vet_org_domain("eu.contoso.com", &pol));
    assert_null(address_vet_org_domain("corp.lan", &pol));
    assert_null(address_vet_org_domain("example.com", &pol));
    assert_string_equal(address_vet_org_domain("fabrikam.com", &pol), SAMPLE);
    /* The allow-list lifts the table, not the public suffix check. */
    static const char *const allow2[] = { "co.uk" };
    const struct address_policy pol2 = { allow2, 1, NULL, 0 };
    assert_string_equal(address_vet_org_domain("co.uk", &pol2), PUBLIC_SUFFIX);
}

static void test_vet_allow_domain(void **state)
{
    (void)state;
    assert_null(address_vet_allow_domain("contoso.com"));
    assert_null(address_vet_allow_domain("example.com"));
    assert_null(address_vet_allow_domain("corp.lan"));
    assert_null(address_vet_allow_domain("yourcompany.com"));
    assert_null(address_vet_allow_domain("corp.internal"));
    assert_string_equal(address_vet_allow_domain("co.uk"), PUBLIC_SUFFIX);
    assert_string_equal(address_vet_allow_domain("blogspot.com"), PUBLIC_SUFFIX);
    assert_string_equal(address_vet_allow_domain("com"), NOT_DOMAIN);
    assert_string_equal(address_vet_allow_domain("x y.com"), NOT_DOMAIN);
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
        cmocka_unit_test(test_reserved_special_use),
        cmocka_unit_test(test_reserved_special_use_boundaries),
        cmocka_unit_test(test_unknown_tld),
        cmocka_unit_test(test_tld_list_version),
        cmocka_unit_test(test_placeholder_addresses),
        cmocka_unit_test(test_placeholder_boundaries),
        cmocka_unit_test(test_allow_lifts_template_not_mailbox),
        cmocka_unit_test(test_noreply),
        cmocka_unit_test(test_noreply_boundaries),
        cmocka_unit_test(test_noreply_not_lifted_by_allow),
        cmocka_unit_test(test_personal),
        cmocka_unit_test(test_personal_and_org),
        cmocka_unit_test(test_check_order),
        cmocka_unit_test(test_allow_lifts_reserved_and_unknown_tld),
        cmocka_unit_test(test_every_name_entry),
        cmocka_unit_test(test_every_tld),
        cmocka_unit_test(test_allow_overrides_reserved_and_sample),
        cmocka_unit_test(test_allow_subdomain_does_not_cover_parent),
        cmocka_unit_test(test_allow_does_not_widen_org),
        cmocka_unit_test(test_org_domains),
        cmocka_unit_test(test_org_parent_not_covered_by_subdomain),
        cmocka_unit_test(test_empty_policy_restricts_nothing),
        cmocka_unit_test(test_verdict_names),
        cmocka_unit_test(test_domain_is_valid),
        cmocka_unit_test(test_vet_org_domain),
        cmocka_unit_test(test_vet_org_domain_allowed),
        cmocka_unit_test(test_vet_allow_domain),
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
