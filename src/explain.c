/* SPDX-License-Identifier: ISC */
/* Explanations in words, shared by the report writers (see explain.h). */
#include "config.h"

#include "explain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "remediation.h"
#include "rules.h"
#include "sanitize.h"
#include "xalloc.h"

/* Adds text owned by the caller and frees it: for the report_* helpers. */
static void explain_take(struct xbuf *t, char *owned)
{
    xbuf_add(t, owned);
    free(owned);
}

/* A constant for each set of generations: the JUnit and HTML writers call
 * this at the same time from two threads. */
const char *explain_api_versions(unsigned api)
{
    static const char *const sets[8] = {
        "unknown",
        "2017-08-01-preview",
        "2020-01-01-preview",
        "2017-08-01-preview, 2020-01-01-preview",
        "2023-12-01-preview",
        "2017-08-01-preview, 2023-12-01-preview",
        "2020-01-01-preview, 2023-12-01-preview",
        "2017-08-01-preview, 2020-01-01-preview, 2023-12-01-preview",
    };
    return sets[api & 7u];
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
    struct xbuf t = { 0 };
    char line[256];
    xbuf_add(&t, "file: ");
    explain_take(&t, report_location(v, i, 0, 0));
    snprintf(line, sizeof line, "\nstatus: %s\nsize: %" PRIu64 " bytes\nsha256: %s\n",
             explain_file_status(f), f->size, f->hashed ? f->sha256 : "(not read)");
    xbuf_add(&t, line);
    if (f->status == EVIDENCE_SKIPPED || f->status == EVIDENCE_PENDING) {
        xbuf_add(&t, "why: ");
        explain_take(&t, report_file_message(v, f));
        xbuf_add(&t, "\n");
        return xbuf_finish(&t);
    }
    snprintf(
        line, sizeof line,
        "encoding: %s%s\nshape: %s\napi-version: %s\ndocuments: %lu\ncontact records: %lu\n"
        "error bodies: %lu\ninventory rows: %lu\nignored objects: %lu\nnotice lines skipped: %lu\n",
        f->encoding[0] ? f->encoding : "unknown", f->gzip ? " (gzip)" : "",
        f->shape[0] ? f->shape : "unknown", explain_api_versions(f->api_versions), f->documents,
        f->records, f->error_bodies, f->inventory_entries, f->ignored_objects, f->notice_lines);
    xbuf_add(&t, line);
    if (f->status == EVIDENCE_ERROR) {
        xbuf_add(&t, "error at ");
        explain_take(&t, report_location(v, i, f->fault.line, f->fault.col));
        xbuf_add(&t, ": ");
        explain_take(&t, report_file_message(v, f));
        xbuf_add(&t, "\n");
    }
    return xbuf_finish(&t);
}

static void explain_contact(struct xbuf *t, const struct report_view *v,
                            const struct verdict_contact *c)
{
    xbuf_add(t, "- contact '");
    if (c->name)
        explain_take(t, report_line(v, c->name, c->name_len));
    else
        xbuf_add(t, "(unnamed)");
    xbuf_add(t, "' at ");
    explain_take(t, report_location(v, c->file, c->pos.line, c->pos.col));
    xbuf_add(t, c->enabled == CONTACT_OFF ? " (disabled)" : "");
    xbuf_add(t, c->from_failed_file ? " (from a file that later failed: not counted)" : "");
    xbuf_add(t, "\n  ");
    xbuf_add(t, verdicts_emails_member(c));
    xbuf_add(t, " (");
    xbuf_add(t, explain_emails_kind(c->emails_kind));
    xbuf_add(t, ") at ");
    explain_take(t, report_location(v, c->file, c->emails_pos.line, c->emails_pos.col));
    xbuf_add(t, "\n");
    if (c->last_modified) {
        xbuf_add(t, "  last changed (systemData.lastModifiedAt): ");
        explain_take(t, report_line(v, c->last_modified, strlen(c->last_modified)));
        xbuf_add(t, "\n");
    }
    if (c->problem) {
        xbuf_add(t, "  problem: ");
        explain_take(t, report_line(v, c->problem, strlen(c->problem)));
        xbuf_add(t, "\n");
    }
    struct verdict_addresses judged = { 0 };
    const struct verdict_address *list = verdicts_addresses(v->table, c, &judged);
    for (size_t i = 0; i < judged.n; i++) {
        const struct verdict_address *a = &list[i];
        xbuf_add(t, "  ");
        xbuf_add(t, address_verdict_name(a->verdict));
        xbuf_add(t, ": ");
        explain_take(t, report_address(v, a->text, a->len));
        if (a->why[0]) {
            xbuf_add(t, " (");
            xbuf_add(t, a->why);
            xbuf_add(t, ")");
        }
        xbuf_add(t, "\n");
    }
    free(judged.items);
}

char *explain_subscription(const struct report_view *v, const struct verdict_subscription *s,
                           unsigned rule)
{
    const struct verdict_extra *x = verdicts_extra(s);
    struct xbuf t = { 0 };
    xbuf_add(&t, "subscription: ");
    explain_take(&t, report_subscription_name(v, s));
    if (x->display_name) {
        xbuf_add(&t, " (");
        explain_take(&t, report_line(v, x->display_name, strlen(x->display_name)));
        xbuf_add(&t, ")");
    }
    xbuf_add(&t, "\nverdict: ");
    xbuf_add(&t, s->disabled ? "not audited (subscription disabled)"
                             : verdicts_status_name(verdicts_result(v->table, s, rule)->status));
    xbuf_add(&t, "\nreason: ");
    explain_take(&t, facts_reason(v, s, rule));
    xbuf_add(&t, "\n");
    if (s->empty_list) {
        xbuf_add(&t, "empty contact list at ");
        explain_take(&t, report_location(v, x->empty_list_file, x->empty_list_pos.line,
                                         x->empty_list_pos.col));
        xbuf_add(&t, "\n");
    }
    for (size_t k = 0; k < x->n_problems; k++) {
        const struct verdict_problem *p = &x->problems[k];
        xbuf_add(&t, "undecidable evidence at ");
        explain_take(&t, report_location(v, p->file, p->line, p->col));
        xbuf_add(&t, ": ");
        explain_take(&t, facts_problem(v, p));
        xbuf_add(&t, "\n");
    }
    for (size_t k = 0; k < s->n_contacts; k++)
        explain_contact(&t, v, &s->contacts[k]);
    char *fix = remediation_text(v, s, rule);
    if (fix)
        explain_take(&t, fix);
    return xbuf_finish(&t);
}
