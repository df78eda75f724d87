/* SPDX-License-Identifier: ISC */
/*
 * xpath-rows: a table read out of an XML or HTML report, for the shell
 * tests, in one process where xmllint --xpath starts one per value (and
 * parses the report again each time).
 *
 *   xpath-rows [--html] FILE ROWS [COLUMN]...
 *
 * For each node the XPath expression ROWS selects in FILE, in document
 * order, one line: the string value of each COLUMN expression, evaluated
 * with that node as the context node, separated by tabs; with no COLUMN,
 * the string value of the node itself. A tab, newline, carriage return or
 * backslash inside a value is printed as \t, \n, \r or \\: a line is always
 * one row, and a value that holds one never reads as one that does not.
 *
 * Exit status 0; 1 when FILE cannot be parsed; 2 on a bad command line, an
 * invalid expression, or a ROWS that is not a node set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

/* Prints VALUE with its tabs, line ends and backslashes escaped. */
static void xpath_rows_print_value(const xmlChar *value)
{
    for (const xmlChar *p = value; *p != '\0'; p++) {
        switch (*p) {
        case '\t': fputs("\\t", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        default: putchar(*p);
        }
    }
}

/* Prints one row: each of the COUNT COLUMNS evaluated at NODE. Returns 0,
 * or 2 when a column cannot be evaluated. */
static int xpath_rows_print_row(xmlXPathContextPtr context, xmlNodePtr node,
                                xmlXPathCompExprPtr *columns, int count)
{
    for (int i = 0; i < count; i++) {
        context->node = node;
        xmlXPathObjectPtr result = xmlXPathCompiledEval(columns[i], context);
        if (result == NULL)
            return 2;
        xmlChar *value = xmlXPathCastToString(result);
        if (i > 0)
            putchar('\t');
        xpath_rows_print_value(value);
        xmlFree(value);
        xmlXPathFreeObject(result);
    }
    putchar('\n');
    return 0;
}

/* Evaluates ROWS in DOC and prints a row of the COUNT COLUMN_TEXTS for each
 * node. Returns the exit status. */
static int xpath_rows_print_table(xmlDocPtr doc, const char *rows, char *const *column_texts,
                                  int count)
{
    int status = 2;
    /* All three owned here, freed at the end. */
    xmlXPathCompExprPtr *columns = calloc((size_t)count, sizeof *columns);
    xmlXPathContextPtr context = xmlXPathNewContext(doc);
    xmlXPathObjectPtr selected = NULL;
    if (columns == NULL || context == NULL)
        goto out;
    for (int i = 0; i < count; i++) {
        columns[i] = xmlXPathCompile((const xmlChar *)column_texts[i]);
        if (columns[i] == NULL) {
            fprintf(stderr, "xpath-rows: invalid column expression: %s\n", column_texts[i]);
            goto out;
        }
    }
    selected = xmlXPathEvalExpression((const xmlChar *)rows, context);
    if (selected == NULL || selected->type != XPATH_NODESET) {
        fprintf(stderr, "xpath-rows: not a node set: %s\n", rows);
        goto out;
    }
    status = 0;
    for (int n = 0; selected->nodesetval != NULL && n < selected->nodesetval->nodeNr && status == 0;
         n++)
        status = xpath_rows_print_row(context, selected->nodesetval->nodeTab[n], columns, count);
out:
    xmlXPathFreeObject(selected);
    for (int i = 0; columns != NULL && i < count; i++)
        xmlXPathFreeCompExpr(columns[i]);
    free(columns);
    xmlXPathFreeContext(context);
    return status;
}

int main(int argc, char **argv)
{
    int html = argc > 1 && strcmp(argv[1], "--html") == 0;
    if (argc < 3 + html) {
        fputs("usage: xpath-rows [--html] FILE ROWS [COLUMN]...\n", stderr);
        return 2;
    }
    const char *file = argv[1 + html];
    /* The reports are read as xmllint reads them, without its messages. */
    xmlDocPtr doc =
        html
            ? htmlReadFile(file, NULL, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING)
            : xmlReadFile(file, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL) {
        fprintf(stderr, "xpath-rows: cannot parse %s\n", file);
        return 1;
    }
    /* With no COLUMN, the one column is the node's own string value. */
    static char *const node_itself[] = { "." };
    int count = argc - 3 - html;
    int status = count > 0 ? xpath_rows_print_table(doc, argv[2 + html], argv + 3 + html, count)
                           : xpath_rows_print_table(doc, argv[2 + html], node_itself, 1);
    xmlFreeDoc(doc);
    xmlCleanupParser();
    if (fflush(stdout) != 0)
        status = 1;
    return status;
}
