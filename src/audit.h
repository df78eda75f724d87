/* Audit: runs the pipeline for main.c: collect evidence, read each file
 * through the JSON stream into contact records, decide the rules, print the
 * verdict lines and write both reports, and return the exit status of the
 * CLI contract. */
#ifndef AUDIT_H
#define AUDIT_H

#include <stddef.h>

#include "address.h"

/* Exit statuses (the CLI contract; sysexits for usage and internal). */
enum audit_exit {
    AUDIT_EXIT_PASS = 0,
    AUDIT_EXIT_FAIL = 1,
    AUDIT_EXIT_INCOMPLETE = 2,
    AUDIT_EXIT_USAGE = 64,
    AUDIT_EXIT_INTERNAL = 70
};

/* Everything main.c parsed; all borrowed from argv or main's storage. */
struct audit_options {
    const char *junit_path; /* NULL: no JUnit report */
    const char *html_path;  /* NULL: no HTML report */
    int quiet;              /* only the summary line on stdout */
    int redact;             /* mask addresses in reports and stdout */
    const char *edition;    /* CIS edition for ids, e.g. "1.5.0" */
    unsigned rules;         /* bit set of enum rule_index */
    struct address_policy policy;
    size_t read_size;          /* bytes per read(); 0 = default */
    const char *const *inputs; /* evidence arguments, in order */
    size_t n_inputs;
    const char *command_line; /* for the reports */
    const char *waivers_path; /* --waivers FILE, or NULL */
};

int audit_run(const struct audit_options *opt);

#endif
