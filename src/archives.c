/* SPDX-License-Identifier: ISC */
/* Evidence bundles delivered as one archive file, read entry by entry
 * through libarchive (see archives.h for the policy). */
#include "config.h"

#include "archives.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <nettle/base16.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

#include "sanitize.h"
#include "xalloc.h"

/* libarchive's read size from an fd, and how much of a file or an entry
 * is held back to tell its kind. */
#define ARCHIVES_BLOCK (64 * 1024)
/* Input bytes of a name, and of a link target or libarchive message,
 * shown in display text. */
#define ARCHIVES_NAME_SHOWN 1024
#define ARCHIVES_TEXT_SHOWN 256
#define ARCHIVES_NO_NAME "(name not readable)"

/* ---- telling an archive from its first bytes ------------------------------- */

const char *archives_kind_name(enum archives_kind kind)
{
    switch (kind) {
    case ARCHIVES_ZIP: return "zip";
    case ARCHIVES_TAR: return "tar";
    case ARCHIVES_TAR_GZIP: return "tar.gz";
    case ARCHIVES_NONE: break;
    }
    return "not an archive";
}

/* A 512-byte tar header whose checksum field matches its bytes, counted
 * as unsigned or (as some old tars did) signed chars. */
static int archives_tar_header(const unsigned char *h, size_t len)
{
    if (len < 512 || h[0] == '\0')
        return 0;
    size_t i = 148;
    while (i < 156 && h[i] == ' ')
        i++;
    unsigned long stored = 0;
    size_t digits = 0;
    for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++, digits++)
        stored = stored * 8 + (unsigned long)(h[i] - '0');
    if (digits == 0 || (i < 156 && h[i] != ' ' && h[i] != '\0'))
        return 0;
    unsigned long sum = 0;
    long signed_sum = 0;
    for (i = 0; i < 512; i++) {
        unsigned char c = i >= 148 && i < 156 ? ' ' : h[i];
        sum += c;
        signed_sum += (signed char)c;
    }
    return sum == stored || (signed_sum >= 0 && (unsigned long)signed_sum == stored);
}

/* gzip whose first 512 decompressed bytes are a tar header; a gzip of
 * JSON is not an archive (a .json.gz is evidence of its own). */
static int archives_gzip_tar(const unsigned char *data, size_t len)
{
    if (len < 10 || data[0] != 0x1f || data[1] != 0x8b || data[2] != 8)
        return 0;
    unsigned char out[512];
    z_stream z;
    memset(&z, 0, sizeof z);
    int rc = inflateInit2(&z, 16 + MAX_WBITS);
    if (rc == Z_MEM_ERROR)
        xalloc_die();
    if (rc != Z_OK)
        return 0;
    z.next_in = (unsigned char *)(uintptr_t)data; /* zlib reads, never writes it */
    z.avail_in = len > UINT_MAX ? UINT_MAX : (unsigned)len;
    z.next_out = out;
    z.avail_out = sizeof out;
    do
        rc = inflate(&z, Z_NO_FLUSH);
    while (rc == Z_OK && z.avail_out > 0 && z.avail_in > 0);
    size_t got = sizeof out - z.avail_out;
    inflateEnd(&z);
    if (rc == Z_MEM_ERROR)
        xalloc_die();
    return got == sizeof out && archives_tar_header(out, got);
}

enum archives_kind archives_sniff_memory(const void *data, size_t len)
{
    const unsigned char *p = data;
    if (len >= 4 && memcmp(p, "PK\3\4", 4) == 0)
        return ARCHIVES_ZIP;
    if (len >= 4 && memcmp(p, "PK\5\6", 4) == 0)
        return ARCHIVES_ZIP;
    if (archives_tar_header(p, len))
        return ARCHIVES_TAR;
    if (archives_gzip_tar(p, len))
        return ARCHIVES_TAR_GZIP;
    return ARCHIVES_NONE;
}

/* An end-of-central-directory record at the start that lists no entry:
 * what a zip of an empty folder is. libarchive does not open it. */
static int archives_empty_zip(const unsigned char *p, size_t len)
{
    static const unsigned char zeros[12] = { 0 };
    return len >= 22 && memcmp(p, "PK\5\6", 4) == 0 && memcmp(p + 4, zeros, 12) == 0;
}

/* Reads up to ARCHIVES_BLOCK bytes from the start of fd into buf without
 * moving its offset; returns the count, or -1 with errno set. */
static ssize_t archives_peek(int fd, unsigned char *buf)
{
    size_t have = 0;
    while (have < ARCHIVES_BLOCK) {
        ssize_t n = pread(fd, buf + have, ARCHIVES_BLOCK - have, (off_t)have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        have += (size_t)n;
    }
    return (ssize_t)have;
}

int archives_sniff_fd(int fd, enum archives_kind *kind)
{
    unsigned char *buf = xmalloc(ARCHIVES_BLOCK);
    ssize_t n = archives_peek(fd, buf);
    if (n >= 0)
        *kind = archives_sniff_memory(buf, (size_t)n);
    int saved = errno;
    free(buf);
    errno = saved;
    return n < 0 ? -1 : 0;
}

/* ---- caps, names -------------------------------------------------------------- */

void archives_caps_init(struct archives_caps *caps)
{
    caps->entry_bytes = UINT64_C(4) << 30;
    caps->total_bytes = UINT64_C(16) << 30;
    caps->entries = 1000000;
}

const char *archives_refusal_name(enum archives_refusal reason)
{
    switch (reason) {
    case ARCHIVES_REFUSED_DIRECTORY: return "directory";
    case ARCHIVES_REFUSED_NAME_UNREADABLE: return "name-unreadable";
    case ARCHIVES_REFUSED_NAME_EMPTY: return "name-empty";
    case ARCHIVES_REFUSED_NAME_DOTDOT: return "name-dotdot";
    case ARCHIVES_REFUSED_NAME_ABSOLUTE: return "name-absolute";
    case ARCHIVES_REFUSED_NAME_BACKSLASH: return "name-backslash";
    case ARCHIVES_REFUSED_NAME_CONTROL: return "name-control";
    case ARCHIVES_REFUSED_HEADER_WARNING: return "header-warning";
    case ARCHIVES_REFUSED_DUPLICATE: return "duplicate";
    case ARCHIVES_REFUSED_SYMLINK: return "symlink";
    case ARCHIVES_REFUSED_HARDLINK: return "hardlink";
    case ARCHIVES_REFUSED_DEVICE: return "device";
    case ARCHIVES_REFUSED_FIFO: return "fifo";
    case ARCHIVES_REFUSED_SOCKET: return "socket";
    case ARCHIVES_REFUSED_OTHER_TYPE: return "other-type";
    case ARCHIVES_REFUSED_ENCRYPTED: return "encrypted";
    case ARCHIVES_REFUSED_NESTED_ARCHIVE: return "nested-archive";
    }
    return "unknown";
}

/* The key of a name for finding duplicates: the first half of the SHA-256
 * of its segments without the empty and "." ones, joined by slashes, so
 * that "a.json", "./a.json" and "d//b", "d/./b" meet. */
struct archives_key {
    unsigned char digest[16];
    size_t index; /* SIZE_MAX: a free slot */
};

/* Checks the name's form; on a problem returns 1 with *reason set. Else
 * fills key->digest, sets *empty when no segment is left ("./", the top
 * folder of `tar -C dir .`), and returns 0. */
static int archives_name_check(const char *name, size_t len, struct archives_key *key, int *empty,
                               enum archives_refusal *reason)
{
    if (len == 0) {
        *reason = ARCHIVES_REFUSED_NAME_EMPTY;
        return 1;
    }
    int drive = len >= 2 && name[1] == ':' &&
                ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z'));
    if (name[0] == '/' || drive) {
        *reason = ARCHIVES_REFUSED_NAME_ABSOLUTE;
        return 1;
    }
    struct sha256_ctx sha;
    sha256_init(&sha);
    size_t kept = 0;
    for (size_t start = 0; start <= len;) {
        const char *slash = memchr(name + start, '/', len - start);
        size_t end = slash ? (size_t)(slash - name) : len;
        size_t seg = end - start;
        if (seg == 2 && name[start] == '.' && name[start + 1] == '.') {
            *reason = ARCHIVES_REFUSED_NAME_DOTDOT;
            return 1;
        }
        if (seg > 0 && !(seg == 1 && name[start] == '.')) {
            if (kept++ > 0)
                sha256_update(&sha, 1, (const uint8_t *)"/");
            sha256_update(&sha, seg, (const uint8_t *)name + start);
        }
        start = end + 1;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '\\') {
            *reason = ARCHIVES_REFUSED_NAME_BACKSLASH;
            return 1;
        }
        if (c < 0x20 || c == 0x7f) {
            *reason = ARCHIVES_REFUSED_NAME_CONTROL;
            return 1;
        }
    }
    *empty = kept == 0;
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(&sha, sizeof digest, digest);
    memcpy(key->digest, digest, sizeof key->digest);
    return 0;
}

/* An open-addressing table of the keys seen, at most half full. */
struct archives_names {
    struct archives_key *slots; /* owned */
    size_t cap, count;          /* cap: 0 or a power of two */
};

static struct archives_key *archives_names_slot(struct archives_key *slots, size_t cap,
                                                const unsigned char *digest)
{
    uint64_t h;
    memcpy(&h, digest, sizeof h);
    for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1))
        if (slots[i].index == SIZE_MAX || memcmp(slots[i].digest, digest, 16) == 0)
            return &slots[i];
}

/* Records key; returns the index of the earlier entry with the same key,
 * or SIZE_MAX when it is the first. */
static size_t archives_names_add(struct archives_names *t, const struct archives_key *key)
{
    if (2 * (t->count + 1) > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        if (cap > SIZE_MAX / sizeof *t->slots)
            xalloc_die();
        struct archives_key *slots = xmalloc(cap * sizeof *slots);
        for (size_t i = 0; i < cap; i++)
            slots[i].index = SIZE_MAX;
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i].index != SIZE_MAX)
                *archives_names_slot(slots, cap, t->slots[i].digest) = t->slots[i];
        free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    struct archives_key *slot = archives_names_slot(t->slots, t->cap, key->digest);
    if (slot->index != SIZE_MAX)
        return slot->index;
    *slot = *key;
    t->count++;
    return SIZE_MAX;
}

/* ---- one read ------------------------------------------------------------------ */

struct archives_run {
    struct archive *a;
    struct archives_caps caps;
    const struct archives_visitor *v;
    struct archives_summary *summary;
    locale_t utf8;   /* NULL when C.UTF-8 could not be had */
    locale_t caller; /* the thread's locale before the read */
    unsigned char *buf;
    uint64_t total; /* bytes all entries produced */
    struct archives_names names;
    int stopped; /* the summary says why */
};

/* libarchive runs under C.UTF-8, the caller's callbacks under its own locale. */
static void archives_to_caller(struct archives_run *r)
{
    if (r->utf8)
        uselocale(r->caller);
}

static void archives_to_library(struct archives_run *r)
{
    if (r->utf8)
        uselocale(r->utf8);
}

__attribute__((format(printf, 2, 0))) static void archives_vaddf(struct xbuf *b, const char *fmt,
                                                                 va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0)
        xalloc_die();
    char *s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    xbuf_addn(b, s, (size_t)n);
    free(s);
}

__attribute__((format(printf, 2, 3))) static void archives_addf(struct xbuf *b, const char *fmt,
                                                                ...)
{
    va_list ap;
    va_start(ap, fmt);
    archives_vaddf(b, fmt, ap);
    va_end(ap);
}

/* Adds s (from the archive or from libarchive) sanitised on one line. */
static void archives_add_text(struct xbuf *b, const char *s)
{
    if (s == NULL)
        s = "no reason given";
    char *clean = sanitize_text(s, strlen(s), SANITIZE_ONE_LINE, ARCHIVES_TEXT_SHOWN, NULL);
    xbuf_add(b, clean);
    free(clean);
}

/* Adds "(libarchive: MESSAGE)". */
static void archives_add_error(struct archives_run *r, struct xbuf *b)
{
    xbuf_add(b, "(libarchive: ");
    archives_add_text(b, archive_error_string(r->a));
    xbuf_add(b, ")");
}

/* Ends the read with status at entry index; message is handed over. */
static void archives_stop(struct archives_run *r, enum archives_status status, size_t index,
                          char *message)
{
    r->stopped = 1;
    r->summary->status = status;
    r->summary->stopped_at = index;
    free(r->summary->message);
    r->summary->message = message;
}

/* The same with a message made from fmt. */
__attribute__((format(printf, 4, 5))) static void archives_stopf(struct archives_run *r,
                                                                 enum archives_status status,
                                                                 size_t index, const char *fmt, ...)
{
    struct xbuf b = { 0 };
    va_list ap;
    va_start(ap, fmt);
    archives_vaddf(&b, fmt, ap);
    va_end(ap);
    archives_stop(r, status, index, xbuf_finish(&b));
}

static void archives_stop_damaged_in(struct archives_run *r, const struct archives_entry *info,
                                     const char *error)
{
    struct xbuf b = { 0 };
    archives_addf(&b, "the archive is damaged in entry %zu (\"%s\"): ", info->index + 1,
                  info->display);
    xbuf_add(&b, error);
    xbuf_add(&b, "; the entries after it cannot be read");
    archives_stop(r, ARCHIVES_DAMAGED, info->index, xbuf_finish(&b));
}

static void archives_stop_total(struct archives_run *r, size_t index)
{
    archives_stopf(r, ARCHIVES_CAPPED, index,
                   "the entries produce more than %" PRIu64 " bytes together (the cap on total "
                   "bytes): reading stopped in entry %zu and the entries after it are not read",
                   r->caps.total_bytes, index + 1);
}

/* Whether the bytes produced so far pass the total cap. For a tar.gz the
 * whole decompressed stream counts, headers and padding included. */
static int archives_over_total(struct archives_run *r)
{
    if (r->total > r->caps.total_bytes)
        return 1;
    return archive_filter_count(r->a) > 1 &&
           (uint64_t)archive_filter_bytes(r->a, 0) > r->caps.total_bytes;
}

static void archives_refuse(struct archives_run *r, const struct archives_entry *info,
                            enum archives_refusal reason, const char *message)
{
    if (r->v->refused == NULL)
        return;
    archives_to_caller(r);
    r->v->refused(r->v->arg, info, reason, message);
    archives_to_library(r);
}

/* Reads the rest of the current entry without using it, its bytes counted
 * against the total cap; stops the read on damage or at the cap. An
 * entry error (a bad CRC, a passphrase asked for) only ends the entry. */
static void archives_drain(struct archives_run *r, const struct archives_entry *info)
{
    for (;;) {
        const void *block;
        size_t size;
        la_int64_t offset;
        int rc = archive_read_data_block(r->a, &block, &size, &offset);
        if (rc == ARCHIVE_FATAL) {
            struct xbuf b = { 0 };
            xbuf_add(&b, "its data cannot be read whole ");
            archives_add_error(r, &b);
            char *error = xbuf_finish(&b);
            archives_stop_damaged_in(r, info, error);
            free(error);
            return;
        }
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            return;
        r->total += size;
        if (archives_over_total(r)) {
            archives_stop_total(r, info->index);
            return;
        }
        if (rc == ARCHIVE_WARN)
            return;
    }
}

/* One regular entry's reading state. */
struct archives_reading {
    struct sha256_ctx sha;
    uint64_t produced; /* bytes of the entry so far, sparse holes included */
    uint64_t taken;    /* of them, hashed (and fed) */
    size_t have;       /* bytes held back in r->buf until the kind is known */
    void *ctx;
    int begun, feeding, nested;
    int entry_cap, total_cap; /* a cap stopped the entry */
};

/* Hashes p[0..len) and feeds it while the caller wants it. */
static void archives_take(struct archives_run *r, struct archives_reading *rd,
                          const unsigned char *p, size_t len)
{
    if (len == 0)
        return;
    sha256_update(&rd->sha, len, p);
    rd->taken += len;
    if (rd->feeding && r->v->data) {
        archives_to_caller(r);
        rd->feeding = r->v->data(r->v->arg, rd->ctx, p, len) == 0;
        archives_to_library(r);
    }
}

/* Decides on the entry from the bytes held back: an inner archive is
 * refused (returns -1), anything else is begun and gets those bytes. */
static int archives_start(struct archives_run *r, const struct archives_entry *info,
                          struct archives_reading *rd)
{
    enum archives_kind inner = archives_sniff_memory(r->buf, rd->have);
    if (inner != ARCHIVES_NONE) {
        struct xbuf b = { 0 };
        archives_addf(&b,
                      "its content is a %s; an archive inside an archive is not read: extract "
                      "it and audit the inner archive",
                      archives_kind_name(inner));
        char *message = xbuf_finish(&b);
        archives_refuse(r, info, ARCHIVES_REFUSED_NESTED_ARCHIVE, message);
        free(message);
        rd->nested = 1;
        return -1;
    }
    rd->begun = 1;
    rd->feeding = 1;
    if (r->v->begin) {
        archives_to_caller(r);
        rd->feeding = r->v->begin(r->v->arg, info, &rd->ctx) == ARCHIVES_FEED;
        archives_to_library(r);
    }
    archives_take(r, rd, r->buf, rd->have);
    rd->have = 0;
    return 0;
}

/* Takes len bytes the entry produced (p NULL: zeros, a sparse hole).
 * Returns 0, or -1 when the entry stops here (a cap, an inner archive). */
static int archives_push(struct archives_run *r, const struct archives_entry *info,
                         struct archives_reading *rd, const unsigned char *p, uint64_t len)
{
    static const unsigned char zeros[4096];
    r->total += len;
    if (rd->produced + len > r->caps.entry_bytes) {
        rd->entry_cap = 1;
        return -1;
    }
    rd->produced += len;
    if (archives_over_total(r)) {
        rd->total_cap = 1;
        return -1;
    }
    while (len > 0) {
        size_t n = p ? (size_t)len : len < sizeof zeros ? (size_t)len : sizeof zeros;
        const unsigned char *from = p ? p : zeros;
        if (!rd->begun) {
            size_t room = ARCHIVES_BLOCK - rd->have;
            size_t held = n < room ? n : room;
            memcpy(r->buf + rd->have, from, held);
            rd->have += held;
            if (rd->have == ARCHIVES_BLOCK && archives_start(r, info, rd) != 0)
                return -1;
            from += held;
            n -= held;
            len -= held;
            if (p)
                p += held;
        }
        archives_take(r, rd, from, n);
        len -= n;
        if (p)
            p += n;
    }
    return 0;
}

/* Reads a regular entry: its first 64 KiB are held back until they tell
 * whether it is an inner archive, then every byte goes through the hash
 * and to the caller. */
static void archives_read_entry(struct archives_run *r, const struct archives_entry *info)
{
    struct archives_reading rd;
    memset(&rd, 0, sizeof rd);
    sha256_init(&rd.sha);
    struct xbuf error = { 0 };
    int fatal = 0;
    for (;;) {
        const void *block;
        size_t size;
        la_int64_t offset;
        int rc = archive_read_data_block(r->a, &block, &size, &offset);
        /* A sparse entry's holes read as zeros, as an extractor writes them. */
        if (rc == ARCHIVE_EOF) {
            if (offset > 0 && (uint64_t)offset > rd.produced)
                archives_push(r, info, &rd, NULL, (uint64_t)offset - rd.produced);
            break;
        }
        if (rc == ARCHIVE_OK || rc == ARCHIVE_WARN) {
            if (offset < 0 || (uint64_t)offset < rd.produced) {
                xbuf_add(&error, "its data comes out of order (a damaged sparse map): not read "
                                 "past it");
                break;
            }
            if (archives_push(r, info, &rd, NULL, (uint64_t)offset - rd.produced) != 0 ||
                archives_push(r, info, &rd, block, size) != 0)
                break;
            if (rc == ARCHIVE_OK)
                continue;
        }
        fatal = rc == ARCHIVE_FATAL;
        xbuf_add(&error, "its data cannot be read whole ");
        archives_add_error(r, &error);
        break;
    }
    if (rd.entry_cap)
        archives_addf(&error,
                      "larger than the cap of %" PRIu64 " bytes for one entry: not read "
                      "past it",
                      r->caps.entry_bytes);
    else if (rd.total_cap)
        archives_addf(&error,
                      "the entries together pass the cap of %" PRIu64 " bytes: not read past it",
                      r->caps.total_bytes);
    if (!rd.begun && !rd.nested)
        archives_start(r, info, &rd);
    if (rd.begun) {
        struct archives_outcome outcome = { rd.taken, "", error.s };
        if (error.s == NULL) {
            unsigned char digest[SHA256_DIGEST_SIZE];
            sha256_digest(&rd.sha, sizeof digest, digest);
            base16_encode_update(outcome.sha256, sizeof digest, digest);
            outcome.sha256[64] = '\0';
        }
        if (r->v->end) {
            archives_to_caller(r);
            r->v->end(r->v->arg, rd.ctx, info, &outcome);
            archives_to_library(r);
        }
    }
    if (fatal)
        archives_stop_damaged_in(r, info, error.s);
    else if (rd.total_cap)
        archives_stop_total(r, info->index);
    else
        archives_drain(r, info); /* the rest after a cap or an inner archive's start */
    free(error.s);
}

/* Why an entry that is not a regular file is not read, in words; returns
 * 0 for a regular file. */
static int archives_type_refusal(struct archive_entry *e, enum archives_refusal *reason,
                                 struct xbuf *b)
{
    const char *link = archive_entry_hardlink(e);
    mode_t type = archive_entry_filetype(e);
    if (link) {
        *reason = ARCHIVES_REFUSED_HARDLINK;
        xbuf_add(b, "a hard link (to \"");
        archives_add_text(b, link);
        xbuf_add(b, "\"), not a file with contents of its own: not read");
    } else if (type == AE_IFREG) {
        return 0;
    } else if (type == AE_IFLNK) {
        *reason = ARCHIVES_REFUSED_SYMLINK;
        xbuf_add(b, "a symbolic link (to \"");
        archives_add_text(b, archive_entry_symlink(e));
        xbuf_add(b, "\"), not a file: not read");
    } else if (type == AE_IFCHR || type == AE_IFBLK) {
        *reason = ARCHIVES_REFUSED_DEVICE;
        xbuf_add(b, type == AE_IFCHR ? "a character device" : "a block device");
        xbuf_add(b, ", not a file: not read");
    } else if (type == AE_IFIFO) {
        *reason = ARCHIVES_REFUSED_FIFO;
        xbuf_add(b, "a named pipe (FIFO), not a file: not read");
    } else if (type == AE_IFSOCK) {
        *reason = ARCHIVES_REFUSED_SOCKET;
        xbuf_add(b, "a socket, not a file: not read");
    } else {
        *reason = ARCHIVES_REFUSED_OTHER_TYPE;
        archives_addf(b, "an entry of an unknown kind (type %06o), not a file: not read",
                      (unsigned)type);
    }
    return 1;
}

static const char *const archives_name_words[] = {
    [ARCHIVES_REFUSED_NAME_EMPTY] = "the name is empty: not read",
    [ARCHIVES_REFUSED_NAME_DOTDOT] = "the name has a \"..\" segment, which points outside the "
                                     "folder the archive is in: not read",
    [ARCHIVES_REFUSED_NAME_ABSOLUTE] = "the name is an absolute path: not read",
    [ARCHIVES_REFUSED_NAME_BACKSLASH] = "the name has a backslash, which Windows takes as a "
                                        "folder separator: not read",
    [ARCHIVES_REFUSED_NAME_CONTROL] = "the name has a control character (shown escaped): not read",
};

/* Lists one entry: refuses it with a reason, or reads it. */
static void archives_visit(struct archives_run *r, struct archive_entry *e, size_t index,
                           int warned)
{
    struct archives_entry info = { 0 };
    info.index = index;
    info.name = archive_entry_pathname(e);
    info.name_len = info.name ? strlen(info.name) : 0;
    char *display = info.name ? sanitize_text(info.name, info.name_len, SANITIZE_ONE_LINE,
                                              ARCHIVES_NAME_SHOWN, NULL)
                              : xstrdup(ARCHIVES_NO_NAME);
    info.display = display;
    info.declared_size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;

    struct xbuf why = { 0 };
    enum archives_refusal reason = ARCHIVES_REFUSED_OTHER_TYPE;
    struct archives_key key = { { 0 }, index };
    int refused = 1, empty = 0;
    if (info.name == NULL) {
        reason = ARCHIVES_REFUSED_NAME_UNREADABLE;
        xbuf_add(&why, "its name cannot be read ");
        archives_add_error(r, &why);
        xbuf_add(&why, ": not read");
    } else if (warned) {
        reason = ARCHIVES_REFUSED_HEADER_WARNING;
        xbuf_add(&why, "its header has a problem ");
        archives_add_error(r, &why);
        xbuf_add(&why, ": not read");
    } else if (archives_name_check(info.name, info.name_len, &key, &empty, &reason)) {
        xbuf_add(&why, archives_name_words[reason]);
    } else if (archive_entry_filetype(e) == AE_IFDIR && !archive_entry_hardlink(e)) {
        reason = ARCHIVES_REFUSED_DIRECTORY;
        xbuf_add(&why, "a folder: not evidence");
    } else if (empty) {
        reason = ARCHIVES_REFUSED_NAME_EMPTY;
        xbuf_add(&why, archives_name_words[reason]);
    } else if ((info.earlier = archives_names_add(&r->names, &key)) != SIZE_MAX) {
        reason = ARCHIVES_REFUSED_DUPLICATE;
        archives_addf(&why,
                      "entry %zu has the same name: an extractor would keep only one of the "
                      "two, so neither can be trusted; not read",
                      info.earlier + 1);
    } else if (archives_type_refusal(e, &reason, &why)) {
        /* why is filled */
    } else if (archive_entry_is_encrypted(e)) {
        reason = ARCHIVES_REFUSED_ENCRYPTED;
        xbuf_add(&why, "encrypted: the tool does not decrypt evidence; not read");
    } else {
        refused = 0;
    }
    if (info.earlier == SIZE_MAX)
        info.earlier = 0;
    if (refused) {
        char *message = xbuf_finish(&why);
        archives_refuse(r, &info, reason, message);
        free(message);
        archives_drain(r, &info);
    } else {
        archives_read_entry(r, &info);
    }
    free(display);
}

/* The kind libarchive found, once it read a header. */
static enum archives_kind archives_kind_found(struct archive *a)
{
    int format = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
    if (format == ARCHIVE_FORMAT_ZIP)
        return ARCHIVES_ZIP;
    if (format == ARCHIVE_FORMAT_TAR)
        return archive_filter_count(a) > 1 ? ARCHIVES_TAR_GZIP : ARCHIVES_TAR;
    return ARCHIVES_NONE;
}

static void archives_loop(struct archives_run *r)
{
    while (!r->stopped) {
        struct archive_entry *e;
        int rc = archive_read_next_header(r->a, &e);
        if (rc == ARCHIVE_EOF)
            break;
        size_t index = r->summary->entries;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
            struct xbuf b = { 0 };
            if (index == 0)
                xbuf_add(&b, "the archive is damaged before its first entry ");
            else
                archives_addf(&b, "the archive is damaged after entry %zu ", index);
            archives_add_error(r, &b);
            xbuf_add(&b, index == 0 ? ": no entry can be read"
                                    : ": the entries after it cannot be read");
            archives_stop(r, ARCHIVES_DAMAGED, index, xbuf_finish(&b));
            break;
        }
        r->summary->kind = archives_kind_found(r->a);
        if (index >= r->caps.entries) {
            archives_stopf(r, ARCHIVES_CAPPED, index,
                           "the archive has more than %" PRIu64 " entries (the cap on entries): "
                           "entry %zu and those after it are not read",
                           r->caps.entries, index + 1);
            break;
        }
        r->summary->entries++;
        archives_visit(r, e, index, rc == ARCHIVE_WARN);
        if (!r->stopped && archives_over_total(r))
            archives_stop_total(r, index);
    }
}

/* Opens (open_rc is what archive_read_open_* returned, under C.UTF-8)
 * and reads; head[0..head_len) is the start of the archive, when known. */
static enum archives_status archives_run(struct archives_run *r, int open_rc,
                                         const unsigned char *head, size_t head_len)
{
    struct archives_summary *s = r->summary;
    if (open_rc != ARCHIVE_OK && open_rc != ARCHIVE_WARN) {
        if (s->kind == ARCHIVES_ZIP && archives_empty_zip(head, head_len)) {
            s->status = ARCHIVES_OK; /* a zip of an empty folder */
            return s->status;
        }
        struct xbuf b = { 0 };
        if (s->kind != ARCHIVES_NONE)
            archives_addf(&b, "it starts like a %s, but cannot be opened ",
                          archives_kind_name(s->kind));
        else
            xbuf_add(&b, "it is not a zip, tar or tar.gz ");
        archives_add_error(r, &b);
        xbuf_add(&b, ": no entry can be read");
        archives_stop(r, ARCHIVES_UNREADABLE, 0, xbuf_finish(&b));
        return s->status;
    }
    archives_loop(r);
    s->bytes = r->total;
    return s->status;
}

/* Sets up r and a libarchive reader with only the formats this module
 * reads; returns -1 (summary filled) when gzip would need a program. */
static int archives_begin(struct archives_run *r, const struct archives_caps *caps,
                          const struct archives_visitor *visitor, struct archives_summary *summary)
{
    static const struct archives_visitor none = { 0 };
    memset(r, 0, sizeof *r);
    memset(summary, 0, sizeof *summary);
    if (caps)
        r->caps = *caps;
    else
        archives_caps_init(&r->caps);
    r->v = visitor ? visitor : &none;
    r->summary = summary;
    r->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (r->utf8)
        r->caller = uselocale(r->utf8);
    r->a = archive_read_new();
    if (r->a == NULL)
        xalloc_die();
    r->buf = xmalloc(ARCHIVES_BLOCK);
    archive_read_support_format_zip_seekable(r->a);
    archive_read_support_format_tar(r->a);
    /* ARCHIVE_WARN here means a libarchive built without zlib, which would
     * run the gzip program: the tool never starts one. */
    if (archive_read_support_filter_gzip(r->a) != ARCHIVE_OK) {
        archives_stop(r, ARCHIVES_UNREADABLE, 0,
                      xstrdup("this libarchive would run an external gzip program, which the "
                              "tool never does: no entry can be read"));
        return -1;
    }
    return 0;
}

static void archives_finish(struct archives_run *r)
{
    archive_read_free(r->a);
    free(r->buf);
    free(r->names.slots);
    if (r->utf8) {
        uselocale(r->caller);
        freelocale(r->utf8);
    }
}

enum archives_status archives_read_fd(int fd, const struct archives_caps *caps,
                                      const struct archives_visitor *visitor,
                                      struct archives_summary *summary)
{
    struct archives_run r;
    if (archives_begin(&r, caps, visitor, summary) == 0) {
        /* The start of the file, for the kind and the empty-zip case; a
         * pipe has none to peek at, and is read as it comes. */
        ssize_t head = archives_peek(fd, r.buf);
        if (head > 0)
            summary->kind = archives_sniff_memory(r.buf, (size_t)head);
        /* A tar is read from the file's offset, a zip by absolute offsets. */
        (void)lseek(fd, 0, SEEK_SET);
        int rc = archive_read_open_fd(r.a, fd, ARCHIVES_BLOCK);
        archives_run(&r, rc, r.buf, head > 0 ? (size_t)head : 0);
    }
    archives_finish(&r);
    return summary->status;
}

enum archives_status archives_read_memory(const void *data, size_t len,
                                          const struct archives_caps *caps,
                                          const struct archives_visitor *visitor,
                                          struct archives_summary *summary)
{
    struct archives_run r;
    if (archives_begin(&r, caps, visitor, summary) == 0) {
        summary->kind = archives_sniff_memory(data, len);
        /* libarchive's memory reader can seek, as the zip reader needs. */
        int rc = archive_read_open_memory(r.a, data, len);
        archives_run(&r, rc, data, len);
    }
    archives_finish(&r);
    return summary->status;
}

void archives_summary_free(struct archives_summary *summary)
{
    if (summary == NULL)
        return;
    free(summary->message);
    summary->message = NULL;
}
