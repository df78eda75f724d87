/* SPDX-License-Identifier: ISC */
/* Rule verdicts: the per-subscription table that combines every contact
 * record, empty list, error body, unreadable file and inventory row of the
 * bundle. Filled by the ingest stage, sealed, then decided by the rules
 * (rules.c) and the waivers; read (const) by every report writer.
 * Undecided is never PASS. */
#ifndef VERDICTS_H
#define VERDICTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "address.h"
#include "contacts.h"
#include "guid.h"

enum verdict_status { VERDICT_PASS, VERDICT_FAIL, VERDICT_ERROR, VERDICT_WAIVED };
#define VERDICT_STATUSES 4

/* Why a rule decided as it did: the facts module puts it in words at
 * render time, the remediation follows from it. ref (in struct
 * verdict_result) names the contact or problem a reason is about. */
enum verdict_reason {
    REASON_NONE,            /* not decided (a rule not selected): never shown as PASS */
    REASON_DELIVERABLE,     /* PASS: ref = the first contact with a deliverable address */
    REASON_SETTING_ON,      /* PASS of a setting rule: ref = the contact that has it */
    REASON_NO_CONTACT,      /* FAIL: no security contact configured */
    REASON_NO_DELIVERABLE,  /* FAIL: no contact has a deliverable address (each says why) */
    REASON_SETTING_OFF,     /* FAIL of a setting rule */
    REASON_UNATTRIBUTED,    /* ERROR: the evidence names no subscription; ref = problem, or none */
    REASON_AMBIGUOUS,       /* ERROR: a contact cannot be read one way; ref = contact */
    REASON_EVIDENCE,        /* ERROR: unreadable evidence or an API error; ref = problem */
    REASON_NO_EVIDENCE,     /* ERROR: an inventory lists it, no evidence names it */
    REASON_SETTING_UNCLEAR, /* ERROR: a setting is there but not understood */
    REASON_SETTING_NOT_SHOWN, /* ERROR: the evidence shows the addresses only, not the setting */
    REASON_SNAPSHOTS,         /* ERROR: snapshots give different verdicts; ref = a contact that
                               passes, other[0] = one that does not (NO_REF: an empty list) */
    REASON_PAGES_MISSING, /* ERROR: a FAIL on one page of a list whose other pages are missing */
    REASON_UNLISTED_PASS, /* ERROR: only a file the manifest does not list passes; ref = contact */
};

/* What a verdict also says (a bit set in struct verdict_result). */
enum verdict_note {
    NOTE_SNAPSHOTS_DIFFER = 1, /* two snapshots of one contact differ (other[0], other[1]),
                                  with the same verdict under each */
    NOTE_ADDRESSES_ONLY = 2    /* the deciding evidence shows addresses only, not isEnabled */
};
#define VERDICT_NO_REF UINT32_MAX

struct verdict_table;

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
 * emails, problem and last_modified. Its addresses are not kept, only how
 * many there are and what the reports' wording needs without them:
 * verdicts_addresses() judges them again, as when the contact was added. */
struct verdict_contact {
    /* (members ordered by size and kept narrow, the small ones in bits:
     * there are as many contacts as subscriptions) */
    const char *name;          /* NULL when the evidence names none */
    const char *emails;        /* raw value, NUL-terminated */
    const char *problem;       /* set when ambiguous: why */
    const char *last_modified; /* systemData.lastModifiedAt as written (arena), or NULL */
    struct verdict_pos pos, emails_pos;
    uint32_t file;     /* index into the evidence list */
    uint32_t name_len; /* values are at most the 1 MiB token cap */
    uint32_t emails_len;
    uint32_t n_deliverable;           /* how many of its addresses are deliverable */
    uint32_t document;                /* which JSON document of its file */
    unsigned emails_kind : 3;         /* enum contact_emails */
    unsigned enabled : 2, alerts : 2; /* enum contact_switch */
    unsigned notify_roles : 2;        /* enum contact_switch */
    unsigned alert_severity : 3;      /* enum contact_severity */
    unsigned api : 3;                 /* CONTACT_API_* bits */
    unsigned roles_include_owner : 1;
    unsigned from_failed_file : 1; /* the file broke later: not usable */
    unsigned superseded : 1;       /* a newer snapshot of the same contact decides */
    unsigned unlisted : 1;         /* its file is not in the bundle's manifest: it cannot pass */
    unsigned addresses_only : 1;   /* only an emails value was saved */
    unsigned emails_singular : 1;  /* the member was "email" (2017 API), not "emails" */
    unsigned undeliverable : 1;    /* one of its addresses is not deliverable */
    unsigned personal : 1;         /* a deliverable address is at a personal mail provider */
};

/* A contact's addresses as judged, in order. The caller owns items and
 * may reuse one list for many contacts (free(items) when done). */
struct verdict_addresses {
    struct verdict_address *items;
    size_t n, cap;
};
/* Whether c has an address at all (its emails value may hold only
 * separators and blanks). */
int verdicts_has_addresses(const struct verdict_contact *c);
/* c's addresses judged under t's policy, as they were when c was added,
 * into *into; returns into->items. Each text points
 * into c->emails. */
const struct verdict_address *verdicts_addresses(const struct verdict_table *t,
                                                 const struct verdict_contact *c,
                                                 struct verdict_addresses *into);
/* c's addresses split but not judged, for what needs their texts only
 * (each reads as deliverable, for no special reason). */
const struct verdict_address *verdicts_split_addresses(const struct verdict_contact *c,
                                                       struct verdict_addresses *into);

/* The member that held c's addresses, as the evidence spells it in
 * lowercase: "emails" or "email". */
const char *verdicts_emails_member(const struct verdict_contact *c);

/* Evidence that names the subscription but cannot decide it. */
enum verdict_problem_kind {
    PROBLEM_UNREADABLE, /* a file that could not be read: message says why */
    PROBLEM_API_ERROR,  /* an error body: code and message as the API gave them */
    PROBLEM_MISFILED,   /* a file named for it holds another subscription's evidence */
    PROBLEM_ALTERED,    /* a file whose digest differs from its manifest's */
    PROBLEM_MISSING,    /* a file the manifest lists is not in the bundle */
    PROBLEM_STALE,      /* collected longer ago than --max-age */
    PROBLEM_UNDATED     /* collection date unknown, with --max-age */
};
struct verdict_problem {
    size_t file;
    unsigned long line, col;
    enum verdict_problem_kind kind;
    const char *code;    /* in the table's arena; NULL for PROBLEM_UNREADABLE */
    const char *message; /* in the table's arena */
};

/* One rule's outcome for one subscription (WAIVED: the waivers say which
 * waiver, the reason stays the FAIL's). */
struct verdict_result {
    uint8_t status;    /* enum verdict_status */
    uint8_t reason;    /* enum verdict_reason */
    uint8_t notes;     /* enum verdict_note bits */
    uint32_t ref;      /* index into contacts or problems, or VERDICT_NO_REF */
    uint32_t other[2]; /* contacts a reason or note names besides ref */
};

/* What few subscriptions have: an inventory row, problems, an empty list.
 * Kept apart so that the entry every subscription has stays small. */
struct verdict_extra {
    char *display_name;               /* owned, from an inventory */
    char *state;                      /* owned, from an inventory */
    struct verdict_problem *problems; /* owned array */
    struct verdict_pos empty_list_pos;
    uint32_t n_problems, cap_problems;
    uint32_t empty_list_file;
};

struct verdict_subscription {
    /* (members ordered so that the flags, in bits, fill the id's last
     * word: one entry per subscription, 72 bytes) */
    struct verdict_contact *contacts; /* in the table's arena */
    struct verdict_extra *extra;      /* in the table's arena; NULL: none (see verdicts_extra) */
    guid_text id;
    unsigned known : 1;            /* has a subscription id; else it stands for a file */
    unsigned disabled : 1;         /* no inventory says it is live: not audited */
    unsigned live : 1;             /* an inventory says Enabled, Warned or PastDue */
    unsigned empty_list : 1;       /* an empty contact list names it */
    unsigned empty_list_paged : 1; /* the empty list is one page of several */
    /* A file named it on a page that says more pages follow; a file named
     * it on a last or only page. */
    unsigned pages_more : 1, pages_last : 1;
    uint32_t entry;        /* where the table keeps its results */
    uint32_t unknown_file; /* when !known: the file whose records had no id */
    uint32_t n_contacts;
};

/* s's inventory row, problems and empty list: never NULL (all empty and
 * zero when it has none). */
const struct verdict_extra *verdicts_extra(const struct verdict_subscription *s);

/* The table owns everything it is given (it copies records). policy is
 * borrowed and must outlive the table. */
struct verdict_table *verdicts_alloc(const struct address_policy *policy);
void verdicts_free(struct verdict_table *t);

void verdicts_add_record(struct verdict_table *t, size_t file, const struct contact_record *r);
void verdicts_add_empty_list(struct verdict_table *t, size_t file, const guid_text sub,
                             const struct jstream_pos *pos);
/* An error body, or an unreadable file that names sub; sub NULL: one that
 * names no subscription, kept on the file's own entry (an ERROR). code and
 * message are copied. */
void verdicts_add_problem(struct verdict_table *t, size_t file, const guid_text sub,
                          enum verdict_problem_kind kind, unsigned long line, unsigned long col,
                          const char *code, const char *message);
void verdicts_add_inventory(struct verdict_table *t, const guid_text sub, const char *display_name,
                            const char *state);
/* The file just read named its subscriptions on a page that says more
 * pages follow (more_pages), or on a last or only page. */
void verdicts_file_paged(struct verdict_table *t, size_t file, int more_pages);
/* file is read now, and every record added until the next
 * verdicts_file_begin is its own: if it fails, its records are found
 * without a walk over the table. Without it a failed file costs a walk. */
void verdicts_file_begin(struct verdict_table *t, size_t file);
/* A file failed after some of its records were added: those records stop
 * counting, and each subscription they named gets the file's problem. */
void verdicts_file_failed(struct verdict_table *t, size_t file, unsigned long line,
                          unsigned long col, const char *message);

/* A file that does not count after it was read (altered since collection,
 * stale): kind and message of its problem; message NULL: it stands. */
struct verdicts_withdrawal {
    enum verdict_problem_kind kind;
    const char *message;
};
/* Withdraws every file why[file] names (why has n_files entries): its
 * records stop counting and each subscription they named gets its problem.
 * One walk over the table for all of them. */
void verdicts_withdraw_files(struct verdict_table *t, const struct verdicts_withdrawal *why,
                             size_t n_files);
/* The contacts of every file with unlisted[file] set (n_files entries)
 * come from files a manifest of the bundle does not list. */
void verdicts_mark_unlisted(struct verdict_table *t, const unsigned char *unlisted, size_t n_files);
/* When the evidence was collected is known (times[file], 0: unknown; n_files
 * entries): of two snapshots of one contact with known, different times
 * the older is superseded, and an empty list is weighed the same way. */
void verdicts_supersede(struct verdict_table *t, const time_t *times, size_t n_files);
/* Contacts are one contact when their names agree without regard to ASCII
 * case (ARM names); unnamed ones are one. A sort order. */
int verdicts_contact_name_cmp(const struct verdict_contact *a, const struct verdict_contact *b);

/* The most rules a table keeps results for (bits of verdicts_seal's set). */
#define VERDICTS_MAX_RULES 16
/* Ends the filling: the lookup is freed and the entries are moved into
 * subscription order (a pointer to one taken before is not valid after).
 * Results are kept for the rules in the bit set rules only (bit r: rule
 * r), each set to ERROR (REASON_NONE) until a rule decides it; any other
 * rule's result reads as that, and cannot be set. Nothing may be added
 * after. */
void verdicts_seal(struct verdict_table *t, unsigned rules);

size_t verdicts_count(const struct verdict_table *t);
/* The i-th subscription (0..count-1): in order of arrival while the table
 * fills, in subscription order once sealed. */
const struct verdict_subscription *verdicts_get(const struct verdict_table *t, size_t i);
/* The result of rule for subscription s of t (sealed tables only). */
const struct verdict_result *verdicts_result(const struct verdict_table *t,
                                             const struct verdict_subscription *s, unsigned rule);
/* Decides it: for the rules, then for the waivers. */
void verdicts_set_result(struct verdict_table *t, const struct verdict_subscription *s,
                         unsigned rule, const struct verdict_result *r);
int verdicts_has_inventory(const struct verdict_table *t);

const char *verdicts_status_name(enum verdict_status s);

#endif
