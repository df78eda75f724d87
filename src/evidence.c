/* Evidence input: argument expansion, reading, hashing and decoding. */
#include "config.h"

#include "evidence.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "diag.h"
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
}

void evidence_list_free(struct evidence_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->files[i].path);
        free(list->files[i].message);
        free(list->files[i].api_error);
    }
    free(list->files);
    evidence_list_init(list);
}

static struct evidence_file *evidence_add(struct evidence_list *list, const char *path)
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

void evidence_file_fail(struct evidence_file *file, const char *message, unsigned long line,
                        unsigned long col)
{
    if (file->status == EVIDENCE_ERROR)
        return;
    file->status = EVIDENCE_ERROR;
    free(file->message);
    file->message = xstrdup(message);
    file->line = line;
    file->col = col;
}

static void evidence_add_problem(struct evidence_list *list, const char *path, enum diag_id id,
                                 const char *arg)
{
    struct evidence_file *f = evidence_add(list, path);
    char *msg = diag_format(id, arg, NULL);
    if (diag_catalogue[id].level == DIAG_ERROR) {
        evidence_file_fail(f, msg, 0, 0);
    } else {
        f->status = EVIDENCE_SKIPPED;
        f->message = xstrdup(msg);
    }
    free(msg);
}

static int evidence_name_is_json(const char *name)
{
    size_t n = strlen(name);
    return (n >= 5 && strcasecmp(name + n - 5, ".json") == 0) ||
           (n >= 8 && strcasecmp(name + n - 8, ".json.gz") == 0);
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
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ELOOP)
            evidence_add_problem(list, path, D_SYMLINK_LOOP, NULL);
        else
            evidence_add_problem(list, path, D_CANNOT_OPEN, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        evidence_walk_dir(list, path, &st, walk);
    } else if (!S_ISREG(st.st_mode)) {
        evidence_add_problem(list, path, D_NOT_REGULAR, evidence_kind_name(st.st_mode));
    } else if (!evidence_name_is_json(name)) {
        evidence_add_problem(list, path, D_NOT_JSON_NAME, NULL);
    } else {
        evidence_add(list, path);
    }
}

static void evidence_walk_dir(struct evidence_list *list, const char *dir, const struct stat *st,
                              struct evidence_walk *walk)
{
    for (int i = 0; i < walk->depth; i++) {
        if (walk->dev[i] == st->st_dev && walk->ino[i] == st->st_ino) {
            evidence_add_problem(list, dir, D_SYMLINK_LOOP, NULL);
            return;
        }
    }
    if (walk->depth == (int)(sizeof walk->dev / sizeof walk->dev[0])) {
        evidence_add_problem(list, dir, D_CANNOT_OPEN, "folders nested too deep");
        return;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        evidence_add_problem(list, dir, D_CANNOT_OPEN, strerror(errno));
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
        struct evidence_file *f = evidence_add(list, "-");
        f->is_stdin = 1;
        f->named = 1;
        return;
    }
    struct stat st;
    if (stat(arg, &st) != 0) {
        /* Named evidence that cannot be opened is an error, a loop too. */
        evidence_add_problem(list, arg, D_CANNOT_OPEN, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        struct evidence_walk walk = { .depth = 0 };
        evidence_walk_dir(list, arg, &st, &walk);
        return;
    }
    struct evidence_file *f = evidence_add(list, arg);
    f->named = 1;
}

/* ---- decoding --------------------------------------------------------- */

enum evidence_text { TEXT_UNDECIDED, TEXT_UTF8, TEXT_UTF16 };
enum evidence_notice { NOTICE_LEADING, NOTICE_BLANKING, NOTICE_DONE };

struct evidence_decoder {
    struct evidence_file *file;
    evidence_sink_fn sink;
    void *ctx;
    char *error;
    int stopped;

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

    char out[EVIDENCE_OUT_CHUNK];
};

static int evidence_fail_decode(struct evidence_decoder *dec, enum diag_id id, const char *a1,
                                const char *a2)
{
    if (dec->error == NULL)
        dec->error = diag_format(id, a1, a2);
    return -1;
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

/* Lines az prints on stderr that end up before the JSON when an export was
 * captured with 2>&1. Only these are blanked; any other text is an error. */
static const char *const evidence_notice_prefixes[] = {
    "WARNING:", "Command group '", "Command '", "This command ", "The command ",
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

/* Decides what the buffered start of a leading line is. Notice lines are
 * turned into blanks so that line and column numbers stay exact. */
static int evidence_notice_decide(struct evidence_decoder *dec)
{
    if (evidence_line_is_notice(dec->line, dec->nline)) {
        dec->file->notice_lines++;
        /* A short notice is buffered whole, its newline included: that
         * newline stays, and the next line is looked at afresh. */
        int whole = dec->line[dec->nline - 1] == '\n';
        memset(dec->line, ' ', dec->nline - (size_t)whole);
        dec->notice = whole ? NOTICE_LEADING : NOTICE_BLANKING;
    } else {
        dec->notice = NOTICE_DONE;
    }
    size_t n = dec->nline;
    dec->nline = 0;
    return evidence_emit(dec, dec->line, n);
}

static int evidence_notice_filter(struct evidence_decoder *dec, char *text, size_t len)
{
    size_t i = 0;
    while (i < len && dec->notice != NOTICE_DONE) {
        if (dec->notice == NOTICE_BLANKING) {
            size_t start = i;
            while (i < len && text[i] != '\n')
                text[i++] = ' ';
            if (i < len) {
                i++;
                dec->notice = NOTICE_LEADING;
            }
            if (evidence_emit(dec, text + start, i - start) != 0)
                return -1;
            continue;
        }
        /* NOTICE_LEADING: whitespace before any line passes through. */
        if (dec->nline == 0 &&
            (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) {
            if (evidence_emit(dec, text + i, 1) != 0)
                return -1;
            i++;
            continue;
        }
        if (dec->nline == 0 && !(text[i] >= 'A' && text[i] <= 'Z')) {
            dec->notice = NOTICE_DONE; /* JSON never starts with a capital */
            break;
        }
        dec->line[dec->nline++] = text[i++];
        if (dec->nline == sizeof dec->line || text[i - 1] == '\n') {
            if (evidence_notice_decide(dec) != 0)
                return -1;
        }
    }
    return evidence_emit(dec, text + i, len - i);
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

static int evidence_text_push(struct evidence_decoder *dec, const unsigned char *data, size_t len)
{
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
        if (produced > 0 && evidence_text_push(dec, buf, produced) != 0)
            return -1;
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
        return evidence_inflate(dec, dec->raw_peek, dec->raw_npeek);
    }
    return evidence_text_push(dec, dec->raw_peek, dec->raw_npeek);
}

struct evidence_decoder *evidence_decoder_alloc(struct evidence_file *file, evidence_sink_fn sink,
                                                void *ctx)
{
    struct evidence_decoder *dec = xcalloc(1, sizeof *dec);
    dec->file = file;
    dec->sink = sink;
    dec->ctx = ctx;
    return dec;
}

int evidence_decoder_push(struct evidence_decoder *dec, const unsigned char *raw, size_t len)
{
    if (dec->error || dec->stopped)
        return -1;
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
    return dec->inflating ? evidence_inflate(dec, raw, len) : evidence_text_push(dec, raw, len);
}

int evidence_decoder_finish(struct evidence_decoder *dec)
{
    if (dec->error || dec->stopped)
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
        dec->notice = NOTICE_DONE;
    return 0;
}

const char *evidence_decoder_error(const struct evidence_decoder *dec)
{
    return dec->error;
}

void evidence_decoder_free(struct evidence_decoder *dec)
{
    if (dec == NULL)
        return;
    if (dec->inflating)
        inflateEnd(&dec->z);
    free(dec->stage);
    free(dec->error);
    free(dec);
}

/* ---- reading ---------------------------------------------------------- */

static void evidence_hex(const unsigned char *digest, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}

static void evidence_io_fail(struct evidence_file *file, enum diag_id id, const char *why)
{
    char *msg = diag_format(id, why, NULL);
    evidence_file_fail(file, msg, 0, 0);
    free(msg);
}

/* Opens without ever blocking on a FIFO that has no writer; refuses devices
 * and sockets even when named, since they never end. */
static int evidence_open(struct evidence_file *file, struct stat *st)
{
    if (file->is_stdin) {
        if (fstat(STDIN_FILENO, st) != 0) {
            evidence_io_fail(file, D_CANNOT_OPEN, strerror(errno));
            return -1;
        }
        return STDIN_FILENO;
    }
    int fd = open(file->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        evidence_io_fail(file, errno == ELOOP ? D_SYMLINK_LOOP : D_CANNOT_OPEN, strerror(errno));
        return -1;
    }
    if (fstat(fd, st) != 0 || (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode))) {
        evidence_io_fail(file, D_CANNOT_OPEN,
                         S_ISDIR(st->st_mode) ? "is a folder" : evidence_kind_name(st->st_mode));
        close(fd);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

/* ---- hashing on a second core ------------------------------------------------ */

/* A large regular file is hashed on a second thread while it is parsed:
 * the reader hands each chunk it read to the hasher and parses it, and
 * only waits when the hasher is EVIDENCE_HASH_SLOTS chunks behind. Both
 * only read a chunk; it is refilled once hashed. Small files are hashed
 * in line: a thread per file would cost more than their hash. */
#define EVIDENCE_HASH_SLOTS 4
#define EVIDENCE_HASH_THREAD_MIN (4 * 1024 * 1024)

struct evidence_hasher {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct sha256_ctx *sha;                   /* borrowed from evidence_read */
    unsigned char *slot[EVIDENCE_HASH_SLOTS]; /* owned */
    size_t len[EVIDENCE_HASH_SLOTS];
    unsigned long filled, hashed; /* chunks handed over, chunks hashed */
    int closing;
};

static void *evidence_hasher_run(void *arg)
{
    struct evidence_hasher *h = arg;
    pthread_mutex_lock(&h->lock);
    for (;;) {
        while (h->hashed == h->filled && !h->closing)
            pthread_cond_wait(&h->changed, &h->lock);
        if (h->hashed == h->filled)
            break; /* closing, and every chunk hashed */
        size_t i = h->hashed % EVIDENCE_HASH_SLOTS;
        pthread_mutex_unlock(&h->lock);
        sha256_update(h->sha, h->len[i], h->slot[i]);
        pthread_mutex_lock(&h->lock);
        h->hashed++;
        pthread_cond_broadcast(&h->changed);
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

/* Starts a hasher over sha with chunks of read_size; NULL when no thread
 * could be started (the caller then hashes in line). Free with
 * evidence_hasher_finish(). */
static struct evidence_hasher *evidence_hasher_start(struct sha256_ctx *sha, size_t read_size)
{
    struct evidence_hasher *h = xcalloc(1, sizeof *h);
    h->sha = sha;
    for (int i = 0; i < EVIDENCE_HASH_SLOTS; i++)
        h->slot[i] = xmalloc(read_size);
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->changed, NULL);
    if (pthread_create(&h->thread, NULL, evidence_hasher_run, h) == 0)
        return h;
    pthread_cond_destroy(&h->changed);
    pthread_mutex_destroy(&h->lock);
    for (int i = 0; i < EVIDENCE_HASH_SLOTS; i++)
        free(h->slot[i]);
    free(h);
    return NULL;
}

/* The buffer to read the next chunk into, once the hasher is done with it. */
static unsigned char *evidence_hasher_buffer(struct evidence_hasher *h)
{
    pthread_mutex_lock(&h->lock);
    while (h->filled - h->hashed >= EVIDENCE_HASH_SLOTS)
        pthread_cond_wait(&h->changed, &h->lock);
    unsigned char *buf = h->slot[h->filled % EVIDENCE_HASH_SLOTS];
    pthread_mutex_unlock(&h->lock);
    return buf;
}

/* Hands the n bytes just read into evidence_hasher_buffer() to the hasher. */
static void evidence_hasher_give(struct evidence_hasher *h, size_t n)
{
    pthread_mutex_lock(&h->lock);
    h->len[h->filled % EVIDENCE_HASH_SLOTS] = n;
    h->filled++;
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
}

/* Waits for every chunk to be hashed and frees the hasher. */
static void evidence_hasher_finish(struct evidence_hasher *h)
{
    if (h == NULL)
        return;
    pthread_mutex_lock(&h->lock);
    h->closing = 1;
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
    pthread_join(h->thread, NULL);
    pthread_cond_destroy(&h->changed);
    pthread_mutex_destroy(&h->lock);
    for (int i = 0; i < EVIDENCE_HASH_SLOTS; i++)
        free(h->slot[i]);
    free(h);
}

enum evidence_read_result evidence_read(struct evidence_file *file, size_t read_size,
                                        evidence_sink_fn sink, void *ctx, char **decode_error)
{
    *decode_error = NULL;
    struct stat st;
    int fd = evidence_open(file, &st);
    if (fd < 0)
        return EVIDENCE_READ_IO_ERROR;
    if (read_size == 0)
        read_size = EVIDENCE_DEFAULT_READ;
    struct sha256_ctx sha;
    sha256_init(&sha);
    struct evidence_hasher *hasher = NULL;
    /* (tiny test read sizes would only make the two threads take turns) */
    if (S_ISREG(st.st_mode) && st.st_size >= EVIDENCE_HASH_THREAD_MIN &&
        read_size >= EVIDENCE_DEFAULT_READ)
        hasher = evidence_hasher_start(&sha, read_size);
    unsigned char *own = hasher ? NULL : xmalloc(read_size);
    struct evidence_decoder *dec = evidence_decoder_alloc(file, sink, ctx);
    int feeding = 1, io_error = 0;
    file->size = 0;
    for (;;) {
        unsigned char *buf = hasher ? evidence_hasher_buffer(hasher) : own;
        ssize_t n = read(fd, buf, read_size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            evidence_io_fail(file, D_READ_FAILED, strerror(errno));
            io_error = 1;
            break;
        }
        if (n == 0)
            break;
        if (hasher)
            evidence_hasher_give(hasher, (size_t)n);
        else
            sha256_update(&sha, (size_t)n, buf);
        file->size += (uint64_t)n;
        if (feeding && evidence_decoder_push(dec, buf, (size_t)n) != 0) {
            feeding = 0;
            /* Keep hashing a regular file to its end so the digest covers
             * the file as stored; a pipe is not worth draining. */
            if (!S_ISREG(st.st_mode))
                break;
        }
    }
    if (feeding && !io_error)
        feeding = evidence_decoder_finish(dec) == 0;
    evidence_hasher_finish(hasher);
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(&sha, sizeof digest, digest);
    evidence_hex(digest, file->sha256);
    struct stat after;
    file->hashed = !io_error && (feeding || S_ISREG(st.st_mode));
    if (!io_error && S_ISREG(st.st_mode) && fstat(fd, &after) == 0 &&
        (after.st_size != st.st_size || (uint64_t)after.st_size != file->size ||
         after.st_mtim.tv_sec != st.st_mtim.tv_sec ||
         after.st_mtim.tv_nsec != st.st_mtim.tv_nsec)) {
        evidence_io_fail(file, D_READ_FAILED, "file changed while it was being read");
        io_error = 1;
    } else if (!io_error && S_ISREG(st.st_mode) && !file->is_stdin && fstat(fd, &after) == 0 &&
               after.st_nlink == 0) {
        /* The bytes read are whole, but the file is gone (deleted, or
         * replaced by a rename): the sha256sum line in the reports could
         * not be checked against the bundle any more. */
        evidence_io_fail(file, D_READ_FAILED, "file removed or replaced while it was being read");
        io_error = 1;
    }
    if (!file->is_stdin)
        close(fd);
    free(own);
    enum evidence_read_result result = EVIDENCE_READ_OK;
    if (io_error) {
        result = EVIDENCE_READ_IO_ERROR;
    } else if (!feeding) {
        const char *err = evidence_decoder_error(dec);
        if (err) {
            *decode_error = xstrdup(err);
            result = EVIDENCE_READ_DECODE_ERROR;
        } else {
            result = EVIDENCE_READ_STOPPED;
        }
    }
    evidence_decoder_free(dec);
    return result;
}
