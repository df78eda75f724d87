/* JUnit report writer (see junit.h). libxml2's text writer does the
 * escaping; every evidence string is sanitised first because the writer
 * passes control characters and bad UTF-8 through (formats-and-libs.md §3). */
#include "config.h"

#include "junit.h"

#include <inttypes.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "facts.h"
#include "rules.h"
#include "sanitize.h"
#include "waivers.h"
#include "xalloc.h"

struct junit {
    xmlTextWriterPtr w;
    int failed;
    const struct report_view *v;
};

static void junit_start(struct junit *j, const char *name)
{
    if (xmlTextWriterStartElement(j->w, BAD_CAST name) < 0)
        j->failed = 1;
}

static void junit_end(struct junit *j)
{
    if (xmlTextWriterEndElement(j->w) < 0)
        j->failed = 1;
}

/* value must already be sanitised (or be our own text). */
static void junit_attr(struct junit *j, const char *name, const char *value)
{
    if (xmlTextWriterWriteAttribute(j->w, BAD_CAST name, BAD_CAST value) < 0)
        j->failed = 1;
}

static void junit_attr_num(struct junit *j, const char *name, size_t n)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", n);
    junit_attr(j, name, buf);
}

static void junit_text(struct junit *j, const char *text)
{
    if (xmlTextWriterWriteString(j->w, BAD_CAST text) < 0)
        j->failed = 1;
}

/* value may come from evidence (a path, a name, a waiver's reason): it is
 * sanitised and masked like every report text. */
static void junit_property(struct junit *j, const char *name, const char *value)
{
    char *clean = report_line(j->v, value, strlen(value));
    junit_start(j, "property");
    junit_attr(j, "name", name);
    junit_attr(j, "value", clean);
    junit_end(j);
    free(clean);
}

/* Attributes every testsuite must carry for the Ant schema. */
static void junit_suite_open(struct junit *j, const char *name, size_t id, size_t tests,
                             size_t failures, size_t errors, size_t skipped)
{
    char stamp[32];
    report_time(j->v->generated, 0, stamp);
    junit_start(j, "testsuite");
    junit_attr(j, "name", name);
    junit_attr(j, "package", "azure-contact-audit");
    junit_attr_num(j, "id", id);
    junit_attr_num(j, "tests", tests);
    junit_attr_num(j, "failures", failures);
    junit_attr_num(j, "errors", errors);
    junit_attr_num(j, "skipped", skipped);
    junit_attr(j, "time", "0.000");
    junit_attr(j, "timestamp", stamp);
    /* Fixed: a report must not depend on the machine that wrote it. */
    junit_attr(j, "hostname", "localhost");
}

static void junit_suite_close(struct junit *j)
{
    junit_start(j, "system-out");
    junit_end(j);
    junit_start(j, "system-err");
    junit_end(j);
    junit_end(j);
}

static void junit_outcome(struct junit *j, const char *element, const char *type,
                          const char *message, const char *text)
{
    char *msg = sanitize_text(message, strlen(message), SANITIZE_ONE_LINE, 0, NULL);
    junit_start(j, element);
    if (type)
        junit_attr(j, "type", type);
    junit_attr(j, "message", msg);
    if (text)
        junit_text(j, text);
    if (xmlTextWriterFullEndElement(j->w) < 0)
        j->failed = 1;
    free(msg);
}

/* Waivers and their use, so the JUnit file alone shows what was accepted. */
static void junit_waiver_properties(struct junit *j)
{
    const struct waiver_set *ws = j->v->waivers;
    if (ws == NULL)
        return;
    junit_property(j, "waivers.path", ws->path);
    junit_property(j, "waivers.sha256", ws->hashed ? ws->sha256 : "(not read)");
    for (size_t i = 0; i < ws->count; i++) {
        const struct waiver *w = &ws->items[i];
        char name[64], use[128];
        snprintf(name, sizeof name, "waiver.%zu.subscription", i);
        junit_property(j, name, w->subscription);
        snprintf(name, sizeof name, "waiver.%zu.rule", i);
        junit_property(j, name, w->rule_text);
        snprintf(name, sizeof name, "waiver.%zu.ticket", i);
        junit_property(j, name, w->ticket);
        snprintf(name, sizeof name, "waiver.%zu.expires", i);
        junit_property(j, name, w->expires);
        snprintf(name, sizeof name, "waiver.%zu.reason", i);
        junit_property(j, name, w->reason);
        snprintf(name, sizeof name, "waiver.%zu.status", i);
        if (w->expired)
            snprintf(use, sizeof use, "expired: ignored");
        else if (w->refused)
            snprintf(use, sizeof use, "applied to %zu FAIL verdict(s); not to %zu ERROR verdict(s)",
                     w->used, w->refused);
        else
            snprintf(use, sizeof use, "applied to %zu FAIL verdict(s)", w->used);
        junit_property(j, name, use);
    }
}

/* "1.3.0 2.13; 1.4.0 2.13; 1.5.0 2.3.2; ...": the control's id in every
 * edition, so that a ticket citing another edition can be matched. */
static void junit_equivalents(struct junit *j)
{
    struct xbuf b = { 0 };
    for (const struct rule_edition_id *e = rules_table[RULE_CONTACT_EMAIL].ids; e->edition; e++) {
        if (b.len)
            xbuf_add(&b, "; ");
        xbuf_add(&b, e->edition);
        xbuf_add(&b, " ");
        xbuf_add(&b, e->id);
    }
    char *text = xbuf_finish(&b);
    junit_property(j, "control.equivalents", text);
    free(text);
}

/* The inventory's names, so that a subscription reads as more than a GUID
 * in the JUnit file too (passing testcases carry no text). */
static void junit_inventory_properties(struct junit *j)
{
    const struct verdict_table *t = j->v->table;
    for (size_t i = 0, n = verdicts_count(t); i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(t, i);
        if (!s->known || s->display_name == NULL)
            continue;
        char name[96];
        snprintf(name, sizeof name, "subscription.%s.name", s->id);
        junit_property(j, name, s->display_name);
    }
}

static void junit_run_properties(struct junit *j)
{
    const struct report_view *v = j->v;
    char stamp[32];
    report_time(v->generated, 1, stamp);
    junit_property(j, "tool.version", PACKAGE_VERSION);
    junit_property(j, "tool.libraries", report_versions());
    junit_property(j, "benchmark", "CIS Microsoft Azure Foundations Benchmark");
    junit_property(j, "benchmark.edition", v->edition);
    junit_property(j, "control.id", rules_control_id(&rules_table[RULE_CONTACT_EMAIL], v->edition));
    junit_property(j, "control.title", rules_table[RULE_CONTACT_EMAIL].title);
    junit_equivalents(j);
    junit_property(j, "generated.utc", stamp);
    junit_property(j, "generated.source", v->time_from_env ? "SOURCE_DATE_EPOCH" : "clock");
    junit_property(j, "command", v->command_line);
    junit_property(j, "redacted", v->redact ? "yes" : "no");
    junit_waiver_properties(j);
    junit_inventory_properties(j);
    for (size_t i = 0; i < v->files->count; i++) {
        const struct evidence_file *f = &v->files->files[i];
        char name[64], size[32];
        snprintf(name, sizeof name, "input.%zu.path", i);
        junit_property(j, name, f->path);
        snprintf(name, sizeof name, "input.%zu.size", i);
        snprintf(size, sizeof size, "%" PRIu64, f->size);
        junit_property(j, name, size);
        snprintf(name, sizeof name, "input.%zu.sha256", i);
        junit_property(j, name, f->hashed ? f->sha256 : "(not read)");
    }
}

static void junit_evidence_suite(struct junit *j)
{
    const struct evidence_list *files = j->v->files;
    size_t errors = 0, skipped = 0;
    for (size_t i = 0; i < files->count; i++) {
        errors += files->files[i].status == EVIDENCE_ERROR;
        skipped += files->files[i].status == EVIDENCE_SKIPPED;
    }
    junit_suite_open(j, "evidence", 0, files->count, 0, errors, skipped);
    junit_start(j, "properties");
    junit_run_properties(j);
    junit_end(j);
    for (size_t i = 0; i < files->count; i++) {
        const struct evidence_file *f = &files->files[i];
        char *path = report_line(j->v, f->path, strlen(f->path));
        size_t n = strlen(path) + 48;
        char *name = xmalloc(n);
        snprintf(name, n, "evidence #%zu readable: %s", i + 1, path);
        junit_start(j, "testcase");
        junit_attr(j, "name", name);
        junit_attr(j, "classname", "azure-contact-audit.evidence");
        junit_attr(j, "time", "0.000");
        char *text = explain_file(j->v, i);
        char *why = report_file_message(j->v, f);
        if (f->status == EVIDENCE_ERROR)
            junit_outcome(j, "error", "unreadable-evidence", why, text);
        else if (f->status == EVIDENCE_SKIPPED)
            junit_outcome(j, "skipped", NULL, why, text);
        free(why);
        junit_end(j);
        free(text);
        free(name);
        free(path);
    }
    junit_suite_close(j);
}

/* "azure-contact-audit.<subscription>"; Jenkins splits classname at the
 * last dot, so there is none inside the subscription. Caller frees. */
static char *junit_classname(const struct report_view *v, const struct verdict_subscription *s)
{
    char *who = report_subscription_name(v, s);
    size_t n = strlen(who) + 32;
    char *classname = xmalloc(n);
    snprintf(classname, n, "azure-contact-audit.%s", who);
    for (char *p = classname + strlen("azure-contact-audit."); *p; p++)
        if (*p == '.')
            *p = '_';
    free(who);
    return classname;
}

/* One subscription's testcase; only an outcome other than PASS carries
 * the explanation, so it is written only then. */
static void junit_testcase(struct junit *j, const struct verdict_subscription *s, unsigned rule,
                           const char *testname)
{
    const struct verdict_result *res = verdicts_result(j->v->table, s, rule);
    char *classname = junit_classname(j->v, s);
    junit_start(j, "testcase");
    junit_attr(j, "name", testname);
    junit_attr(j, "classname", classname);
    junit_attr(j, "time", "0.000");
    free(classname);
    if (s->disabled || res->status != VERDICT_PASS) {
        char *text = explain_subscription(j->v, s, rule);
        char *reason = facts_reason(j->v, s, rule);
        if (s->disabled)
            junit_outcome(j, "skipped", NULL, "subscription disabled: not audited", text);
        else if (res->status == VERDICT_FAIL)
            junit_outcome(j, "failure", "non-compliant", reason, text);
        else if (res->status == VERDICT_ERROR)
            junit_outcome(j, "error", "undecided", reason, text);
        else
            junit_outcome(j, "skipped", NULL, reason, text);
        free(reason);
        free(text);
    }
    junit_end(j);
}

static void junit_rule_suite(struct junit *j, unsigned rule, size_t id)
{
    const struct report_view *v = j->v;
    const struct rule *r = &rules_table[rule];
    const char *control = rules_control_id(r, v->edition);
    size_t count = verdicts_count(v->table), disabled = v->outcome->not_audited;
    const size_t *tally = v->outcome->counts[rule];
    size_t n = strlen(r->title) + 64;
    char *suite = xmalloc(n);
    snprintf(suite, n, "CIS %s %s %s", v->edition, control, r->title);
    char *testname = xmalloc(n);
    snprintf(testname, n, "CIS %s %s", control, r->title);
    junit_suite_open(j, suite, id, count, tally[VERDICT_FAIL], tally[VERDICT_ERROR],
                     tally[VERDICT_WAIVED] + disabled);
    junit_start(j, "properties");
    junit_property(j, "rule", r->key);
    junit_property(j, "control.id", control);
    junit_property(j, "control.level", r->level);
    junit_end(j);
    for (size_t i = 0; i < count; i++)
        junit_testcase(j, verdicts_get(v->table, i), rule, testname);
    junit_suite_close(j);
    free(suite);
    free(testname);
}

int junit_write(const struct report_view *v, xmlOutputBufferPtr out)
{
    struct junit j = { xmlNewTextWriter(out), 0, v };
    if (j.w == NULL) {
        xmlOutputBufferClose(out);
        return -1;
    }
    xmlTextWriterSetIndent(j.w, 1);
    xmlTextWriterSetIndentString(j.w, BAD_CAST "  ");
    if (xmlTextWriterStartDocument(j.w, NULL, "UTF-8", NULL) < 0)
        j.failed = 1;
    junit_start(&j, "testsuites");
    junit_evidence_suite(&j);
    size_t id = 1;
    for (unsigned r = 0; r < RULE_COUNT; r++) {
        if (v->rules & (1u << r))
            junit_rule_suite(&j, r, id++);
    }
    junit_end(&j);
    if (xmlTextWriterEndDocument(j.w) < 0)
        j.failed = 1;
    /* Frees out too, after flushing it. */
    xmlFreeTextWriter(j.w);
    return j.failed ? -1 : 0;
}

int junit_render(const struct report_view *v, char **out, size_t *len)
{
    return report_render(junit_write, v, out, len);
}
