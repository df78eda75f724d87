/* SPDX-License-Identifier: ISC */
/* Evidence input: argument expansion, reading, hashing and decoding. */
#include "config.h"

#include "evidence.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "diag.h"
#include "jstream.h"
#include "unpack.h"
#include "utf16.h"
#include "xalloc.h"

#define EVIDENCE_DEFAULT_READ (64 * 1024)
/* Decoded text is passed on in pieces of this size at most. */
#define EVIDENCE_OUT_CHUNK (64 * 1024)
/* A notice line is recognised from its first bytes; longer lines are
 * decided on this many. */
#define EVIDENCE_NOTICE_PEEK 40

/* ---- the file list -------------------------------------------------- */

void evidence_list_init(struct evidence_list *list)
{
    memset(list, 0, sizeof *list);
    archives_caps_init(&list->caps);
}

void evidence_list_free(struct evidence_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->files[i].path);
        diag_fault_clear(&list->files[i].fault);
        free(list->files[i].api_error);
        free(list->files[i].held);
    }
    free(list->files);
    evidence_list_init(list);
}

struct evidence_file *evidence_list_add(struct evidence_list *list, const char *path)
{
    xgrow(&list->files, &list->cap, list->count + 1, sizeof *list->files);
    struct evidence_file *f = &list->files[list->count++];
    memset(f, 0, sizeof *f);
    f->path = xstrdup(path);
    f->encoding = "";
    f->shape = "";
    f->has_path_subscription = guid_from_path(path, f->path_subscription);
    return f;
}

void evidence_file_fail(struct evidence_file *file, struct diag_fault *fault)
{
    if (file->status == EVIDENCE_ERROR) {
        diag_fault_clear(fault);
        return;
    }
    file->status = EVIDENCE_ERROR;
    diag_fault_clear(&file->fault);
    diag_fault_move(&file->fault, fault);
}

struct evidence_file *evidence_list_add_problem(struct evidence_list *list, const char *path,
                                                enum diag_id id, const char *arg)
{
    struct evidence_file *f = evidence_list_add(list, path);
    diag_fault_set(&f->fault, id, arg, NULL, 0, 0);
    f->status = diag_catalogue[id].level == DIAG_ERROR ? EVIDENCE_ERROR : EVIDENCE_SKIPPED;
    return f;
}

static int evidence_ends_with(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n >= k && strcasecmp(name + n - k, suffix) == 0;
}

int evidence_name_is_json(const char *name)
{
    return evidence_ends_with(name, ".json") || evidence_ends_with(name, ".json.gz") ||
           evidence_ends_with(name, ".jsonl") || evidence_ends_with(name, ".ndjson");
}

static int evidence_line_is_notice(const char *line, size_t len);

/* Whether ASCII text (the start of a file) is JSON: after blanks and az
 * notice lines, a value starts with '{', '[', '"' or is jq's null. Only
 * notices to the end of what was seen: say yes, the reading will tell. */
static int evidence_text_is_json(const char *t, size_t n)
{
    size_t i = 0;
    for (;;) {
        while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
            i++;
        if (i == n)
            return 0;
        if (!evidence_line_is_notice(t + i, n - i))
            break;
        const char *nl = memchr(t + i, '\n', n - i);
        if (nl == NULL)
            return 1;
        i = (size_t)(nl - t) + 1;
    }
    return t[i] == '{' || t[i] == '[' || t[i] == '"' ||
           (n - i >= 4 && memcmp(t + i, "null", 4) == 0);
}

int evidence_content_is_json(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B)
        return 1;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return evidence_text_is_json((const char *)p + 3, n - 3);
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        /* the ASCII of UTF-16 is enough to tell */
        char ascii[2048];
        size_t k = 0, lo = p[0] == 0xFF ? 0 : 1;
        for (size_t i = 2; i + 1 < n && k < sizeof ascii; i += 2)
            ascii[k++] = p[i + 1 - lo] == 0 && p[i + lo] < 0x80 ? (char)p[i + lo] : '?';
        return evidence_text_is_json(ascii, k);
    }
    return evidence_text_is_json((const char *)p, n);
}

/* Looks at the start of path: evidence (1), or not (0); an archive this
 * tool reads is not evidence itself, and *archive says its kind. A file
 * that cannot be read is evidence: reading it will say why. */
static int evidence_sniff(const char *path, enum archives_kind *archive)
{
    *archive = ARCHIVES_NONE;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 1;
    unsigned char head[4096];
    ssize_t n = pread(fd, head, sizeof head, 0);
    if (n > 0 && archives_sniff_fd(fd, archive) != 0)
        *archive = ARCHIVES_NONE;
    close(fd);
    return *archive == ARCHIVES_NONE && (n < 0 || evidence_content_is_json(head, (size_t)n));
}

static int evidence_is_excluded(const struct evidence_list *list, const struct stat *st,
                                const char **option)
{
    for (size_t i = 0; i < list->n_excluded; i++) {
        if (list->excluded[i].dev == st->st_dev && list->excluded[i].ino == st->st_ino) {
            *option = list->excluded[i].option;
            return 1;
        }
    }
    return 0;
}

void evidence_list_exclude(struct evidence_list *list, const char *path, const char *option)
{
    struct stat st;
    size_t max = sizeof list->excluded / sizeof *list->excluded;
    if (path == NULL || strcmp(path, "-") == 0 || stat(path, &st) != 0 || list->n_excluded == max)
        return;
    list->excluded[list->n_excluded].dev = st.st_dev;
    list->excluded[list->n_excluded].ino = st.st_ino;
    list->excluded[list->n_excluded].option = option;
    list->n_excluded++;
}

static const char *evidence_kind_name(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "FIFO";
    if (S_ISSOCK(mode))
        return "socket";
    if (S_ISCHR(mode))
        return "character device";
    if (S_ISBLK(mode))
        return "block device";
    return "special file";
}

/* Folders being walked, to refuse a symlink back to an ancestor. */
struct evidence_walk {
    dev_t dev[64];
    ino_t ino[64];
    int depth;
};

static int evidence_byte_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void evidence_walk_dir(struct evidence_list *list, const char *dir, const struct stat *st,
                              struct evidence_walk *walk);

static void evidence_walk_entry(struct evidence_list *list, const char *path, const char *name,
                                struct evidence_walk *walk)
{
    const char *option;
    enum archives_kind archive;
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ELOOP)
            evidence_list_add_problem(list, path, D_SYMLINK_LOOP, NULL);
        else
            evidence_list_add_problem(list, path, D_CANNOT_OPEN, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        evidence_walk_dir(list, path, &st, walk);
    } else if (!S_ISREG(st.st_mode)) {
        evidence_list_add_problem(list, path, D_NOT_REGULAR, evidence_kind_name(st.st_mode));
    } else if (evidence_is_excluded(list, &st, &option)) {
        evidence_list_add_problem(list, path, D_OWN_INPUT, option);
    } else if (evidence_name_is_json(name) || evidence_sniff(path, &archive)) {
        evidence_list_add(list, path);
    } else if (archive != ARCHIVES_NONE) {
        unpack_list(list, path, archive, 0);
    } else {
        evidence_list_add_problem(list, path, D_NOT_EVIDENCE, NULL);
    }
}

static void evidence_walk_dir(struct evidence_list *list, const char *dir, const struct stat *st,
                              struct evidence_walk *walk)
{
    for (int i = 0; i < walk->depth; i++) {
        if (walk->dev[i] == st->st_dev && walk->ino[i] == st->st_ino) {
            evidence_list_add_problem(list, dir, D_SYMLINK_LOOP, NULL);
            return;
        }
    }
    if (walk->depth == (int)(sizeof walk->dev / sizeof walk->dev[0])) {
        evidence_list_add_problem(list, dir, D_CANNOT_OPEN, "folders nested too deep");
        return;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        evidence_list_add_problem(list, dir, D_CANNOT_OPEN, strerror(errno));
        return;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        xgrow(&names, &cap, count + 1, sizeof *names);
        names[count++] = xstrdup(e->d_name);
    }
    closedir(d);
    /* Byte order, not the locale's: the same bundle lists the same way on
     * every machine. */
    if (count > 0)
        qsort(names, count, sizeof *names, evidence_byte_order);
    walk->dev[walk->depth] = st->st_dev;
    walk->ino[walk->depth] = st->st_ino;
    walk->depth++;
    size_t dlen = strlen(dir);
    int slash = dlen > 0 && dir[dlen - 1] == '/';
    for (size_t i = 0; i < count; i++) {
        size_t plen = dlen + 1 + strlen(names[i]) + 1;
        char *path = xmalloc(plen);
        snprintf(path, plen, "%s%s%s", dir, slash ? "" : "/", names[i]);
        evidence_walk_entry(list, path, names[i], walk);
        free(path);
        free(names[i]);
    }
    walk->depth--;
    free(names);
}

void evidence_collect(struct evidence_list *list, const char *arg)
{
    if (strcmp(arg, "-") == 0) {
        struct evidence_file *f = evidence_list_add(list, "-");
        f->is_stdin = 1;
        f->named = 1;
        return;
    }
    struct stat st;
    if (stat(arg, &st) != 0) {
        /* Named evidence that cannot be opened is an error, a loop too. */
        evidence_list_add_problem(list, arg, D_CANNOT_OPEN, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        struct evidence_walk walk = { .depth = 0 };
        evidence_walk_dir(list, arg, &st, &walk);
        return;
    }
    enum archives_kind archive = ARCHIVES_NONE;
    if (S_ISREG(st.st_mode) && !evidence_sniff(arg, &archive) && archive != ARCHIVES_NONE) {
        unpack_list(list, arg, archive, 1);
        return;
    }
    struct evidence_file *f = evidence_list_add(list, arg);
    f->named = 1;
}

/* ---- decoding --------------------------------------------------------- */

enum evidence_text { TEXT_UNDECIDED, TEXT_UTF8, TEXT_UTF16 };
/* At the start of a line, blanking a notice line, or inside a line of JSON. */
enum evidence_notice { NOTICE_LEADING, NOTICE_BLANKING, NOTICE_INLINE };

struct evidence_decoder {
    struct evidence_file *file;
    evidence_sink_fn sink;
    void *ctx;
    struct diag_fault fault;
    int stopped;
    int head_done; /* after a stop: the gzip stream ended or broke while the head filled */
    struct evidence_head head;

    /* raw layer: gzip detection and inflation */
    int raw_decided;
    unsigned char raw_peek[2];
    size_t raw_npeek;
    int inflating;
    z_stream z;

    /* text layer: BOM detection, transcoding */
    enum evidence_text text;
    unsigned char peek[4];
    size_t npeek;
    enum utf16_order order;
    const char *utf16_name;
    unsigned char carry[8];
    size_t ncarry;
    unsigned char *stage; /* carry + chunk, for UTF-16 */
    size_t stage_cap;

    /* notice filter */
    enum evidence_notice notice;
    char line[EVIDENCE_NOTICE_PEEK];
    size_t nline;

    /* Last: evidence_decoder_alloc zeroes every member before it. */
    char out[EVIDENCE_OUT_CHUNK];
};

static int evidence_fail_decode(struct evidence_decoder *dec, enum diag_id id, const char *a1,
                                const char *a2)
{
    return diag_fault_set(&dec->fault, id, a1, a2, 0, 0);
}

static int evidence_emit(struct evidence_decoder *dec, const char *text, size_t len)
{
    if (dec->stopped)
        return -1;
    if (len == 0)
        return 0;
    if (dec->sink(dec->ctx, text, len) != 0) {
        dec->stopped = 1;
        return -1;
    }
    return 0;
}

/* Lines az prints on stderr that end up in the file when an export was
 * captured with 2>&1: before the JSON, between documents a loop appended,
 * and after it ("updates available"). Only these are blanked; any other
 * text is an error. No JSON token starts with a capital letter, so a line
 * that starts with one of these can never be JSON. */
static const char *const evidence_notice_prefixes[] = {
    "WARNING:",     "Command group '",    "Command '",       "This command ",
    "The command ", "Please let us know", "and let us know",
};

static int evidence_line_is_notice(const char *line, size_t len)
{
    for (size_t i = 0; i < sizeof evidence_notice_prefixes / sizeof *evidence_notice_prefixes;
         i++) {
        size_t n = strlen(evidence_notice_prefixes[i]);
        if (len >= n && memcmp(line, evidence_notice_prefixes[i], n) == 0)
            return 1;
    }
    return 0;
}

/* Whether a line that starts with c may be a notice: c starts one of the
 * prefixes. (No line of JSON starts with a letter other than t, f or n.) */
static int evidence_may_be_notice(char c)
{
    if (c < 'A' || c > 'z')
        return 0; /* '"', '{', '}' and digits, most lines: no letter at all */
    for (size_t i = 0; i < sizeof evidence_notice_prefixes / sizeof *evidence_notice_prefixes; i++)
        if (evidence_notice_prefixes[i][0] == c)
            return 1;
    return 0;
}

/* Decides what the buffered start of a line is. Notice lines are turned
 * into blanks so that line and column numbers stay exact. */
static int evidence_notice_decide(struct evidence_decoder *dec)
{
    /* A short line is buffered whole, its newline included: the next line
     * is looked at afresh. */
    int whole = dec->line[dec->nline - 1] == '\n';
    if (evidence_line_is_notice(dec->line, dec->nline)) {
        dec->file->notice_lines++;
        memset(dec->line, ' ', dec->nline - (size_t)whole);
        dec->notice = whole ? NOTICE_LEADING : NOTICE_BLANKING;
    } else {
        dec->notice = whole ? NOTICE_LEADING : NOTICE_INLINE;
    }
    size_t n = dec->nline;
    dec->nline = 0;
    return evidence_emit(dec, dec->line, n);
}

static int evidence_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The end of the run of blanks that starts at text[i]. */
static size_t evidence_skip_blanks(const char *text, size_t i, size_t len)
{
    for (;;) {
        i += jstream_space_run((const unsigned char *)text + i, len - i, len - i);
        if (i == len || !evidence_is_blank(text[i]))
            return i;
        i++;
    }
}

/* Blanks the notice lines of text[0..len) in place and passes the text on.
 * The start of a line that may be a notice waits in dec->line until it is
 * long enough to tell (or ends). */
static int evidence_notice_filter(struct evidence_decoder *dec, char *text, size_t len)
{
    size_t i = 0, from = 0; /* text[from..i) is decided and not passed on yet */
    while (i < len) {
        if (dec->notice == NOTICE_INLINE || dec->notice == NOTICE_BLANKING) {
            char *nl = memchr(text + i, '\n', len - i);
            size_t end = nl ? (size_t)(nl - text) : len;
            if (dec->notice == NOTICE_BLANKING)
                memset(text + i, ' ', end - i);
            i = nl ? end + 1 : len;
            if (nl)
                dec->notice = NOTICE_LEADING;
            continue;
        }
        /* NOTICE_LEADING: at the start of a line (blanks pass through). */
        if (dec->nline == 0) {
            i = evidence_skip_blanks(text, i, len);
            if (i == len)
                break;
            if (!evidence_may_be_notice(text[i])) {
                dec->notice = NOTICE_INLINE;
                continue;
            }
            if (evidence_emit(dec, text + from, i - from) != 0)
                return -1;
        }
        while (i < len && dec->nline < sizeof dec->line) {
            char c = text[i++];
            dec->line[dec->nline++] = c;
            if (c == '\n')
                break;
        }
        from = i;
        if ((dec->nline == sizeof dec->line || dec->line[dec->nline - 1] == '\n') &&
            evidence_notice_decide(dec) != 0)
            return -1;
    }
    return evidence_emit(dec, text + from, len - from);
}

static int evidence_pass_text(struct evidence_decoder *dec, const unsigned char *text, size_t len)
{
    /* The filter blanks in place: work on our own copy. */
    while (len > 0) {
        size_t n = len < sizeof dec->out ? len : sizeof dec->out;
        memcpy(dec->out, text, n);
        if (evidence_notice_filter(dec, dec->out, n) != 0)
            return -1;
        text += n;
        len -= n;
    }
    return 0;
}

/* Transcodes to UTF-8. A character split across chunks waits in carry;
 * the join costs one copy per chunk, only for UTF-16 input. */
static int evidence_utf16_push(struct evidence_decoder *dec, const unsigned char *in, size_t len)
{
    size_t total = dec->ncarry + len;
    xgrow(&dec->stage, &dec->stage_cap, total, 1);
    if (dec->ncarry) /* stage is still NULL for a file that is only a BOM */
        memcpy(dec->stage, dec->carry, dec->ncarry);
    if (len)
        memcpy(dec->stage + dec->ncarry, in, len);
    dec->ncarry = 0;
    const unsigned char *src = dec->stage;
    size_t srclen = total;
    while (srclen > 0) {
        char *dst = dec->out;
        size_t room = sizeof dec->out;
        enum utf16_status st = utf16_decode(dec->order, &src, &srclen, &dst, &room);
        if (dst > dec->out && evidence_notice_filter(dec, dec->out, (size_t)(dst - dec->out)) != 0)
            return -1;
        if (st == UTF16_INVALID)
            return evidence_fail_decode(dec, D_BAD_ENCODED_INPUT, dec->utf16_name,
                                        "not a valid character sequence");
        if (st == UTF16_INCOMPLETE) {
            if (srclen > sizeof dec->carry)
                return evidence_fail_decode(dec, D_BAD_ENCODED_INPUT, dec->utf16_name,
                                            "incomplete character");
            memcpy(dec->carry, src, srclen);
            dec->ncarry = srclen;
            return 0;
        }
    }
    return 0;
}

/* Chooses the text encoding from the first bytes (the BOM). */
static int evidence_text_decide(struct evidence_decoder *dec)
{
    const unsigned char *p = dec->peek;
    size_t n = dec->npeek, skip = 0;
    struct evidence_file *f = dec->file;
    if (n >= 4 && ((p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0) ||
                   (p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF))) {
        f->encoding = "UTF-32";
        return evidence_fail_decode(dec, D_UNSUPPORTED_ENCODING,
                                    "UTF-32 (byte order mark); save the export as UTF-8", NULL);
    }
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        f->encoding = "UTF-8 with BOM";
        dec->text = TEXT_UTF8;
        skip = 3;
    } else if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        int le = p[0] == 0xFF;
        f->encoding = le ? "UTF-16LE with BOM" : "UTF-16BE with BOM";
        dec->utf16_name = le ? "UTF-16LE" : "UTF-16BE";
        dec->order = le ? UTF16_LE : UTF16_BE;
        dec->text = TEXT_UTF16;
        skip = 2;
    } else {
        f->encoding = "UTF-8";
        dec->text = TEXT_UTF8;
    }
    if (dec->text == TEXT_UTF16)
        return evidence_utf16_push(dec, p + skip, n - skip);
    return evidence_pass_text(dec, p + skip, n - skip);
}

/* Keeps the first bytes of a layer in to[0..EVIDENCE_HEAD). */
static void evidence_keep_head(unsigned char *to, size_t *n, const unsigned char *data, size_t len)
{
    size_t k = EVIDENCE_HEAD - *n < len ? EVIDENCE_HEAD - *n : len;
    memcpy(to + *n, data, k);
    *n += k;
}

static int evidence_text_push(struct evidence_decoder *dec, const unsigned char *data, size_t len)
{
    if (dec->head.n_text < EVIDENCE_HEAD)
        evidence_keep_head(dec->head.text, &dec->head.n_text, data, len);
    if (dec->text == TEXT_UNDECIDED) {
        while (len > 0 && dec->npeek < sizeof dec->peek) {
            dec->peek[dec->npeek++] = *data++;
            len--;
        }
        if (dec->npeek < sizeof dec->peek)
            return 0;
        if (evidence_text_decide(dec) != 0)
            return -1;
    }
    if (dec->text == TEXT_UTF16)
        return evidence_utf16_push(dec, data, len);
    return evidence_pass_text(dec, data, len);
}

/* After the sink stopped, the bytes still fill the heads (the gzip ones
 * inflated), so that what a broken stream is can be told from its first
 * bytes whatever the size of the pieces it came in. */
static void evidence_inflate_head(struct evidence_decoder *dec)
{
    struct evidence_head *h = &dec->head;
    unsigned char buf[EVIDENCE_HEAD];
    while (dec->z.avail_in > 0 && h->n_text < EVIDENCE_HEAD && !dec->head_done) {
        dec->z.next_out = buf;
        dec->z.avail_out = sizeof buf;
        int rc = inflate(&dec->z, Z_NO_FLUSH);
        evidence_keep_head(h->text, &h->n_text, buf, sizeof buf - dec->z.avail_out);
        dec->head_done = rc != Z_OK;
    }
}

static int evidence_heads_full(const struct evidence_decoder *dec)
{
    const struct evidence_head *h = &dec->head;
    return h->n_raw == EVIDENCE_HEAD &&
           (!dec->inflating || h->n_text == EVIDENCE_HEAD || dec->head_done);
}

/* 0 while the heads want more bytes, -1 once they are full. */
static int evidence_fill_heads(struct evidence_decoder *dec, const unsigned char *raw, size_t len)
{
    struct evidence_head *h = &dec->head;
    h->size += len;
    if (h->n_raw < EVIDENCE_HEAD)
        evidence_keep_head(h->raw, &h->n_raw, raw, len);
    if (!dec->inflating && h->n_text < EVIDENCE_HEAD)
        evidence_keep_head(h->text, &h->n_text, raw, len);
    if (dec->inflating) {
        dec->z.next_in = (unsigned char *)raw;
        dec->z.avail_in = (uInt)len;
        evidence_inflate_head(dec);
    }
    return evidence_heads_full(dec) ? -1 : 0;
}

static int evidence_inflate(struct evidence_decoder *dec, const unsigned char *data, size_t len)
{
    dec->z.next_in = (unsigned char *)data;
    dec->z.avail_in = (uInt)len;
    while (dec->z.avail_in > 0) {
        unsigned char buf[EVIDENCE_OUT_CHUNK];
        dec->z.next_out = buf;
        dec->z.avail_out = sizeof buf;
        int rc = inflate(&dec->z, Z_NO_FLUSH);
        size_t produced = sizeof buf - dec->z.avail_out;
        if (produced > 0 && evidence_text_push(dec, buf, produced) != 0) {
            if (dec->stopped && !diag_faulted(&dec->fault))
                evidence_inflate_head(dec); /* the rest of this piece */
            return -1;
        }
        if (rc == Z_STREAM_END) {
            /* Concatenated gzip members are one file (gzip(1) agrees). */
            if (dec->z.avail_in > 0 && inflateReset(&dec->z) != Z_OK)
                return evidence_fail_decode(dec, D_GZIP_FAILED, "reset failed", NULL);
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return evidence_fail_decode(dec, D_GZIP_FAILED,
                                        dec->z.msg ? dec->z.msg : "corrupt data", NULL);
        if (rc == Z_BUF_ERROR && produced == 0)
            break;
    }
    return 0;
}

static int evidence_raw_decide(struct evidence_decoder *dec)
{
    dec->raw_decided = 1;
    if (dec->raw_npeek == 2 && dec->raw_peek[0] == 0x1F && dec->raw_peek[1] == 0x8B) {
        if (inflateInit2(&dec->z, 16 + MAX_WBITS) != Z_OK)
            return evidence_fail_decode(dec, D_GZIP_FAILED, "cannot start zlib", NULL);
        dec->inflating = 1;
        dec->file->gzip = 1;
        dec->head.gzip = 1;
        return evidence_inflate(dec, dec->raw_peek, dec->raw_npeek);
    }
    return evidence_text_push(dec, dec->raw_peek, dec->raw_npeek);
}

struct evidence_decoder *evidence_decoder_alloc(struct evidence_file *file, evidence_sink_fn sink,
                                                void *ctx)
{
    /* Every field but the output chunk starts zeroed: the chunk is written
     * before it is read, and zeroing its 64 KiB for each file was most of
     * the cost of a folder of small or empty files. */
    struct evidence_decoder *dec = xmalloc(sizeof *dec);
    memset(dec, 0, offsetof(struct evidence_decoder, out));
    dec->file = file;
    dec->sink = sink;
    dec->ctx = ctx;
    return dec;
}

int evidence_decoder_push(struct evidence_decoder *dec, const unsigned char *raw, size_t len)
{
    if (dec->stopped && !diag_faulted(&dec->fault))
        return evidence_fill_heads(dec, raw, len);
    if (diag_faulted(&dec->fault))
        return -1;
    dec->head.size += len;
    if (dec->head.n_raw < EVIDENCE_HEAD)
        evidence_keep_head(dec->head.raw, &dec->head.n_raw, raw, len);
    if (!dec->raw_decided) {
        while (len > 0 && dec->raw_npeek < sizeof dec->raw_peek) {
            dec->raw_peek[dec->raw_npeek++] = *raw++;
            len--;
        }
        if (dec->raw_npeek < sizeof dec->raw_peek)
            return 0;
        if (evidence_raw_decide(dec) != 0)
            return -1;
    }
    if (len == 0)
        return 0;
    int rc = dec->inflating ? evidence_inflate(dec, raw, len) : evidence_text_push(dec, raw, len);
    if (rc != 0 && dec->stopped && !diag_faulted(&dec->fault) && !evidence_heads_full(dec))
        return 0; /* the next pieces go to the heads only */
    return rc;
}

int evidence_decoder_finish(struct evidence_decoder *dec)
{
    if (diag_faulted(&dec->fault) || dec->stopped)
        return -1;
    if (!dec->raw_decided && evidence_raw_decide(dec) != 0)
        return -1;
    if (dec->inflating) {
        /* A truncated .gz must not pass for a shorter file. */
        if (inflate(&dec->z, Z_FINISH) != Z_STREAM_END && dec->z.total_in > 0)
            return evidence_fail_decode(dec, D_GZIP_FAILED, "truncated gzip data", NULL);
    }
    if (dec->text == TEXT_UNDECIDED && evidence_text_decide(dec) != 0)
        return -1;
    if (dec->ncarry > 0)
        return evidence_fail_decode(dec, D_BAD_ENCODED_INPUT, dec->utf16_name,
                                    "incomplete character at the end (odd number of bytes?)");
    if (dec->notice == NOTICE_LEADING && dec->nline > 0 && evidence_notice_decide(dec) != 0)
        return -1;
    if (dec->notice == NOTICE_BLANKING)
        dec->notice = NOTICE_INLINE;
    return 0;
}

const struct diag_fault *evidence_decoder_fault(const struct evidence_decoder *dec)
{
    return &dec->fault;
}

const struct evidence_head *evidence_decoder_head(const struct evidence_decoder *dec)
{
    return &dec->head;
}

/* ---- what a broken file is ------------------------------------------------------ */

static int evidence_is_tar(const unsigned char *p, size_t n)
{
    return n >= 262 && memcmp(p + 257, "ustar", 5) == 0;
}

/* The first line of text[0..n) that starts with "ERROR:", as az writes its
 * errors to stderr (a capture with 2>&1 puts them in the file): its
 * 1-based line and the code in "ERROR: (Code) message". */
static int evidence_az_error(const unsigned char *text, size_t n, unsigned long *line,
                             char code[64])
{
    unsigned long at = 1;
    for (size_t i = 0; i < n;) {
        size_t start = i;
        while (i < n && text[i] != '\n')
            i++;
        if (i - start >= 6 && memcmp(text + start, "ERROR:", 6) == 0) {
            size_t k = start + 6, c = 0;
            while (k < i && text[k] == ' ')
                k++;
            if (k < i && text[k] == '(') {
                for (k++; k < i && text[k] != ')' && c < 63; k++)
                    if ((text[k] >= 'A' && text[k] <= 'Z') || (text[k] >= 'a' && text[k] <= 'z') ||
                        (text[k] >= '0' && text[k] <= '9') || text[k] == '.' || text[k] == '_')
                        code[c++] = (char)text[k];
            }
            code[c] = '\0';
            *line = at;
            return 1;
        }
        i++;
        at++;
    }
    return 0;
}

static int evidence_is_html(const unsigned char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return (n - i >= 14 && strncasecmp((const char *)p + i, "<!DOCTYPE html", 14) == 0) ||
           (n - i >= 5 && strncasecmp((const char *)p + i, "<html", 5) == 0);
}

enum evidence_kind evidence_recognise(const struct evidence_head *h, unsigned long *az_line,
                                      char code[64])
{
    const unsigned char *p = h->raw;
    if (h->size == 0)
        return EVIDENCE_KIND_EMPTY;
    if (h->n_raw >= 4 && p[0] == 'P' && p[1] == 'K' &&
        ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
        return EVIDENCE_KIND_ZIP;
    if (evidence_is_tar(p, h->n_raw))
        return EVIDENCE_KIND_TAR;
    if (h->gzip && evidence_is_tar(h->text, h->n_text))
        return EVIDENCE_KIND_GZIP_TAR;
    if (evidence_is_html(h->text, h->n_text))
        return EVIDENCE_KIND_HTML;
    if (evidence_az_error(h->text, h->n_text, az_line, code))
        return EVIDENCE_KIND_AZ_ERROR;
    return EVIDENCE_KIND_OTHER;
}

const char *evidence_name_kind(enum evidence_kind kind)
{
    switch (kind) {
    case EVIDENCE_KIND_EMPTY: return "an empty file";
    case EVIDENCE_KIND_ZIP: return "a zip archive";
    case EVIDENCE_KIND_TAR: return "a tar archive";
    case EVIDENCE_KIND_GZIP_TAR: return "gzip of a tar archive (.tar.gz)";
    case EVIDENCE_KIND_HTML: return "an HTML page";
    case EVIDENCE_KIND_AZ_ERROR: return "az CLI error text";
    case EVIDENCE_KIND_OTHER: break;
    }
    return "text";
}

int evidence_describe(const struct evidence_head *h, const struct diag_fault *parser, int at_end,
                      struct diag_fault *out)
{
    /* Only what the JSON stage met: a read error says it all already. */
    if (parser->id != D_JSON_SYNTAX && parser->id != D_NO_EVIDENCE_IN_FILE &&
        parser->id != D_INVALID_UTF8)
        return 0;
    unsigned long az_line = 0;
    char code[64] = "";
    enum evidence_kind kind = evidence_recognise(h, &az_line, code);
    switch (kind) {
    case EVIDENCE_KIND_EMPTY: diag_fault_set(out, D_EMPTY_FILE, NULL, NULL, 0, 0); return 1;
    case EVIDENCE_KIND_ZIP:
    case EVIDENCE_KIND_TAR:
    case EVIDENCE_KIND_GZIP_TAR:
        diag_fault_set(out, D_ARCHIVE, evidence_name_kind(kind), NULL, 0, 0);
        return 1;
    case EVIDENCE_KIND_HTML:
        diag_fault_set(out, D_HTML_PAGE, NULL, NULL, parser->line, parser->col);
        return 1;
    case EVIDENCE_KIND_AZ_ERROR:
        /* only when the JSON broke on that line, not on a later one */
        if (parser->line != az_line)
            break;
        diag_fault_set(out, D_AZ_ERROR_TEXT, code[0] ? code : "no error code", NULL, parser->line,
                       parser->col);
        return 1;
    case EVIDENCE_KIND_OTHER: break;
    }
    if (at_end && parser->id == D_JSON_SYNTAX) {
        char where[48];
        snprintf(where, sizeof where, "%lu:%lu", parser->line, parser->col);
        diag_fault_set(out, D_JSON_TRUNCATED, where, NULL, parser->line, parser->col);
        return 1;
    }
    return 0;
}

void evidence_decoder_free(struct evidence_decoder *dec)
{
    if (dec == NULL)
        return;
    if (dec->inflating)
        inflateEnd(&dec->z);
    free(dec->stage);
    diag_fault_clear(&dec->fault);
    free(dec);
}

/* Opens without ever blocking on a FIFO that has no writer; refuses devices
 * and sockets even when named, since they never end. */
static int evidence_open(struct evidence_file *file, struct stat *st, struct diag_fault *fault)
{
    if (file->is_stdin) {
        if (fstat(STDIN_FILENO, st) != 0)
            return diag_fault_set(fault, D_CANNOT_OPEN, strerror(errno), NULL, 0, 0);
        /* "-" given twice over one regular file reads it twice, whole. */
        if (S_ISREG(st->st_mode))
            (void)lseek(STDIN_FILENO, 0, SEEK_SET);
        return STDIN_FILENO;
    }
    int fd = open(file->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return diag_fault_set(fault, errno == ELOOP ? D_SYMLINK_LOOP : D_CANNOT_OPEN,
                              strerror(errno), NULL, 0, 0);
    if (fstat(fd, st) != 0 || (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode))) {
        diag_fault_set(fault, D_CANNOT_OPEN,
                       S_ISDIR(st->st_mode) ? "is a folder" : evidence_kind_name(st->st_mode), NULL,
                       0, 0);
        close(fd);
        return -1;
    }
    /* O_NONBLOCK kept open() from waiting for a FIFO's writer; a FIFO is
     * then read blocking, as any stream. A regular file's reads ignore the
     * flag, and skipping the two calls matters in a folder of many small
     * files. */
    if (S_ISFIFO(st->st_mode))
        fcntl(fd, F_SETFL, O_RDONLY);
    return fd;
}

/* ---- hashing on a second core ------------------------------------------------ */

/* A large regular file is hashed on a second thread while it is parsed:
 * the thread reads the same file with pread() into its own buffer, so the
 * two never wait for each other until the end. Small files are hashed in
 * line: a thread per file would cost more than their hash. */
#define EVIDENCE_HASH_THREAD_MIN (4 * 1024 * 1024)

struct evidence_hasher {
    pthread_t thread;
    int fd;
    struct evidence_digests sha;
    uint64_t size; /* bytes hashed */
    int error;     /* errno of a failed pread, or 0 */
};

static void *evidence_hasher_run(void *arg)
{
    struct evidence_hasher *h = arg;
    unsigned char *buf = xmalloc(EVIDENCE_DEFAULT_READ);
    for (;;) {
        ssize_t n = pread(h->fd, buf, EVIDENCE_DEFAULT_READ, (off_t)h->size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            h->error = n < 0 ? errno : 0;
            break;
        }
        evidence_digests_update(&h->sha, buf, (size_t)n);
        h->size += (uint64_t)n;
    }
    free(buf);
    return NULL;
}

/* Whether the hasher thread runs: the caller then hashes nothing itself. */
static int evidence_hasher_start(struct evidence_hasher *h, int fd, int with_sha512)
{
    h->fd = fd;
    h->size = 0;
    h->error = 0;
    evidence_digests_init(&h->sha, with_sha512);
    return pthread_create(&h->thread, NULL, evidence_hasher_run, h) == 0;
}

/* ---- reading ---------------------------------------------------------- */

static void evidence_hex(const unsigned char *digest, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[2 * n] = '\0';
}

void evidence_digests_init(struct evidence_digests *d, int with_sha512)
{
    sha256_init(&d->sha256);
    d->with_sha512 = with_sha512 != 0;
    if (d->with_sha512)
        sha512_init(&d->sha512);
}

void evidence_digests_update(struct evidence_digests *d, const void *data, size_t len)
{
    sha256_update(&d->sha256, len, data);
    if (d->with_sha512)
        sha512_update(&d->sha512, len, data);
}

void evidence_digests_finish(struct evidence_digests *d, char sha256[65], char *sha512)
{
    unsigned char digest[SHA512_DIGEST_SIZE];
    sha256_digest(&d->sha256, SHA256_DIGEST_SIZE, digest);
    evidence_hex(digest, SHA256_DIGEST_SIZE, sha256);
    if (sha512 == NULL)
        return;
    sha512[0] = '\0';
    if (d->with_sha512) {
        sha512_digest(&d->sha512, SHA512_DIGEST_SIZE, digest);
        evidence_hex(digest, SHA512_DIGEST_SIZE, sha512);
    }
}

/* The bytes read are whole only if the file did not change meanwhile: the
 * reports' sha256sum lines must verify against the bundle as stored. */
static int evidence_unchanged(const struct evidence_file *file, int fd, const struct stat *before,
                              struct diag_fault *fault)
{
    struct stat after;
    if (!S_ISREG(before->st_mode) || fstat(fd, &after) != 0)
        return 0;
    if (after.st_size != before->st_size || (uint64_t)after.st_size != file->size ||
        after.st_mtim.tv_sec != before->st_mtim.tv_sec ||
        after.st_mtim.tv_nsec != before->st_mtim.tv_nsec)
        return diag_fault_set(fault, D_READ_FAILED, "file changed while it was being read", NULL, 0,
                              0);
    if (!file->is_stdin && after.st_nlink == 0)
        return diag_fault_set(fault, D_READ_FAILED,
                              "file removed or replaced while it was being read", NULL, 0, 0);
    return 0;
}

/* An archive entry, from the bytes its listing held. */
static int evidence_read_held(struct evidence_file *file, size_t read_size,
                              evidence_bytes_fn consume, void *ctx, struct diag_fault *fault)
{
    if (file->held == NULL)
        return diag_fault_set(fault, D_READ_FAILED, "an archive entry is read with its archive",
                              NULL, 0, 0);
    struct evidence_digests sha;
    evidence_digests_init(&sha, file->want_sha512);
    evidence_digests_update(&sha, file->held, file->held_len);
    evidence_digests_finish(&sha, file->sha256, file->sha512);
    file->size = file->held_len;
    file->hashed = 1;
    for (size_t at = 0; at < file->held_len; at += read_size) {
        size_t n = file->held_len - at < read_size ? file->held_len - at : read_size;
        if (consume(ctx, file->held + at, n) != 0)
            break;
    }
    return 0;
}

int evidence_read(struct evidence_file *file, size_t read_size, evidence_bytes_fn consume,
                  void *ctx, struct diag_fault *fault)
{
    if (read_size == 0)
        read_size = EVIDENCE_DEFAULT_READ;
    if (file->archive)
        return evidence_read_held(file, read_size, consume, ctx, fault);
    struct stat st;
    int fd = evidence_open(file, &st, fault);
    if (fd < 0)
        return -1;
    struct evidence_hasher hasher;
    /* (tiny test read sizes keep the one-thread path under test too) */
    int threaded = S_ISREG(st.st_mode) && st.st_size >= EVIDENCE_HASH_THREAD_MIN &&
                   read_size >= EVIDENCE_DEFAULT_READ &&
                   evidence_hasher_start(&hasher, fd, file->want_sha512);
    struct evidence_digests sha;
    evidence_digests_init(&sha, file->want_sha512);
    unsigned char *buf = xmalloc(read_size);
    int feeding = 1, failed = 0;
    file->size = 0;
    for (;;) {
        ssize_t n = read(fd, buf, read_size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            failed = diag_fault_set(fault, D_READ_FAILED, strerror(errno), NULL, 0, 0);
            break;
        }
        if (n == 0)
            break;
        if (!threaded)
            evidence_digests_update(&sha, buf, (size_t)n);
        file->size += (uint64_t)n;
        if (feeding && consume(ctx, buf, (size_t)n) != 0) {
            feeding = 0;
            /* A regular file is still read to its end so that the digest
             * covers the file as stored; a pipe is not worth draining. */
            if (!S_ISREG(st.st_mode))
                break;
        }
    }
    free(buf);
    if (threaded) {
        pthread_join(hasher.thread, NULL);
        sha = hasher.sha;
        if (!failed && (hasher.error || hasher.size != file->size))
            failed = diag_fault_set(fault, D_READ_FAILED,
                                    hasher.error ? strerror(hasher.error)
                                                 : "file changed while it was being read",
                                    NULL, 0, 0);
    }
    evidence_digests_finish(&sha, file->sha256, file->sha512);
    file->hashed = !failed && (feeding || S_ISREG(st.st_mode));
    if (!failed)
        failed = evidence_unchanged(file, fd, &st, fault);
    if (!file->is_stdin)
        close(fd);
    return failed ? -1 : 0;
}
