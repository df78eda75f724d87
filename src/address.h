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
    ADDRESS_RESERVED,       /* RFC 2606 / RFC 6761 special-use name, or RFC 6762 .local */
    ADDRESS_SAMPLE_DOMAIN,  /* documentation sample domain copied from Microsoft docs */
    ADDRESS_OUTSIDE_ORG     /* valid but not in any --org-domain */
};

/* Operator policy. The arrays and their strings are borrowed from the caller
 * (normally argv) and must outlive each address_judge call; they are ordinary
 * NUL-terminated strings, compared case-insensitively. NULL or empty entries
 * are ignored. Entries are used as written (no trimming, no trailing dot), so
 * the caller should check them with address_domain_is_valid first. */
struct address_policy {
    const char *const *allow_domains;
    size_t n_allow; /* --allow-domain D: reserved/sample D (and subdomains) count as deliverable */
    const char *const *org_domains;
    size_t n_org; /* --org-domain D: if n_org>0 only D and its subdomains count */
};

/* Judges one address (already trimmed). addr is borrowed; addr may be NULL
 * only when len is 0. *why (if why is not NULL) is set to a static string
 * the caller must not free: "" for deliverable, otherwise a short reason such
 * as "not an email address", "local part longer than 64 characters",
 * "RFC 2606 reserved domain", "RFC 6762 special-use domain",
 * "Microsoft documentation sample domain", "outside --org-domain".
 * policy may be NULL (no allow-list, no org restriction). */
enum address_verdict address_judge(const char *addr, size_t len,
                                   const struct address_policy *policy, const char **why);

/* Short static label for a verdict: "deliverable", "invalid", "reserved",
 * "sample", "outside-org" ("unknown" for out-of-range values). */
const char *address_verdict_name(enum address_verdict v);

/* Nonzero when domain[0..len) is a domain address_judge would accept
 * syntactically (the same LDH rules, at most 253 bytes, no trailing dot).
 * Meant for validating --org-domain / --allow-domain arguments. */
int address_domain_is_valid(const char *domain, size_t len);

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
