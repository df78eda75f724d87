/* Addresses: judges, splits and masks the security-contact e-mail addresses that the audit reads from evidence. */
#include "config.h"

#include "address.h"

#include <string.h>

#include "xalloc.h"

/* Limits from RFC 5321 section 4.5.3.1: 64-byte local part, 254-byte path
 * content (the 256-byte path minus its angle brackets), 63-byte labels, and
 * 253 bytes for a domain written without a trailing dot. */
enum { LOCAL_MAX = 64, ADDRESS_MAX = 254, LABEL_MAX = 63, DOMAIN_MAX = 253 };

static const char WHY_NOT_ADDRESS[] = "not an email address";
static const char WHY_RESERVED_2606[] = "RFC 2606 reserved domain";
static const char WHY_SPECIAL_6762[] = "RFC 6762 special-use domain";
static const char WHY_SAMPLE[] = "Microsoft documentation sample domain";
static const char WHY_OUTSIDE_ORG[] = "outside --org-domain";

/* Fictitious company names that Microsoft documentation, Learn samples and
 * Azure quickstarts use in example addresses. Tenants that copy a doc snippet
 * end up with contacts like security@contoso.com that nobody reads, so these
 * are reported separately from truly reserved names. The first label of each
 * entry also marks the "<name>.onmicrosoft.com" tenant domains of the same
 * samples. Keep this the only list of sample names. */
static const char *const sample_domains[] = {
    "contoso.com",      "fabrikam.com",          "northwindtraders.com", "adventure-works.com",
    "wingtiptoys.com",  "tailspintoys.com",      "woodgrovebank.com",    "litwareinc.com",
    "proseware.com",    "fourthcoffee.com",      "alpineskihouse.com",   "wideworldimporters.com",
    "treyresearch.net", "lucernepublishing.com", "margiestravel.com",    "contososuites.com",
    "relecloud.com",
};

/* RFC 2606 section 3: second-level names reserved for documentation. */
static const char *const reserved_2606_domains[] = {
    "example.com",
    "example.net",
    "example.org",
};

/* RFC 2606 section 2 reserved TLDs (RFC 6761 later gave them special-use
 * status too; we keep RFC 2606 in the explanation because it is the older,
 * better known reference). */
static const char *const reserved_2606_tlds[] = {
    "example",
    "test",
    "invalid",
    "localhost",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

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

/* RFC 5322 atext. */
static int address_is_atext(unsigned char c)
{
    return address_is_alpha(c) || address_is_digit(c) ||
           (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
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

/* Returns the reason when the domain is reserved, else NULL. */
static const char *address_reserved_why(const char *d, size_t n)
{
    if (address_domain_within_any(d, n, reserved_2606_domains, COUNT(reserved_2606_domains)))
        return WHY_RESERVED_2606;
    if (address_domain_within_any(d, n, reserved_2606_tlds, COUNT(reserved_2606_tlds)))
        return WHY_RESERVED_2606;
    /* .local is the RFC 6762 multicast-DNS domain: never routable mail. */
    if (address_domain_within_str(d, n, "local"))
        return WHY_SPECIAL_6762;
    return NULL;
}

static size_t address_first_label_len(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot != NULL ? (size_t)(dot - s) : strlen(s);
}

/* True for <sample>.onmicrosoft.com and its subdomains: the label right
 * before ".onmicrosoft.com" must equal the first label of a table entry. */
static int address_is_sample_tenant(const char *d, size_t n)
{
    static const char suffix[] = "onmicrosoft.com";
    size_t sl = sizeof(suffix) - 1;
    if (n <= sl + 1 || !address_domain_within(d, n, suffix, sl))
        return 0;
    size_t end = n - sl - 1; /* index of the '.' before the suffix */
    size_t start = end;
    while (start > 0 && d[start - 1] != '.')
        start--;
    for (size_t i = 0; i < COUNT(sample_domains); i++) {
        size_t fl = address_first_label_len(sample_domains[i]);
        if (fl == end - start && address_ieq(d + start, sample_domains[i], fl))
            return 1;
    }
    return 0;
}

static int address_is_sample(const char *d, size_t n)
{
    return address_domain_within_any(d, n, sample_domains, COUNT(sample_domains)) ||
           address_is_sample_tenant(d, n);
}

static enum address_verdict address_set(const char **why, const char *text, enum address_verdict v)
{
    if (why != NULL)
        *why = text;
    return v;
}

enum address_verdict address_judge(const char *addr, size_t len,
                                   const struct address_policy *policy, const char **why)
{
    const char *d = NULL;
    size_t dn = 0;
    const char *reason = address_check_syntax(addr, len, &d, &dn);
    if (reason != NULL)
        return address_set(why, reason, ADDRESS_INVALID_SYNTAX);

    /* The allow-list only vouches for reserved and sample names (e.g. a lab
     * tenant really using contoso.com); it never widens --org-domain. */
    int allowed =
        policy != NULL && address_domain_within_any(d, dn, policy->allow_domains, policy->n_allow);
    if (!allowed) {
        reason = address_reserved_why(d, dn);
        if (reason != NULL)
            return address_set(why, reason, ADDRESS_RESERVED);
        if (address_is_sample(d, dn))
            return address_set(why, WHY_SAMPLE, ADDRESS_SAMPLE_DOMAIN);
    }
    if (policy != NULL && policy->n_org > 0 &&
        !address_domain_within_any(d, dn, policy->org_domains, policy->n_org))
        return address_set(why, WHY_OUTSIDE_ORG, ADDRESS_OUTSIDE_ORG);
    return address_set(why, "", ADDRESS_DELIVERABLE);
}

const char *address_verdict_name(enum address_verdict v)
{
    switch (v) {
    case ADDRESS_DELIVERABLE: return "deliverable";
    case ADDRESS_INVALID_SYNTAX: return "invalid";
    case ADDRESS_RESERVED: return "reserved";
    case ADDRESS_SAMPLE_DOMAIN: return "sample";
    case ADDRESS_OUTSIDE_ORG: return "outside-org";
    }
    return "unknown";
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
    memcpy(out + o, text + done, len - done);
    o += len - done;
    out[o] = '\0';
    return out;
}
