/* SPDX-License-Identifier: ISC */
/* JUnit report: renders the finished audit as JUnit XML valid against both
 * the Jenkins xunit junit-10.xsd and the Ant (windyroad) JUnit.xsd, counted
 * by CI dashboards as the Total line counts: an "inputs" suite whose
 * properties describe the run and every input file and whose testcases are
 * the errors that are no subscription's (a refused waiver entry), then one
 * suite per selected rule with one testcase per subscription, named
 * "CIS <control> <subscription> (<display name>)". The report format is
 * versioned (report.format) so that a later run can read it as its
 * baseline. */
#ifndef JUNIT_H
#define JUNIT_H

#include <stddef.h>

#include "report.h"

/* A report_writer (see report.h): writes the report to out and closes it. */
int junit_write(const struct report_view *v, xmlOutputBufferPtr out);
/* Renders into memory. Returns 0 and *out and *len (owned by the caller,
 * free()) or -1 when libxml2 failed. */
int junit_render(const struct report_view *v, char **out, size_t *len);

#endif
