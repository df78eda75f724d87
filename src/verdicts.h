/* Rule verdicts: the per-subscription table that combines every contact
 * record, empty list, error body, unreadable file and inventory row of the
 * bundle, and the rule table (rules.c) that decides each subscription.
 * Fed by the contact-record stage through audit.c; read (const) by the
 * report writers. Undecided is never PASS. */
#ifndef VERDICTS_H
#define VERDICTS_H

#include <stddef.h>
#include <stdint.h>

#include "address.h"
#include "contacts.h"
#include "guid.h"

enum verdict_status { VERDICT_PASS, VERDICT_FAIL, VERDICT_ERROR, VERDICT_WAIVED };

/* A place in an evidence file as the reports quote it (1-based). */
struct verdict_pos {
    unsigned long line, col;
};

/* An address as judged. */
struct verdict_address {
    const char *text; /* borrowed from the contact's emails: not NUL-terminated */
    const char *why;  /* static */
    uint32_t len;     /* an emails value is at most the 1 MiB token cap */
    enum address_verdict verdict;
};

/* One contact as kept for the reports. The table's arena owns name,
 * emails and addresses; problem is the contact's own (malloc). */
struct verdict_contact {
    /* (members ordered by size: there are as many contacts as subscriptions) */
    const char *name; /* NULL when the evidence names none */
    size_t name_len;
    size_t file; /* index into the evidence list */
    struct verdict_pos pos, emails_pos;
    const char *emails_member;
    const char *emails; /* raw value, NUL-terminated */
    size_t emails_len;
    char *problem; /* owned (free()); set when ambiguous */
    const struct verdict_address *addresses;
    size_t n_addresses;
    size_t n_deliverable;
    enum contact_emails emails_kind;
    enum contact_switch enabled, alerts, notify_roles;
    enum contact_severity alert_severity;
    int roles_include_owner;
    unsigned api;
    int from_failed_file; /* the file broke later: not usable */
};

/* Evidence that names the subscription but cannot decide it. */
struct verdict_problem {
    size_t file;
    unsigned long line, col;
    char *message; /* owned */
};

/* One rule's outcome for one subscription. */
struct verdict_result {
    enum verdict_status status;
    char *reason;                /* owned, short, one line */
    const struct waiver *waiver; /* set when WAIVED */
};

#define VERDICT_MAX_RULES 3

struct verdict_subscription {
    /* (members ordered by size: one entry per subscription) */
    guid_text id;
    unsigned char known;              /* has a subscription id; else it stands for a file */
    unsigned char disabled;           /* inventory says not Enabled: not audited */
    unsigned char empty_list;         /* an empty contact list names it */
    size_t unknown_file;              /* when !known: the file whose records had no id */
    char *display_name;               /* owned, from an inventory */
    char *state;                      /* owned, from an inventory */
    struct verdict_contact *contacts; /* in the table's arena */
    size_t n_contacts, cap_contacts;
    struct verdict_problem *problems; /* owned array */
    size_t n_problems, cap_problems;
    size_t empty_list_file;
    struct verdict_pos empty_list_pos;
    struct verdict_result results[VERDICT_MAX_RULES];
};

struct verdict_table;

/* The table owns everything it is given (it copies records). policy is
 * borrowed and must outlive the table. */
struct verdict_table *verdicts_alloc(const struct address_policy *policy);
void verdicts_free(struct verdict_table *t);

void verdicts_add_record(struct verdict_table *t, size_t file, const struct contact_record *r);
void verdicts_add_empty_list(struct verdict_table *t, size_t file, const guid_text sub,
                             const struct jstream_pos *pos);
/* An error body, or an unreadable file that names sub; sub NULL: one that
 * names no subscription, kept on the file's own entry (an ERROR). */
void verdicts_add_problem(struct verdict_table *t, size_t file, const guid_text sub,
                          unsigned long line, unsigned long col, const char *message);
void verdicts_add_inventory(struct verdict_table *t, const guid_text sub, const char *display_name,
                            const char *state);
/* A file failed after some of its records were added: those records stop
 * counting, and each subscription they named gets the file's problem. */
void verdicts_file_failed(struct verdict_table *t, size_t file, unsigned long line,
                          unsigned long col, const char *message);

/* Runs the selected rules (bit set of rule indexes, see rules.h) on every
 * subscription and sorts the table by subscription id. Nothing may be
 * added afterwards (the lookup is freed). */
void verdicts_decide(struct verdict_table *t, unsigned rules);

size_t verdicts_count(const struct verdict_table *t);
const struct verdict_subscription *verdicts_get(const struct verdict_table *t, size_t i);
struct verdict_subscription *verdicts_get_mutable(struct verdict_table *t, size_t i);
int verdicts_has_inventory(const struct verdict_table *t);

const char *verdicts_status_name(enum verdict_status s);

#endif
