/* Rules: one small decision function per control, and the edition table.
 * Every function is fail-closed: anything not understood is ERROR, never
 * PASS. */
#include "config.h"

#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "xalloc.h"

/* Longest piece of evidence quoted in a reason. */
#define RULES_QUOTE_MAX 80

/* ---- building reasons ------------------------------------------------------ */

/* Appends evidence text, sanitised to one line and capped. */
static void rules_add_quoted(struct xbuf *t, const char *s, size_t len)
{
    char *clean = sanitize_text(s, len, SANITIZE_ONE_LINE, RULES_QUOTE_MAX, NULL);
    xbuf_add(t, clean);
    free(clean);
}

/* ---- shared questions about a subscription ----------------------------------- */

/* Evidence that names no subscription (no id, no subscriptionId, no GUID in
 * the path, or an error body that names none) proves nothing about any
 * subscription: whatever it holds, the verdict is ERROR, never PASS. The
 * reason is the first problem it carries, else that no id was found. */
static char *rules_unattributed(const struct verdict_subscription *s)
{
    if (s->known)
        return NULL;
    struct xbuf t = { 0 };
    xbuf_add(
        &t,
        s->n_problems
            ? s->problems[0].message
            : "no subscription id in the evidence (no id, no subscriptionId, no GUID in the path)");
    return xbuf_finish(&t);
}

/* Why the subscription cannot be decided, or NULL when it can: evidence
 * that could not be read or is an API error, an ambiguous contact, an
 * inventory entry with no evidence at all. */
static char *rules_undecided(const struct verdict_subscription *s, int usable_count)
{
    struct xbuf t = { 0 };
    if (usable_count > 0)
        return NULL; /* one good contact is enough: nothing can undo it */
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (c->problem && !c->from_failed_file) {
            xbuf_add(&t, c->problem);
            return xbuf_finish(&t);
        }
    }
    if (s->n_problems > 0) {
        xbuf_add(&t, s->problems[0].message);
        return xbuf_finish(&t);
    }
    if (s->n_contacts == 0 && !s->empty_list) {
        xbuf_add(&t, "no evidence for subscription");
        return xbuf_finish(&t);
    }
    return NULL;
}

/* The contact's evidence counts: its file was read to the end and nothing
 * in it is ambiguous. */
static int rules_contact_counts(const struct verdict_contact *c)
{
    return !c->from_failed_file && c->problem == NULL;
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
 * current. Sorting makes this O(n log n) in the number of contacts. */
static char *rules_conflict(const struct verdict_subscription *s)
{
    if (s->n_contacts < 2)
        return NULL;
    const struct verdict_contact **byname = xcalloc(s->n_contacts, sizeof *byname);
    size_t n = 0;
    for (size_t i = 0; i < s->n_contacts; i++)
        if (rules_contact_counts(&s->contacts[i]))
            byname[n++] = &s->contacts[i];
    qsort(byname, n, sizeof *byname, rules_cmp_contact);
    /* Of the names that conflict, the one whose contact comes first. */
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
    if (culprit == NULL)
        return NULL;
    struct xbuf t = { 0 };
    xbuf_add(&t, "conflicting evidence for contact '");
    if (culprit->name)
        rules_add_quoted(&t, culprit->name, culprit->name_len);
    else
        xbuf_add(&t, "(unnamed)");
    xbuf_add(&t, "' with different values");
    return xbuf_finish(&t);
}

/* ---- 2.3.2: additional email addresses ------------------------------------------- */

static int rules_contact_usable(const struct verdict_contact *c)
{
    return rules_contact_counts(c) && c->enabled != CONTACT_OFF && c->n_deliverable > 0;
}

static const struct verdict_address *rules_first(const struct verdict_contact *c,
                                                 int (*want)(enum address_verdict))
{
    for (size_t i = 0; i < c->n_addresses; i++) {
        if (want(c->addresses[i].verdict))
            return &c->addresses[i];
    }
    return NULL;
}

static int rules_is_reserved(enum address_verdict v)
{
    return v == ADDRESS_RESERVED || v == ADDRESS_SAMPLE_DOMAIN;
}

static int rules_is_outside(enum address_verdict v)
{
    return v == ADDRESS_OUTSIDE_ORG;
}

static int rules_is_invalid(enum address_verdict v)
{
    return v == ADDRESS_INVALID_SYNTAX;
}

/* "RFC 2606 reserved domain" -> "RFC 2606"; sample domains keep their words. */
static void rules_add_short_why(struct xbuf *t, const struct verdict_address *a)
{
    if (strncmp(a->why, "RFC ", 4) == 0) {
        char rfc[16];
        snprintf(rfc, sizeof rfc, "%.8s", a->why);
        xbuf_add(t, rfc);
    } else {
        xbuf_add(t, a->why);
    }
}

/* Why one contact gives no deliverable address. */
static void rules_contact_reason(struct xbuf *t, const struct verdict_contact *c)
{
    const struct verdict_address *a;
    if (c->enabled == CONTACT_OFF) {
        xbuf_add(t, "contact disabled (isEnabled=false)");
    } else if (c->emails_kind == CONTACT_EMAILS_ABSENT) {
        xbuf_add(t, "emails is missing");
    } else if (c->emails_kind == CONTACT_EMAILS_NULL) {
        xbuf_add(t, c->emails_member);
        xbuf_add(t, " is null");
    } else if (c->emails_len == 0) {
        xbuf_add(t, c->emails_member);
        xbuf_add(t, " is empty");
    } else if (c->n_addresses == 0) {
        xbuf_add(t, c->emails_member);
        xbuf_add(t, " holds no address");
    } else if ((a = rules_first(c, rules_is_reserved)) != NULL) {
        xbuf_add(t, "only reserved/sample addresses: ");
        rules_add_quoted(t, a->text, a->len);
        xbuf_add(t, " (");
        rules_add_short_why(t, a);
        xbuf_add(t, ")");
    } else if ((a = rules_first(c, rules_is_outside)) != NULL) {
        xbuf_add(t, "no address in --org-domain: ");
        rules_add_quoted(t, a->text, a->len);
    } else if ((a = rules_first(c, rules_is_invalid)) != NULL) {
        xbuf_add(t, "no valid address: '");
        rules_add_quoted(t, a->text, a->len);
        xbuf_add(t, "' is not an email address");
    }
}

/* A PASS still warns of the addresses that did not count (a placeholder
 * beside the real address): someone meant them to receive alerts. */
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

struct rules_not_counted {
    const struct verdict_address *first;
    size_t n;
};

static void rules_count_not_counted(const struct verdict_contact *c,
                                    const struct verdict_address *a, void *ctx)
{
    (void)c;
    struct rules_not_counted *nc = ctx;
    if (nc->first == NULL)
        nc->first = a;
    nc->n++;
}

static void rules_add_not_counted(struct xbuf *t, const struct verdict_subscription *s)
{
    struct rules_not_counted nc = { NULL, 0 };
    rules_each_not_counted(s, rules_count_not_counted, &nc);
    if (nc.first == NULL)
        return;
    char count[48];
    snprintf(count, sizeof count, "; warning: %zu address%s not deliverable, ", nc.n,
             nc.n == 1 ? "" : "es");
    xbuf_add(t, count);
    xbuf_add(t, nc.n == 1 ? "'" : "first '");
    rules_add_quoted(t, nc.first->text, nc.first->len);
    xbuf_add(t, "' (");
    xbuf_add(t, nc.first->why ? nc.first->why : address_verdict_name(nc.first->verdict));
    xbuf_add(t, ")");
}

static enum verdict_status rules_decide_contact_email(const struct verdict_subscription *s,
                                                      char **reason)
{
    int usable = 0;
    const struct verdict_contact *good = NULL;
    for (size_t i = 0; i < s->n_contacts; i++) {
        if (rules_contact_usable(&s->contacts[i])) {
            usable++;
            if (good == NULL)
                good = &s->contacts[i];
        }
    }
    if ((*reason = rules_unattributed(s)) != NULL || (*reason = rules_conflict(s)) != NULL)
        return VERDICT_ERROR;
    if ((*reason = rules_undecided(s, usable)) != NULL)
        return VERDICT_ERROR;
    struct xbuf t = { 0 };
    if (good) {
        char n[24];
        snprintf(n, sizeof n, "%zu", good->n_deliverable);
        xbuf_add(&t, n);
        xbuf_add(&t, good->n_deliverable == 1 ? " deliverable address in contact '"
                                              : " deliverable addresses in contact '");
        if (good->name)
            rules_add_quoted(&t, good->name, good->name_len);
        else
            xbuf_add(&t, "(unnamed)");
        xbuf_add(&t, "'");
        rules_add_not_counted(&t, s);
        *reason = xbuf_finish(&t);
        return VERDICT_PASS;
    }
    if (s->n_contacts == 0) {
        xbuf_add(&t, "no security contact configured");
    } else {
        for (size_t i = 0; i < s->n_contacts; i++) {
            const struct verdict_contact *c = &s->contacts[i];
            if (t.len > 0)
                xbuf_add(&t, "; ");
            if (s->n_contacts > 1) {
                if (c->name)
                    rules_add_quoted(&t, c->name, c->name_len);
                else
                    xbuf_add(&t, "(unnamed)");
                xbuf_add(&t, ": ");
            }
            rules_contact_reason(&t, c);
        }
    }
    *reason = xbuf_finish(&t);
    return VERDICT_FAIL;
}

/* ---- sibling controls (opt-in with --rule) ---------------------------------------------- */

/* A sibling control is a setting some contact must have: passes() says a
 * contact has it, unclear() that its value was not understood. */
struct rules_setting {
    int (*passes)(const struct verdict_contact *c);
    int (*unclear)(const struct verdict_contact *c);
    const char *pass_text, *unclear_text, *fail_text;
};

static enum verdict_status rules_decide_setting(const struct verdict_subscription *s,
                                                const struct rules_setting *rs, char **reason)
{
    int unclear = 0, seen = 0;
    if ((*reason = rules_unattributed(s)) != NULL)
        return VERDICT_ERROR;
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (!rules_contact_counts(c))
            continue;
        seen = 1;
        unclear |= rs->unclear(c);
        if (c->enabled != CONTACT_OFF && rs->passes(c)) {
            *reason = xstrdup(rs->pass_text);
            return VERDICT_PASS;
        }
    }
    /* Fail-closed as for the email rule: unreadable or ambiguous evidence
     * might have held the passing contact. */
    if ((*reason = rules_undecided(s, 0)) != NULL)
        return VERDICT_ERROR;
    if (unclear) {
        *reason = xstrdup(rs->unclear_text);
        return VERDICT_ERROR;
    }
    *reason = xstrdup(seen ? rs->fail_text : "no security contact configured");
    return VERDICT_FAIL;
}

/* Alerts: PASS when some contact has alert e-mails on with a minimal
 * severity of High, Medium or Low: each of them mails High alerts, which is
 * what the control asks for (peers.md: Steampipe demands exactly High and
 * flags stricter-than-needed coverage; we do not). The 2017 API had no
 * severity: "On" meant high-severity alerts, so it passes. */
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

static const struct rules_setting rules_alert_setting = {
    rules_alerts_pass,
    rules_alerts_unclear,
    "alert e-mails on for high-severity alerts",
    "alert notification settings not understood (PowerShell depth-truncated export?)",
    "alert e-mail notifications are off or have no severity",
};

static enum verdict_status rules_decide_alert_severity(const struct verdict_subscription *s,
                                                       char **reason)
{
    return rules_decide_setting(s, &rules_alert_setting, reason);
}

/* Owners: PASS when notificationsByRole is On and its roles include Owner,
 * or (2017) alertsToAdmins is On. The state matters: CloudSploit ignores it
 * and passes a switched-off role list (peers.md). */
static int rules_owners_pass(const struct verdict_contact *c)
{
    return c->notify_roles == CONTACT_ON && (c->roles_include_owner || (c->api & CONTACT_API_2017));
}

static int rules_owners_unclear(const struct verdict_contact *c)
{
    return c->notify_roles == CONTACT_OTHER;
}

static const struct rules_setting rules_owner_setting = {
    rules_owners_pass,
    rules_owners_unclear,
    "subscription owners are notified",
    "notificationsByRole not understood",
    "owners are not notified (notificationsByRole off or without Owner)",
};

static enum verdict_status rules_decide_notify_owners(const struct verdict_subscription *s,
                                                      char **reason)
{
    return rules_decide_setting(s, &rules_owner_setting, reason);
}

/* ---- the table ------------------------------------------------------------------------ */

/* Control ids by CIS Microsoft Azure Foundations edition (azure-formats.md
 * §4). The two siblings sit next to the email control in every edition. */
const struct rule rules_table[RULE_COUNT] = {
    [RULE_CONTACT_EMAIL] = {
        "contact-email",
        "Ensure 'Additional email addresses' is Configured with a Security Contact Email",
        "Level 1",
        { { "1.3.0", "2.13" }, { "1.4.0", "2.13" }, { "1.5.0", "2.3.2" }, { "2.0.0", "2.1.19" },
          { "2.1.0", "2.1.18" }, { "3.0.0", "3.1.13" }, { "4.0.0", "9.1.13" }, { "5.0.0", "8.1.13" },
          { "6.0.0", "8.1.13" }, { NULL, NULL } },
        rules_decide_contact_email,
    },
    [RULE_ALERT_SEVERITY] = {
        "alert-severity",
        "Ensure That 'Notify about alerts with the following severity' is Set to 'High'",
        "Level 1",
        { { "1.3.0", "2.14" }, { "1.4.0", "2.14" }, { "1.5.0", "2.3.3" }, { "2.0.0", "2.1.20" },
          { "2.1.0", "2.1.19" }, { "3.0.0", "3.1.14" }, { "4.0.0", "9.1.14" }, { "5.0.0", "8.1.14" },
          { "6.0.0", "8.1.14" }, { NULL, NULL } },
        rules_decide_alert_severity,
    },
    [RULE_NOTIFY_OWNERS] = {
        "notify-owners",
        "Ensure That 'All users with the following roles' is set to 'Owner'",
        "Level 1",
        { { "1.3.0", "2.15" }, { "1.4.0", "2.15" }, { "1.5.0", "2.3.1" }, { "2.0.0", "2.1.18" },
          { "2.1.0", "2.1.17" }, { "3.0.0", "3.1.12" }, { "4.0.0", "9.1.12" }, { "5.0.0", "8.1.12" },
          { "6.0.0", "8.1.12" }, { NULL, NULL } },
        rules_decide_notify_owners,
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
