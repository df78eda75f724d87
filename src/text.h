/* SPDX-License-Identifier: ISC */
/* Text: the verdict lines and the Total line on standard output, rendered
 * from the same report view and words as every other report. Used by the
 * driver. */
#ifndef TEXT_H
#define TEXT_H

#include <stdio.h>

#include "report.h"

/* Writes one line per audited subscription and selected rule (unless
 * quiet), then the Total line, to out. Returns 0, or -1 when out failed. */
int text_write(const struct report_view *v, FILE *out, int quiet);

#endif
