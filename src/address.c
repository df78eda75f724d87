/* SPDX-License-Identifier: ISC */
/* Addresses: judges, splits and masks the security-contact e-mail addresses that the audit reads from evidence. */
#include "config.h"

#include "address.h"

#include <stdint.h>
#include <string.h>

#include "xalloc.h"

/* Limits from RFC 5321 section 4.5.3.1: 64-byte local part, 254-byte path
 * content (the 256-byte path minus its angle brackets), 63-byte labels, and
 * 253 bytes for a domain written without a trailing dot. */
enum { LOCAL_MAX = 64, ADDRESS_MAX = 254, LABEL_MAX = 63, DOMAIN_MAX = 253 };

static const char WHY_NOT_ADDRESS[] = "not an email address";
static const char WHY_OUTSIDE_ORG[] = "outside --org-domain";
static const char WHY_NOT_DOMAIN[] = "not a domain name";
static const char WHY_PUBLIC_SUFFIX[] = "a public suffix (anyone can register a domain under it)";
static const char WHY_TENANT_SUFFIX[] =
    "shared by every Microsoft 365 tenant (name the tenant's own subdomain)";

/* The reasons src/address-names.txt refers to by key (rfc2606 is
 * WHY_RFC2606). A reserved name's reason starts with its RFC so the FAIL
 * line can shorten it to "RFC 2606". */
static const char WHY_RFC2606[] = "RFC 2606 reserved domain";
static const char WHY_RFC3172[] = "RFC 3172 infrastructure domain";
static const char WHY_RFC6762[] = "RFC 6762 special-use domain";
static const char WHY_RFC7686[] = "RFC 7686 onion-service domain";
static const char WHY_RFC8375[] = "RFC 8375 home-network domain";
static const char WHY_RFC8880[] = "RFC 8880 special-use domain";
static const char WHY_RFC9031[] = "RFC 9031 special-use domain";
static const char WHY_RFC9140[] = "RFC 9140 special-use domain";
static const char WHY_RFC9462[] = "RFC 9462 special-use domain";
static const char WHY_RFC9476[] = "RFC 9476 non-DNS domain";
static const char WHY_RFC9665[] = "RFC 9665 special-use domain";
static const char WHY_ICANN_INTERNAL[] = "ICANN-reserved private-use domain";
static const char WHY_SAMPLE[] = "Microsoft documentation sample domain";
static const char WHY_TEMPLATE[] = "placeholder domain from a template";
static const char WHY_PERSONAL[] = ADDRESS_WHY_PERSONAL;
static const char WHY_PLACEHOLDER[] = "placeholder mailbox name from a template";
static const char WHY_NOREPLY[] = "no-reply mailbox: nobody reads it";

enum address_kind {
    ADDRESS_KIND_RESERVED,
    ADDRESS_KIND_SAMPLE,
    ADDRESS_KIND_TEMPLATE,
    ADDRESS_KIND_PERSONAL,
    ADDRESS_KIND_PLACEHOLDER,
    ADDRESS_KIND_NOREPLY
};

/* What src/address-names.txt says of one entry (it also gives the entry's
 * source). */
struct address_about {
    enum address_kind kind;
    const char *why;
};

/* A table generated at build time by src/address-tables.awk: its names (lower
 * case) ordered by length, then by name; entry i's name is text + at[i];
 * first[L] is the index of the first entry of length L or more (L = 0 ..
 * longest + 1), so a lookup binary searches only the entries as long as the
 * text it looks for. about[i] is what the names table says of entry i (NULL
 * for the other lists).
 *
 * address-names.h: address_domain, address_mailbox and address_tenant (each
 * sample's first label). address-tlds.h: address_tlds, from IANA's list, and
 * ADDRESS_TLD_VERSION. address-suffixes.h: address_suffix_rules,
 * address_suffix_wildcards ("*.ck" as "ck") and address_suffix_exceptions
 * ("!www.ck" as "www.ck"), from the Public Suffix List. */
struct address_table {
    const char *text;
    const uint32_t *at;
    const unsigned short *first;
    size_t longest;
    const struct address_about *about;
};

#include "address-names.h"
#include "address-suffixes.h"
#include "address-tlds.h"

static const char WHY_UNKNOWN_TLD[] =
    "top-level domain not in the IANA root zone (version " ADDRESS_TLD_VERSION ")";

/* ASCII-only case folding: locale-aware tolower() could map bytes
 * differently under a non-C locale, and domains are ASCII here anyway. */
static unsigned char address_fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static int address_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (address_fold((unsigned char)a[i]) != address_fold((unsigned char)b[i]))
            return 0;
    }
    return 1;
}

/* Writes s[0..n) folded to lower case to out (n bytes, not terminated): the
 * tables are searched with exact comparisons. */
static void address_lower(const char *s, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (char)address_fold((unsigned char)s[i]);
}

/* True when d equals base or is a subdomain of it. The '.' test keeps the
 * match on a label boundary so "evilcontoso.com" is not under "contoso.com". */
static int address_domain_within(const char *d, size_t n, const char *base, size_t bn)
{
    if (bn == 0 || n < bn)
        return 0;
    if (n > bn && d[n - bn - 1] != '.')
        return 0;
    return address_ieq(d + n - bn, base, bn);
}

/* Same as address_domain_within for a NUL-terminated policy or table entry;
 * NULL entries never match so a sloppy argv array cannot crash us. */
static int address_domain_within_str(const char *d, size_t n, const char *base)
{
    return base != NULL && address_domain_within(d, n, base, strlen(base));
}

static int address_domain_within_any(const char *d, size_t n, const char *const *list, size_t count)
{
    if (list == NULL)
        return 0;
    for (size_t i = 0; i < count; i++) {
        if (address_domain_within_str(d, n, list[i]))
            return 1;
    }
    return 0;
}

static int address_is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int address_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* RFC 5322 atext: letters, digits and !#$%&'*+-/=?^_`{|}~, as bit sets of
 * bytes 0-63 and 64-127 (this runs for every byte of every local part). */
#define ADDRESS_BIT(c) (1ULL << ((c)&63))
#define ADDRESS_ATEXT_LOW                                                                          \
    (ADDRESS_BIT('!') | ADDRESS_BIT('#') | ADDRESS_BIT('$') | ADDRESS_BIT('%') |                   \
     ADDRESS_BIT('&') | ADDRESS_BIT('\'') | ADDRESS_BIT('*') | ADDRESS_BIT('+') |                  \
     ADDRESS_BIT('-') | ADDRESS_BIT('/') | ADDRESS_BIT('=') | ADDRESS_BIT('?') |                   \
     (0x3FFULL << ('0' & 63)))
#define ADDRESS_ATEXT_HIGH                                                                         \
    (ADDRESS_BIT('^') | ADDRESS_BIT('_') | ADDRESS_BIT('`') | ADDRESS_BIT('{') |                   \
     ADDRESS_BIT('|') | ADDRESS_BIT('}') | ADDRESS_BIT('~') | (0x3FFFFFFULL << ('A' & 63)) |       \
     (0x3FFFFFFULL << ('a' & 63)))

static int address_is_atext(unsigned char c)
{
    if (c < 64)
        return ADDRESS_ATEXT_LOW >> c & 1;
    return c < 128 && (ADDRESS_ATEXT_HIGH >> (c - 64) & 1);
}

static int address_is_ldh(unsigned char c)
{
    return address_is_alpha(c) || address_is_digit(c) || c == '-';
}

/* Control characters, space, DEL and every byte >= 0x80. Non-ASCII is
 * rejected outright: we do not accept SMTPUTF8 (RFC 6531) addresses, since a
 * security contact must be reachable by any mail system, and rejecting all
 * high bytes also keeps mis-decoded and homoglyph text out. */
static int address_is_bad_byte(unsigned char c)
{
    return c <= 0x20 || c >= 0x7f;
}

static size_t address_count_byte(const char *s, size_t n, char c)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == c)
            count++;
    }
    return count;
}

/* Returns NULL when the local part is a dot-atom we accept, else why not. */
static const char *address_check_local(const char *s, size_t n)
{
    if (n == 0)
        return "missing local part";
    if (n > LOCAL_MAX)
        return "local part longer than 64 characters";
    if (s[0] == '.' || s[n - 1] == '.')
        return "local part starts or ends with a dot";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            if (s[i - 1] == '.')
                return "consecutive dots in local part";
        } else if (!address_is_atext(c)) {
            return "invalid character in local part";
        }
    }
    return NULL;
}

/* Returns NULL when the label is 1..63 LDH characters not starting or ending
 * with a hyphen, else why not. */
static const char *address_check_label(const char *s, size_t n)
{
    if (n == 0)
        return "empty label in domain";
    if (n > LABEL_MAX)
        return "domain label longer than 63 characters";
    for (size_t i = 0; i < n; i++) {
        if (!address_is_ldh((unsigned char)s[i]))
            return "invalid character in domain";
    }
    if (s[0] == '-' || s[n - 1] == '-')
        return "domain label starts or ends with a hyphen";
    return NULL;
}

static int address_all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!address_is_digit((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

/* Returns NULL when the domain is one we accept, else why not. */
static const char *address_check_domain(const char *s, size_t n)
{
    if (n == 0)
        return "missing domain";
    if (n > DOMAIN_MAX)
        return "domain longer than 253 characters";
    /* A trailing dot is legal DNS but no mail form ever needs it, and it would
     * let "contoso.com." slip past the suffix tables. */
    if (s[n - 1] == '.')
        return "domain ends with a dot";
    size_t labels = 0;
    size_t start = 0;
    size_t top = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        const char *why = address_check_label(s + start, i - start);
        if (why != NULL)
            return why;
        labels++;
        top = start;
        start = i + 1;
    }
    if (labels < 2)
        return "domain needs at least two labels";
    /* An all-digit top-level label means a bare dotted IPv4 address, which
     * is not a mail domain. */
    if (address_all_digits(s + top, n - top))
        return "top-level domain is all digits";
    /* No top-level domain has one character; digits and hyphens stay
     * allowed elsewhere in it (IDN top-level domains are xn--...). */
    if (n - top < 2)
        return "top-level domain of one character";
    return NULL;
}

/* Returns NULL when addr is an addr-spec we accept, else why not. On success
 * *domain and *dlen describe the domain part. */
static const char *address_check_syntax(const char *s, size_t n, const char **domain, size_t *dlen)
{
    if (n == 0 || address_count_byte(s, n, '@') != 1)
        return WHY_NOT_ADDRESS;
    if (n > ADDRESS_MAX)
        return "address longer than 254 characters";
    const char *at = memchr(s, '@', n);
    size_t llen = (size_t)(at - s);
    const char *d = at + 1;
    size_t dl = n - llen - 1;
    /* Quoted local parts and IP literals are legal RFC 5322 but never occur in
     * real security contacts; they are how placeholders such as
     * "security team"@x or <validEmailAddress> sneak in, so reject them with a
     * clear reason instead of the generic character complaint. */
    if (llen > 0 && s[0] == '"')
        return "quoted local part not accepted";
    if (dl > 0 && d[0] == '[')
        return "IP-literal domain not accepted";
    for (size_t i = 0; i < n; i++) {
        if (address_is_bad_byte((unsigned char)s[i]))
            return "contains a space, control or non-ASCII character";
    }
    const char *why = address_check_local(s, llen);
    if (why == NULL)
        why = address_check_domain(d, dl);
    if (why == NULL) {
        *domain = d;
        *dlen = dl;
    }
    return why;
}

/* Whether t holds lower-case s[0..n); *index is then its entry. */
static int address_find(const struct address_table *t, const char *s, size_t n, size_t *index)
{
    if (n > t->longest)
        return 0;
    size_t lo = t->first[n], hi = t->first[n + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *name = t->text + t->at[mid];
        /* Names are short and most differ early: a loop beats memcmp here. */
        size_t i = 0;
        while (i < n && s[i] == name[i])
            i++;
        if (i == n) {
            *index = mid;
            return 1;
        }
        if ((unsigned char)s[i] > (unsigned char)name[i])
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int address_holds(const struct address_table *t, const char *s, size_t n)
{
    size_t i;
    return address_find(t, s, n, &i);
}

/* What the names table t says of lower-case s[0..n), or NULL. */
static const struct address_about *address_lookup(const struct address_table *t, const char *s,
                                                  size_t n)
{
    size_t i;
    return address_find(t, s, n, &i) ? &t->about[i] : NULL;
}

/* The most specific table entry lower-case d[0..n) lies within: the
 * domain itself, then each parent up to the top-level label. */
static const struct address_about *address_find_domain(const char *d, size_t n)
{
    for (size_t start = 0; start < n;) {
        const struct address_about *hit = address_lookup(&address_domain, d + start, n - start);
        if (hit != NULL)
            return hit;
        const char *dot = memchr(d + start, '.', n - start);
        if (dot == NULL)
            break;
        start = (size_t)(dot - d) + 1;
    }
    return NULL;
}

static int address_tld_known(const char *d, size_t n)
{
    const char *tld = d + n;
    while (tld > d && tld[-1] != '.')
        tld--;
    return address_holds(&address_tlds, tld, (size_t)(d + n - tld));
}

/* True for <sample>.onmicrosoft.com and its subdomains (lower-case d): the
 * label right before ".onmicrosoft.com" must be a sample's first label. */
static int address_is_sample_tenant(const char *d, size_t n)
{
    static const char suffix[] = ".onmicrosoft.com";
    size_t sl = sizeof(suffix) - 1;
    if (n <= sl || memcmp(d + n - sl, suffix, sl) != 0)
        return 0;
    size_t end = n - sl; /* index of the '.' before the suffix */
    size_t start = end;
    while (start > 0 && d[start - 1] != '.')
        start--;
    return address_holds(&address_tenant, d + start, end - start);
}

static int address_is_mailbox_separator(char c)
{
    return c == '.' || c == '-' || c == '_';
}

/* The mailbox entry the local part is, or NULL. The local part is read up
 * to its first '+' (a sub-address tag) and without separators, and a
 * noreply entry also matches its leading or trailing separated segments:
 * "no-reply+azure", "noreply-azure" and "azure.do-not-reply" are all
 * no-reply mailboxes, "noreplyazure" is not. */
static const struct address_about *address_find_mailbox(const char *s, size_t n)
{
    const char *plus = memchr(s, '+', n);
    if (plus != NULL)
        n = (size_t)(plus - s);
    char flat[LOCAL_MAX];
    size_t fn = 0;
    for (size_t i = 0; i < n; i++) {
        if (!address_is_mailbox_separator(s[i]))
            flat[fn++] = (char)address_fold((unsigned char)s[i]);
    }
    if (fn == 0)
        return NULL;
    const struct address_about *hit = address_lookup(&address_mailbox, flat, fn);
    if (hit != NULL)
        return hit;
    /* Leading segments: flat[0..k) at each separator from the left. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!address_is_mailbox_separator(s[i])) {
            k++;
        } else if (k > 0 && (hit = address_lookup(&address_mailbox, flat, k)) != NULL &&
                   hit->kind == ADDRESS_KIND_NOREPLY) {
            return hit;
        }
    }
    /* Trailing segments: flat[fn-k..fn) at each separator from the right. */
    k = 0;
    for (size_t i = n; i > 0; i--) {
        if (!address_is_mailbox_separator(s[i - 1])) {
            k++;
        } else if (k > 0 && (hit = address_lookup(&address_mailbox, flat + fn - k, k)) != NULL &&
                   hit->kind == ADDRESS_KIND_NOREPLY) {
            return hit;
        }
    }
    return NULL;
}

static enum address_verdict address_set(const char **why, const char *text, enum address_verdict v)
{
    if (why != NULL)
        *why = text;
    return v;
}

/* The domain checks that --allow-domain lifts, in address_judge's order, for
 * lower-case d. hit is address_find_domain's answer for d. */
static enum address_verdict address_judge_domain(const char *d, size_t n,
                                                 const struct address_about *hit, const char **why)
{
    if (hit != NULL && hit->kind == ADDRESS_KIND_RESERVED)
        return address_set(why, hit->why, ADDRESS_RESERVED);
    if (!address_tld_known(d, n))
        return address_set(why, WHY_UNKNOWN_TLD, ADDRESS_UNKNOWN_TLD);
    if ((hit != NULL && hit->kind == ADDRESS_KIND_SAMPLE) || address_is_sample_tenant(d, n))
        return address_set(why, WHY_SAMPLE, ADDRESS_SAMPLE_DOMAIN);
    if (hit != NULL && hit->kind == ADDRESS_KIND_TEMPLATE)
        return address_set(why, hit->why, ADDRESS_PLACEHOLDER);
    return address_set(why, "", ADDRESS_DELIVERABLE);
}

static int address_allowed(const char *d, size_t n, const struct address_policy *policy)
{
    return policy != NULL &&
           address_domain_within_any(d, n, policy->allow_domains, policy->n_allow);
}

enum address_verdict address_judge(const char *addr, size_t len,
                                   const struct address_policy *policy, const char **why)
{
    const char *d = NULL;
    size_t dn = 0;
    const char *reason = address_check_syntax(addr, len, &d, &dn);
    if (reason != NULL)
        return address_set(why, reason, ADDRESS_INVALID_SYNTAX);

    char low[DOMAIN_MAX];
    address_lower(d, dn, low);
    const struct address_about *hit = address_find_domain(low, dn);
    if (!address_allowed(d, dn, policy)) {
        enum address_verdict v = address_judge_domain(low, dn, hit, why);
        if (v != ADDRESS_DELIVERABLE)
            return v;
    }
    const struct address_about *mailbox = address_find_mailbox(addr, (size_t)(d - 1 - addr));
    if (mailbox != NULL)
        return address_set(why, mailbox->why,
                           mailbox->kind == ADDRESS_KIND_NOREPLY ? ADDRESS_NO_REPLY
                                                                 : ADDRESS_PLACEHOLDER);
    if (policy != NULL && policy->n_org > 0 &&
        !address_domain_within_any(d, dn, policy->org_domains, policy->n_org))
        return address_set(why, WHY_OUTSIDE_ORG, ADDRESS_OUTSIDE_ORG);
    if (hit != NULL && hit->kind == ADDRESS_KIND_PERSONAL)
        return address_set(why, hit->why, ADDRESS_DELIVERABLE);
    return address_set(why, "", ADDRESS_DELIVERABLE);
}

int address_is_personal(const char *addr, size_t len)
{
    const char *d = NULL;
    size_t dn = 0;
    if (address_check_syntax(addr, len, &d, &dn) != NULL)
        return 0;
    char low[DOMAIN_MAX];
    address_lower(d, dn, low);
    const struct address_about *hit = address_find_domain(low, dn);
    return hit != NULL && hit->kind == ADDRESS_KIND_PERSONAL;
}

const char *address_verdict_name(enum address_verdict v)
{
    switch (v) {
    case ADDRESS_DELIVERABLE: return "deliverable";
    case ADDRESS_INVALID_SYNTAX: return "invalid";
    case ADDRESS_RESERVED: return "reserved";
    case ADDRESS_SAMPLE_DOMAIN: return "sample";
    case ADDRESS_OUTSIDE_ORG: return "outside-org";
    case ADDRESS_PLACEHOLDER: return "placeholder";
    case ADDRESS_NO_REPLY: return "no-reply";
    case ADDRESS_UNKNOWN_TLD: return "unknown-tld";
    }
    return "unknown";
}

const char *address_tld_list_version(void)
{
    return ADDRESS_TLD_HEADER;
}

int address_domain_is_valid(const char *domain, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (address_is_bad_byte((unsigned char)domain[i]))
            return 0;
    }
    return address_check_domain(domain, len) == NULL;
}

/* Whether lower-case domain d[0..n) is a public suffix by a rule of the
 * Public Suffix List, ICANN part (co.uk) or private part (github.io,
 * azurewebsites.net): a rule names it, or a wildcard rule names its parent
 * ("*.ck" makes x.ck a suffix) and no exception rule ("!www.ck") names it.
 * Only listed rules count, not the list's implicit "*" that would make every
 * unknown top-level domain a suffix. */
static int address_is_public_suffix(const char *d, size_t n)
{
    if (address_holds(&address_suffix_rules, d, n))
        return 1;
    const char *dot = memchr(d, '.', n);
    if (dot == NULL)
        return 0;
    size_t parent = (size_t)(dot + 1 - d);
    return address_holds(&address_suffix_wildcards, d + parent, n - parent) &&
           !address_holds(&address_suffix_exceptions, d, n);
}

/* The syntax and public-suffix checks both arguments share; low receives
 * the domain in lower case. */
static const char *address_vet_domain(const char *domain, size_t n, char *low)
{
    if (!address_domain_is_valid(domain, n))
        return WHY_NOT_DOMAIN;
    address_lower(domain, n, low);
    if (address_is_public_suffix(low, n))
        return WHY_PUBLIC_SUFFIX;
    return NULL;
}

const char *address_vet_org_domain(const char *domain, const struct address_policy *policy)
{
    size_t n = strlen(domain);
    char low[DOMAIN_MAX] = { 0 }; /* an argument, not the per-address path */
    const char *why = address_vet_domain(domain, n, low);
    if (why != NULL)
        return why;
    static const char tenants[] = "onmicrosoft.com";
    if (n == sizeof(tenants) - 1 && address_ieq(domain, tenants, n))
        return WHY_TENANT_SUFFIX;
    if (!address_allowed(domain, n, policy) &&
        address_judge_domain(low, n, address_find_domain(low, n), &why) != ADDRESS_DELIVERABLE)
        return why;
    return NULL;
}

const char *address_vet_allow_domain(const char *domain)
{
    char low[DOMAIN_MAX];
    return address_vet_domain(domain, strlen(domain), low);
}

static int address_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int address_is_separator(char c)
{
    return c == ';' || c == ',';
}

/* Trims blanks from [start, end) and visits what is left, if anything.
 * Returns 1 when a piece was visited. */
static size_t address_visit_piece(const char *list, size_t start, size_t end,
                                  address_visit_fn visit, void *ctx)
{
    while (start < end && address_is_blank(list[start]))
        start++;
    while (end > start && address_is_blank(list[end - 1]))
        end--;
    if (start == end)
        return 0;
    if (visit != NULL)
        visit(list + start, end - start, start, ctx);
    return 1;
}

size_t address_split(const char *list, size_t len, address_visit_fn visit, void *ctx)
{
    size_t count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && !address_is_separator(list[i]))
            continue;
        count += address_visit_piece(list, start, i, visit, ctx);
        start = i + 1;
    }
    return count;
}

/* The bytes that can stand in a local part for masking: RFC 5322 atext and
 * '.', and any byte of a UTF-8 sequence (an internationalised local part is
 * personal data too). The quote that reasons put around values is not one. */
static int address_mask_local(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80 || (c != '\0' && strchr("!#$%&*+/=?^_`{|}~.-", c) != NULL);
}

static int address_mask_domain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
}

char *address_mask(const char *text, size_t len)
{
    size_t ats = 0;
    for (size_t i = 0; i < len; i++)
        ats += text[i] == '@';
    /* A mask is at most 3 bytes longer than what it replaces ("@" -> "***@"). */
    char *out = xmalloc(len + 3 * ats + 1);
    size_t o = 0, done = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '@')
            continue;
        size_t l = i, r = i + 1;
        while (l > done && address_mask_local((unsigned char)text[l - 1]))
            l--;
        while (r < len && address_mask_domain((unsigned char)text[r]))
            r++;
        while (r > i + 1 && (text[r - 1] == '.' || text[r - 1] == '-'))
            r--; /* the full stop ending a sentence */
        if (l == i && r == i + 1)
            continue; /* a lone '@' masks nothing */
        memcpy(out + o, text + done, l - done);
        o += l - done;
        /* The first character stays when it is ASCII: enough to tell two
         * masked addresses apart, too little to name anyone. */
        if (l < i && (unsigned char)text[l] < 0x80)
            out[o++] = text[l];
        memcpy(out + o, "***@", 4);
        o += 4;
        memcpy(out + o, text + i + 1, r - i - 1);
        o += r - i - 1;
        done = r;
        i = r - 1;
    }
    if (len > done) /* text may be NULL when len is 0 */
        memcpy(out + o, text + done, len - done);
    o += len - done;
    out[o] = '\0';
    return out;
}
