/* SPDX-License-Identifier: ISC */
/* Rules: the table of controls this tool decides, each a small function over
 * one subscription's contacts (the doas/mandoc manner: adding a rule touches
 * only this module), plus the CIS edition table that names each control. */
#ifndef RULES_H
#define RULES_H

#include "verdicts.h"

enum rule_index {
    RULE_CONTACT_EMAIL = 0,  /* CIS 2.3.2 (1.5.0): additional email addresses */
    RULE_ALERT_SEVERITY = 1, /* notify about alerts with severity High */
    RULE_NOTIFY_OWNERS = 2,  /* email notifications to subscription owners */
    RULE_COUNT
};

struct rule_edition_id {
    const char *edition; /* "1.5.0" */
    const char *id;      /* "2.3.2" */
};

#define RULE_MAX_EDITIONS 10

struct rules_setting; /* what a setting rule asks of a contact (rules.c) */

struct rule {
    const char *key;                               /* --rule name, e.g. "contact-email" */
    const char *title;                             /* the benchmark's title */
    const char *level;                             /* "Level 1" */
    struct rule_edition_id ids[RULE_MAX_EDITIONS]; /* NULL-terminated */
    const struct rules_setting *setting;           /* what it asks of a contact */
    /* For a setting rule: its PASS, FAIL and unclear words. */
    const char *on_text, *off_text, *unclear_text;
};

/* Every rule, as a bit set of enum rule_index. */
#define RULES_ALL ((1u << RULE_COUNT) - 1)
_Static_assert(RULE_COUNT <= VERDICTS_MAX_RULES, "the verdict table keeps too few rules");

extern const struct rule rules_table[RULE_COUNT];
#define RULES_DEFAULT_EDITION "1.5.0"

/* Decides every subscription of the sealed table t for each rule in
 * selected (a bit set of enum rule_index). */
void rules_decide(struct verdict_table *t, unsigned selected);
/* The control id of rule in edition, or NULL when the edition lacks it. */
const char *rules_control_id(const struct rule *rule, const char *edition);
/* A contact's evidence counts: its file was read to the end, nothing in it
 * is ambiguous, and no newer snapshot of it supersedes it. */
int rules_contact_counts(const struct verdict_contact *c);
/* It counts, is not disabled and has a deliverable address: one is a PASS. */
int rules_contact_usable(const struct verdict_contact *c);
/* Calls visit for each address of s that does not count although its
 * contact does (a placeholder beside a real address): a PASS names them.
 * a is valid during the call only. */
typedef void rules_address_fn(const struct verdict_contact *c, const struct verdict_address *a,
                              void *ctx);
void rules_each_not_counted(const struct verdict_table *t, const struct verdict_subscription *s,
                            rules_address_fn *visit, void *ctx);
/* Calls visit for each deliverable address of s, in a contact that counts,
 * at a personal mail provider: the PASS stands, and says so. */
void rules_each_personal(const struct verdict_table *t, const struct verdict_subscription *s,
                         rules_address_fn *visit, void *ctx);
/* The warnings of the decided table t, through d: a passing
 * subscription's addresses that did not count (at their contact's emails
 * value: the PASS stands on the others, but someone meant these to receive
 * alerts), and snapshots of a contact that differ without changing the
 * verdict. */
void rules_say(const struct verdict_table *t, const struct evidence_list *files, struct diag *d);
/* Index of the rule named key, or -1. */
int rules_find(const char *key);
/* Nonzero when edition is one the table knows. */
int rules_edition_known(const char *edition);

#endif
