/* Fuzz target: the whole pipeline, in memory, down to both report writers.
 *
 * The input is one evidence file: decoded, parsed into contact records and
 * fed to the verdict table exactly as audit.c does it (audit_read_file and
 * audit_file_failed, minus the messages on stderr), decided with every
 * rule, waived and redacted as audit_run() does it, and rendered with
 * junit_render() and html_render(). Then:
 *   - the JUnit report must be well-formed XML (libxml2, no network);
 *   - the HTML report must hold no "<script" (any case): evidence is only
 *     ever text, and the page itself has no script; it must read back as
 *     well-formed XML made only of the writer's elements and attributes,
 *     every link pointing to one element of the page;
 *   - a file that failed to read can leave no PASS behind (its records are
 *     withdrawn and it is the only file);
 *   - rendering must not fail.
 * abort() on any violation. A few bits of a hash of the input choose the
 * file name (with or without a subscription GUID), --redact, a waiver set
 * and the address policy, so replaying an input always takes the same
 * path. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contacts.h"
#include "diag.h"
#include "evidence.h"
#include "fuzz.h"
#include "html.h"
#include "jstream.h"
#include "junit.h"
#include "report.h"
#include "rules.h"
#include "sanitize.h"
#include "verdicts.h"
#include "waivers.h"
#include "xalloc.h"

struct pipeline {
    struct evidence_file *file;
    struct verdict_table *table;
    struct jstream *js;
    struct contacts *contacts;
};

/* ---- the contact sink, as in audit.c ------------------------------------ */

static void pipe_record(void *ctx, const struct contact_record *r)
{
    struct pipeline *p = ctx;
    verdicts_add_record(p->table, 0, r);
}

static void pipe_no_contacts(void *ctx, const struct evidence_file *file, const guid_text sub,
                             const struct jstream_pos *pos)
{
    struct pipeline *p = ctx;
    (void)file;
    verdicts_add_empty_list(p->table, 0, sub, pos);
}

static void pipe_error_body(void *ctx, const struct evidence_file *file, const char *sub,
                            const char *code, const char *message, const struct jstream_pos *pos)
{
    struct pipeline *p = ctx;
    (void)file;
    char *msg = diag_format(D_API_ERROR, code, message);
    verdicts_add_problem(p->table, 0, sub, pos->line, pos->col, msg);
    if (p->file->api_error == NULL)
        p->file->api_error = xstrdup(msg);
    free(msg);
}

static void pipe_inventory(void *ctx, const struct evidence_file *file, const guid_text sub,
                           const char *display_name, const char *state,
                           const struct jstream_pos *pos)
{
    struct pipeline *p = ctx;
    (void)file;
    (void)pos;
    verdicts_add_inventory(p->table, sub, display_name, state);
}

static void pipe_diagnose(void *ctx, const struct evidence_file *file, enum diag_id id,
                          const struct jstream_pos *pos, const char *a1, const char *a2)
{
    (void)ctx;
    (void)file;
    (void)pos;
    free(diag_format(id, a1, a2)); /* built as audit.c does, not printed */
}

static const struct contact_sink pipe_sink = { pipe_record, pipe_no_contacts, pipe_error_body,
                                               pipe_inventory, pipe_diagnose };

static int pipe_feed(void *ctx, const char *text, size_t len)
{
    struct pipeline *p = ctx;
    return jstream_feed(p->js, text, len);
}

/* ---- reading the one file (audit_read_file) ----------------------------- */

static char *pipe_stream_message(const struct jstream *js, struct jstream_pos *pos)
{
    const char *detail = jstream_error(js, pos);
    switch (jstream_failure(js)) {
    case JSTREAM_SYNTAX: return diag_format(D_JSON_SYNTAX, detail, NULL);
    case JSTREAM_DEPTH: return diag_format(D_TOO_DEEP, detail, NULL);
    case JSTREAM_TOKEN: return diag_format(D_VALUE_TOO_LONG, detail, NULL);
    case JSTREAM_UTF8: return diag_format(D_INVALID_UTF8, detail, NULL);
    default: return xstrdup(detail ? detail : "evidence rejected");
    }
}

static void pipe_file_failed(struct pipeline *p, struct evidence_file *f, char *msg,
                             unsigned long line, unsigned long col)
{
    evidence_file_fail(f, msg, line, col);
    char *path = sanitize_text(f->path, strlen(f->path), SANITIZE_ONE_LINE, 0, NULL);
    size_t n = strlen(path) + strlen(msg) + 64;
    char *problem = xmalloc(n);
    if (line)
        snprintf(problem, n, "unreadable evidence %s:%lu:%lu: %s", path, line, col, msg);
    else
        snprintf(problem, n, "unreadable evidence %s: %s", path, msg);
    verdicts_file_failed(p->table, 0, line, col, problem);
    if (f->has_path_subscription)
        verdicts_add_problem(p->table, 0, f->path_subscription, line, col, problem);
    guid_text named;
    if (contacts_pending_subscription(p->contacts, named) &&
        !(f->has_path_subscription && strcmp(named, f->path_subscription) == 0))
        verdicts_add_problem(p->table, 0, named, line, col, problem);
    free(problem);
    free(path);
    free(msg);
}

static void pipe_read(struct pipeline *p, struct evidence_file *f, const uint8_t *data, size_t size)
{
    struct sha256_ctx sha;
    sha256_init(&sha);
    sha256_update(&sha, size, data);
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(&sha, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(f->sha256 + 2 * i, 3, "%02x", digest[i]);
    f->size = size;
    f->hashed = 1;

    p->contacts = contacts_alloc(f, &pipe_sink, p);
    p->js = jstream_alloc(&contacts_jstream_handler, p->contacts, 0, 0);
    contacts_attach(p->contacts, p->js);
    struct evidence_decoder *dec = evidence_decoder_alloc(f, pipe_feed, p);
    int feeding = evidence_decoder_push(dec, data, size) == 0;
    if (feeding)
        feeding = evidence_decoder_finish(dec) == 0;
    struct jstream_pos pos = jstream_position(p->js);
    char *msg = NULL;
    if (!feeding && evidence_decoder_error(dec)) {
        msg = xstrdup(evidence_decoder_error(dec));
    } else if (!feeding) {
        msg = pipe_stream_message(p->js, &pos);
    } else if (!jstream_saw_content(p->js)) {
        msg = diag_format(D_NO_EVIDENCE_IN_FILE, NULL, NULL);
        pos.line = pos.col = 0;
    } else if (jstream_finish(p->js) != 0) {
        msg = pipe_stream_message(p->js, &pos);
    } else if (contacts_finish(p->contacts, &msg) != 0) {
        pos.line = pos.col = 0;
    }
    evidence_decoder_free(dec);
    if (f->notice_lines) {
        char n[24];
        snprintf(n, sizeof n, "%lu", f->notice_lines);
        free(diag_format(D_NOTICE_LINES, n, NULL));
    }
    if (msg)
        pipe_file_failed(p, f, msg, pos.line, pos.col);
    else
        f->status = EVIDENCE_READ;
    f->documents = jstream_documents(p->js);
    jstream_free(p->js);
    contacts_free(p->contacts);
    p->js = NULL;
    p->contacts = NULL;
}

/* ---- waivers and --redact, as audit_run() applies them -------------------- */

static void pipe_add_waiver(struct waiver_set *set, const char *sub, int rule, const char *expires,
                            int expired)
{
    xgrow(&set->items, &set->cap, set->count + 1, sizeof *set->items);
    struct waiver *w = &set->items[set->count++];
    memset(w, 0, sizeof *w);
    snprintf(w->subscription, sizeof w->subscription, "%s", sub);
    w->rule = rule;
    w->rule_text = xstrdup(rule < 0 ? "*" : rules_table[rule].key);
    w->reason = xstrdup("accepted <risk> & \"ticket\"");
    w->ticket = xstrdup("SEC-1]]>");
    w->expires = xstrdup(expires);
    w->line = set->count;
    w->col = 3;
    w->expired = expired;
}

static void pipe_mask(char **text)
{
    if (*text) {
        char *masked = report_redact_text(*text);
        free(*text);
        *text = masked;
    }
}

static void pipe_redact(struct verdict_table *table, struct evidence_list *files)
{
    size_t n = verdicts_count(table);
    for (size_t i = 0; i < n; i++) {
        struct verdict_subscription *s = verdicts_get_mutable(table, i);
        for (int r = 0; r < VERDICT_MAX_RULES; r++)
            pipe_mask(&s->results[r].reason);
        for (size_t k = 0; k < s->n_problems; k++)
            pipe_mask(&s->problems[k].message);
        for (size_t k = 0; k < s->n_contacts; k++)
            pipe_mask(&s->contacts[k].problem);
    }
    for (size_t i = 0; i < files->count; i++) {
        pipe_mask(&files->files[i].message);
        pipe_mask(&files->files[i].api_error);
    }
}

/* ---- checks ---------------------------------------------------------------- */

static void check_junit(const char *doc, size_t len)
{
    if (len > (size_t)2147483647)
        abort();
    xmlDocPtr x = xmlReadMemory(doc, (int)len, "junit.xml", NULL, XML_PARSE_NONET);
    if (x == NULL) {
        fprintf(stderr, "fuzz_pipeline: the JUnit report is not well-formed XML:\n%s\n", doc);
        abort();
    }
    xmlFreeDoc(x);
}

static int has_script_tag(const char *doc, size_t len)
{
    static const char tag[] = "<script";
    for (size_t i = 0; i + sizeof tag - 1 <= len; i++) {
        size_t k = 0;
        while (k < sizeof tag - 1) {
            char c = doc[i + k];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != tag[k])
                break;
            k++;
        }
        if (k == sizeof tag - 1)
            return 1;
    }
    return 0;
}

/* What the page is made of: anything else came from evidence. */
static const char *const html_elements[] = {
    "html", "head",  "meta",  "title", "style", "body", "header", "nav", "section", "h1", "h2",
    "h3",   "p",     "span",  "b",     "code",  "pre",  "ul",     "li",  "dl",      "dt", "dd",
    "div",  "table", "thead", "tbody", "tr",    "th",   "td",     "a",   NULL
};
static const char *const html_attributes[] = { "class",      "id",   "href",    "lang",
                                               "colspan",    "name", "content", "charset",
                                               "http-equiv", NULL };

static int in_list(const char *const *list, const xmlChar *name)
{
    for (size_t i = 0; list[i]; i++)
        if (xmlStrEqual(name, BAD_CAST list[i]))
            return 1;
    return 0;
}

static void html_fail(const char *what, const xmlChar *name, const char *doc)
{
    fprintf(stderr, "fuzz_pipeline: %s %s in the HTML report:\n%s\n", what, (const char *)name,
            doc);
    abort();
}

/* Every element and attribute is one the writer uses; every link points
 * into the page (its target is checked once all ids are known). */
static void check_html_tree(xmlNodePtr n, xmlChar ***hrefs, size_t *n_hrefs, size_t *cap,
                            const char *doc)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!in_list(html_elements, n->name))
            html_fail("element", n->name, doc);
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            if (!in_list(html_attributes, a->name))
                html_fail("attribute", a->name, doc);
            if (xmlStrEqual(a->name, BAD_CAST "href")) {
                xmlChar *href = xmlNodeListGetString(n->doc, a->children, 1);
                if (href == NULL || href[0] != '#')
                    html_fail("link", href ? href : BAD_CAST "", doc);
                xgrow(hrefs, cap, *n_hrefs + 1, sizeof **hrefs);
                (*hrefs)[(*n_hrefs)++] = href;
            }
        }
        check_html_tree(n->children, hrefs, n_hrefs, cap, doc);
    }
}

/* The page is well-formed XML as well as HTML (every element closed, every
 * text escaped), so libxml2's strict parser reads it back. */
static void check_html(const char *doc, size_t len)
{
    if (has_script_tag(doc, len)) {
        fprintf(stderr, "fuzz_pipeline: \"<script\" in the HTML report:\n%s\n", doc);
        abort();
    }
    if (len > (size_t)2147483647)
        abort();
    xmlDocPtr x = xmlReadMemory(doc, (int)len, "report.html", NULL, XML_PARSE_NONET);
    if (x == NULL) {
        fprintf(stderr, "fuzz_pipeline: the HTML report is not well-formed:\n%s\n", doc);
        abort();
    }
    xmlChar **hrefs = NULL;
    size_t n_hrefs = 0, cap = 0;
    check_html_tree(xmlDocGetRootElement(x), &hrefs, &n_hrefs, &cap, doc);
    for (size_t i = 0; i < n_hrefs; i++) {
        char xpath[160];
        snprintf(xpath, sizeof xpath, "//*[@id='%.120s']", (const char *)hrefs[i] + 1);
        xmlXPathContextPtr ctx = xmlXPathNewContext(x);
        xmlXPathObjectPtr found = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
        if (found == NULL || found->nodesetval == NULL || found->nodesetval->nodeNr != 1)
            html_fail("a link to no element (or to several):", hrefs[i], doc);
        xmlXPathFreeObject(found);
        xmlXPathFreeContext(ctx);
        xmlFree(hrefs[i]);
    }
    free(hrefs);
    xmlFreeDoc(x);
}

/* ---- the target ------------------------------------------------------------ */

static const char *const allow_domains[] = { "contoso.com", "example.org" };
static const char *const org_domains[] = { "initech.io", "example.org" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xmlInitParser();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;

    struct address_policy policy = { 0 };
    if (h & 2) {
        policy.allow_domains = allow_domains;
        policy.n_allow = 2;
    }
    if (h & 4) {
        policy.org_domains = org_domains;
        policy.n_org = 2;
    }
    struct evidence_list files;
    evidence_list_init(&files);
    xgrow(&files.files, &files.cap, 1, sizeof *files.files);
    files.count = 1;
    struct evidence_file *f = &files.files[0];
    memset(f, 0, sizeof *f);
    f->path = xstrdup(h & 1 ? "tenant/5b1a1d6e-3f0c-4f6e-9d7a-2b8c0e1f4a37/securityContacts.json"
                            : "evidence/contacts.json");
    f->named = 1;
    f->encoding = "";
    f->shape = "";
    f->has_path_subscription = guid_from_path(f->path, f->path_subscription);

    struct pipeline p = { f, verdicts_alloc(&policy), NULL, NULL };
    pipe_read(&p, f, data, size);
    unsigned rules = (1u << RULE_COUNT) - 1;
    verdicts_decide(p.table, rules);
    /* Fail closed: the only file is broken, so nothing can pass. */
    for (size_t i = 0; i < verdicts_count(p.table) && f->status == EVIDENCE_ERROR; i++) {
        const struct verdict_subscription *s = verdicts_get(p.table, i);
        for (int r = 0; r < RULE_COUNT; r++) {
            if (s->results[r].status == VERDICT_PASS) {
                fprintf(stderr, "fuzz_pipeline: PASS (rule %d) from a file that failed: %s\n", r,
                        f->message);
                abort();
            }
        }
    }
    struct waiver_set waivers = { 0 };
    if (h & 16) {
        waivers.path = xstrdup("waivers.json");
        pipe_add_waiver(&waivers, "5b1a1d6e-3f0c-4f6e-9d7a-2b8c0e1f4a37", -1, "2099-12-31", 0);
        pipe_add_waiver(&waivers, "00000000-0000-0000-0000-000000000000", RULE_CONTACT_EMAIL,
                        "2000-01-01", 1);
        waivers_apply(&waivers, p.table, rules);
    }
    if (h & 8)
        pipe_redact(p.table, &files);

    struct report_view v = { 0 };
    v.files = &files;
    v.table = p.table;
    v.rules = rules;
    v.edition = RULES_DEFAULT_EDITION;
    v.command_line = "azure-contact-audit --rule all -o reports evidence";
    v.generated = 1767225600;
    v.time_from_env = 1;
    v.redact = (h & 8) != 0;
    v.waivers = h & 16 ? &waivers : NULL;
    size_t n = verdicts_count(p.table);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(p.table, i);
        if (s->disabled)
            v.not_audited++;
        else
            v.counts[s->results[RULE_CONTACT_EMAIL].status]++;
    }

    char *doc = NULL;
    size_t len = 0;
    if (junit_render(&v, &doc, &len) != 0) {
        fprintf(stderr, "fuzz_pipeline: junit_render failed\n");
        abort();
    }
    check_junit(doc, len);
    free(doc);
    doc = NULL;
    if (html_render(&v, &doc, &len) != 0) {
        fprintf(stderr, "fuzz_pipeline: html_render failed\n");
        abort();
    }
    check_html(doc, len);
    free(doc);

    waivers_free(&waivers);
    verdicts_free(p.table);
    evidence_list_free(&files);
    return 0;
}
