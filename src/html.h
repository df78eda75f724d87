/* HTML evidence report: one self-contained page (inline stylesheet from
 * reports/style.css, a Content-Security-Policy that forbids everything
 * else, no script) built with libxml2's tree API so that evidence is only
 * ever a text node or an attribute value, serialised and escaped by
 * libxml2 (the long lists reuse the markup libxml2 serialised once per row
 * shape around their text nodes: see html.c). */
#ifndef HTML_H
#define HTML_H

#include <stddef.h>

#include "report.h"

/* A report_writer (see report.h): writes the page to out and closes it. */
int html_write(const struct report_view *v, xmlOutputBufferPtr out);
/* Renders into memory. Returns 0 and *out and *len (owned by the caller,
 * free()) or -1 when libxml2 failed. */
int html_render(const struct report_view *v, char **out, size_t *len);
/* The same page with every long-list row built as its own tree of nodes and
 * serialised on its own: slower, and byte for byte what html_render() must
 * give (its rows reuse markup libxml2 serialised once per row shape). For
 * tests and the fuzzer. */
int html_render_reference(const struct report_view *v, char **out, size_t *len);

#endif
