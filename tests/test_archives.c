/* SPDX-License-Identifier: ISC */
/* Unit tests for archives.c: every archive that tests/make-archives.py
 * writes, read from a file and from memory, with the entries seen, their
 * sizes and digests (from the generator's manifest), every refusal's
 * reason and message, and how the read ended; the sniffer; the caps. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <nettle/base16.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archives.h"
#include "offline.h"
#include "xalloc.h"

static char dir[4096]; /* where make-archives.py wrote the cases */

/* ---- the generator's manifest ---------------------------------------------- */

struct row {
    char file[64];
    size_t index;
    unsigned long long size;
    char sha256[65];
    int used;
};
static struct row rows[256];
static size_t nrows;

static void path_of(char *out, size_t cap, const char *file)
{
    int n = snprintf(out, cap, "%s/%s", dir, file);
    assert_true(n > 0 && (size_t)n < cap);
}

static int manifest_load(void)
{
    char path[4200];
    path_of(path, sizeof path, "manifest.txt");
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return -1;
    while (nrows < sizeof rows / sizeof *rows &&
           fscanf(fp, "%63s %zu %llu %64s", rows[nrows].file, &rows[nrows].index, &rows[nrows].size,
                  rows[nrows].sha256) == 4)
        nrows++;
    fclose(fp);
    return nrows > 0 ? 0 : -1;
}

static struct row *manifest_find(const char *file, size_t index)
{
    for (size_t i = 0; i < nrows; i++)
        if (strcmp(rows[i].file, file) == 0 && rows[i].index == index)
            return &rows[i];
    return NULL;
}

/* The expected log with each "read INDEX ...: $" line's "$" replaced by
 * the size and digest the manifest gives; with all_read, every manifest
 * row of the file must be used (a case run against small caps reads
 * less). The caller frees it. */
static char *expand(const char *file, const char *expected, int all_read)
{
    for (size_t i = 0; i < nrows; i++)
        rows[i].used = 0;
    struct xbuf b = { 0 };
    xbuf_add(&b, "");
    for (const char *line = expected; *line;) {
        size_t len = strcspn(line, "\n");
        size_t index;
        if (len > 2 && strncmp(line, "read ", 5) == 0 && line[len - 1] == '$' &&
            sscanf(line + 5, "%zu", &index) == 1) {
            struct row *row = manifest_find(file, index);
            if (row == NULL)
                fail_msg("%s: no manifest row for entry %zu", file, index);
            row->used = 1;
            char tail[96];
            snprintf(tail, sizeof tail, "%llu %s", row->size, row->sha256);
            xbuf_addn(&b, line, len - 1);
            xbuf_add(&b, tail);
        } else {
            xbuf_addn(&b, line, len);
        }
        xbuf_add(&b, "\n");
        line += len + (line[len] == '\n');
    }
    for (size_t i = 0; i < nrows; i++)
        if (all_read && strcmp(rows[i].file, file) == 0 && !rows[i].used)
            fail_msg("%s: entry %zu of the manifest is not expected to be read", file,
                     rows[i].index);
    return xbuf_finish(&b);
}

/* ---- a visitor that writes down what it sees --------------------------------- */

struct recorder {
    struct xbuf log;
    int skip;              /* begin() answers ARCHIVES_SKIP */
    size_t stop_after;     /* data() says -1 at this call (0: never) */
    int open;              /* between begin() and end() */
    size_t calls;          /* data() calls for this entry */
    size_t most_calls;     /* the most for one entry */
    struct sha256_ctx fed; /* of the bytes data() got */
    uint64_t fed_bytes;
};

/* Also checks that the caller's locale (C, as make check runs) is in
 * force in every callback, not libarchive's C.UTF-8. */
static void recorder_check_locale(void)
{
    assert_int_equal(MB_CUR_MAX, 1);
}

static enum archives_choice rec_begin(void *arg, const struct archives_entry *e, void **ctx)
{
    struct recorder *r = arg;
    recorder_check_locale();
    assert_false(r->open);
    assert_non_null(e->name);
    assert_int_equal(strlen(e->name), e->name_len);
    r->open = 1;
    r->calls = 0;
    r->fed_bytes = 0;
    sha256_init(&r->fed);
    *ctx = r;
    char head[2200];
    snprintf(head, sizeof head, "read %zu %s declared %lld: ", e->index, e->display,
             (long long)e->declared_size);
    xbuf_add(&r->log, head);
    return r->skip ? ARCHIVES_SKIP : ARCHIVES_FEED;
}

static int rec_data(void *arg, void *ctx, const unsigned char *bytes, size_t len)
{
    struct recorder *r = arg;
    recorder_check_locale();
    assert_ptr_equal(ctx, r);
    assert_true(r->open);
    assert_false(r->skip);
    assert_true(len > 0);
    sha256_update(&r->fed, len, bytes);
    r->fed_bytes += len;
    r->calls++;
    return r->stop_after && r->calls >= r->stop_after ? -1 : 0;
}

static void rec_end(void *arg, void *ctx, const struct archives_entry *e,
                    const struct archives_outcome *o)
{
    struct recorder *r = arg;
    (void)e;
    recorder_check_locale();
    assert_ptr_equal(ctx, r);
    assert_true(r->open);
    r->open = 0;
    char line[2200];
    if (o->error) {
        assert_string_equal(o->sha256, "");
        snprintf(line, sizeof line, "error: %s\n", o->error);
    } else {
        snprintf(line, sizeof line, "%" PRIu64 " %s\n", o->bytes, o->sha256);
    }
    xbuf_add(&r->log, line);
    /* What data() got is what was hashed, unless it asked to stop. */
    if (!r->skip && !r->stop_after && !o->error) {
        unsigned char digest[SHA256_DIGEST_SIZE];
        char hex[65];
        sha256_digest(&r->fed, sizeof digest, digest);
        base16_encode_update(hex, sizeof digest, digest);
        hex[64] = '\0';
        assert_string_equal(hex, o->sha256);
        assert_int_equal(r->fed_bytes, o->bytes);
    }
    if (r->skip)
        assert_int_equal(r->calls, 0);
    if (r->calls > r->most_calls)
        r->most_calls = r->calls;
}

static void rec_refused(void *arg, const struct archives_entry *e, enum archives_refusal reason,
                        const char *message)
{
    struct recorder *r = arg;
    recorder_check_locale();
    assert_false(r->open);
    char line[4400];
    if (reason == ARCHIVES_REFUSED_DUPLICATE)
        snprintf(line, sizeof line, "refused %zu %s %s of %zu: %s\n", e->index, e->display,
                 archives_refusal_name(reason), e->earlier, message);
    else
        snprintf(line, sizeof line, "refused %zu %s %s: %s\n", e->index, e->display,
                 archives_refusal_name(reason), message);
    xbuf_add(&r->log, line);
}

static const char *status_name(enum archives_status s)
{
    switch (s) {
    case ARCHIVES_OK: return "ok";
    case ARCHIVES_UNREADABLE: return "unreadable";
    case ARCHIVES_DAMAGED: return "damaged";
    case ARCHIVES_CAPPED: return "capped";
    }
    return "?";
}

/* Adds the summary's lines to the log and frees it. */
static void recorder_summary(struct recorder *r, struct archives_summary *s,
                             enum archives_status returned)
{
    assert_int_equal(returned, s->status);
    assert_false(r->open);
    char line[2400];
    snprintf(line, sizeof line, "%s %s: %zu entries, %" PRIu64 " bytes\n", status_name(s->status),
             archives_kind_name(s->kind), s->entries, s->bytes);
    xbuf_add(&r->log, line);
    if (s->status == ARCHIVES_OK) {
        assert_null(s->message);
    } else {
        assert_non_null(s->message);
        snprintf(line, sizeof line, "stopped at %zu: %s\n", s->stopped_at, s->message);
        xbuf_add(&r->log, line);
    }
    archives_summary_free(s);
    assert_null(s->message);
}

static struct archives_visitor recorder_visitor(struct recorder *r)
{
    struct archives_visitor v = { r, rec_begin, rec_data, rec_end, rec_refused };
    return v;
}

static unsigned char *slurp(const char *file, size_t *len)
{
    char path[4200];
    path_of(path, sizeof path, file);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    *len = (size_t)st.st_size;
    /* An exact-size copy, so that a read past the end shows under valgrind. */
    unsigned char *data = xmalloc(*len ? *len : 1);
    assert_int_equal(read(fd, data, *len), (ssize_t)*len);
    close(fd);
    return data;
}

/* The log of reading file through its fd (from_memory 0) or from memory. */
static char *read_log(const char *file, int from_memory, const struct archives_caps *caps,
                      struct recorder *r)
{
    struct archives_visitor v = recorder_visitor(r);
    struct archives_summary s;
    enum archives_status st;
    if (from_memory) {
        size_t len;
        unsigned char *data = slurp(file, &len);
        st = archives_read_memory(data, len, caps, &v, &s);
        free(data);
    } else {
        char path[4200];
        path_of(path, sizeof path, file);
        int fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        st = archives_read_fd(fd, caps, &v, &s);
        close(fd);
    }
    /* The thread's locale is the caller's again. */
    assert_true(uselocale((locale_t)0) == LC_GLOBAL_LOCALE);
    assert_string_equal(setlocale(LC_CTYPE, NULL), "C");
    recorder_summary(r, &s, st);
    xbuf_add(&r->log, "");
    return xbuf_finish(&r->log);
}

/* ---- every case ------------------------------------------------------------------ */

#define MiB (UINT64_C(1) << 20)
static const struct archives_caps small_entry = { MiB, UINT64_C(16) << 30, 1000000 };
static const struct archives_caps small_total = { UINT64_C(4) << 30, 2 * MiB, 1000000 };
static const struct archives_caps four_entries = { UINT64_C(4) << 30, UINT64_C(16) << 30, 4 };

struct archive_case {
    const char *file;
    const struct archives_caps *caps; /* NULL: the defaults */
    const char *expected;
};

#define SUB1 "11111111-1111-4111-8111-111111111111"
#define SUB2 "22222222-2222-4222-8222-222222222222"
#define DUP_WORDS                                                                                  \
    "has the same name: an extractor would keep only one of the two, so neither can be "           \
    "trusted; not read"
#define NESTED_WORDS                                                                               \
    "an archive inside an archive is not read: extract it and audit the inner archive"

/* good.tar, also inside good.tar.gz: made as `tar -C bundle -cf x .` makes
 * it, with a pax UTF-8 name, a long name and a latin-1 (GNU, raw) name. */
#define GOOD_TAR                                                                                   \
    "refused 0 ./ directory: a folder: not evidence\n"                                             \
    "refused 1 ./tenant/ directory: a folder: not evidence\n"                                      \
    "read 2 ./tenant/" SUB1 "/securityContacts.json declared 184: $\n"                             \
    "read 3 ./tenant/" SUB2 "/securityContacts.json declared 184: $\n"                             \
    "read 4 ./tenant/caf\xc3\xa9.json declared 13: $\n"                                            \
    "read 5 ./tenant/ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"  \
    "ddddddddddddddddddddddddddddddddddddddddddddd/securityContacts.json declared 184: $\n"        \
    "read 6 ./tenant/caf\\xE9-latin1.json declared 184: $\n"

static const struct archive_case cases[] = {
    { "good.zip", NULL,
      "refused 0 tenant/ directory: a folder: not evidence\n"
      "read 1 tenant/" SUB1 "/securityContacts.json declared 184: $\n"
      "read 2 tenant/" SUB2 "/securityContacts.json declared 184: $\n"
      "read 3 tenant/caf\xc3\xa9.json declared 13: $\n"
      "read 4 tenant/\\x9A.json declared 13: $\n"
      "read 5 tenant/compressed.json.gz declared 154: $\n"
      "ok zip: 6 entries, 548 bytes\n" },
    { "good.tar", NULL, GOOD_TAR "ok tar: 7 entries, 749 bytes\n" },
    { "good.tar.gz", NULL, GOOD_TAR "ok tar.gz: 7 entries, 749 bytes\n" },
    { "stream.zip", NULL,
      "read 0 sub0/securityContacts.json declared 184: $\n"
      "read 1 sub1/securityContacts.json declared 184: $\n"
      "ok zip: 2 entries, 368 bytes\n" },
    { "empty.zip", NULL, "ok zip: 0 entries, 0 bytes\n" },
    { "names.zip", NULL,
      "refused 0 ../x.json name-dotdot: the name has a \"..\" segment, which points outside the "
      "folder the archive is in: not read\n"
      "refused 1 /abs.json name-absolute: the name is an absolute path: not read\n"
      "read 2 a/b.json declared 13: $\n"
      "refused 3 x\\x82\\b.json name-backslash: the name has a backslash, which Windows takes as "
      "a folder separator: not read\n"
      "refused 4 ctl\\u0001.json name-control: the name has a control character (shown "
      "escaped): not read\n"
      "refused 5 C:/drive.json name-absolute: the name is an absolute path: not read\n"
      "refused 6 a/../../up.json name-dotdot: the name has a \"..\" segment, which points "
      "outside the folder the archive is in: not read\n"
      "refused 7 tab\\t.json name-control: the name has a control character (shown escaped): "
      "not read\n"
      "read 8 ok.json declared 13: $\n"
      "ok zip: 9 entries, 117 bytes\n" },
    { "names.tar", NULL,
      "refused 0 ../x.json name-dotdot: the name has a \"..\" segment, which points outside the "
      "folder the archive is in: not read\n"
      "refused 1 /abs.json name-absolute: the name is an absolute path: not read\n"
      "refused 2 a\\b.json name-backslash: the name has a backslash, which Windows takes as a "
      "folder separator: not read\n"
      "read 3 a declared 13: $\n"
      "read 4 ok.json declared 13: $\n"
      "ok tar: 5 entries, 65 bytes\n" },
    { "badutf8.zip", NULL,
      "refused 0 (name not readable) name-unreadable: its name cannot be read (libarchive: "
      "Pathname cannot be converted from UTF-8 to current locale.): not read\n"
      "read 1 ok.json declared 13: $\n"
      "ok zip: 2 entries, 26 bytes\n" },
    { "warn.zip", NULL,
      "refused 0 w.json header-warning: its header has a problem (libarchive: Inconsistent "
      "CRC32 values): not read\n"
      "read 1 ok.json declared 13: $\n"
      "ok zip: 2 entries, 26 bytes\n" },
    { "types.tar", NULL,
      "refused 0 link.json symlink: a symbolic link (to \"/etc/passwd\"), not a file: not read\n"
      "read 1 ok.json declared 13: $\n"
      "refused 2 hard.json hardlink: a hard link (to \"ok.json\"), not a file with contents of "
      "its own: not read\n"
      "refused 3 tty device: a character device, not a file: not read\n"
      "refused 4 disk device: a block device, not a file: not read\n"
      "refused 5 pipe fifo: a named pipe (FIFO), not a file: not read\n"
      "refused 6 folder/ directory: a folder: not evidence\n"
      "ok tar: 7 entries, 13 bytes\n" },
    { "symlink.zip", NULL,
      "refused 0 link.json symlink: a symbolic link (to \"/etc/passwd\"), not a file: not read\n"
      "read 1 ok.json declared 13: $\n"
      "ok zip: 2 entries, 13 bytes\n" },
    { "encrypted.zip", NULL,
      "refused 0 secret.json encrypted: encrypted: the tool does not decrypt evidence; not "
      "read\n"
      "read 1 ok.json declared 13: $\n"
      "ok zip: 2 entries, 13 bytes\n" },
    { "badcrc.zip", NULL,
      "read 0 bad.json declared 184: error: its data cannot be read whole (libarchive: ZIP bad "
      "CRC: 0x754bdb0c should be 0x754bdb0d)\n"
      "read 1 ok.json declared 13: $\n"
      "ok zip: 2 entries, 197 bytes\n" },
    { "truncated.zip", NULL,
      "unreadable zip: 0 entries, 0 bytes\n"
      "stopped at 0: it starts like a zip, but cannot be opened (libarchive: Unrecognized "
      "archive format): no entry can be read\n" },
    { "truncated.tar", NULL,
      "read 0 a.json declared 184: $\n"
      "read 1 b.json declared 1472: error: its data cannot be read whole (libarchive: "
      "Truncated tar archive)\n"
      "damaged tar: 2 entries, 384 bytes\n"
      "stopped at 1: the archive is damaged in entry 2 (\"b.json\"): its data cannot be read "
      "whole (libarchive: Truncated tar archive); the entries after it cannot be read\n" },
    { "truncated.tar.gz", NULL,
      "read 0 a.json declared 184: $\n"
      "read 1 b.json declared 131072: error: its data cannot be read whole (libarchive: "
      "truncated gzip input)\n"
      "damaged tar.gz: 2 entries, 64184 bytes\n"
      "stopped at 1: the archive is damaged in entry 2 (\"b.json\"): its data cannot be read "
      "whole (libarchive: truncated gzip input); the entries after it cannot be read\n" },
    { "badheader.tar", NULL,
      "read 0 a.json declared 184: $\n"
      "damaged tar: 1 entries, 184 bytes\n"
      "stopped at 1: the archive is damaged after entry 1 (libarchive: Damaged tar archive): "
      "the entries after it cannot be read\n" },
    { "dup.zip", NULL,
      "read 0 a.json declared 184: $\n"
      "read 1 b.json declared 13: $\n"
      "refused 2 a.json duplicate of 0: entry 1 " DUP_WORDS "\n"
      "ok zip: 3 entries, 381 bytes\n" },
    { "dup.tar", NULL,
      "read 0 a.json declared 184: $\n"
      "refused 1 ./a.json duplicate of 0: entry 1 " DUP_WORDS "\n"
      "read 2 d//b.json declared 13: $\n"
      "refused 3 d/./b.json duplicate of 2: entry 3 " DUP_WORDS "\n"
      "ok tar: 4 entries, 565 bytes\n" },
    { "nested.zip", NULL,
      "refused 0 inner.zip nested-archive: its content is a zip; " NESTED_WORDS "\n"
      "refused 1 inner.tar nested-archive: its content is a tar; " NESTED_WORDS "\n"
      "refused 2 inner.bin nested-archive: its content is a tar.gz; " NESTED_WORDS "\n"
      "read 3 data.json.gz declared 154: $\n"
      "read 4 ok.json declared 13: $\n"
      "ok zip: 5 entries, 2666 bytes\n" },
    { "bomb.zip", &small_entry,
      "read 0 zeros.json declared 4194304: error: larger than the cap of 1048576 bytes for one "
      "entry: not read past it\n"
      "read 1 ok.json declared 13: $\n"
      "ok zip: 2 entries, 4194317 bytes\n" },
    { "bomb.tar.gz", &small_entry,
      "read 0 zeros.json declared 4194304: error: larger than the cap of 1048576 bytes for one "
      "entry: not read past it\n"
      "read 1 ok.json declared 13: $\n"
      "ok tar.gz: 2 entries, 4194317 bytes\n" },
    { "bomb.tar.gz", &small_total,
      "read 0 zeros.json declared 4194304: error: the entries together pass the cap of 2097152 "
      "bytes: not read past it\n"
      "capped tar.gz: 1 entries, 2162176 bytes\n"
      "stopped at 0: the entries produce more than 2097152 bytes together (the cap on total "
      "bytes): reading stopped in entry 1 and the entries after it are not read\n" },
    { "many.zip", &four_entries,
      "read 0 e00.json declared 13: $\n"
      "read 1 e01.json declared 13: $\n"
      "read 2 e02.json declared 13: $\n"
      "read 3 e03.json declared 13: $\n"
      "capped zip: 4 entries, 52 bytes\n"
      "stopped at 4: the archive has more than 4 entries (the cap on entries): entry 5 and "
      "those after it are not read\n" },
    { "contacts.json", NULL,
      "unreadable not an archive: 0 entries, 0 bytes\n"
      "stopped at 0: it is not a zip, tar or tar.gz (libarchive: Unrecognized archive format): "
      "no entry can be read\n" },
    { "empty", NULL,
      "unreadable not an archive: 0 entries, 0 bytes\n"
      "stopped at 0: it is not a zip, tar or tar.gz (libarchive: Unrecognized archive format): "
      "no entry can be read\n" },
};

static void test_every_case(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct archive_case *c = &cases[i];
        char *want = expand(c->file, c->expected, c->caps == NULL);
        for (int from_memory = 0; from_memory <= 1; from_memory++) {
            struct recorder r = { 0 };
            char *got = read_log(c->file, from_memory, c->caps, &r);
            if (strcmp(got, want) != 0) {
                fprintf(stderr, "%s (%s), expected:\n%sgot:\n%s", c->file,
                        from_memory ? "memory" : "fd", want, got);
                failed++;
            }
            free(got);
        }
        free(want);
    }
    assert_int_equal(failed, 0);
}

static const struct archive_case *case_of(const char *file)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (strcmp(cases[i].file, file) == 0)
            return &cases[i];
    fail_msg("no case %s", file);
    return NULL;
}

/* The kind comes from the content, the same from memory and from an fd,
 * and sniffing an fd leaves its offset where it was. */
static void test_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        enum archives_kind kind;
    } want[] = {
        { "good.zip", ARCHIVES_ZIP },
        { "empty.zip", ARCHIVES_ZIP },
        { "truncated.zip", ARCHIVES_ZIP },
        { "good.tar", ARCHIVES_TAR },
        { "badheader.tar", ARCHIVES_TAR },
        { "good.tar.gz", ARCHIVES_TAR_GZIP },
        { "truncated.tar.gz", ARCHIVES_TAR_GZIP },
        { "bomb.tar.gz", ARCHIVES_TAR_GZIP },
        { "contacts.json", ARCHIVES_NONE },
        { "contacts.json.gz", ARCHIVES_NONE }, /* a gzip of JSON is evidence */
        { "short.gz", ARCHIVES_NONE },
        { "zeros.tar", ARCHIVES_NONE }, /* no header, only the end-of-archive blocks */
        { "empty", ARCHIVES_NONE },
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        size_t len;
        unsigned char *data = slurp(want[i].file, &len);
        assert_int_equal(archives_sniff_memory(data, len), want[i].kind);
        free(data);
        char path[4200];
        path_of(path, sizeof path, want[i].file);
        int fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        assert_int_equal(lseek(fd, 3, SEEK_SET), 3);
        enum archives_kind kind = ARCHIVES_NONE;
        assert_int_equal(archives_sniff_fd(fd, &kind), 0);
        assert_int_equal(kind, want[i].kind);
        assert_int_equal(lseek(fd, 0, SEEK_CUR), 3);
        close(fd);
    }
    assert_string_equal(archives_kind_name(ARCHIVES_TAR_GZIP), "tar.gz");
    assert_string_equal(archives_kind_name(ARCHIVES_NONE), "not an archive");
    /* A pipe cannot be peeked at. */
    int p[2];
    assert_int_equal(pipe(p), 0);
    enum archives_kind kind = ARCHIVES_ZIP;
    errno = 0;
    assert_int_equal(archives_sniff_fd(p[0], &kind), -1);
    assert_int_equal(errno, ESPIPE);
    close(p[0]);
    close(p[1]);
}

/* The defaults the header promises. */
static void test_caps_defaults(void **state)
{
    (void)state;
    struct archives_caps caps;
    archives_caps_init(&caps);
    assert_int_equal(caps.entry_bytes, UINT64_C(4) << 30);
    assert_int_equal(caps.total_bytes, UINT64_C(16) << 30);
    assert_int_equal(caps.entries, 1000000);
}

/* begin() answering SKIP, or data() saying stop, changes what the caller
 * gets, never the sizes and digests: the entries are still read whole. */
static void test_skip_and_stop(void **state)
{
    (void)state;
    const struct archive_case *c = case_of("good.tar.gz");
    char *want = expand(c->file, c->expected, 1);
    for (int variant = 0; variant < 2; variant++) {
        struct recorder r = { 0 };
        r.skip = variant == 0;
        r.stop_after = variant == 1;
        char *got = read_log(c->file, variant, NULL, &r);
        assert_string_equal(got, want);
        free(got);
    }
    free(want);

    /* A 4 MiB entry comes in several calls; the caller stops at the second. */
    struct recorder r = { 0 };
    r.stop_after = 2;
    char *got = read_log("bomb.zip", 0, NULL, &r);
    unsigned char *zeros = xcalloc(4194304, 1);
    struct sha256_ctx sha;
    unsigned char digest[SHA256_DIGEST_SIZE];
    char hex[65];
    sha256_init(&sha);
    sha256_update(&sha, 4194304, zeros);
    sha256_digest(&sha, sizeof digest, digest);
    base16_encode_update(hex, sizeof digest, digest);
    hex[64] = '\0';
    free(zeros);
    char *line = xmalloc(strlen(hex) + 64);
    sprintf(line, "read 0 zeros.json declared 4194304: 4194304 %s\n", hex);
    assert_non_null(strstr(got, line));
    assert_non_null(strstr(got, "ok zip: 2 entries, 4194317 bytes\n"));
    assert_int_equal(r.most_calls, 2); /* none after the -1, though more bytes came */
    free(line);
    free(got);
}

/* A tar can come through a pipe; a zip cannot (its reader needs to seek). */
static void test_pipe(void **state)
{
    (void)state;
    static const char *const files[] = { "good.tar", "good.zip" };
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        unsigned char *data = slurp(files[i], &len);
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            int written = write(p[1], data, len) == (ssize_t)len;
            free(data);
            _exit(written ? 0 : 1);
        }
        close(p[1]);
        free(data);
        struct recorder r = { 0 };
        struct archives_visitor v = recorder_visitor(&r);
        struct archives_summary s;
        enum archives_status st = archives_read_fd(p[0], NULL, &v, &s);
        close(p[0]);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        recorder_summary(&r, &s, st);
        char *got = xbuf_finish(&r.log);
        if (i == 0) {
            char *want = expand("good.tar", case_of("good.tar")->expected, 1);
            assert_string_equal(got, want);
            free(want);
        } else {
            assert_string_equal(got, "unreadable not an archive: 0 entries, 0 bytes\n"
                                     "stopped at 0: it is not a zip, tar or tar.gz (libarchive: "
                                     "Unrecognized archive format): no entry can be read\n");
        }
        free(got);
    }
}

/* Under the tool's seccomp lock (no sockets) every kind still reads: the
 * module starts no program and opens no connection. */
static void test_under_offline_lock(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        static const char *const files[] = { "good.zip", "good.tar", "good.tar.gz" };
        int bad = offline_lock() != 0;
        for (size_t i = 0; i < 3; i++) {
            char path[4200];
            path_of(path, sizeof path, files[i]);
            int fd = open(path, O_RDONLY);
            struct archives_summary s;
            bad |= fd < 0 || archives_read_fd(fd, NULL, NULL, &s) != ARCHIVES_OK ||
                   s.entries != 7 - (i == 0);
            archives_summary_free(&s);
            close(fd);
        }
        _exit(bad);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const char *top = getenv("top_builddir");
    snprintf(dir, sizeof dir, "%s/tests/archives", top ? top : ".");
    if (manifest_load() != 0) {
        printf("SKIP: %s/manifest.txt not found: tests/make-archives.py (python3) did not run\n",
               dir);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_case),    cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_caps_defaults), cmocka_unit_test(test_skip_and_stop),
        cmocka_unit_test(test_pipe),          cmocka_unit_test(test_under_offline_lock),
    };
    return cmocka_run_group_tests_name("archives", tests, NULL, NULL) == 0 ? 0 : 1;
}
