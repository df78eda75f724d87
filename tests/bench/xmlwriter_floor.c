/* SPDX-License-Identifier: ISC */
/* Benchmark floor for `make bench`: what libxml2's writer alone costs to
 * write one of this tool's reports. The report is parsed into a tree and
 * flattened into a list of writer calls first (not timed); then the same
 * elements, attributes and texts go through the same calls the tool makes
 * (xmlTextWriter for markup and attributes, report_write_text for texts)
 * into OUT, and the CPU time of that writing alone is printed. Nothing of
 * the tool's own work (facts, reasons, remediation) is in it: a report
 * cannot be written through libxml2 in less.
 *
 *   xmlwriter_floor --junit|--html REPORT OUT
 *
 * prints "cpu_seconds elements attributes texts bytes_written". */
#include "config.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "report.h"
#include "xalloc.h"

enum floor_kind { FLOOR_OPEN, FLOOR_ATTR, FLOOR_TEXT, FLOOR_CLOSE };

/* One writer call; name and text point into the tree, which outlives the
 * list. */
struct floor_call {
    enum floor_kind kind;
    const char *name;
    const char *text;
};

struct floor_calls {
    struct floor_call *v; /* owned */
    size_t n, cap;
    size_t elements, attributes, texts;
};

static void floor_push(struct floor_calls *c, enum floor_kind kind, const xmlChar *name,
                       const xmlChar *text)
{
    xgrow(&c->v, &c->cap, c->n + 1, sizeof *c->v);
    c->v[c->n++] = (struct floor_call){ kind, (const char *)name, (const char *)text };
}

/* Depth first, as the report was written. An attribute's value is its one
 * text child (libxml2 parses entities into text). */
static void floor_flatten(struct floor_calls *c, const xmlNode *node)
{
    for (; node != NULL; node = node->next) {
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            floor_push(c, FLOOR_TEXT, NULL, node->content);
            c->texts++;
        } else if (node->type == XML_ELEMENT_NODE) {
            floor_push(c, FLOOR_OPEN, node->name, NULL);
            c->elements++;
            for (const xmlAttr *a = node->properties; a != NULL; a = a->next) {
                const xmlChar *value = a->children ? a->children->content : BAD_CAST "";
                floor_push(c, FLOOR_ATTR, a->name, value);
                c->attributes++;
            }
            floor_flatten(c, node->children);
            floor_push(c, FLOOR_CLOSE, NULL, NULL);
        }
    }
}

/* The calls, as the tool makes them: JUnit indented with empty elements
 * closed short, HTML with every element closed in full. */
static int floor_write(const struct floor_calls *c, xmlTextWriterPtr w, xmlOutputBufferPtr out,
                       int html)
{
    int rc = 0;
    for (size_t i = 0; i < c->n && rc >= 0; i++) {
        const struct floor_call *k = &c->v[i];
        switch (k->kind) {
        case FLOOR_OPEN: rc = xmlTextWriterStartElement(w, BAD_CAST k->name); break;
        case FLOOR_ATTR:
            rc = xmlTextWriterWriteAttribute(w, BAD_CAST k->name, BAD_CAST k->text);
            break;
        case FLOOR_TEXT: rc = report_write_text(w, out, k->text); break;
        case FLOOR_CLOSE:
            rc = html ? xmlTextWriterFullEndElement(w) : xmlTextWriterEndElement(w);
            break;
        }
    }
    return rc;
}

static double floor_cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "--junit") != 0 && strcmp(argv[1], "--html") != 0)) {
        fputs("usage: xmlwriter_floor --junit|--html REPORT OUT\n", stderr);
        return 2;
    }
    int html = strcmp(argv[1], "--html") == 0;
    int opts = XML_PARSE_NONET | XML_PARSE_HUGE;
    xmlDocPtr doc = html
                        ? htmlReadFile(argv[2], "UTF-8",
                                       HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING)
                        : xmlReadFile(argv[2], NULL, opts | XML_PARSE_NOBLANKS);
    if (doc == NULL) {
        fprintf(stderr, "xmlwriter_floor: cannot read %s\n", argv[2]);
        return 1;
    }
    struct floor_calls calls = { 0 };
    floor_flatten(&calls, xmlDocGetRootElement(doc));

    double start = floor_cpu_now();
    xmlOutputBufferPtr out = xmlOutputBufferCreateFilename(argv[3], NULL, 0);
    xmlTextWriterPtr w = out ? xmlNewTextWriter(out) : NULL;
    if (w == NULL) {
        fprintf(stderr, "xmlwriter_floor: cannot write %s\n", argv[3]);
        return 1;
    }
    if (!html) {
        xmlTextWriterSetIndent(w, 1);
        xmlTextWriterSetIndentString(w, BAD_CAST "  ");
    }
    int rc = (html ? 0 : xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
    if (rc >= 0)
        rc = floor_write(&calls, w, out, html);
    if (rc >= 0)
        rc = xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w); /* flushes and closes out */
    double cpu = floor_cpu_now() - start;

    struct stat st;
    if (rc < 0 || stat(argv[3], &st) != 0) {
        fprintf(stderr, "xmlwriter_floor: writing %s failed\n", argv[3]);
        return 1;
    }
    printf("%.6f %zu %zu %zu %lld\n", cpu, calls.elements, calls.attributes, calls.texts,
           (long long)st.st_size);
    free(calls.v);
    xmlFreeDoc(doc);
    xmlCleanupParser();
    return 0;
}
