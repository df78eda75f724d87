/* Explanations in words, shared by the report writers (see explain.h). */
#include "config.h"

#include "explain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "sanitize.h"
#include "xalloc.h"

struct explain_text {
    char *s;
    size_t len, cap;
};

static void explain_add(struct explain_text *t, const char *s)
{
    size_t n = strlen(s);
    xgrow(&t->s, &t->cap, t->len + n + 1, 1);
    memcpy(t->s + t->len, s, n + 1);
    t->len += n;
}

/* Adds text owned by the caller and frees it: for the report_* helpers. */
static void explain_take(struct explain_text *t, char *owned)
{
    explain_add(t, owned);
    free(owned);
}

static char *explain_done(struct explain_text *t)
{
    if (t->s == NULL)
        explain_add(t, "");
    return t->s;
}

const char *explain_api_versions(unsigned api)
{
    static char buf[80];
    buf[0] = '\0';
    const char *names[] = { "2017-08-01-preview", "2020-01-01-preview", "2023-12-01-preview" };
    for (int i = 0; i < 3; i++) {
        if (api & (1u << i)) {
            if (buf[0])
                strcat(buf, ", ");
            strcat(buf, names[i]);
        }
    }
    return buf[0] ? buf : "unknown";
}

const char *explain_file_status(const struct evidence_file *f)
{
    switch (f->status) {
    case EVIDENCE_READ: return "read";
    case EVIDENCE_ERROR: return "ERROR";
    case EVIDENCE_SKIPPED: return "skipped";
    case EVIDENCE_PENDING: return "not read";
    }
    return "ERROR";
}

const char *explain_emails_kind(enum contact_emails kind)
{
    switch (kind) {
    case CONTACT_EMAILS_ABSENT: return "missing";
    case CONTACT_EMAILS_NULL: return "null";
    case CONTACT_EMAILS_STRING: return "string";
    case CONTACT_EMAILS_LIST: return "array";
    case CONTACT_EMAILS_BAD: return "unexpected type";
    }
    return "unexpected type";
}

char *explain_file(const struct report_view *v, size_t i)
{
    const struct evidence_file *f = &v->files->files[i];
    struct explain_text t = { 0 };
    char line[256];
    explain_add(&t, "file: ");
    explain_take(&t, report_location(v, i, 0, 0));
    snprintf(line, sizeof line, "\nstatus: %s\nsize: %" PRIu64 " bytes\nsha256: %s\n",
             explain_file_status(f), f->size, f->hashed ? f->sha256 : "(not read)");
    explain_add(&t, line);
    if (f->status == EVIDENCE_SKIPPED || f->status == EVIDENCE_PENDING) {
        explain_add(&t, "why: ");
        explain_take(&t, report_text(f->message ? f->message : "", f->message ? strlen(f->message) : 0));
        explain_add(&t, "\n");
        return explain_done(&t);
    }
    snprintf(line, sizeof line,
             "encoding: %s%s\nshape: %s\napi-version: %s\ndocuments: %lu\ncontact records: %lu\n"
             "error bodies: %lu\ninventory rows: %lu\nignored objects: %lu\nnotice lines skipped: %lu\n",
             f->encoding[0] ? f->encoding : "unknown", f->gzip ? " (gzip)" : "",
             f->shape[0] ? f->shape : "unknown", explain_api_versions(f->api_versions), f->documents,
             f->records, f->error_bodies, f->inventory_entries, f->ignored_objects, f->notice_lines);
    explain_add(&t, line);
    if (f->status == EVIDENCE_ERROR) {
        explain_add(&t, "error at ");
        explain_take(&t, report_location(v, i, f->line, f->col));
        explain_add(&t, ": ");
        explain_take(&t, report_text(f->message, strlen(f->message)));
        explain_add(&t, "\n");
    }
    return explain_done(&t);
}

static void explain_contact(struct explain_text *t, const struct report_view *v,
                            const struct verdict_contact *c)
{
    explain_add(t, "- contact '");
    if (c->name)
        explain_take(t, sanitize_text(c->name, c->name_len, SANITIZE_ONE_LINE, 200, NULL));
    else
        explain_add(t, "(unnamed)");
    explain_add(t, "' at ");
    explain_take(t, report_location(v, c->file, c->pos.line, c->pos.col));
    explain_add(t, c->enabled == CONTACT_OFF ? " (disabled)" : "");
    explain_add(t, c->from_failed_file ? " (from a file that later failed: not counted)" : "");
    explain_add(t, "\n  ");
    explain_add(t, c->emails_member);
    explain_add(t, " (");
    explain_add(t, explain_emails_kind(c->emails_kind));
    explain_add(t, ") at ");
    explain_take(t, report_location(v, c->file, c->emails_pos.line, c->emails_pos.col));
    explain_add(t, "\n");
    if (c->problem) {
        explain_add(t, "  problem: ");
        explain_add(t, c->problem);
        explain_add(t, "\n");
    }
    for (size_t i = 0; i < c->n_addresses; i++) {
        const struct verdict_address *a = &c->addresses[i];
        explain_add(t, "  ");
        explain_add(t, address_verdict_name(a->verdict));
        explain_add(t, ": ");
        explain_take(t, report_address(v, a->text, a->len));
        if (a->why[0]) {
            explain_add(t, " (");
            explain_add(t, a->why);
            explain_add(t, ")");
        }
        explain_add(t, "\n");
    }
}

char *explain_subscription(const struct report_view *v, const struct verdict_subscription *s, int rule)
{
    struct explain_text t = { 0 };
    const struct verdict_result *res = &s->results[rule];
    explain_add(&t, "subscription: ");
    explain_take(&t, report_subscription_name(v, s));
    if (s->display_name) {
        explain_add(&t, " (");
        explain_take(&t, sanitize_text(s->display_name, strlen(s->display_name), SANITIZE_ONE_LINE, 200, NULL));
        explain_add(&t, ")");
    }
    explain_add(&t, "\nverdict: ");
    explain_add(&t, s->disabled ? "not audited (subscription disabled)" : verdicts_status_name(res->status));
    explain_add(&t, "\nreason: ");
    explain_add(&t, res->reason ? res->reason : "");
    explain_add(&t, "\n");
    if (s->empty_list) {
        explain_add(&t, "empty contact list at ");
        explain_take(&t, report_location(v, s->empty_list_file, s->empty_list_pos.line, s->empty_list_pos.col));
        explain_add(&t, "\n");
    }
    for (size_t i = 0; i < s->n_problems; i++) {
        const struct verdict_problem *p = &s->problems[i];
        explain_add(&t, "undecidable evidence at ");
        explain_take(&t, report_location(v, p->file, p->line, p->col));
        explain_add(&t, ": ");
        explain_add(&t, p->message);
        explain_add(&t, "\n");
    }
    for (size_t i = 0; i < s->n_contacts; i++)
        explain_contact(&t, v, &s->contacts[i]);
    return explain_done(&t);
}
