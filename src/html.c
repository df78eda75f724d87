/* HTML evidence report writer (see html.h): the page an auditor attaches to
 * the ticket, built as a libxml2 tree and written by libxml2's serialiser.
 * Evidence only ever enters the tree as a text node or an attribute value.
 * The long lists (findings, passing subscriptions, manifest rows) are left
 * as placeholders in the page and built and serialised in batches in their
 * place, so the tree never holds more than a batch at 100k subscriptions. */
#include "config.h"

#include "html.h"

#include <inttypes.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "rules.h"
#include "sanitize.h"
#include "waivers.h"
#include "xalloc.h"

/* The stylesheet, generated from reports/style.css at build time. */
static const char html_stylesheet[] =
#include "style-css.h"
    ;

/* Items built before a batch is serialised and freed. */
#define HTML_BATCH 256

typedef xmlNodePtr node;

/* ---- building blocks ---------------------------------------------------------- */

/* A child element with sanitised text (text may be NULL for none). */
static node html_add(node parent, const char *name, const char *text)
{
    if (text == NULL)
        return xmlNewChild(parent, NULL, BAD_CAST name, NULL);
    char *clean = sanitize_text(text, strlen(text), SANITIZE_KEEP_NEWLINES, 0, NULL);
    node n = xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST clean);
    free(clean);
    return n;
}

/* Same, taking ownership of already-sanitised text. */
static node html_add_owned(node parent, const char *name, char *text)
{
    node n = xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST text);
    free(text);
    return n;
}

static node html_class(node n, const char *cls)
{
    xmlNewProp(n, BAD_CAST "class", BAD_CAST cls);
    return n;
}

static node html_add_class(node parent, const char *name, const char *cls, const char *text)
{
    return html_class(html_add(parent, name, text), cls);
}

static void html_text(node parent, const char *text)
{
    char *clean = sanitize_text(text, strlen(text), SANITIZE_KEEP_NEWLINES, 0, NULL);
    xmlAddChild(parent, xmlNewDocText(parent->doc, BAD_CAST clean));
    free(clean);
}

/* Evidence text (a display name, a message): sanitised and capped. */
static void html_evidence(node parent, const char *text)
{
    char *clean = report_text(text, strlen(text));
    xmlAddChild(parent, xmlNewDocText(parent->doc, BAD_CAST clean));
    free(clean);
}

/* A status word: text for every reader, colour for those who see it. */
static node html_status(node parent, const char *word)
{
    char cls[48];
    snprintf(cls, sizeof cls, "status status-%s", word);
    return html_add_class(parent, "span", cls, word);
}

/* A table with a header row; returns its tbody. */
static node html_table(node parent, const char *cls, const char *const *headers)
{
    node table = html_add(parent, "table", NULL);
    if (cls)
        html_class(table, cls);
    node tr = html_add(html_add(table, "thead", NULL), "tr", NULL);
    for (size_t i = 0; headers[i]; i++)
        xmlNewProp(html_add(tr, "th", headers[i]), BAD_CAST "scope", BAD_CAST "col");
    return html_add(table, "tbody", NULL);
}

static void html_meta_row(node dl, const char *term, const char *value)
{
    html_add(dl, "dt", term);
    html_add(dl, "dd", value);
}

static node html_section(node body, const char *id, const char *title)
{
    node s = html_add(body, "section", NULL);
    xmlNewProp(s, BAD_CAST "id", BAD_CAST id);
    html_add(s, "h2", title);
    return s;
}

/* "1 contact record" / "2 contact records". */
static void html_count(char *out, size_t cap, unsigned long n, const char *one, const char *many)
{
    snprintf(out, cap, "%lu %s", n, n == 1 ? one : many);
}

/* ---- the page and its deferred lists -------------------------------------------- */

enum html_list { HTML_LIST_FINDINGS, HTML_LIST_PASSES, HTML_LIST_MANIFEST };

struct html_deferred {
    enum html_list kind;
    int rule;
};

struct html_page {
    const struct report_view *v;
    xmlDocPtr doc;
    struct html_deferred deferred[RULE_COUNT + 2];
    size_t n_deferred;
};

/* Leaves a placeholder (a comment no evidence can forge: evidence is only
 * ever text, whose '<' the serialiser escapes) where a long list goes. */
static void html_defer(struct html_page *pg, node parent, enum html_list kind, int rule)
{
    char mark[32];
    snprintf(mark, sizeof mark, "aca-list-%zu", pg->n_deferred);
    xmlAddChild(parent, xmlNewDocComment(pg->doc, BAD_CAST mark));
    pg->deferred[pg->n_deferred].kind = kind;
    pg->deferred[pg->n_deferred].rule = rule;
    pg->n_deferred++;
}

/* Serialises what the batch box holds and empties it. */
static void html_flush(struct html_page *pg, xmlOutputBufferPtr out, node box)
{
    for (node n = box->children; n; n = n->next)
        htmlNodeDumpFormatOutput(out, pg->doc, n, NULL, 1);
    xmlFreeNodeList(box->children);
    box->children = box->last = NULL;
}

static int html_is_finding(const struct verdict_subscription *s, int rule)
{
    return !s->disabled && s->results[rule].status != VERDICT_PASS;
}

static int html_is_pass(const struct verdict_subscription *s, int rule)
{
    return !s->disabled && s->results[rule].status == VERDICT_PASS;
}

static size_t html_tally(const struct report_view *v, int rule, int (*want)(const struct verdict_subscription *, int))
{
    size_t n = verdicts_count(v->table), k = 0;
    for (size_t i = 0; i < n; i++)
        k += want(verdicts_get(v->table, i), rule) != 0;
    return k;
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
    snprintf(out, cap, "default-src 'none'; style-src 'sha256-%s'; img-src data:; base-uri 'none'; form-action 'none'", b64);
}

static void html_head(node html, const struct report_view *v)
{
    node head = html_add(html, "head", NULL);
    char csp[256];
    html_csp(csp, sizeof csp);
    /* The CSP comes first so that it governs everything after it. */
    node meta = html_add(head, "meta", NULL);
    xmlNewProp(meta, BAD_CAST "http-equiv", BAD_CAST "Content-Security-Policy");
    xmlNewProp(meta, BAD_CAST "content", BAD_CAST csp);
    /* The one charset declaration: libxml2 reads it to pick its encoder. */
    meta = html_add(head, "meta", NULL);
    xmlNewProp(meta, BAD_CAST "http-equiv", BAD_CAST "Content-Type");
    xmlNewProp(meta, BAD_CAST "content", BAD_CAST "text/html; charset=UTF-8");
    meta = html_add(head, "meta", NULL);
    xmlNewProp(meta, BAD_CAST "name", BAD_CAST "viewport");
    xmlNewProp(meta, BAD_CAST "content", BAD_CAST "width=device-width, initial-scale=1");
    char title[160];
    snprintf(title, sizeof title, "%s: Azure security contact audit, CIS %s %s", report_overall(v), v->edition,
             rules_control_id(&rules_table[RULE_CONTACT_EMAIL], v->edition));
    html_add(head, "title", title);
    xmlNewTextChild(head, NULL, BAD_CAST "style", BAD_CAST html_stylesheet);
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
        if (st == EVIDENCE_READ)
            c.read++;
        else if (st == EVIDENCE_SKIPPED)
            c.skipped++;
        else
            c.error++;
    }
    return c;
}

/* One sentence under the overall result saying why it is what it is. */
static void html_overall_reason(node parent, const struct report_view *v, struct html_file_counts fc)
{
    char line[400];
    size_t err = v->counts[VERDICT_ERROR], fail = v->counts[VERDICT_FAIL], n = 0;
    const char *overall = report_overall(v);
    if (strcmp(overall, "PASS") == 0) {
        snprintf(line, sizeof line, "Every audited subscription meets the control and every evidence file was read.");
    } else if (strcmp(overall, "FAIL") == 0) {
        snprintf(line, sizeof line, "%zu subscription%s not meet the control; all evidence was read.", fail,
                 fail == 1 ? " does" : "s do");
    } else {
        n = (size_t)snprintf(line, sizeof line, "The audit is incomplete:");
        if (err)
            n += (size_t)snprintf(line + n, sizeof line - n, " %zu subscription%s could not be decided%s", err,
                                  err == 1 ? "" : "s", fc.error ? " and" : "");
        if (fc.error)
            n += (size_t)snprintf(line + n, sizeof line - n, " %zu evidence file%s could not be read", fc.error,
                                  fc.error == 1 ? "" : "s");
        n += (size_t)snprintf(line + n, sizeof line - n, " (what cannot be read is never taken as passing).");
        if (fail)
            snprintf(line + n, sizeof line - n, " %zu subscription%s not meet the control.", fail,
                     fail == 1 ? " does" : "s do");
    }
    html_add_class(parent, "p", "overall-why", line);
}

static void html_summary(node body, const struct report_view *v)
{
    const struct rule *r = &rules_table[RULE_CONTACT_EMAIL];
    struct html_file_counts fc = html_file_counts(v);
    node header = html_add_class(body, "header", "summary", NULL);
    xmlNewProp(header, BAD_CAST "id", BAD_CAST "summary");
    html_add(header, "h1", "Azure security contact audit");
    node p = html_add_class(header, "p", "verdict", NULL);
    html_text(p, "Overall result: ");
    html_status(p, report_overall(v));
    html_overall_reason(header, v, fc);

    node ul = html_add_class(header, "ul", "counts", NULL);
    const char *words[] = { "PASS", "FAIL", "ERROR", "WAIVED" };
    size_t total = 0;
    for (int i = 0; i < 4; i++) {
        char n[32];
        snprintf(n, sizeof n, "%zu", v->counts[i]);
        total += v->counts[i];
        node li = html_add(ul, "li", NULL);
        html_add(li, "b", n);
        html_status(li, words[i]);
    }
    char n[64];
    if (v->not_audited) {
        snprintf(n, sizeof n, "%zu", v->not_audited);
        node li = html_add(ul, "li", NULL);
        html_add(li, "b", n);
        html_status(li, "NOT-AUDITED");
    }
    snprintf(n, sizeof n, "%zu", total);
    node li = html_add_class(ul, "li", "total", NULL);
    html_add(li, "b", n);
    html_add(li, "span", "subscriptions audited");

    node dl = html_add_class(header, "dl", "meta", NULL);
    char line[400], stamp[32];
    snprintf(line, sizeof line, "CIS Microsoft Azure Foundations Benchmark %s, control %s",
             v->edition, rules_control_id(r, v->edition));
    html_meta_row(dl, "Control", line);
    html_meta_row(dl, "Title", r->title);
    snprintf(line, sizeof line, "%s, Automated", r->level);
    html_meta_row(dl, "Profile", line);
    for (int k = 1; k < RULE_COUNT; k++) {
        if (!(v->rules & (1u << k)))
            continue;
        snprintf(line, sizeof line, "CIS %s %s: %s (findings below; not in the counts above)",
                 v->edition, rules_control_id(&rules_table[k], v->edition), rules_table[k].title);
        html_meta_row(dl, "Also checked", line);
    }
    report_time(v->generated, 1, stamp);
    snprintf(line, sizeof line, "%s%s", stamp, v->time_from_env ? " (pinned by SOURCE_DATE_EPOCH)" : "");
    html_meta_row(dl, "Generated", line);
    snprintf(line, sizeof line, "azure-contact-audit %s, offline, from the evidence files below only", PACKAGE_VERSION);
    html_meta_row(dl, "Produced by", line);
    snprintf(line, sizeof line, "%zu file%s: %zu read, %zu unreadable, %zu skipped", v->files->count,
             v->files->count == 1 ? "" : "s", fc.read, fc.error, fc.skipped);
    html_meta_row(dl, "Evidence", line);
    html_meta_row(dl, "Addresses", v->redact ? "masked (--redact): j***@example.org" : "shown in full");
    html_meta_row(dl, "Evidence text",
                  "as read; \\xNN marks a byte that is not UTF-8, \\uXXXX a control character, "
                  "[... N more bytes] a value cut short");
}

/* ---- 2. findings -------------------------------------------------------------------- */

static char *html_contact_name(const struct verdict_contact *c)
{
    return c->name ? sanitize_text(c->name, c->name_len, SANITIZE_ONE_LINE, 200, NULL) : xstrdup("(unnamed)");
}

/* Where a contact's addresses are: the emails member, else the contact. */
static char *html_contact_where(const struct report_view *v, const struct verdict_contact *c)
{
    if (c->emails_pos.line > 0)
        return report_location(v, c->file, c->emails_pos.line, c->emails_pos.col);
    return report_location(v, c->file, c->pos.line, c->pos.col);
}

/* Why a contact holds no address, in the words of the stdout reasons. */
static void html_no_address_why(char *out, size_t cap, const struct verdict_contact *c)
{
    if (c->problem)
        snprintf(out, cap, "%s", c->problem);
    else if (c->emails_kind == CONTACT_EMAILS_ABSENT)
        snprintf(out, cap, "emails is missing");
    else if (c->emails_kind == CONTACT_EMAILS_NULL)
        snprintf(out, cap, "%s is null", c->emails_member);
    else if (c->emails_kind == CONTACT_EMAILS_BAD)
        snprintf(out, cap, "%s has an unexpected type", c->emails_member);
    else if (c->emails_len == 0)
        snprintf(out, cap, "%s is empty", c->emails_member);
    else
        snprintf(out, cap, "%s holds no address", c->emails_member);
}

static void html_contact_notes(node td, const struct verdict_contact *c)
{
    if (c->enabled == CONTACT_OFF)
        html_add_class(td, "span", "flag", " (disabled)");
    if (c->from_failed_file)
        html_add_class(td, "span", "flag", " (its file failed later: not counted)");
}

static void html_contacts_table(node parent, const struct report_view *v, const struct verdict_subscription *s)
{
    static const char *const headers[] = { "Contact", "Address", "Verdict", "Why", "Evidence (file:line:col)", NULL };
    if (s->n_contacts == 0)
        return;
    node tbody = html_table(parent, "contacts", headers);
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        char *name = html_contact_name(c);
        char *where = html_contact_where(v, c);
        size_t rows = c->n_addresses ? c->n_addresses : 1;
        for (size_t k = 0; k < rows; k++) {
            node tr = html_add(tbody, "tr", NULL);
            node td = html_add(tr, "td", NULL);
            html_text(td, name);
            html_contact_notes(td, c);
            if (c->n_addresses == 0) {
                char why[160];
                html_no_address_why(why, sizeof why, c);
                html_add_class(tr, "td", "mono addr", "(none)");
                html_add_class(tr, "td", "addr-bad", "no address");
                html_add(tr, "td", why);
            } else {
                const struct verdict_address *a = &c->addresses[k];
                html_class(html_add_owned(tr, "td", report_address(v, a->text, a->len)), "mono addr");
                html_add_class(tr, "td", a->verdict == ADDRESS_DELIVERABLE ? "addr-ok" : "addr-bad",
                               address_verdict_name(a->verdict));
                const char *why = a->why[0] ? a->why : c->problem ? c->problem : "";
                if (!why[0] && c->enabled == CONTACT_OFF)
                    why = "deliverable, but the contact is disabled";
                else if (!why[0] && c->from_failed_file)
                    why = "deliverable, but its file could not be read to the end";
                html_add(tr, "td", why);
            }
            html_add_class(tr, "td", "mono where", where);
        }
        free(where);
        free(name);
    }
}

static void html_subscription_heading(node parent, const struct report_view *v,
                                      const struct verdict_subscription *s, const char *status)
{
    node h3 = html_add(parent, "h3", NULL);
    html_status(h3, status);
    html_text(h3, " ");
    html_class(html_add_owned(h3, "code", report_subscription_name(v, s)), "sub");
    if (s->display_name) {
        html_text(h3, " ");
        html_evidence(html_add_class(h3, "span", "display-name", NULL), s->display_name);
    }
}

/* Evidence that names the subscription but cannot decide it. The message
 * is left out when it is the reason shown just above. */
static void html_problems(node parent, const struct report_view *v, const struct verdict_subscription *s,
                          const char *reason)
{
    if (s->n_problems == 0 && !s->empty_list) {
        if (s->n_contacts == 0) {
            node p = html_add_class(parent, "p", "note", "Listed in the subscription inventory");
            if (s->state) {
                html_text(p, " (state: ");
                html_evidence(p, s->state);
                html_text(p, ")");
            }
            html_text(p, ", but no evidence file names this subscription.");
        }
        return;
    }
    node ul = html_add_class(parent, "ul", "problems", NULL);
    if (s->empty_list) {
        node li = html_add(ul, "li", "Empty contact list at ");
        html_add_owned(li, "code", report_location(v, s->empty_list_file, s->empty_list_pos.line,
                                                   s->empty_list_pos.col));
    }
    for (size_t i = 0; i < s->n_problems; i++) {
        const struct verdict_problem *p = &s->problems[i];
        node li = html_add(ul, "li", "Evidence that cannot decide it: ");
        html_add_owned(li, "code", report_location(v, p->file, p->line, p->col));
        if (reason == NULL || strcmp(reason, p->message) != 0) {
            html_text(li, ": ");
            html_text(li, p->message);
        }
    }
}

static void html_finding(node parent, const struct report_view *v, const struct verdict_subscription *s, int rule)
{
    const struct verdict_result *res = &s->results[rule];
    const char *word = verdicts_status_name(res->status);
    char cls[48];
    snprintf(cls, sizeof cls, "finding status-box-%s", word);
    node div = html_add_class(parent, "div", cls, NULL);
    html_subscription_heading(div, v, s, word);
    html_add_class(div, "p", "reason", res->reason ? res->reason : "");
    html_problems(div, v, s, res->reason);
    html_contacts_table(div, v, s);
}

static void html_findings(struct html_page *pg, node body, int rule)
{
    const struct report_view *v = pg->v;
    const struct rule *r = &rules_table[rule];
    size_t n = html_tally(v, rule, html_is_finding);
    char id[48], title[240];
    snprintf(id, sizeof id, "findings-%s", r->key);
    snprintf(title, sizeof title, "Findings: CIS %s %s (%zu)", v->edition, rules_control_id(r, v->edition), n);
    node sec = html_section(body, id, title);
    html_add_class(sec, "p", "control-title", r->title);
    if (n == 0) {
        html_add_class(sec, "p", "note", "No findings: every audited subscription passes.");
        return;
    }
    html_add_class(sec, "p", "note",
                   "Every subscription that fails the control or could not be decided, with each contact, each "
                   "address and its verdict, and where in the evidence it was read.");
    html_defer(pg, html_add_class(sec, "div", "findings", NULL), HTML_LIST_FINDINGS, rule);
}

static void html_findings_items(struct html_page *pg, xmlOutputBufferPtr out, int rule)
{
    node box = xmlNewDocNode(pg->doc, NULL, BAD_CAST "div", NULL);
    size_t n = verdicts_count(pg->v->table), held = 0;
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(pg->v->table, i);
        if (!html_is_finding(s, rule))
            continue;
        html_finding(box, pg->v, s, rule);
        if (++held == HTML_BATCH) {
            html_flush(pg, out, box);
            held = 0;
        }
    }
    html_flush(pg, out, box);
    xmlFreeNode(box);
}

/* ---- 3. passing subscriptions ---------------------------------------------------------- */

static void html_passes(struct html_page *pg, node body)
{
    const struct report_view *v = pg->v;
    size_t passes = html_tally(v, RULE_CONTACT_EMAIL, html_is_pass);
    char title[96];
    if (v->rules & ~(1u << RULE_CONTACT_EMAIL))
        snprintf(title, sizeof title, "Passing subscriptions: CIS %s %s (%zu)", v->edition,
                 rules_control_id(&rules_table[RULE_CONTACT_EMAIL], v->edition), passes);
    else
        snprintf(title, sizeof title, "Passing subscriptions (%zu)", passes);
    node sec = html_section(body, "passes", title);
    if (passes == 0) {
        html_add_class(sec, "p", "note", "No subscription passes.");
    } else {
        node details = html_add(sec, "details", NULL);
        snprintf(title, sizeof title, "Show the %zu passing subscription%s with their contacts and evidence", passes,
                 passes == 1 ? "" : "s");
        html_add(details, "summary", title);
        static const char *const headers[] = { "Subscription", "Name", "Reason",
                                               "Contacts: addresses (deliverable unless marked)",
                                               "Evidence (file:line:col)", NULL };
        html_defer(pg, html_table(details, "passes", headers), HTML_LIST_PASSES, RULE_CONTACT_EMAIL);
    }
    size_t disabled = 0, n = verdicts_count(v->table);
    for (size_t i = 0; i < n; i++)
        disabled += verdicts_get(v->table, i)->disabled != 0;
    if (disabled == 0)
        return;
    snprintf(title, sizeof title, "Not audited: disabled in the subscription inventory (%zu)", disabled);
    sec = html_section(body, "not-audited", title);
    static const char *const headers[] = { "Subscription", "Name", "State", NULL };
    node tbody = html_table(sec, "not-audited", headers);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        if (!s->disabled)
            continue;
        node tr = html_add(tbody, "tr", NULL);
        html_class(html_add_owned(tr, "td", report_subscription_name(v, s)), "mono");
        html_evidence(html_add(tr, "td", NULL), s->display_name ? s->display_name : "");
        html_evidence(html_add(tr, "td", NULL), s->state ? s->state : "");
    }
}

/* One compact row: every contact and address is still there. */
static void html_pass_row(node tbody, const struct report_view *v, const struct verdict_subscription *s)
{
    node tr = html_add_class(tbody, "tr", "pass", NULL);
    html_class(html_add_owned(tr, "td", report_subscription_name(v, s)), "mono sub");
    node td = html_add(tr, "td", NULL);
    if (s->display_name)
        html_evidence(td, s->display_name);
    html_add(tr, "td", s->results[RULE_CONTACT_EMAIL].reason);
    node contacts = html_add(tr, "td", NULL);
    node where = html_class(html_add(tr, "td", NULL), "mono where");
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        node div = html_add(contacts, "div", NULL);
        html_add_owned(div, "span", html_contact_name(c));
        html_contact_notes(div, c);
        html_text(div, ": ");
        if (c->n_addresses == 0) {
            char why[160];
            html_no_address_why(why, sizeof why, c);
            html_add_class(div, "span", "addr-bad", "no address");
            html_text(div, " (");
            html_text(div, why);
            html_text(div, ")");
        }
        for (size_t k = 0; k < c->n_addresses; k++) {
            const struct verdict_address *a = &c->addresses[k];
            if (k > 0)
                html_text(div, ", ");
            int ok = a->verdict == ADDRESS_DELIVERABLE;
            html_class(html_add_owned(div, "span", report_address(v, a->text, a->len)),
                       ok ? "mono addr addr-ok" : "mono addr addr-bad");
            if (!ok) {
                html_text(div, " (");
                html_text(div, address_verdict_name(a->verdict));
                html_text(div, ")");
            }
        }
        html_add_owned(where, "div", html_contact_where(v, c));
    }
}

static void html_passes_items(struct html_page *pg, xmlOutputBufferPtr out)
{
    node box = xmlNewDocNode(pg->doc, NULL, BAD_CAST "tbody", NULL);
    size_t n = verdicts_count(pg->v->table), held = 0;
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(pg->v->table, i);
        if (!html_is_pass(s, RULE_CONTACT_EMAIL))
            continue;
        html_pass_row(box, pg->v, s);
        if (++held == HTML_BATCH) {
            html_flush(pg, out, box);
            held = 0;
        }
    }
    html_flush(pg, out, box);
    xmlFreeNode(box);
}

/* ---- 4. evidence manifest ------------------------------------------------------------------ */

static const char *html_file_status(const struct evidence_file *f)
{
    return f->status == EVIDENCE_READ ? "READ" : f->status == EVIDENCE_SKIPPED ? "SKIPPED" : "ERROR";
}

static void html_manifest(struct html_page *pg, node body)
{
    const struct report_view *v = pg->v;
    struct html_file_counts fc = html_file_counts(v);
    char line[320];
    snprintf(line, sizeof line, "Evidence manifest (%zu file%s)", v->files->count, v->files->count == 1 ? "" : "s");
    node sec = html_section(body, "manifest", line);
    snprintf(line, sizeof line,
             "%zu read, %zu unreadable, %zu skipped. Sizes and SHA-256 digests are of each file as stored, before "
             "any gunzip or transcoding; positions are line:column in characters, from 1.",
             fc.read, fc.error, fc.skipped);
    html_add_class(sec, "p", "note", line);
    if (v->files->count == 0)
        return;
    static const char *const headers[] = { "#", "File", "Status", "Bytes", "SHA-256", "Read as", "Records",
                                           "Notes", NULL };
    html_defer(pg, html_table(sec, "manifest", headers), HTML_LIST_MANIFEST, 0);

    /* What was left out, by name: skipped files and skipped lines. */
    size_t skipped = 0;
    for (size_t i = 0; i < v->files->count; i++) {
        const struct evidence_file *f = &v->files->files[i];
        skipped += f->status == EVIDENCE_SKIPPED || f->notice_lines > 0 || f->ignored_objects > 0;
    }
    if (skipped == 0) {
        html_add_class(sec, "p", "note", "Nothing was skipped: no file, no line, no object.");
        return;
    }
    html_add(sec, "h3", "Skipped");
    node ul = html_add_class(sec, "ul", "skipped", NULL);
    for (size_t i = 0; i < v->files->count; i++) {
        const struct evidence_file *f = &v->files->files[i];
        if (f->status == EVIDENCE_SKIPPED) {
            node li = html_add(ul, "li", "File ");
            html_add_owned(li, "code", report_location(v, i, 0, 0));
            html_text(li, ": ");
            html_evidence(li, f->message ? f->message : "skipped");
        }
        if (f->notice_lines) {
            node li = html_add(ul, "li", "Lines of ");
            html_add_owned(li, "code", report_location(v, i, 0, 0));
            html_count(line, sizeof line, f->notice_lines, "az CLI notice line", "az CLI notice lines");
            html_text(li, ": ");
            html_text(li, line);
            html_text(li, " before the JSON (az output captured with 2>&1)");
        }
        if (f->ignored_objects) {
            node li = html_add(ul, "li", "Objects in ");
            html_add_owned(li, "code", report_location(v, i, 0, 0));
            html_count(line, sizeof line, f->ignored_objects, "object", "objects");
            html_text(li, ": ");
            html_text(li, line);
            html_text(li, " neither a contact, an error body nor an inventory row");
        }
    }
}

static void html_manifest_row(node tbody, const struct report_view *v, size_t i)
{
    const struct evidence_file *f = &v->files->files[i];
    char buf[256];
    node tr = html_add(tbody, "tr", NULL);
    snprintf(buf, sizeof buf, "%zu", i + 1);
    html_add(tr, "td", buf);
    html_class(html_add_owned(tr, "td", report_location(v, i, 0, 0)), "mono path");
    html_status(html_add(tr, "td", NULL), html_file_status(f));
    snprintf(buf, sizeof buf, "%" PRIu64, f->size);
    html_add_class(tr, "td", "num", buf);
    html_add_class(tr, "td", "mono sha", f->hashed ? f->sha256 : "(not read)");

    node as = html_add(tr, "td", NULL);
    if (f->status == EVIDENCE_SKIPPED || f->status == EVIDENCE_PENDING) {
        html_text(as, "not read");
    } else {
        snprintf(buf, sizeof buf, "%s%s", f->encoding && f->encoding[0] ? f->encoding : "encoding unknown",
                 f->gzip ? ", gzip" : "");
        html_add(as, "div", buf);
        html_add(as, "div", f->shape && f->shape[0] ? f->shape : "shape not recognised");
        if (f->api_versions) {
            snprintf(buf, sizeof buf, "api-version %s", explain_api_versions(f->api_versions));
            html_add(as, "div", buf);
        } else if (f->records) {
            html_add(as, "div", "api-version unknown");
        }
    }

    node rec = html_add(tr, "td", NULL);
    int any = 0;
    if (f->records) {
        html_count(buf, sizeof buf, f->records, "contact record", "contact records");
        html_add(rec, "div", buf);
        any = 1;
    }
    if (f->error_bodies) {
        html_count(buf, sizeof buf, f->error_bodies, "API error body", "API error bodies");
        html_add(rec, "div", buf);
        any = 1;
    }
    if (f->inventory_entries) {
        html_count(buf, sizeof buf, f->inventory_entries, "inventory row", "inventory rows");
        html_add(rec, "div", buf);
        any = 1;
    }
    if (f->documents > 1) {
        html_count(buf, sizeof buf, f->documents, "JSON document", "JSON documents");
        html_add(rec, "div", buf);
    }
    if (!any)
        html_text(rec, f->status == EVIDENCE_READ ? "none" : "-");

    node notes = html_add(tr, "td", NULL);
    if (f->message) {
        node div = html_add(notes, "div", NULL);
        if (f->line) {
            snprintf(buf, sizeof buf, "at %lu:%lu: ", f->line, f->col);
            html_text(div, buf);
        }
        html_evidence(div, f->message);
    }
    if (f->notice_lines) {
        html_count(buf, sizeof buf, f->notice_lines, "az CLI notice line", "az CLI notice lines");
        strncat(buf, " before the JSON skipped", sizeof buf - strlen(buf) - 1);
        html_add(notes, "div", buf);
    }
    if (f->ignored_objects) {
        html_count(buf, sizeof buf, f->ignored_objects, "unrecognised object", "unrecognised objects");
        strncat(buf, " ignored", sizeof buf - strlen(buf) - 1);
        html_add(notes, "div", buf);
    }
}

static void html_manifest_items(struct html_page *pg, xmlOutputBufferPtr out)
{
    node box = xmlNewDocNode(pg->doc, NULL, BAD_CAST "tbody", NULL);
    for (size_t i = 0; i < pg->v->files->count; i++) {
        html_manifest_row(box, pg->v, i);
        if ((i + 1) % HTML_BATCH == 0)
            html_flush(pg, out, box);
    }
    html_flush(pg, out, box);
    xmlFreeNode(box);
}

/* ---- 5. the control ---------------------------------------------------------------------- */

/* Every waiver of --waivers FILE and what became of it. */
static void html_waiver_list(node div, const struct waiver_set *ws)
{
    char line[160];
    snprintf(line, sizeof line, "Waivers read from %s:", ws->path);
    html_add(div, "p", line);
    static const char *const headers[] = { "Subscription", "Rule", "Ticket", "Expires", "Reason", "Use", NULL };
    node tbody = html_table(div, NULL, headers);
    for (size_t i = 0; i < ws->count; i++) {
        const struct waiver *w = &ws->items[i];
        node tr = html_add(tbody, "tr", NULL);
        html_class(html_add(tr, "td", w->subscription), "mono");
        html_add(tr, "td", w->rule_text);
        html_add(tr, "td", w->ticket);
        html_add(tr, "td", w->expires);
        html_add(tr, "td", w->reason);
        if (w->expired)
            snprintf(line, sizeof line, "expired: ignored");
        else
            snprintf(line, sizeof line, "applied to %zu FAIL verdict%s", w->used, w->used == 1 ? "" : "s");
        html_add(tr, "td", line);
    }
}

/* Waivers applied: the waived subscriptions, then the waiver file. */
static void html_waivers(node sec, const struct report_view *v)
{
    node div = html_add_class(sec, "div", "waivers", NULL);
    xmlNewProp(div, BAD_CAST "id", BAD_CAST "waivers");
    html_add(div, "h3", "Waivers applied");
    size_t waived = v->counts[VERDICT_WAIVED];
    if (v->waivers == NULL && waived == 0) {
        html_add_class(div, "p", "no-waivers", "No waivers were applied.");
        return;
    }
    char line[96];
    snprintf(line, sizeof line, "%zu subscription%s waived:", waived, waived == 1 ? "" : "s");
    html_add(div, "p", line);
    static const char *const headers[] = { "Subscription", "Name", "Waiver", NULL };
    node tbody = html_table(div, NULL, headers);
    size_t n = verdicts_count(v->table);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        const struct verdict_result *res = &s->results[RULE_CONTACT_EMAIL];
        if (s->disabled || res->status != VERDICT_WAIVED)
            continue;
        node tr = html_add(tbody, "tr", NULL);
        html_class(html_add_owned(tr, "td", report_subscription_name(v, s)), "mono");
        html_evidence(html_add(tr, "td", NULL), s->display_name ? s->display_name : "");
        html_add(tr, "td", res->reason ? res->reason : "");
    }
    if (v->waivers)
        html_waiver_list(div, v->waivers);
}

static void html_control(node body, const struct report_view *v)
{
    const struct rule *r = &rules_table[RULE_CONTACT_EMAIL];
    char title[200];
    snprintf(title, sizeof title, "The control: CIS %s %s, in our words", v->edition, rules_control_id(r, v->edition));
    node sec = html_section(body, "control", title);
    html_add(sec, "h3", "What it checks");
    html_add(sec, "p",
             "Microsoft Defender for Cloud mails security alerts (and, on newer API versions, attack-path notices) "
             "to the addresses in each subscription's security contact, the 'Additional email addresses' field. The "
             "control holds when at least one enabled contact carries at least one address that mail can reach.");
    html_add(sec, "h3", "Why it matters");
    html_add(sec, "p",
             "Without such an address, an alert about an attack in progress reaches nobody, or only whoever happens "
             "to hold a role on the subscription. An empty field, a placeholder such as <validEmailAddress>, a "
             "disabled contact or a documentation address (example.com, contoso.com) all look configured and "
             "deliver nothing.");
    html_add(sec, "h3", "How this tool decides");
    node ul = html_add(sec, "ul", NULL);
    html_add(ul, "li", "All contacts of a subscription, from every evidence file, are combined: one enabled contact "
                       "with one deliverable address is enough for PASS.");
    html_add(ul, "li", "Addresses are split on ';' and ','; each must be an RFC 5321/5322 address, outside the "
                       "RFC 2606/6761 reserved names and the Microsoft documentation sample domains (and inside "
                       "--org-domain when given).");
    html_add(ul, "li", "FAIL: no contact, an empty or null field, no valid address, only reserved or sample "
                       "addresses, or every contact disabled.");
    html_add(ul, "li", "ERROR (never PASS): the evidence for the subscription could not be read, is an API error, "
                       "is ambiguous, contradicts itself across files, or is missing for a subscription the "
                       "inventory lists as enabled.");
    html_add(sec, "h3", "How to fix it");
    html_add(sec, "p",
             "In the Azure portal: Microsoft Defender for Cloud > Environment settings > the subscription > Email "
             "notifications. Enter the security team's shared mailbox in 'Additional email addresses' (several "
             "addresses separated by commas), make sure the contact is not switched off, and save.");
    html_add(sec, "p", "With the Azure CLI (2.61 or later), for each subscription (the API separates addresses "
                       "with ';'):");
    html_add_class(sec, "pre", "cli",
                   "az account set --subscription <subscription-id>\n"
                   "az security contact create --name default \\\n"
                   "  --emails 'secops@your-org.example;soc@your-org.example' \\\n"
                   "  --alert-notifications '{\"state\":\"On\",\"minimalSeverity\":\"High\"}' \\\n"
                   "  --notifications-by-role '{\"state\":\"On\",\"roles\":[\"Owner\"]}'");
    html_add(sec, "p", "Then export the evidence again (az security contact list > contacts.json) and rerun this "
                       "audit on it.");
    html_add(sec, "h3", "The same control in other CIS editions");
    static const char *const headers[] = { "CIS edition", "Control id", "", NULL };
    node tbody = html_table(sec, "editions", headers);
    for (int i = 0; i < RULE_MAX_EDITIONS && r->ids[i].edition; i++) {
        int here = strcmp(r->ids[i].edition, v->edition) == 0;
        node tr = html_add(tbody, "tr", NULL);
        if (here)
            html_class(tr, "current");
        html_add(tr, "td", r->ids[i].edition);
        html_add(tr, "td", r->ids[i].id);
        html_add(tr, "td", here ? "this report" : "");
    }
    html_waivers(sec, v);
}

/* ---- 6. how to verify ------------------------------------------------------------------- */

static void html_verify(node body, const struct report_view *v)
{
    node sec = html_section(body, "verify", "How to verify");
    html_add(sec, "p",
             "1. The evidence is what was audited: from the folder the audit was run in, save these lines to a file "
             "and run sha256sum -c on it; every line must end in OK.");
    struct { char *s; size_t len, cap; } t = { NULL, 0, 0 };
    size_t unhashed = 0;
    for (size_t i = 0; i < v->files->count; i++) {
        const struct evidence_file *f = &v->files->files[i];
        if (!f->hashed || f->is_stdin) {
            unhashed += f->status != EVIDENCE_SKIPPED;
            continue;
        }
        char *path = sanitize_text(f->path, strlen(f->path), SANITIZE_ONE_LINE, 0, NULL);
        size_t need = t.len + strlen(path) + 80;
        xgrow(&t.s, &t.cap, need, 1);
        t.len += (size_t)snprintf(t.s + t.len, need - t.len, "%s  %s\n", f->sha256, path);
        free(path);
    }
    html_add_class(sec, "pre", "sha256sum", t.s ? t.s : "");
    free(t.s);
    if (unhashed) {
        char line[160];
        snprintf(line, sizeof line, "%zu file%s (standard input, or not read to the end) %s no line above: see the "
                 "manifest.", unhashed, unhashed == 1 ? "" : "s", unhashed == 1 ? "has" : "have");
        html_add_class(sec, "p", "note", line);
    }
    html_add(sec, "p", "2. The verdicts follow from the evidence: run the same command on the same files.");
    html_add_class(sec, "pre", "command", v->command_line ? v->command_line : "");
    if (v->time_from_env) {
        char line[200];
        snprintf(line, sizeof line, "With SOURCE_DATE_EPOCH=%lld set, the same tool version writes this page byte "
                 "for byte.", (long long)v->generated);
        html_add_class(sec, "p", "note", line);
    }
    node dl = html_add_class(sec, "dl", "meta", NULL);
    html_meta_row(dl, "Tool", "azure-contact-audit " PACKAGE_VERSION);
    html_meta_row(dl, "Libraries", report_versions());
    char stamp[32];
    report_time(v->generated, 1, stamp);
    html_meta_row(dl, "Generated", stamp);
}

/* ---- the page -------------------------------------------------------------------------------- */

static void html_items(struct html_page *pg, xmlOutputBufferPtr out, const struct html_deferred *d)
{
    switch (d->kind) {
    case HTML_LIST_FINDINGS: html_findings_items(pg, out, d->rule); break;
    case HTML_LIST_PASSES: html_passes_items(pg, out); break;
    case HTML_LIST_MANIFEST: html_manifest_items(pg, out); break;
    }
}

/* The first needle in hay[0..len), or NULL (memmem is a GNU extension). */
static const char *html_find(const char *hay, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return hay + i;
    }
    return NULL;
}

/* Writes the serialised skeleton with each placeholder replaced by its list. */
static int html_fill(struct html_page *pg, const char *skel, size_t len, xmlOutputBufferPtr out)
{
    size_t at = 0;
    for (size_t i = 0; i < pg->n_deferred; i++) {
        char mark[40];
        int n = snprintf(mark, sizeof mark, "<!--aca-list-%zu-->", i);
        const char *p = html_find(skel + at, len - at, mark, (size_t)n);
        if (p == NULL)
            return -1;
        xmlOutputBufferWrite(out, (int)(p - (skel + at)), skel + at);
        html_items(pg, out, &pg->deferred[i]);
        at = (size_t)(p - skel) + (size_t)n;
    }
    xmlOutputBufferWrite(out, (int)(len - at), skel + at);
    return 0;
}

int html_render(const struct report_view *v, char **out, size_t *len)
{
    struct html_page pg = { .v = v };
    pg.doc = htmlNewDocNoDtD(NULL, NULL);
    if (pg.doc == NULL)
        return -1;
    xmlCreateIntSubset(pg.doc, BAD_CAST "html", NULL, NULL);
    node html = xmlNewDocNode(pg.doc, NULL, BAD_CAST "html", NULL);
    xmlDocSetRootElement(pg.doc, html);
    xmlNewProp(html, BAD_CAST "lang", BAD_CAST "en");
    html_head(html, v);
    node body = html_add(html, "body", NULL);
    html_summary(body, v);
    for (int r = 0; r < RULE_COUNT; r++) {
        if (v->rules & (1u << r))
            html_findings(&pg, body, r);
    }
    html_passes(&pg, body);
    html_manifest(&pg, body);
    html_control(body, v);
    html_verify(body, v);

    /* UTF-8 as the Content-Type meta says: no encoder, as htmlDocDumpMemory
     * does for UTF-8. */
    xmlOutputBufferPtr skel = xmlAllocOutputBuffer(NULL);
    xmlOutputBufferPtr page = xmlAllocOutputBuffer(NULL);
    int rc = -1;
    if (skel && page) {
        htmlDocContentDumpFormatOutput(skel, pg.doc, NULL, 1);
        xmlOutputBufferFlush(skel);
        if (skel->error == 0 &&
            html_fill(&pg, (const char *)xmlOutputBufferGetContent(skel), xmlOutputBufferGetSize(skel), page) == 0 &&
            xmlOutputBufferFlush(page) >= 0 && page->error == 0) {
            *len = xmlOutputBufferGetSize(page);
            *out = xmemdup0((const char *)xmlOutputBufferGetContent(page), *len);
            rc = 0;
        }
    }
    if (skel)
        xmlOutputBufferClose(skel);
    if (page)
        xmlOutputBufferClose(page);
    xmlFreeDoc(pg.doc);
    return rc;
}
