/* SPDX-License-Identifier: ISC */
/* Baseline: reading an earlier JUnit report and marking what changed (see
 * baseline.h). */
#include "config.h"

#include "baseline.h"

#include <errno.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "sanitize.h"
#include "xalloc.h"

/* What the reader has seen so far. */
struct baseline_reader {
    struct baseline *b;
    xmlTextReaderPtr r;
    char *refusal;   /* owned: why the file is refused, the first reason */
    int suites;      /* <testsuite> elements met */
    int in_inputs;   /* inside the inputs suite */
    int identified;  /* the inputs suite named this tool and format */
    char *tool_name; /* owned */
    char *format;    /* owned */
    int rule;        /* the current rule suite's rule, or -1 */
    int in_case;     /* inside a testcase that names a subscription */
    struct baseline_entry entry;
};

static void baseline_refuse(struct baseline_reader *br, const char *why)
{
    if (br->refusal == NULL)
        br->refusal = xstrdup(why);
}

/* libxml2's words for what is wrong with the XML, and where: kept for the
 * message, never printed by libxml2 itself. */
static void baseline_on_error(void *arg, xmlErrorPtr error)
{
    struct baseline_reader *br = arg;
    if (error == NULL || error->level < XML_ERR_ERROR || error->message == NULL)
        return;
    size_t n = strlen(error->message);
    while (n > 0 && (error->message[n - 1] == '\n' || error->message[n - 1] == ' '))
        n--;
    char *clean = sanitize_text(error->message, n, SANITIZE_ONE_LINE, 200, NULL);
    char head[64];
    snprintf(head, sizeof head, "not well-formed XML at line %d: ", error->line);
    struct xbuf b = { 0 };
    xbuf_add(&b, head);
    xbuf_add(&b, clean);
    char *why = xbuf_finish(&b);
    baseline_refuse(br, why);
    free(why);
    free(clean);
}

/* The attribute name of the current element, or NULL; caller frees. */
static char *baseline_attr(struct baseline_reader *br, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(br->r, BAD_CAST name);
    if (v == NULL)
        return NULL;
    char *copy = xstrdup((const char *)v);
    xmlFree(v);
    return copy;
}

/* The run's own properties, in the inputs suite: who wrote the report,
 * in which format, and when. */
static void baseline_input_property(struct baseline_reader *br, const char *name, const char *value)
{
    char **slot = NULL;
    if (strcmp(name, "tool.name") == 0)
        slot = &br->tool_name;
    else if (strcmp(name, "tool.version") == 0)
        slot = &br->b->tool_version;
    else if (strcmp(name, "report.format") == 0)
        slot = &br->format;
    else if (strcmp(name, "generated.utc") == 0)
        slot = &br->b->generated;
    if (slot && *slot == NULL)
        *slot = xstrdup(value);
}

/* Whether the inputs suite identified a report this version reads; says
 * why not. */
static int baseline_identify(struct baseline_reader *br)
{
    char why[256];
    if (br->tool_name == NULL || strcmp(br->tool_name, "azure-contact-audit") != 0) {
        if (br->b->tool_version)
            snprintf(why, sizeof why,
                     "written by azure-contact-audit %.40s in an older report format (this "
                     "version reads format " BASELINE_FORMAT ")",
                     br->b->tool_version);
        else
            snprintf(why, sizeof why,
                     "not a JUnit report of azure-contact-audit (no tool.name property in its "
                     "first suite)");
        baseline_refuse(br, why);
        return 0;
    }
    if (br->format == NULL || strcmp(br->format, BASELINE_FORMAT) != 0) {
        snprintf(why, sizeof why,
                 "written by azure-contact-audit %.40s in report format %.20s (this version "
                 "reads format " BASELINE_FORMAT ")",
                 br->b->tool_version ? br->b->tool_version : "(unknown version)",
                 br->format ? br->format : "1");
        baseline_refuse(br, why);
        return 0;
    }
    if (br->b->generated == NULL) {
        baseline_refuse(br, "its inputs suite has no generated.utc property");
        return 0;
    }
    br->identified = 1;
    return 1;
}

static void baseline_property(struct baseline_reader *br)
{
    char *name = baseline_attr(br, "name"), *value = baseline_attr(br, "value");
    if (name && value) {
        if (br->in_inputs)
            baseline_input_property(br, name, value);
        else if (strcmp(name, "rule") == 0 && (br->rule = rules_find(value)) >= 0)
            br->b->rules |= 1u << br->rule;
    }
    free(name);
    free(value);
}

/* "CIS <control> <subscription>[ (<name>)]": the subscription and its
 * name; 0 for a testcase that is no subscription's (a file's). */
static int baseline_parse_name(const char *text, struct baseline_entry *e)
{
    if (strncmp(text, "CIS ", 4) != 0)
        return 0;
    const char *sp = strchr(text + 4, ' ');
    if (sp == NULL || strlen(sp + 1) < GUID_TEXT_LEN ||
        !guid_parse(sp + 1, GUID_TEXT_LEN, e->subscription))
        return 0;
    const char *rest = sp + 1 + GUID_TEXT_LEN;
    size_t n = strlen(rest);
    if (n > 3 && rest[0] == ' ' && rest[1] == '(' && rest[n - 1] == ')')
        e->name = xmemdup0(rest + 2, n - 3);
    return 1;
}

static void baseline_add(struct baseline_reader *br)
{
    struct baseline *b = br->b;
    xgrow(&b->items, &b->cap, b->count + 1, sizeof *b->items);
    b->items[b->count++] = br->entry;
    memset(&br->entry, 0, sizeof br->entry);
    br->in_case = 0;
}

static void baseline_testcase(struct baseline_reader *br)
{
    if (br->rule < 0) {
        baseline_refuse(br, "a suite names no rule this version knows (property 'rule')");
        return;
    }
    char *name = baseline_attr(br, "name");
    memset(&br->entry, 0, sizeof br->entry);
    if (name && baseline_parse_name(name, &br->entry)) {
        br->entry.rule = (uint8_t)br->rule;
        br->entry.status = BASELINE_PASS;
        br->in_case = 1;
        if (xmlTextReaderIsEmptyElement(br->r))
            baseline_add(br);
    }
    free(name);
}

/* A testcase's outcome: failure, error, or skipped (waived, or not audited). */
static void baseline_outcome(struct baseline_reader *br, const char *element)
{
    if (strcmp(element, "failure") == 0) {
        br->entry.status = BASELINE_FAIL;
    } else if (strcmp(element, "error") == 0) {
        br->entry.status = BASELINE_ERROR;
    } else if (strcmp(element, "skipped") == 0) {
        char *msg = baseline_attr(br, "message");
        br->entry.status =
            msg && strncmp(msg, "not audited", 11) == 0 ? BASELINE_NOT_AUDITED : BASELINE_WAIVED;
        free(msg);
    }
}

static void baseline_start(struct baseline_reader *br, const char *element, int depth)
{
    if (depth == 0) {
        if (strcmp(element, "testsuites") != 0)
            baseline_refuse(br, "not a JUnit report of azure-contact-audit (no <testsuites>)");
        return;
    }
    if (depth == 1 && strcmp(element, "testsuite") == 0) {
        br->suites++;
        /* the first suite says who wrote the report (older formats too) */
        br->in_inputs = br->suites == 1;
        if (br->suites == 2 && !br->identified)
            baseline_identify(br);
        br->rule = -1;
        return;
    }
    if (depth == 3 && strcmp(element, "property") == 0)
        baseline_property(br);
    else if (depth == 2 && strcmp(element, "testcase") == 0 && !br->identified && !br->in_inputs)
        baseline_identify(br); /* a testcase before the inputs suite said who wrote it */
    else if (depth == 2 && strcmp(element, "testcase") == 0 && !br->in_inputs)
        baseline_testcase(br);
    else if (depth == 3 && br->in_case)
        baseline_outcome(br, element);
}

static void baseline_end(struct baseline_reader *br, const char *element, int depth)
{
    if (depth == 2 && br->in_case && strcmp(element, "testcase") == 0)
        baseline_add(br);
    else if (depth == 1 && br->suites == 1 && !br->identified)
        baseline_identify(br);
}

static int baseline_order(const void *pa, const void *pb)
{
    const struct baseline_entry *a = pa, *b = pb;
    int c = memcmp(a->subscription, b->subscription, GUID_TEXT_LEN);
    return c ? c : (int)a->rule - (int)b->rule;
}

static void baseline_read(struct baseline_reader *br)
{
    int rc;
    while (br->refusal == NULL && (rc = xmlTextReaderRead(br->r)) == 1) {
        int type = xmlTextReaderNodeType(br->r);
        const char *element = (const char *)xmlTextReaderConstLocalName(br->r);
        int depth = xmlTextReaderDepth(br->r);
        if (element == NULL)
            continue;
        if (type == XML_READER_TYPE_ELEMENT)
            baseline_start(br, element, depth);
        else if (type == XML_READER_TYPE_END_ELEMENT)
            baseline_end(br, element, depth);
    }
    if (br->refusal == NULL && rc < 0)
        baseline_refuse(br, "not well-formed XML");
    if (br->refusal == NULL && !br->identified)
        baseline_identify(br);
}

int baseline_load(struct baseline *b, const char *path, struct diag *d)
{
    memset(b, 0, sizeof *b);
    b->path = xstrdup(path);
    struct baseline_reader br = { .b = b, .rule = -1 };
    /* No network, no DTD, no entities from outside: a report is data. */
    FILE *probe = fopen(path, "r");
    if (probe == NULL) {
        char why[160];
        snprintf(why, sizeof why, "cannot open: %s", strerror(errno));
        baseline_refuse(&br, why);
    } else {
        fclose(probe);
        /* Read as UTF-8 whatever it declares: this tool writes nothing
         * else, and another encoding would have libxml2 load a converter
         * (ICU's, which the static program does not carry). */
        br.r = xmlReaderForFile(path, "UTF-8", XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
    }
    if (br.r == NULL) {
        baseline_refuse(&br, "not XML");
    } else {
        xmlTextReaderSetStructuredErrorHandler(br.r, baseline_on_error, &br);
        baseline_read(&br);
        xmlFreeTextReader(br.r);
    }
    free(br.entry.name);
    free(br.tool_name);
    free(br.format);
    if (br.refusal) {
        diag_emit(d, path, 0, 0, D_BASELINE_REFUSED, br.refusal, NULL);
        free(br.refusal);
        return -1;
    }
    if (b->count)
        qsort(b->items, b->count, sizeof *b->items, baseline_order);
    return 0;
}

void baseline_free(struct baseline *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->count; i++)
        free(b->items[i].name);
    free(b->items);
    free(b->marks);
    free(b->path);
    free(b->generated);
    free(b->tool_version);
    memset(b, 0, sizeof *b);
}

static const struct baseline_entry *baseline_find(const struct baseline_entry *items, size_t n,
                                                  const char *sub, unsigned rule)
{
    struct baseline_entry key;
    memcpy(key.subscription, sub, sizeof key.subscription);
    key.rule = (uint8_t)rule;
    return n ? bsearch(&key, items, n, sizeof *items, baseline_order) : NULL;
}

static int baseline_failing(enum baseline_status s)
{
    return s == BASELINE_FAIL || s == BASELINE_ERROR || s == BASELINE_WAIVED;
}

/* The change from then (NULL: not in the baseline) to now. */
static enum baseline_change baseline_compare(const struct baseline_entry *then,
                                             const struct verdict_subscription *s,
                                             enum verdict_status now)
{
    if (then == NULL)
        return CHANGE_NEW_SUBSCRIPTION;
    if (s->disabled)
        return CHANGE_UNCHANGED;
    int was = baseline_failing((enum baseline_status)then->status);
    if (now == VERDICT_PASS)
        return was ? CHANGE_FIXED : CHANGE_UNCHANGED;
    if (was)
        return CHANGE_STILL_FAILING;
    return now == VERDICT_ERROR ? CHANGE_NEW_ERROR : CHANGE_NEW_FAIL;
}

void baseline_mark(struct baseline *b, const struct verdict_table *t, unsigned selected)
{
    size_t n = verdicts_count(t), cap = 0;
    free(b->marks);
    b->marks = NULL;
    b->n_marks = 0;
    memset(b->counts, 0, sizeof b->counts);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(t, i);
        if (!s->known)
            continue;
        for (unsigned rule = 0; rule < RULE_COUNT; rule++) {
            /* a rule the baseline did not decide cannot have changed */
            if (!(selected & (1u << rule)) || !(b->rules & (1u << rule)))
                continue;
            const struct baseline_entry *found = baseline_find(b->items, b->count, s->id, rule);
            struct baseline_entry *then = found ? &b->items[found - b->items] : NULL;
            enum verdict_status now = verdicts_result(t, s, rule)->status;
            struct baseline_entry m = { 0 };
            memcpy(m.subscription, s->id, sizeof m.subscription);
            m.rule = (uint8_t)rule;
            m.status = then ? then->status : BASELINE_PASS;
            m.change = (uint8_t)baseline_compare(then, s, now);
            if (then)
                then->seen = 1;
            xgrow(&b->marks, &cap, b->n_marks + 1, sizeof *b->marks);
            b->marks[b->n_marks++] = m;
            b->counts[m.change]++;
        }
    }
    for (size_t i = 0; i < b->count; i++) {
        struct baseline_entry *e = &b->items[i];
        if (!e->seen && (selected & (1u << e->rule))) {
            e->change = CHANGE_GONE;
            b->counts[CHANGE_GONE]++;
        }
    }
    if (b->n_marks)
        qsort(b->marks, b->n_marks, sizeof *b->marks, baseline_order);
}

const char *baseline_name_change(enum baseline_change change)
{
    switch (change) {
    case CHANGE_NONE: return "";
    case CHANGE_UNCHANGED: return "unchanged";
    case CHANGE_NEW_FAIL: return "new FAIL";
    case CHANGE_NEW_ERROR: return "new ERROR";
    case CHANGE_FIXED: return "fixed";
    case CHANGE_STILL_FAILING: return "still failing";
    case CHANGE_NEW_SUBSCRIPTION: return "new subscription";
    case CHANGE_GONE: return "no longer in the evidence";
    }
    return "";
}

const char *baseline_name_status(enum baseline_status status)
{
    switch (status) {
    case BASELINE_PASS: return "PASS";
    case BASELINE_FAIL: return "FAIL";
    case BASELINE_ERROR: return "ERROR";
    case BASELINE_WAIVED: return "WAIVED";
    case BASELINE_NOT_AUDITED: return "not audited";
    }
    return "";
}

const char *baseline_change(const struct baseline *b, const char *sub, unsigned rule)
{
    if (b == NULL)
        return "";
    const struct baseline_entry *m = baseline_find(b->marks, b->n_marks, sub, rule);
    return m ? baseline_name_change((enum baseline_change)m->change) : "";
}

char *baseline_summarise(const struct baseline *b)
{
    static const enum baseline_change shown[] = {
        CHANGE_NEW_FAIL,      CHANGE_NEW_ERROR,        CHANGE_FIXED,
        CHANGE_STILL_FAILING, CHANGE_NEW_SUBSCRIPTION, CHANGE_GONE
    };
    struct xbuf t = { 0 };
    for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
        char part[64];
        snprintf(part, sizeof part, "%s%zu %s", i ? ", " : "", b->counts[shown[i]],
                 baseline_name_change(shown[i]));
        xbuf_add(&t, part);
    }
    return xbuf_finish(&t);
}
