/* SPDX-License-Identifier: ISC */
/* Ingest: evidence into the verdict table (see ingest.h). */
#include "config.h"

#include "ingest.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contacts.h"
#include "jstream.h"
#include "unpack.h"
#include "xalloc.h"

struct ingest {
    struct evidence_list *files;
    struct verdict_table *table;
    struct diag *diag;
    size_t attempted; /* files whose reading began */
};

struct ingest_stream {
    struct ingest *ing;
    size_t index;
    struct evidence_file *file;
    struct ingest_reader *reader;
};

struct ingest *ingest_alloc(struct evidence_list *files, struct verdict_table *table,
                            struct diag *d)
{
    struct ingest *ing = xcalloc(1, sizeof *ing);
    ing->files = files;
    ing->table = table;
    ing->diag = d;
    return ing;
}

void ingest_free(struct ingest *ing)
{
    free(ing);
}

/* ---- what the contact-record stage finds ------------------------------------------ */

static void ingest_record(void *ctx, const struct contact_record *r)
{
    struct ingest_stream *s = ctx;
    verdicts_add_record(s->ing->table, s->index, r);
}

static void ingest_no_contacts(void *ctx, const struct evidence_file *file, const guid_text sub,
                               const struct jstream_pos *pos)
{
    struct ingest_stream *s = ctx;
    (void)file;
    verdicts_add_empty_list(s->ing->table, s->index, sub, pos);
}

static void ingest_error_body(void *ctx, const struct evidence_file *file, const char *sub,
                              const char *code, const char *message, const struct jstream_pos *pos)
{
    struct ingest_stream *s = ctx;
    diag_emit(s->ing->diag, file->path, pos->line, pos->col, D_API_ERROR, code, message);
    if (s->file->api_error == NULL) /* for the file's row in the manifest */
        s->file->api_error = diag_format_capped(D_API_ERROR, code, message, DIAG_MESSAGE_KEEP);
    verdicts_add_problem(s->ing->table, s->index, sub, PROBLEM_API_ERROR, pos->line, pos->col, code,
                         message);
}

static void ingest_inventory(void *ctx, const struct evidence_file *file, const guid_text sub,
                             const char *display_name, const char *state,
                             const struct jstream_pos *pos)
{
    struct ingest_stream *s = ctx;
    (void)file;
    (void)pos;
    verdicts_add_inventory(s->ing->table, sub, display_name, state);
}

static void ingest_diagnose(void *ctx, const struct evidence_file *file, enum diag_id id,
                            const struct jstream_pos *pos, const char *a1, const char *a2)
{
    struct ingest_stream *s = ctx;
    diag_emit(s->ing->diag, file->path, pos ? pos->line : 0, pos ? pos->col : 0, id, a1, a2);
}

static const struct contact_sink ingest_sink = { ingest_record, ingest_no_contacts,
                                                 ingest_error_body, ingest_inventory,
                                                 ingest_diagnose };

/* ---- the one failure path ------------------------------------------------------------ */

/* The file at index is unreadable for fault: it is said once, its records
 * stop counting, and each subscription it names (by its records, its path,
 * or pending: the object being read when it broke) gets an ERROR in the
 * same words. pending may be NULL. Records come only from a file read
 * through a stream (streamed); one that failed before it was read has none
 * to withdraw. */
static void ingest_failed(struct ingest *ing, size_t index, int streamed, const char *pending,
                          const struct diag_fault *fault)
{
    struct evidence_file *f = &ing->files->files[index];
    diag_emit_fault(ing->diag, f->path, fault);
    char *message = diag_fault_text(fault);
    if (streamed)
        verdicts_file_failed(ing->table, index, fault->line, fault->col, message);
    if (f->has_path_subscription)
        verdicts_add_problem(ing->table, index, f->path_subscription, PROBLEM_UNREADABLE,
                             fault->line, fault->col, NULL, message);
    if (pending && !(f->has_path_subscription && strcmp(pending, f->path_subscription) == 0))
        verdicts_add_problem(ing->table, index, pending, PROBLEM_UNREADABLE, fault->line,
                             fault->col, NULL, message);
    /* A file that names no subscription at all is an ERROR of its own
     * (unknown-subscription(FILE)): every output counts it like the
     * subscriptions, so that the run is incomplete in each of them. */
    if (!f->has_path_subscription && !pending && f->records == 0 && f->error_bodies == 0 &&
        f->inventory_entries == 0)
        verdicts_add_problem(ing->table, index, NULL, PROBLEM_UNREADABLE, fault->line, fault->col,
                             NULL, message);
    free(message);
    struct diag_fault copy = { 0 };
    diag_fault_set(&copy, fault->id, fault->arg[0], fault->arg[1], fault->line, fault->col);
    evidence_file_fail(f, &copy);
}

/* A file read to its end. One named for subscription B whose evidence names
 * one other subscription A only (a collection loop that forgot
 * --subscription) leaves B undecided: an ERROR for B. A file that names
 * several others is a dump of many (its path GUID may be a tenant's). */
static void ingest_read(struct ingest *ing, size_t index, const struct contacts_summary *sum)
{
    struct evidence_file *f = &ing->files->files[index];
    f->status = EVIDENCE_READ;
    verdicts_file_paged(ing->table, index, sum->more_pages);
    if (f->has_path_subscription && !sum->names_path_subscription &&
        sum->other_subscriptions == 1) {
        diag_emit(ing->diag, f->path, 0, 0, D_FILE_FOR_OTHER, f->path_subscription,
                  sum->other_subscription);
        char *message =
            diag_format(D_FILE_FOR_OTHER, f->path_subscription, sum->other_subscription);
        verdicts_add_problem(ing->table, index, f->path_subscription, PROBLEM_MISFILED, 0, 0, NULL,
                             message);
        free(message);
    }
}

/* ---- one stream, any sink ------------------------------------------------------------ */

struct ingest_reader {
    struct evidence_file *file;
    struct contacts *contacts;
    struct jstream *js;
    struct evidence_decoder *decoder;
};

static int ingest_feed(void *ctx, const char *utf8, size_t len)
{
    struct ingest_reader *r = ctx;
    return jstream_feed(r->js, utf8, len);
}

struct ingest_reader *ingest_reader_open(struct evidence_file *file,
                                         const struct contact_sink *sink, void *ctx,
                                         unsigned max_depth, size_t max_token)
{
    struct ingest_reader *r = xcalloc(1, sizeof *r);
    r->file = file;
    r->contacts = contacts_alloc(file, sink, ctx);
    r->js = jstream_alloc(&contacts_jstream_handler, r->contacts, max_depth, max_token);
    r->decoder = evidence_decoder_alloc(file, ingest_feed, r);
    return r;
}

int ingest_reader_push(struct ingest_reader *r, const unsigned char *raw, size_t len)
{
    return evidence_decoder_push(r->decoder, raw, len);
}

/* A decoder's fault is placed where the JSON stream stands. */
static int ingest_decoder_fault(struct ingest_reader *r, struct diag_fault *out)
{
    const struct diag_fault *dec = evidence_decoder_fault(r->decoder);
    struct jstream_pos here = jstream_position(r->js);
    return diag_fault_set(out, dec->id, dec->arg[0], dec->arg[1], here.line, here.col);
}

static int ingest_stream_fault(struct ingest_reader *r, struct diag_fault *out)
{
    const struct diag_fault *js = jstream_fault(r->js);
    return diag_fault_set(out, js->id, js->arg[0], js->arg[1], js->line, js->col);
}

/* Why the stream failed, if it did: the first of the reader's, the
 * decoder's, the JSON stream's and the contact stage's faults. */
static int ingest_outcome(struct ingest_reader *r, const struct diag_fault *io,
                          struct diag_fault *out)
{
    if (io && diag_faulted(io))
        return diag_fault_set(out, io->id, io->arg[0], io->arg[1], 0, 0);
    /* The decoder's end may still pass text on (a short last notice line). */
    if (!diag_faulted(jstream_fault(r->js)))
        (void)evidence_decoder_finish(r->decoder);
    if (diag_faulted(evidence_decoder_fault(r->decoder)))
        return ingest_decoder_fault(r, out);
    if (diag_faulted(jstream_fault(r->js)))
        return ingest_stream_fault(r, out);
    if (!jstream_saw_content(r->js))
        return diag_fault_set(out, D_NO_EVIDENCE_IN_FILE, NULL, NULL, 0, 0);
    if (jstream_finish(r->js) != 0)
        return ingest_stream_fault(r, out);
    return contacts_finish(r->contacts, out);
}

/* What a broken file is, said before (or instead of) the parser's words:
 * an archive, a page, az's error text, a file cut short. */
static void ingest_describe(struct ingest_reader *r, struct diag_fault *fault)
{
    struct diag_fault better = { 0 };
    if (evidence_describe(evidence_decoder_head(r->decoder), fault, jstream_failed_at_end(r->js),
                          &better)) {
        diag_fault_clear(fault);
        diag_fault_move(fault, &better);
    }
}

int ingest_reader_close(struct ingest_reader *r, const struct diag_fault *io,
                        struct diag_fault *fault, struct ingest_result *out)
{
    struct evidence_file *f = r->file;
    int failed = ingest_outcome(r, io, fault) != 0;
    if (failed && !(io && diag_faulted(io)))
        ingest_describe(r, fault);
    const struct contacts_summary *sum = &out->summary;
    contacts_summarise(r->contacts, &out->summary);
    f->shape = sum->shape;
    f->api_versions = sum->api_versions;
    f->records = sum->records;
    f->error_bodies = sum->error_bodies;
    f->inventory_entries = sum->inventory_entries;
    f->ignored_objects = sum->ignored_objects;
    f->more_pages = sum->more_pages;
    f->documents = jstream_documents(r->js);
    out->has_pending = failed && contacts_pending_subscription(r->contacts, out->pending);
    evidence_decoder_free(r->decoder);
    jstream_free(r->js);
    contacts_free(r->contacts);
    free(r);
    return failed ? -1 : 0;
}

/* ---- one stream into the table ---------------------------------------------------------- */

struct ingest_stream *ingest_begin(struct ingest *ing, size_t index)
{
    struct ingest_stream *s = xcalloc(1, sizeof *s);
    s->ing = ing;
    s->index = index;
    s->file = &ing->files->files[index];
    s->reader = ingest_reader_open(s->file, &ingest_sink, s, 0, 0);
    verdicts_file_begin(ing->table, index);
    ing->attempted++;
    return s;
}

int ingest_push(struct ingest_stream *s, const unsigned char *raw, size_t len)
{
    return ingest_reader_push(s->reader, raw, len);
}

void ingest_end(struct ingest_stream *s, const struct diag_fault *io)
{
    struct evidence_file *f = s->file;
    struct diag_fault fault = { 0 };
    struct ingest_result res;
    int failed = ingest_reader_close(s->reader, io, &fault, &res) != 0;
    if (f->notice_lines) {
        char n[24];
        snprintf(n, sizeof n, "%lu", f->notice_lines);
        diag_emit(s->ing->diag, f->path, 0, 0, D_NOTICE_LINES, n, NULL);
    }
    if (failed)
        ingest_failed(s->ing, s->index, 1, res.has_pending ? res.pending : NULL, &fault);
    else
        ingest_read(s->ing, s->index, &res.summary);
    diag_fault_clear(&fault);
    free(s);
}

/* ---- files and memory ----------------------------------------------------------------- */

static int ingest_take_none(void *ctx, const unsigned char *raw, size_t len)
{
    (void)ctx;
    (void)raw;
    (void)len;
    return -1;
}

/* A file listed and not read is said. One that is not evidence is hashed
 * all the same (every input is in the reports with its digest), and when
 * its path names a subscription, that subscription cannot be decided:
 * the file may be its evidence in a form this tool does not read. */
static void ingest_skipped(struct ingest *ing, size_t index, size_t read_size)
{
    struct evidence_file *f = &ing->files->files[index];
    diag_emit_fault(ing->diag, f->path, &f->fault);
    if (f->fault.id != D_NOT_EVIDENCE)
        return;
    struct diag_fault io = { 0 };
    if (!f->archive) /* an entry was hashed when its archive was listed */
        evidence_read(f, read_size, ingest_take_none, NULL, &io);
    diag_fault_clear(&io);
    if (f->has_path_subscription) {
        char *message = diag_fault_text(&f->fault);
        verdicts_add_problem(ing->table, index, f->path_subscription, PROBLEM_UNREADABLE, 0, 0,
                             NULL, message);
        free(message);
    }
}

static int ingest_push_raw(void *ctx, const unsigned char *raw, size_t len)
{
    return ingest_push(ctx, raw, len);
}

/* A row whose fate was decided when it was collected is said, and ERRORs
 * what it names; returns 0 for a row still to be read. */
static int ingest_collected(struct ingest *ing, size_t index, size_t read_size)
{
    struct evidence_file *f = &ing->files->files[index];
    if (f->status == EVIDENCE_ERROR)
        ingest_failed(ing, index, 0, NULL, &f->fault);
    else if (f->status == EVIDENCE_SKIPPED)
        ingest_skipped(ing, index, read_size);
    return f->status == EVIDENCE_ERROR || f->status == EVIDENCE_SKIPPED;
}

/* ---- archives: the second reading ----------------------------------------------------- */

/* Reading an archive again, its entries into the rows its listing made
 * (unpack.c). An entry that is not the one listed (the archive changed in
 * between) is an ERROR; so is one the second reading never reaches. */
struct ingest_archive {
    struct ingest *ing;
    size_t row;    /* the archive's */
    char *path;    /* owned copy: rows may move */
    size_t cursor; /* the next entry's row */
    int changed;   /* an entry differs from its listing */
    /* the entry being read */
    struct ingest_stream *stream; /* NULL: only hashed (SHA-512 for a manifest) */
    int feeding;
    struct evidence_digests sha;
};

static void ingest_archive_fail(struct ingest *ing, size_t index, enum diag_id id, const char *why)
{
    struct diag_fault fault = { 0 };
    diag_fault_set(&fault, id, why, NULL, 0, 0);
    ingest_failed(ing, index, 0, NULL, &fault);
    diag_fault_clear(&fault);
}

/* The row of entry e, or SIZE_MAX when the listing had another there.
 * Rows follow the entries' order (folders have none). */
static size_t ingest_archive_row(struct ingest_archive *a, const struct archives_entry *e)
{
    const struct evidence_file *arch = &a->ing->files->files[a->row];
    size_t index = a->cursor;
    if (index > a->row + arch->entries || a->ing->files->files[index].entry != e->index) {
        a->changed = 1;
        return SIZE_MAX;
    }
    char *path = unpack_entry_path(a->path, e->name ? e->name : e->display);
    int same = strcmp(path, a->ing->files->files[index].path) == 0;
    free(path);
    if (!same) {
        a->changed = 1;
        return SIZE_MAX;
    }
    a->cursor++;
    return index;
}

static enum archives_choice ingest_entry_begin(void *arg, const struct archives_entry *e,
                                               void **ctx)
{
    struct ingest_archive *a = arg;
    size_t index = ingest_archive_row(a, e);
    *ctx = NULL;
    if (index == SIZE_MAX)
        return ARCHIVES_SKIP;
    struct evidence_file *f = &a->ing->files->files[index];
    a->stream = NULL;
    if (ingest_collected(a->ing, index, 0) && !f->want_sha512)
        return ARCHIVES_SKIP;
    if (f->status == EVIDENCE_PENDING)
        a->stream = ingest_begin(a->ing, index);
    a->feeding = a->stream != NULL;
    evidence_digests_init(&a->sha, f->want_sha512);
    *ctx = f;
    return ARCHIVES_FEED;
}

static int ingest_entry_data(void *arg, void *ctx, const unsigned char *bytes, size_t len)
{
    struct ingest_archive *a = arg;
    const struct evidence_file *f = ctx;
    evidence_digests_update(&a->sha, bytes, len);
    if (a->feeding && ingest_push(a->stream, bytes, len) != 0)
        a->feeding = 0;
    /* the SHA-512 a manifest asks for needs every byte */
    return a->feeding || f->want_sha512 ? 0 : -1;
}

static void ingest_entry_end(void *arg, void *ctx, const struct archives_entry *e,
                             const struct archives_outcome *out)
{
    struct ingest_archive *a = arg;
    struct evidence_file *f = ctx;
    (void)e;
    if (f == NULL) /* not fed: said, or not the entry listed */
        return;
    size_t index = (size_t)(f - a->ing->files->files);
    char sha256[65], sha512[129];
    evidence_digests_finish(&a->sha, sha256, sha512);
    if (a->stream == NULL && f->status == EVIDENCE_ERROR)
        return; /* said already */
    struct diag_fault io = { 0 };
    if (out->error)
        diag_fault_set(&io, D_ARCHIVE_BROKEN, out->error, NULL, 0, 0);
    else if (strcmp(out->sha256, f->sha256) != 0)
        diag_fault_set(&io, D_ARCHIVE_CHANGED, "this entry's digest differs from its listing's",
                       NULL, 0, 0);
    else if (f->want_sha512 && f->hashed)
        memcpy(f->sha512, sha512, sizeof f->sha512);
    if (a->stream)
        ingest_end(a->stream, &io);
    else if (diag_faulted(&io))
        ingest_failed(a->ing, index, 0, NULL, &io);
    a->stream = NULL;
    diag_fault_clear(&io);
}

static void ingest_entry_refused(void *arg, const struct archives_entry *e,
                                 enum archives_refusal reason, const char *message)
{
    struct ingest_archive *a = arg;
    (void)message;
    if (reason == ARCHIVES_REFUSED_DIRECTORY)
        return;
    size_t index = ingest_archive_row(a, e);
    if (index == SIZE_MAX)
        return;
    if (!ingest_collected(a->ing, index, 0)) {
        a->changed = 1;
        ingest_archive_fail(a->ing, index, D_ARCHIVE_CHANGED, "this entry is no longer read");
    }
}

/* Reads the archive at index again, entry by entry, into its rows; then
 * says what became of the archive itself. */
static void ingest_archive(struct ingest *ing, size_t index)
{
    struct ingest_archive a = { .ing = ing, .row = index, .cursor = index + 1 };
    struct evidence_file *f = &ing->files->files[index];
    a.path = xstrdup(f->path);
    int listed_whole = f->status != EVIDENCE_ERROR;
    int fd = open(a.path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        const struct archives_visitor visitor = { &a, ingest_entry_begin, ingest_entry_data,
                                                  ingest_entry_end, ingest_entry_refused };
        struct archives_summary sum = { 0 };
        if (archives_read_fd(fd, &ing->files->caps, &visitor, &sum) != ARCHIVES_OK && listed_whole)
            a.changed = 1;
        archives_summary_free(&sum);
        close(fd);
    }
    f = &ing->files->files[index];
    for (size_t k = a.cursor; k <= index + f->entries; k++)
        ingest_archive_fail(ing, k, D_ARCHIVE_CHANGED, "this entry was not reached");
    if (fd < 0 || a.changed) {
        struct diag_fault fault = { 0 };
        diag_fault_set(&fault, D_ARCHIVE_CHANGED,
                       fd < 0 ? "it cannot be opened again" : "its entries differ from its listing",
                       NULL, 0, 0);
        evidence_file_fail(f, &fault);
    }
    if (f->status == EVIDENCE_ERROR) {
        ingest_failed(ing, index, 0, NULL, &f->fault);
    } else {
        f->status = EVIDENCE_READ;
        f->shape = "archive";
    }
    free(a.path);
}

void ingest_file(struct ingest *ing, size_t index, size_t read_size)
{
    struct evidence_file *f = &ing->files->files[index];
    if (f->archive_kind != ARCHIVES_NONE) {
        ingest_archive(ing, index);
        return;
    }
    if (f->archive) /* read with its archive */
        return;
    if (ingest_collected(ing, index, read_size))
        return;
    struct ingest_stream *s = ingest_begin(ing, index);
    struct diag_fault io = { 0 };
    evidence_read(f, read_size, ingest_push_raw, s, &io);
    ingest_end(s, &io);
    diag_fault_clear(&io);
}

void ingest_memory(struct ingest *ing, size_t index, const unsigned char *bytes, size_t len,
                   size_t chunk)
{
    struct evidence_file *f = &ing->files->files[index];
    struct ingest_stream *s = ingest_begin(ing, index);
    struct evidence_digests sha;
    evidence_digests_init(&sha, f->want_sha512);
    evidence_digests_update(&sha, bytes, len);
    evidence_digests_finish(&sha, f->sha256, f->sha512);
    f->hashed = 1;
    f->size = len;
    size_t step = chunk ? chunk : len;
    for (size_t at = 0; at < len; at += step) {
        size_t n = len - at < step ? len - at : step;
        if (ingest_push(s, bytes + at, n) != 0)
            break;
    }
    ingest_end(s, NULL);
}

void ingest_all(struct ingest *ing, size_t read_size)
{
    for (size_t i = 0; i < ing->files->count; i++)
        ingest_file(ing, i, read_size); /* an archive's entries with it */
    if (ing->attempted == 0)
        diag_emit(ing->diag, NULL, 0, 0, D_NO_EVIDENCE_FOUND, NULL, NULL);
}
