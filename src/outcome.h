/* SPDX-License-Identifier: ISC */
/* Outcome: the counts of every selected rule's verdicts, the overall result
 * and the exit status of the run, computed in one place from the decided
 * table, the files and the worst diagnostic, so that the exit status, the
 * Total line and every report tell the same story. Used by the driver and
 * every writer (through the report view). */
#ifndef OUTCOME_H
#define OUTCOME_H

#include <stddef.h>

#include "diag.h"
#include "evidence.h"
#include "rules.h"
#include "verdicts.h"

/* Exit statuses (the CLI contract; sysexits for usage and internal). */
enum outcome_exit {
    OUTCOME_EXIT_PASS = 0,
    OUTCOME_EXIT_FAIL = 1,
    OUTCOME_EXIT_INCOMPLETE = 2,
    OUTCOME_EXIT_USAGE = 64,
    OUTCOME_EXIT_INTERNAL = 70
};

/* The overall result: ERROR (incomplete) wins over FAIL, FAIL over PASS. */
enum outcome_result { OUTCOME_PASS, OUTCOME_FAIL, OUTCOME_ERROR };

struct outcome {
    unsigned rules;       /* the selected rules (bit set of enum rule_index) */
    size_t subscriptions; /* entries of the table, not audited ones included */
    size_t not_audited;   /* disabled in an inventory */
    /* Audited subscriptions by rule and enum verdict_status. */
    size_t counts[RULE_COUNT][VERDICT_STATUSES];
    size_t files, unreadable_files;
    int errors_said; /* an error was diagnosed (a refused waiver, no evidence, ...) */
    /* Errors of the run that are no subscription's verdict: refused waiver
     * entries (and 1 for a waiver file that is no waiver file), and 1 when
     * an error was said that nothing else counts (no evidence found). The
     * JUnit report has an error testcase for each, the Total line a count. */
    size_t waiver_errors;
    size_t other_errors;
    enum outcome_result result;
};

/* Counts the sealed, decided table t for the rules in selected, the files,
 * the refused waivers of ws (NULL: no --waivers), and whether d has said an
 * error so far. */
struct waiver_set;
void outcome_compute(struct outcome *o, const struct verdict_table *t, unsigned selected,
                     const struct evidence_list *files, const struct waiver_set *ws,
                     const struct diag *d);
/* The exit status that o stands for. */
enum outcome_exit outcome_exit(const struct outcome *o);
/* "PASS", "FAIL" or "ERROR". */
const char *outcome_word(const struct outcome *o);

#endif
