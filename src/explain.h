/* SPDX-License-Identifier: ISC */
/* Explanations: the plain-text account of one evidence file or of one
 * subscription's verdict (contacts, each address with its verdict, where the
 * evidence is), shared by the JUnit writer (failure text) and the HTML
 * writer (which lays the same facts out as tables). */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include "report.h"

/* Owned, sanitised, newline-separated text; caller frees. */
char *explain_file(const struct report_view *v, size_t file);
char *explain_subscription(const struct report_view *v, const struct verdict_subscription *s,
                           unsigned rule);

/* "2017-08-01-preview, 2020-01-01-preview" for a bit set; static buffer. */
const char *explain_api_versions(unsigned api);
/* The status word of a file: "read", "ERROR", "skipped". */
const char *explain_file_status(const struct evidence_file *f);
/* One word for how a contact's address list was given. */
const char *explain_emails_kind(enum contact_emails kind);

#endif
