/* SPDX-License-Identifier: ISC */
/* Remediation: for a subscription and rule that do not PASS, the fix that
 * fits the reason (set the contact with az, re-export the evidence with the
 * right role, collect the subscription, ...), with the subscription id
 * filled in; as text for the JUnit failure text, as (label, command) items
 * for the HTML report, and as one POSIX shell script for every failing
 * subscription (--remediation FILE), which the tool never runs. */
#ifndef REMEDIATION_H
#define REMEDIATION_H

#include <stddef.h>

#include "report.h"

/* What the commands hold where the security team's address belongs and
 * no --remediation-email was given; the script refuses to run with it. */
#define REMEDIATION_PLACEHOLDER "<SECURITY-CONTACT-ADDRESS>"

/* One step of a fix: what to do, and the command that does it. */
struct remediation_item {
    char *label;   /* owned, one line */
    char *command; /* owned, one line of POSIX shell; NULL when the step is no command */
};

struct remediation {
    struct remediation_item *items; /* owned */
    size_t count, cap;
};

/* The fix of rule's verdict on s, in order: the advice first (command
 * NULL), then the commands. Nothing for a PASS or a subscription that is
 * not audited. Texts are sanitised and masked for v->redact; addresses
 * are the deliverable ones the evidence holds (not with --redact), then
 * v->fix_emails or REMEDIATION_PLACEHOLDER. out starts zeroed; free it
 * with remediation_free(). */
void remediation_get(const struct report_view *v, const struct verdict_subscription *s,
                     unsigned rule, struct remediation *out);
void remediation_free(struct remediation *r);

/* The same fix as text lines ("how to fix: ADVICE", then "  LABEL:
 * COMMAND"), or NULL when there is none. Caller frees. */
char *remediation_text(const struct report_view *v, const struct verdict_subscription *s,
                       unsigned rule);

/* A report_writer (see report.h): the shell script, to out, which it
 * closes. */
int remediation_write(const struct report_view *v, xmlOutputBufferPtr out);
/* Renders the script into memory: 0 and *out, *len (owned by the caller,
 * free()), or -1. */
int remediation_render(const struct report_view *v, char **out, size_t *len);

#endif
