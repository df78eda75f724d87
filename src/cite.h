/* SPDX-License-Identifier: ISC */
/* Citations: where in the evidence one subscription's verdicts rest (file,
 * line, column) and when that evidence was collected, for the writers that
 * cite evidence row by row: CSV, OSCAL and the remediation script. */
#ifndef CITE_H
#define CITE_H

#include <stddef.h>
#include <time.h>

#include "report.h"

/* One place in the evidence: line 0 means the file as a whole. */
struct cite_place {
    size_t file; /* index into the view's evidence list */
    unsigned long line, col;
};

struct cite_list {
    struct cite_place *places; /* owned */
    size_t count, cap;
};

/* The places s rests on, in table order: each contact, each problem, the
 * empty contact list, and for an entry that names no subscription its
 * file. A place given twice is kept once. out starts zeroed; free it with
 * cite_free(). */
void cite_subscription(const struct verdict_subscription *s, struct cite_list *out);
void cite_free(struct cite_list *l);

/* Nonzero when place i is the first of l in its file: the files of a
 * list, each once, in order. */
int cite_first_in_file(const struct cite_list *l, size_t i);

/* "<subscription id> (<display name>)", or without the name when no
 * inventory gives one; an entry that names no subscription reads as
 * "unknown-subscription(<file>)". Sanitised and masked; caller frees. */
char *cite_subscription_label(const struct report_view *v, const struct verdict_subscription *s);

/* When the evidence was collected (the latest date the bundle's manifests
 * or --collected-at state): 1 and *out when the view knows it, else 0.
 * Every writer that shows a collection date asks here. */
int cite_collected(const struct report_view *v, time_t *out);

#endif
