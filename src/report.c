/* SPDX-License-Identifier: ISC */
/* Reports: shared helpers for the JUnit and HTML writers. */
#include "config.h"

#include "report.h"

#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/globals.h>
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

/* Text of a report: sanitised, capped, and masked for --redact. */
static char *report_clean(const struct report_view *v, const char *text, size_t len, unsigned flags)
{
    char *clean = sanitize_is_plain(text, len, REPORT_TEXT_MAX)
                      ? xmemdup0(text, len)
                      : sanitize_text(text, len, flags, REPORT_TEXT_MAX, NULL);
    if (!v->redact)
        return clean;
    char *masked = address_mask(clean, strlen(clean));
    free(clean);
    return masked;
}

char *report_text(const struct report_view *v, const char *text, size_t len)
{
    return report_clean(v, text, len, SANITIZE_KEEP_NEWLINES);
}

char *report_line(const struct report_view *v, const char *text, size_t len)
{
    return report_clean(v, text, len, SANITIZE_ONE_LINE);
}

char *report_command(const struct report_view *v)
{
    const char *c = v->command_line ? v->command_line : "";
    char *clean = sanitize_text(c, strlen(c), SANITIZE_ONE_LINE, 0, NULL);
    if (!v->redact)
        return clean;
    char *masked = address_mask(clean, strlen(clean));
    free(clean);
    return masked;
}

char *report_address(const struct report_view *v, const char *text, size_t len)
{
    return report_clean(v, text, len, SANITIZE_ONE_LINE);
}

/* A text the caller built and hands over, as a report text. */
static char *report_line_owned(const struct report_view *v, char *raw, size_t len)
{
    if (!v->redact && sanitize_is_plain(raw, len, REPORT_TEXT_MAX))
        return raw; /* what report_line would copy */
    char *clean = report_line(v, raw, len);
    free(raw);
    return clean;
}

/* n in decimal at p; returns the end. */
static char *report_put_number(char *p, unsigned long n)
{
    char digits[24];
    size_t k = 0;
    do
        digits[k++] = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    while (k > 0)
        *p++ = digits[--k];
    return p;
}

char *report_location(const struct report_view *v, size_t file, unsigned long line,
                      unsigned long col)
{
    const char *path = v->files->files[file].path;
    size_t n = strlen(path);
    char *raw = xmalloc(n + 2 * 24 + 3), *p = raw + n;
    memcpy(raw, path, n);
    if (line > 0) {
        *p++ = ':';
        p = report_put_number(p, line);
        *p++ = ':';
        p = report_put_number(p, col);
    }
    *p = '\0';
    return report_line_owned(v, raw, (size_t)(p - raw));
}

char *report_subscription_name(const struct report_view *v, const struct verdict_subscription *s)
{
    if (s->known)
        return xstrdup(s->id);
    const char *path = v->files->files[s->unknown_file].path;
    size_t n = strlen(path) + 32;
    char *raw = xmalloc(n);
    int len = snprintf(raw, n, "unknown-subscription(%s)", path);
    return report_line_owned(v, raw, (size_t)len);
}

char *report_sha256sum_line(const struct report_view *v, const char *sha256, const char *path)
{
    char *shown = report_line(v, path, strlen(path));
    size_t n = strlen(sha256) + strlen(shown) + 4;
    char *line = xmalloc(n);
    snprintf(line, n, "%s  %s\n", sha256, shown);
    free(shown);
    return line;
}

const char *report_sha256sum_note(const struct report_view *v)
{
    return v->redact ? "Paths that hold an address are masked (--redact) in these lines as "
                       "everywhere: such a line verifies only against a listing made without "
                       "--redact."
                     : NULL;
}

char *report_file_message(const struct report_view *v, const struct evidence_file *f)
{
    char *raw = diag_fault_text(&f->fault);
    return report_line_owned(v, raw, strlen(raw));
}

/* libxml2's generic handler is printf-like: the message is dropped. */
static void report_drop_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void report_drop_structured(void *ctx, xmlErrorPtr error)
{
    (void)ctx;
    (void)error;
}

void report_quiet_libxml(void)
{
    xmlSetGenericErrorFunc(NULL, report_drop_generic);
    xmlSetStructuredErrorFunc(NULL, report_drop_structured);
    xmlThrDefSetGenericErrorFunc(NULL, report_drop_generic);
    xmlThrDefSetStructuredErrorFunc(NULL, report_drop_structured);
}

static char report_versions_text[160];

static void report_versions_init(void)
{
    char *buf = report_versions_text;
    size_t cap = sizeof report_versions_text;
    int y = yajl_version();
    /* libxml2 says "20914" for 2.9.14. */
    int x = atoi(xmlParserVersion);
    snprintf(buf, cap, "yajl %d.%d.%d, libxml2 %d.%d.%d, nettle %d.%d, zlib %s, %s", y / 10000,
             y / 100 % 100, y % 100, x / 10000, x / 100 % 100, x % 100, nettle_version_major(),
             nettle_version_minor(), zlibVersion(), archive_version_string());
}

/* Written once: the two report writers may ask at the same time. */
const char *report_versions(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, report_versions_init);
    return report_versions_text;
}

char *report_manifest_verdict(const struct manifests_summary *m)
{
    char text[256];
    if (m->verified)
        snprintf(text, sizeof text, "verified: %lu file%s match", m->matched,
                 m->matched == 1 ? "" : "s");
    else
        snprintf(text, sizeof text,
                 "%s%lu altered, %lu missing, %lu unlisted, %lu unverified, %lu problems",
                 m->refused ? "refused: " : "", m->altered, m->missing, m->unlisted, m->unverified,
                 m->messages);
    return xstrdup(text);
}

const char *report_judged(const struct report_view *v)
{
    if (v->policy && v->policy->n_org)
        return "for syntax, reserved, sample and template domains, placeholders, no-reply "
               "mailboxes, top-level domains, and belonging to the --org-domain domains";
    return "for syntax, reserved, sample and template domains, placeholders, no-reply "
           "mailboxes and top-level domains only, not for belonging to the organisation (no "
           "--org-domain was given)";
}

/* The fault of a report that could not be written: what failed, on which
 * path, and errno's words. Returns -1. */
static int report_errno_fault(struct diag_fault *fault, const char *what, const char *path)
{
    const char *why = strerror(errno);
    size_t n = strlen(what) + strlen(path) + strlen(why) + 8;
    char *msg = xmalloc(n);
    snprintf(msg, n, "%s %s: %s", what, path, why);
    diag_fault_set(fault, D_REPORT_WRITE, msg, NULL, 0, 0);
    free(msg);
    return -1;
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

/* A report file is handed to the disk every 4 MiB as it is written, so
 * that the fsync before its rename waits for the last part only, not for
 * the whole report after the last byte. */
#define REPORT_WRITEBACK (4 * 1024 * 1024)

/* Where a report's bytes go on their way to fd. A failed write is kept
 * here, not returned to libxml2 (which would print a message of its own):
 * the rest of the report is dropped and the first errno reported once. */
struct report_sink {
    int fd;
    int error;       /* errno of the first failed write, or 0 */
    int regular;     /* a file of our own (the temporary), not a device */
    off_t written;   /* bytes written to fd */
    off_t writeback; /* of which handed to the disk */
    size_t used;
    char block[REPORT_BLOCK];
};

static void report_sink_put(struct report_sink *s, const char *p, size_t n)
{
    if (s->error == 0 && report_write_all(s->fd, p, n) != 0)
        s->error = errno;
    s->written += (off_t)n;
#ifdef SYNC_FILE_RANGE_WRITE
    /* Only starts the writing: it never waits, and its failure is the
     * fsync's to report. */
    if (s->regular && s->written - s->writeback >= REPORT_WRITEBACK) {
        (void)sync_file_range(s->fd, s->writeback, s->written - s->writeback,
                              SYNC_FILE_RANGE_WRITE);
        s->writeback = s->written;
    }
#endif
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

int report_write_text(xmlTextWriterPtr w, xmlOutputBufferPtr out, const char *text)
{
    /* An empty raw write has the writer finish a start tag left open and
     * stop indenting, as its own text call does, even for an empty text. */
    int rc = xmlTextWriterWriteRawLen(w, BAD_CAST "", 0);
    if (rc < 0 || *text == '\0') /* libxml2 refuses to escape nothing */
        return rc;
    return xmlOutputBufferWriteEscape(out, BAD_CAST text, NULL);
}

xmlOutputBufferPtr report_memory_output(struct xbuf *b)
{
    return xmlOutputBufferCreateIO(report_memory_write, NULL, b, NULL);
}

int report_render(report_writer *writer, const struct report_view *v, char **out, size_t *len)
{
    struct xbuf b = { 0 };
    xmlOutputBufferPtr o = report_memory_output(&b);
    if (o == NULL || writer(v, o) != 0) {
        free(b.s);
        return -1;
    }
    *len = b.len;
    *out = xbuf_finish(&b);
    return 0;
}

/* Runs writer into s; returns 0, or -1 with *fault set. */
static int report_fill(struct report_sink *s, const char *path, report_writer *writer,
                       const struct report_view *v, struct diag_fault *fault)
{
    xmlOutputBufferPtr out = xmlOutputBufferCreateIO(report_sink_write, NULL, s, NULL);
    int failed = out == NULL || writer(v, out) != 0;
    report_sink_flush(s);
    if (s->error) {
        errno = s->error;
        return report_errno_fault(fault, "cannot write", path);
    }
    if (failed)
        return diag_fault_set(fault, D_RENDER_FAILED, path, NULL, 0, 0);
    return 0;
}

/* A device or FIFO named as the report (/dev/stdout, /dev/full) is written
 * in place: renaming a file over it would replace the device. */
static int report_write_special(struct report_sink *s, const char *path, report_writer *writer,
                                const struct report_view *v, struct diag_fault *fault)
{
    s->fd = open(path, O_WRONLY | O_CLOEXEC);
    if (s->fd < 0)
        return report_errno_fault(fault, "cannot write", path);
    int failed = report_fill(s, path, writer, v, fault) != 0;
    if (close(s->fd) != 0 && !failed)
        failed = report_errno_fault(fault, "cannot write", path);
    return failed ? -1 : 0;
}

/* The temporary file tmp, filled: synced, closed and renamed to path; or
 * removed when anything failed (failed set, or a step here). */
static int report_commit(int fd, const char *tmp, const char *path, int failed,
                         struct diag_fault *fault)
{
    if (!failed && fsync(fd) != 0 && errno != EINVAL)
        failed = report_errno_fault(fault, "cannot write", path);
    if (close(fd) != 0 && !failed)
        failed = report_errno_fault(fault, "cannot write", path);
    /* Reports are for sharing: 0644 rather than mkstemp's 0600. */
    if (!failed && chmod(tmp, 0644) != 0)
        failed = report_errno_fault(fault, "cannot set mode of", path);
    if (!failed && rename(tmp, path) != 0)
        failed = report_errno_fault(fault, "cannot rename into", path);
    if (failed)
        unlink(tmp);
    return failed ? -1 : 0;
}

static int report_write_regular(struct report_sink *s, const char *path, report_writer *writer,
                                const struct report_view *v, struct diag_fault *fault)
{
    size_t n = strlen(path) + 16;
    char *tmp = xmalloc(n);
    snprintf(tmp, n, "%s.tmpXXXXXX", path);
    s->fd = mkstemp(tmp);
    s->regular = 1;
    int rc = -1;
    if (s->fd < 0)
        report_errno_fault(fault, "cannot create", tmp);
    else
        rc = report_commit(s->fd, tmp, path, report_fill(s, path, writer, v, fault) != 0, fault);
    free(tmp);
    return rc;
}

int report_write_file(const char *path, report_writer *writer, const struct report_view *v,
                      struct diag_fault *fault)
{
    struct report_sink *s = xcalloc(1, sizeof *s);
    struct stat st;
    int rc;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        rc = report_write_special(s, path, writer, v, fault);
    else
        rc = report_write_regular(s, path, writer, v, fault);
    free(s);
    return rc;
}

/* ---- the run's outputs ------------------------------------------------------------ */

/* Two paths name one file: the same inode, or (for files not there yet)
 * the same text. A device such as /dev/null is no file to destroy. */
static int report_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    int ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
    if (ha && hb)
        return S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return ha == hb && strcmp(a, b) == 0;
}

static int report_is_evidence(const char *out, const struct evidence_list *files)
{
    struct stat rs;
    if (stat(out, &rs) != 0)
        return 0;
    for (size_t i = 0; i < files->count; i++)
        if (!files->files[i].is_stdin && report_same_file(out, files->files[i].path))
            return 1;
    return 0;
}

int report_check_outputs(const struct report_output *outs, size_t n,
                         const struct evidence_list *files, const struct report_input *inputs,
                         size_t n_inputs, struct diag *d)
{
    int refused = 0;
    for (size_t i = 0; i < n; i++) {
        const char *path = outs[i].path;
        if (path == NULL)
            continue;
        if (report_is_evidence(path, files)) {
            diag_emit(d, NULL, 0, 0, D_REPORT_IS_INPUT, NULL, NULL);
            refused = 1;
        }
        for (size_t k = 0; k < n_inputs; k++)
            if (inputs[k].path && strcmp(inputs[k].path, "-") != 0 &&
                report_same_file(path, inputs[k].path)) {
                diag_emit(d, NULL, 0, 0, D_REPORT_IS_OPTION_INPUT, path, inputs[k].option);
                refused = 1;
            }
        for (size_t k = 0; k < i; k++)
            if (outs[k].path && report_same_file(path, outs[k].path)) {
                diag_emit(d, NULL, 0, 0, D_REPORTS_CLASH, path, NULL);
                refused = 1;
            }
    }
    return refused ? -1 : 0;
}

struct report_job {
    const struct report_output *out;
    const struct report_view *v;
    struct diag_fault fault;
    int failed;
};

static void *report_job_run(void *arg)
{
    struct report_job *j = arg;
    report_quiet_libxml(); /* the handlers are this thread's own */
    j->failed = report_write_file(j->out->path, j->out->writer, j->v, &j->fault) != 0;
    return NULL;
}

enum outcome_exit report_write_outputs(const struct report_output *outs, size_t n,
                                       const struct report_view *v, struct diag *d)
{
    struct report_job *jobs = xcalloc(n + 1, sizeof *jobs);
    size_t todo = 0;
    for (size_t i = 0; i < n; i++)
        if (outs[i].path)
            jobs[todo++] = (struct report_job){ &outs[i], v, { 0 }, 0 };
    xmlInitParser(); /* libxml2's own set-up, once, before a second thread uses it */
    /* In pairs: the second of each pair on another thread. */
    for (size_t i = 0; i < todo; i += 2) {
        pthread_t second;
        int threaded =
            i + 1 < todo && pthread_create(&second, NULL, report_job_run, &jobs[i + 1]) == 0;
        report_job_run(&jobs[i]);
        if (threaded)
            pthread_join(second, NULL);
        else if (i + 1 < todo)
            report_job_run(&jobs[i + 1]);
    }
    enum outcome_exit rc = OUTCOME_EXIT_PASS;
    for (size_t i = 0; i < todo; i++) {
        if (jobs[i].failed) {
            diag_emit_fault(d, NULL, &jobs[i].fault);
            enum outcome_exit this = jobs[i].fault.id == D_RENDER_FAILED ? OUTCOME_EXIT_INTERNAL
                                                                         : OUTCOME_EXIT_INCOMPLETE;
            if (this > rc)
                rc = this;
        }
        diag_fault_clear(&jobs[i].fault);
    }
    free(jobs);
    return rc;
}

int report_clock(time_t *out, int *from_env, struct diag_fault *fault)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    *from_env = 0;
    if (sde == NULL || *sde == '\0') {
        *out = time(NULL);
        return 0;
    }
    /* reproducible-builds.org: a malformed value is an error, not ignored */
    char *end = NULL;
    errno = 0;
    long long t = strtoll(sde, &end, 10);
    if (errno != 0 || *end != '\0' || t < 0 || sde[0] < '0' || sde[0] > '9')
        return diag_fault_set(fault, D_USAGE, "SOURCE_DATE_EPOCH is not a whole number of seconds",
                              NULL, 0, 0);
    *out = (time_t)t;
    *from_env = 1;
    return 0;
}
