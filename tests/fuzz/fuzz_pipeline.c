/* SPDX-License-Identifier: ISC */
/* Fuzz target: the whole pipeline, in memory, down to both report writers.
 *
 * The input is one evidence file, read by the program's own stages
 * (ingest_memory, verdicts_seal, rules_decide, waivers_apply,
 * outcome_compute: no copy of the driver), and rendered with junit_render()
 * An input that is a zip, tar or tar.gz goes the way a delivered archive
 * does: written to a memfd, collected (unpack_list), put through the
 * evidence chain (a bag inside it is verified) and read entry by entry.
 * html_render(), csv_render(), oscal_render() and remediation_render().
 * Then:
 *   - a file that failed to read can leave no PASS behind (its records are
 *     withdrawn and it is the only file), and the outcome says ERROR;
 *   - the JUnit report must be well-formed XML (libxml2, no network);
 *   - the HTML report must hold no "<script" (any case): evidence is only
 *     ever text, and the page itself has no script; it must read back as
 *     well-formed XML made only of the writer's elements and attributes,
 *     every link pointing to one element of the page;
 *   - the CSV must parse back (RFC 4180) to a header and one record per
 *     subscription and rule, every record of the header's width, and no
 *     cell may start a spreadsheet formula;
 *   - the OSCAL document must be well-formed JSON (yajl's tree parser);
 *   - every line of the remediation script is a comment, blank, or one of
 *     the lines the writer makes: evidence never starts a line of code;
 *   - rendering must not fail.
 * abort() on any violation. A few bits of a hash of the input choose the
 * file name (with or without a subscription GUID), --redact, a waiver set
 * and the address policy, so replaying an input always takes the same
 * path. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* memfd_create */
#endif
#include "config.h"

#include <libxml/parser.h>
#include <sys/mman.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "archives.h"
#include "chain.h"
#include "diag.h"
#include "evidence.h"
#include "fuzz.h"
#include "html.h"
#include "csv.h"
#include "ingest.h"
#include "junit.h"
#include "oscal.h"
#include "outcome.h"
#include "remediation.h"
#include "report.h"
#include "rules.h"
#include "sanitize.h"
#include "verdicts.h"
#include "../view.h"
#include "waivers.h"
#include "xalloc.h"

/* ---- waivers ----------------------------------------------------------------- */

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

/* Attribute values collected from the page; owns every string. */
struct html_values {
    xmlChar **items;
    size_t n, cap;
};

static void html_values_add(struct html_values *v, xmlChar *s)
{
    xgrow(&v->items, &v->cap, v->n + 1, sizeof *v->items);
    v->items[v->n++] = s;
}

static void html_values_free(struct html_values *v)
{
    for (size_t i = 0; i < v->n; i++)
        xmlFree(v->items[i]);
    free(v->items);
}

/* Every element and attribute is one the writer uses; every link points
 * into the page (its target is checked once all ids are known). */
static void check_html_tree(xmlNodePtr n, struct html_values *ids, struct html_values *hrefs,
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
            int is_href = xmlStrEqual(a->name, BAD_CAST "href");
            if (!is_href && !xmlStrEqual(a->name, BAD_CAST "id"))
                continue;
            xmlChar *value = xmlNodeListGetString(n->doc, a->children, 1);
            if (value == NULL)
                value = xmlStrdup(BAD_CAST "");
            if (is_href && value[0] != '#')
                html_fail("link", value, doc);
            html_values_add(is_href ? hrefs : ids, value);
        }
        check_html_tree(n->children, ids, hrefs, doc);
    }
}

static int html_value_order(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ID is the id of exactly one element of the page (ids sorted). */
static int html_id_is_one(const struct html_values *ids, const char *id)
{
    const xmlChar *key = BAD_CAST id;
    const xmlChar **found =
        ids->n ? bsearch(&key, ids->items, ids->n, sizeof *ids->items, html_value_order) : NULL;
    if (found == NULL)
        return 0;
    const xmlChar **first = (const xmlChar **)ids->items, **last = first + ids->n - 1;
    return !(found > first && xmlStrEqual(found[-1], key)) &&
           !(found < last && xmlStrEqual(found[1], key));
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
    struct html_values ids = { 0 }, hrefs = { 0 };
    check_html_tree(xmlDocGetRootElement(x), &ids, &hrefs, doc);
    if (ids.n > 0)
        qsort(ids.items, ids.n, sizeof *ids.items, html_value_order);
    for (size_t i = 0; i < hrefs.n; i++)
        if (!html_id_is_one(&ids, (const char *)hrefs.items[i] + 1))
            html_fail("a link to no element (or to several):", hrefs.items[i], doc);
    html_values_free(&ids);
    html_values_free(&hrefs);
    xmlFreeDoc(x);
}

static _Noreturn void check_failed(const char *what, const char *doc)
{
    fprintf(stderr, "fuzz_pipeline: %s:\n%s\n", what, doc);
    abort();
}

/* RFC 4180 read back: the number of records; each must have width
 * fields and no field may start with a formula trigger. */
static size_t csv_records(const char *doc, size_t len, size_t width)
{
    size_t records = 0, fields = 1;
    int quoted = 0, start = 1;
    for (size_t i = 0; i < len; i++) {
        char c = doc[i];
        if (start && strchr("=+-@\t\r", c) && !(c == '\r' && i + 1 < len && doc[i + 1] == '\n'))
            check_failed("a CSV cell starts a formula", doc);
        if (start && c == '"' && !quoted) {
            quoted = 1;
            start = i + 1 < len && doc[i + 1] != '\'' ? 1 : 0;
            continue;
        }
        start = 0;
        if (quoted) {
            if (c == '"' && i + 1 < len && doc[i + 1] == '"')
                i++;
            else if (c == '"')
                quoted = 0;
        } else if (c == ',') {
            fields++;
            start = 1;
        } else if (c == '\r' && i + 1 < len && doc[i + 1] == '\n') {
            if (fields != width)
                check_failed("a CSV record of the wrong width", doc);
            records++;
            fields = 1;
            start = 1;
            i++;
        } else if (c == '\r' || c == '\n' || c == '"') {
            check_failed("a bare CR, LF or quote outside a quoted CSV cell", doc);
        }
    }
    if (quoted || fields != 1)
        check_failed("the CSV does not end with a whole record", doc);
    return records;
}

static void check_csv(const struct report_view *v, const char *doc, size_t len)
{
    size_t rules = 0;
    for (unsigned r = 0; r < RULE_COUNT; r++)
        rules += (v->rules >> r) & 1u;
    if (csv_records(doc, len, 15) != 1 + verdicts_count(v->table) * rules)
        check_failed("the CSV has not one record per subscription and rule", doc);
}

static void check_oscal(const char *doc)
{
    char err[256];
    yajl_val root = yajl_tree_parse(doc, err, sizeof err);
    if (root == NULL)
        check_failed(err, doc);
    yajl_tree_free(root);
}

static void check_script(const char *doc)
{
    size_t n;
    if (test_script_stray_line(doc, &n) != NULL)
        check_failed("a line of the remediation script that the writer does not make", doc);
}

/* Renders with writer and runs check over the text. */
static void render_and_check(report_writer *writer, const char *name, const struct report_view *v,
                             void (*check)(const struct report_view *, const char *, size_t))
{
    char *doc = NULL;
    size_t len = 0;
    if (report_render(writer, v, &doc, &len) != 0) {
        fprintf(stderr, "fuzz_pipeline: %s failed\n", name);
        abort();
    }
    check(v, doc, len);
    free(doc);
}

static void check_oscal_doc(const struct report_view *v, const char *doc, size_t len)
{
    (void)v;
    (void)len;
    check_oscal(doc);
}

static void check_script_doc(const struct report_view *v, const char *doc, size_t len)
{
    (void)v;
    (void)len;
    check_script(doc);
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

/* One evidence file, its name chosen by the hash h. */
static void pipe_file(struct evidence_list *files, struct verdict_table *table, struct diag *d,
                      const uint8_t *data, size_t size, uint32_t h)
{
    struct evidence_file *f = evidence_list_add(
        files, h & 1 ? "tenant/5b1a1d6e-3f0c-4f6e-9d7a-2b8c0e1f4a37/securityContacts.json"
                     : "evidence/contacts.json");
    f->named = 1;
    struct ingest *ing = ingest_alloc(files, table, d);
    ingest_memory(ing, 0, data, size, 0);
    ingest_free(ing);
}

/* An archive, through a file descriptor as the program reads one. */
static struct chain *pipe_archive(struct evidence_list *files, struct verdict_table *table,
                                  struct diag *d, const uint8_t *data, size_t size)
{
    int fd = memfd_create("bundle.zip", MFD_CLOEXEC);
    if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
        perror("fuzz_pipeline: memfd");
        abort();
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    evidence_collect(files, path);
    struct chain_options opt = { .max_age_days = -1, .as_of = 1767225600 };
    struct chain *chain = chain_alloc(&opt);
    chain_prepare(chain, files, d);
    struct ingest *ing = ingest_alloc(files, table, d);
    ingest_all(ing, 0);
    ingest_free(ing);
    chain_settle(chain, files, table, d);
    close(fd);
    return chain;
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
    /* The program's own stages, as audit.c wires them. */
    struct diag d;
    diag_init(&d, NULL, (h & 8) != 0);
    struct verdict_table *table = verdicts_alloc(&policy);
    struct chain *chain = NULL;
    if (archives_sniff_memory(data, size) != ARCHIVES_NONE)
        chain = pipe_archive(&files, table, &d, data, size);
    else
        pipe_file(&files, table, &d, data, size, h);
    struct evidence_file *f = &files.files[0];
    unsigned rules = (1u << RULE_COUNT) - 1;
    verdicts_seal(table, RULES_ALL);
    rules_decide(table, rules);
    rules_say(table, &files, &d);
    /* Fail closed: a broken entry's subscription cannot pass. */
    for (size_t i = 1; i < files.count; i++) {
        const struct evidence_file *e = &files.files[i];
        const struct verdict_subscription *s = NULL;
        for (size_t k = 0; k < verdicts_count(table) && e->status == EVIDENCE_ERROR &&
                           e->has_path_subscription && s == NULL;
             k++)
            if (strcmp(verdicts_get(table, k)->id, e->path_subscription) == 0)
                s = verdicts_get(table, k);
        for (unsigned r = 0; s && r < RULE_COUNT; r++) {
            if (verdicts_result(table, s, r)->status == VERDICT_PASS) {
                fprintf(stderr, "fuzz_pipeline: PASS (rule %u) for a broken entry\n", r);
                abort();
            }
        }
    }
    /* Fail closed: the only file is broken, so nothing can pass. */
    for (size_t i = 0; i < verdicts_count(table) && files.count == 1 && f->status == EVIDENCE_ERROR;
         i++) {
        const struct verdict_subscription *s = verdicts_get(table, i);
        for (unsigned r = 0; r < RULE_COUNT; r++) {
            if (verdicts_result(table, s, r)->status == VERDICT_PASS) {
                fprintf(stderr, "fuzz_pipeline: PASS (rule %u) from a file that failed\n", r);
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
        waivers_index(&waivers);
        waivers_apply(&waivers, table, rules, &d);
    }
    struct outcome o;
    outcome_compute(&o, table, rules, &files, (h & 16) ? &waivers : NULL, &d);
    /* One story: an unreadable file or an error said makes the run ERROR. */
    int broken = 0;
    for (size_t i = 0; i < files.count; i++)
        broken |= files.files[i].status == EVIDENCE_ERROR;
    if ((broken || d.worst >= (int)DIAG_ERROR) && o.result != OUTCOME_ERROR) {
        fprintf(stderr, "fuzz_pipeline: evidence failed but the outcome is %s\n", outcome_word(&o));
        abort();
    }

    struct report_view v = { 0 };
    v.files = &files;
    v.chain = chain;
    v.table = table;
    v.outcome = &o;
    v.rules = rules;
    v.edition = RULES_DEFAULT_EDITION;
    v.command_line = "azure-contact-audit --rule all -o reports evidence";
    v.generated = 1767225600;
    v.time_from_env = 1;
    v.redact = (h & 8) != 0;
    v.waivers = h & 16 ? &waivers : NULL;

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
    /* The long tables' rows in blocks of one subscription, every other on
     * a second thread: the same page. */
    char *blocks = NULL;
    size_t blocks_len = 0;
    if (html_render_blocks(&v, 1, &blocks, &blocks_len) != 0 || blocks_len != len ||
        memcmp(blocks, doc, len) != 0) {
        fprintf(stderr, "fuzz_pipeline: the page written in blocks differs\n");
        abort();
    }
    free(blocks);
    free(doc);
    render_and_check(csv_write, "csv_render", &v, check_csv);
    render_and_check(oscal_write, "oscal_render", &v, check_oscal_doc);
    render_and_check(remediation_write, "remediation_render", &v, check_script_doc);

    waivers_free(&waivers);
    verdicts_free(table);
    chain_free(chain);
    evidence_list_free(&files);
    return 0;
}
