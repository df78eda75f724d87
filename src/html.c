/* HTML evidence report writer (see html.h): the page an auditor attaches to
 * the ticket, built as a libxml2 tree and written by libxml2's serialiser.
 * Evidence only ever enters the page as a libxml2 text node or attribute
 * value, escaped by libxml2. The long lists (findings, passing
 * subscriptions, manifest rows) are left as placeholders in the page and
 * written in their place row by row: the markup around a row's texts is
 * what libxml2 serialised once for that row shape, each text a text node
 * libxml2 serialises (see "rows" below), so that 100k subscriptions are
 * never 100k trees of nodes. */
#include "config.h"

#include "html.h"

#include <inttypes.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "facts.h"
#include "rules.h"
#include "sanitize.h"
#include "waivers.h"
#include "xalloc.h"

/* The stylesheet, generated from reports/style.css at build time. */
static const char html_stylesheet[] =
#include "style-css.h"
    ;

/* Rows of a long list once serialised at a time (see html_rows_put). */
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

/* Evidence text (a display name, a message): sanitised, capped, masked. */
static void html_evidence(const struct report_view *v, node parent, const char *text)
{
    char *clean = report_text(v, text, strlen(text));
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
    int failed;  /* libxml2 failed on a row */
    int by_tree; /* every row through its own tree: the reference for stencils */
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

static int html_is_finding(const struct report_view *v, const struct verdict_subscription *s,
                           int rule)
{
    return !s->disabled && verdicts_result(v->table, s, rule)->status != VERDICT_PASS;
}

static int html_is_pass(const struct report_view *v, const struct verdict_subscription *s, int rule)
{
    return !s->disabled && verdicts_result(v->table, s, rule)->status == VERDICT_PASS;
}

static size_t html_tally(const struct report_view *v, int rule,
                         int (*want)(const struct report_view *,
                                     const struct verdict_subscription *, int))
{
    size_t n = verdicts_count(v->table), k = 0;
    for (size_t i = 0; i < n; i++)
        k += want(v, verdicts_get(v->table, i), rule) != 0;
    return k;
}

/* ---- rows of the long lists: described, written through stencils ---------------- */

/*
 * A long list has a row per subscription or file. Built as libxml2 nodes and
 * serialised node by node, 100k rows cost more than reading the evidence (a
 * malloc per node, name and text, and the serialiser's work per element).
 * So a row is described instead: its shape (elements, attributes and fixed
 * words, in document order) and its texts (sanitised, in order). The first
 * row of a shape is built as a libxml2 tree with HTML_SLOT in place of each
 * text and serialised; the markup around the slots is that shape's
 * stencil. Each row is then written as its stencil with each of its texts
 * serialised by libxml2 as a text node in its slot (the serialiser escapes
 * a text node byte by byte, so the node cut out of the tree comes out the
 * same). libxml2 writes all markup and all escaping, and the page is byte
 * for byte the tree serialised row by row: html_render_reference() builds
 * it that way, and tests/fuzz/fuzz_pipeline.c compares the two on every
 * fixture and fuzz input. What is a fixed word and what a text only decides
 * how many stencils there are, never the page: a stencil is only used for
 * a shape equal to its own, fixed words and all.
 */

/* Shape ops: OPEN name\0attr\0value\0 (attr "" for none), FIXED text\0,
 * TEXT (a slot), CLOSE. */
#define HTML_OP_OPEN 'o'
#define HTML_OP_FIXED 'f'
#define HTML_OP_TEXT 't'
#define HTML_OP_CLOSE 'c'

/* A slot in the tree a stencil is cut from: DEL, which the serialiser copies
 * and which no element name, attribute or (sanitised) fixed word holds. */
#define HTML_SLOT '\x7f'

/* Stencils kept per list (a power of two); a list with more shapes than
 * three quarters of this starts over, which costs time, not correctness. */
#define HTML_STENCILS 1024

/* One row being described; reused from row to row. Owns its buffers. */
struct html_row {
    struct xbuf shape;
    struct xbuf texts; /* the texts, each with its NUL */
    size_t *text_at;   /* where each text starts in texts */
    size_t n_texts, cap_texts;
};

/* The markup of one shape, cut at its slots. */
struct html_stencil {
    char *shape; /* owned copy of the shape it is for */
    size_t shape_len;
    uint64_t hash;
    /* Owned: markup[0..row_len) is the row, with HTML_SLOT at each slot[k]
     * (owned too), and markup[row_len..len) what follows the row when
     * another row follows it in its batch. */
    char *markup;
    size_t row_len, len;
    size_t *slot;
};

/* One long list being written in place of its placeholder. */
struct html_rows {
    struct html_page *pg;
    xmlOutputBufferPtr out;
    const char *box; /* the element the rows are in */
    struct html_row row;
    struct html_stencil *stencils[HTML_STENCILS];
    size_t n_stencils;
    size_t written;
    struct xbuf after; /* what follows the last row written, if another follows in its batch */
    node text;         /* owned: the text node each row text is written as */
};

/* Adds s and its NUL to b. */
static void html_addz(struct xbuf *b, const char *s)
{
    xbuf_addn(b, s, strlen(s) + 1);
}

/* Adds text as html_add() puts it in a node: sanitised (keeping newlines),
 * with its NUL. */
static void html_addz_sanitised(struct xbuf *b, const char *text)
{
    size_t len = strlen(text);
    if (sanitize_is_plain(text, len, 0)) {
        xbuf_addn(b, text, len + 1);
        return;
    }
    char *clean = sanitize_text(text, len, SANITIZE_KEEP_NEWLINES, 0, NULL);
    html_addz(b, clean);
    free(clean);
}

static void row_op(struct html_row *r, char op)
{
    xbuf_addn(&r->shape, &op, 1);
}

static void row_open_attr(struct html_row *r, const char *name, const char *attr, const char *value)
{
    row_op(r, HTML_OP_OPEN);
    html_addz(&r->shape, name);
    html_addz(&r->shape, attr ? attr : "");
    html_addz(&r->shape, attr ? value : "");
}

/* An element with a class attribute (none when cls is NULL). */
static void row_open(struct html_row *r, const char *name, const char *cls)
{
    row_open_attr(r, name, cls ? "class" : NULL, cls);
}

static void row_close(struct html_row *r)
{
    row_op(r, HTML_OP_CLOSE);
}

/* A word that is the same in many rows: part of the shape. */
static void row_fixed(struct html_row *r, const char *text)
{
    row_op(r, HTML_OP_FIXED);
    html_addz_sanitised(&r->shape, text);
}

/* Starts a text in the row; the caller adds it, sanitised, with its NUL
 * to the buffer returned. */
static struct xbuf *row_slot(struct html_row *r)
{
    row_op(r, HTML_OP_TEXT);
    xgrow(&r->text_at, &r->cap_texts, r->n_texts + 1, sizeof *r->text_at);
    r->text_at[r->n_texts++] = r->texts.len;
    return &r->texts;
}

/* Text sanitised as html_text() does. */
static void row_text(struct html_row *r, const char *text)
{
    html_addz_sanitised(row_slot(r), text);
}

/* Text sanitised already (a report_* result), owned: freed here. */
static void row_take(struct html_row *r, char *clean)
{
    html_addz(row_slot(r), clean);
    free(clean);
}

/* An element with a text, as html_add_class() makes it (none when text is NULL). */
static void row_elem(struct html_row *r, const char *name, const char *cls, const char *text)
{
    row_open(r, name, cls);
    if (text)
        row_text(r, text);
    row_close(r);
}

static void row_elem_take(struct html_row *r, const char *name, const char *cls, char *clean)
{
    row_open(r, name, cls);
    row_take(r, clean);
    row_close(r);
}

static void row_elem_fixed(struct html_row *r, const char *name, const char *cls, const char *text)
{
    row_open(r, name, cls);
    row_fixed(r, text);
    row_close(r);
}

/* As html_status(). */
static void row_status(struct html_row *r, const char *word)
{
    char cls[48];
    snprintf(cls, sizeof cls, "status status-%s", word);
    row_elem_fixed(r, "span", cls, word);
}

/* As html_table(): a table with a header row, left open in its tbody. */
static void row_table(struct html_row *r, const char *cls, const char *const *headers)
{
    row_open(r, "table", cls);
    row_open(r, "thead", NULL);
    row_open(r, "tr", NULL);
    for (size_t i = 0; headers[i]; i++) {
        row_open_attr(r, "th", "scope", "col");
        row_fixed(r, headers[i]);
        row_close(r);
    }
    row_close(r);
    row_close(r);
    row_open(r, "tbody", NULL);
}

/* The row's shape as nodes in box, each text a text node: the row's own
 * texts, or HTML_SLOT for each when texts is NULL (to cut a stencil).
 * Returns the row's element, or NULL when libxml2 failed. */
static node html_shape_tree(xmlDocPtr doc, node box, const char *shape, size_t len,
                            const struct html_row *texts)
{
    node cur = box;
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        char op = shape[i++];
        if (op == HTML_OP_OPEN) {
            const char *name = shape + i, *attr = name + strlen(name) + 1,
                       *value = attr + strlen(attr) + 1;
            i = (size_t)(value - shape) + strlen(value) + 1;
            node n = xmlNewChild(cur, NULL, BAD_CAST name, NULL);
            if (n == NULL || (attr[0] && xmlNewProp(n, BAD_CAST attr, BAD_CAST value) == NULL))
                return NULL;
            cur = n;
        } else if (op == HTML_OP_CLOSE) {
            cur = cur->parent;
        } else {
            const char slot[2] = { HTML_SLOT, '\0' };
            const char *text = slot;
            if (op == HTML_OP_FIXED) {
                text = shape + i;
                i += strlen(text) + 1;
            } else if (texts) {
                text = texts->texts.s + texts->text_at[k++];
            }
            /* As in the page, a text next to a text joins it. */
            if (xmlAddChild(cur, xmlNewDocText(doc, BAD_CAST text)) == NULL)
                return NULL;
        }
    }
    return box->children;
}

static uint64_t html_shape_hash(const char *shape, size_t len)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)shape[i]) * 1099511628211u;
    return h;
}

static void html_stencil_free(struct html_stencil *st)
{
    if (st == NULL)
        return;
    free(st->shape);
    free(st->slot);
    free(st->markup);
    free(st);
}

/* Finds the n HTML_SLOT bytes of markup[0..len) for slot; 0 unless there
 * are exactly n. */
static int html_find_slots(const char *markup, size_t len, size_t *slot, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (markup[i] != HTML_SLOT)
            continue;
        if (k == n)
            return 0;
        slot[k++] = i;
    }
    return k == n;
}

/* The stencil from markup: the row alone (row_len bytes), then the row
 * again with a row after it. NULL unless it has one slot per text. */
static struct html_stencil *html_stencil_cut(const struct html_row *r, uint64_t hash,
                                             const char *markup, size_t row_len, size_t len)
{
    if (len < 2 * row_len || memcmp(markup, markup + row_len, row_len) != 0)
        return NULL;
    struct html_stencil *st = xcalloc(1, sizeof *st);
    st->slot = xcalloc(r->n_texts + 1, sizeof *st->slot);
    if (!html_find_slots(markup, row_len, st->slot, r->n_texts)) {
        html_stencil_free(st);
        return NULL;
    }
    st->shape = xmemdup0(r->shape.s, r->shape.len);
    st->shape_len = r->shape.len;
    st->hash = hash;
    st->row_len = row_len;
    st->len = len - row_len;
    st->markup = xmalloc(st->len);
    memcpy(st->markup, markup, row_len);
    memcpy(st->markup + row_len, markup + 2 * row_len, st->len - row_len);
    return st;
}

/* Serialises the row's shape as the last row of a batch, then with a row
 * after it, in a box like the list's; NULL when libxml2 failed. */
static struct html_stencil *html_stencil_new(struct html_rows *l, uint64_t hash)
{
    xmlDocPtr doc = l->pg->doc;
    struct html_stencil *st = NULL;
    node box = xmlNewDocNode(doc, NULL, BAD_CAST l->box, NULL);
    xmlOutputBufferPtr o = xmlAllocOutputBuffer(NULL);
    node row = box && o ? html_shape_tree(doc, box, l->row.shape.s, l->row.shape.len, NULL) : NULL;
    if (row) {
        htmlNodeDumpFormatOutput(o, doc, row, NULL, 1);
        size_t row_len = xmlOutputBufferGetSize(o);
        if (xmlNewChild(box, NULL, row->name, NULL) != NULL) {
            htmlNodeDumpFormatOutput(o, doc, row, NULL, 1);
            if (o->error == 0)
                st = html_stencil_cut(&l->row, hash, (const char *)xmlOutputBufferGetContent(o),
                                      row_len, xmlOutputBufferGetSize(o));
        }
    }
    if (o)
        xmlOutputBufferClose(o);
    if (box)
        xmlFreeNode(box);
    return st;
}

static void html_stencils_clear(struct html_rows *l)
{
    for (size_t i = 0; i < HTML_STENCILS; i++) {
        html_stencil_free(l->stencils[i]);
        l->stencils[i] = NULL;
    }
    l->n_stencils = 0;
}

/* The stencil for the row described, made when it is the first of its
 * shape; NULL when libxml2 failed. */
static const struct html_stencil *html_stencil_get(struct html_rows *l)
{
    const struct xbuf *shape = &l->row.shape;
    uint64_t hash = html_shape_hash(shape->s, shape->len);
    size_t i = (size_t)(hash % HTML_STENCILS);
    for (; l->stencils[i]; i = (i + 1) % HTML_STENCILS) {
        const struct html_stencil *st = l->stencils[i];
        if (st->hash == hash && st->shape_len == shape->len &&
            memcmp(st->shape, shape->s, shape->len) == 0)
            return st;
    }
    if (l->n_stencils >= HTML_STENCILS / 4 * 3) {
        html_stencils_clear(l);
        i = (size_t)(hash % HTML_STENCILS);
    }
    l->stencils[i] = html_stencil_new(l, hash);
    l->n_stencils += l->stencils[i] != NULL;
    return l->stencils[i];
}

static void html_rows_begin(struct html_rows *l, struct html_page *pg, xmlOutputBufferPtr out,
                            const char *box)
{
    memset(l, 0, sizeof *l);
    l->pg = pg;
    l->out = out;
    l->box = box;
    l->text = xmlNewDocText(pg->doc, BAD_CAST "");
    if (l->text == NULL)
        pg->failed = 1;
}

static void html_rows_end(struct html_rows *l)
{
    html_stencils_clear(l);
    free(l->row.shape.s);
    free(l->row.texts.s);
    free(l->row.text_at);
    free(l->after.s);
    xmlFreeNode(l->text);
}

/* A text of a row, written as libxml2 writes a text node: it is one (one
 * node, reused from text to text), serialised by libxml2's HTML
 * serialiser, which escapes it. */
static void html_rows_text(struct html_rows *l, const char *text)
{
    if (l->text == NULL)
        return; /* failed already */
    xmlNodeSetContent(l->text, BAD_CAST text);
    htmlNodeDumpFormatOutput(l->out, l->pg->doc, l->text, NULL, 0);
}

/* The reference way to write a row: its own tree, serialised and freed.
 * The stencils must give the same bytes (tests/fuzz/fuzz_pipeline.c
 * checks it on every fixture and fuzz input). */
static void html_rows_put_tree(struct html_rows *l)
{
    struct html_row *r = &l->row;
    xmlDocPtr doc = l->pg->doc;
    node box = xmlNewDocNode(doc, NULL, BAD_CAST l->box, NULL);
    node row = box ? html_shape_tree(doc, box, r->shape.s, r->shape.len, r) : NULL;
    if (row == NULL) {
        l->pg->failed = 1;
    } else {
        /* what the stencil path writes from its 'after' markup */
        if (l->written % HTML_BATCH != 0)
            xmlOutputBufferWrite(l->out, 1, "\n");
        htmlNodeDumpFormatOutput(l->out, doc, row, NULL, 1);
        l->written++;
    }
    xmlFreeNode(box);
    r->shape.len = r->texts.len = r->n_texts = 0;
}

/* Writes the row described and starts the next one. */
static void html_rows_put(struct html_rows *l)
{
    if (l->pg->by_tree) {
        html_rows_put_tree(l);
        return;
    }
    struct html_row *r = &l->row;
    const struct html_stencil *st = html_stencil_get(l);
    if (st == NULL) {
        l->pg->failed = 1;
    } else {
        /* The list was once serialised HTML_BATCH rows at a time, and a
         * row is followed by a newline only when a row follows it in its
         * batch: kept, so that pages stay the same byte for byte. */
        if (l->written % HTML_BATCH != 0)
            xmlOutputBufferWrite(l->out, (int)l->after.len, l->after.s);
        size_t at = 0;
        for (size_t k = 0; k < r->n_texts; k++) {
            xmlOutputBufferWrite(l->out, (int)(st->slot[k] - at), st->markup + at);
            html_rows_text(l, r->texts.s + r->text_at[k]);
            at = st->slot[k] + 1;
        }
        xmlOutputBufferWrite(l->out, (int)(st->row_len - at), st->markup + at);
        l->after.len = 0;
        xbuf_addn(&l->after, st->markup + st->row_len, st->len - st->row_len);
        l->written++;
    }
    r->shape.len = r->texts.len = r->n_texts = 0;
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
    snprintf(title, sizeof title, "%s: Azure security contact audit, CIS %s %s",
             outcome_word(v->outcome), v->edition,
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
static void html_overall_reason(node parent, const struct report_view *v,
                                struct html_file_counts fc)
{
    char line[400];
    size_t err = v->outcome->counts[RULE_CONTACT_EMAIL][VERDICT_ERROR],
           fail = v->outcome->counts[RULE_CONTACT_EMAIL][VERDICT_FAIL], n = 0;
    const char *overall = outcome_word(v->outcome);
    if (strcmp(overall, "PASS") == 0) {
        snprintf(line, sizeof line,
                 "Every audited subscription meets the control and every evidence file was read.");
    } else if (strcmp(overall, "FAIL") == 0) {
        snprintf(line, sizeof line,
                 "%zu subscription%s not meet the control; all evidence was read.", fail,
                 fail == 1 ? " does" : "s do");
    } else {
        n = (size_t)snprintf(line, sizeof line, "The audit is incomplete:");
        if (err)
            n += (size_t)snprintf(line + n, sizeof line - n,
                                  " %zu subscription%s could not be decided%s", err,
                                  err == 1 ? "" : "s", fc.error ? " and" : "");
        if (fc.error)
            n += (size_t)snprintf(line + n, sizeof line - n,
                                  " %zu evidence file%s could not be read", fc.error,
                                  fc.error == 1 ? "" : "s");
        n += (size_t)snprintf(line + n, sizeof line - n,
                              " (what cannot be read is never taken as passing).");
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
    html_status(p, outcome_word(v->outcome));
    html_overall_reason(header, v, fc);

    node ul = html_add_class(header, "ul", "counts", NULL);
    const char *words[] = { "PASS", "FAIL", "ERROR", "WAIVED" };
    size_t total = 0;
    for (int i = 0; i < 4; i++) {
        char n[32];
        snprintf(n, sizeof n, "%zu", v->outcome->counts[RULE_CONTACT_EMAIL][i]);
        total += v->outcome->counts[RULE_CONTACT_EMAIL][i];
        node li = html_add(ul, "li", NULL);
        html_add(li, "b", n);
        html_status(li, words[i]);
    }
    char n[64];
    if (v->outcome->not_audited) {
        snprintf(n, sizeof n, "%zu", v->outcome->not_audited);
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
    snprintf(line, sizeof line, "%s%s", stamp,
             v->time_from_env ? " (pinned by SOURCE_DATE_EPOCH)" : "");
    html_meta_row(dl, "Generated", line);
    snprintf(line, sizeof line,
             "azure-contact-audit %s, offline, from the evidence files below only",
             PACKAGE_VERSION);
    html_meta_row(dl, "Produced by", line);
    snprintf(line, sizeof line, "%zu file%s: %zu read, %zu unreadable, %zu skipped",
             v->files->count, v->files->count == 1 ? "" : "s", fc.read, fc.error, fc.skipped);
    html_meta_row(dl, "Evidence", line);
    html_meta_row(dl, "Addresses",
                  v->redact ? "masked (--redact): j***@example.org" : "shown in full");
    html_meta_row(dl, "Evidence text",
                  "as read; \\xNN marks a byte that is not UTF-8, \\uXXXX a control character, "
                  "[... N more bytes] a value cut short");
}

/* ---- 2. findings -------------------------------------------------------------------- */

static char *html_contact_name(const struct verdict_contact *c)
{
    return c->name ? sanitize_text(c->name, c->name_len, SANITIZE_ONE_LINE, 200, NULL)
                   : xstrdup("(unnamed)");
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

static void row_contact_notes(struct html_row *r, const struct verdict_contact *c)
{
    if (c->enabled == CONTACT_OFF)
        row_elem_fixed(r, "span", "flag", " (disabled)");
    if (c->from_failed_file)
        row_elem_fixed(r, "span", "flag", " (its file failed later: not counted)");
}

/* One address of a contact in its contacts table row: address, verdict, why. */
static void row_address_cells(struct html_row *r, const struct report_view *v,
                              const struct verdict_contact *c, const struct verdict_address *a)
{
    row_elem_take(r, "td", "mono addr", report_address(v, a->text, a->len));
    row_elem_fixed(r, "td", a->verdict == ADDRESS_DELIVERABLE ? "addr-ok" : "addr-bad",
                   address_verdict_name(a->verdict));
    const char *why = a->why[0] ? a->why : c->problem ? c->problem : "";
    if (!why[0] && c->enabled == CONTACT_OFF)
        why = "deliverable, but the contact is disabled";
    else if (!why[0] && c->from_failed_file)
        why = "deliverable, but its file could not be read to the end";
    row_elem(r, "td", NULL, why);
}

static void row_contacts_table(struct html_row *r, const struct report_view *v,
                               const struct verdict_subscription *s)
{
    static const char *const headers[] = {
        "Contact", "Address", "Verdict", "Why", "Evidence (file:line:col)", NULL
    };
    if (s->n_contacts == 0)
        return;
    row_table(r, "contacts", headers);
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        char *name = html_contact_name(c);
        char *where = html_contact_where(v, c);
        size_t rows = c->n_addresses ? c->n_addresses : 1;
        for (size_t k = 0; k < rows; k++) {
            row_open(r, "tr", NULL);
            row_open(r, "td", NULL);
            row_text(r, name);
            row_contact_notes(r, c);
            row_close(r);
            if (c->n_addresses == 0) {
                char why[160];
                html_no_address_why(why, sizeof why, c);
                row_elem_fixed(r, "td", "mono addr", "(none)");
                row_elem_fixed(r, "td", "addr-bad", "no address");
                row_elem(r, "td", NULL, why);
            } else {
                row_address_cells(r, v, c, &c->addresses[k]);
            }
            row_elem(r, "td", "mono where", where);
            row_close(r);
        }
        free(where);
        free(name);
    }
    row_close(r); /* tbody */
    row_close(r); /* table */
}

static void row_subscription_heading(struct html_row *r, const struct report_view *v,
                                     const struct verdict_subscription *s, const char *status)
{
    row_open(r, "h3", NULL);
    row_status(r, status);
    row_fixed(r, " ");
    row_elem_take(r, "code", "sub", report_subscription_name(v, s));
    if (s->display_name) {
        row_fixed(r, " ");
        row_elem_take(r, "span", "display-name",
                      report_text(v, s->display_name, strlen(s->display_name)));
    }
    row_close(r);
}

/* Evidence that names the subscription but cannot decide it. The message
 * is left out when it is the reason shown just above. */
static void row_problems(struct html_row *r, const struct report_view *v,
                         const struct verdict_subscription *s, const char *reason)
{
    if (s->n_problems == 0 && !s->empty_list) {
        if (s->n_contacts == 0) {
            row_open(r, "p", "note");
            row_fixed(r, "Listed in the subscription inventory");
            if (s->state) {
                row_fixed(r, " (state: ");
                row_take(r, report_text(v, s->state, strlen(s->state)));
                row_fixed(r, ")");
            }
            row_fixed(r, ", but no evidence file names this subscription.");
            row_close(r);
        }
        return;
    }
    row_open(r, "ul", "problems");
    if (s->empty_list) {
        row_open(r, "li", NULL);
        row_fixed(r, "Empty contact list at ");
        row_elem_take(
            r, "code", NULL,
            report_location(v, s->empty_list_file, s->empty_list_pos.line, s->empty_list_pos.col));
        row_close(r);
    }
    for (size_t i = 0; i < s->n_problems; i++) {
        const struct verdict_problem *p = &s->problems[i];
        row_open(r, "li", NULL);
        row_fixed(r, "Evidence that cannot decide it: ");
        row_elem_take(r, "code", NULL, report_location(v, p->file, p->line, p->col));
        char *text = facts_problem(v, p);
        if (reason == NULL || strcmp(reason, text) != 0) {
            row_fixed(r, ": ");
            row_text(r, text);
        }
        free(text);
        row_close(r);
    }
    row_close(r);
}

static void row_finding(struct html_row *r, const struct report_view *v,
                        const struct verdict_subscription *s, int rule)
{
    const struct verdict_result *res = verdicts_result(v->table, s, (unsigned)rule);
    const char *word = verdicts_status_name(res->status);
    char cls[48];
    snprintf(cls, sizeof cls, "finding status-box-%s", word);
    row_open(r, "div", cls);
    row_subscription_heading(r, v, s, word);
    char *reason = facts_reason(v, s, (unsigned)rule);
    row_elem(r, "p", "reason", reason);
    row_problems(r, v, s, reason);
    free(reason);
    row_contacts_table(r, v, s);
    row_close(r);
}

static void html_findings(struct html_page *pg, node body, int rule)
{
    const struct report_view *v = pg->v;
    const struct rule *r = &rules_table[rule];
    size_t n = html_tally(v, rule, html_is_finding);
    char id[48], title[240];
    snprintf(id, sizeof id, "findings-%s", r->key);
    snprintf(title, sizeof title, "Findings: CIS %s %s (%zu)", v->edition,
             rules_control_id(r, v->edition), n);
    node sec = html_section(body, id, title);
    html_add_class(sec, "p", "control-title", r->title);
    if (n == 0) {
        html_add_class(sec, "p", "note", "No findings: every audited subscription passes.");
        return;
    }
    html_add_class(sec, "p", "note",
                   "Every subscription that fails the control or could not be decided, with each "
                   "contact, each "
                   "address and its verdict, and where in the evidence it was read.");
    html_defer(pg, html_add_class(sec, "div", "findings", NULL), HTML_LIST_FINDINGS, rule);
}

static void html_findings_items(struct html_page *pg, xmlOutputBufferPtr out, int rule)
{
    struct html_rows l;
    html_rows_begin(&l, pg, out, "div");
    size_t n = verdicts_count(pg->v->table);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(pg->v->table, i);
        if (html_is_finding(pg->v, s, rule)) {
            row_finding(&l.row, pg->v, s, rule);
            html_rows_put(&l);
        }
    }
    html_rows_end(&l);
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
        snprintf(title, sizeof title,
                 "Show the %zu passing subscription%s with their contacts and evidence", passes,
                 passes == 1 ? "" : "s");
        html_add(details, "summary", title);
        static const char *const headers[] = { "Subscription",
                                               "Name",
                                               "Reason",
                                               "Contacts: addresses (deliverable unless marked)",
                                               "Evidence (file:line:col)",
                                               NULL };
        html_defer(pg, html_table(details, "passes", headers), HTML_LIST_PASSES,
                   RULE_CONTACT_EMAIL);
    }
    size_t disabled = 0, n = verdicts_count(v->table);
    for (size_t i = 0; i < n; i++)
        disabled += verdicts_get(v->table, i)->disabled != 0;
    if (disabled == 0)
        return;
    snprintf(title, sizeof title, "Not audited: disabled in the subscription inventory (%zu)",
             disabled);
    sec = html_section(body, "not-audited", title);
    static const char *const headers[] = { "Subscription", "Name", "State", NULL };
    node tbody = html_table(sec, "not-audited", headers);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        if (!s->disabled)
            continue;
        node tr = html_add(tbody, "tr", NULL);
        html_class(html_add_owned(tr, "td", report_subscription_name(v, s)), "mono");
        html_evidence(v, html_add(tr, "td", NULL), s->display_name ? s->display_name : "");
        html_evidence(v, html_add(tr, "td", NULL), s->state ? s->state : "");
    }
}

/* A contact in a passing row: name, notes, addresses. */
static void row_pass_contact(struct html_row *r, const struct report_view *v,
                             const struct verdict_contact *c)
{
    row_open(r, "div", NULL);
    row_elem_take(r, "span", NULL, html_contact_name(c));
    row_contact_notes(r, c);
    row_fixed(r, ": ");
    if (c->n_addresses == 0) {
        char why[160];
        html_no_address_why(why, sizeof why, c);
        row_elem_fixed(r, "span", "addr-bad", "no address");
        row_fixed(r, " (");
        row_text(r, why);
        row_fixed(r, ")");
    }
    for (size_t k = 0; k < c->n_addresses; k++) {
        const struct verdict_address *a = &c->addresses[k];
        if (k > 0)
            row_fixed(r, ", ");
        int ok = a->verdict == ADDRESS_DELIVERABLE;
        row_elem_take(r, "span", ok ? "mono addr addr-ok" : "mono addr addr-bad",
                      report_address(v, a->text, a->len));
        if (!ok) {
            row_fixed(r, " (");
            row_fixed(r, address_verdict_name(a->verdict));
            row_fixed(r, ")");
        }
    }
    row_close(r);
}

/* One compact row: every contact and address is still there. */
static void row_pass(struct html_row *r, const struct report_view *v,
                     const struct verdict_subscription *s)
{
    row_open(r, "tr", "pass");
    row_elem_take(r, "td", "mono sub", report_subscription_name(v, s));
    row_open(r, "td", NULL);
    if (s->display_name)
        row_take(r, report_text(v, s->display_name, strlen(s->display_name)));
    row_close(r);
    row_elem_take(r, "td", NULL, facts_reason(v, s, RULE_CONTACT_EMAIL));
    row_open(r, "td", NULL);
    for (size_t i = 0; i < s->n_contacts; i++)
        row_pass_contact(r, v, &s->contacts[i]);
    row_close(r);
    row_open(r, "td", "mono where");
    for (size_t i = 0; i < s->n_contacts; i++)
        row_elem_take(r, "div", NULL, html_contact_where(v, &s->contacts[i]));
    row_close(r);
    row_close(r);
}

static void html_passes_items(struct html_page *pg, xmlOutputBufferPtr out)
{
    struct html_rows l;
    html_rows_begin(&l, pg, out, "tbody");
    size_t n = verdicts_count(pg->v->table);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(pg->v->table, i);
        if (html_is_pass(pg->v, s, RULE_CONTACT_EMAIL)) {
            row_pass(&l.row, pg->v, s);
            html_rows_put(&l);
        }
    }
    html_rows_end(&l);
}

/* ---- 4. evidence manifest ------------------------------------------------------------------ */

static const char *html_file_status(const struct evidence_file *f)
{
    return f->status == EVIDENCE_READ      ? "READ"
           : f->status == EVIDENCE_SKIPPED ? "SKIPPED"
                                           : "ERROR";
}

static void html_manifest(struct html_page *pg, node body)
{
    const struct report_view *v = pg->v;
    struct html_file_counts fc = html_file_counts(v);
    char line[320];
    snprintf(line, sizeof line, "Evidence manifest (%zu file%s)", v->files->count,
             v->files->count == 1 ? "" : "s");
    node sec = html_section(body, "manifest", line);
    snprintf(line, sizeof line,
             "%zu read, %zu unreadable, %zu skipped. Sizes and SHA-256 digests are of each file as "
             "stored, before "
             "any gunzip or transcoding; positions are line:column in characters, from 1.",
             fc.read, fc.error, fc.skipped);
    html_add_class(sec, "p", "note", line);
    if (v->files->count == 0)
        return;
    static const char *const headers[] = { "#",       "File",    "Status", "Bytes", "SHA-256",
                                           "Read as", "Records", "Notes",  NULL };
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
            html_add_owned(li, "span", report_file_message(v, f));
        }
        if (f->notice_lines) {
            node li = html_add(ul, "li", "Lines of ");
            html_add_owned(li, "code", report_location(v, i, 0, 0));
            html_count(line, sizeof line, f->notice_lines, "az CLI notice line",
                       "az CLI notice lines");
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

/* How the file was read: encoding, shape, API versions. */
static void row_read_as(struct html_row *r, const struct evidence_file *f)
{
    char buf[256];
    row_open(r, "td", NULL);
    if (f->status == EVIDENCE_SKIPPED || f->status == EVIDENCE_PENDING) {
        row_fixed(r, "not read");
    } else {
        snprintf(buf, sizeof buf, "%s%s",
                 f->encoding && f->encoding[0] ? f->encoding : "encoding unknown",
                 f->gzip ? ", gzip" : "");
        row_elem(r, "div", NULL, buf);
        row_elem(r, "div", NULL, f->shape && f->shape[0] ? f->shape : "shape not recognised");
        if (f->api_versions) {
            snprintf(buf, sizeof buf, "api-version %s", explain_api_versions(f->api_versions));
            row_elem(r, "div", NULL, buf);
        } else if (f->records) {
            row_elem_fixed(r, "div", NULL, "api-version unknown");
        }
    }
    row_close(r);
}

/* A count in its own div, when there is one; returns whether there was. */
static int row_count(struct html_row *r, unsigned long n, const char *one, const char *many,
                     const char *tail)
{
    if (n == 0)
        return 0;
    char buf[256];
    html_count(buf, sizeof buf, n, one, many);
    strncat(buf, tail, sizeof buf - strlen(buf) - 1);
    row_elem(r, "div", NULL, buf);
    return 1;
}

static void row_records(struct html_row *r, const struct evidence_file *f)
{
    row_open(r, "td", NULL);
    int any = row_count(r, f->records, "contact record", "contact records", "");
    any |= row_count(r, f->error_bodies, "API error body", "API error bodies", "");
    any |= row_count(r, f->inventory_entries, "inventory row", "inventory rows", "");
    if (f->documents > 1)
        row_count(r, f->documents, "JSON document", "JSON documents", "");
    if (!any)
        row_fixed(r, f->status == EVIDENCE_READ ? "none" : "-");
    row_close(r);
}

static void row_file_notes(struct html_row *r, const struct report_view *v,
                           const struct evidence_file *f)
{
    row_open(r, "td", NULL);
    if (diag_faulted(&f->fault)) {
        row_open(r, "div", NULL);
        if (f->fault.line) {
            char at[64];
            snprintf(at, sizeof at, "at %lu:%lu: ", f->fault.line, f->fault.col);
            row_text(r, at);
        }
        row_take(r, report_file_message(v, f));
        row_close(r);
    }
    if (f->api_error) /* readable, but what it holds is an error, not evidence */
        row_elem_take(r, "div", NULL, report_text(v, f->api_error, strlen(f->api_error)));
    row_count(r, f->notice_lines, "az CLI notice line", "az CLI notice lines",
              " before the JSON skipped");
    row_count(r, f->ignored_objects, "unrecognised object", "unrecognised objects", " ignored");
    row_close(r);
}

static void row_manifest(struct html_row *r, const struct report_view *v, size_t i)
{
    const struct evidence_file *f = &v->files->files[i];
    char buf[32];
    row_open(r, "tr", NULL);
    snprintf(buf, sizeof buf, "%zu", i + 1);
    row_elem(r, "td", NULL, buf);
    row_elem_take(r, "td", "mono path", report_location(v, i, 0, 0));
    row_open(r, "td", NULL);
    row_status(r, html_file_status(f));
    row_close(r);
    snprintf(buf, sizeof buf, "%" PRIu64, f->size);
    row_elem(r, "td", "num", buf);
    row_elem(r, "td", "mono sha", f->hashed ? f->sha256 : "(not read)");
    row_read_as(r, f);
    row_records(r, f);
    row_file_notes(r, v, f);
    row_close(r);
}

static void html_manifest_items(struct html_page *pg, xmlOutputBufferPtr out)
{
    struct html_rows l;
    html_rows_begin(&l, pg, out, "tbody");
    for (size_t i = 0; i < pg->v->files->count; i++) {
        row_manifest(&l.row, pg->v, i);
        html_rows_put(&l);
    }
    html_rows_end(&l);
}

/* ---- 5. the control ---------------------------------------------------------------------- */

/* Every waiver of --waivers FILE and what became of it. */
static void html_waiver_list(node div, const struct waiver_set *ws)
{
    char line[160];
    snprintf(line, sizeof line, "Waivers read from %s:", ws->path);
    html_add(div, "p", line);
    static const char *const headers[] = { "Subscription", "Rule", "Ticket", "Expires",
                                           "Reason",       "Use",  NULL };
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
        else if (w->refused)
            snprintf(line, sizeof line,
                     "applied to %zu FAIL verdict%s; not to %zu ERROR verdict%s "
                     "(undecided evidence cannot be waived)",
                     w->used, w->used == 1 ? "" : "s", w->refused, w->refused == 1 ? "" : "s");
        else
            snprintf(line, sizeof line, "applied to %zu FAIL verdict%s", w->used,
                     w->used == 1 ? "" : "s");
        html_add(tr, "td", line);
    }
}

/* Waivers applied: the waived subscriptions, then the waiver file. */
static void html_waivers(node sec, const struct report_view *v)
{
    node div = html_add_class(sec, "div", "waivers", NULL);
    xmlNewProp(div, BAD_CAST "id", BAD_CAST "waivers");
    html_add(div, "h3", "Waivers applied");
    size_t waived = v->outcome->counts[RULE_CONTACT_EMAIL][VERDICT_WAIVED];
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
        const struct verdict_result *res = verdicts_result(v->table, s, RULE_CONTACT_EMAIL);
        if (s->disabled || res->status != VERDICT_WAIVED)
            continue;
        node tr = html_add(tbody, "tr", NULL);
        html_class(html_add_owned(tr, "td", report_subscription_name(v, s)), "mono");
        html_evidence(v, html_add(tr, "td", NULL), s->display_name ? s->display_name : "");
        html_add_owned(tr, "td", facts_reason(v, s, RULE_CONTACT_EMAIL));
    }
    if (v->waivers)
        html_waiver_list(div, v->waivers);
}

static void html_control(node body, const struct report_view *v)
{
    const struct rule *r = &rules_table[RULE_CONTACT_EMAIL];
    char title[200];
    snprintf(title, sizeof title, "The control: CIS %s %s, in our words", v->edition,
             rules_control_id(r, v->edition));
    node sec = html_section(body, "control", title);
    html_add(sec, "h3", "What it checks");
    html_add(sec, "p",
             "Microsoft Defender for Cloud mails security alerts (and, on newer API versions, "
             "attack-path notices) "
             "to the addresses in each subscription's security contact, the 'Additional email "
             "addresses' field. The "
             "control holds when at least one enabled contact carries at least one address that "
             "mail can reach.");
    html_add(sec, "h3", "Why it matters");
    html_add(sec, "p",
             "Without such an address, an alert about an attack in progress reaches nobody, or "
             "only whoever happens "
             "to hold a role on the subscription. An empty field, a placeholder such as "
             "<validEmailAddress>, a "
             "disabled contact or a documentation address (example.com, contoso.com) all look "
             "configured and "
             "deliver nothing.");
    html_add(sec, "h3", "How this tool decides");
    node ul = html_add(sec, "ul", NULL);
    html_add(ul, "li",
             "All contacts of a subscription, from every evidence file, are combined: one enabled "
             "contact "
             "with one deliverable address is enough for PASS.");
    html_add(
        ul, "li",
        "Addresses are split on ';' and ','; each must be an RFC 5321/5322 address, outside the "
        "RFC 2606/6761 reserved names and the Microsoft documentation sample domains (and inside "
        "--org-domain when given).");
    html_add(ul, "li",
             "FAIL: no contact, an empty or null field, no valid address, only reserved or sample "
             "addresses, or every contact disabled.");
    html_add(
        ul, "li",
        "ERROR (never PASS): the evidence for the subscription could not be read, is an API error, "
        "is ambiguous, contradicts itself across files, or is missing for a subscription the "
        "inventory lists as enabled.");
    html_add(sec, "h3", "How to fix it");
    html_add(
        sec, "p",
        "In the Azure portal: Microsoft Defender for Cloud > Environment settings > the "
        "subscription > Email "
        "notifications. Enter the security team's shared mailbox in 'Additional email addresses' "
        "(several "
        "addresses separated by commas), make sure the contact is not switched off, and save.");
    html_add(
        sec, "p",
        "With the Azure CLI (2.61 or later), for each subscription (the API separates addresses "
        "with ';'):");
    html_add_class(sec, "pre", "cli",
                   "az account set --subscription <subscription-id>\n"
                   "az security contact create --name default \\\n"
                   "  --emails 'secops@your-org.example;soc@your-org.example' \\\n"
                   "  --alert-notifications '{\"state\":\"On\",\"minimalSeverity\":\"High\"}' \\\n"
                   "  --notifications-by-role '{\"state\":\"On\",\"roles\":[\"Owner\"]}'");
    html_add(
        sec, "p",
        "Then export the evidence again (az security contact list > contacts.json) and rerun this "
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

/* One line of sha256sum's own format. */
static void html_sha_line(struct xbuf *t, const char *sha256, const char *raw_path)
{
    char *path = sanitize_text(raw_path, strlen(raw_path), SANITIZE_ONE_LINE, 0, NULL);
    xbuf_add(t, sha256);
    xbuf_add(t, "  ");
    xbuf_add(t, path);
    xbuf_add(t, "\n");
    free(path);
}

static void html_verify(node body, const struct report_view *v)
{
    node sec = html_section(body, "verify", "How to verify");
    html_add(sec, "p",
             "1. The evidence is what was audited: from the folder the audit was run in, save "
             "these lines to a file "
             "and run sha256sum -c on it; every line must end in OK.");
    struct xbuf t = { 0 };
    size_t unhashed = 0;
    for (size_t i = 0; i < v->files->count; i++) {
        const struct evidence_file *f = &v->files->files[i];
        if (!f->hashed || f->is_stdin) {
            unhashed += f->status != EVIDENCE_SKIPPED;
            continue;
        }
        html_sha_line(&t, f->sha256, f->path);
    }
    if (v->waivers && v->waivers->hashed) /* the waivers decide verdicts too */
        html_sha_line(&t, v->waivers->sha256, v->waivers->path);
    html_add_class(sec, "pre", "sha256sum", t.s ? t.s : "");
    free(t.s);
    if (unhashed) {
        char line[160];
        snprintf(line, sizeof line,
                 "%zu file%s (standard input, or not read to the end) %s no line above: see the "
                 "manifest.",
                 unhashed, unhashed == 1 ? "" : "s", unhashed == 1 ? "has" : "have");
        html_add_class(sec, "p", "note", line);
    }
    html_add(sec, "p",
             "2. The verdicts follow from the evidence: run the same command on the same files.");
    html_add_class(sec, "pre", "command", v->command_line ? v->command_line : "");
    if (v->time_from_env) {
        char line[200];
        snprintf(line, sizeof line,
                 "With SOURCE_DATE_EPOCH=%lld set, the same tool version writes this page byte "
                 "for byte.",
                 (long long)v->generated);
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

static int html_write_page(const struct report_view *v, xmlOutputBufferPtr out, int by_tree)
{
    struct html_page pg = { .v = v, .by_tree = by_tree };
    pg.doc = htmlNewDocNoDtD(NULL, NULL);
    if (pg.doc == NULL) {
        xmlOutputBufferClose(out);
        return -1;
    }
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
    int rc = -1;
    if (skel) {
        htmlDocContentDumpFormatOutput(skel, pg.doc, NULL, 1);
        if (skel->error == 0 &&
            html_fill(&pg, (const char *)xmlOutputBufferGetContent(skel),
                      xmlOutputBufferGetSize(skel), out) == 0 &&
            !pg.failed && xmlOutputBufferFlush(out) >= 0 && out->error == 0)
            rc = 0;
        xmlOutputBufferClose(skel);
    }
    xmlOutputBufferClose(out);
    xmlFreeDoc(pg.doc);
    return rc;
}

int html_write(const struct report_view *v, xmlOutputBufferPtr out)
{
    return html_write_page(v, out, 0);
}

static int html_write_reference(const struct report_view *v, xmlOutputBufferPtr out)
{
    return html_write_page(v, out, 1);
}

int html_render(const struct report_view *v, char **out, size_t *len)
{
    return report_render(html_write, v, out, len);
}

int html_render_reference(const struct report_view *v, char **out, size_t *len)
{
    return report_render(html_write_reference, v, out, len);
}
