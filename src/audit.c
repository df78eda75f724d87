/* SPDX-License-Identifier: ISC */
/* Audit: the pipeline driver (see audit.h). */
#include "config.h"

#include "audit.h"

#include <errno.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "baseline.h"
#include "csv.h"
#include "diag.h"
#include "evidence.h"
#include "html.h"
#include "ingest.h"
#include "junit.h"
#include "oscal.h"
#include "remediation.h"
#include "report.h"
#include "rules.h"
#include "text.h"
#include "verdicts.h"
#include "waivers.h"

/* Everything one run holds, freed together. */
struct audit {
    struct diag diag;
    struct evidence_list files;
    struct chain *chain;
    struct verdict_table *table;
    struct waiver_set waivers;
    struct baseline baseline;
    struct outcome outcome;
    struct report_view view;
};

static void audit_collect(struct audit *a, const struct audit_options *opt)
{
    evidence_list_init(&a->files);
    a->files.caps = opt->caps;
    evidence_list_exclude(&a->files, opt->waivers_path, "--waivers");
    evidence_list_exclude(&a->files, opt->inventory_path, "--subscriptions");
    evidence_list_exclude(&a->files, opt->baseline_path, "--baseline");
    for (size_t i = 0; i < opt->n_inputs; i++)
        evidence_collect(&a->files, opt->inputs[i]);
}

/* The manifests are read first, so that every file gets the digests they
 * list; once all is read, the chain says what does not count. */
static void audit_ingest(struct audit *a, const struct audit_options *opt)
{
    struct chain_options chain = opt->chain;
    if (!opt->has_as_of)
        chain.as_of = a->view.generated;
    a->chain = chain_alloc(&chain);
    chain_prepare(a->chain, &a->files, &a->diag);
    a->table = verdicts_alloc(&opt->policy);
    struct ingest *ing = ingest_alloc(&a->files, a->table, &a->diag);
    ingest_all(ing, opt->read_size);
    ingest_free(ing);
    chain_settle(a->chain, &a->files, a->table, &a->diag);
}

static void audit_decide(struct audit *a, const struct audit_options *opt)
{
    verdicts_seal(a->table, opt->rules);
    rules_decide(a->table, opt->rules);
    rules_say(a->table, &a->files, &a->diag);
}

/* A bad waiver file makes the audit incomplete (an error said): a FAIL that
 * should have been waived is still shown, never the other way round. */
static void audit_waive(struct audit *a, const struct audit_options *opt)
{
    if (opt->waivers_path == NULL)
        return;
    waivers_load(&a->waivers, opt->waivers_path, a->view.generated, opt->edition, &a->diag);
    waivers_apply(&a->waivers, a->table, opt->rules, &a->diag);
    a->view.waivers = &a->waivers;
}

/* What changed since the baseline, for every output. */
static void audit_compare(struct audit *a, const struct audit_options *opt)
{
    if (opt->baseline_path == NULL)
        return;
    baseline_mark(&a->baseline, a->table, opt->rules);
    a->view.baseline = &a->baseline;
}

/* stdout first (the CI log), then every report; returns the exit status. */
static int audit_report(struct audit *a, const struct audit_options *opt,
                        const struct report_output *outs, size_t n)
{
    outcome_compute(&a->outcome, a->table, opt->rules, &a->files, a->view.waivers, &a->diag);
    struct report_view *v = &a->view;
    v->files = &a->files;
    v->chain = a->chain;
    v->table = a->table;
    v->outcome = &a->outcome;
    v->rules = opt->rules;
    v->edition = opt->edition;
    v->command_line = opt->command_line;
    v->redact = opt->redact;
    v->policy = &opt->policy;
    v->fix_emails = opt->fix_emails;
    v->n_fix_emails = opt->n_fix_emails;
    int rc = outcome_exit(&a->outcome);
    if (text_write(v, stdout, opt->quiet) != 0) {
        diag_emit(&a->diag, NULL, 0, 0, D_OUTPUT_FAILED, strerror(errno), NULL);
        rc = OUTCOME_EXIT_INCOMPLETE;
    }
    enum outcome_exit written = report_write_outputs(outs, n, v, &a->diag);
    return (int)written > rc ? (int)written : rc;
}

int audit_run(const struct audit_options *opt)
{
    struct audit a = { 0 };
    diag_init(&a.diag, stderr, opt->redact);
    report_quiet_libxml();
    struct diag_fault clock = { 0 };
    if (report_clock(&a.view.generated, &a.view.time_from_env, &clock) != 0) {
        diag_emit_fault(&a.diag, NULL, &clock);
        diag_fault_clear(&clock);
        return OUTCOME_EXIT_USAGE;
    }
    const struct report_output outs[] = { { opt->junit_path, junit_write },
                                          { opt->html_path, html_write },
                                          { opt->csv_path, csv_write },
                                          { opt->oscal_path, oscal_write },
                                          { opt->remediation_path, remediation_write } };
    const struct report_input inputs[] = { { "--waivers", opt->waivers_path },
                                           { "--subscriptions", opt->inventory_path } };
    size_t n_outs = sizeof outs / sizeof *outs;
    int rc = OUTCOME_EXIT_USAGE;
    /* A baseline that is no report of this tool is refused before the
     * audit: the run was asked to compare, and cannot. Read whole first,
     * it may be the file the new JUnit report replaces. */
    if (opt->baseline_path && baseline_load(&a.baseline, opt->baseline_path, &a.diag) != 0) {
        baseline_free(&a.baseline);
        xmlCleanupParser();
        return rc;
    }
    audit_collect(&a, opt);
    if (report_check_outputs(outs, n_outs, &a.files, inputs, sizeof inputs / sizeof *inputs,
                             &a.diag) == 0) {
        audit_ingest(&a, opt);
        audit_decide(&a, opt);
        audit_waive(&a, opt);
        audit_compare(&a, opt);
        rc = audit_report(&a, opt, outs, n_outs);
    }
    baseline_free(&a.baseline);
    waivers_free(&a.waivers);
    chain_free(a.chain);
    verdicts_free(a.table);
    evidence_list_free(&a.files);
    xmlCleanupParser();
    return rc;
}
