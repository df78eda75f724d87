/* HTML evidence report writer (see html.h). */
#include "config.h"

#include "html.h"

#include <inttypes.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "rules.h"
#include "sanitize.h"
#include "xalloc.h"

/* The stylesheet, generated from reports/style.css at build time. */
static const char html_stylesheet[] =
#include "style-css.h"
    ;

typedef xmlNodePtr node;

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

static void html_text(node parent, const char *text)
{
    char *clean = sanitize_text(text, strlen(text), SANITIZE_KEEP_NEWLINES, 0, NULL);
    xmlAddChild(parent, xmlNewText(BAD_CAST clean));
    free(clean);
}

static node html_status(node parent, const char *word)
{
    char cls[48];
    snprintf(cls, sizeof cls, "status status-%s", word);
    return html_class(html_add(parent, "span", word), cls);
}

static node html_table(node parent, const char *const *headers)
{
    node table = html_add(parent, "table", NULL);
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

/* 'sha256-<base64>' of the stylesheet, for the CSP. */
static void html_style_hash(char *out, size_t cap)
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
    html_style_hash(csp, sizeof csp);
    /* The CSP comes first so that it governs everything after it. */
    node meta = html_add(head, "meta", NULL);
    xmlNewProp(meta, BAD_CAST "http-equiv", BAD_CAST "Content-Security-Policy");
    xmlNewProp(meta, BAD_CAST "content", BAD_CAST csp);
    meta = html_add(head, "meta", NULL);
    xmlNewProp(meta, BAD_CAST "http-equiv", BAD_CAST "Content-Type");
    xmlNewProp(meta, BAD_CAST "content", BAD_CAST "text/html; charset=UTF-8");
    meta = html_add(head, "meta", NULL);
    xmlNewProp(meta, BAD_CAST "name", BAD_CAST "viewport");
    xmlNewProp(meta, BAD_CAST "content", BAD_CAST "width=device-width, initial-scale=1");
    char title[160];
    snprintf(title, sizeof title, "Security contact audit: %s (CIS %s %s)", report_overall(v), v->edition,
             rules_control_id(&rules_table[RULE_CONTACT_EMAIL], v->edition));
    html_add(head, "title", title);
    xmlNewTextChild(head, NULL, BAD_CAST "style", BAD_CAST html_stylesheet);
}

static void html_summary(node body, const struct report_view *v)
{
    const struct rule *r = &rules_table[RULE_CONTACT_EMAIL];
    html_add(body, "h1", "Azure security contact email audit");
    node p = html_class(html_add(body, "p", NULL), "verdict");
    html_text(p, "Overall result: ");
    html_status(p, report_overall(v));
    node ul = html_class(html_add(body, "ul", NULL), "counts");
    const char *words[] = { "PASS", "FAIL", "ERROR", "WAIVED" };
    for (int i = 0; i < 4; i++) {
        char n[32];
        snprintf(n, sizeof n, "%zu", v->counts[i]);
        node li = html_add(ul, "li", NULL);
        html_add(li, "b", n);
        html_status(li, words[i]);
    }
    if (v->not_audited) {
        char n[64];
        snprintf(n, sizeof n, "%zu", v->not_audited);
        node li = html_add(ul, "li", NULL);
        html_add(li, "b", n);
        html_status(li, "NOT-AUDITED");
    }
    node dl = html_class(html_add(body, "dl", NULL), "meta");
    char line[320], stamp[32];
    snprintf(line, sizeof line, "CIS Microsoft Azure Foundations Benchmark %s, control %s (%s, Automated)",
             v->edition, rules_control_id(r, v->edition), r->level);
    html_meta_row(dl, "Control", line);
    html_meta_row(dl, "Title", r->title);
    report_time(v->generated, 1, stamp);
    snprintf(line, sizeof line, "%s%s", stamp, v->time_from_env ? " (from SOURCE_DATE_EPOCH)" : "");
    html_meta_row(dl, "Generated", line);
    html_meta_row(dl, "Produced by", "azure-contact-audit " PACKAGE_VERSION);
    snprintf(line, sizeof line, "%zu", v->files->count);
    html_meta_row(dl, "Evidence files", line);
    html_meta_row(dl, "Addresses", v->redact ? "masked (--redact)" : "shown in full");
}

static void html_contacts_table(node parent, const struct report_view *v, const struct verdict_subscription *s)
{
    static const char *const headers[] = { "Contact", "Address", "Verdict", "Why", "Evidence", NULL };
    if (s->n_contacts == 0)
        return;
    node tbody = html_table(parent, headers);
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        char *name = c->name ? sanitize_text(c->name, c->name_len, SANITIZE_ONE_LINE, 200, NULL) : xstrdup("(unnamed)");
        char *where = report_location(v, c->file, c->emails_pos.line, c->emails_pos.col);
        size_t rows = c->n_addresses ? c->n_addresses : 1;
        for (size_t k = 0; k < rows; k++) {
            node tr = html_add(tbody, "tr", NULL);
            char note[160];
            snprintf(note, sizeof note, "%s%s%s", name ? "" : "", c->enabled == CONTACT_OFF ? " (disabled)" : "",
                     c->from_failed_file ? " (file failed: not counted)" : "");
            node td = html_add(tr, "td", NULL);
            html_text(td, name);
            if (note[0])
                html_text(td, note);
            if (c->n_addresses == 0) {
                char what[96];
                snprintf(what, sizeof what, "%s %s", c->emails_member, explain_emails_kind(c->emails_kind));
                if (c->emails_kind == CONTACT_EMAILS_STRING || c->emails_kind == CONTACT_EMAILS_LIST)
                    snprintf(what, sizeof what, "%s holds no address", c->emails_member);
                html_class(html_add(tr, "td", "(none)"), "mono");
                html_add(tr, "td", "no address");
                html_add(tr, "td", c->problem ? c->problem : what);
            } else {
                const struct verdict_address *a = &c->addresses[k];
                html_class(html_add_owned(tr, "td", report_address(v, a->text, a->len)), "mono");
                html_class(html_add(tr, "td", address_verdict_name(a->verdict)),
                           a->verdict == ADDRESS_DELIVERABLE ? "addr-deliverable" : "addr-bad");
                html_add(tr, "td", a->why[0] ? a->why : (c->problem ? c->problem : ""));
            }
            html_class(html_add(tr, "td", where), "mono");
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
    node code = html_add_owned(h3, "code", report_subscription_name(v, s));
    (void)code;
    if (s->display_name) {
        html_text(h3, " ");
        html_text(h3, s->display_name);
    }
}

static void html_problems(node parent, const struct report_view *v, const struct verdict_subscription *s)
{
    if (s->n_problems == 0 && !s->empty_list)
        return;
    node ul = html_add(parent, "ul", NULL);
    if (s->empty_list) {
        node li = html_add(ul, "li", "empty contact list at ");
        html_class(html_add_owned(li, "code", report_location(v, s->empty_list_file, s->empty_list_pos.line,
                                                               s->empty_list_pos.col)), "mono");
    }
    for (size_t i = 0; i < s->n_problems; i++) {
        const struct verdict_problem *p = &s->problems[i];
        node li = html_add(ul, "li", NULL);
        html_class(html_add_owned(li, "code", report_location(v, p->file, p->line, p->col)), "mono");
        html_text(li, ": ");
        html_text(li, p->message);
    }
}

static void html_findings(node body, const struct report_view *v, int rule)
{
    const struct rule *r = &rules_table[rule];
    char title[200];
    snprintf(title, sizeof title, "Findings: CIS %s %s", rules_control_id(r, v->edition), r->title);
    html_add(body, "h2", title);
    size_t n = verdicts_count(v->table), shown = 0;
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        const struct verdict_result *res = &s->results[rule];
        if (s->disabled || res->status == VERDICT_PASS)
            continue;
        const char *word = verdicts_status_name(res->status);
        char cls[48];
        snprintf(cls, sizeof cls, "finding status-box-%s", word);
        node div = html_class(html_add(body, "div", NULL), cls);
        html_subscription_heading(div, v, s, word);
        html_class(html_add(div, "p", res->reason), "reason");
        html_problems(div, v, s);
        html_contacts_table(div, v, s);
        shown++;
    }
    if (shown == 0)
        html_class(html_add(body, "p", "No findings: every audited subscription passes."), "note");
}

static void html_passes(node body, const struct report_view *v, int rule)
{
    size_t n = verdicts_count(v->table), passes = 0, disabled = 0;
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        passes += !s->disabled && s->results[rule].status == VERDICT_PASS;
        disabled += s->disabled;
    }
    char title[96];
    snprintf(title, sizeof title, "Passing subscriptions (%zu)", passes);
    html_add(body, "h2", title);
    node details = html_add(body, "details", NULL);
    snprintf(title, sizeof title, "Show the %zu passing subscriptions and their evidence", passes);
    html_add(details, "summary", title);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        if (s->disabled || s->results[rule].status != VERDICT_PASS)
            continue;
        node div = html_class(html_add(details, "div", NULL), "pass");
        html_subscription_heading(div, v, s, "PASS");
        html_add(div, "p", s->results[rule].reason);
        html_contacts_table(div, v, s);
    }
    if (disabled) {
        html_add(body, "h2", "Not audited (disabled in the subscription inventory)");
        static const char *const headers[] = { "Subscription", "Name", "State", NULL };
        node tbody = html_table(body, headers);
        for (size_t i = 0; i < n; i++) {
            const struct verdict_subscription *s = verdicts_get(v->table, i);
            if (!s->disabled)
                continue;
            node tr = html_add(tbody, "tr", NULL);
            html_class(html_add_owned(tr, "td", report_subscription_name(v, s)), "mono");
            html_add(tr, "td", s->display_name ? s->display_name : "");
            html_add(tr, "td", s->state ? s->state : "");
        }
    }
}

static void html_manifest(node body, const struct report_view *v)
{
    html_add(body, "h2", "Evidence manifest");
    static const char *const headers[] = { "#", "File", "Status", "Bytes", "SHA-256", "Read as", "Records", "Message", NULL };
    node tbody = html_table(body, headers);
    for (size_t i = 0; i < v->files->count; i++) {
        const struct evidence_file *f = &v->files->files[i];
        node tr = html_add(tbody, "tr", NULL);
        char buf[256];
        snprintf(buf, sizeof buf, "%zu", i + 1);
        html_add(tr, "td", buf);
        html_class(html_add(tr, "td", f->path), "mono");
        const char *st = f->status == EVIDENCE_ERROR ? "ERROR" : f->status == EVIDENCE_SKIPPED ? "SKIPPED" : "READ";
        html_status(html_add(tr, "td", NULL), st);
        snprintf(buf, sizeof buf, "%" PRIu64, f->size);
        html_add(tr, "td", buf);
        html_class(html_add(tr, "td", f->hashed ? f->sha256 : "(not read)"), "mono");
        snprintf(buf, sizeof buf, "%s%s; %s; api-version %s", f->encoding[0] ? f->encoding : "-",
                 f->gzip ? " (gzip)" : "", f->shape[0] ? f->shape : "-", explain_api_versions(f->api_versions));
        html_add(tr, "td", f->status == EVIDENCE_SKIPPED ? "-" : buf);
        snprintf(buf, sizeof buf, "%lu contacts, %lu error bodies, %lu inventory rows%s", f->records,
                 f->error_bodies, f->inventory_entries, "");
        html_add(tr, "td", buf);
        node td = html_add(tr, "td", NULL);
        if (f->message) {
            if (f->line)
                html_class(html_add_owned(td, "code", report_location(v, i, f->line, f->col)), "mono");
            html_text(td, f->line ? ": " : "");
            html_text(td, f->message);
        }
        if (f->notice_lines) {
            snprintf(buf, sizeof buf, "%s%lu az CLI notice line(s) skipped", f->message ? "; " : "", f->notice_lines);
            html_text(td, buf);
        }
        if (f->ignored_objects) {
            snprintf(buf, sizeof buf, "; %lu unrecognised object(s) ignored", f->ignored_objects);
            html_text(td, buf);
        }
    }
}

static void html_control(node body, const struct report_view *v)
{
    (void)v;
    html_add(body, "h2", "The control");
    html_add(body, "p",
             "Microsoft Defender for Cloud sends security alerts and attack-path notices to the addresses in "
             "the subscription's security contact (the 'Additional email addresses' field). The control holds "
             "when at least one enabled contact carries at least one address that mail can reach. An empty "
             "field, a placeholder, a disabled contact or only reserved/sample domains (example.com, "
             "contoso.com, ...) mean alerts reach nobody.");
    html_add(body, "p",
             "How this tool decides: addresses are split on ';' and ','; each is checked for RFC 5321/5322 "
             "syntax and against the RFC 2606/6761 reserved names and the Microsoft documentation sample "
             "domains. Evidence that cannot be read, API error bodies and ambiguous records are ERROR, never "
             "PASS. Several contacts or files for one subscription are combined: one good contact is enough, "
             "but the same contact with different values in two files is an ERROR.");
    html_add(body, "p",
             "To fix: in the Azure portal open Microsoft Defender for Cloud > Environment settings > the "
             "subscription > Email notifications, enter the security team's addresses in 'Additional email "
             "addresses' and save. With the CLI: az security contact create --name default "
             "--emails 'secops@your-org.example;soc@your-org.example' --alert-notifications on");
    static const char *const headers[] = { "CIS edition", "Control id", NULL };
    node tbody = html_table(body, headers);
    const struct rule *r = &rules_table[RULE_CONTACT_EMAIL];
    for (int i = 0; i < RULE_MAX_EDITIONS && r->ids[i].edition; i++) {
        node tr = html_add(tbody, "tr", NULL);
        html_add(tr, "td", r->ids[i].edition);
        html_add(tr, "td", r->ids[i].id);
    }
}

static void html_verify(node body, const struct report_view *v)
{
    html_add(body, "h2", "How to verify");
    html_add(body, "p", "Rerun these checksums on the evidence bundle (sha256sum -c):");
    struct { char *s; size_t len, cap; } t = { NULL, 0, 0 };
    for (size_t i = 0; i < v->files->count; i++) {
        const struct evidence_file *f = &v->files->files[i];
        if (!f->hashed)
            continue;
        char *path = sanitize_text(f->path, strlen(f->path), SANITIZE_ONE_LINE, 0, NULL);
        size_t need = t.len + strlen(path) + 80;
        xgrow(&t.s, &t.cap, need, 1);
        t.len += (size_t)snprintf(t.s + t.len, need - t.len, "%s  %s\n", f->sha256, path);
        free(path);
    }
    html_add(body, "pre", t.s ? t.s : "");
    free(t.s);
    node dl = html_class(html_add(body, "dl", NULL), "meta");
    html_meta_row(dl, "Command line", v->command_line);
    html_meta_row(dl, "Tool", "azure-contact-audit " PACKAGE_VERSION);
    html_meta_row(dl, "Libraries", report_versions());
}

int html_render(const struct report_view *v, char **out, size_t *len)
{
    htmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
    if (doc == NULL)
        return -1;
    xmlCreateIntSubset(doc, BAD_CAST "html", NULL, NULL);
    node html = xmlNewNode(NULL, BAD_CAST "html");
    xmlDocSetRootElement(doc, html);
    xmlNewProp(html, BAD_CAST "lang", BAD_CAST "en");
    html_head(html, v);
    node body = html_add(html, "body", NULL);
    html_summary(body, v);
    for (int r = 0; r < RULE_COUNT; r++) {
        if (v->rules & (1u << r))
            html_findings(body, v, r);
    }
    html_passes(body, v, RULE_CONTACT_EMAIL);
    html_manifest(body, v);
    html_control(body, v);
    html_verify(body, v);
    xmlChar *mem = NULL;
    int size = 0;
    htmlDocDumpMemoryFormat(doc, &mem, &size, 1);
    xmlFreeDoc(doc);
    if (mem == NULL)
        return -1;
    *out = xmemdup0((const char *)mem, (size_t)size);
    *len = (size_t)size;
    xmlFree(mem);
    return 0;
}
