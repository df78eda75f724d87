/* SPDX-License-Identifier: ISC */
/* Unpack: an archive's entries as rows of the evidence list (see unpack.h). */
#include "config.h"

#include "unpack.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifests.h"
#include "xalloc.h"

/* Enough of an entry's start to tell JSON from other text. */
#define UNPACK_HEAD 4096

/* The listing of one archive. */
struct unpack_listing {
    struct evidence_list *list;
    size_t archive; /* its row */
    char *path;     /* owned copy: rows move as the list grows */
    /* the entry being read */
    unsigned char head[UNPACK_HEAD];
    size_t n_head;
    int holding; /* a manifest: keep its bytes */
    int too_long;
    struct xbuf held;
};

char *unpack_entry_path(const char *archive, const char *name)
{
    while (name[0] == '.' && name[1] == '/')
        for (name += 2; *name == '/'; name++)
            ;
    struct xbuf b = { 0 };
    xbuf_add(&b, archive);
    xbuf_add(&b, "!");
    xbuf_add(&b, name);
    return xbuf_finish(&b);
}

/* The next row: the entry's, at the index the archive gives it. */
static struct evidence_file *unpack_row(struct unpack_listing *l, const struct archives_entry *e)
{
    char *path = unpack_entry_path(l->path, e->name ? e->name : e->display);
    struct evidence_file *f = evidence_list_add(l->list, path);
    free(path);
    f->archive = l->archive + 1;
    f->entry = e->index;
    return f;
}

/* The row of the archive's entry number index (listed already). */
static struct evidence_file *unpack_entry_row(struct unpack_listing *l, size_t index)
{
    size_t i = l->list->count;
    while (i > l->archive + 1 && l->list->files[i - 1].entry > index)
        i--;
    return &l->list->files[i - 1];
}

static const char *unpack_base(const char *path)
{
    const char *slash = strrchr(path, '/'), *bang = strrchr(path, '!');
    const char *cut = slash > bang ? slash : bang;
    return cut ? cut + 1 : path;
}

static enum archives_choice unpack_begin(void *arg, const struct archives_entry *e, void **ctx)
{
    struct unpack_listing *l = arg;
    struct evidence_file *f = unpack_row(l, e);
    *ctx = NULL;
    l->n_head = 0;
    l->too_long = 0;
    l->held.len = 0;
    l->holding = manifests_is_tag_file(unpack_base(f->path));
    return ARCHIVES_FEED;
}

static int unpack_data(void *arg, void *ctx, const unsigned char *bytes, size_t len)
{
    struct unpack_listing *l = arg;
    (void)ctx;
    if (l->n_head < UNPACK_HEAD) {
        size_t n = UNPACK_HEAD - l->n_head < len ? UNPACK_HEAD - l->n_head : len;
        memcpy(l->head + l->n_head, bytes, n);
        l->n_head += n;
    }
    if (l->holding && !l->too_long) {
        if (l->held.len + len > MANIFESTS_TAG_FILE_MAX)
            l->too_long = 1;
        else
            xbuf_addn(&l->held, (const char *)bytes, len);
    }
    return l->holding || l->n_head < UNPACK_HEAD ? 0 : -1;
}

static void unpack_end(void *arg, void *ctx, const struct archives_entry *e,
                       const struct archives_outcome *out)
{
    struct unpack_listing *l = arg;
    struct evidence_file *f = &l->list->files[l->list->count - 1];
    (void)ctx;
    (void)e;
    f->size = out->bytes;
    if (out->error) {
        diag_fault_set(&f->fault, D_ARCHIVE_BROKEN, out->error, NULL, 0, 0);
        f->status = EVIDENCE_ERROR;
        return;
    }
    memcpy(f->sha256, out->sha256, sizeof f->sha256);
    f->hashed = 1;
    if (l->holding && !l->too_long) {
        f->held_len = l->held.len;
        f->held = xmalloc(l->held.len + 1);
        if (l->held.len)
            memcpy(f->held, l->held.s, l->held.len);
    }
    if (!evidence_name_is_json(f->path) && !evidence_content_is_json(l->head, l->n_head)) {
        diag_fault_set(&f->fault, D_NOT_EVIDENCE, NULL, NULL, 0, 0);
        f->status = EVIDENCE_SKIPPED;
    }
}

static void unpack_refused(void *arg, const struct archives_entry *e, enum archives_refusal reason,
                           const char *message)
{
    struct unpack_listing *l = arg;
    /* A folder is no file, as in a folder walk: no row. */
    if (reason == ARCHIVES_REFUSED_DIRECTORY)
        return;
    struct evidence_file *f = unpack_row(l, e);
    struct diag_fault fault = { 0 };
    diag_fault_set(&fault, D_ARCHIVE_REFUSED, message, NULL, 0, 0);
    evidence_file_fail(f, &fault);
    if (reason == ARCHIVES_REFUSED_DUPLICATE) {
        /* the earlier one cannot be trusted either */
        struct evidence_file *first = unpack_entry_row(l, e->earlier);
        struct diag_fault dup = { 0 };
        char what[24];
        snprintf(what, sizeof what, "%zu", e->index + 1);
        diag_fault_set(&dup, D_ARCHIVE_DUPLICATE, what, NULL, 0, 0);
        free(first->held);
        first->held = NULL;
        evidence_file_fail(first, &dup);
    }
}

static int unpack_take_all(void *ctx, const unsigned char *raw, size_t len)
{
    (void)ctx;
    (void)raw;
    (void)len;
    return 0;
}

/* What stopped a listing, and which option raises a cap it met. */
static void unpack_stopped(struct evidence_file *f, const struct archives_summary *sum)
{
    struct xbuf b = { 0 };
    xbuf_add(&b, sum->message ? sum->message : "the archive cannot be read");
    if (sum->status == ARCHIVES_CAPPED)
        xbuf_add(&b, " (--max-archive-entries and --max-archive-bytes raise the caps)");
    char *text = xbuf_finish(&b);
    struct diag_fault fault = { 0 };
    diag_fault_set(&fault, D_ARCHIVE_BROKEN, text, NULL, 0, 0);
    free(text);
    evidence_file_fail(f, &fault);
}

void unpack_list(struct evidence_list *list, const char *path, enum archives_kind kind, int named)
{
    struct evidence_file *f = evidence_list_add(list, path);
    f->archive_kind = kind;
    f->named = named;
    f->encoding = archives_kind_name(kind);
    struct unpack_listing l = { .list = list, .archive = list->count - 1 };
    struct diag_fault fault = { 0 };
    if (evidence_read(f, 0, unpack_take_all, NULL, &fault) != 0) {
        evidence_file_fail(f, &fault);
        return;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_fault_set(&fault, D_CANNOT_OPEN, strerror(errno), NULL, 0, 0);
        evidence_file_fail(f, &fault);
        return;
    }
    l.path = xstrdup(path);
    const struct archives_visitor visitor = { &l, unpack_begin, unpack_data, unpack_end,
                                              unpack_refused };
    struct archives_summary sum = { 0 };
    enum archives_status status = archives_read_fd(fd, &list->caps, &visitor, &sum);
    close(fd);
    f = &list->files[l.archive];
    f->entries = list->count - l.archive - 1;
    if (status != ARCHIVES_OK)
        unpack_stopped(f, &sum);
    archives_summary_free(&sum);
    free(l.held.s);
    free(l.path);
}
