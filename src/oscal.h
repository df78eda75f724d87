/* SPDX-License-Identifier: ISC */
/* OSCAL report: the run as an OSCAL 1.0.6 assessment-results document
 * (JSON, written with yajl's generator): one result, the reviewed CIS
 * controls, one observation per subscription pointing at its evidence
 * files (their SHA-256 in the back-matter), one finding per subscription
 * and rule. Every UUID is a version 5 UUID of what it names, so a run over
 * the same bundle under SOURCE_DATE_EPOCH gives the same bytes. */
#ifndef OSCAL_H
#define OSCAL_H

#include <stddef.h>

#include "report.h"

#define OSCAL_VERSION "1.0.6"

/* A report_writer (see report.h): writes the document to out and closes it. */
int oscal_write(const struct report_view *v, xmlOutputBufferPtr out);
/* Renders into memory: 0 and *out, *len (owned by the caller, free()), or -1. */
int oscal_render(const struct report_view *v, char **out, size_t *len);

/* The RFC 4122 version 5 UUID (SHA-1) of name[0..len) in namespace ns,
 * lowercase 8-4-4-4-12 with a NUL. */
void oscal_uuid5(const unsigned char ns[16], const char *name, size_t len, char out[37]);

#endif
