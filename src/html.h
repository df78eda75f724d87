/* SPDX-License-Identifier: ISC */
/* HTML evidence report: one self-contained page (inline stylesheet from
 * reports/style.css, a Content-Security-Policy that forbids everything
 * else, no script), written by the report stage through libxml2's text
 * writer, so that evidence is only ever text or an attribute value that
 * libxml2 escapes. */
#ifndef HTML_H
#define HTML_H

#include <stddef.h>

#include "report.h"

/* A report_writer (see report.h): writes the page to out and closes it. */
int html_write(const struct report_view *v, xmlOutputBufferPtr out);
/* Renders into memory. Returns 0 and *out and *len (owned by the caller,
 * free()) or -1 when libxml2 failed. */
int html_render(const struct report_view *v, char **out, size_t *len);
/* html_render with the rows of the long tables in blocks of `block`
 * subscriptions, every other block written on a second thread (SIZE_MAX:
 * one block, one thread). The page is the same bytes for every block size;
 * the tests check that. */
int html_render_blocks(const struct report_view *v, size_t block, char **out, size_t *len);

#endif
