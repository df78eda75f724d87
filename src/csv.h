/* SPDX-License-Identifier: ISC */
/* CSV report: one row per subscription and selected rule for spreadsheets
 * and GRC imports (RFC 4180, UTF-8, CRLF, a header row, table order), every
 * cell that a spreadsheet could read as a formula neutralised. */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>

#include "report.h"
#include "xalloc.h"

/* A report_writer (see report.h): writes the table to out and closes it. */
int csv_write(const struct report_view *v, xmlOutputBufferPtr out);
/* Renders into memory. Returns 0 and *out and *len (owned by the caller,
 * free()) or -1 when writing failed. */
int csv_render(const struct report_view *v, char **out, size_t *len);

/* Appends text (NUL-terminated, borrowed) to row as one cell: quoted when
 * it holds a quote, comma, semicolon, CR or LF (quotes doubled); a cell
 * that starts with '=', '+', '-', '@', TAB or CR gets a leading single
 * quote and is quoted, so that no spreadsheet reads it as a formula. */
void csv_quote_cell(struct xbuf *row, const char *text);

#endif
