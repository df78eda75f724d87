/* SPDX-License-Identifier: ISC */
/* Baseline: the JUnit report of an earlier run of this tool (--baseline
 * FILE), read with libxml2's streaming reader, and what changed since then
 * for every subscription and rule: a new FAIL or ERROR, fixed, still
 * failing, a new subscription, or no longer in the evidence. Loaded by the
 * driver before the evidence, marked against the decided table, and read
 * (const) by every writer: the text lines, JUnit, HTML and CSV. */
#ifndef BASELINE_H
#define BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "guid.h"
#include "verdicts.h"

/* The layout of the JUnit report this version writes and reads back. */
#define BASELINE_FORMAT "2"

/* What the baseline says of one subscription and rule. */
enum baseline_status {
    BASELINE_PASS,
    BASELINE_FAIL,
    BASELINE_ERROR,
    BASELINE_WAIVED,
    BASELINE_NOT_AUDITED
};

/* What changed for one subscription and rule. */
enum baseline_change {
    CHANGE_NONE,             /* no baseline, a rule it did not decide, or a file */
    CHANGE_UNCHANGED,        /* passes, or is not audited, now and then */
    CHANGE_NEW_FAIL,         /* FAIL (or WAIVED) now, passed or was not audited then */
    CHANGE_NEW_ERROR,        /* ERROR now, passed or was not audited then */
    CHANGE_FIXED,            /* passes now, failed (or was waived or undecided) then */
    CHANGE_STILL_FAILING,    /* FAIL, WAIVED or ERROR now and then */
    CHANGE_NEW_SUBSCRIPTION, /* in this run, not in the baseline */
    CHANGE_GONE              /* in the baseline, no longer in the evidence */
};
#define BASELINE_CHANGES 8

struct baseline_entry {
    guid_text subscription;
    uint8_t rule;   /* enum rule_index */
    uint8_t status; /* enum baseline_status */
    uint8_t change; /* enum baseline_change, once marked */
    uint8_t seen;   /* this run decides it too */
    char *name;     /* owned: the display name the baseline shows, or NULL */
};

struct baseline {
    char *path;                   /* owned */
    char *generated;              /* owned: the baseline's generated.utc, "2026-01-01T00:00:00Z" */
    char *tool_version;           /* owned */
    unsigned rules;               /* the rules it decided (bit set of enum rule_index) */
    struct baseline_entry *items; /* owned, by subscription then rule once loaded */
    size_t count, cap;
    /* This run's subscriptions and rules with their change, by
     * subscription then rule (baseline_mark fills it). */
    struct baseline_entry *marks;
    size_t n_marks;
    size_t counts[BASELINE_CHANGES]; /* how many of each change */
};

/* Reads path, a JUnit report written by this tool in report format 2.
 * Anything else (another producer, an older format, broken XML) is refused
 * through d with why, and -1 is returned; 0 when loaded. The caller owns b:
 * baseline_free(). */
int baseline_load(struct baseline *b, const char *path, struct diag *d);
void baseline_free(struct baseline *b);

/* Marks every known subscription of the sealed, decided table t for the
 * rules in selected, and every entry of the baseline this run no longer
 * has (for those rules). */
void baseline_mark(struct baseline *b, const struct verdict_table *t, unsigned selected);

/* The change of subscription sub and rule, once marked, as a static word:
 * "new FAIL", "new ERROR", "fixed", "still failing", "new subscription",
 * "unchanged", or "" (b NULL, or sub not in this run). For CSV cells and
 * every other writer. */
const char *baseline_change(const struct baseline *b, const char *sub, unsigned rule);
/* "1 new FAIL, 0 new ERROR, 2 fixed, 5 still failing, 1 new subscription, 1
 * no longer in the evidence", once marked. Caller frees. */
char *baseline_summarise(const struct baseline *b);
/* The word of a change ("no longer in the evidence" for CHANGE_GONE). */
const char *baseline_name_change(enum baseline_change change);
/* The word of a baseline status ("PASS", "not audited", ...). */
const char *baseline_name_status(enum baseline_status status);

#endif
