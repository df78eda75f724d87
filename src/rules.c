/* SPDX-License-Identifier: ISC */
/* Rules: one small decision function per control, and the edition table.
 * Every function is fail-closed: anything not understood is ERROR, never
 * PASS. A decision is a status and a reason code; the facts module puts
 * it in words when a report is written. */
#include "config.h"

#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static struct verdict_result rules_result(enum verdict_status status, enum verdict_reason reason,
                                          size_t ref)
{
    struct verdict_result r = {
        (uint8_t)status, (uint8_t)reason, 0, (uint32_t)ref, { VERDICT_NO_REF, VERDICT_NO_REF }
    };
    return r;
}

static size_t rules_contact_index(const struct verdict_subscription *s,
                                  const struct verdict_contact *c)
{
    return (size_t)(c - s->contacts);
}

/* ---- shared questions about a subscription ----------------------------------- */

int rules_contact_counts(const struct verdict_contact *c)
{
    return !c->from_failed_file && c->problem == NULL && !c->superseded;
}

int rules_contact_usable(const struct verdict_contact *c)
{
    return rules_contact_counts(c) && c->enabled != CONTACT_OFF && c->n_deliverable > 0;
}

/* Evidence that names no subscription (no id, no subscriptionId, no GUID in
 * the path, or an error body that names none) proves nothing about any
 * subscription: whatever it holds, the verdict is ERROR, never PASS. */
static int rules_unattributed(const struct verdict_subscription *s, struct verdict_result *out)
{
    if (s->known)
        return 0;
    *out = rules_result(VERDICT_ERROR, REASON_UNATTRIBUTED,
                        verdicts_extra(s)->n_problems ? 0 : VERDICT_NO_REF);
    return 1;
}

/* Why the subscription cannot be decided, when it cannot: an ambiguous
 * contact, evidence that could not be read or is an API error, an
 * inventory entry with no evidence at all. One usable contact is enough:
 * nothing can undo it. */
static int rules_undecided(const struct verdict_subscription *s, int usable,
                           struct verdict_result *out)
{
    if (usable)
        return 0;
    for (size_t i = 0; i < s->n_contacts; i++) {
        if (s->contacts[i].problem && !s->contacts[i].from_failed_file) {
            *out = rules_result(VERDICT_ERROR, REASON_AMBIGUOUS, i);
            return 1;
        }
    }
    if (verdicts_extra(s)->n_problems > 0) {
        *out = rules_result(VERDICT_ERROR, REASON_EVIDENCE, 0);
        return 1;
    }
    if (s->n_contacts == 0 && !s->empty_list) {
        *out = rules_result(VERDICT_ERROR, REASON_NO_EVIDENCE, VERDICT_NO_REF);
        return 1;
    }
    return 0;
}

/* ---- snapshots: the same contact seen more than once ------------------------- */

/* ASCII case-insensitive order of two byte strings, whatever the locale. */
static int rules_fold_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    for (size_t i = 0; i < n; i++) {
        int x = (unsigned char)a[i], y = (unsigned char)b[i];
        x = x >= 'A' && x <= 'Z' ? x + 32 : x;
        y = y >= 'A' && y <= 'Z' ? y + 32 : y;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (an > bn) - (an < bn);
}

static int rules_cmp_name(const struct verdict_contact *a, const struct verdict_contact *b)
{
    return verdicts_contact_name_cmp(a, b);
}

static int rules_cmp_address(const void *pa, const void *pb)
{
    const struct verdict_address *a = pa, *b = pb;
    return rules_fold_cmp(a->text, a->len, b->text, b->len);
}

/* c's addresses in order without case, each once, into *set (the caller
 * frees set->items): the comparison needs their texts only. */
static void rules_address_set(const struct verdict_contact *c, struct verdict_addresses *set)
{
    verdicts_split_addresses(c, set);
    if (set->n)
        qsort(set->items, set->n, sizeof *set->items, rules_cmp_address);
    size_t kept = 0;
    for (size_t i = 0; i < set->n; i++)
        if (kept == 0 || rules_cmp_address(&set->items[kept - 1], &set->items[i]) != 0)
            set->items[kept++] = set->items[i];
    set->n = kept;
}

/* The same set of addresses: split, trimmed, without case. */
static int rules_same_addresses(const struct verdict_contact *a, const struct verdict_contact *b)
{
    struct verdict_addresses sa = { 0 }, sb = { 0 };
    rules_address_set(a, &sa);
    rules_address_set(b, &sb);
    int same = sa.n == sb.n;
    for (size_t i = 0; same && i < sa.n; i++)
        same = rules_cmp_address(&sa.items[i], &sb.items[i]) == 0;
    free(sa.items);
    free(sb.items);
    return same;
}

/* Two snapshots of one contact mean the same to rule: isEnabled absent,
 * null and true are one; members the rule does not read do not count. */
static int rules_same_meaning(unsigned rule, const struct verdict_contact *a,
                              const struct verdict_contact *b)
{
    if ((a->enabled == CONTACT_OFF) != (b->enabled == CONTACT_OFF))
        return 0;
    switch (rule) {
    case RULE_ALERT_SEVERITY:
        return a->alerts == b->alerts && a->alert_severity == b->alert_severity;
    case RULE_NOTIFY_OWNERS:
        return a->notify_roles == b->notify_roles &&
               a->roles_include_owner == b->roles_include_owner;
    default: return rules_same_addresses(a, b);
    }
}

static int rules_cmp_contact(const void *pa, const void *pb)
{
    const struct verdict_contact *a = *(const struct verdict_contact *const *)pa;
    const struct verdict_contact *b = *(const struct verdict_contact *const *)pb;
    int c = rules_cmp_name(a, b);
    /* the earlier contact first, so that what is reported is stable */
    return c ? c : (a > b) - (a < b);
}

/* What the readings of a subscription allow. A reading takes one snapshot
 * of each contact (by name); an empty contact list beside contacts is a
 * reading with none. Some reading passes when some snapshot of some
 * contact passes; some reading fails when every contact has a snapshot
 * that fails, or when an empty list (a whole page) says there is none. */
struct rules_readings {
    const struct verdict_contact *passing; /* the first snapshot that passes */
    const struct verdict_contact *failing; /* one of the same contact that fails, or NULL */
    /* two snapshots of one contact that differ (differ[1] NULL: an empty list) */
    const struct verdict_contact *differ[2];
    int can_pass, can_fail;
    size_t counted;
    /* a contact that would pass, from a file the bundle's manifest does
     * not list: it never makes a PASS */
    const struct verdict_contact *unlisted_pass;
};

/* A snapshot passes when it meets the rule and its file is not left out of
 * the bundle's manifest: unlisted evidence never turns a FAIL into a PASS. */
static int rules_counts_as_pass(int (*passes)(const struct verdict_contact *),
                                const struct verdict_contact *c)
{
    return !c->unlisted && passes(c);
}

/* One contact's snapshots, the sorted run group[0..n): whether one fails,
 * and the first that differs from the first. */
static int rules_read_contact(unsigned rule, int (*passes)(const struct verdict_contact *),
                              const struct verdict_contact *const *group, size_t n,
                              struct rules_readings *r)
{
    int fails = 0;
    for (size_t k = 0; k < n; k++) {
        fails |= !rules_counts_as_pass(passes, group[k]);
        if (k > 0 && r->differ[0] == NULL && !rules_same_meaning(rule, group[0], group[k])) {
            r->differ[0] = group[0];
            r->differ[1] = group[k];
        }
    }
    return fails;
}

static void rules_read(const struct verdict_subscription *s, unsigned rule,
                       int (*passes)(const struct verdict_contact *), struct rules_readings *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < s->n_contacts && r->unlisted_pass == NULL; i++)
        if (rules_contact_counts(&s->contacts[i]) && s->contacts[i].unlisted &&
            passes(&s->contacts[i]))
            r->unlisted_pass = &s->contacts[i];
    /* Most subscriptions have a contact or two: no allocation for those. */
    const struct verdict_contact *few[8];
    const struct verdict_contact **byname =
        s->n_contacts <= 8 ? few : xcalloc(s->n_contacts, sizeof *byname);
    for (size_t i = 0; i < s->n_contacts; i++)
        if (rules_contact_counts(&s->contacts[i]))
            byname[r->counted++] = &s->contacts[i];
    if (r->counted > 1)
        qsort(byname, r->counted, sizeof *byname, rules_cmp_contact);
    int every_contact_fails = 1;
    for (size_t first = 0, end; first < r->counted; first = end) {
        for (end = first + 1; end < r->counted && rules_cmp_name(byname[end], byname[first]) == 0;)
            end++;
        every_contact_fails &= rules_read_contact(rule, passes, byname + first, end - first, r);
    }
    if (byname != few)
        free(byname);
    /* The first that passes in the order of the evidence, and a snapshot of
     * the same contact that does not. */
    for (size_t i = 0; i < s->n_contacts && r->passing == NULL; i++)
        if (rules_contact_counts(&s->contacts[i]) && rules_counts_as_pass(passes, &s->contacts[i]))
            r->passing = &s->contacts[i];
    for (size_t i = 0; r->passing && i < s->n_contacts && r->failing == NULL; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (rules_contact_counts(c) && !rules_counts_as_pass(passes, c) &&
            rules_cmp_name(c, r->passing) == 0)
            r->failing = c;
    }
    r->can_pass = r->passing != NULL;
    int empty_snapshot = s->empty_list && !s->empty_list_paged;
    r->can_fail = every_contact_fails || empty_snapshot;
    /* An empty list beside contacts is a snapshot that differs from them. */
    if (empty_snapshot && r->counted && r->differ[0] == NULL) {
        for (size_t i = 0; i < s->n_contacts && r->differ[0] == NULL; i++)
            if (rules_contact_counts(&s->contacts[i]))
                r->differ[0] = &s->contacts[i];
    }
}
/* ---- 2.3.2: additional email addresses ------------------------------------------- */

/* Calls visit for each address of s's counted contacts that has() says
 * they may hold (a flag kept with the contact) and is() picks. */
static void rules_each_address(const struct verdict_table *t, const struct verdict_subscription *s,
                               int (*has)(const struct verdict_contact *),
                               int (*is)(const struct verdict_address *), rules_address_fn *visit,
                               void *ctx)
{
    struct verdict_addresses judged = { 0 };
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (!rules_contact_counts(c) || !has(c))
            continue;
        const struct verdict_address *a = verdicts_addresses(t, c, &judged);
        for (size_t k = 0; k < judged.n; k++)
            if (is(&a[k]))
                visit(c, &a[k], ctx);
    }
    free(judged.items);
}

static int rules_has_undeliverable(const struct verdict_contact *c)
{
    return c->undeliverable;
}

static int rules_is_undeliverable(const struct verdict_address *a)
{
    return a->verdict != ADDRESS_DELIVERABLE;
}

static int rules_has_personal(const struct verdict_contact *c)
{
    return c->personal;
}

static int rules_is_personal(const struct verdict_address *a)
{
    return a->verdict == ADDRESS_DELIVERABLE && strcmp(a->why, ADDRESS_WHY_PERSONAL) == 0;
}

void rules_each_not_counted(const struct verdict_table *t, const struct verdict_subscription *s,
                            rules_address_fn *visit, void *ctx)
{
    rules_each_address(t, s, rules_has_undeliverable, rules_is_undeliverable, visit, ctx);
}

void rules_each_personal(const struct verdict_table *t, const struct verdict_subscription *s,
                         rules_address_fn *visit, void *ctx)
{
    rules_each_address(t, s, rules_has_personal, rules_is_personal, visit, ctx);
}

struct rules_say {
    const struct evidence_list *files;
    struct diag *diag;
};

static void rules_say_address(const struct verdict_contact *c, const struct verdict_address *a,
                              void *ctx)
{
    struct rules_say *say = ctx;
    char *text = xmemdup0(a->text, a->len);
    diag_emit(say->diag, say->files->files[c->file].path, c->emails_pos.line, c->emails_pos.col,
              D_UNDELIVERABLE_KEPT, text, a->why ? a->why : address_verdict_name(a->verdict));
    free(text);
}

/* Snapshots that differ without changing a verdict: said once per
 * subscription, at the first of the two. */
static void rules_say_differing(const struct verdict_table *t, const struct verdict_subscription *s,
                                const struct evidence_list *files, struct diag *d)
{
    const struct verdict_extra *x = verdicts_extra(s);
    for (unsigned r = 0; r < RULE_COUNT; r++) {
        const struct verdict_result *res = verdicts_result(t, s, r);
        if (!(res->notes & NOTE_SNAPSHOTS_DIFFER))
            continue;
        const struct verdict_contact *a = &s->contacts[res->other[0]];
        char *name = a->name ? xmemdup0(a->name, a->name_len) : xstrdup("(unnamed)");
        const char *other;
        char pos[64];
        if (res->other[1] == VERDICT_NO_REF) {
            other = files->files[x->empty_list_file].path;
            snprintf(pos, sizeof pos, ":%lu:%lu (an empty list)", x->empty_list_pos.line,
                     x->empty_list_pos.col);
        } else {
            const struct verdict_contact *b = &s->contacts[res->other[1]];
            other = files->files[b->file].path;
            snprintf(pos, sizeof pos, ":%lu:%lu", b->pos.line, b->pos.col);
        }
        struct xbuf where = { 0 };
        xbuf_add(&where, other);
        xbuf_add(&where, pos);
        char *text = xbuf_finish(&where);
        diag_emit(d, files->files[a->file].path, a->pos.line, a->pos.col, D_SNAPSHOTS_DIFFER, name,
                  text);
        free(text);
        free(name);
        return;
    }
}

/* Whether rules_say has anything to say of s. */
static int rules_has_words(const struct verdict_table *t, const struct verdict_subscription *s)
{
    for (unsigned r = 0; r < RULE_COUNT; r++)
        if (verdicts_result(t, s, r)->notes & NOTE_SNAPSHOTS_DIFFER)
            return 1;
    if (verdicts_result(t, s, RULE_CONTACT_EMAIL)->status != VERDICT_PASS)
        return 0;
    for (size_t i = 0; i < s->n_contacts; i++)
        if (rules_contact_counts(&s->contacts[i]) && s->contacts[i].undeliverable)
            return 1;
    return 0;
}

void rules_say(const struct verdict_table *t, const struct evidence_list *files, struct diag *d)
{
    /* The messages come in subscription order. The walk that says them
     * looks at each subscription's contacts: first a cheaper look whether
     * any subscription has something to say. */
    size_t n = verdicts_count(t), any = 0;
    for (size_t i = 0; i < n && !any; i++)
        any = rules_has_words(t, verdicts_get(t, i));
    struct rules_say say = { files, d };
    for (size_t i = 0; any && i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(t, i);
        if (verdicts_result(t, s, RULE_CONTACT_EMAIL)->status == VERDICT_PASS)
            rules_each_not_counted(t, s, rules_say_address, &say);
        rules_say_differing(t, s, files, d);
    }
}

/* ---- sibling controls (opt-in with --rule) ---------------------------------------------- */

/* What a rule asks of a contact: passes() that it meets the control (it
 * counts, is not disabled, and has the setting), unclear() that its value
 * was not understood (NULL: nothing can be unclear). */
struct rules_setting {
    int (*passes)(const struct verdict_contact *c);
    int (*unclear)(const struct verdict_contact *c);
    enum verdict_reason pass_reason, fail_reason;
    int needs_settings; /* evidence of the addresses only cannot show it */
};

/* A contact whose evidence shows its addresses only (jq, az --query). */
static int rules_any_addresses_only(const struct verdict_subscription *s)
{
    for (size_t i = 0; i < s->n_contacts; i++)
        if (rules_contact_counts(&s->contacts[i]) && s->contacts[i].addresses_only)
            return 1;
    return 0;
}

static int rules_any_unclear(const struct verdict_subscription *s, const struct rules_setting *rs)
{
    for (size_t i = 0; rs->unclear && i < s->n_contacts; i++)
        if (rules_contact_counts(&s->contacts[i]) && rs->unclear(&s->contacts[i]))
            return 1;
    return 0;
}

/* The notes a verdict carries: snapshots that differ without changing it,
 * and a deciding contact whose evidence shows its addresses only. */
static void rules_add_notes(const struct verdict_subscription *s, const struct rules_readings *rd,
                            struct verdict_result *r)
{
    if (rd->differ[0]) {
        r->notes |= NOTE_SNAPSHOTS_DIFFER;
        r->other[0] = (uint32_t)rules_contact_index(s, rd->differ[0]);
        r->other[1] =
            rd->differ[1] ? (uint32_t)rules_contact_index(s, rd->differ[1]) : VERDICT_NO_REF;
    }
    if (r->status == VERDICT_PASS && rd->passing->addresses_only)
        r->notes |= NOTE_ADDRESSES_ONLY;
}

/* Every rule decides the same way, fail-closed: evidence for no
 * subscription, snapshots that give different verdicts, unreadable or
 * ambiguous evidence that could have held the passing contact, a FAIL on a
 * page whose other pages are missing, a setting not understood: ERROR. */
static struct verdict_result rules_decide_one(const struct verdict_subscription *s, unsigned rule)
{
    const struct rules_setting *rs = rules_table[rule].setting;
    struct verdict_result r;
    if (rules_unattributed(s, &r))
        return r;
    struct rules_readings rd;
    rules_read(s, rule, rs->passes, &rd);
    if (rd.can_pass && rd.can_fail) {
        r = rules_result(VERDICT_ERROR, REASON_SNAPSHOTS, rules_contact_index(s, rd.passing));
        r.other[0] = rd.failing ? (uint32_t)rules_contact_index(s, rd.failing) : VERDICT_NO_REF;
        return r;
    }
    if (rules_undecided(s, rd.can_pass, &r))
        return r;
    if (rd.can_pass)
        r = rules_result(VERDICT_PASS, rs->pass_reason, rules_contact_index(s, rd.passing));
    else if (rd.unlisted_pass)
        return rules_result(VERDICT_ERROR, REASON_UNLISTED_PASS,
                            rules_contact_index(s, rd.unlisted_pass));
    else if (s->pages_more && !s->pages_last)
        return rules_result(VERDICT_ERROR, REASON_PAGES_MISSING, VERDICT_NO_REF);
    else if (rules_any_unclear(s, rs))
        return rules_result(VERDICT_ERROR, REASON_SETTING_UNCLEAR, VERDICT_NO_REF);
    else if (rs->needs_settings && rules_any_addresses_only(s))
        return rules_result(VERDICT_ERROR, REASON_SETTING_NOT_SHOWN, VERDICT_NO_REF);
    else
        r = rules_result(VERDICT_FAIL, rd.counted ? rs->fail_reason : REASON_NO_CONTACT,
                         VERDICT_NO_REF);
    rules_add_notes(s, &rd, &r);
    return r;
}

/* 2.3.2: a contact that counts, is not disabled, with a deliverable address. */
static int rules_email_passes(const struct verdict_contact *c)
{
    return rules_contact_usable(c);
}

static const struct rules_setting rules_email_setting = { rules_email_passes, NULL,
                                                          REASON_DELIVERABLE, REASON_NO_DELIVERABLE,
                                                          0 };

/* Alerts: PASS when some contact has alert e-mails on with a minimal
 * severity of High, Medium or Low: each of them mails High alerts, which is
 * what the control asks for (a wider setting is no finding; some peers
 * demand exactly High). The 2017 API had no severity: "On" meant
 * high-severity alerts, so it passes. */
static int rules_alerts_pass(const struct verdict_contact *c)
{
    if (c->enabled == CONTACT_OFF)
        return 0;
    int severity_ok = c->alert_severity == SEVERITY_HIGH || c->alert_severity == SEVERITY_MEDIUM ||
                      c->alert_severity == SEVERITY_LOW ||
                      (c->alert_severity == SEVERITY_UNSET && (c->api & CONTACT_API_2017));
    return c->alerts == CONTACT_ON && severity_ok;
}

static int rules_alerts_unclear(const struct verdict_contact *c)
{
    return c->alerts == CONTACT_OTHER || c->alert_severity == SEVERITY_OTHER;
}

static const struct rules_setting rules_alert_setting = { rules_alerts_pass, rules_alerts_unclear,
                                                          REASON_SETTING_ON, REASON_SETTING_OFF,
                                                          1 };

/* Owners: PASS when notificationsByRole is On and its roles include Owner,
 * or (2017) alertsToAdmins is On. The state matters: a switched-off role
 * list does not notify anyone. */
static int rules_owners_pass(const struct verdict_contact *c)
{
    if (c->enabled == CONTACT_OFF)
        return 0;
    return c->notify_roles == CONTACT_ON && (c->roles_include_owner || (c->api & CONTACT_API_2017));
}

static int rules_owners_unclear(const struct verdict_contact *c)
{
    return c->notify_roles == CONTACT_OTHER;
}

static const struct rules_setting rules_owner_setting = { rules_owners_pass, rules_owners_unclear,
                                                          REASON_SETTING_ON, REASON_SETTING_OFF,
                                                          1 };

/* ---- the table ------------------------------------------------------------------------ */

/* Control ids by CIS Microsoft Azure Foundations edition. The two siblings
 * sit next to the email control in every edition. */
const struct rule rules_table[RULE_COUNT] = {
    [RULE_CONTACT_EMAIL] = {
        "contact-email",
        "Ensure 'Additional email addresses' is Configured with a Security Contact Email",
        "Level 1",
        { { "1.3.0", "2.13" }, { "1.4.0", "2.13" }, { "1.5.0", "2.3.2" }, { "2.0.0", "2.1.19" },
          { "2.1.0", "2.1.18" }, { "3.0.0", "3.1.13" }, { "4.0.0", "9.1.13" }, { "5.0.0", "8.1.13" },
          { "6.0.0", "8.1.13" }, { NULL, NULL } },
        &rules_email_setting,
        NULL,
        NULL,
        NULL,
    },
    [RULE_ALERT_SEVERITY] = {
        "alert-severity",
        "Ensure That 'Notify about alerts with the following severity' is Set to 'High'",
        "Level 1",
        { { "1.3.0", "2.14" }, { "1.4.0", "2.14" }, { "1.5.0", "2.3.3" }, { "2.0.0", "2.1.20" },
          { "2.1.0", "2.1.19" }, { "3.0.0", "3.1.14" }, { "4.0.0", "9.1.14" }, { "5.0.0", "8.1.14" },
          { "6.0.0", "8.1.14" }, { NULL, NULL } },
        &rules_alert_setting,
        "alert e-mails on for high-severity alerts",
        "alert e-mail notifications are off or have no severity",
        "alert notification settings not understood (PowerShell depth-truncated export?)",
    },
    [RULE_NOTIFY_OWNERS] = {
        "notify-owners",
        "Ensure That 'All users with the following roles' is set to 'Owner'",
        "Level 1",
        { { "1.3.0", "2.15" }, { "1.4.0", "2.15" }, { "1.5.0", "2.3.1" }, { "2.0.0", "2.1.18" },
          { "2.1.0", "2.1.17" }, { "3.0.0", "3.1.12" }, { "4.0.0", "9.1.12" }, { "5.0.0", "8.1.12" },
          { "6.0.0", "8.1.12" }, { NULL, NULL } },
        &rules_owner_setting,
        "subscription owners are notified",
        "owners are not notified (notificationsByRole off or without Owner)",
        "notificationsByRole not understood",
    },
};

const char *rules_control_id(const struct rule *rule, const char *edition)
{
    for (int i = 0; i < RULE_MAX_EDITIONS && rule->ids[i].edition; i++) {
        if (strcmp(rule->ids[i].edition, edition) == 0)
            return rule->ids[i].id;
    }
    return NULL;
}

int rules_find(const char *key)
{
    for (int i = 0; i < RULE_COUNT; i++) {
        if (strcmp(rules_table[i].key, key) == 0)
            return i;
    }
    return -1;
}

int rules_edition_known(const char *edition)
{
    return rules_control_id(&rules_table[RULE_CONTACT_EMAIL], edition) != NULL;
}

void rules_decide(struct verdict_table *t, unsigned selected)
{
    for (size_t i = 0, n = verdicts_count(t); i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(t, i);
        for (unsigned r = 0; r < RULE_COUNT; r++) {
            if (!(selected & (1u << r)))
                continue;
            struct verdict_result res = rules_decide_one(s, r);
            verdicts_set_result(t, s, r, &res);
        }
    }
}
