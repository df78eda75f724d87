/* SPDX-License-Identifier: ISC */
/* address: judges, splits and redacts the security-contact e-mail addresses that the audit checks read from Azure evidence. */
#ifndef AZURE_CONTACT_AUDIT_ADDRESS_H
#define AZURE_CONTACT_AUDIT_ADDRESS_H

#include <stddef.h>

/* Every input here is a borrowed (pointer, length) slice: it need not be
 * NUL-terminated and may contain NUL bytes, because evidence comes straight
 * out of JSON strings that may carry "\u0000". Nothing is allocated and no
 * pointer is kept after a call returns. */

enum address_verdict {
    ADDRESS_DELIVERABLE,    /* syntactically valid, real-looking domain, allowed by policy */
    ADDRESS_INVALID_SYNTAX, /* not an RFC 5321/5322 addr-spec we accept */
    ADDRESS_RESERVED, /* IANA special-use or otherwise reserved name (RFC 2606, 6761, 7686, ...) */
    ADDRESS_SAMPLE_DOMAIN, /* documentation sample domain copied from Microsoft docs */
    ADDRESS_OUTSIDE_ORG,   /* valid but not in any --org-domain */
    ADDRESS_PLACEHOLDER,   /* a template's placeholder domain or mailbox name */
    ADDRESS_NO_REPLY,      /* a no-reply mailbox: nobody reads it */
    ADDRESS_UNKNOWN_TLD    /* top-level domain not in the IANA root zone */
};

/* Operator policy. The arrays and their strings are borrowed from the caller
 * (normally argv) and must outlive each address_judge call; they are ordinary
 * NUL-terminated strings, compared case-insensitively. NULL or empty entries
 * are ignored. Entries are used as written (no trimming, no trailing dot), so
 * the caller should check them with address_vet_org_domain and
 * address_vet_allow_domain first. */
struct address_policy {
    const char *const *allow_domains;
    size_t n_allow; /* --allow-domain D: reserved/sample/template D (and subdomains) count */
    const char *const *org_domains;
    size_t n_org; /* --org-domain D: if n_org>0 only D and its subdomains count */
};

/* Judges one address (already trimmed). addr is borrowed; addr may be NULL
 * only when len is 0. *why (if why is not NULL) is set to a static string
 * the caller must not free, e.g. "not an email address", "local part longer
 * than 64 characters", "RFC 2606 reserved domain", "RFC 7686 onion-service
 * domain", "Microsoft documentation sample domain", "placeholder domain from
 * a template", "placeholder mailbox name from a template", "no-reply
 * mailbox: nobody reads it", "top-level domain not in the IANA root zone
 * (version 2026011900)", "outside --org-domain". For a deliverable address
 * it is "", or ADDRESS_WHY_PERSONAL when the address is at a personal mail
 * provider: such an address counts, but the organisation does not own it
 * (see address_is_personal).
 *
 * The checks run in this order and the first that applies decides: syntax;
 * reserved name; unknown top-level domain; Microsoft sample domain; template
 * domain; placeholder mailbox; no-reply mailbox; --org-domain. An
 * --allow-domain entry covering the domain lifts the reserved, unknown
 * top-level domain, sample and template checks (a lab tenant really using
 * contoso.com, a private .corp zone); it never lifts a placeholder or
 * no-reply mailbox and never widens --org-domain. policy may be NULL (no
 * allow-list, no org restriction). The names checked are listed, each with
 * its source, in src/address-names.txt; the top-level domains are IANA's
 * list in src/tlds-alpha-by-domain.txt. */
enum address_verdict address_judge(const char *addr, size_t len,
                                   const struct address_policy *policy, const char **why);

/* The why text address_judge gives a deliverable address at a personal mail
 * provider (gmail.com, outlook.com, ...). */
#define ADDRESS_WHY_PERSONAL "personal mail provider: not an address the organisation controls"

/* Nonzero when addr (borrowed, as for address_judge) is a syntactically valid
 * address at a personal mail provider listed in src/address-names.txt. Such
 * an address still counts as deliverable; rules use this to warn. */
int address_is_personal(const char *addr, size_t len);

/* Short static label for a verdict: "deliverable", "invalid", "reserved",
 * "sample", "outside-org", "placeholder", "no-reply", "unknown-tld"
 * ("unknown" for out-of-range values). */
const char *address_verdict_name(enum address_verdict v);

/* The version line of the embedded IANA top-level domain list, without its
 * leading "# ", e.g. "Version 2026011900, Last Updated Mon Jan 19 07:07:02
 * 2026 UTC". Static. */
const char *address_tld_list_version(void);

/* Nonzero when domain[0..len) is a domain address_judge would accept
 * syntactically (the same LDH rules, at most 253 bytes, no trailing dot). */
int address_domain_is_valid(const char *domain, size_t len);

/* Checks an --org-domain argument (NUL-terminated, borrowed). Returns NULL
 * when it can name the organisation's mail domain, else a static reason for
 * the usage error: "not a domain name"; "a public suffix (anyone can register
 * a domain under it)" (co.uk, github.io: the Public Suffix List built into
 * libpsl); "shared by every Microsoft 365 tenant (name the tenant's own
 * subdomain)" (onmicrosoft.com); or the reason address_judge gives an address
 * there (reserved, unknown top-level domain, Microsoft sample or template
 * domain). An allow-list entry in policy (borrowed, may be NULL) covering the
 * domain lifts the reserved, top-level, sample and template reasons, as it
 * does for addresses. A personal mail provider is accepted. */
const char *address_vet_org_domain(const char *domain, const struct address_policy *policy);

/* Checks an --allow-domain argument (NUL-terminated, borrowed). Returns NULL
 * when it is acceptable, else a static reason: "not a domain name", or "a
 * public suffix (anyone can register a domain under it)" (lifting the checks
 * for every domain under co.uk would lift them for strangers). Reserved,
 * sample and template domains are what --allow-domain is for. */
const char *address_vet_allow_domain(const char *domain);

/* Called once per piece found by address_split. piece is borrowed from the
 * list passed to address_split and is valid only as long as that list is;
 * offset is the byte offset of piece[0] within the list. */
typedef void (*address_visit_fn)(const char *piece, size_t len, size_t offset, void *ctx);

/* Splits an emails list on ';' and ',', trims blanks (space, tab, CR, LF)
 * from each piece, skips empty pieces, and calls visit(piece, piece_len,
 * offset_of_piece_in_list, ctx) for each. visit may be NULL to just count.
 * list is borrowed; it may be NULL only when len is 0. Returns the number of
 * pieces visited. */
size_t address_split(const char *list, size_t len, address_visit_fn visit, void *ctx);

/* The one masking of --redact, for every output: a copy of text[0..len)
 * in which every address-shaped word local@domain keeps the first
 * character of its local part (when ASCII) and its domain:
 * "john@acme-corp.com" -> "j***@acme-corp.com", "see a@b.io." -> "see
 * a***@b.io.". A local part or domain that is missing is still masked
 * ("bob@" -> "b***@"); text without '@' is copied unchanged. text should
 * be sanitised already (the result is then still valid UTF-8). Caller
 * frees. */
char *address_mask(const char *text, size_t len);

#endif
