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

struct rule {
    const char *key;                               /* --rule name, e.g. "contact-email" */
    const char *title;                             /* the benchmark's title */
    const char *level;                             /* "Level 1" */
    struct rule_edition_id ids[RULE_MAX_EDITIONS]; /* NULL-terminated */
    /* Decides one subscription; *reason gets an owned one-line string. */
    enum verdict_status (*decide)(const struct verdict_subscription *s, char **reason);
};

extern const struct rule rules_table[RULE_COUNT];
#define RULES_DEFAULT_EDITION "1.5.0"

/* The control id of rule in edition, or NULL when the edition lacks it. */
const char *rules_control_id(const struct rule *rule, const char *edition);
/* Calls visit for each address of s that does not count although its
 * contact does (a placeholder beside a real address): a PASS names them. */
typedef void rules_address_fn(const struct verdict_contact *c, const struct verdict_address *a,
                              void *ctx);
void rules_each_not_counted(const struct verdict_subscription *s, rules_address_fn *visit,
                            void *ctx);
/* Index of the rule named key, or -1. */
int rules_find(const char *key);
/* Nonzero when edition is one the table knows. */
int rules_edition_known(const char *edition);

#endif
