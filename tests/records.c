/* SPDX-License-Identifier: ISC */
/* Test helper: see records.h. */
#include "config.h"

#include "records.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contacts.h"
#include "diag.h"
#include "evidence.h"
#include "guid.h"
#include "ingest.h"
#include "jstream.h"
#include "xalloc.h"

struct dump {
    struct xbuf text;
};

static void put(struct dump *d, const char *s, size_t n)
{
    xbuf_addn(&d->text, s, n);
}

__attribute__((format(printf, 2, 3))) static void putf(struct dump *d, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    put(d, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A quoted string with bytes outside printable ASCII, '"' and '\' escaped
 * as \xNN; NULL prints as -. */
static void putq(struct dump *d, const char *s, size_t n)
{
    if (!s) {
        put(d, "-", 1);
        return;
    }
    put(d, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
            putf(d, "\\x%02X", c);
        else
            put(d, (const char *)&c, 1);
    }
    put(d, "\"", 1);
}

static void putz(struct dump *d, const char *s)
{
    putq(d, s, s ? strlen(s) : 0);
}

static void putpos(struct dump *d, const struct jstream_pos *p)
{
    if (p)
        putf(d, "%lu:%lu", p->line, p->col);
    else
        put(d, "-", 1);
}

static const char *sw_name(enum contact_switch s)
{
    switch (s) {
    case CONTACT_UNSET: return "unset";
    case CONTACT_ON: return "on";
    case CONTACT_OFF: return "off";
    case CONTACT_OTHER: return "other";
    }
    return "?";
}

static const char *sev_name(enum contact_severity s)
{
    switch (s) {
    case SEVERITY_UNSET: return "unset";
    case SEVERITY_LOW: return "low";
    case SEVERITY_MEDIUM: return "medium";
    case SEVERITY_HIGH: return "high";
    case SEVERITY_OTHER: return "other";
    }
    return "?";
}

static const char *emails_kind_name(enum contact_emails k)
{
    switch (k) {
    case CONTACT_EMAILS_ABSENT: return "absent";
    case CONTACT_EMAILS_NULL: return "null";
    case CONTACT_EMAILS_STRING: return "string";
    case CONTACT_EMAILS_LIST: return "list";
    case CONTACT_EMAILS_BAD: return "bad";
    }
    return "?";
}

static void on_record(void *ctx, const struct contact_record *r)
{
    struct dump *d = ctx;
    putf(d, "record sub=%s source=", r->has_subscription ? r->subscription : "-");
    putz(d, r->subscription_source);
    put(d, " name=", 6);
    putq(d, r->name, r->name_len);
    putf(d, " emails=%s:", emails_kind_name(r->emails_kind));
    putz(d, r->emails_member);
    put(d, ":", 1);
    putq(d, r->emails, r->emails_len);
    put(d, " emails_pos=", 12);
    putpos(d, &r->emails_pos);
    put(d, " pos=", 5);
    putpos(d, &r->pos);
    putf(d,
         " enabled=%s alerts=%s severity=%s roles=%s owner=%d api=%u doc=%lu addresses_only=%d"
         " problem=",
         sw_name(r->enabled), sw_name(r->alerts), sev_name(r->alert_severity),
         sw_name(r->notify_roles), r->roles_include_owner, r->api, r->document, r->addresses_only);
    putz(d, r->problem);
    put(d, "\n", 1);
}

static void on_no_contacts(void *ctx, const struct evidence_file *file, const guid_text sub,
                           const struct jstream_pos *pos)
{
    struct dump *d = ctx;
    (void)file;
    putf(d, "no_contacts sub=%s pos=", sub ? sub : "-");
    putpos(d, pos);
    put(d, "\n", 1);
}

static void on_error_body(void *ctx, const struct evidence_file *file, const char *sub,
                          const char *code, const char *message, const struct jstream_pos *pos)
{
    struct dump *d = ctx;
    (void)file;
    putf(d, "error_body sub=%s code=", sub ? sub : "-");
    putz(d, code);
    put(d, " message=", 9);
    putz(d, message);
    put(d, " pos=", 5);
    putpos(d, pos);
    put(d, "\n", 1);
}

static void on_inventory(void *ctx, const struct evidence_file *file, const guid_text sub,
                         const char *display_name, const char *state, const struct jstream_pos *pos)
{
    struct dump *d = ctx;
    (void)file;
    putf(d, "inventory sub=%s name=", sub ? sub : "-");
    putz(d, display_name);
    put(d, " state=", 7);
    putz(d, state);
    put(d, " pos=", 5);
    putpos(d, pos);
    put(d, "\n", 1);
}

static void on_diagnose(void *ctx, const struct evidence_file *file, enum diag_id id,
                        const struct jstream_pos *pos, const char *a1, const char *a2)
{
    struct dump *d = ctx;
    (void)file;
    put(d, "diagnose msg=", 13);
    putz(d, diag_catalogue[id].template);
    put(d, " pos=", 5);
    putpos(d, pos);
    put(d, " a1=", 4);
    putz(d, a1);
    put(d, " a2=", 4);
    putz(d, a2);
    put(d, "\n", 1);
}

static const struct contact_sink dump_sink = { on_record, on_no_contacts, on_error_body,
                                               on_inventory, on_diagnose };

/* The dump's word for what ended the file (the golden files use them). */
static const char *outcome_name(enum diag_id id)
{
    switch (id) {
    case D_NONE: return "ok";
    case D_JSON_SYNTAX: return "syntax";
    case D_JSON_TRUNCATED: return "truncated";
    case D_EMPTY_FILE: return "empty";
    case D_ARCHIVE: return "archive";
    case D_HTML_PAGE: return "html";
    case D_AZ_ERROR_TEXT: return "az-error";
    case D_TOO_DEEP: return "depth";
    case D_VALUE_TOO_LONG: return "token";
    case D_INVALID_UTF8: return "utf8";
    case D_NO_EVIDENCE_IN_FILE: return "no-content";
    case D_UNRECOGNISED_FILE: return "unrecognised";
    case D_CANNOT_OPEN:
    case D_READ_FAILED:
    case D_SYMLINK_LOOP: return "io-error";
    default: return "decode-error";
    }
}

/* Sets up the evidence file of one dump. */
static void dump_file_init(struct evidence_file *f, const char *path)
{
    memset(f, 0, sizeof *f);
    f->path = xstrdup(path);
    f->encoding = "";
    f->shape = "";
    f->has_path_subscription = guid_from_path(path, f->path_subscription);
}

/* Ends the reading the way the pipeline does (ingest_reader_close decides
 * the outcome), appends the file's outcome line, frees the file's strings
 * and returns the dump. */
static char *dump_finish(struct dump *d, struct evidence_file *f, struct ingest_reader *r,
                         const struct diag_fault *io)
{
    struct diag_fault fault = { 0 };
    struct ingest_result res;
    ingest_reader_close(r, io, &fault, &res);
    putf(d, "file outcome=%s shape=", outcome_name(fault.id));
    putz(d, f->shape);
    put(d, " encoding=", 10);
    putz(d, f->encoding);
    putf(d,
         " gzip=%d api=%u documents=%lu records=%lu error_bodies=%lu inventory=%lu"
         " ignored=%lu notice_lines=%lu",
         f->gzip, f->api_versions, f->documents, f->records, f->error_bodies, f->inventory_entries,
         f->ignored_objects, f->notice_lines);
    if (diag_faulted(&fault)) {
        put(d, " at=", 4);
        if (fault.line) {
            struct jstream_pos at = { fault.line, fault.col, 0 };
            putpos(d, &at);
        } else {
            put(d, "-", 1);
        }
        put(d, " error=", 7);
        /* The JSON stream's own words; the other stages' whole message. */
        const char *kind = outcome_name(fault.id);
        int stream = strcmp(kind, "syntax") == 0 || strcmp(kind, "depth") == 0 ||
                     strcmp(kind, "token") == 0 || strcmp(kind, "utf8") == 0;
        char *text = stream ? NULL : diag_fault_text(&fault);
        putz(d, stream ? fault.arg[0] : text);
        free(text);
    }
    put(d, "\n", 1);
    diag_fault_clear(&fault);
    diag_fault_clear(&f->fault);
    free(f->path);
    return xbuf_finish(&d->text);
}

static int dump_push(void *ctx, const unsigned char *raw, size_t len)
{
    return ingest_reader_push(ctx, raw, len);
}

char *records_dump(const char *path, size_t read_size)
{
    struct dump d = { 0 };
    struct evidence_file f;
    dump_file_init(&f, path);
    struct ingest_reader *r = ingest_reader_open(&f, &dump_sink, &d, 0, 0);
    struct diag_fault io = { 0 };
    evidence_read(&f, read_size, dump_push, r, &io);
    char *out = dump_finish(&d, &f, r, &io);
    diag_fault_clear(&io);
    return out;
}

char *records_dump_bytes(const char *path, const unsigned char *data, size_t len, size_t chunk,
                         unsigned max_depth, size_t max_token)
{
    struct dump d = { 0 };
    struct evidence_file f;
    dump_file_init(&f, path);
    struct ingest_reader *r = ingest_reader_open(&f, &dump_sink, &d, max_depth, max_token);
    if (chunk == 0)
        chunk = len ? len : 1;
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        if (ingest_reader_push(r, data + off, n) != 0)
            break;
    }
    f.size = len;
    return dump_finish(&d, &f, r, NULL);
}
