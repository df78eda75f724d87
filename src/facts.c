/* SPDX-License-Identifier: ISC */
/* Facts: the decided evidence in words (see facts.h). */
#include "config.h"

#include "facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* The first of list[0..n) that want() picks, or NULL. */
static const struct verdict_address *facts_first(const struct verdict_address *list, size_t n,
                                                 int (*want)(enum address_verdict))
{
    for (size_t i = 0; i < n; i++)
        if (want(list[i].verdict))
            return &list[i];
    return NULL;
}

static int facts_is_reserved(enum address_verdict v)
{
    return v == ADDRESS_RESERVED || v == ADDRESS_SAMPLE_DOMAIN;
}

static int facts_is_placeholder(enum address_verdict v)
{
    return v == ADDRESS_PLACEHOLDER;
}

static int facts_is_no_reply(enum address_verdict v)
{
    return v == ADDRESS_NO_REPLY;
}

static int facts_is_unknown_tld(enum address_verdict v)
{
    return v == ADDRESS_UNKNOWN_TLD;
}

static int facts_is_outside(enum address_verdict v)
{
    return v == ADDRESS_OUTSIDE_ORG;
}

static int facts_is_invalid(enum address_verdict v)
{
    return v == ADDRESS_INVALID_SYNTAX;
}

/* c's state when c alone tells it; 0 when its addresses must be looked
 * at (it has some, none deliverable). */
static int facts_state_alone(const struct verdict_contact *c, enum facts_state *state)
{
    if (c->from_failed_file)
        *state = FACTS_FROM_FAILED_FILE;
    else if (c->superseded)
        *state = FACTS_SUPERSEDED;
    else if (c->problem)
        *state = FACTS_AMBIGUOUS;
    else if (c->enabled == CONTACT_OFF)
        *state = FACTS_DISABLED;
    else if (c->n_deliverable > 0)
        *state = FACTS_DELIVERABLE;
    else if (c->emails_kind == CONTACT_EMAILS_ABSENT)
        *state = FACTS_EMAILS_MISSING;
    else if (c->emails_kind == CONTACT_EMAILS_NULL)
        *state = FACTS_EMAILS_NULL;
    else if (c->emails_len == 0)
        *state = FACTS_EMAILS_EMPTY;
    else if (!verdicts_has_addresses(c))
        *state = FACTS_NO_ADDRESS;
    else
        return 0;
    return 1;
}

/* Of addresses none of which is deliverable, the kind that names the
 * contact's state, in this order, and the first address of that kind. */
static const struct {
    int (*want)(enum address_verdict);
    enum facts_state state;
} facts_address_states[] = {
    { facts_is_reserved, FACTS_ONLY_RESERVED },  { facts_is_placeholder, FACTS_PLACEHOLDER },
    { facts_is_unknown_tld, FACTS_UNKNOWN_TLD }, { facts_is_outside, FACTS_OUTSIDE_ORG },
    { facts_is_no_reply, FACTS_NO_REPLY },       { facts_is_invalid, FACTS_INVALID },
};

struct facts_contact facts_of_contact(const struct verdict_table *t,
                                      const struct verdict_contact *c)
{
    struct facts_contact f = { FACTS_DELIVERABLE, { 0 } };
    if (facts_state_alone(c, &f.state))
        return f;
    struct verdict_addresses judged = { 0 };
    const struct verdict_address *list = verdicts_addresses(t, c, &judged), *a = NULL;
    f.state = FACTS_INVALID;
    for (size_t i = 0; a == NULL && i < sizeof facts_address_states / sizeof *facts_address_states;
         i++)
        if ((a = facts_first(list, judged.n, facts_address_states[i].want)) != NULL)
            f.state = facts_address_states[i].state;
    f.address = a ? *a : list[0];
    free(judged.items);
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

void facts_contact_words(struct xbuf *t, const struct verdict_table *table,
                         const struct verdict_contact *c)
{
    struct facts_contact f = facts_of_contact(table, c);
    const struct verdict_address *a = &f.address;
    switch (f.state) {
    case FACTS_DELIVERABLE: break;
    case FACTS_FROM_FAILED_FILE: xbuf_add(t, "from a file that later failed: not counted"); break;
    case FACTS_SUPERSEDED: xbuf_add(t, "superseded by a snapshot collected later"); break;
    case FACTS_AMBIGUOUS: xbuf_add(t, c->problem); break;
    case FACTS_DISABLED: xbuf_add(t, "contact disabled (isEnabled=false)"); break;
    case FACTS_EMAILS_MISSING: xbuf_add(t, "emails is missing"); break;
    case FACTS_EMAILS_NULL:
        xbuf_add(t, verdicts_emails_member(c));
        xbuf_add(t, " is null");
        break;
    case FACTS_EMAILS_EMPTY:
        xbuf_add(t, verdicts_emails_member(c));
        xbuf_add(t, " is empty");
        break;
    case FACTS_NO_ADDRESS:
        xbuf_add(t, verdicts_emails_member(c));
        xbuf_add(t, " holds no address");
        break;
    case FACTS_ONLY_RESERVED:
        xbuf_add(t, "only reserved/sample addresses: ");
        facts_add_quoted(t, a->text, a->len);
        xbuf_add(t, " (");
        facts_add_short_why(t, a);
        xbuf_add(t, ")");
        break;
    case FACTS_PLACEHOLDER:
        xbuf_add(t, "only placeholder addresses: ");
        facts_add_quoted(t, a->text, a->len);
        xbuf_add(t, " (");
        xbuf_add(t, a->why);
        xbuf_add(t, ")");
        break;
    case FACTS_NO_REPLY:
        xbuf_add(t, "no address anyone reads: ");
        facts_add_quoted(t, a->text, a->len);
        xbuf_add(t, " (");
        xbuf_add(t, a->why);
        xbuf_add(t, ")");
        break;
    case FACTS_UNKNOWN_TLD:
        xbuf_add(t, "no valid address: '");
        facts_add_quoted(t, a->text, a->len);
        xbuf_add(t, "' (");
        xbuf_add(t, a->why);
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
        /* whole: its end names the scope and the permission to fix */
        char *msg = diag_format_capped(D_API_ERROR, p->code, p->message, DIAG_MESSAGE_KEEP);
        xbuf_add(t, msg);
        free(msg);
        return;
    }
    const char *path = v->files->files[p->file].path;
    if (p->kind == PROBLEM_MISFILED) {
        xbuf_add(t, p->message);
        xbuf_add(t, ": ");
        facts_add_capped(t, path, strlen(path), 0);
        return;
    }
    if (p->kind != PROBLEM_UNREADABLE) { /* altered, missing, stale, undated */
        xbuf_add(t, "evidence ");
        facts_add_capped(t, path, strlen(path), 0);
        xbuf_add(t, ": ");
        xbuf_add(t, p->message);
        return;
    }
    /* The same words whether the file failed when it was collected or
     * while it was read. */
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

/* How many addresses a walk visited, and the first. */
struct facts_visited {
    struct verdict_address first; /* (a copy: the visit's is gone after it) */
    size_t n;
};

static void facts_count_visited(const struct verdict_contact *c, const struct verdict_address *a,
                                void *ctx)
{
    (void)c;
    struct facts_visited *seen = ctx;
    if (seen->n++ == 0)
        seen->first = *a;
}

/* A PASS still names the addresses that did not count (a placeholder
 * beside the real address): someone meant them to receive alerts. */
static void facts_add_not_counted(struct xbuf *t, const struct report_view *v,
                                  const struct verdict_subscription *s)
{
    struct facts_visited nc = { { 0 }, 0 };
    rules_each_not_counted(v->table, s, facts_count_visited, &nc);
    if (nc.n == 0)
        return;
    xbuf_add(t, "; warning: ");
    facts_add_number(t, nc.n);
    xbuf_add(t, nc.n == 1 ? " address not deliverable, '" : " addresses not deliverable, first '");
    facts_add_quoted(t, nc.first.text, nc.first.len);
    xbuf_add(t, "' (");
    xbuf_add(t, nc.first.why ? nc.first.why : address_verdict_name(nc.first.verdict));
    xbuf_add(t, ")");
}

/* A PASS on a personal mailbox stands, but the organisation does not
 * control it: the reason says so. */
static void facts_add_personal(struct xbuf *t, const struct report_view *v,
                               const struct verdict_subscription *s)
{
    struct facts_visited personal = { { 0 }, 0 };
    rules_each_personal(v->table, s, facts_count_visited, &personal);
    if (personal.n == 0)
        return;
    xbuf_add(t, "; warning: ");
    facts_add_number(t, personal.n);
    xbuf_add(t, personal.n == 1 ? " address at a personal mail provider, '"
                                : " addresses at personal mail providers, first '");
    facts_add_quoted(t, personal.first.text, personal.first.len);
    xbuf_add(t, "' (not an address the organisation controls)");
}

static void facts_add_deliverable(struct xbuf *t, const struct report_view *v,
                                  const struct verdict_subscription *s,
                                  const struct verdict_contact *good)
{
    facts_add_number(t, good->n_deliverable);
    xbuf_add(t, good->n_deliverable == 1 ? " deliverable address in contact '"
                                         : " deliverable addresses in contact '");
    facts_add_name(t, good);
    xbuf_add(t, "'");
    facts_add_not_counted(t, v, s);
    facts_add_personal(t, v, s);
}

/* Each contact's own reason, in the order of the evidence, each distinct
 * one once: "name: why; name: why" (names only when there are several). */
static void facts_add_each_contact(struct xbuf *t, const struct report_view *v,
                                   const struct verdict_subscription *s)
{
    char **words = xcalloc(s->n_contacts + 1, sizeof *words);
    size_t *named = xcalloc(s->n_contacts + 1, sizeof *named); /* where the words begin */
    size_t distinct = 0;
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (c->superseded)
            continue; /* the newer snapshot speaks for it */
        struct xbuf w = { 0 };
        facts_add_name(&w, c);
        xbuf_add(&w, ": ");
        named[i] = w.len;
        facts_contact_words(&w, v->table, c);
        words[i] = xbuf_finish(&w);
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = words[k] && strcasecmp(words[k], words[i]) == 0;
        if (seen) {
            free(words[i]);
            words[i] = NULL;
        } else {
            distinct++;
        }
    }
    int first = 1;
    for (size_t i = 0; i < s->n_contacts; i++) {
        if (words[i] == NULL)
            continue;
        if (!first)
            xbuf_add(t, "; ");
        first = 0;
        /* one contact: its words without its name */
        xbuf_add(t, distinct > 1 ? words[i] : words[i] + named[i]);
        free(words[i]);
    }
    free(named);
    free(words);
}

static void facts_add_location(struct xbuf *t, const struct report_view *v, size_t file,
                               const struct verdict_pos *pos)
{
    const char *path = v->files->files[file].path;
    facts_add_capped(t, path, strlen(path), 0);
    char at[48];
    snprintf(at, sizeof at, ":%lu:%lu", pos->line, pos->col);
    xbuf_add(t, at);
}

/* What contact c says for rule, in a few words: why it passes or not. */
static void facts_add_contact_verdict(struct xbuf *t, const struct report_view *v, unsigned rule,
                                      const struct verdict_contact *c, int passes)
{
    const struct rule *ru = &rules_table[rule];
    if (rule != RULE_CONTACT_EMAIL)
        xbuf_add(t, passes ? ru->on_text : ru->off_text);
    else if (passes) {
        facts_add_number(t, c->n_deliverable);
        xbuf_add(t, c->n_deliverable == 1 ? " deliverable address" : " deliverable addresses");
    } else {
        facts_contact_words(t, v->table, c);
    }
}

/* Two snapshots that give different verdicts, and where they are. */
static void facts_add_disagreement(struct xbuf *t, const struct report_view *v,
                                   const struct verdict_subscription *s, unsigned rule,
                                   const struct verdict_result *r)
{
    const struct verdict_extra *x = verdicts_extra(s);
    const struct verdict_contact *yes = &s->contacts[r->ref];
    xbuf_add(t, "snapshots disagree: contact '");
    facts_add_name(t, yes);
    xbuf_add(t, "' at ");
    facts_add_location(t, v, yes->file, &yes->pos);
    xbuf_add(t, " passes (");
    facts_add_contact_verdict(t, v, rule, yes, 1);
    if (r->other[0] == VERDICT_NO_REF) {
        xbuf_add(t, "), the contact list at ");
        facts_add_location(t, v, x->empty_list_file, &x->empty_list_pos);
        xbuf_add(t, " is empty");
        return;
    }
    const struct verdict_contact *no = &s->contacts[r->other[0]];
    xbuf_add(t, "), at ");
    facts_add_location(t, v, no->file, &no->pos);
    xbuf_add(t, " does not (");
    facts_add_contact_verdict(t, v, rule, no, 0);
    xbuf_add(t, ")");
}

/* What differs between two snapshots of one contact, for rule. */
static const char *facts_difference(unsigned rule, const struct verdict_contact *a,
                                    const struct verdict_contact *b)
{
    if ((a->enabled == CONTACT_OFF) != (b->enabled == CONTACT_OFF))
        return "isEnabled";
    switch (rule) {
    case RULE_ALERT_SEVERITY: return "alert notifications";
    case RULE_NOTIFY_OWNERS: return "notifications by role";
    default: return "addresses";
    }
}

static void facts_add_notes(struct xbuf *t, const struct report_view *v,
                            const struct verdict_subscription *s, unsigned rule,
                            const struct verdict_result *r)
{
    const struct verdict_extra *x = verdicts_extra(s);
    if ((r->notes & NOTE_SNAPSHOTS_DIFFER) && r->other[1] == VERDICT_NO_REF) {
        const struct verdict_contact *a = &s->contacts[r->other[0]];
        xbuf_add(t, "; warning: the contact list at ");
        facts_add_location(t, v, x->empty_list_file, &x->empty_list_pos);
        xbuf_add(t, " is empty but contact '");
        facts_add_name(t, a);
        xbuf_add(t, "' is at ");
        facts_add_location(t, v, a->file, &a->pos);
        xbuf_add(t, ", with the same verdict under each");
    } else if (r->notes & NOTE_SNAPSHOTS_DIFFER) {
        const struct verdict_contact *a = &s->contacts[r->other[0]], *b = &s->contacts[r->other[1]];
        xbuf_add(t, "; warning: two snapshots of contact '");
        facts_add_name(t, a);
        xbuf_add(t, "' differ in ");
        xbuf_add(t, facts_difference(rule, a, b));
        xbuf_add(t, " (");
        facts_add_location(t, v, a->file, &a->pos);
        xbuf_add(t, " and ");
        facts_add_location(t, v, b->file, &b->pos);
        xbuf_add(t, "), with the same verdict under each");
    }
    if (r->notes & NOTE_ADDRESSES_ONLY)
        xbuf_add(t, "; note: the evidence shows the addresses only, not whether the contact is "
                    "enabled");
}

static void facts_add_reason(struct xbuf *t, const struct report_view *v,
                             const struct verdict_subscription *s, unsigned rule,
                             const struct verdict_result *r)
{
    const struct verdict_extra *x = verdicts_extra(s);
    const struct rule *ru = &rules_table[rule];
    switch ((enum verdict_reason)r->reason) {
    case REASON_NONE: xbuf_add(t, "not decided"); break;
    case REASON_DELIVERABLE: facts_add_deliverable(t, v, s, &s->contacts[r->ref]); break;
    case REASON_SETTING_ON: xbuf_add(t, ru->on_text); break;
    case REASON_NO_CONTACT: xbuf_add(t, "no security contact configured"); break;
    case REASON_NO_DELIVERABLE: facts_add_each_contact(t, v, s); break;
    case REASON_SETTING_OFF: xbuf_add(t, ru->off_text); break;
    case REASON_UNATTRIBUTED:
        if (r->ref != VERDICT_NO_REF)
            facts_add_problem(t, v, &x->problems[r->ref]);
        else
            xbuf_add(t, "no subscription id in the evidence (no id, no subscriptionId, no GUID "
                        "in the path)");
        break;
    case REASON_SNAPSHOTS: facts_add_disagreement(t, v, s, rule, r); break;
    case REASON_UNLISTED_PASS:
        xbuf_add(t, "only evidence that the bundle's manifest does not list passes (contact '");
        facts_add_name(t, &s->contacts[r->ref]);
        xbuf_add(t, "' at ");
        facts_add_location(t, v, s->contacts[r->ref].file, &s->contacts[r->ref].pos);
        xbuf_add(t, ")");
        break;
    case REASON_PAGES_MISSING:
        xbuf_add(t, "one page of a longer list (nextLink or skip token set) and its other pages "
                    "are not in the bundle: they may hold the contact");
        break;
    case REASON_AMBIGUOUS: xbuf_add(t, s->contacts[r->ref].problem); break;
    case REASON_EVIDENCE: facts_add_problem(t, v, &x->problems[r->ref]); break;
    case REASON_NO_EVIDENCE: xbuf_add(t, "no evidence for subscription"); break;
    case REASON_SETTING_UNCLEAR: xbuf_add(t, ru->unclear_text); break;
    case REASON_SETTING_NOT_SHOWN:
        xbuf_add(t, "the evidence shows the addresses only (jq or az --query output), not this "
                    "setting");
        break;
    }
    facts_add_notes(t, v, s, rule, r);
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

/* ---- words a summary groups by -------------------------------------------------------- */

static const char *facts_state_group(enum facts_state state)
{
    switch (state) {
    case FACTS_DELIVERABLE: return "deliverable";
    case FACTS_FROM_FAILED_FILE: return "evidence that does not count";
    case FACTS_SUPERSEDED: return "superseded";
    case FACTS_AMBIGUOUS: return "ambiguous contact";
    case FACTS_DISABLED: return "contact disabled (isEnabled=false)";
    case FACTS_EMAILS_MISSING: return "emails is missing";
    case FACTS_EMAILS_NULL: return "emails is null";
    case FACTS_EMAILS_EMPTY: return "emails is empty";
    case FACTS_NO_ADDRESS: return "emails holds no address";
    case FACTS_ONLY_RESERVED: return "only reserved/sample addresses";
    case FACTS_PLACEHOLDER: return "only placeholder addresses";
    case FACTS_NO_REPLY: return "only no-reply mailboxes";
    case FACTS_UNKNOWN_TLD: return "unknown top-level domain";
    case FACTS_OUTSIDE_ORG: return "no address in --org-domain";
    case FACTS_INVALID: return "not an email address";
    }
    return "no deliverable address";
}

static const char *facts_problem_group(const struct verdict_problem *p)
{
    switch (p->kind) {
    case PROBLEM_UNREADABLE: return "unreadable evidence";
    case PROBLEM_API_ERROR: return NULL; /* by its code */
    case PROBLEM_MISFILED: return "file named for another subscription";
    case PROBLEM_ALTERED: return "altered since collection";
    case PROBLEM_MISSING: return "listed in the manifest, not in the bundle";
    case PROBLEM_STALE: return "stale evidence";
    case PROBLEM_UNDATED: return "collection date unknown";
    }
    return "evidence that cannot decide it";
}

char *facts_reason_group(const struct report_view *v, const struct verdict_subscription *s,
                         unsigned rule)
{
    const struct verdict_extra *x = verdicts_extra(s);
    const struct verdict_result *r = verdicts_result(v->table, s, rule);
    struct xbuf t = { 0 };
    switch ((enum verdict_reason)r->reason) {
    case REASON_NO_DELIVERABLE: {
        /* the first contact's own reason names the group */
        enum facts_state state = FACTS_EMAILS_MISSING;
        for (size_t i = 0; i < s->n_contacts && state == FACTS_EMAILS_MISSING; i++)
            if (!s->contacts[i].superseded)
                state = facts_of_contact(v->table, &s->contacts[i]).state;
        xbuf_add(&t, facts_state_group(state));
        break;
    }
    case REASON_EVIDENCE:
    case REASON_UNATTRIBUTED:
        if (r->ref != VERDICT_NO_REF && x->problems[r->ref].kind == PROBLEM_API_ERROR) {
            xbuf_add(&t, "API error ");
            facts_add_quoted(&t, x->problems[r->ref].code, strlen(x->problems[r->ref].code));
        } else if (r->ref != VERDICT_NO_REF) {
            xbuf_add(&t, facts_problem_group(&x->problems[r->ref]));
        } else {
            xbuf_add(&t, "no subscription id in the evidence");
        }
        break;
    case REASON_NONE: xbuf_add(&t, "not decided"); break;
    case REASON_DELIVERABLE: xbuf_add(&t, "deliverable"); break;
    case REASON_SETTING_ON: xbuf_add(&t, rules_table[rule].on_text); break;
    case REASON_NO_CONTACT: xbuf_add(&t, "no security contact configured"); break;
    case REASON_SETTING_OFF: xbuf_add(&t, rules_table[rule].off_text); break;
    case REASON_AMBIGUOUS: xbuf_add(&t, "ambiguous contact"); break;
    case REASON_NO_EVIDENCE: xbuf_add(&t, "no evidence for subscription"); break;
    case REASON_SETTING_UNCLEAR: xbuf_add(&t, rules_table[rule].unclear_text); break;
    case REASON_SETTING_NOT_SHOWN: xbuf_add(&t, "setting not shown (addresses only)"); break;
    case REASON_SNAPSHOTS: xbuf_add(&t, "snapshots disagree"); break;
    case REASON_PAGES_MISSING: xbuf_add(&t, "pages of the list missing"); break;
    case REASON_UNLISTED_PASS: xbuf_add(&t, "passes only on unlisted evidence"); break;
    }
    if (r->status == VERDICT_WAIVED) {
        char *words = xbuf_finish(&t);
        xbuf_add(&t, "waived: ");
        xbuf_add(&t, words);
        free(words);
    }
    return facts_finish(v, &t);
}

const char *facts_address_why(const struct verdict_contact *c, const struct verdict_address *a)
{
    if (a->why[0])
        return a->why;
    enum facts_state state = FACTS_DELIVERABLE; /* its addresses decide: it stands */
    facts_state_alone(c, &state);
    switch (state) {
    case FACTS_DISABLED: return "deliverable, but the contact is disabled";
    case FACTS_FROM_FAILED_FILE: return "deliverable, but its file does not count";
    case FACTS_SUPERSEDED: return "deliverable, but a snapshot collected later decides";
    case FACTS_AMBIGUOUS: return c->problem;
    default: return c->unlisted ? "deliverable, but its file is not in the manifest" : "";
    }
}
