/* Audit: the pipeline driver (see audit.h). */
#include "config.h"

#include "audit.h"

#include <errno.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "contacts.h"
#include "diag.h"
#include "evidence.h"
#include "html.h"
#include "jstream.h"
#include "junit.h"
#include "report.h"
#include "rules.h"
#include "sanitize.h"
#include "verdicts.h"
#include "waivers.h"
#include "xalloc.h"

struct audit {
    const struct audit_options *opt;
    struct evidence_list files;
    struct verdict_table *table;
    size_t current; /* index of the file being read */
    struct jstream *js;
    struct contacts *contacts;
};

/* ---- diagnostics ------------------------------------------------------------ */

/* Messages quote evidence (the account in an API error, an address): with
 * --redact they are masked on standard error as in the reports, since CI
 * logs travel as far as tickets do. */
static void audit_say(const struct audit *a, const struct evidence_file *f, unsigned long line,
                      unsigned long col, enum diag_level level, const char *msg)
{
    char *masked = a->opt->redact ? report_redact_text(msg) : NULL;
    diag_print(stderr, f ? f->path : NULL, line, col, level, masked ? masked : msg);
    free(masked);
}

static void audit_diagnose(void *ctx, const struct evidence_file *file, enum diag_id id,
                           const struct jstream_pos *pos, const char *a1, const char *a2)
{
    char *msg = diag_format(id, a1, a2);
    audit_say(ctx, file, pos ? pos->line : 0, pos ? pos->col : 0, diag_catalogue[id].level, msg);
    free(msg);
}

/* ---- the contact sink ---------------------------------------------------------- */

static void audit_record(void *ctx, const struct contact_record *r)
{
    struct audit *a = ctx;
    verdicts_add_record(a->table, a->current, r);
}

static void audit_no_contacts(void *ctx, const struct evidence_file *file, const guid_text sub,
                              const struct jstream_pos *pos)
{
    struct audit *a = ctx;
    (void)file;
    verdicts_add_empty_list(a->table, a->current, sub, pos);
}

static void audit_error_body(void *ctx, const struct evidence_file *file, const char *sub,
                             const char *code, const char *message, const struct jstream_pos *pos)
{
    struct audit *a = ctx;
    char *msg = diag_format(D_API_ERROR, code, message);
    audit_say(a, file, pos->line, pos->col, DIAG_ERROR, msg);
    struct evidence_file *f = &a->files.files[a->current];
    if (f->api_error == NULL) /* for the file's line in the manifest */
        f->api_error = xstrdup(msg);
    verdicts_add_problem(a->table, a->current, sub, pos->line, pos->col, msg);
    free(msg);
}

static void audit_inventory(void *ctx, const struct evidence_file *file, const guid_text sub,
                            const char *display_name, const char *state,
                            const struct jstream_pos *pos)
{
    struct audit *a = ctx;
    (void)file;
    (void)pos;
    verdicts_add_inventory(a->table, sub, display_name, state);
}

static const struct contact_sink audit_sink = { audit_record, audit_no_contacts, audit_error_body,
                                                audit_inventory, audit_diagnose };

/* ---- reading one file ------------------------------------------------------------- */

static int audit_feed(void *ctx, const char *text, size_t len)
{
    struct audit *a = ctx;
    return jstream_feed(a->js, text, len);
}

/* Marks the file unreadable at line:col; its records stop counting and the
 * subscription its path names gets an ERROR of its own. */
static void audit_file_failed(struct audit *a, struct evidence_file *f, char *msg,
                              unsigned long line, unsigned long col)
{
    evidence_file_fail(f, msg, line, col);
    audit_say(a, f, line, col, DIAG_ERROR, msg);
    char *path = sanitize_text(f->path, strlen(f->path), SANITIZE_ONE_LINE, 0, NULL);
    size_t n = strlen(path) + strlen(msg) + 64;
    char *problem = xmalloc(n);
    if (line)
        snprintf(problem, n, "unreadable evidence %s:%lu:%lu: %s", path, line, col, msg);
    else
        snprintf(problem, n, "unreadable evidence %s: %s", path, msg);
    verdicts_file_failed(a->table, a->current, line, col, problem);
    if (f->has_path_subscription)
        verdicts_add_problem(a->table, a->current, f->path_subscription, line, col, problem);
    guid_text named;
    if (a->contacts && contacts_pending_subscription(a->contacts, named) &&
        !(f->has_path_subscription && strcmp(named, f->path_subscription) == 0))
        verdicts_add_problem(a->table, a->current, named, line, col, problem);
    free(problem);
    free(path);
    free(msg);
}

static char *audit_stream_message(const struct jstream *js, struct jstream_pos *pos)
{
    const char *detail = jstream_error(js, pos);
    switch (jstream_failure(js)) {
    case JSTREAM_SYNTAX: return diag_format(D_JSON_SYNTAX, detail, NULL);
    case JSTREAM_DEPTH: return diag_format(D_TOO_DEEP, detail, NULL);
    case JSTREAM_TOKEN: return diag_format(D_VALUE_TOO_LONG, detail, NULL);
    case JSTREAM_UTF8: return diag_format(D_INVALID_UTF8, detail, NULL);
    default: return xstrdup(detail ? detail : "evidence rejected");
    }
}

static void audit_read_file(struct audit *a, size_t index)
{
    struct evidence_file *f = &a->files.files[index];
    a->current = index;
    a->contacts = contacts_alloc(f, &audit_sink, a);
    a->js = jstream_alloc(&contacts_jstream_handler, a->contacts, 0, 0);
    contacts_attach(a->contacts, a->js);
    char *decode_error = NULL;
    enum evidence_read_result rr =
        evidence_read(f, a->opt->read_size, audit_feed, a, &decode_error);
    struct jstream_pos pos = jstream_position(a->js);
    char *msg = NULL;
    if (rr == EVIDENCE_READ_IO_ERROR) {
        msg = xstrdup(f->message);
        f->status = EVIDENCE_PENDING; /* let audit_file_failed record it once */
        pos.line = pos.col = 0;
    } else if (rr == EVIDENCE_READ_DECODE_ERROR) {
        msg = decode_error;
        decode_error = NULL;
    } else if (rr == EVIDENCE_READ_STOPPED) {
        msg = audit_stream_message(a->js, &pos);
    } else if (!jstream_saw_content(a->js)) {
        msg = diag_format(D_NO_EVIDENCE_IN_FILE, NULL, NULL);
        pos.line = pos.col = 0;
    } else if (jstream_finish(a->js) != 0) {
        msg = audit_stream_message(a->js, &pos);
    } else if (contacts_finish(a->contacts, &msg) != 0) {
        pos.line = pos.col = 0;
    }
    if (f->notice_lines) {
        char n[24];
        snprintf(n, sizeof n, "%lu", f->notice_lines);
        char *note = diag_format(D_NOTICE_LINES, n, NULL);
        audit_say(a, f, 0, 0, DIAG_NOTE, note);
        free(note);
    }
    if (msg)
        audit_file_failed(a, f, msg, pos.line, pos.col);
    else
        f->status = EVIDENCE_READ;
    f->documents = jstream_documents(a->js);
    free(decode_error);
    jstream_free(a->js);
    contacts_free(a->contacts);
    a->js = NULL;
    a->contacts = NULL;
}

/* ---- output ----------------------------------------------------------------------- */

static void audit_count(const struct audit *a, struct report_view *v)
{
    size_t n = verdicts_count(a->table);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(a->table, i);
        if (s->disabled)
            v->not_audited++;
        else
            v->counts[s->results[RULE_CONTACT_EMAIL].status]++;
    }
}

struct audit_not_counted {
    const struct audit *a;
    struct report_view masking; /* --redact holds here too */
};

static void audit_warn_address(const struct verdict_contact *c, const struct verdict_address *ad,
                               void *ctx)
{
    struct audit_not_counted *w = ctx;
    char *text = report_address(&w->masking, ad->text, ad->len);
    char *msg = diag_format(D_UNDELIVERABLE_KEPT, text,
                            ad->why ? ad->why : address_verdict_name(ad->verdict));
    audit_say(w->a, &w->a->files.files[c->file], c->emails_pos.line, c->emails_pos.col,
              diag_catalogue[D_UNDELIVERABLE_KEPT].level, msg);
    free(msg);
    free(text);
}

/* A passing subscription's addresses that did not count get a warning at
 * their contact's emails value: the PASS stands on the others, but someone
 * meant these to receive alerts. */
static void audit_warn_not_counted(const struct audit *a)
{
    struct audit_not_counted w = { a, { .redact = a->opt->redact } };
    size_t n = verdicts_count(a->table);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(a->table, i);
        if (s->results[RULE_CONTACT_EMAIL].status == VERDICT_PASS)
            rules_each_not_counted(s, audit_warn_address, &w);
    }
}

static void audit_mask(char **text)
{
    if (*text) {
        char *masked = report_redact_text(*text);
        free(*text);
        *text = masked;
    }
}

/* --redact: reasons and messages quote evidence (a reserved address, the
 * account in an API error). The rules and readers know nothing of
 * redaction, so the finished texts are masked here, once, for standard
 * output and both reports. Verdicts are decided before and do not change. */
static void audit_redact(struct audit *a)
{
    size_t n = verdicts_count(a->table);
    for (size_t i = 0; i < n; i++) {
        struct verdict_subscription *s = verdicts_get_mutable(a->table, i);
        for (int r = 0; r < VERDICT_MAX_RULES; r++)
            audit_mask(&s->results[r].reason);
        for (size_t k = 0; k < s->n_problems; k++)
            audit_mask(&s->problems[k].message);
        for (size_t k = 0; k < s->n_contacts; k++)
            audit_mask(&s->contacts[k].problem);
    }
    for (size_t i = 0; i < a->files.count; i++) {
        audit_mask(&a->files.files[i].message);
        audit_mask(&a->files.files[i].api_error);
    }
}

static void audit_print_lines(const struct audit *a, const struct report_view *v)
{
    size_t n = verdicts_count(a->table);
    int several = (a->opt->rules & ~1u) != 0;
    for (size_t i = 0; i < n && !a->opt->quiet; i++) {
        const struct verdict_subscription *s = verdicts_get(a->table, i);
        if (s->disabled)
            continue;
        char *who = report_subscription_name(v, s);
        for (int r = 0; r < RULE_COUNT; r++) {
            if (!(a->opt->rules & (1u << r)))
                continue;
            const struct verdict_result *res = &s->results[r];
            if (several)
                printf("%s  %s  %s: %s\n", verdicts_status_name(res->status), who,
                       rules_control_id(&rules_table[r], v->edition), res->reason);
            else
                printf("%s  %s  %s\n", verdicts_status_name(res->status), who, res->reason);
        }
        free(who);
    }
    size_t unreadable = 0;
    for (size_t i = 0; i < a->files.count; i++)
        unreadable += a->files.files[i].status == EVIDENCE_ERROR;
    printf("Total: %zu subscriptions: %zu PASS, %zu FAIL, %zu ERROR, %zu WAIVED",
           v->counts[0] + v->counts[1] + v->counts[2] + v->counts[3], v->counts[VERDICT_PASS],
           v->counts[VERDICT_FAIL], v->counts[VERDICT_ERROR], v->counts[VERDICT_WAIVED]);
    if (v->not_audited)
        printf(", %zu not audited (disabled)", v->not_audited);
    printf("; %zu evidence files, %zu unreadable\n", a->files.count, unreadable);
}

/* One report to write; its outcome is told once both are written. */
struct audit_report {
    const char *path; /* NULL: not asked for */
    report_writer *writer;
    const struct report_view *v;
    int failed;
    char *error; /* owned: why the file could not be written */
};

static void *audit_report_write(void *arg)
{
    struct audit_report *r = arg;
    r->failed = report_write_file(r->path, r->writer, r->v, &r->error) != 0;
    return NULL;
}

/* Prints what went wrong with r, if anything; returns its exit status. */
static int audit_report_outcome(struct audit_report *r)
{
    if (!r->failed)
        return AUDIT_EXIT_PASS;
    if (r->error == NULL) {
        fprintf(stderr, "azure-contact-audit: internal error: cannot render %s\n", r->path);
        return AUDIT_EXIT_INTERNAL;
    }
    char *msg = diag_format(D_REPORT_WRITE, r->error, NULL);
    diag_print(stderr, NULL, 0, 0, DIAG_ERROR, msg);
    free(msg);
    free(r->error);
    r->error = NULL;
    return AUDIT_EXIT_INCOMPLETE;
}

/* The two writers only read the finished audit (a const view) and each
 * has its own libxml2 document and file: the JUnit report is written on a
 * second thread while the HTML one is written here. Messages come after
 * both, JUnit first, so stderr is the same whichever finishes first. */
static int audit_write_reports(const struct audit_options *opt, const struct report_view *v)
{
    struct audit_report jobs[2] = {
        { opt->junit_path, junit_write, v, 0, NULL },
        { opt->html_path, html_write, v, 0, NULL },
    };
    xmlInitParser(); /* libxml2's own set-up, once, before a second thread uses it */
    pthread_t second;
    int threaded = jobs[0].path && jobs[1].path &&
                   pthread_create(&second, NULL, audit_report_write, &jobs[0]) == 0;
    for (int i = threaded ? 1 : 0; i < 2; i++)
        if (jobs[i].path)
            audit_report_write(&jobs[i]);
    if (threaded)
        pthread_join(second, NULL);
    int rc = AUDIT_EXIT_PASS;
    for (int i = 0; i < 2; i++) {
        int r = jobs[i].path ? audit_report_outcome(&jobs[i]) : AUDIT_EXIT_PASS;
        if (r > rc)
            rc = r;
    }
    return rc;
}

/* SOURCE_DATE_EPOCH pins every timestamp (reproducible-builds.org spec:
 * a malformed value is an error, not silently ignored). */
static int audit_time(time_t *out, int *from_env)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    *from_env = 0;
    if (sde == NULL || *sde == '\0') {
        *out = time(NULL);
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long long v = strtoll(sde, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0 || sde[0] < '0' || sde[0] > '9') {
        char *msg = diag_format(D_BAD_OPTION_VALUE,
                                "SOURCE_DATE_EPOCH is not a whole number of seconds", NULL);
        diag_print(stderr, NULL, 0, 0, DIAG_ERROR, msg);
        free(msg);
        return -1;
    }
    *out = (time_t)v;
    *from_env = 1;
    return 0;
}

/* A report must never overwrite the evidence it reports on. */
static int audit_report_is_input(const struct audit *a, const char *report)
{
    struct stat rs, fs;
    if (report == NULL || stat(report, &rs) != 0)
        return 0;
    for (size_t i = 0; i < a->files.count; i++) {
        const struct evidence_file *f = &a->files.files[i];
        if (!f->is_stdin && stat(f->path, &fs) == 0 && fs.st_dev == rs.st_dev &&
            fs.st_ino == rs.st_ino)
            return 1;
    }
    return 0;
}

static int audit_worst(const struct report_view *v)
{
    const char *overall = report_overall(v);
    if (strcmp(overall, "ERROR") == 0)
        return AUDIT_EXIT_INCOMPLETE;
    return strcmp(overall, "FAIL") == 0 ? AUDIT_EXIT_FAIL : AUDIT_EXIT_PASS;
}

int audit_run(const struct audit_options *opt)
{
    struct audit a = { .opt = opt };
    struct report_view v = { 0 };
    if (audit_time(&v.generated, &v.time_from_env) != 0)
        return AUDIT_EXIT_USAGE;
    evidence_list_init(&a.files);
    for (size_t i = 0; i < opt->n_inputs; i++)
        evidence_collect(&a.files, opt->inputs[i]);
    if (audit_report_is_input(&a, opt->junit_path) || audit_report_is_input(&a, opt->html_path)) {
        char *msg = diag_format(D_REPORT_IS_INPUT, NULL, NULL);
        diag_print(stderr, NULL, 0, 0, DIAG_ERROR, msg);
        free(msg);
        evidence_list_free(&a.files);
        return AUDIT_EXIT_USAGE;
    }
    a.table = verdicts_alloc(&opt->policy);
    size_t readable = 0;
    for (size_t i = 0; i < a.files.count; i++) {
        struct evidence_file *f = &a.files.files[i];
        if (f->status == EVIDENCE_PENDING) {
            audit_read_file(&a, i);
            readable++;
        } else {
            audit_say(&a, f, 0, 0, f->status == EVIDENCE_ERROR ? DIAG_ERROR : DIAG_WARNING,
                      f->message);
            if (f->status == EVIDENCE_ERROR && f->has_path_subscription) {
                a.current = i;
                verdicts_add_problem(a.table, i, f->path_subscription, 0, 0, f->message);
            }
        }
    }
    int rc = AUDIT_EXIT_PASS;
    if (readable == 0 && a.files.count == 0) {
        char *msg = diag_format(D_NO_EVIDENCE_FOUND, NULL, NULL);
        diag_print(stderr, NULL, 0, 0, DIAG_ERROR, msg);
        free(msg);
        rc = AUDIT_EXIT_INCOMPLETE;
    }
    verdicts_decide(a.table, opt->rules);
    if (opt->rules & (1u << RULE_CONTACT_EMAIL))
        audit_warn_not_counted(&a);
    struct waiver_set waivers = { 0 };
    if (opt->waivers_path) {
        /* A bad waiver file makes the audit incomplete: a FAIL that should
         * have been waived is still shown, never the other way round. */
        if (waivers_load(&waivers, opt->waivers_path, v.generated, opt->edition) != 0)
            rc = AUDIT_EXIT_INCOMPLETE;
        waivers_apply(&waivers, a.table, opt->rules);
        v.waivers = &waivers;
    }
    if (opt->redact)
        audit_redact(&a);
    v.files = &a.files;
    v.table = a.table;
    v.rules = opt->rules;
    v.edition = opt->edition;
    v.command_line = opt->command_line;
    v.redact = opt->redact;
    audit_count(&a, &v);
    if (rc == AUDIT_EXIT_PASS)
        rc = audit_worst(&v);
    if (readable == 0 && rc != AUDIT_EXIT_INCOMPLETE) {
        char *msg = diag_format(D_NO_EVIDENCE_FOUND, NULL, NULL);
        diag_print(stderr, NULL, 0, 0, DIAG_ERROR, msg);
        free(msg);
        rc = AUDIT_EXIT_INCOMPLETE;
    }
    audit_print_lines(&a, &v);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        char *msg = diag_format(D_OUTPUT_FAILED, strerror(errno), NULL);
        diag_print(stderr, NULL, 0, 0, DIAG_ERROR, msg);
        free(msg);
        rc = AUDIT_EXIT_INCOMPLETE;
    }
    int wrc = audit_write_reports(opt, &v);
    if (wrc > rc)
        rc = wrc;
    waivers_free(&waivers);
    verdicts_free(a.table);
    evidence_list_free(&a.files);
    xmlCleanupParser();
    return rc;
}
