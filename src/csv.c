/* SPDX-License-Identifier: ISC */
/* CSV report writer (see csv.h). Every cell is rendered with the texts the
 * other reports use (facts.h, report.h): sanitised, one line, masked for
 * --redact; this module adds only the quoting. */
#include "config.h"

#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "cite.h"
#include "facts.h"
#include "rules.h"
#include "waivers.h"

static const char *const csv_columns[] = {
    "subscription_id", "display_name",  "rule",           "control_id",      "edition",
    "verdict",         "reason",        "contacts",       "addresses",       "evidence",
    "evidence_sha256", "waiver_ticket", "waiver_expires", "collection_date", "baseline_change",
};
#define CSV_COLUMNS (sizeof csv_columns / sizeof *csv_columns)

/* OWASP's list: what makes Excel, LibreOffice and Sheets start a formula. */
static int csv_is_formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void csv_quote_cell(struct xbuf *row, const char *text)
{
    int neutralise = csv_is_formula_start(text[0]);
    if (!neutralise && strpbrk(text, "\",;\r\n") == NULL) {
        xbuf_add(row, text);
        return;
    }
    xbuf_add(row, neutralise ? "\"'" : "\"");
    for (const char *p = text; *p; p++) {
        const char *q = strchr(p, '"');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        xbuf_addn(row, p, n);
        if (q == NULL)
            break;
        xbuf_add(row, "\"\"");
        p = q;
    }
    xbuf_add(row, "\"");
}

/* One row being built: its cells, each added in column order. */
struct csv_row {
    struct xbuf b;
    size_t cells;
};

static void csv_cell(struct csv_row *r, const char *text)
{
    if (r->cells++ > 0)
        xbuf_add(&r->b, ",");
    csv_quote_cell(&r->b, text ? text : "");
}

static void csv_cell_take(struct csv_row *r, char *owned)
{
    csv_cell(r, owned);
    free(owned);
}

/* Adds owned text to a list cell being built, "; " between items. */
static void csv_list_take(struct xbuf *list, char *owned)
{
    if (list->len)
        xbuf_add(list, "; ");
    xbuf_add(list, owned);
    free(owned);
}

static void csv_cell_list(struct csv_row *r, struct xbuf *list)
{
    char *text = xbuf_finish(list);
    csv_cell(r, text ? text : "");
    free(text);
}

/* The collection date of the evidence, "YYYY-MM-DDTHH:MM:SSZ", or empty
 * while the view does not know it. */
static void csv_collection_date(struct csv_row *r, const struct report_view *v)
{
    time_t when;
    char stamp[32] = "";
    if (cite_collected(v, &when))
        report_time(when, 1, stamp);
    csv_cell(r, stamp);
}

/* What changed since --baseline ("new FAIL", "fixed", ...); empty without one. */
static void csv_baseline_change(struct csv_row *r, const struct report_view *v,
                                const struct verdict_subscription *s, unsigned rule)
{
    csv_cell(r, baseline_change(v->baseline, s->id, rule));
}

static void csv_contacts(struct csv_row *r, const struct report_view *v,
                         const struct verdict_subscription *s)
{
    struct xbuf names = { 0 }, addresses = { 0 };
    struct verdict_addresses judged = { 0 };
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        csv_list_take(&names,
                      c->name ? report_line(v, c->name, c->name_len) : xstrdup("(unnamed)"));
        const struct verdict_address *a = verdicts_addresses(v->table, c, &judged);
        for (size_t k = 0; k < judged.n; k++)
            csv_list_take(&addresses, report_address(v, a[k].text, a[k].len));
    }
    free(judged.items);
    csv_cell_list(r, &names);
    csv_cell_list(r, &addresses);
}

/* "path:line:col; ..." and, place for place, the SHA-256 of its file. */
static void csv_evidence(struct csv_row *r, const struct report_view *v,
                         const struct verdict_subscription *s)
{
    struct cite_list places = { 0 };
    cite_subscription(s, &places);
    struct xbuf where = { 0 }, digests = { 0 };
    for (size_t i = 0; i < places.count; i++) {
        const struct cite_place *p = &places.places[i];
        const struct evidence_file *f = &v->files->files[p->file];
        csv_list_take(&where, report_location(v, p->file, p->line, p->col));
        csv_list_take(&digests, xstrdup(f->hashed ? f->sha256 : "(not read)"));
    }
    cite_free(&places);
    csv_cell_list(r, &where);
    csv_cell_list(r, &digests);
}

static void csv_waiver(struct csv_row *r, const struct report_view *v,
                       const struct verdict_subscription *s, unsigned rule)
{
    const struct verdict_result *res = verdicts_result(v->table, s, rule);
    const struct waiver *w = res->status == VERDICT_WAIVED && s->known
                                 ? waivers_covering(v->waivers, s->id, (int)rule)
                                 : NULL;
    if (w == NULL) {
        csv_cell(r, "");
        csv_cell(r, "");
        return;
    }
    csv_cell_take(r, report_line(v, w->ticket, strlen(w->ticket)));
    csv_cell_take(r, report_line(v, w->expires, strlen(w->expires)));
}

static void csv_verdict(struct csv_row *r, const struct report_view *v,
                        const struct verdict_subscription *s, unsigned rule)
{
    if (s->disabled) {
        csv_cell(r, "NOT-AUDITED");
        csv_cell(r, "subscription disabled in the inventory: not audited");
        return;
    }
    csv_cell(r, verdicts_status_name(verdicts_result(v->table, s, rule)->status));
    csv_cell_take(r, facts_reason(v, s, rule));
}

static void csv_subscription_row(struct csv_row *r, const struct report_view *v,
                                 const struct verdict_subscription *s, unsigned rule)
{
    const struct verdict_extra *x = verdicts_extra(s);
    csv_cell_take(r, report_subscription_name(v, s));
    csv_cell_take(r, x->display_name ? report_line(v, x->display_name, strlen(x->display_name))
                                     : NULL);
    csv_cell(r, rules_table[rule].key);
    csv_cell(r, rules_control_id(&rules_table[rule], v->edition));
    csv_cell(r, v->edition);
    csv_verdict(r, v, s, rule);
    csv_contacts(r, v, s);
    csv_evidence(r, v, s);
    csv_waiver(r, v, s, rule);
    csv_collection_date(r, v);
    csv_baseline_change(r, v, s, rule);
}

/* Ends the row with CRLF and hands it to out; returns -1 when out failed. */
static int csv_put_row(xmlOutputBufferPtr out, struct csv_row *r)
{
    xbuf_add(&r->b, "\r\n");
    int rc = xmlOutputBufferWrite(out, (int)r->b.len, r->b.s) < 0 ? -1 : 0;
    free(r->b.s);
    *r = (struct csv_row){ { 0 }, 0 };
    return rc;
}

int csv_write(const struct report_view *v, xmlOutputBufferPtr out)
{
    struct csv_row r = { { 0 }, 0 };
    for (size_t i = 0; i < CSV_COLUMNS; i++)
        csv_cell(&r, csv_columns[i]);
    int failed = csv_put_row(out, &r) != 0;
    for (size_t i = 0, n = verdicts_count(v->table); i < n && !failed; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        for (unsigned rule = 0; rule < RULE_COUNT && !failed; rule++) {
            if (!(v->rules & (1u << rule)))
                continue;
            csv_subscription_row(&r, v, s, rule);
            failed = csv_put_row(out, &r) != 0;
        }
    }
    if (xmlOutputBufferClose(out) < 0)
        failed = 1;
    return failed ? -1 : 0;
}

int csv_render(const struct report_view *v, char **out, size_t *len)
{
    return report_render(csv_write, v, out, len);
}
