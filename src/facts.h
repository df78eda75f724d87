/* SPDX-License-Identifier: ISC */
/* Facts: what the decided evidence says, in words, for every writer: why a
 * contact counts or not, what a problem is, and the reason of each verdict.
 * The rules decide with reason codes; the stdout lines, JUnit, HTML and
 * every other format render them here, at write time, masked for --redact,
 * so that they all say the same thing the same way. */
#ifndef FACTS_H
#define FACTS_H

#include <stddef.h>

#include "report.h"
#include "xalloc.h"

/* Where one contact stands for the e-mail rule, the first that applies. */
enum facts_state {
    FACTS_DELIVERABLE,      /* it has a deliverable address */
    FACTS_FROM_FAILED_FILE, /* its file broke later: not counted */
    FACTS_SUPERSEDED,       /* a newer snapshot of it decides */
    FACTS_AMBIGUOUS,        /* the contact cannot be read one way (see its problem) */
    FACTS_DISABLED,         /* isEnabled is false */
    FACTS_EMAILS_MISSING,
    FACTS_EMAILS_NULL,
    FACTS_EMAILS_EMPTY,
    FACTS_NO_ADDRESS,    /* the value holds only separators and blanks */
    FACTS_ONLY_RESERVED, /* address: the first reserved or sample one */
    FACTS_PLACEHOLDER,   /* address: the first from a template (domain or mailbox) */
    FACTS_NO_REPLY,      /* address: the first no-reply mailbox */
    FACTS_UNKNOWN_TLD,   /* address: the first whose top-level domain does not exist */
    FACTS_OUTSIDE_ORG,   /* address: the first outside --org-domain */
    FACTS_INVALID        /* address: the first that is not an address */
};

struct facts_contact {
    enum facts_state state;
    struct verdict_address address; /* the address the state quotes (text NULL: none) */
};

/* Where c of table t stands (its addresses judged again when it has no
 * deliverable one). */
struct facts_contact facts_of_contact(const struct verdict_table *t,
                                      const struct verdict_contact *c);

/* Appends why contact c gives no deliverable address ("emails is empty",
 * "only reserved/sample addresses: j@contoso.com (...)"), or nothing when
 * it has one. Evidence is sanitised; masking is the caller's (the whole
 * text is masked once). */
void facts_contact_words(struct xbuf *t, const struct verdict_table *table,
                         const struct verdict_contact *c);

/* The reason of rule's verdict for subscription s, one line, sanitised
 * and masked for v->redact. Caller frees. */
char *facts_reason(const struct report_view *v, const struct verdict_subscription *s,
                   unsigned rule);

/* A problem in words ("unreadable evidence PATH:L:C: ...", "API error
 * CODE: message"), sanitised and masked. Caller frees. */
char *facts_problem(const struct report_view *v, const struct verdict_problem *p);

/* The reason of rule's verdict for s in a few words that many subscriptions
 * share ("emails is empty", "API error AuthorizationFailed", "snapshots
 * disagree"), for a summary grouped by reason. Sanitised; caller frees. */
char *facts_reason_group(const struct report_view *v, const struct verdict_subscription *s,
                         unsigned rule);

/* Why one address of contact c does not count, or "" when it does (a
 * deliverable address of a contact that itself does not count says why
 * the contact does not). Static or contact text; not masked. */
const char *facts_address_why(const struct verdict_contact *c, const struct verdict_address *a);

#endif
