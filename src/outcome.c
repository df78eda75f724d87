/* SPDX-License-Identifier: ISC */
/* Outcome: counts, overall result and exit status (see outcome.h). */
#include "config.h"

#include "outcome.h"

#include <string.h>

#include "waivers.h"

void outcome_compute(struct outcome *o, const struct verdict_table *t, unsigned selected,
                     const struct evidence_list *files, const struct waiver_set *ws,
                     const struct diag *d)
{
    memset(o, 0, sizeof *o);
    o->rules = selected;
    o->subscriptions = verdicts_count(t);
    int failed = 0, undecided = 0;
    for (size_t i = 0; i < o->subscriptions; i++) {
        const struct verdict_subscription *s = verdicts_get(t, i); /* counts only */
        if (s->disabled) {
            o->not_audited++;
            continue;
        }
        for (unsigned r = 0; r < RULE_COUNT; r++) {
            if (!(selected & (1u << r)))
                continue;
            enum verdict_status st = verdicts_result(t, s, r)->status;
            o->counts[r][st]++;
            failed |= st == VERDICT_FAIL;
            undecided |= st == VERDICT_ERROR;
        }
    }
    o->files = files->count;
    for (size_t i = 0; i < files->count; i++)
        o->unreadable_files += files->files[i].status == EVIDENCE_ERROR;
    o->errors_said = d->worst >= (int)DIAG_ERROR;
    if (ws)
        o->waiver_errors = ws->invalid + (ws->unreadable ? 1 : 0);
    o->other_errors = o->errors_said && !undecided && !o->unreadable_files && !o->waiver_errors;
    if (undecided || o->unreadable_files || o->errors_said)
        o->result = OUTCOME_ERROR;
    else if (failed)
        o->result = OUTCOME_FAIL;
    else
        o->result = OUTCOME_PASS;
}

enum outcome_exit outcome_exit(const struct outcome *o)
{
    switch (o->result) {
    case OUTCOME_PASS: return OUTCOME_EXIT_PASS;
    case OUTCOME_FAIL: return OUTCOME_EXIT_FAIL;
    case OUTCOME_ERROR: break;
    }
    return OUTCOME_EXIT_INCOMPLETE;
}

const char *outcome_word(const struct outcome *o)
{
    switch (o->result) {
    case OUTCOME_PASS: return "PASS";
    case OUTCOME_FAIL: return "FAIL";
    case OUTCOME_ERROR: break;
    }
    return "ERROR";
}
