/* Facts: the decided evidence in words (see facts.h). */
#include "config.h"

#include "facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rules.h"
#include "sanitize.h"
#include "waivers.h"

/* Longest piece of evidence quoted in a reason. */
#define FACTS_QUOTE_MAX 80

/* Appends evidence text, sanitised to one line and capped at cap bytes. */
static void facts_add_capped(struct xbuf *t, const char *s, size_t len, size_t cap)
{
    char *clean = sanitize_text(s, len, SANITIZE_ONE_LINE, cap, NULL);
    xbuf_add(t, clean);
    free(clean);
}

static void facts_add_quoted(struct xbuf *t, const char *s, size_t len)
{
    facts_add_capped(t, s, len, FACTS_QUOTE_MAX);
}

static void facts_add_name(struct xbuf *t, const struct verdict_contact *c)
{
    if (c->name)
        facts_add_quoted(t, c->name, c->name_len);
    else
        xbuf_add(t, "(unnamed)");
}

static void facts_add_number(struct xbuf *t, size_t n)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%zu", n);
    xbuf_add(t, buf);
}

/* The finished text of a report: masked for --redact. */
static char *facts_finish(const struct report_view *v, struct xbuf *t)
{
    char *text = xbuf_finish(t);
    if (!v->redact)
        return text;
    char *masked = address_mask(text, strlen(text));
    free(text);
    return masked;
}

/* ---- one contact --------------------------------------------------------------- */

static const struct verdict_address *facts_first(const struct verdict_contact *c,
                                                 int (*want)(enum address_verdict))
{
    for (size_t i = 0; i < c->n_addresses; i++)
        if (want(c->addresses[i].verdict))
            return &c->addresses[i];
    return NULL;
}

static int facts_is_reserved(enum address_verdict v)
{
    return v == ADDRESS_RESERVED || v == ADDRESS_SAMPLE_DOMAIN;
}

static int facts_is_outside(enum address_verdict v)
{
    return v == ADDRESS_OUTSIDE_ORG;
}

static int facts_is_invalid(enum address_verdict v)
{
    return v == ADDRESS_INVALID_SYNTAX;
}

struct facts_contact facts_of_contact(const struct verdict_contact *c)
{
    struct facts_contact f = { FACTS_DELIVERABLE, NULL };
    if (c->from_failed_file)
        f.state = FACTS_FROM_FAILED_FILE;
    else if (c->problem)
        f.state = FACTS_AMBIGUOUS;
    else if (c->enabled == CONTACT_OFF)
        f.state = FACTS_DISABLED;
    else if (c->n_deliverable > 0)
        f.state = FACTS_DELIVERABLE;
    else if (c->emails_kind == CONTACT_EMAILS_ABSENT)
        f.state = FACTS_EMAILS_MISSING;
    else if (c->emails_kind == CONTACT_EMAILS_NULL)
        f.state = FACTS_EMAILS_NULL;
    else if (c->emails_len == 0)
        f.state = FACTS_EMAILS_EMPTY;
    else if (c->n_addresses == 0)
        f.state = FACTS_NO_ADDRESS;
    else if ((f.address = facts_first(c, facts_is_reserved)) != NULL)
        f.state = FACTS_ONLY_RESERVED;
    else if ((f.address = facts_first(c, facts_is_outside)) != NULL)
        f.state = FACTS_OUTSIDE_ORG;
    else if ((f.address = facts_first(c, facts_is_invalid)) != NULL)
        f.state = FACTS_INVALID;
    else
        f.state = FACTS_INVALID, f.address = &c->addresses[0];
    return f;
}

/* "RFC 2606 reserved domain" -> "RFC 2606"; sample domains keep their words. */
static void facts_add_short_why(struct xbuf *t, const struct verdict_address *a)
{
    if (strncmp(a->why, "RFC ", 4) == 0) {
        char rfc[16];
        snprintf(rfc, sizeof rfc, "%.8s", a->why);
        xbuf_add(t, rfc);
    } else {
        xbuf_add(t, a->why);
    }
}

void facts_contact_words(struct xbuf *t, const struct verdict_contact *c)
{
    struct facts_contact f = facts_of_contact(c);
    const struct verdict_address *a = f.address;
    switch (f.state) {
    case FACTS_DELIVERABLE: break;
    case FACTS_FROM_FAILED_FILE: xbuf_add(t, "from a file that later failed: not counted"); break;
    case FACTS_AMBIGUOUS: xbuf_add(t, c->problem); break;
    case FACTS_DISABLED: xbuf_add(t, "contact disabled (isEnabled=false)"); break;
    case FACTS_EMAILS_MISSING: xbuf_add(t, "emails is missing"); break;
    case FACTS_EMAILS_NULL:
        xbuf_add(t, c->emails_member);
        xbuf_add(t, " is null");
        break;
    case FACTS_EMAILS_EMPTY:
        xbuf_add(t, c->emails_member);
        xbuf_add(t, " is empty");
        break;
    case FACTS_NO_ADDRESS:
        xbuf_add(t, c->emails_member);
        xbuf_add(t, " holds no address");
        break;
    case FACTS_ONLY_RESERVED:
        xbuf_add(t, "only reserved/sample addresses: ");
        facts_add_quoted(t, a->text, a->len);
        xbuf_add(t, " (");
        facts_add_short_why(t, a);
        xbuf_add(t, ")");
        break;
    case FACTS_OUTSIDE_ORG:
        xbuf_add(t, "no address in --org-domain: ");
        facts_add_quoted(t, a->text, a->len);
        break;
    case FACTS_INVALID:
        xbuf_add(t, "no valid address: '");
        facts_add_quoted(t, a->text, a->len);
        xbuf_add(t, "' is not an email address");
        break;
    }
}

/* ---- problems ------------------------------------------------------------------ */

static void facts_add_problem(struct xbuf *t, const struct report_view *v,
                              const struct verdict_problem *p)
{
    if (p->kind == PROBLEM_API_ERROR) {
        char *msg = diag_format(D_API_ERROR, p->code, p->message);
        xbuf_add(t, msg);
        free(msg);
        return;
    }
    if (p->kind == PROBLEM_MISFILED) {
        xbuf_add(t, p->message);
        xbuf_add(t, ": ");
        const char *path = v->files->files[p->file].path;
        facts_add_capped(t, path, strlen(path), 0);
        return;
    }
    /* The same words whether the file failed when it was collected or
     * while it was read. */
    const char *path = v->files->files[p->file].path;
    char *where = sanitize_text(path, strlen(path), SANITIZE_ONE_LINE, 0, NULL);
    xbuf_add(t, "unreadable evidence ");
    xbuf_add(t, where);
    free(where);
    if (p->line) {
        char pos[48];
        snprintf(pos, sizeof pos, ":%lu:%lu", p->line, p->col);
        xbuf_add(t, pos);
    }
    xbuf_add(t, ": ");
    xbuf_add(t, p->message);
}

char *facts_problem(const struct report_view *v, const struct verdict_problem *p)
{
    struct xbuf t = { 0 };
    facts_add_problem(&t, v, p);
    return facts_finish(v, &t);
}

/* ---- reasons --------------------------------------------------------------------- */

struct facts_not_counted {
    const struct verdict_address *first;
    size_t n;
};

static void facts_count_not_counted(const struct verdict_contact *c,
                                    const struct verdict_address *a, void *ctx)
{
    (void)c;
    struct facts_not_counted *nc = ctx;
    if (nc->first == NULL)
        nc->first = a;
    nc->n++;
}

/* A PASS still names the addresses that did not count (a placeholder
 * beside the real address): someone meant them to receive alerts. */
static void facts_add_not_counted(struct xbuf *t, const struct verdict_subscription *s)
{
    struct facts_not_counted nc = { NULL, 0 };
    rules_each_not_counted(s, facts_count_not_counted, &nc);
    if (nc.first == NULL)
        return;
    xbuf_add(t, "; warning: ");
    facts_add_number(t, nc.n);
    xbuf_add(t, nc.n == 1 ? " address not deliverable, '" : " addresses not deliverable, first '");
    facts_add_quoted(t, nc.first->text, nc.first->len);
    xbuf_add(t, "' (");
    xbuf_add(t, nc.first->why ? nc.first->why : address_verdict_name(nc.first->verdict));
    xbuf_add(t, ")");
}

static void facts_add_deliverable(struct xbuf *t, const struct verdict_subscription *s,
                                  const struct verdict_contact *good)
{
    facts_add_number(t, good->n_deliverable);
    xbuf_add(t, good->n_deliverable == 1 ? " deliverable address in contact '"
                                         : " deliverable addresses in contact '");
    facts_add_name(t, good);
    xbuf_add(t, "'");
    facts_add_not_counted(t, s);
}

/* Every contact's own reason: "name: why; name: why" (names only when
 * there are several). */
static void facts_add_each_contact(struct xbuf *t, const struct verdict_subscription *s)
{
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (i > 0)
            xbuf_add(t, "; ");
        if (s->n_contacts > 1) {
            facts_add_name(t, c);
            xbuf_add(t, ": ");
        }
        facts_contact_words(t, c);
    }
}

static void facts_add_reason(struct xbuf *t, const struct report_view *v,
                             const struct verdict_subscription *s, unsigned rule,
                             const struct verdict_result *r)
{
    const struct rule *ru = &rules_table[rule];
    switch ((enum verdict_reason)r->reason) {
    case REASON_NONE: xbuf_add(t, "not decided"); break;
    case REASON_DELIVERABLE: facts_add_deliverable(t, s, &s->contacts[r->ref]); break;
    case REASON_SETTING_ON: xbuf_add(t, ru->on_text); break;
    case REASON_NO_CONTACT: xbuf_add(t, "no security contact configured"); break;
    case REASON_NO_DELIVERABLE: facts_add_each_contact(t, s); break;
    case REASON_SETTING_OFF: xbuf_add(t, ru->off_text); break;
    case REASON_UNATTRIBUTED:
        if (r->ref != VERDICT_NO_REF)
            facts_add_problem(t, v, &s->problems[r->ref]);
        else
            xbuf_add(t, "no subscription id in the evidence (no id, no subscriptionId, no GUID "
                        "in the path)");
        break;
    case REASON_CONFLICT:
        xbuf_add(t, "conflicting evidence for contact '");
        facts_add_name(t, &s->contacts[r->ref]);
        xbuf_add(t, "' with different values");
        break;
    case REASON_AMBIGUOUS: xbuf_add(t, s->contacts[r->ref].problem); break;
    case REASON_EVIDENCE: facts_add_problem(t, v, &s->problems[r->ref]); break;
    case REASON_NO_EVIDENCE: xbuf_add(t, "no evidence for subscription"); break;
    case REASON_SETTING_UNCLEAR: xbuf_add(t, ru->unclear_text); break;
    }
}

/* "waived by SEC-1 until 2099-12-31: why (was FAIL: ...)". */
static void facts_add_waived(struct xbuf *t, const struct report_view *v,
                             const struct verdict_subscription *s, unsigned rule,
                             const struct verdict_result *r)
{
    const struct waiver *w = waivers_covering(v->waivers, s->id, (int)rule);
    if (w != NULL) {
        xbuf_add(t, "waived by ");
        facts_add_quoted(t, w->ticket, strlen(w->ticket));
        xbuf_add(t, " until ");
        xbuf_addn(t, w->expires, strnlen(w->expires, 10));
        xbuf_add(t, ": ");
        facts_add_capped(t, w->reason, strlen(w->reason), 200);
        xbuf_add(t, " (was FAIL: ");
    }
    facts_add_reason(t, v, s, rule, r);
    if (w != NULL)
        xbuf_add(t, ")");
}

char *facts_reason(const struct report_view *v, const struct verdict_subscription *s, unsigned rule)
{
    const struct verdict_result *r = verdicts_result(v->table, s, rule);
    struct xbuf t = { 0 };
    if (r->status == VERDICT_WAIVED)
        facts_add_waived(&t, v, s, rule, r);
    else
        facts_add_reason(&t, v, s, rule, r);
    return facts_finish(v, &t);
}
