/* SPDX-License-Identifier: ISC */
/* Waivers: the --waivers FILE of accepted risks (subscription, rule, reason,
 * ticket, expiry), read as strictly as evidence: only the top-level array
 * (or the array of a top-level "waivers" member) holds waivers, an entry
 * with a member given twice, a blank reason or ticket or a date that is not
 * YYYY-MM-DD is refused and kept, with why, for the reports. A valid waiver
 * turns a FAIL into WAIVED; an expired one is ignored with a warning; a
 * waiver never touches an ERROR or a PASS. Read with the same decoder and
 * JSON stream as evidence; applied by the driver after the rules have
 * decided; listed by every report writer. */
#ifndef WAIVERS_H
#define WAIVERS_H

#include <stddef.h>
#include <time.h>

#include "diag.h"
#include "guid.h"
#include "verdicts.h"

struct waiver {
    guid_text subscription;
    int rule;                /* enum rule_index, or -1 for every rule */
    char *rule_text;         /* owned, as written */
    char *reason;            /* owned */
    char *ticket;            /* owned */
    char *expires;           /* owned, YYYY-MM-DD as written */
    unsigned long line, col; /* where the waiver starts in the file */
    int expired;             /* its day ended before the audit's time */
    size_t used;             /* FAIL verdicts it turned into WAIVED */
    size_t refused;          /* ERROR verdicts it covers and did not change */
    size_t passes;           /* PASS verdicts it covers (nothing to waive) */
    int seen;                /* its subscription is in the evidence or an inventory */
};

/* An entry of the file that was refused: where it is and why. The reports
 * list it, and it makes the run incomplete (an error was said). */
struct waiver_refusal {
    size_t entry;            /* 1-based position in the list of waivers */
    unsigned long line, col; /* where the entry starts */
    char *why;               /* owned: what is wrong with it, in words */
    char *subscription;      /* owned: as written, or NULL when none */
    char *ticket;            /* owned: as written, or NULL when none */
};

struct waiver_set {
    char *path;           /* owned */
    struct waiver *items; /* owned array of valid waivers, in file order */
    size_t count, cap;
    struct waiver **by_subscription; /* owned array into items: by subscription, then file order */
    struct waiver_refusal *refusals; /* owned array of refused entries, in file order */
    size_t invalid, cap_refusals;    /* invalid: how many refusals */
    int unreadable;                  /* the file itself could not be read or is no waiver file */
    char *unreadable_why;            /* owned: why (when unreadable), in words */
    int hashed;                      /* sha256 covers the whole file */
    char sha256[65];                 /* of the file as read: it decides verdicts too */
};

/* Reads path ("-": standard input). now decides expiry (end of the
 * expiry day, UTC); edition resolves control ids such as "2.3.2" to
 * rules. Every problem is said through d. Returns 0, or -1 when any entry
 * or the file was bad. The set is owned by the caller: waivers_free(). */
int waivers_load(struct waiver_set *set, const char *path, time_t now, const char *edition,
                 struct diag *d);
void waivers_free(struct waiver_set *set);

/* Builds the lookup by subscription (waivers_load does it; a set built by
 * hand must call it before waivers_covering() or waivers_apply()). */
void waivers_index(struct waiver_set *set);

/* The first unexpired waiver, in file order, that covers rule for
 * subscription sub, or NULL (set may be NULL). */
const struct waiver *waivers_covering(const struct waiver_set *set, const char *sub, int rule);

/* Turns each FAIL covered by an unexpired waiver into WAIVED (the FAIL's
 * reason stays), counts what each waiver was used for, and says through d
 * when a waiver meets an ERROR, which it leaves alone, when it covers only
 * PASS verdicts, and when its subscription is in no evidence and no
 * inventory (a typo, or a subscription that was not collected). */
void waivers_apply(struct waiver_set *set, struct verdict_table *table, unsigned rules,
                   struct diag *d);

#endif
