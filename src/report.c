/* Reports: shared helpers for the JUnit and HTML writers. */
#include "config.h"

#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <nettle/version.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_version.h>
#include <zlib.h>

#include "address.h"
#include "sanitize.h"
#include "xalloc.h"

/* Evidence quoted in a report is capped: a 100 MB string stays evidence
 * (its hash is in the manifest), not a 100 MB report. */
#define REPORT_TEXT_MAX 1024

void report_time(time_t t, int zone, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, zone ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S", &tm);
}

const char *report_overall(const struct report_view *v)
{
    for (size_t i = 0; i < v->files->count; i++) {
        if (v->files->files[i].status == EVIDENCE_ERROR)
            return "ERROR";
    }
    if (v->counts[VERDICT_ERROR])
        return "ERROR";
    if (v->counts[VERDICT_FAIL])
        return "FAIL";
    return "PASS";
}

/* Text the caller built and hands over, sanitised: raw itself when it
 * is plain, else its sanitised copy (raw is freed). */
static char *report_sanitize_owned(char *raw, size_t len)
{
    if (sanitize_is_plain(raw, len, REPORT_TEXT_MAX))
        return raw;
    char *clean = sanitize_text(raw, len, SANITIZE_ONE_LINE, REPORT_TEXT_MAX, NULL);
    free(raw);
    return clean;
}

char *report_text(const char *text, size_t len)
{
    return sanitize_text(text, len, SANITIZE_KEEP_NEWLINES, REPORT_TEXT_MAX, NULL);
}

char *report_address(const struct report_view *v, const char *text, size_t len)
{
    if (!v->redact)
        return sanitize_text(text, len, SANITIZE_ONE_LINE, REPORT_TEXT_MAX, NULL);
    char masked[ADDRESS_REDACT_CAP];
    size_t n = address_redact(text, len, masked, sizeof masked);
    return xmemdup0(masked, n);
}

/* RFC 5322 atext and '.', less the quote that reasons put around values. */
static int report_local_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&*+/=?^_`{|}~.-", c) != NULL);
}

static int report_domain_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
}

char *report_redact_text(const char *text)
{
    size_t len = strlen(text), ats = 0;
    for (size_t i = 0; i < len; i++)
        ats += text[i] == '@';
    /* A mask is at most 3 bytes longer than what it replaces ("a@" -> "a***@"). */
    char *out = xmalloc(len + 3 * ats + 1);
    size_t o = 0, done = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '@')
            continue;
        size_t l = i, r = i + 1;
        while (l > done && report_local_char((unsigned char)text[l - 1]))
            l--;
        while (r < len && report_domain_char((unsigned char)text[r]))
            r++;
        while (r > i + 1 && (text[r - 1] == '.' || text[r - 1] == '-'))
            r--; /* the full stop ending a sentence */
        if (l == i || r == i + 1)
            continue;
        memcpy(out + o, text + done, l - done);
        o += l - done;
        out[o++] = text[l];
        memcpy(out + o, "***@", 4);
        o += 4;
        memcpy(out + o, text + i + 1, r - i - 1);
        o += r - i - 1;
        done = r;
        i = r - 1;
    }
    memcpy(out + o, text + done, len - done);
    o += len - done;
    out[o] = '\0';
    return out;
}

char *report_location(const struct report_view *v, size_t file, unsigned long line,
                      unsigned long col)
{
    const char *path = v->files->files[file].path;
    size_t n = strlen(path) + 48;
    char *raw = xmalloc(n);
    int len =
        line > 0 ? snprintf(raw, n, "%s:%lu:%lu", path, line, col) : snprintf(raw, n, "%s", path);
    return report_sanitize_owned(raw, (size_t)len);
}

char *report_subscription_name(const struct report_view *v, const struct verdict_subscription *s)
{
    if (s->known)
        return xstrdup(s->id);
    const char *path = v->files->files[s->unknown_file].path;
    size_t n = strlen(path) + 32;
    char *raw = xmalloc(n);
    int len = snprintf(raw, n, "unknown-subscription(%s)", path);
    return report_sanitize_owned(raw, (size_t)len);
}

static char report_versions_text[160];

static void report_versions_init(void)
{
    char *buf = report_versions_text;
    size_t cap = sizeof report_versions_text;
    int y = yajl_version();
    /* libxml2 says "20914" for 2.9.14. */
    int x = atoi(xmlParserVersion);
    snprintf(buf, cap, "yajl %d.%d.%d, libxml2 %d.%d.%d, nettle %d.%d, zlib %s", y / 10000,
             y / 100 % 100, y % 100, x / 10000, x / 100 % 100, x % 100, nettle_version_major(),
             nettle_version_minor(), zlibVersion());
}

/* Written once: the two report writers may ask at the same time. */
const char *report_versions(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, report_versions_init);
    return report_versions_text;
}

static char *report_errno_message(const char *what, const char *path)
{
    const char *why = strerror(errno);
    size_t n = strlen(what) + strlen(path) + strlen(why) + 8;
    char *msg = xmalloc(n);
    snprintf(msg, n, "%s %s: %s", what, path, why);
    return msg;
}

/* Writes all of data to fd; returns 0 or -1 with errno set. */
static int report_write_all(int fd, const char *p, size_t left)
{
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    return 0;
}

/* libxml2 hands its output on in pieces of about 4 KB; they are gathered
 * into blocks this large so that a 40 MB page is a few hundred write(2)s. */
#define REPORT_BLOCK (256 * 1024)

/* Where a report's bytes go on their way to fd. A failed write is kept
 * here, not returned to libxml2 (which would print a message of its own):
 * the rest of the report is dropped and the first errno reported once. */
struct report_sink {
    int fd;
    int error; /* errno of the first failed write, or 0 */
    size_t used;
    char block[REPORT_BLOCK];
};

static void report_sink_put(struct report_sink *s, const char *p, size_t n)
{
    if (s->error == 0 && report_write_all(s->fd, p, n) != 0)
        s->error = errno;
}

static void report_sink_flush(struct report_sink *s)
{
    report_sink_put(s, s->block, s->used);
    s->used = 0;
}

/* xmlOutputWriteCallback over a struct report_sink. */
static int report_sink_write(void *ctx, const char *data, int len)
{
    struct report_sink *s = ctx;
    size_t n = (size_t)len;
    if (s->used + n > sizeof s->block)
        report_sink_flush(s);
    if (n >= sizeof s->block) {
        report_sink_put(s, data, n);
    } else {
        memcpy(s->block + s->used, data, n);
        s->used += n;
    }
    return len;
}

/* xmlOutputWriteCallback over a struct xbuf. */
static int report_memory_write(void *ctx, const char *data, int len)
{
    xbuf_addn(ctx, data, (size_t)len);
    return len;
}

int report_render(report_writer *writer, const struct report_view *v, char **out, size_t *len)
{
    struct xbuf b = { 0 };
    xmlOutputBufferPtr o = xmlOutputBufferCreateIO(report_memory_write, NULL, &b, NULL);
    if (o == NULL || writer(v, o) != 0) {
        free(b.s);
        return -1;
    }
    *len = b.len;
    *out = xbuf_finish(&b);
    return 0;
}

/* Runs writer into s; returns 0, or -1 with *error set when a write failed
 * and left NULL when the writer did. */
static int report_fill(struct report_sink *s, const char *path, report_writer *writer,
                       const struct report_view *v, char **error)
{
    xmlOutputBufferPtr out = xmlOutputBufferCreateIO(report_sink_write, NULL, s, NULL);
    int failed = out == NULL || writer(v, out) != 0;
    report_sink_flush(s);
    if (s->error) {
        errno = s->error;
        *error = report_errno_message("cannot write", path);
        failed = 1;
    }
    return failed ? -1 : 0;
}

/* A device or FIFO named as the report (/dev/stdout, /dev/full) is written
 * in place: renaming a file over it would replace the device. */
static int report_write_special(struct report_sink *s, const char *path, report_writer *writer,
                                const struct report_view *v, char **error)
{
    s->fd = open(path, O_WRONLY | O_CLOEXEC);
    if (s->fd < 0) {
        *error = report_errno_message("cannot write", path);
        return -1;
    }
    int failed = report_fill(s, path, writer, v, error) != 0;
    if (close(s->fd) != 0 && !failed) {
        failed = 1;
        *error = report_errno_message("cannot write", path);
    }
    return failed ? -1 : 0;
}

/* The temporary file tmp, filled: synced, closed and renamed to path; or
 * removed when anything failed (failed set, or a step here). */
static int report_commit(int fd, const char *tmp, const char *path, int failed, char **error)
{
    if (!failed && fsync(fd) != 0 && errno != EINVAL) {
        failed = 1;
        *error = report_errno_message("cannot write", path);
    }
    if (close(fd) != 0 && !failed) {
        failed = 1;
        *error = report_errno_message("cannot write", path);
    }
    /* Reports are for sharing: 0644 rather than mkstemp's 0600. */
    if (!failed && chmod(tmp, 0644) != 0) {
        failed = 1;
        *error = report_errno_message("cannot set mode of", path);
    }
    if (!failed && rename(tmp, path) != 0) {
        failed = 1;
        *error = report_errno_message("cannot rename into", path);
    }
    if (failed)
        unlink(tmp);
    return failed ? -1 : 0;
}

static int report_write_regular(struct report_sink *s, const char *path, report_writer *writer,
                                const struct report_view *v, char **error)
{
    size_t n = strlen(path) + 16;
    char *tmp = xmalloc(n);
    snprintf(tmp, n, "%s.tmpXXXXXX", path);
    s->fd = mkstemp(tmp);
    int rc = -1;
    if (s->fd < 0)
        *error = report_errno_message("cannot create", tmp);
    else
        rc = report_commit(s->fd, tmp, path, report_fill(s, path, writer, v, error) != 0, error);
    free(tmp);
    return rc;
}

int report_write_file(const char *path, report_writer *writer, const struct report_view *v,
                      char **error)
{
    *error = NULL;
    struct report_sink *s = xmalloc(sizeof *s);
    s->error = 0;
    s->used = 0;
    struct stat st;
    int rc;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        rc = report_write_special(s, path, writer, v, error);
    else
        rc = report_write_regular(s, path, writer, v, error);
    free(s);
    return rc;
}
