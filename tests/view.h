/* SPDX-License-Identifier: ISC */
/* Test helper: a report view of evidence held in memory, built by the
 * program's own stages (ingest_memory, verdicts_seal, rules_decide,
 * outcome_compute), for the unit tests of the report writers. */
#ifndef TESTS_VIEW_H
#define TESTS_VIEW_H

#include "diag.h"
#include "evidence.h"
#include "outcome.h"
#include "report.h"
#include "verdicts.h"

struct test_view {
    struct evidence_list files;
    struct verdict_table *table;
    struct outcome outcome;
    struct diag diag;
    struct address_policy policy;
    struct report_view v;
};

/* One evidence file per (path, json) pair, n of them; rules is a bit set
 * of enum rule_index. The time is pinned; every file gets a fixed
 * SHA-256. Free with test_view_free(). */
void test_view_load(struct test_view *t, const char *const *paths, const char *const *jsons,
                    size_t n, unsigned rules, int redact);
/* One file. */
void test_view_load1(struct test_view *t, const char *path, const char *json, unsigned rules,
                     int redact);
void test_view_free(struct test_view *t);

/* The first line of a remediation script that is neither a comment, nor
 * blank, nor one of the lines its writer makes (evidence that escaped a
 * comment or a quoted word would start one), with its length in *len; or
 * NULL when there is none. */
const char *test_script_stray_line(const char *script, size_t *len);

/* The subscription with id sub (it must be there). */
const struct verdict_subscription *test_view_find(const struct test_view *t, const char *sub);

#endif
