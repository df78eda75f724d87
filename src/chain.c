/* SPDX-License-Identifier: ISC */
/* Chain: manifests, collection dates and freshness (see chain.h). */
#include "config.h"

#include "chain.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "guid.h"
#include "xalloc.h"

/* A manifest larger than this is refused: a real one lists a few thousand
 * files; the bytes are kept in memory while parsed. */
#define CHAIN_NONE SIZE_MAX

struct chain {
    struct chain_options opt;
    struct chain_root *roots; /* owned */
    size_t n_roots, cap_roots;
    size_t *root_of;                   /* owned: each file's root, or CHAIN_NONE */
    unsigned char *tag;                /* owned: each file is a tag file of its root */
    struct chain_collected *collected; /* owned: each file's, once settled */
    size_t n_files;                    /* files when prepared */
    size_t n_collected;                /* files when settled (missing ones added) */
    struct chain_collected bundle;
};

struct chain *chain_alloc(const struct chain_options *opt)
{
    struct chain *c = xcalloc(1, sizeof *c);
    c->opt = *opt;
    return c;
}

void chain_free(struct chain *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n_roots; i++) {
        free(c->roots[i].path);
        manifests_free(c->roots[i].manifests);
    }
    free(c->roots);
    free(c->root_of);
    free(c->tag);
    free(c->collected);
    free(c);
}

/* ---- roots ------------------------------------------------------------------------ */

/* Where the last path segment starts: after the last '/' or the '!' that
 * separates an archive from its entries. */
static size_t chain_base(const char *path)
{
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] != '/' && path[n - 1] != '!')
        n--;
    return n;
}

static size_t chain_root_for(struct chain *c, const char *path, size_t len)
{
    for (size_t i = 0; i < c->n_roots; i++)
        if (strlen(c->roots[i].path) == len && strncmp(c->roots[i].path, path, len) == 0)
            return i;
    xgrow(&c->roots, &c->cap_roots, c->n_roots + 1, sizeof *c->roots);
    struct chain_root *r = &c->roots[c->n_roots];
    memset(r, 0, sizeof *r);
    r->path = xmemdup0(path, len);
    r->manifests = manifests_alloc();
    return c->n_roots++;
}

/* The folder (or archive) that holds path: "" when it has none. */
static size_t chain_dir_len(const char *path)
{
    size_t base = chain_base(path);
    return base > 0 ? base - 1 : 0;
}

/* path relative to root (a prefix followed by '/' or '!'), or NULL. */
static const char *chain_relative(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (n == 0)
        return strncmp(path, "./", 2) == 0 ? path + 2 : path;
    if (strncmp(path, root, n) != 0 || (path[n] != '/' && path[n] != '!'))
        return NULL;
    return path + n + 1;
}

/* Each file belongs to the deepest root above it. */
static size_t chain_root_of(const struct chain *c, const char *path)
{
    size_t best = CHAIN_NONE, best_len = 0;
    for (size_t i = 0; i < c->n_roots; i++) {
        size_t n = strlen(c->roots[i].path);
        if (chain_relative(c->roots[i].path, path) && (best == CHAIN_NONE || n > best_len)) {
            best = i;
            best_len = n;
        }
    }
    return best;
}

static int chain_names_root(const char *path)
{
    const char *base = path + chain_base(path);
    return strcmp(base, "bagit.txt") == 0 || strcmp(base, "SHA256SUMS") == 0;
}

/* ---- reading the tag files --------------------------------------------------------- */

struct chain_text {
    struct xbuf text;
    int too_long;
};

static int chain_collect_text(void *ctx, const unsigned char *raw, size_t len)
{
    struct chain_text *t = ctx;
    if (t->text.len + len > MANIFESTS_TAG_FILE_MAX) {
        t->too_long = 1;
        return -1;
    }
    xbuf_addn(&t->text, (const char *)raw, len);
    return 0;
}

/* Reads file f whole; returns its bytes (caller frees), or NULL with the
 * reason said through d. */
static char *chain_read(struct evidence_file *f, size_t *len, struct diag *d)
{
    struct chain_text t = { { 0 }, 0 };
    struct diag_fault fault = { 0 };
    if (evidence_read(f, 0, chain_collect_text, &t, &fault) != 0 || t.too_long) {
        if (t.too_long)
            diag_fault_set(&fault, D_READ_FAILED, "manifest larger than 64 MiB", NULL, 0, 0);
        diag_emit_fault(d, f->path, &fault);
        diag_fault_clear(&fault);
        free(t.text.s);
        return NULL;
    }
    *len = t.text.len;
    return xbuf_finish(&t.text);
}

static void chain_parse_tag(struct chain *c, struct evidence_file *f, size_t root, struct diag *d)
{
    const char *rel = chain_relative(c->roots[root].path, f->path);
    size_t len;
    char *text = chain_read(f, &len, d);
    f->status = EVIDENCE_SKIPPED;
    diag_fault_clear(&f->fault);
    diag_fault_set(&f->fault, D_TAG_FILE, NULL, NULL, 0, 0);
    if (text)
        manifests_parse(c->roots[root].manifests, rel, f->path, text, len);
    free(text);
}

/* --manifest FILE: a sha256sum file whose paths are relative to its folder. */
static void chain_parse_named(struct chain *c, struct diag *d)
{
    const char *path = c->opt.manifest_path;
    size_t root = chain_root_for(c, path, chain_dir_len(path));
    struct evidence_file f = { .path = (char *)path, .encoding = "", .shape = "" };
    f.is_stdin = strcmp(path, "-") == 0;
    size_t len;
    char *text = chain_read(&f, &len, d);
    if (text)
        manifests_parse_sha256sums(c->roots[root].manifests, path, text, len);
    free(text);
    diag_fault_clear(&f.fault);
}

void chain_prepare(struct chain *c, struct evidence_list *files, struct diag *d)
{
    for (size_t i = 0; i < files->count; i++)
        if (chain_names_root(files->files[i].path))
            chain_root_for(c, files->files[i].path, chain_dir_len(files->files[i].path));
    if (c->opt.manifest_path)
        chain_parse_named(c, d);
    c->n_files = files->count;
    c->root_of = xcalloc(c->n_files + 1, sizeof *c->root_of);
    c->tag = xcalloc(c->n_files + 1, 1);
    for (size_t i = 0; i < files->count; i++) {
        struct evidence_file *f = &files->files[i];
        c->root_of[i] = f->is_stdin ? CHAIN_NONE : chain_root_of(c, f->path);
        if (c->root_of[i] == CHAIN_NONE)
            continue;
        const char *rel = chain_relative(c->roots[c->root_of[i]].path, f->path);
        c->tag[i] = manifests_is_tag_file(rel) && f->status != EVIDENCE_ERROR;
        if (c->tag[i])
            chain_parse_tag(c, f, c->root_of[i], d);
    }
    for (size_t i = 0; i < files->count; i++)
        if (c->root_of[i] != CHAIN_NONE && !c->tag[i])
            files->files[i].want_sha512 = manifests_needs_sha512(c->roots[c->root_of[i]].manifests);
}

/* ---- after reading: verification ------------------------------------------------------- */

struct chain_missing {
    struct chain *c;
    size_t root;
    struct evidence_list *files;
    struct verdict_table *t;
    struct diag *d;
};

/* A file the manifest lists that is not in the bundle: a row of its own
 * (never opened: the path is the manifest's), and an ERROR for the
 * subscription its path names, or for no subscription. */
static void chain_one_missing(void *ctx, const struct manifests_file *m)
{
    struct chain_missing *cm = ctx;
    if (m->tag)
        return;
    const char *root = cm->c->roots[cm->root].path;
    struct xbuf path = { 0 };
    xbuf_add(&path, root);
    if (root[0])
        xbuf_add(&path, "/");
    xbuf_add(&path, m->path);
    char *shown = xbuf_finish(&path);
    char where[64];
    snprintf(where, sizeof where, ":%lu", m->line);
    struct xbuf in = { 0 };
    xbuf_add(&in, m->listed_in ? m->listed_in : "the manifest");
    xbuf_add(&in, where);
    char *listed = xbuf_finish(&in);
    size_t index = cm->files->count;
    struct evidence_file *f = evidence_list_add(cm->files, shown);
    f->status = EVIDENCE_ERROR;
    diag_fault_set(&f->fault, D_MISSING_FROM_BUNDLE, listed, NULL, 0, 0);
    diag_emit_fault(cm->d, shown, &f->fault);
    char *message = diag_fault_text(&f->fault);
    verdicts_add_problem(cm->t, index, f->has_path_subscription ? f->path_subscription : NULL,
                         PROBLEM_MISSING, 0, 0, NULL, message);
    free(message);
    free(listed);
    free(shown);
}

/* Says the manifest's own problems (a bad line, a wrong Payload-Oxum). */
static void chain_say_messages(const struct chain_root *r, struct diag *d)
{
    size_t n;
    const struct manifests_message *m = manifests_get_messages(r->manifests, &n);
    for (size_t i = 0; i < n; i++)
        diag_emit(d, m[i].file, m[i].line, 0, D_MANIFEST_PROBLEM, m[i].text, NULL);
}

static void chain_check_root(struct chain *c, size_t root, struct evidence_list *files)
{
    struct manifests *m = c->roots[root].manifests;
    for (size_t i = 0; i < c->n_files; i++) {
        const struct evidence_file *f = &files->files[i];
        if (c->root_of[i] != root || c->tag[i] || !f->hashed)
            continue;
        manifests_check(m, chain_relative(c->roots[root].path, f->path), f->size, f->sha256,
                        f->want_sha512 ? f->sha512 : NULL);
    }
    manifests_finish(m);
    manifests_summarize(m, &c->roots[root].summary);
}

struct chain_listing {
    const char *path;
    char *where; /* owned: "manifest:line" of the listing */
};

static void chain_find_listing(void *ctx, const struct manifests_file *m)
{
    struct chain_listing *l = ctx;
    if (l->where || strcmp(m->path, l->path) != 0)
        return;
    char line[32];
    snprintf(line, sizeof line, ":%lu", m->line);
    struct xbuf b = { 0 };
    xbuf_add(&b, m->listed_in ? m->listed_in : "the manifest");
    xbuf_add(&b, line);
    l->where = xbuf_finish(&b);
}

/* What a file's manifest status means for it: altered (withdrawn, an
 * error), not listed (it cannot pass: a warning), or nothing. */
static void chain_judge_file(struct chain *c, size_t i, struct evidence_file *f,
                             struct verdicts_withdrawal *why, unsigned char *unlisted,
                             struct diag *d)
{
    const struct chain_root *r = &c->roots[c->root_of[i]];
    enum manifests_status st = manifests_get_status(r->manifests, chain_relative(r->path, f->path));
    if (st == MANIFESTS_ALTERED) {
        struct chain_listing l = { chain_relative(r->path, f->path), NULL };
        manifests_each(r->manifests, 1u << MANIFESTS_ALTERED, chain_find_listing, &l);
        struct diag_fault fault = { 0 };
        diag_fault_set(&fault, D_ALTERED, l.where ? l.where : r->path, NULL, 0, 0);
        free(l.where);
        diag_emit_fault(d, f->path, &fault);
        why[i].kind = PROBLEM_ALTERED;
        why[i].message = diag_fault_text(&fault);
        evidence_file_fail(f, &fault);
    } else if (st == MANIFESTS_UNLISTED || st == MANIFESTS_NEEDS_SHA512) {
        unlisted[i] = 1;
        diag_emit(d, f->path, 0, 0, D_UNLISTED, r->path[0] ? r->path : ".", NULL);
    }
}

/* ---- after reading: dates -------------------------------------------------------------- */

static struct chain_collected chain_root_collected(const struct manifests_collected *m)
{
    struct chain_collected out = { 0 };
    if (m->known) {
        out.known = 1;
        out.time = m->time;
        out.has_time = m->has_time;
        out.source = m->label;
    }
    return out;
}

/* Each file's date: its bag's statement, else --collected-at, else unknown. */
static void chain_dates(struct chain *c, const struct evidence_list *files)
{
    c->collected = xcalloc(files->count + 1, sizeof *c->collected);
    c->n_collected = files->count;
    for (size_t i = 0; i < files->count; i++) {
        struct chain_collected *when = &c->collected[i];
        if (i < c->n_files && c->root_of[i] != CHAIN_NONE &&
            c->roots[c->root_of[i]].collected.known)
            *when = c->roots[c->root_of[i]].collected;
        else if (c->opt.has_collected_at)
            *when = (struct chain_collected){ 1, c->opt.collected_at, 1, "--collected-at" };
        if (when->known && (!c->bundle.known || when->time > c->bundle.time))
            c->bundle = *when;
    }
}

static void chain_day(time_t t, char out[16])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* With --max-age: evidence read from a file collected too long before the
 * audit's date, or at an unknown date, does not count. */
static void chain_freshness(struct chain *c, struct evidence_list *files,
                            struct verdicts_withdrawal *why, struct diag *d)
{
    if (c->opt.max_age_days < 0)
        return;
    char as_of[16], detail[160];
    chain_day(c->opt.as_of, as_of);
    for (size_t i = 0; i < files->count; i++) {
        struct evidence_file *f = &files->files[i];
        const struct chain_collected *when = &c->collected[i];
        if (f->status != EVIDENCE_READ || why[i].message)
            continue;
        enum diag_id id;
        if (!when->known) {
            id = D_UNDATED;
            snprintf(detail, sizeof detail,
                     "--max-age %ld needs a bag's bag-info.txt or --collected-at",
                     c->opt.max_age_days);
        } else if (c->opt.as_of - when->time > (time_t)c->opt.max_age_days * 86400) {
            char day[16];
            chain_day(when->time, day);
            id = D_STALE;
            snprintf(detail, sizeof detail, "collected %s, more than %ld days before %s", day,
                     c->opt.max_age_days, as_of);
        } else {
            continue;
        }
        diag_emit(d, f->path, 0, 0, id, detail, NULL);
        why[i].kind = id == D_STALE ? PROBLEM_STALE : PROBLEM_UNDATED;
        why[i].message = diag_format(id, detail, NULL);
    }
}

void chain_settle(struct chain *c, struct evidence_list *files, struct verdict_table *t,
                  struct diag *d)
{
    size_t n = files->count;
    struct verdicts_withdrawal *why = xcalloc(n + 1, sizeof *why);
    unsigned char *unlisted = xcalloc(n + 1, 1);
    for (size_t r = 0; r < c->n_roots; r++) {
        chain_check_root(c, r, files);
        c->roots[r].collected =
            chain_root_collected(manifests_get_collected(c->roots[r].manifests));
        chain_say_messages(&c->roots[r], d);
    }
    for (size_t i = 0; i < c->n_files; i++)
        if (c->root_of[i] != CHAIN_NONE && !c->tag[i] && files->files[i].hashed)
            chain_judge_file(c, i, &files->files[i], why, unlisted, d);
    for (size_t r = 0; r < c->n_roots; r++) {
        struct chain_missing cm = { c, r, files, t, d };
        manifests_each(c->roots[r].manifests, 1u << MANIFESTS_MISSING, chain_one_missing, &cm);
    }
    chain_dates(c, files);
    chain_freshness(c, files, why, d);
    time_t *times = xcalloc(files->count + 1, sizeof *times);
    for (size_t i = 0; i < files->count; i++)
        times[i] = c->collected[i].known ? c->collected[i].time : 0;
    verdicts_supersede(t, times, files->count);
    verdicts_withdraw_files(t, why, n);
    verdicts_mark_unlisted(t, unlisted, n);
    for (size_t i = 0; i < n; i++)
        free((char *)why[i].message);
    free(times);
    free(why);
    free(unlisted);
}

/* ---- for the writers ------------------------------------------------------------------- */

size_t chain_root_count(const struct chain *c)
{
    return c->n_roots;
}

const struct chain_root *chain_root_at(const struct chain *c, size_t i)
{
    return &c->roots[i];
}

const struct chain_collected *chain_file_collected(const struct chain *c, size_t file)
{
    static const struct chain_collected unknown = { 0 };
    return c->collected && file < c->n_collected ? &c->collected[file] : &unknown;
}

const struct chain_collected *chain_bundle_collected(const struct chain *c)
{
    return c->bundle.known ? &c->bundle : NULL;
}

const struct chain_options *chain_options_of(const struct chain *c)
{
    return &c->opt;
}

const char *chain_statement(const struct chain *c, const char *label)
{
    for (size_t i = 0; c && i < c->n_roots; i++) {
        size_t n;
        const struct manifests_field *f = manifests_get_fields(c->roots[i].manifests, &n);
        for (size_t k = 0; k < n; k++)
            if (strcasecmp(f[k].label, label) == 0)
                return f[k].value;
    }
    return NULL;
}
