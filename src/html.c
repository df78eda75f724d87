/* SPDX-License-Identifier: ISC */
/* HTML evidence report writer (see html.h): the page an auditor attaches to
 * the ticket, written element by element through libxml2's text writer.
 * Evidence reaches the page only as text or attribute values that libxml2
 * escapes, each sanitised first by the report_* helpers; the markup written
 * as it is comes from the build (the stylesheet, the control's prose). */
#include "config.h"

#include "html.h"

#include <inttypes.h>
#include <libxml/xmlwriter.h>
#include <pthread.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "explain.h"
#include "facts.h"
#include "remediation.h"
#include "rules.h"
#include "sanitize.h"
#include "waivers.h"
#include "xalloc.h"

/* Generated at build time from reports/style.css and reports/control.html. */
static const char html_stylesheet[] =
#include "style-css.h"
    ;
static const char html_control_prose[] =
#include "control-html.h"
    ;

/* The page being written. libxml2's writer calls return a negative count
 * when they fail; the first failure is remembered and the page refused. */
struct html {
    xmlTextWriterPtr w;
    xmlOutputBufferPtr out; /* the writer's: texts are escaped into it */
    const struct report_view *v;
    int failed;
    const char *overall;
    char *bundle;                    /* owned, sanitised */
    struct xbuf scratch;             /* owned: text being built for a row */
    struct verdict_addresses judged; /* the addresses of the contact being written */
    size_t block;                    /* subscriptions in a block of table rows (html_rows) */
    char stamp[32];
    char collected[32]; /* when the evidence was collected, or "" */
};

/* The subscriptions a block of table rows covers: a block is written on
 * one thread or the other, and at most two written ones wait to be put in
 * the page, so this bounds what the second thread holds in memory. */
#define HTML_BLOCK 2048

/* ---- writing ------------------------------------------------------------------- */

static void html_check(struct html *h, int rc)
{
    if (rc < 0)
        h->failed = 1;
}

static void html_attr(struct html *h, const char *name, const char *value)
{
    html_check(h, xmlTextWriterWriteAttribute(h->w, BAD_CAST name, BAD_CAST value));
}

/* Markup of our own, written as it is. */
static void html_raw(struct html *h, const char *markup)
{
    html_check(h, xmlTextWriterWriteRaw(h->w, BAD_CAST markup));
}

/* An element with a class (none when cls is NULL), left open. */
static void html_open(struct html *h, const char *name, const char *cls)
{
    html_check(h, xmlTextWriterStartElement(h->w, BAD_CAST name));
    if (cls)
        html_attr(h, "class", cls);
}

/* A block with a class and an id (either may be NULL), left open. */
static void html_block(struct html *h, const char *name, const char *cls, const char *id)
{
    html_open(h, name, cls);
    if (id)
        html_attr(h, "id", id);
    html_raw(h, "\n");
}

/* Closes an element with an end tag, never "<x/>", which HTML reads as an
 * opening tag. */
static void html_close(struct html *h)
{
    html_check(h, xmlTextWriterFullEndElement(h->w));
}

/* Closes a block: the newline after it keeps the page readable as text and
 * is not shown between blocks. */
static void html_close_block(struct html *h)
{
    html_close(h);
    html_raw(h, "\n");
}

/* Our own words, or text a report_* helper sanitised. */
static void html_text(struct html *h, const char *text)
{
    html_check(h, report_write_text(h->w, h->out, text));
}

/* Sanitised text handed over: written and freed. */
static void html_take(struct html *h, char *clean)
{
    html_text(h, clean);
    free(clean);
}

/* Evidence (a display name, a message, a reason quoting it), if any. */
static void html_evidence(struct html *h, const char *text)
{
    if (text)
        html_take(h, report_text(h->v, text, strlen(text)));
}

__attribute__((format(printf, 2, 0))) static void html_vtextf(struct html *h, const char *fmt,
                                                              va_list ap)
{
    html_check(h, xmlTextWriterWriteVFormatString(h->w, fmt, ap));
}

__attribute__((format(printf, 2, 3))) static void html_textf(struct html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    html_vtextf(h, fmt, ap);
    va_end(ap);
}

static void html_elem(struct html *h, const char *name, const char *cls, const char *text)
{
    html_open(h, name, cls);
    html_text(h, text);
    html_close(h);
}

/* An element with formatted words of our own, on a line of its own (each
 * caller's element stands among blocks or table cells). */
__attribute__((format(printf, 4, 5))) static void html_elemf(struct html *h, const char *name,
                                                             const char *cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    html_open(h, name, cls);
    html_vtextf(h, fmt, ap);
    html_close_block(h);
    va_end(ap);
}

static void html_elem_take(struct html *h, const char *name, const char *cls, char *clean)
{
    html_open(h, name, cls);
    html_take(h, clean);
    html_close(h);
}

static void html_elem_evidence(struct html *h, const char *name, const char *cls, const char *text)
{
    html_open(h, name, cls);
    html_evidence(h, text);
    html_close(h);
}

/* A block element holding our own words. */
static void html_line(struct html *h, const char *name, const char *cls, const char *text)
{
    html_elem(h, name, cls, text);
    html_raw(h, "\n");
}

/* A status word: text for every reader, colour for those who see it. */
static void html_status(struct html *h, const char *word)
{
    char cls[48];
    snprintf(cls, sizeof cls, "status status-%s", word);
    html_elem(h, "span", cls, word);
}

/* Sanitised text as a link to the element with this id on the page. */
static void html_link(struct html *h, const char *id, char *clean)
{
    char href[112];
    snprintf(href, sizeof href, "#%s", id);
    html_open(h, "a", NULL);
    html_attr(h, "href", href);
    html_take(h, clean);
    html_close(h);
}

/* Sanitised text as a link to the manifest row of evidence file `file`. */
static void html_file_link(struct html *h, size_t file, char *clean)
{
    char id[32];
    snprintf(id, sizeof id, "file-%zu", file + 1);
    html_link(h, id, clean);
}

/* A table and its header row, left open after it. */
static void html_table_head(struct html *h, const char *cls, const char *const *headers)
{
    html_open(h, "table", cls);
    html_open(h, "thead", NULL);
    html_open(h, "tr", NULL);
    for (size_t i = 0; headers[i]; i++)
        html_elem(h, "th", NULL, headers[i]);
    html_close(h);
    html_close_block(h);
}

/* A table and its header row, left open in its body. */
static void html_table(struct html *h, const char *cls, const char *const *headers)
{
    html_table_head(h, cls, headers);
    html_open(h, "tbody", NULL);
}

static void html_table_end(struct html *h)
{
    html_close(h);
    html_close_block(h);
}

static void html_section(struct html *h, const char *id, const char *title)
{
    html_block(h, "section", NULL, id);
    html_line(h, "h2", NULL, title);
}

/* ---- what the page says of the whole run ------------------------------------------- */

static int html_is_finding(const struct report_view *v, const struct verdict_subscription *s,
                           int rule)
{
    return !s->disabled && verdicts_result(v->table, s, (unsigned)rule)->status != VERDICT_PASS;
}

static int html_is_pass(const struct report_view *v, const struct verdict_subscription *s, int rule)
{
    return !s->disabled && verdicts_result(v->table, s, (unsigned)rule)->status == VERDICT_PASS;
}

/* How many subscriptions are findings of rule. */
static size_t html_tally(const struct report_view *v, int rule)
{
    const size_t *counts = v->outcome->counts[rule];
    return counts[VERDICT_FAIL] + counts[VERDICT_ERROR] + counts[VERDICT_WAIVED];
}

/* Rules other than the control's were selected. */
static int html_several_rules(const struct report_view *v)
{
    return (v->rules & ~(1u << RULE_CONTACT_EMAIL)) != 0;
}

/* The bundle in a few words: its one file and the start of its SHA-256,
 * or the folder that holds every file and how many there are. Owned by
 * the caller, sanitised and masked. */
static char *html_bundle(const struct report_view *v)
{
    const struct evidence_list *l = v->files;
    if (l->count == 0)
        return xstrdup("no evidence files");
    const struct evidence_file *f = &l->files[0];
    size_t common = strlen(f->path), n = common + 64;
    for (size_t i = 1; i < l->count; i++) {
        size_t k = 0;
        while (k < common && l->files[i].path[k] == f->path[k])
            k++;
        common = k;
    }
    char *raw = xmalloc(n);
    if (l->count == 1) {
        snprintf(raw, n, "%s, SHA-256 %.12s", f->is_stdin ? "standard input" : f->path,
                 f->hashed ? f->sha256 : "not computed");
    } else {
        while (common > 0 && f->path[common - 1] != '/')
            common--;
        common -= common > 1; /* the folder, without its '/' */
        snprintf(raw, n, common ? "%.*s (%zu evidence files)" : "%.*s%zu evidence files",
                 (int)common, f->path, l->count);
    }
    char *clean = report_line(v, raw, strlen(raw));
    free(raw);
    return clean;
}

/* The Entra tenant the bundle was collected from, as its collector states
 * it in bag-info.txt, or NULL while the evidence does not say. Untrusted. */
static const char *html_tenant(const struct report_view *v)
{
    return v->chain ? chain_statement(v->chain, "Azure-Tenant-Id") : NULL;
}

/* ---- head ------------------------------------------------------------------------ */

/* 'sha256-<base64>' of the stylesheet, for the CSP. */
static void html_csp(char *out, size_t cap)
{
    uint8_t digest[SHA256_DIGEST_SIZE];
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(html_stylesheet), (const uint8_t *)html_stylesheet);
    sha256_digest(&ctx, sizeof digest, digest);
    char b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1];
    base64_encode_raw(b64, sizeof digest, digest);
    b64[sizeof b64 - 1] = '\0';
    snprintf(out, cap,
             "default-src 'none'; style-src 'sha256-%s'; img-src data:; base-uri 'none'; "
             "form-action 'none'",
             b64);
}

/* A void element: "<meta .../>", which HTML reads as "<meta ...>". */
static void html_meta(struct html *h, const char *attr, const char *name, const char *content)
{
    html_check(h, xmlTextWriterStartElement(h->w, BAD_CAST "meta"));
    html_attr(h, attr, name);
    if (content)
        html_attr(h, "content", content);
    html_check(h, xmlTextWriterEndElement(h->w));
    html_raw(h, "\n");
}

static void html_head(struct html *h)
{
    const struct report_view *v = h->v;
    const char *tenant = html_tenant(v);
    char csp[256];
    html_csp(csp, sizeof csp);
    html_block(h, "head", NULL, NULL);
    /* The CSP comes first so that it governs everything after it. */
    html_meta(h, "http-equiv", "Content-Security-Policy", csp);
    html_meta(h, "charset", "utf-8", NULL);
    html_meta(h, "name", "viewport", "width=device-width, initial-scale=1");
    /* The result, what was audited and when first, for a tab or a printout. */
    html_open(h, "title", NULL);
    html_textf(h, "%s | %s", h->overall, h->bundle);
    if (tenant) {
        html_text(h, " | tenant ");
        html_take(h, report_line(v, tenant, strlen(tenant)));
    }
    if (h->collected[0])
        html_textf(h, " | collected %.10s", h->collected);
    html_textf(h, " | %.10s | Azure security contact audit, CIS %s %s", h->stamp, v->edition,
               rules_control_id(&rules_table[RULE_CONTACT_EMAIL], v->edition));
    html_close_block(h);
    /* A constant of the build, never data: its hash is in the CSP. */
    html_open(h, "style", NULL);
    html_raw(h, html_stylesheet);
    html_close_block(h);
    html_close_block(h);
}

/* ---- 1. summary -------------------------------------------------------------------- */

struct html_file_counts {
    size_t read, error, skipped;
};

static struct html_file_counts html_file_counts(const struct report_view *v)
{
    struct html_file_counts c = { 0, 0, 0 };
    for (size_t i = 0; i < v->files->count; i++) {
        enum evidence_status st = v->files->files[i].status;
        c.read += st == EVIDENCE_READ;
        c.skipped += st == EVIDENCE_SKIPPED;
        c.error += st != EVIDENCE_READ && st != EVIDENCE_SKIPPED;
    }
    return c;
}

/* One sentence under the overall result saying why it is what it is. */
static void html_overall_reason(struct html *h, struct html_file_counts fc)
{
    const struct outcome *o = h->v->outcome;
    size_t err = o->counts[RULE_CONTACT_EMAIL][VERDICT_ERROR],
           fail = o->counts[RULE_CONTACT_EMAIL][VERDICT_FAIL];
    html_open(h, "p", "overall-why");
    if (strcmp(h->overall, "PASS") == 0) {
        html_text(h,
                  "Every audited subscription meets the control and every evidence file was read.");
    } else if (strcmp(h->overall, "FAIL") == 0) {
        html_textf(h, "%zu subscription%s not meet the control; all evidence was read.", fail,
                   fail == 1 ? " does" : "s do");
    } else {
        /* Each cause of an incomplete audit, as a clause: "a, b and c". */
        char clauses[4][96];
        size_t n = 0;
        if (err)
            snprintf(clauses[n++], sizeof clauses[0], "%zu subscription%s could not be decided",
                     err, err == 1 ? "" : "s");
        if (fc.error)
            snprintf(clauses[n++], sizeof clauses[0], "%zu evidence file%s could not be read",
                     fc.error, fc.error == 1 ? "" : "s");
        if (o->waiver_errors)
            snprintf(clauses[n++], sizeof clauses[0], "%zu waiver error%s (see Waivers)",
                     o->waiver_errors, o->waiver_errors == 1 ? "" : "s");
        if (o->other_errors)
            snprintf(clauses[n++], sizeof clauses[0], "%zu other error%s of the run",
                     o->other_errors, o->other_errors == 1 ? "" : "s");
        html_text(h, "The audit is incomplete:");
        for (size_t i = 0; i < n; i++)
            html_textf(h, "%s %s", i == 0 ? "" : i + 1 == n ? " and" : ",", clauses[i]);
        html_text(h, " (what cannot be read is never taken as passing).");
        if (fail)
            html_textf(h, " %zu subscription%s not meet the control.", fail,
                       fail == 1 ? " does" : "s do");
    }
    html_close_block(h);
}

/* One box of the counts: a number and what it counts. */
static void html_count_box(struct html *h, size_t n, const char *status, const char *words)
{
    html_open(h, "li", status ? NULL : "total");
    html_elemf(h, "b", NULL, "%zu", n);
    if (status)
        html_status(h, status);
    else
        html_elem(h, "span", NULL, words);
    html_close_block(h);
}

/* The sections, for a reader who jumps. */
static void html_contents(struct html *h)
{
    static const char *const sections[][2] = { { "attention", "Needs attention" },
                                               { "findings-contact-email", "Findings" },
                                               { "passes", "Passing" },
                                               { "manifest", "Evidence manifest" },
                                               { "control", "The control" },
                                               { "verify", "How to verify" } };
    html_open(h, "nav", "contents");
    html_open(h, "ul", NULL);
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        html_open(h, "li", NULL);
        html_link(h, sections[i][0], xstrdup(sections[i][1]));
        html_close(h);
        if (i == 0 && h->v->baseline) {
            html_open(h, "li", NULL);
            html_link(h, "changes", xstrdup("Changes"));
            html_close(h);
        }
    }
    html_close(h);
    html_close_block(h);
}

/* When the evidence was collected, and who says so. */
static void html_collected(struct html *h)
{
    const struct chain_collected *when = h->v->chain ? chain_bundle_collected(h->v->chain) : NULL;
    html_line(h, "dt", NULL, "Collected");
    if (when)
        html_elemf(h, "dd", NULL, "%s (%s)", h->collected, when->source);
    else
        html_line(h, "dd", "note", "unknown (no manifest or --collected-at says when)");
}

/* Each manifest of the bundle and its verdict. */
static void html_manifests(struct html *h)
{
    const struct chain *c = h->v->chain;
    size_t n = c ? chain_root_count(c) : 0;
    html_line(h, "dt", NULL, "Manifest");
    if (n == 0)
        html_line(h, "dd", "note", "none delivered: the digests below are the tool's own");
    for (size_t i = 0; i < n; i++) {
        const struct manifests_summary *m = &chain_root_at(c, i)->summary;
        html_open(h, "dd", m->verified ? NULL : "manifest-bad");
        html_take(h, report_manifest_verdict(m));
        if (m->manifest) {
            html_text(h, " (");
            html_take(h, report_line(h->v, m->manifest, strlen(m->manifest)));
            html_textf(h, ", SHA-256 %.16s)", m->manifest_sha256);
        }
        html_close_block(h);
    }
}

/* The header: what a printout's first lines must say (result, bundle,
 * tenant, date), the counts, and how the audit was made. */
static void html_summary(struct html *h)
{
    const struct report_view *v = h->v;
    const struct rule *r = &rules_table[RULE_CONTACT_EMAIL];
    const char *tenant = html_tenant(v);
    struct html_file_counts fc = html_file_counts(v);
    html_block(h, "header", "summary", "summary");
    html_line(h, "h1", NULL, "Azure security contact audit");
    html_open(h, "p", "verdict");
    html_text(h, "Overall result: ");
    html_status(h, h->overall);
    html_close_block(h);
    html_overall_reason(h, fc);
    static const char *const words[] = { "PASS", "FAIL", "ERROR", "WAIVED" };
    const size_t *counts = v->outcome->counts[RULE_CONTACT_EMAIL];
    html_block(h, "ul", "counts", NULL);
    for (int i = 0; i < 4; i++)
        html_count_box(h, counts[i], words[i], NULL);
    if (v->outcome->not_audited)
        html_count_box(h, v->outcome->not_audited, "NOT-AUDITED", NULL);
    html_count_box(h, counts[0] + counts[1] + counts[2] + counts[3], NULL, "subscriptions audited");
    html_close_block(h);

    html_block(h, "dl", "meta", NULL);
    html_line(h, "dt", NULL, "Bundle");
    html_line(h, "dd", NULL, h->bundle);
    html_line(h, "dt", NULL, "Tenant");
    if (tenant)
        html_elem_take(h, "dd", NULL, report_line(v, tenant, strlen(tenant)));
    else
        html_line(h, "dd", "note", "not recorded in the evidence");
    html_raw(h, tenant ? "\n" : "");
    html_collected(h);
    html_manifests(h);
    html_line(h, "dt", NULL, "Generated");
    html_elemf(h, "dd", NULL, "%s%s", h->stamp,
               v->time_from_env ? " (pinned by SOURCE_DATE_EPOCH)" : "");
    html_line(h, "dt", NULL, "Control");
    html_elemf(h, "dd", NULL,
               "CIS Microsoft Azure Foundations Benchmark %s, control %s: %s (%s, Automated)",
               v->edition, rules_control_id(r, v->edition), r->title, r->level);
    for (int k = 1; k < RULE_COUNT; k++) {
        if (!(v->rules & (1u << k)))
            continue;
        html_line(h, "dt", NULL, "Also checked");
        html_elemf(h, "dd", NULL, "CIS %s %s: %s (findings below; not in the counts above)",
                   v->edition, rules_control_id(&rules_table[k], v->edition), rules_table[k].title);
    }
    html_line(h, "dt", NULL, "Produced by");
    html_elemf(h, "dd", NULL, "azure-contact-audit %s, offline, from the evidence files below only",
               PACKAGE_VERSION);
    html_line(h, "dt", NULL, "Evidence");
    html_elemf(h, "dd", NULL, "%zu file%s: %zu read, %zu unreadable, %zu skipped", v->files->count,
               v->files->count == 1 ? "" : "s", fc.read, fc.error, fc.skipped);
    html_line(h, "dt", NULL, "Addresses");
    html_line(h, "dd", NULL, v->redact ? "masked (--redact): j***@example.org" : "shown in full");
    html_line(h, "dt", NULL, "Judged");
    html_line(h, "dd", NULL, report_judged(v));
    html_line(h, "dt", NULL, "Evidence text");
    html_line(h, "dd", NULL,
              "as read; \\xNN marks a byte that is not UTF-8, \\uXXXX a control character, "
              "[... N more bytes] a value cut short");
    html_close_block(h);
    html_contents(h);
    html_close_block(h);
}

/* ---- 2. what needs attention, grouped by reason ---------------------------------------- */

/* The stable id of a subscription's entry: "sub-<guid>" (or "sub-file-N"
 * for the records of evidence file N that name no subscription), with
 * "-<rule>" for its finding under a rule other than the control's. */
static void html_sub_id(char *out, size_t cap, const struct verdict_subscription *s, int rule)
{
    int n = s->known ? snprintf(out, cap, "sub-%s", s->id)
                     : snprintf(out, cap, "sub-file-%zu", (size_t)s->unknown_file + 1);
    if (rule != RULE_CONTACT_EMAIL && n > 0 && (size_t)n < cap)
        snprintf(out + n, cap - (size_t)n, "-%s", rules_table[rule].key);
}

/* One subscription that is not PASS under one rule. */
struct html_item {
    const struct verdict_subscription *s;
    size_t index; /* in the table, which is sorted by subscription */
    char *reason; /* owned: facts_reason() */
    char *group;  /* owned: facts_reason_group() */
    int rule;
};

/* Items that share a rule and a reason group, items[from..from+n), and
 * the first of them, which names the group. */
struct html_group {
    struct html_item first;
    size_t from, n;
};

static int html_item_key_cmp(const struct html_item *a, const struct html_item *b)
{
    if (a->rule != b->rule)
        return a->rule < b->rule ? -1 : 1;
    return strcmp(a->group, b->group);
}

/* By group, then in table order. */
static int html_item_cmp(const void *pa, const void *pb)
{
    const struct html_item *a = pa, *b = pb;
    int c = html_item_key_cmp(a, b);
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* By rule, the largest group first, then by reason. */
static int html_group_cmp(const void *pa, const void *pb)
{
    const struct html_group *a = pa, *b = pb;
    if (a->first.rule != b->first.rule || a->n == b->n)
        return html_item_key_cmp(&a->first, &b->first);
    return a->n > b->n ? -1 : 1;
}

/* Every selected rule's verdicts other than PASS, sorted by group, and the
 * groups in the order the page shows them. Both arrays are the caller's. */
static struct html_item *html_items(const struct report_view *v, size_t *n_items,
                                    struct html_group **groups, size_t *n_groups)
{
    size_t n = verdicts_count(v->table), count = 0, cap = 0, ng = 0, gcap = 0;
    struct html_item *items = NULL;
    struct html_group *g = NULL;
    for (int r = 0; r < RULE_COUNT; r++) {
        for (size_t i = 0; i < n && (v->rules & (1u << r)); i++) {
            const struct verdict_subscription *s = verdicts_get(v->table, i);
            if (!html_is_finding(v, s, r))
                continue;
            xgrow(&items, &cap, count + 1, sizeof *items);
            items[count++] = (struct html_item){ s, i, facts_reason(v, s, (unsigned)r),
                                                 facts_reason_group(v, s, (unsigned)r), r };
        }
    }
    if (count)
        qsort(items, count, sizeof *items, html_item_cmp);
    for (size_t i = 0; i < count; i++) {
        if (i == 0 || html_item_key_cmp(&items[i - 1], &items[i]) != 0) {
            xgrow(&g, &gcap, ng + 1, sizeof *g);
            g[ng++] = (struct html_group){ items[i], i, 0 };
        }
        g[ng - 1].n++;
    }
    if (ng)
        qsort(g, ng, sizeof *g, html_group_cmp);
    *n_items = count;
    *groups = g;
    *n_groups = ng;
    return items;
}

/* A group's name: its reason's words, and the control when there are
 * several; owned by the caller, sanitised. */
static char *html_group_name(const struct report_view *v, const struct html_group *g)
{
    const struct html_item *it = &g->first;
    if (!html_several_rules(v))
        return xstrdup(it->group);
    struct xbuf b = { 0 };
    xbuf_add(&b, rules_control_id(&rules_table[it->rule], v->edition));
    xbuf_add(&b, " ");
    xbuf_add(&b, it->group);
    return xbuf_finish(&b);
}

static void html_attention_row(struct html *h, const struct html_item *it)
{
    char id[96];
    html_sub_id(id, sizeof id, it->s, it->rule);
    html_open(h, "tr", NULL);
    html_open(h, "td", NULL);
    html_status(h, verdicts_status_name(verdicts_result(h->v->table, it->s, it->rule)->status));
    html_close(h);
    html_open(h, "td", NULL);
    html_link(h, id, report_subscription_name(h->v, it->s));
    html_close(h);
    html_elem_evidence(h, "td", NULL, verdicts_extra(it->s)->display_name);
    html_elem(h, "td", NULL, it->reason);
    html_close_block(h);
}

/* Every subscription that is not PASS, by reason, each row a link to its
 * finding: the index of the findings below. */
static void html_attention(struct html *h)
{
    size_t n, ng;
    struct html_group *groups;
    struct html_item *items = html_items(h->v, &n, &groups, &ng);
    char title[64], id[32];
    snprintf(title, sizeof title, "Needs attention (%zu)", n);
    html_section(h, "attention", title);
    html_line(h, "p", "note",
              n == 0 ? "Nothing needs attention: every audited subscription passes every rule "
                       "checked."
                     : "Every subscription that is not PASS, grouped by reason, the largest group "
                       "first; each row links to its finding.");
    if (n > 0) {
        html_block(h, "ul", "groups", NULL);
        for (size_t i = 0; i < ng; i++) {
            snprintf(id, sizeof id, "group-%zu", i + 1);
            html_open(h, "li", NULL);
            html_link(h, id, html_group_name(h->v, &groups[i]));
            html_elemf(h, "b", NULL, " %zu", groups[i].n);
            html_close_block(h);
        }
        html_close_block(h);
        static const char *const headers[] = { "Status", "Subscription", "Name", "Reason", NULL };
        html_table(h, "attention stack", headers);
        for (size_t i = 0; i < ng; i++) {
            snprintf(id, sizeof id, "group-%zu", i + 1);
            html_open(h, "tr", "group");
            html_attr(h, "id", id);
            html_open(h, "th", NULL);
            html_attr(h, "colspan", "4");
            html_take(h, html_group_name(h->v, &groups[i]));
            html_textf(h, " (%zu)", groups[i].n);
            html_close(h);
            html_close_block(h);
            for (size_t k = 0; k < groups[i].n; k++)
                html_attention_row(h, &items[groups[i].from + k]);
        }
        html_table_end(h);
    }
    html_close_block(h);
    for (size_t i = 0; i < n; i++) {
        free(items[i].reason);
        free(items[i].group);
    }
    free(groups);
    free(items);
}

/* ---- 3. findings -------------------------------------------------------------------- */

static char *html_contact_name(const struct report_view *v, const struct verdict_contact *c)
{
    return c->name ? report_line(v, c->name, c->name_len) : xstrdup("(unnamed)");
}

/* Where a contact's addresses are: the emails member, else the contact.
 * Owned by the caller, sanitised. */
static char *html_contact_where(const struct report_view *v, const struct verdict_contact *c)
{
    const struct verdict_pos *p = c->emails_pos.line > 0 ? &c->emails_pos : &c->pos;
    return report_location(v, c->file, p->line, p->col);
}

/* Why a contact has no deliverable address (a NULL: why it holds none),
 * or why one address does not count: the facts every report says. Owned
 * by the caller, not sanitised. */
static char *html_no_address_why(const struct html *h, const struct verdict_contact *c,
                                 const struct verdict_address *a)
{
    if (a)
        return xstrdup(facts_address_why(c, a));
    struct xbuf t = { 0 };
    facts_contact_words(&t, h->v->table, c);
    return xbuf_finish(&t);
}

static void html_contact_notes(struct html *h, const struct verdict_contact *c)
{
    if (c->enabled == CONTACT_OFF)
        html_elem(h, "span", "flag", " (disabled)");
    if (c->from_failed_file)
        html_elem(h, "span", "flag", " (its file does not count)");
    if (c->superseded)
        html_elem(h, "span", "flag", " (superseded by a later snapshot)");
    if (c->unlisted)
        html_elem(h, "span", "flag", " (its file is not in the manifest)");
    if (c->last_modified) {
        html_text(h, " last changed ");
        html_evidence(h, c->last_modified);
    }
}

/* One row of a contacts table: the contact, one address (or none), its
 * verdict, why, and where it was read. */
static void html_contact_row(struct html *h, const struct verdict_contact *c, const char *name,
                             const struct verdict_address *a)
{
    html_open(h, "tr", NULL);
    html_open(h, "td", NULL);
    html_text(h, name);
    html_contact_notes(h, c);
    html_close(h);
    char *why = html_no_address_why(h, c, a);
    if (a == NULL) {
        html_elem(h, "td", "mono addr", "(none)");
        html_elem(h, "td", "addr-bad", "no address");
    } else {
        html_elem_take(h, "td", "mono addr", report_address(h->v, a->text, a->len));
        html_elem(h, "td", a->verdict == ADDRESS_DELIVERABLE ? "addr-ok" : "addr-bad",
                  address_verdict_name(a->verdict));
    }
    html_elem_evidence(h, "td", NULL, why);
    free(why);
    html_open(h, "td", NULL);
    html_file_link(h, c->file, html_contact_where(h->v, c));
    html_close(h);
    html_close_block(h);
}

/* One item of evidence that names the subscription: its place, linked to
 * its file, and what it says (when that is not the reason shown above). */
static void html_problem(struct html *h, const char *lead, size_t file, unsigned long line,
                         unsigned long col, const char *message)
{
    html_open(h, "li", NULL);
    html_text(h, lead);
    html_open(h, "code", NULL);
    html_file_link(h, file, report_location(h->v, file, line, col));
    html_close(h);
    if (message) {
        html_text(h, ": ");
        html_evidence(h, message);
    }
    html_close_block(h);
}

/* Evidence that names the subscription but cannot decide it. */
static void html_problems(struct html *h, const struct verdict_subscription *s, const char *reason)
{
    const struct verdict_extra *x = verdicts_extra(s);
    if (x->n_problems == 0 && !s->empty_list) {
        if (s->n_contacts == 0) {
            html_open(h, "p", "note");
            html_text(h, "Listed in the subscription inventory");
            if (x->state) {
                html_text(h, " (state: ");
                html_evidence(h, x->state);
                html_text(h, ")");
            }
            html_text(h, ", but no evidence file names this subscription.");
            html_close_block(h);
        }
        return;
    }
    html_block(h, "ul", "problems", NULL);
    if (s->empty_list)
        html_problem(h, "Empty contact list at ", x->empty_list_file, x->empty_list_pos.line,
                     x->empty_list_pos.col, NULL);
    for (size_t i = 0; i < x->n_problems; i++) {
        const struct verdict_problem *p = &x->problems[i];
        char *text = facts_problem(h->v, p);
        int same = reason != NULL && strcmp(reason, text) == 0;
        html_problem(h, "Evidence that cannot decide it: ", p->file, p->line, p->col,
                     same ? NULL : text);
        free(text);
    }
    html_close_block(h);
}

/* How to fix it: the advice, then each command on a line of its own
 * (never wrapped: it is copied into a shell). */
static void html_fix(struct html *h, const struct verdict_subscription *s, unsigned rule)
{
    struct remediation fix = { 0 };
    remediation_get(h->v, s, rule, &fix);
    if (fix.count == 0)
        return;
    html_block(h, "div", "fix", NULL);
    for (size_t i = 0; i < fix.count; i++) {
        const struct remediation_item *it = &fix.items[i];
        if (it->command == NULL) {
            html_open(h, "p", NULL);
            html_elem(h, "b", NULL, "How to fix: ");
            html_text(h, it->label);
            html_close_block(h);
            continue;
        }
        html_line(h, "p", "fix-label", it->label);
        html_line(h, "pre", "command", it->command);
    }
    html_close_block(h);
    remediation_free(&fix);
}

/* One finding: a group of rows in the findings table, a heading row (the
 * subscription, its reason, evidence that cannot decide it) and a row for
 * each address of each contact (or each contact without one). */
static void html_finding(struct html *h, const struct verdict_subscription *s, int rule)
{
    const struct verdict_extra *x = verdicts_extra(s);
    const struct verdict_result *res = verdicts_result(h->v->table, s, (unsigned)rule);
    const char *word = verdicts_status_name(res->status);
    char *reason = facts_reason(h->v, s, (unsigned)rule);
    char cls[48], id[96];
    snprintf(cls, sizeof cls, "finding status-box-%s", word);
    html_sub_id(id, sizeof id, s, rule);
    html_block(h, "tbody", cls, id);
    html_open(h, "tr", "head");
    html_open(h, "td", NULL);
    html_attr(h, "colspan", "5");
    html_open(h, "h3", NULL);
    html_status(h, word);
    html_text(h, " ");
    html_elem_take(h, "code", NULL, report_subscription_name(h->v, s));
    if (x->display_name) {
        html_text(h, " ");
        html_elem_evidence(h, "span", NULL, x->display_name);
    }
    html_close_block(h);
    html_elem(h, "p", "reason", reason);
    html_raw(h, "\n");
    html_problems(h, s, reason);
    html_fix(h, s, (unsigned)rule);
    html_close(h);
    html_close_block(h);
    free(reason);
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        char *name = html_contact_name(h->v, c);
        const struct verdict_address *a = verdicts_addresses(h->v->table, c, &h->judged);
        for (size_t k = 0; k < h->judged.n || (k == 0 && h->judged.n == 0); k++)
            html_contact_row(h, c, name, h->judged.n ? &a[k] : NULL);
        free(name);
    }
    html_close_block(h);
}

/* ---- the rows of the long tables, on two threads ------------------------------------ */

/* Whether subscription s has a row in a table, and that row written. */
typedef int html_row_test(const struct report_view *v, const struct verdict_subscription *s,
                          int rule);
typedef void html_row_writer(struct html *h, const struct verdict_subscription *s, int rule);

/* A table's rows in blocks of h->block subscriptions of the table's order:
 * the page's thread writes the even blocks into the page, a second thread
 * the odd ones into memory, each with a writer of its own, and the page's
 * thread puts those in the page in turn, as libxml2 wrote them. The page
 * is the same bytes whatever the block size, and with or without the
 * second thread. */
struct html_rows {
    const struct report_view *v;
    size_t block; /* subscriptions a block covers */
    int rule;
    html_row_test *has_row;
    html_row_writer *write_row;
    size_t n_blocks;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct xbuf done[2]; /* owned: odd blocks as written, used in turn */
    int ready[2];        /* done[i] holds a block not yet in the page */
    int failed;          /* a writer of the second thread failed */
};

static void html_rows_block(struct html *h, const struct html_rows *r, size_t k)
{
    size_t n = verdicts_count(h->v->table), end = (k + 1) * r->block;
    for (size_t i = k * r->block; i < n && i < end; i++) {
        const struct verdict_subscription *s = verdicts_get(h->v->table, i);
        if (r->has_row(h->v, s, r->rule))
            r->write_row(h, s, r->rule);
    }
}

/* Block k written into b with a writer of its own; 0, or -1 when libxml2
 * failed. */
static int html_rows_render(const struct html_rows *r, size_t k, struct xbuf *b)
{
    struct html h = { .v = r->v };
    h.out = report_memory_output(b);
    h.w = h.out ? xmlNewTextWriter(h.out) : NULL;
    if (h.w == NULL) {
        if (h.out)
            xmlOutputBufferClose(h.out);
        return -1;
    }
    html_rows_block(&h, r, k);
    html_check(&h, xmlTextWriterFlush(h.w));
    xmlFreeTextWriter(h.w); /* closes h.out */
    free(h.scratch.s);
    free(h.judged.items);
    return h.failed ? -1 : 0;
}

/* Waits until done[slot] is ready (want 1) or taken into the page (0). */
static void html_rows_wait(struct html_rows *r, int slot, int want)
{
    pthread_mutex_lock(&r->lock);
    while (r->ready[slot] != want)
        pthread_cond_wait(&r->changed, &r->lock);
    pthread_mutex_unlock(&r->lock);
}

static void html_rows_set(struct html_rows *r, int slot, int ready, int failed)
{
    pthread_mutex_lock(&r->lock);
    r->ready[slot] = ready;
    r->failed |= failed;
    pthread_cond_broadcast(&r->changed);
    pthread_mutex_unlock(&r->lock);
}

static void *html_rows_second(void *arg)
{
    struct html_rows *r = arg;
    report_quiet_libxml();
    for (size_t k = 1; k < r->n_blocks; k += 2) {
        int slot = (int)(k / 2 % 2);
        html_rows_wait(r, slot, 0);
        int failed = html_rows_render(r, k, &r->done[slot]) != 0;
        html_rows_set(r, slot, 1, failed);
    }
    return NULL;
}

static void html_rows(struct html *h, int rule, html_row_test *has_row, html_row_writer *write_row)
{
    size_t n = verdicts_count(h->v->table);
    struct html_rows r = { .v = h->v,
                           .block = h->block,
                           .rule = rule,
                           .has_row = has_row,
                           .write_row = write_row,
                           .lock = PTHREAD_MUTEX_INITIALIZER,
                           .changed = PTHREAD_COND_INITIALIZER };
    r.n_blocks = n / r.block + (n % r.block != 0);
    pthread_t second;
    int threaded = r.n_blocks > 1 && pthread_create(&second, NULL, html_rows_second, &r) == 0;
    for (size_t k = 0; k < r.n_blocks; k++) {
        if (!threaded || k % 2 == 0) {
            html_rows_block(h, &r, k);
            continue;
        }
        int slot = (int)(k / 2 % 2);
        html_rows_wait(&r, slot, 1);
        struct xbuf *b = &r.done[slot];
        if (b->len > 0)
            html_check(h, xmlTextWriterWriteRawLen(h->w, BAD_CAST b->s, (int)b->len));
        b->len = 0;
        html_rows_set(&r, slot, 0, 0);
    }
    if (threaded) {
        pthread_join(second, NULL);
        if (r.failed)
            h->failed = 1;
    }
    pthread_cond_destroy(&r.changed);
    pthread_mutex_destroy(&r.lock);
    free(r.done[0].s);
    free(r.done[1].s);
}

/* Every subscription that fails rule or could not be decided, in one
 * table (one header, which print repeats on every page). */
static void html_findings(struct html *h, int rule)
{
    const struct report_view *v = h->v;
    const struct rule *r = &rules_table[rule];
    static const char *const headers[] = {
        "Contact", "Address", "Verdict", "Why", "Evidence (file:line:col)", NULL
    };
    size_t n = html_tally(v, rule);
    char id[48], title[240];
    snprintf(id, sizeof id, "findings-%s", r->key);
    snprintf(title, sizeof title, "Findings: CIS %s %s (%zu)", v->edition,
             rules_control_id(r, v->edition), n);
    html_section(h, id, title);
    html_line(h, "p", "control-title", r->title);
    html_line(h, "p", "note",
              n == 0 ? "No findings: every audited subscription passes."
                     : "Every subscription that fails the control or could not be decided, with "
                       "each contact, each address and its verdict, and where in the evidence it "
                       "was read.");
    if (n > 0) {
        html_table_head(h, "findings stack", headers); /* each finding a tbody of its own */
        html_rows(h, rule, html_is_finding, html_finding);
        html_close_block(h);
    }
    html_close_block(h);
}

/* ---- 4. passing subscriptions ---------------------------------------------------------- */

/* A contact in a passing row as one text: "name: \u2713 a@b, \u2717 c (invalid)"
 * (one text, not an element per address: there may be 100,000 rows),
 * built in h->scratch. Borrowed from h until the next call, sanitised. */
static const char *html_pass_contact(struct html *h, const struct verdict_contact *c)
{
    struct xbuf b = h->scratch;
    char *part = html_contact_name(h->v, c);
    b.len = 0;
    xbuf_add(&b, part);
    free(part);
    if (c->enabled == CONTACT_OFF)
        xbuf_add(&b, " (disabled)");
    if (c->from_failed_file)
        xbuf_add(&b, " (its file does not count)");
    if (c->superseded)
        xbuf_add(&b, " (superseded by a later snapshot)");
    xbuf_add(&b, ": ");
    if (!verdicts_has_addresses(c)) {
        char *why = html_no_address_why(h, c, NULL);
        part = report_text(h->v, why, strlen(why));
        free(why);
        xbuf_add(&b, "\u2717 no address (");
        xbuf_add(&b, part);
        xbuf_add(&b, ")");
        free(part);
    }
    const struct verdict_address *list = verdicts_addresses(h->v->table, c, &h->judged);
    for (size_t k = 0; k < h->judged.n; k++) {
        const struct verdict_address *a = &list[k];
        int ok = a->verdict == ADDRESS_DELIVERABLE;
        part = report_address(h->v, a->text, a->len);
        xbuf_add(&b, k > 0 ? ", " : "");
        xbuf_add(&b, ok ? "\u2713 " : "\u2717 ");
        xbuf_add(&b, part);
        free(part);
        if (!ok) {
            xbuf_add(&b, " (");
            xbuf_add(&b, address_verdict_name(a->verdict));
            xbuf_add(&b, ")");
        }
    }
    h->scratch = b;
    return b.s;
}

/* Sanitised text in a cell: a block of its own when it is one of several. */
static void html_part(struct html *h, int several, const char *clean)
{
    if (several)
        html_elem(h, "div", NULL, clean);
    else
        html_text(h, clean);
}

/* One compact row, as few elements as it can be (there may be 100,000):
 * every contact and address is still there. */
static void html_pass_row(struct html *h, const struct verdict_subscription *s, int rule)
{
    char id[96];
    int several = s->n_contacts > 1;
    html_sub_id(id, sizeof id, s, rule);
    html_open(h, "tr", NULL);
    html_attr(h, "id", id);
    html_elem_take(h, "td", NULL, report_subscription_name(h->v, s));
    html_elem_evidence(h, "td", NULL, verdicts_extra(s)->display_name);
    html_elem_take(h, "td", NULL, facts_reason(h->v, s, (unsigned)rule));
    html_open(h, "td", NULL);
    for (size_t i = 0; i < s->n_contacts; i++)
        html_part(h, several, html_pass_contact(h, &s->contacts[i]));
    html_close(h);
    html_open(h, "td", NULL);
    for (size_t i = 0; i < s->n_contacts; i++) {
        char *where = html_contact_where(h->v, &s->contacts[i]);
        html_part(h, several, where);
        free(where);
    }
    html_close(h);
    html_close_block(h);
}

/* Listed in full and never folded away, so that a printout holds them. */
static void html_passes(struct html *h)
{
    const struct report_view *v = h->v;
    static const char *const headers[] = { "Subscription",
                                           "Name",
                                           "Reason",
                                           "Contacts: addresses (deliverable unless marked)",
                                           "Evidence (file:line:col)",
                                           NULL };
    size_t passes = v->outcome->counts[RULE_CONTACT_EMAIL][VERDICT_PASS];
    char title[96];
    if (html_several_rules(v))
        snprintf(title, sizeof title, "Passing subscriptions: CIS %s %s (%zu)", v->edition,
                 rules_control_id(&rules_table[RULE_CONTACT_EMAIL], v->edition), passes);
    else
        snprintf(title, sizeof title, "Passing subscriptions (%zu)", passes);
    html_section(h, "passes", title);
    if (passes == 0)
        html_line(h, "p", "note", "No subscription passes.");
    if (passes > 0) {
        html_table(h, "passes stack", headers);
        html_rows(h, RULE_CONTACT_EMAIL, html_is_pass, html_pass_row);
        html_table_end(h);
    }
    html_close_block(h);
}

/* A row of subscription, name and one more text (evidence), with the
 * subscription's id when this row is its entry on the page. */
static void html_sub_row(struct html *h, const struct verdict_subscription *s, int entry,
                         const char *text)
{
    char id[96];
    html_open(h, "tr", NULL);
    if (entry) {
        html_sub_id(id, sizeof id, s, RULE_CONTACT_EMAIL);
        html_attr(h, "id", id);
    }
    html_elem_take(h, "td", "mono", report_subscription_name(h->v, s));
    html_elem_evidence(h, "td", NULL, verdicts_extra(s)->display_name);
    html_elem_evidence(h, "td", NULL, text);
    html_close_block(h);
}

/* One row of the changes table. */
static void html_change_row(struct html *h, const char *id, const char *name, unsigned rule,
                            const char *change, const char *now)
{
    html_open(h, "tr", NULL);
    html_elem(h, "td", "mono", id);
    html_elem_evidence(h, "td", NULL, name);
    html_elem(h, "td", NULL, rules_control_id(&rules_table[rule], h->v->edition));
    html_elem(h, "td", NULL, change);
    html_open(h, "td", NULL);
    if (now)
        html_status(h, now);
    else
        html_text(h, "-");
    html_close(h);
    html_close_block(h);
}

/* What changed since --baseline: every subscription and rule whose verdict
 * is new, fixed or still failing, and those no longer in the evidence. */
static void html_changes(struct html *h)
{
    const struct report_view *v = h->v;
    const struct baseline *b = v->baseline;
    static const char *const headers[] = { "Subscription", "Name",        "Control",
                                           "Change",       "Verdict now", NULL };
    if (b == NULL)
        return;
    char *since = report_line(v, b->generated, strlen(b->generated));
    char title[96];
    snprintf(title, sizeof title, "Changes since %.60s", since);
    html_section(h, "changes", title);
    char *counts = baseline_summarise(b);
    html_open(h, "p", NULL);
    html_text(h, "Against the baseline ");
    html_evidence(h, b->path);
    html_textf(h, " (written by azure-contact-audit %s on ", b->tool_version);
    html_text(h, since);
    html_text(h, "): ");
    html_text(h, counts);
    html_text(h, ". Unchanged verdicts and rules the baseline did not decide are not listed.");
    html_close_block(h);
    free(counts);
    free(since);
    html_table(h, "changes stack", headers);
    for (size_t i = 0, n = verdicts_count(v->table); i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        for (unsigned rule = 0; rule < RULE_COUNT; rule++) {
            const char *change = (v->rules & (1u << rule)) ? baseline_change(b, s->id, rule) : "";
            if (*change == '\0' || strcmp(change, "unchanged") == 0)
                continue;
            const struct verdict_result *res = verdicts_result(v->table, s, rule);
            html_change_row(h, s->id, verdicts_extra(s)->display_name, rule, change,
                            s->disabled ? "NOT-AUDITED" : verdicts_status_name(res->status));
        }
    }
    for (size_t i = 0; i < b->count; i++) {
        const struct baseline_entry *e = &b->items[i];
        if (e->change == CHANGE_GONE)
            html_change_row(h, e->subscription, e->name, e->rule, baseline_name_change(CHANGE_GONE),
                            NULL);
    }
    html_table_end(h);
    html_close_block(h);
}

static void html_not_audited(struct html *h)
{
    const struct report_view *v = h->v;
    static const char *const headers[] = { "Subscription", "Name", "State", NULL };
    char title[96];
    if (v->outcome->not_audited == 0)
        return;
    snprintf(title, sizeof title, "Not audited: disabled in the subscription inventory (%zu)",
             v->outcome->not_audited);
    html_section(h, "not-audited", title);
    html_table(h, "not-audited stack", headers);
    for (size_t i = 0, n = verdicts_count(v->table); i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        if (!s->disabled)
            continue;
        html_sub_row(h, s, 1, verdicts_extra(s)->state);
    }
    html_table_end(h);
    html_close_block(h);
}

/* ---- 5. evidence manifest ------------------------------------------------------------------ */

static const char *html_file_status(const struct evidence_file *f)
{
    return f->status == EVIDENCE_READ      ? "READ"
           : f->status == EVIDENCE_SKIPPED ? "SKIPPED"
                                           : "ERROR";
}

/* A count in its own div, when there is one; returns whether there was. */
static int html_count_div(struct html *h, unsigned long n, const char *one, const char *many,
                          const char *tail)
{
    if (n > 0)
        html_elemf(h, "div", NULL, "%lu %s%s", n, n == 1 ? one : many, tail);
    return n > 0;
}

/* How the file was read (encoding, shape, API versions) and what it held. */
static void html_file_contents(struct html *h, const struct evidence_file *f)
{
    html_open(h, "td", NULL);
    if (f->status == EVIDENCE_SKIPPED || f->status == EVIDENCE_PENDING) {
        html_text(h, "not read");
        html_close(h);
        return;
    }
    html_elemf(h, "div", NULL, "%s%s",
               f->encoding && f->encoding[0] ? f->encoding : "encoding unknown",
               f->gzip ? ", gzip" : "");
    html_elem(h, "div", NULL, f->shape && f->shape[0] ? f->shape : "shape not recognised");
    if (f->api_versions)
        html_elemf(h, "div", NULL, "api-version %s", explain_api_versions(f->api_versions));
    else if (f->records)
        html_elem(h, "div", NULL, "api-version unknown");
    int any = html_count_div(h, f->records, "contact record", "contact records", "");
    any |= html_count_div(h, f->error_bodies, "API error body", "API error bodies", "");
    any |= html_count_div(h, f->inventory_entries, "inventory row", "inventory rows", "");
    if (f->documents > 1)
        html_count_div(h, f->documents, "JSON document", "JSON documents", "");
    if (!any)
        html_elem(h, "div", NULL, f->status == EVIDENCE_READ ? "no records" : "-");
    html_close(h);
}

static void html_file_notes(struct html *h, size_t i, const struct evidence_file *f)
{
    html_open(h, "td", NULL);
    if (diag_faulted(&f->fault)) {
        html_open(h, "div", NULL);
        if (f->fault.line)
            html_textf(h, "at %lu:%lu: ", f->fault.line, f->fault.col);
        html_take(h, report_file_message(h->v, f));
        html_close(h);
    }
    const struct chain_collected *when = h->v->chain ? chain_file_collected(h->v->chain, i) : NULL;
    if (when && when->known) {
        char stamp[32];
        report_time(when->time, 1, stamp);
        html_elemf(h, "div", NULL, "collected %s (%s)", when->has_time ? stamp : "", when->source);
    }
    /* readable, but what it holds is an error, not evidence */
    if (f->api_error)
        html_elem_evidence(h, "div", NULL, f->api_error);
    html_count_div(h, f->notice_lines, "az CLI notice line", "az CLI notice lines",
                   " (not JSON) skipped");
    html_count_div(h, f->ignored_objects, "unrecognised object", "unrecognised objects",
                   " ignored");
    html_close(h);
}

static void html_manifest_row(struct html *h, size_t i)
{
    const struct evidence_file *f = &h->v->files->files[i];
    char id[32];
    snprintf(id, sizeof id, "file-%zu", i + 1);
    html_open(h, "tr", NULL);
    html_attr(h, "id", id);
    html_elemf(h, "td", "num", "%zu", i + 1);
    html_open(h, "td", NULL);
    html_elem_take(h, "div", "mono path", report_location(h->v, i, 0, 0));
    html_elem(h, "div", "mono sha", f->hashed ? f->sha256 : "(not read)");
    html_elemf(h, "div", "bytes", "%" PRIu64 " bytes", f->size);
    html_close(h);
    html_open(h, "td", NULL);
    html_status(h, html_file_status(f));
    html_close(h);
    html_file_contents(h, f);
    html_file_notes(h, i, f);
    html_close_block(h);
}

/* What was left out: none, or which files were skipped or had lines or
 * objects skipped, each a link to its row (its Notes say what). */
static void html_skipped(struct html *h)
{
    const struct evidence_list *l = h->v->files;
    size_t skipped = 0;
    html_open(h, "p", "note skipped");
    for (size_t i = 0; i < l->count; i++) {
        const struct evidence_file *f = &l->files[i];
        if (f->status != EVIDENCE_SKIPPED && f->notice_lines == 0 && f->ignored_objects == 0)
            continue;
        char text[32];
        snprintf(text, sizeof text, "#%zu", i + 1);
        html_text(h, skipped++ ? ", " : "Skipped: a file, or lines or objects in it: ");
        html_file_link(h, i, xstrdup(text));
    }
    html_text(h, skipped ? " (see their notes)."
                         : "Nothing was skipped: no file, no line, no object.");
    html_close_block(h);
}

static void html_manifest(struct html *h)
{
    const struct report_view *v = h->v;
    struct html_file_counts fc = html_file_counts(v);
    static const char *const headers[] = { "#",      "File, SHA-256, size",
                                           "Status", "Contents",
                                           "Notes",  NULL };
    char title[64];
    snprintf(title, sizeof title, "Evidence manifest (%zu file%s)", v->files->count,
             v->files->count == 1 ? "" : "s");
    html_section(h, "manifest", title);
    html_elemf(h, "p", "note",
               "%zu read, %zu unreadable, %zu skipped. Sizes and SHA-256 digests are of each file "
               "as stored, before any gunzip or transcoding; positions are line:column in "
               "characters, from 1.",
               fc.read, fc.error, fc.skipped);
    if (v->files->count > 0) {
        html_table(h, "manifest stack", headers);
        for (size_t i = 0; i < v->files->count; i++)
            html_manifest_row(h, i);
        html_table_end(h);
        html_skipped(h);
    }
    html_close_block(h);
}

/* ---- 6. the control ---------------------------------------------------------------------- */

/* Every waiver of --waivers FILE and what became of it. */
/* The waiver file that is none, or the entries refused in it: each is an
 * error of the run (the Total line counts them), never a waiver. */
static void html_waiver_refusals(struct html *h, const struct waiver_set *ws)
{
    static const char *const headers[] = { "Entry",  "Where",       "Subscription",
                                           "Ticket", "Why refused", NULL };
    if (ws->unreadable) {
        html_open(h, "p", "refused");
        html_status(h, "ERROR");
        html_text(h, " No waiver was applied: ");
        html_evidence(h, ws->unreadable_why);
        html_close_block(h);
    }
    if (ws->invalid == 0)
        return;
    html_elemf(h, "p", "refused",
               "%zu entr%s refused, and not applied (each an ERROR of the run):", ws->invalid,
               ws->invalid == 1 ? "y" : "ies");
    html_table(h, "waiver-refusals stack", headers);
    for (size_t i = 0; i < ws->invalid; i++) {
        const struct waiver_refusal *r = &ws->refusals[i];
        html_open(h, "tr", NULL);
        html_elemf(h, "td", "num", "%zu", r->entry);
        html_elemf(h, "td", "mono", "%lu:%lu", r->line, r->col);
        html_elem_evidence(h, "td", "mono", r->subscription);
        html_elem_evidence(h, "td", NULL, r->ticket);
        html_elem_evidence(h, "td", NULL, r->why);
        html_close_block(h);
    }
    html_table_end(h);
}

static void html_waiver_list(struct html *h, const struct waiver_set *ws)
{
    static const char *const headers[] = { "Subscription", "Rule", "Ticket", "Expires",
                                           "Reason",       "Use",  NULL };
    html_open(h, "p", NULL);
    html_text(h, "Waivers read from ");
    html_evidence(h, ws->path);
    html_text(h, ":");
    html_close_block(h);
    html_table(h, "waiver-list stack", headers);
    for (size_t i = 0; i < ws->count; i++) {
        const struct waiver *w = &ws->items[i];
        html_open(h, "tr", NULL);
        html_elem(h, "td", "mono", w->subscription);
        html_elem_evidence(h, "td", NULL, w->rule_text);
        html_elem_evidence(h, "td", NULL, w->ticket);
        html_elem_evidence(h, "td", NULL, w->expires);
        html_elem_evidence(h, "td", NULL, w->reason);
        if (w->expired)
            html_elem(h, "td", NULL, "expired: ignored");
        else if (w->refused)
            html_elemf(h, "td", NULL,
                       "applied to %zu FAIL verdict%s; not to %zu ERROR verdict%s "
                       "(undecided evidence cannot be waived)",
                       w->used, w->used == 1 ? "" : "s", w->refused, w->refused == 1 ? "" : "s");
        else
            html_elemf(h, "td", NULL, "applied to %zu FAIL verdict%s", w->used,
                       w->used == 1 ? "" : "s");
        html_close_block(h);
    }
    html_table_end(h);
    html_waiver_refusals(h, ws);
}

/* Waivers applied: the waived subscriptions, then the waiver file. */
static void html_waivers(struct html *h)
{
    const struct report_view *v = h->v;
    static const char *const headers[] = { "Subscription", "Name", "Waiver", NULL };
    size_t waived = v->outcome->counts[RULE_CONTACT_EMAIL][VERDICT_WAIVED];
    html_block(h, "div", "waivers", "waivers");
    html_line(h, "h3", NULL, "Waivers applied");
    if (v->waivers == NULL && waived == 0)
        html_line(h, "p", "no-waivers", "No waivers were applied.");
    if (v->waivers || waived) {
        html_elemf(h, "p", NULL, "%zu subscription%s waived:", waived, waived == 1 ? "" : "s");
        html_table(h, "waived stack", headers);
        for (size_t i = 0, n = verdicts_count(v->table); i < n; i++) {
            const struct verdict_subscription *s = verdicts_get(v->table, i);
            const struct verdict_result *res = verdicts_result(v->table, s, RULE_CONTACT_EMAIL);
            if (s->disabled || res->status != VERDICT_WAIVED)
                continue;
            char *reason = facts_reason(v, s, RULE_CONTACT_EMAIL);
            html_sub_row(h, s, 0, reason);
            free(reason);
        }
        html_table_end(h);
        if (v->waivers)
            html_waiver_list(h, v->waivers);
    }
    html_close_block(h);
}

static void html_control(struct html *h)
{
    const struct report_view *v = h->v;
    const struct rule *r = &rules_table[RULE_CONTACT_EMAIL];
    static const char *const headers[] = { "CIS edition", "Control id", "", NULL };
    char title[200];
    snprintf(title, sizeof title, "The control: CIS %s %s, in our words", v->edition,
             rules_control_id(r, v->edition));
    html_section(h, "control", title);
    html_raw(h, html_control_prose);
    html_line(h, "h3", NULL, "The same control in other CIS editions");
    html_table(h, "editions", headers);
    for (int i = 0; i < RULE_MAX_EDITIONS && r->ids[i].edition; i++) {
        int here = strcmp(r->ids[i].edition, v->edition) == 0;
        html_open(h, "tr", here ? "current" : NULL);
        html_elem(h, "td", NULL, r->ids[i].edition);
        html_elem(h, "td", NULL, r->ids[i].id);
        html_elem(h, "td", NULL, here ? "this report" : "");
        html_close_block(h);
    }
    html_table_end(h);
    html_waivers(h);
    html_close_block(h);
}

/* ---- 7. how to verify ------------------------------------------------------------------- */

/* One line of sha256sum's own format; returns its width in characters. */
static size_t html_sha_line(const struct report_view *v, struct xbuf *t, const char *sha256,
                            const char *raw_path)
{
    char *line = report_sha256sum_line(v, sha256, raw_path);
    size_t width = 0;
    for (const char *p = line; *p && *p != '\n'; p++)
        width += ((unsigned char)*p & 0xC0) != 0x80;
    xbuf_add(t, line);
    free(line);
    return width;
}

/* The sha256sum lines, in a box whose class names the width that holds
 * the longest: style.css scales that width to the paper, since a line
 * broken in two no longer verifies. */
static void html_sums(struct html *h)
{
    static const unsigned cols[] = { 90,  100, 112, 125, 140, 160, 180, 200, 225, 250, 280,
                                     320, 360, 400, 450, 500, 560, 640, 720, 800, 900, 1000 };
    const struct report_view *v = h->v;
    struct xbuf t = { 0 };
    size_t width = 0, w, k = 0, entries = 0;
    for (size_t i = 0; i < v->files->count; i++) {
        const struct evidence_file *f = &v->files->files[i];
        /* sha256sum cannot open ARCHIVE!NAME: the archive's line stands for
         * its entries, whose digests the manifest table gives */
        if (f->archive) {
            entries++;
            continue;
        }
        if (f->hashed && !f->is_stdin && (w = html_sha_line(v, &t, f->sha256, f->path)) > width)
            width = w;
    }
    /* the waivers decide verdicts too */
    if (v->waivers && v->waivers->hashed &&
        (w = html_sha_line(v, &t, v->waivers->sha256, v->waivers->path)) > width)
        width = w;
    while (k + 1 < sizeof cols / sizeof cols[0] && cols[k] < width)
        k++;
    char cls[32];
    snprintf(cls, sizeof cls, "sums cols-%u", cols[k]);
    html_open(h, "div", cls);
    html_elem(h, "pre", "sha256sum", t.s ? t.s : "");
    html_close_block(h);
    if (report_sha256sum_note(v))
        html_line(h, "p", "note", report_sha256sum_note(v));
    if (entries)
        html_elemf(h, "p", "note",
                   "%zu archive entr%s no line above: %s checked by its archive's line, and %s "
                   "SHA-256 is in the evidence manifest.",
                   entries, entries == 1 ? "y has" : "ies have", entries == 1 ? "it is" : "each is",
                   entries == 1 ? "its" : "each one's");
    free(t.s);
}

static void html_verify(struct html *h)
{
    const struct report_view *v = h->v;
    size_t unhashed = 0;
    for (size_t i = 0; i < v->files->count; i++) {
        const struct evidence_file *f = &v->files->files[i];
        unhashed += (!f->hashed || f->is_stdin) && f->status != EVIDENCE_SKIPPED;
    }
    html_section(h, "verify", "How to verify");
    html_line(h, "p", NULL,
              "1. The evidence is what was audited: from the folder the audit was run in, save "
              "these lines to a file and run sha256sum -c on it; every line must end in OK.");
    html_sums(h);
    if (unhashed)
        html_elemf(h, "p", "note",
                   "%zu file%s (standard input, or not read to the end) %s no line above: see "
                   "the manifest.",
                   unhashed, unhashed == 1 ? "" : "s", unhashed == 1 ? "has" : "have");
    html_line(h, "p", NULL,
              "2. The verdicts follow from the evidence: run the same command on the same files.");
    html_open(h, "pre", "command");
    if (v->command_line)
        html_take(h, report_command(v));
    html_close_block(h);
    if (v->time_from_env)
        html_elemf(h, "p", "note",
                   "With SOURCE_DATE_EPOCH=%lld set, the same tool version writes this page byte "
                   "for byte.",
                   (long long)v->generated);
    html_block(h, "dl", "meta", NULL);
    html_line(h, "dt", NULL, "Tool");
    html_line(h, "dd", NULL, "azure-contact-audit " PACKAGE_VERSION);
    html_line(h, "dt", NULL, "Libraries");
    html_line(h, "dd", NULL, report_versions());
    html_line(h, "dt", NULL, "Generated");
    html_line(h, "dd", NULL, h->stamp);
    html_close_block(h);
    html_close_block(h);
}

/* ---- the page -------------------------------------------------------------------------------- */

/* The page into out (closed here), its long tables' rows in blocks of
 * `block` subscriptions. */
static int html_write_page(const struct report_view *v, xmlOutputBufferPtr out, size_t block)
{
    struct html h = { .v = v, .out = out, .block = block };
    h.w = xmlNewTextWriter(out);
    if (h.w == NULL) {
        xmlOutputBufferClose(out);
        return -1;
    }
    h.overall = outcome_word(v->outcome);
    const struct chain_collected *when = v->chain ? chain_bundle_collected(v->chain) : NULL;
    if (when)
        report_time(when->time, 1, h.collected);
    h.bundle = html_bundle(v);
    report_time(v->generated, 1, h.stamp);
    /* UTF-8 as written: the writer has no encoder and copies sanitised
     * text as it is; the meta charset says so. */
    html_raw(&h, "<!DOCTYPE html>\n");
    html_open(&h, "html", NULL);
    html_attr(&h, "lang", "en");
    html_raw(&h, "\n");
    html_head(&h);
    html_block(&h, "body", NULL, NULL);
    html_summary(&h);
    html_attention(&h);
    html_changes(&h);
    for (int r = 0; r < RULE_COUNT; r++) {
        if (v->rules & (1u << r))
            html_findings(&h, r);
    }
    html_passes(&h);
    html_not_audited(&h);
    html_manifest(&h);
    html_control(&h);
    html_verify(&h);
    html_close_block(&h);
    html_close_block(&h);
    html_check(&h, xmlTextWriterFlush(h.w));
    xmlFreeTextWriter(h.w); /* closes out */
    free(h.bundle);
    free(h.scratch.s);
    free(h.judged.items);
    return h.failed ? -1 : 0;
}

int html_write(const struct report_view *v, xmlOutputBufferPtr out)
{
    return html_write_page(v, out, HTML_BLOCK);
}

int html_render_blocks(const struct report_view *v, size_t block, char **out, size_t *len)
{
    struct xbuf b = { 0 };
    xmlOutputBufferPtr o = report_memory_output(&b);
    if (o == NULL || html_write_page(v, o, block ? block : 1) != 0) {
        free(b.s);
        return -1;
    }
    *len = b.len;
    *out = xbuf_finish(&b);
    return 0;
}

int html_render(const struct report_view *v, char **out, size_t *len)
{
    return report_render(html_write, v, out, len);
}
