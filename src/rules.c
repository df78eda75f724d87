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
    struct verdict_result r = { (uint8_t)status, (uint8_t)reason, (uint32_t)ref };
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
    return !c->from_failed_file && c->problem == NULL;
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
    *out = rules_result(VERDICT_ERROR, REASON_UNATTRIBUTED, s->n_problems ? 0 : VERDICT_NO_REF);
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
    if (s->n_problems > 0) {
        *out = rules_result(VERDICT_ERROR, REASON_EVIDENCE, 0);
        return 1;
    }
    if (s->n_contacts == 0 && !s->empty_list) {
        *out = rules_result(VERDICT_ERROR, REASON_NO_EVIDENCE, VERDICT_NO_REF);
        return 1;
    }
    return 0;
}

/* Contacts compared by name (unnamed first), then by value: equal names
 * end up side by side, and a name with two values has two neighbours that
 * differ. */
static int rules_cmp_name(const struct verdict_contact *a, const struct verdict_contact *b)
{
    if (a->name == NULL || b->name == NULL)
        return (a->name != NULL) - (b->name != NULL);
    size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
    int c = memcmp(a->name, b->name, n);
    return c ? c : (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

static int rules_cmp_value(const struct verdict_contact *a, const struct verdict_contact *b)
{
    if (a->emails_kind != b->emails_kind)
        return a->emails_kind < b->emails_kind ? -1 : 1;
    if (a->enabled != b->enabled)
        return a->enabled < b->enabled ? -1 : 1;
    if (a->emails_len != b->emails_len)
        return a->emails_len < b->emails_len ? -1 : 1;
    return a->emails_len ? memcmp(a->emails, b->emails, a->emails_len) : 0;
}

static int rules_cmp_contact(const void *pa, const void *pb)
{
    const struct verdict_contact *a = *(const struct verdict_contact *const *)pa;
    const struct verdict_contact *b = *(const struct verdict_contact *const *)pb;
    int c = rules_cmp_name(a, b);
    if (c == 0)
        c = rules_cmp_value(a, b);
    /* the earlier contact first, so that the name reported is stable */
    return c ? c : (a > b) - (a < b);
}

/* The same contact (same name) with two different values, from two files
 * or twice in one (a loop that appended two snapshots): the bundle holds
 * evidence from different times and the tool cannot know which one is
 * current. Sorting makes this O(n log n) in the number of contacts.
 * Returns the first contact of the first name that conflicts, or NULL. */
static const struct verdict_contact *rules_conflict(const struct verdict_subscription *s)
{
    if (s->n_contacts < 2)
        return NULL;
    const struct verdict_contact **byname = xcalloc(s->n_contacts, sizeof *byname);
    size_t n = 0;
    for (size_t i = 0; i < s->n_contacts; i++)
        if (rules_contact_counts(&s->contacts[i]))
            byname[n++] = &s->contacts[i];
    qsort(byname, n, sizeof *byname, rules_cmp_contact);
    const struct verdict_contact *culprit = NULL;
    for (size_t first = 0, end; first < n; first = end) {
        const struct verdict_contact *earliest = byname[first];
        int differ = 0;
        for (end = first + 1; end < n && rules_cmp_name(byname[end], byname[first]) == 0; end++) {
            differ |= rules_cmp_value(byname[end - 1], byname[end]) != 0;
            if (byname[end] < earliest)
                earliest = byname[end];
        }
        if (differ && (culprit == NULL || earliest < culprit))
            culprit = earliest;
    }
    free(byname);
    return culprit;
}

/* ---- 2.3.2: additional email addresses ------------------------------------------- */

void rules_each_not_counted(const struct verdict_subscription *s, rules_address_fn *visit,
                            void *ctx)
{
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (!rules_contact_counts(c))
            continue;
        for (size_t k = 0; k < c->n_addresses; k++)
            if (c->addresses[k].verdict != ADDRESS_DELIVERABLE)
                visit(c, &c->addresses[k], ctx);
    }
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

void rules_say_not_counted(const struct verdict_table *t, const struct evidence_list *files,
                           struct diag *d)
{
    struct rules_say say = { files, d };
    for (size_t i = 0, n = verdicts_count(t); i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(t, i);
        if (verdicts_result(t, s, RULE_CONTACT_EMAIL)->status == VERDICT_PASS)
            rules_each_not_counted(s, rules_say_address, &say);
    }
}

static struct verdict_result rules_decide_contact_email(const struct verdict_subscription *s,
                                                        const struct rules_setting *unused)
{
    (void)unused;
    struct verdict_result r;
    const struct verdict_contact *good = NULL;
    for (size_t i = 0; i < s->n_contacts && good == NULL; i++)
        if (rules_contact_usable(&s->contacts[i]))
            good = &s->contacts[i];
    const struct verdict_contact *conflict;
    if (rules_unattributed(s, &r))
        return r;
    if ((conflict = rules_conflict(s)) != NULL)
        return rules_result(VERDICT_ERROR, REASON_CONFLICT, rules_contact_index(s, conflict));
    if (rules_undecided(s, good != NULL, &r))
        return r;
    if (good)
        return rules_result(VERDICT_PASS, REASON_DELIVERABLE, rules_contact_index(s, good));
    if (s->n_contacts == 0)
        return rules_result(VERDICT_FAIL, REASON_NO_CONTACT, VERDICT_NO_REF);
    return rules_result(VERDICT_FAIL, REASON_NO_DELIVERABLE, VERDICT_NO_REF);
}

/* ---- sibling controls (opt-in with --rule) ---------------------------------------------- */

/* A sibling control is a setting some contact must have: passes() says a
 * contact has it, unclear() that its value was not understood. */
struct rules_setting {
    int (*passes)(const struct verdict_contact *c);
    int (*unclear)(const struct verdict_contact *c);
};

static struct verdict_result rules_decide_setting(const struct verdict_subscription *s,
                                                  const struct rules_setting *rs)
{
    struct verdict_result r;
    int unclear = 0, seen = 0;
    if (rules_unattributed(s, &r))
        return r;
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (!rules_contact_counts(c))
            continue;
        seen = 1;
        unclear |= rs->unclear(c);
        if (c->enabled != CONTACT_OFF && rs->passes(c))
            return rules_result(VERDICT_PASS, REASON_SETTING_ON, i);
    }
    /* Fail-closed as for the email rule: unreadable or ambiguous evidence
     * might have held the passing contact. */
    if (rules_undecided(s, 0, &r))
        return r;
    if (unclear)
        return rules_result(VERDICT_ERROR, REASON_SETTING_UNCLEAR, VERDICT_NO_REF);
    return rules_result(VERDICT_FAIL, seen ? REASON_SETTING_OFF : REASON_NO_CONTACT,
                        VERDICT_NO_REF);
}

/* Alerts: PASS when some contact has alert e-mails on with a minimal
 * severity of High, Medium or Low: each of them mails High alerts, which is
 * what the control asks for (a wider setting is no finding; some peers
 * demand exactly High). The 2017 API had no severity: "On" meant
 * high-severity alerts, so it passes. */
static int rules_alerts_pass(const struct verdict_contact *c)
{
    int severity_ok = c->alert_severity == SEVERITY_HIGH || c->alert_severity == SEVERITY_MEDIUM ||
                      c->alert_severity == SEVERITY_LOW ||
                      (c->alert_severity == SEVERITY_UNSET && (c->api & CONTACT_API_2017));
    return c->alerts == CONTACT_ON && severity_ok;
}

static int rules_alerts_unclear(const struct verdict_contact *c)
{
    return c->alerts == CONTACT_OTHER || c->alert_severity == SEVERITY_OTHER;
}

static const struct rules_setting rules_alert_setting = { rules_alerts_pass, rules_alerts_unclear };

/* Owners: PASS when notificationsByRole is On and its roles include Owner,
 * or (2017) alertsToAdmins is On. The state matters: a switched-off role
 * list does not notify anyone. */
static int rules_owners_pass(const struct verdict_contact *c)
{
    return c->notify_roles == CONTACT_ON && (c->roles_include_owner || (c->api & CONTACT_API_2017));
}

static int rules_owners_unclear(const struct verdict_contact *c)
{
    return c->notify_roles == CONTACT_OTHER;
}

static const struct rules_setting rules_owner_setting = { rules_owners_pass, rules_owners_unclear };

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
        rules_decide_contact_email,
        NULL,
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
        rules_decide_setting,
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
        rules_decide_setting,
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
            struct verdict_result res = rules_table[r].decide(s, rules_table[r].setting);
            verdicts_set_result(t, s, r, &res);
        }
    }
}
