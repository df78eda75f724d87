/* SPDX-License-Identifier: ISC */
/* JUnit report writer (see junit.h). libxml2's text writer does the
 * escaping; every evidence string is sanitised first because the writer
 * passes control characters and bad UTF-8 through. */
#include "config.h"

#include "junit.h"

#include <inttypes.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "cite.h"
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
    xmlOutputBufferPtr out; /* the writer's: texts are escaped into it */
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
    if (report_write_text(j->w, j->out, text) < 0)
        j->failed = 1;
}

/* value may come from evidence (a path, a name, a waiver's reason): it is
 * sanitised and masked like every report text. */
/* A property whose value is already a report text. */
static void junit_property_clean(struct junit *j, const char *name, const char *clean)
{
    junit_start(j, "property");
    junit_attr(j, "name", name);
    junit_attr(j, "value", clean);
    junit_end(j);
}

static void junit_property(struct junit *j, const char *name, const char *value)
{
    char *clean = report_line(j->v, value, strlen(value));
    junit_property_clean(j, name, clean);
    free(clean);
}

/* "kind.i.field" = value: one field of the i-th input or waiver. */
static void junit_numbered(struct junit *j, const char *kind, size_t i, const char *field,
                           const char *value)
{
    char name[64];
    snprintf(name, sizeof name, "%s.%zu.%s", kind, i, field);
    junit_property(j, name, value);
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
        char use[128];
        junit_numbered(j, "waiver", i, "subscription", w->subscription);
        junit_numbered(j, "waiver", i, "rule", w->rule_text);
        junit_numbered(j, "waiver", i, "ticket", w->ticket);
        junit_numbered(j, "waiver", i, "expires", w->expires);
        junit_numbered(j, "waiver", i, "reason", w->reason);
        if (w->expired)
            snprintf(use, sizeof use, "expired: ignored");
        else if (w->refused)
            snprintf(use, sizeof use, "applied to %zu FAIL verdict(s); not to %zu ERROR verdict(s)",
                     w->used, w->refused);
        else
            snprintf(use, sizeof use, "applied to %zu FAIL verdict(s)", w->used);
        junit_numbered(j, "waiver", i, "status", use);
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
        const struct verdict_extra *x = verdicts_extra(s);
        if (!s->known || x->display_name == NULL)
            continue;
        char name[96];
        snprintf(name, sizeof name, "subscription.%s.name", s->id);
        junit_property(j, name, x->display_name);
    }
}

/* The baseline and what changed since, so that the JUnit file alone
 * shows the changes: in the inputs suite the baseline and the entries no
 * longer in the evidence, in each rule suite every change but
 * "unchanged". */
static void junit_baseline_properties(struct junit *j)
{
    const struct baseline *b = j->v->baseline;
    if (b == NULL)
        return;
    junit_property(j, "baseline.path", b->path);
    junit_property(j, "baseline.generated.utc", b->generated);
    junit_property(j, "baseline.tool.version", b->tool_version ? b->tool_version : "");
    char *changes = baseline_summarise(b);
    junit_property(j, "baseline.changes", changes);
    free(changes);
    size_t k = 0;
    for (size_t i = 0; i < b->count; i++) {
        const struct baseline_entry *e = &b->items[i];
        if (e->change != CHANGE_GONE)
            continue;
        char text[128];
        snprintf(text, sizeof text, "%s %s: no longer in the evidence (%s in the baseline)",
                 e->subscription, rules_control_id(&rules_table[e->rule], j->v->edition),
                 baseline_name_status((enum baseline_status)e->status));
        junit_numbered(j, "baseline.gone", k++, "subscription", text);
    }
}

static void junit_change_properties(struct junit *j, unsigned rule)
{
    const struct baseline *b = j->v->baseline;
    for (size_t i = 0; b && i < b->n_marks; i++) {
        const struct baseline_entry *m = &b->marks[i];
        if (m->rule != rule || m->change == CHANGE_UNCHANGED)
            continue;
        char name[96];
        snprintf(name, sizeof name, "change.%s", m->subscription);
        junit_property(j, name, baseline_name_change((enum baseline_change)m->change));
    }
}

static void junit_input_properties(struct junit *j)
{
    const struct evidence_list *files = j->v->files;
    for (size_t i = 0; i < files->count; i++) {
        const struct evidence_file *f = &files->files[i];
        char size[32];
        junit_numbered(j, "input", i, "path", f->path);
        snprintf(size, sizeof size, "%" PRIu64, f->size);
        junit_numbered(j, "input", i, "size", size);
        junit_numbered(j, "input", i, "sha256", f->hashed ? f->sha256 : "(not read)");
        junit_numbered(j, "input", i, "status", explain_file_status(f));
        if (f->status != EVIDENCE_READ) {
            char *why = report_file_message(j->v, f);
            junit_numbered(j, "input", i, "why", why);
            free(why);
        }
    }
}

/* When the evidence was collected, and each delivered manifest's verdict
 * with its own SHA-256, as the HTML report's summary states them. */
static void junit_chain_properties(struct junit *j)
{
    const struct chain *c = j->v->chain;
    const struct chain_collected *when = c ? chain_bundle_collected(c) : NULL;
    char stamp[32];
    if (when)
        report_time(when->time, 1, stamp);
    junit_property(j, "collected.utc", when ? stamp : "unknown");
    junit_property(j, "collected.source",
                   when ? when->source : "no manifest or --collected-at says when");
    size_t n = c ? chain_root_count(c) : 0;
    junit_property(j, "manifests",
                   n ? "delivered" : "none delivered: the digests are the tool's own");
    for (size_t i = 0; i < n; i++) {
        const struct manifests_summary *m = &chain_root_at(c, i)->summary;
        char *verdict = report_manifest_verdict(m);
        junit_numbered(j, "manifest", i, "verdict", verdict);
        free(verdict);
        if (m->manifest) {
            junit_numbered(j, "manifest", i, "path", m->manifest);
            junit_numbered(j, "manifest", i, "sha256", m->manifest_sha256);
        }
    }
    junit_property(j, "addresses.judged", report_judged(j->v));
}

static void junit_run_properties(struct junit *j)
{
    const struct report_view *v = j->v;
    char stamp[32];
    report_time(v->generated, 1, stamp);
    junit_property(j, "tool.name", "azure-contact-audit");
    junit_property(j, "tool.version", PACKAGE_VERSION);
    /* for a later run that reads this report as its baseline */
    junit_property(j, "report.format", BASELINE_FORMAT);
    junit_property(j, "tool.libraries", report_versions());
    junit_property(j, "benchmark", "CIS Microsoft Azure Foundations Benchmark");
    junit_property(j, "benchmark.edition", v->edition);
    junit_property(j, "control.id", rules_control_id(&rules_table[RULE_CONTACT_EMAIL], v->edition));
    junit_property(j, "control.title", rules_table[RULE_CONTACT_EMAIL].title);
    junit_equivalents(j);
    junit_property(j, "generated.utc", stamp);
    junit_property(j, "generated.source", v->time_from_env ? "SOURCE_DATE_EPOCH" : "clock");
    char *command = report_command(v);
    junit_property_clean(j, "command", command);
    free(command);
    junit_property(j, "redacted", v->redact ? "yes" : "no");
    junit_chain_properties(j);
    junit_baseline_properties(j);
    junit_waiver_properties(j);
    junit_inventory_properties(j);
    junit_input_properties(j);
}

/* An error testcase of the inputs suite: something that makes the run
 * incomplete and is no subscription's verdict. */
static void junit_input_error(struct junit *j, const char *classname, const char *name,
                              const char *type, const char *message, const char *text)
{
    char *clean = report_line(j->v, name, strlen(name));
    char *msg = report_line(j->v, message, strlen(message));
    char *body = text ? report_text(j->v, text, strlen(text)) : NULL;
    junit_start(j, "testcase");
    junit_attr(j, "name", clean);
    junit_attr(j, "classname", classname);
    junit_attr(j, "time", "0.000");
    junit_outcome(j, "error", type, msg, body);
    junit_end(j);
    free(body);
    free(msg);
    free(clean);
}

/* Each refused waiver entry, and a waiver file that is none, is an error
 * testcase: the run is incomplete for it (exit status 2), so a dashboard
 * that counts errors must count it too. */
static void junit_waiver_errors(struct junit *j)
{
    const struct waiver_set *ws = j->v->waivers;
    if (ws == NULL)
        return;
    struct xbuf b = { 0 };
    if (ws->unreadable) {
        xbuf_add(&b, "waiver file ");
        xbuf_add(&b, ws->path);
        char *name = xbuf_finish(&b);
        junit_input_error(j, "azure-contact-audit.waivers", name, "invalid-waiver-file",
                          ws->unreadable_why ? ws->unreadable_why : "invalid waiver file", NULL);
        free(name);
    }
    for (size_t i = 0; i < ws->invalid; i++) {
        const struct waiver_refusal *x = &ws->refusals[i];
        char head[96];
        snprintf(head, sizeof head, "waiver entry #%zu at ", x->entry);
        xbuf_add(&b, head);
        xbuf_add(&b, ws->path);
        snprintf(head, sizeof head, ":%lu:%lu", x->line, x->col);
        xbuf_add(&b, head);
        char *name = xbuf_finish(&b);
        xbuf_add(&b, "invalid waiver: ");
        xbuf_add(&b, x->why);
        char *message = xbuf_finish(&b);
        xbuf_add(&b, "subscription: ");
        xbuf_add(&b, x->subscription ? x->subscription : "(none)");
        xbuf_add(&b, "\nticket: ");
        xbuf_add(&b, x->ticket ? x->ticket : "(none)");
        xbuf_add(&b, "\nnot applied: a FAIL it may cover is shown as FAIL\n");
        char *text = xbuf_finish(&b);
        junit_input_error(j, "azure-contact-audit.waivers", name, "refused-waiver", message, text);
        free(text);
        free(message);
        free(name);
    }
}

/* The inputs of the run (evidence files, waivers, inventory names) as
 * properties, and the errors that are no subscription's. */
static void junit_inputs_suite(struct junit *j)
{
    const struct outcome *o = j->v->outcome;
    size_t errors = o->waiver_errors + o->other_errors;
    junit_suite_open(j, "inputs", 0, errors, 0, errors, 0);
    junit_start(j, "properties");
    junit_run_properties(j);
    junit_end(j);
    junit_waiver_errors(j);
    if (o->other_errors) {
        size_t read = 0;
        for (size_t i = 0; i < j->v->files->count; i++)
            read += j->v->files->files[i].status == EVIDENCE_READ;
        junit_input_error(j, "azure-contact-audit.run", "run", "incomplete",
                          read ? "an error was said that no verdict shows (see standard error)"
                               : "no evidence found",
                          NULL);
    }
    junit_suite_close(j);
}

/* "azure-contact-audit.CIS-2_3_2": one class per control. Jenkins splits
 * classname at the last dot into package and class, so the control id's
 * dots become underscores. */
static char *junit_classname(const char *control)
{
    size_t n = strlen(control) + 32;
    char *classname = xmalloc(n);
    snprintf(classname, n, "azure-contact-audit.CIS-%s", control);
    for (char *p = classname + strlen("azure-contact-audit."); *p; p++)
        if (*p == '.')
            *p = '_';
    return classname;
}

/* "CIS 2.3.2 <subscription> (<display name>)", or "CIS 2.3.2
 * unknown-subscription(<file>)": every testcase title names what it is
 * about. Sanitised and masked; caller frees. */
static char *junit_testname(const struct report_view *v, const struct verdict_subscription *s,
                            const char *control)
{
    char *label = cite_subscription_label(v, s);
    struct xbuf b = { 0 };
    xbuf_add(&b, "CIS ");
    xbuf_add(&b, control);
    xbuf_add(&b, " ");
    xbuf_add(&b, label);
    free(label);
    return xbuf_finish(&b);
}

/* "not audited: subscription state Disabled in the inventory". */
static char *junit_not_audited(const struct report_view *v, const struct verdict_subscription *s)
{
    const struct verdict_extra *x = verdicts_extra(s);
    char *state = x->state ? report_line(v, x->state, strlen(x->state)) : xstrdup("unknown");
    struct xbuf b = { 0 };
    xbuf_add(&b, "not audited: subscription state ");
    xbuf_add(&b, state);
    xbuf_add(&b, " in the inventory");
    free(state);
    return xbuf_finish(&b);
}

/* One subscription's testcase; only an outcome other than PASS carries
 * the explanation, so it is written only then. */
static void junit_testcase(struct junit *j, const struct verdict_subscription *s, unsigned rule,
                           const char *control, const char *classname)
{
    const struct verdict_result *res = verdicts_result(j->v->table, s, rule);
    char *testname = junit_testname(j->v, s, control);
    junit_start(j, "testcase");
    junit_attr(j, "name", testname);
    junit_attr(j, "classname", classname);
    junit_attr(j, "time", "0.000");
    free(testname);
    if (s->disabled || res->status != VERDICT_PASS) {
        char *text = explain_subscription(j->v, s, rule);
        char *reason = s->disabled ? junit_not_audited(j->v, s) : facts_reason(j->v, s, rule);
        if (s->disabled || res->status == VERDICT_WAIVED)
            junit_outcome(j, "skipped", NULL, reason, text);
        else if (res->status == VERDICT_FAIL)
            junit_outcome(j, "failure", "non-compliant", reason, text);
        else
            junit_outcome(j, "error", "undecided", reason, text);
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
    char *classname = junit_classname(control);
    junit_suite_open(j, suite, id, count, tally[VERDICT_FAIL], tally[VERDICT_ERROR],
                     tally[VERDICT_WAIVED] + disabled);
    junit_start(j, "properties");
    junit_property(j, "rule", r->key);
    junit_property(j, "control.id", control);
    junit_property(j, "control.title", r->title);
    junit_property(j, "control.level", r->level);
    junit_change_properties(j, rule);
    junit_end(j);
    for (size_t i = 0; i < count; i++)
        junit_testcase(j, verdicts_get(v->table, i), rule, control, classname);
    junit_suite_close(j);
    free(suite);
    free(classname);
}

int junit_write(const struct report_view *v, xmlOutputBufferPtr out)
{
    struct junit j = { xmlNewTextWriter(out), 0, v, out };
    if (j.w == NULL) {
        xmlOutputBufferClose(out);
        return -1;
    }
    xmlTextWriterSetIndent(j.w, 1);
    xmlTextWriterSetIndentString(j.w, BAD_CAST "  ");
    if (xmlTextWriterStartDocument(j.w, NULL, "UTF-8", NULL) < 0)
        j.failed = 1;
    /* The Ant schema allows no attribute on <testsuites>: consumers add up
     * the suites, whose counts are the Total line's. */
    junit_start(&j, "testsuites");
    junit_inputs_suite(&j);
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
