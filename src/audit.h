/* SPDX-License-Identifier: ISC */
/* Audit: the pipeline driver for main.c: collect the evidence, ingest it,
 * decide the rules, apply the waivers, write the outputs, and return the
 * exit status of the CLI contract. */
#ifndef AUDIT_H
#define AUDIT_H

#include <stddef.h>

#include "address.h"
#include "archives.h"
#include "chain.h"
#include "outcome.h"

/* Everything main.c parsed; all borrowed from argv or main's storage. */
struct audit_options {
    const char *junit_path; /* NULL: no JUnit report */
    const char *html_path;  /* NULL: no HTML report */
    int quiet;              /* only the summary line on stdout */
    int redact;             /* mask addresses in every output */
    const char *edition;    /* CIS edition for ids, e.g. "1.5.0" */
    unsigned rules;         /* bit set of enum rule_index */
    struct address_policy policy;
    size_t read_size;          /* bytes per read(); 0 = default */
    const char *const *inputs; /* evidence arguments, in order */
    size_t n_inputs;
    const char *command_line;      /* for the reports */
    const char *waivers_path;      /* --waivers FILE, or NULL */
    const char *inventory_path;    /* --subscriptions FILE, or NULL */
    const char *baseline_path;     /* --baseline FILE (an earlier JUnit report), or NULL */
    const char *csv_path;          /* NULL: no CSV report */
    const char *oscal_path;        /* NULL: no OSCAL assessment results */
    const char *remediation_path;  /* NULL: no remediation script */
    const char *const *fix_emails; /* --remediation-email, each deliverable */
    size_t n_fix_emails;
    struct chain_options chain; /* --manifest, --collected-at, --max-age, --as-of */
    struct archives_caps caps;  /* --max-entry-bytes, --max-archive-bytes, --max-archive-entries */
    int has_as_of;              /* --as-of given (else the generation time) */
};

/* Runs the audit; returns an enum outcome_exit. */
int audit_run(const struct audit_options *opt);

#endif
