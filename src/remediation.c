/* SPDX-License-Identifier: ISC */
/* Remediation: the fix for each verdict that does not PASS (see
 * remediation.h). The az commands follow the current CLI: `az security
 * contact create` (api-version 2020-01-01-preview) takes semicolon-separated
 * --emails and, being a PUT of the whole contact, --notifications-by-role
 * and --alert-notifications too; `az rest --method put` with a
 * 2023-12-01-preview body is the only way to set isEnabled. Flags the
 * current CLI refuses (--email, --alerts-admins, --is-enabled) are never
 * written. */
#include "config.h"

#include "remediation.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yajl/yajl_gen.h>

#include "address.h"
#include "cite.h"
#include "facts.h"
#include "rules.h"
#include "sanitize.h"
#include "waivers.h"
#include "xalloc.h"

/* Where the script's "$ADDRESSES" goes: a byte no sanitised text holds. */
#define FIX_MARK '\001'
#define FIX_MARK_TEXT "\001"
/* Between the options of one command: one line for the reports, one
 * option a line in the script. */
#define FIX_SEP_LINE " "
#define FIX_SEP_SCRIPT " \\\n\t"

#define FIX_REST_API "2023-12-01-preview"
#define FIX_COLLECTOR "azure-contact-audit-collect"

/* ---- shell quoting ------------------------------------------------------------ */

/* One piece in single quotes: the only character to take care of is the
 * single quote itself. */
static void fix_quote_piece(struct xbuf *b, const char *s, size_t n)
{
    xbuf_add(b, "'");
    for (const char *end = s + n; s < end;) {
        const char *quote = memchr(s, '\'', (size_t)(end - s));
        size_t run = quote ? (size_t)(quote - s) : (size_t)(end - s);
        xbuf_addn(b, s, run); /* the text between quotes as it is */
        s += run;
        if (quote) {
            xbuf_add(b, "'\\''");
            s++;
        }
    }
    xbuf_add(b, "'");
}

/* Appends value as one shell word: single-quoted (always, when quote is
 * set: evidence and JSON), with each FIX_MARK as "$ADDRESSES". */
static void fix_quote(struct xbuf *b, const char *value, int quote)
{
    static const char plain[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-";
    if (!quote && *value && strspn(value, plain) == strlen(value)) {
        xbuf_add(b, value);
        return;
    }
    if (*value == '\0')
        xbuf_add(b, "''");
    for (const char *p = value; *p;) {
        size_t n = strcspn(p, FIX_MARK_TEXT);
        if (n > 0)
            fix_quote_piece(b, p, n);
        p += n;
        if (*p == FIX_MARK) {
            xbuf_add(b, "\"$ADDRESSES\"");
            p++;
        }
    }
}

/* A command being built: options joined by sep. */
struct fix_cmd {
    struct xbuf b;
    const char *sep;
};

static void fix_option(struct fix_cmd *c, const char *option)
{
    if (c->b.len)
        xbuf_add(&c->b, c->sep);
    xbuf_add(&c->b, option);
}

static void fix_value(struct fix_cmd *c, const char *value, int quote)
{
    xbuf_add(&c->b, " ");
    fix_quote(&c->b, value, quote);
}

/* ---- JSON bodies (yajl's generator: the addresses are evidence) -------------- */

static void fix_json_print(void *ctx, const char *s, size_t n)
{
    xbuf_addn(ctx, s, n);
}

static void fix_json_str(yajl_gen g, const char *s)
{
    yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void fix_json_pair(yajl_gen g, const char *key, const char *value)
{
    fix_json_str(g, key);
    fix_json_str(g, value);
}

static yajl_gen fix_json_open(struct xbuf *b)
{
    yajl_gen g = yajl_gen_alloc(&xalloc_yajl_funcs);
    if (g == NULL)
        xalloc_die();
    yajl_gen_config(g, yajl_gen_print_callback, fix_json_print, b);
    yajl_gen_map_open(g);
    return g;
}

/* Closes the object and hands the text over. yajl wrote FIX_MARK as
 * \u0001, which is turned back into the mark (an address has no
 * backslash, so nothing else reads so); '$' and '`', which an address may
 * hold, are written as JSON escapes, so that the body reads as plain data
 * to a shell and to shellcheck alike. */
static char *fix_json_close(yajl_gen g, struct xbuf *b)
{
    yajl_gen_map_close(g);
    yajl_gen_free(g);
    struct xbuf t = { 0 };
    for (const char *p = b->s; *p;) {
        size_t run = strcspn(p, "\\$`"); /* copied as it is */
        xbuf_addn(&t, p, run);
        p += run;
        if (strncmp(p, "\\u0001", 6) == 0) {
            xbuf_add(&t, FIX_MARK_TEXT);
            p += 6;
        } else if (*p == '$' || *p == '`') {
            xbuf_add(&t, *p == '$' ? "\\u0024" : "\\u0060");
            p++;
        } else if (*p) { /* another escape: its backslash, then on as before */
            xbuf_addn(&t, p, 1);
            p++;
        }
    }
    free(b->s);
    return xbuf_finish(&t);
}

/* {"state":"On","roles":["Owner"]}, without the braces. */
static void fix_json_roles(yajl_gen g)
{
    fix_json_pair(g, "state", "On");
    fix_json_str(g, "roles");
    yajl_gen_array_open(g);
    fix_json_str(g, "Owner");
    yajl_gen_array_close(g);
}

static char *fix_json_roles_object(void)
{
    struct xbuf b = { 0 };
    yajl_gen g = fix_json_open(&b);
    fix_json_roles(g);
    return fix_json_close(g, &b);
}

static char *fix_json_alerts_object(const char *severity)
{
    struct xbuf b = { 0 };
    yajl_gen g = fix_json_open(&b);
    fix_json_pair(g, "state", "On");
    fix_json_pair(g, "minimalSeverity", severity);
    return fix_json_close(g, &b);
}

static void fix_json_source(yajl_gen g, const char *type, const char *key, const char *value)
{
    yajl_gen_map_open(g);
    fix_json_pair(g, "sourceType", type);
    fix_json_pair(g, key, value);
    yajl_gen_map_close(g);
}

/* The whole 2023-12-01-preview contact: a PUT replaces every field. */
static char *fix_json_contact(const char *emails, const char *severity)
{
    struct xbuf b = { 0 };
    yajl_gen g = fix_json_open(&b);
    fix_json_str(g, "properties");
    yajl_gen_map_open(g);
    fix_json_pair(g, "emails", emails);
    fix_json_str(g, "isEnabled");
    yajl_gen_bool(g, 1);
    fix_json_str(g, "notificationsByRole");
    yajl_gen_map_open(g);
    fix_json_roles(g);
    yajl_gen_map_close(g);
    fix_json_str(g, "notificationsSources");
    yajl_gen_array_open(g);
    fix_json_source(g, "Alert", "minimalSeverity", severity);
    fix_json_source(g, "AttackPath", "minimalRiskLevel", "Critical");
    yajl_gen_array_close(g);
    yajl_gen_map_close(g);
    return fix_json_close(g, &b);
}

/* ---- what the contact gets ------------------------------------------------------ */

/* The addresses of the fixed contact: the deliverable ones the evidence
 * holds (kept: the PUT replaces the list), then the security team's
 * (new_part) when there are none to keep or --remediation-email names
 * some. With --redact the evidence's addresses are not written: hidden
 * counts them. */
struct fix_addresses {
    char *emails; /* owned, ';'-separated */
    size_t hidden;
    int uses_new;
};

static void fix_addresses_get(const struct report_view *v, const struct verdict_subscription *s,
                              const char *new_part, struct fix_addresses *out)
{
    struct xbuf b = { 0 };
    struct verdict_addresses judged = { 0 };
    out->hidden = 0;
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (!rules_contact_counts(c) || c->n_deliverable == 0)
            continue;
        const struct verdict_address *list = verdicts_addresses(v->table, c, &judged);
        for (size_t k = 0; k < judged.n; k++) {
            const struct verdict_address *a = &list[k];
            if (a->verdict != ADDRESS_DELIVERABLE)
                continue;
            if (v->redact) {
                out->hidden++;
                continue;
            }
            char *clean = sanitize_text(a->text, a->len, SANITIZE_ONE_LINE, 0, NULL);
            if (b.len)
                xbuf_add(&b, ";");
            xbuf_add(&b, clean);
            free(clean);
        }
    }
    free(judged.items);
    out->uses_new = b.len == 0 || v->n_fix_emails > 0;
    if (out->uses_new) {
        if (b.len)
            xbuf_add(&b, ";");
        xbuf_add(&b, new_part);
    }
    out->emails = xbuf_finish(&b);
}

/* The security team's addresses for the reports: --remediation-email, or
 * the placeholder. Caller frees. */
static char *fix_new_text(const struct report_view *v)
{
    if (v->n_fix_emails == 0)
        return xstrdup(REMEDIATION_PLACEHOLDER);
    struct xbuf b = { 0 };
    for (size_t i = 0; i < v->n_fix_emails; i++) {
        if (i)
            xbuf_add(&b, ";");
        xbuf_add(&b, v->fix_emails[i]);
    }
    return xbuf_finish(&b);
}

/* Alert e-mails at the severity the contact already mails, when it is
 * wider than High (Low, Medium); else High, what the control asks. */
static const char *fix_severity(const struct verdict_subscription *s)
{
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (!rules_contact_counts(c) || c->alerts != CONTACT_ON)
            continue;
        if (c->alert_severity == SEVERITY_LOW)
            return "Low";
        if (c->alert_severity == SEVERITY_MEDIUM)
            return "Medium";
    }
    return "High";
}

/* A contact is there but switched off (isEnabled false) and none is
 * usable: only the 2023-12-01-preview PUT can switch it back on. */
static int fix_contact_disabled(const struct verdict_subscription *s)
{
    int off = 0;
    for (size_t i = 0; i < s->n_contacts; i++) {
        const struct verdict_contact *c = &s->contacts[i];
        if (rules_contact_usable(c))
            return 0;
        off |= rules_contact_counts(c) && c->enabled == CONTACT_OFF;
    }
    return off;
}

/* ---- commands ---------------------------------------------------------------------- */

/* The roles and alerts objects of `az security contact create` hold no
 * evidence and only three severities: made once for the program (the
 * report writers run on threads of their own) and kept. */
static const char *const fix_severities[] = { "Low", "Medium", "High" };
#define FIX_SEVERITIES (sizeof fix_severities / sizeof *fix_severities)
static char *fix_roles_text, *fix_alerts_text[FIX_SEVERITIES];
static pthread_once_t fix_objects_once = PTHREAD_ONCE_INIT;

static void fix_objects_make(void)
{
    fix_roles_text = fix_json_roles_object();
    for (size_t i = 0; i < FIX_SEVERITIES; i++)
        fix_alerts_text[i] = fix_json_alerts_object(fix_severities[i]);
}

/* The alerts object for severity, one of fix_severities (the last when
 * none matches, as fix_severity never returns). */
static const char *fix_alerts(const char *severity)
{
    size_t i = 0;
    while (i + 1 < FIX_SEVERITIES && strcmp(severity, fix_severities[i]) != 0)
        i++;
    return fix_alerts_text[i];
}

static char *fix_aaz(const char *sub, const char *emails, const char *severity, const char *sep)
{
    struct fix_cmd c = { { 0 }, sep };
    pthread_once(&fix_objects_once, fix_objects_make);
    const char *roles = fix_roles_text, *alerts = fix_alerts(severity);
    fix_option(&c, "az security contact create");
    fix_option(&c, "--subscription");
    fix_value(&c, sub, 0);
    fix_option(&c, "-n default");
    fix_option(&c, "--emails");
    fix_value(&c, emails, 1);
    fix_option(&c, "--notifications-by-role");
    fix_value(&c, roles, 1);
    fix_option(&c, "--alert-notifications");
    fix_value(&c, alerts, 1);
    return xbuf_finish(&c.b);
}

static char *fix_rest(const char *sub, const char *emails, const char *severity, const char *sep)
{
    struct fix_cmd c = { { 0 }, sep };
    char url[256];
    snprintf(url, sizeof url,
             "https://management.azure.com/subscriptions/%s/providers/Microsoft.Security/"
             "securityContacts/default?api-version=" FIX_REST_API,
             sub);
    char *body = fix_json_contact(emails, severity);
    fix_option(&c, "az rest --method put");
    fix_option(&c, "--url");
    fix_value(&c, url, 1);
    fix_option(&c, "--body");
    fix_value(&c, body, 1);
    free(body);
    return xbuf_finish(&c.b);
}

static char *fix_collect(const char *sub)
{
    struct fix_cmd c = { { 0 }, FIX_SEP_LINE };
    fix_option(&c, FIX_COLLECTOR " -o DIR --subscription");
    fix_value(&c, sub, 0);
    return xbuf_finish(&c.b);
}

/* ---- advice -------------------------------------------------------------------------- */

static const char *fix_advice_fail(const struct verdict_subscription *s, unsigned rule,
                                   const struct verdict_result *r)
{
    if (fix_contact_disabled(s))
        return "switch the security contact back on (isEnabled=true): only az rest with "
               "api-version " FIX_REST_API " sets it";
    if (rule == RULE_ALERT_SEVERITY)
        return "turn alert e-mail notifications on with minimal severity High";
    if (rule == RULE_NOTIFY_OWNERS)
        return "turn e-mail notifications to subscription owners on (notificationsByRole: "
               "state On, role Owner)";
    if (r->reason == REASON_NO_CONTACT)
        return "create the security contact 'default' with your security team's address "
               "(semicolon-separated when there are several)";
    return "set your security team's deliverable address on the security contact "
           "(semicolon-separated when there are several)";
}

/* What an API error code asks of whoever exports the evidence. */
static const struct {
    const char *code;
    const char *advice;
} fix_api_codes[] = {
    { "AuthorizationFailed",
      "re-export with a role that can read security contacts (Security Reader)" },
    { "InvalidAuthenticationToken", "sign in again (az login) and re-export this subscription" },
    { "ExpiredAuthenticationToken", "sign in again (az login) and re-export this subscription" },
    { "AuthenticationFailed", "sign in again (az login) and re-export this subscription" },
    { "SubscriptionNotFound", "check the subscription id and the tenant, then re-export" },
    { "InvalidSubscriptionId", "check the subscription id and the tenant, then re-export" },
    { "MissingSubscriptionRegistration",
      "register the Microsoft.Security resource provider in the subscription (az provider "
      "register --namespace Microsoft.Security), then re-export" },
    { "SubscriptionNotRegistered",
      "register the Microsoft.Security resource provider in the subscription (az provider "
      "register --namespace Microsoft.Security), then re-export" },
    { "TooManyRequests", "re-export later: the API was throttling requests" },
    { "InternalServerError", "re-export later: the API failed" },
    { "ServiceUnavailable", "re-export later: the API was unavailable" },
    { "GatewayTimeout", "re-export later: the API timed out" },
};

static const char *fix_advice_api(const char *code)
{
    for (size_t i = 0; code && i < sizeof fix_api_codes / sizeof *fix_api_codes; i++)
        if (strcasecmp(code, fix_api_codes[i].code) == 0)
            return fix_api_codes[i].advice;
    return "re-export this subscription: the API answered with an error instead of its contacts";
}

static const char *fix_advice_problem(const struct verdict_problem *p)
{
    switch (p ? p->kind : PROBLEM_UNREADABLE) {
    case PROBLEM_API_ERROR: return fix_advice_api(p->code);
    case PROBLEM_MISFILED:
        return "collect each subscription with --subscription set (the file under its folder "
               "holds another subscription's contacts)";
    case PROBLEM_ALTERED:
        return "ask for the bundle as collected: the file differs from its manifest";
    case PROBLEM_MISSING:
        return "ask for the complete bundle: its manifest lists a file that is not in it";
    case PROBLEM_STALE: return "collect the subscription again: its evidence is too old";
    case PROBLEM_UNDATED:
        return "collect with the collector (it dates the bundle), or say when with "
               "--collected-at";
    case PROBLEM_UNREADABLE: break;
    }
    return "re-export this subscription: its evidence could not be read to the end";
}

static const char *fix_advice_error(const struct verdict_subscription *s,
                                    const struct verdict_result *r)
{
    const struct verdict_problem *p = r->ref != VERDICT_NO_REF && r->reason == REASON_EVIDENCE
                                          ? &verdicts_extra(s)->problems[r->ref]
                                          : NULL;
    switch ((enum verdict_reason)r->reason) {
    case REASON_EVIDENCE: return fix_advice_problem(p);
    case REASON_NO_EVIDENCE:
        return "collect this subscription: the inventory lists it, no evidence names it";
    case REASON_UNATTRIBUTED:
        return "re-export keeping each contact's id (it names the subscription), or save the "
               "file in a folder named by the subscription id";
    case REASON_SNAPSHOTS:
        return "collect the subscription again into an empty folder (with the collector, which "
               "dates the bundle): two snapshots of one contact disagree";
    case REASON_PAGES_MISSING:
        return "collect every page of the list (follow nextLink to the last page; the collector "
               "does)";
    case REASON_UNLISTED_PASS:
        return "add the file to the bundle's manifest at collection, or collect the subscription "
               "again: evidence the manifest does not list cannot make it pass";
    case REASON_SETTING_NOT_SHOWN:
        return "export the whole contact (az security contact list, or the REST API), not only "
               "its addresses";
    case REASON_AMBIGUOUS:
        return "re-export the subscription with az or the REST API: a contact in the evidence "
               "cannot be read one way";
    case REASON_SETTING_UNCLEAR:
        return "re-export with full depth (az or the REST API; PowerShell: ConvertTo-Json "
               "-Depth 10): the setting was saved in a form that cannot be read";
    default: return "re-export this subscription's security contacts";
    }
}

/* ---- the items ---------------------------------------------------------------------- */

/* Takes label and command (either may be NULL: none). */
static void fix_add(struct remediation *out, const struct report_view *v, const char *label,
                    char *command)
{
    xgrow(&out->items, &out->cap, out->count + 1, sizeof *out->items);
    struct remediation_item *it = &out->items[out->count++];
    it->label = report_line(v, label, strlen(label));
    it->command = command;
    if (command && v->redact) {
        it->command = address_mask(command, strlen(command));
        free(command);
    }
}

static void fix_get_fail(const struct report_view *v, const struct verdict_subscription *s,
                         unsigned rule, const struct verdict_result *r, struct remediation *out)
{
    fix_add(out, v, fix_advice_fail(s, rule, r), NULL);
    if (!s->known)
        return;
    char *fresh = fix_new_text(v);
    struct fix_addresses a;
    fix_addresses_get(v, s, fresh, &a);
    const char *severity = fix_severity(s);
    if (!fix_contact_disabled(s))
        fix_add(out, v, "az CLI (api-version 2020-01-01-preview; replaces the whole contact)",
                fix_aaz(s->id, a.emails, severity, FIX_SEP_LINE));
    fix_add(out, v,
            "az rest (api-version " FIX_REST_API "; replaces the whole contact, sets isEnabled)",
            fix_rest(s->id, a.emails, severity, FIX_SEP_LINE));
    free(a.emails);
    free(fresh);
}

static void fix_get_error(const struct report_view *v, const struct verdict_subscription *s,
                          const struct verdict_result *r, struct remediation *out)
{
    fix_add(out, v, fix_advice_error(s, r), NULL);
    if (s->known && r->reason != REASON_UNATTRIBUTED)
        fix_add(out, v, "collect it with the collector", fix_collect(s->id));
}

void remediation_get(const struct report_view *v, const struct verdict_subscription *s,
                     unsigned rule, struct remediation *out)
{
    const struct verdict_result *r = verdicts_result(v->table, s, rule);
    if (s->disabled || r->status == VERDICT_PASS || r->reason == REASON_NONE)
        return;
    if (r->status == VERDICT_ERROR)
        fix_get_error(v, s, r, out);
    else
        fix_get_fail(v, s, rule, r, out);
}

void remediation_free(struct remediation *r)
{
    for (size_t i = 0; i < r->count; i++) {
        free(r->items[i].label);
        free(r->items[i].command);
    }
    free(r->items);
    *r = (struct remediation){ 0 };
}

char *remediation_text(const struct report_view *v, const struct verdict_subscription *s,
                       unsigned rule)
{
    struct remediation fix = { 0 };
    remediation_get(v, s, rule, &fix);
    if (fix.count == 0)
        return NULL;
    struct xbuf t = { 0 };
    for (size_t i = 0; i < fix.count; i++) {
        const struct remediation_item *it = &fix.items[i];
        xbuf_add(&t, it->command ? "  " : "how to fix: ");
        xbuf_add(&t, it->label);
        if (it->command) {
            xbuf_add(&t, ": ");
            xbuf_add(&t, it->command);
        }
        xbuf_add(&t, "\n");
    }
    remediation_free(&fix);
    return xbuf_finish(&t);
}

/* ---- the script ------------------------------------------------------------------- */

struct fix_script {
    xmlOutputBufferPtr out;
    const struct report_view *v;
    int failed;
};

static void fix_put(struct fix_script *sc, struct xbuf *b)
{
    if (b->len && xmlOutputBufferWrite(sc->out, (int)b->len, b->s) < 0)
        sc->failed = 1;
    free(b->s);
    *b = (struct xbuf){ 0 };
}

/* "# " + lead + text as one comment line: no line break in it can end the
 * comment (the texts are sanitised to one line already; this holds
 * whatever they are). Takes text. */
static void fix_comment(struct xbuf *b, const char *lead, char *text)
{
    xbuf_add(b, "# ");
    xbuf_add(b, lead);
    for (char *p = text; p && *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    xbuf_add(b, text ? text : "");
    xbuf_add(b, "\n");
    free(text);
}

/* Some selected rule FAILs: the subscription gets a PUT. */
static int fix_fails(const struct report_view *v, const struct verdict_subscription *s)
{
    for (unsigned rule = 0; rule < RULE_COUNT; rule++)
        if ((v->rules & (1u << rule)) && verdicts_result(v->table, s, rule)->status == VERDICT_FAIL)
            return s->known && !s->disabled;
    return 0;
}

static int fix_needs_addresses(const struct report_view *v)
{
    for (size_t i = 0, n = verdicts_count(v->table); i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        if (!fix_fails(v, s))
            continue;
        struct fix_addresses a;
        fix_addresses_get(v, s, FIX_MARK_TEXT, &a);
        free(a.emails);
        if (a.uses_new)
            return 1;
    }
    return 0;
}

static void fix_script_header(struct xbuf *b, const struct report_view *v)
{
    char stamp[32];
    report_time(v->generated, 1, stamp);
    xbuf_add(b, "#!/bin/sh\n# Security-contact fixes for the subscriptions that FAIL, written by "
                "azure-contact-audit " PACKAGE_VERSION "\n# at ");
    xbuf_add(b, stamp);
    xbuf_add(
        b, ". azure-contact-audit never runs this script: read every block,\n"
           "# then run it yourself, signed in with az login as someone who may write security\n"
           "# contacts (Security Admin).\n#\n"
           "# Each block is one PUT of the subscription's whole security contact 'default'\n"
           "# (api-version " FIX_REST_API ", the only one that sets isEnabled): addresses,\n"
           "# isEnabled, e-mails to owners, alert e-mails and attack-path notifications. A phone\n"
           "# number, or roles other than Owner, that the contact had are dropped: add them to\n"
           "# the body to keep them. In a sovereign cloud, use its Resource Manager host in\n"
           "# place of management.azure.com.\n");
    if (v->redact)
        xbuf_add(b, "# Written with --redact: no address from the evidence is in this script.\n");
    xbuf_add(b, "set -eu\n");
}

/* The one variable the blocks take the security team's addresses from,
 * and the check that refuses to run while it is the placeholder. */
static void fix_script_addresses(struct xbuf *b, const struct report_view *v)
{
    xbuf_add(b, "\n# The security team's address(es), semicolon-separated, for each contact below "
                "that\n# has no deliverable address of its own");
    xbuf_add(b,
             v->n_fix_emails ? " (from --remediation-email).\n" : ": a placeholder, replace it.\n");
    xbuf_add(b, "ADDRESSES=\"");
    char *fresh = fix_new_text(v);
    /* In double quotes: an address may hold '$' or '`', which stay literal. */
    for (const char *p = fresh; *p; p++) {
        if (strchr("$`\"\\", *p))
            xbuf_add(b, "\\");
        xbuf_addn(b, p, 1);
    }
    xbuf_add(b, "\"");
    free(fresh);
    xbuf_add(b, "\ncase $ADDRESSES in\n'' | *'<'* | *'>'* | *'\"'* | *\\\\*)\n"
                "\techo 'set ADDRESSES to real addresses first: it holds a placeholder' >&2\n"
                "\texit 1\n\t;;\nesac\n");
}

/* "# FAIL 2.3.2: reason" for each selected rule that does not PASS. */
static void fix_script_verdicts(struct xbuf *b, const struct report_view *v,
                                const struct verdict_subscription *s, const char *indent)
{
    for (unsigned rule = 0; rule < RULE_COUNT; rule++) {
        const struct verdict_result *r = verdicts_result(v->table, s, rule);
        if (!(v->rules & (1u << rule)) || r->status == VERDICT_PASS)
            continue;
        char lead[96];
        snprintf(lead, sizeof lead, "%s%s %s: ", indent, verdicts_status_name(r->status),
                 rules_control_id(&rules_table[rule], v->edition));
        fix_comment(b, lead, facts_reason(v, s, rule));
    }
}

static void fix_script_evidence(struct xbuf *b, const struct report_view *v,
                                const struct verdict_subscription *s)
{
    struct cite_list places = { 0 };
    cite_subscription(s, &places);
    for (size_t i = 0; i < places.count; i++) {
        const struct cite_place *p = &places.places[i];
        const struct evidence_file *f = &v->files->files[p->file];
        struct xbuf t = { 0 };
        char *where = report_location(v, p->file, p->line, p->col);
        xbuf_add(&t, where);
        xbuf_add(&t, " (sha256 ");
        xbuf_add(&t, f->hashed ? f->sha256 : "not read");
        xbuf_add(&t, ")");
        free(where);
        fix_comment(b, "evidence: ", xbuf_finish(&t));
    }
    cite_free(&places);
}

static void fix_script_heading(struct xbuf *b, const struct report_view *v,
                               const struct verdict_subscription *s)
{
    xbuf_add(b, "\n");
    fix_comment(b, "---- ", cite_subscription_label(v, s));
}

static void fix_script_block(struct xbuf *b, const struct report_view *v,
                             const struct verdict_subscription *s)
{
    struct fix_addresses a;
    fix_addresses_get(v, s, FIX_MARK_TEXT, &a);
    fix_script_heading(b, v, s);
    fix_script_verdicts(b, v, s, "");
    fix_script_evidence(b, v, s);
    if (a.hidden) {
        char note[200];
        snprintf(note, sizeof note,
                 "%zu deliverable address(es) of the evidence are not written (--redact): the "
                 "contact gets ADDRESSES; add them to keep them",
                 a.hidden);
        fix_comment(b, "", xstrdup(note));
    }
    char *cmd = fix_rest(s->id, a.emails, fix_severity(s), FIX_SEP_SCRIPT);
    xbuf_add(b, cmd);
    xbuf_add(b, "\n");
    free(cmd);
    free(a.emails);
}

/* A subscription the script leaves alone (ERROR or WAIVED only): what
 * would decide or fix it, as comments. */
static void fix_script_untouched(struct xbuf *b, const struct report_view *v,
                                 const struct verdict_subscription *s)
{
    fix_comment(b, "", report_subscription_name(v, s));
    fix_script_verdicts(b, v, s, "  ");
    for (unsigned rule = 0; rule < RULE_COUNT; rule++) {
        if (!(v->rules & (1u << rule)) ||
            verdicts_result(v->table, s, rule)->status != VERDICT_ERROR)
            continue;
        struct remediation fix = { 0 };
        remediation_get(v, s, rule, &fix);
        for (size_t i = 0; i < fix.count; i++)
            fix_comment(b, fix.items[i].command ? "    " : "  how to fix: ",
                        xstrdup(fix.items[i].command ? fix.items[i].command : fix.items[i].label));
        remediation_free(&fix);
        break; /* the rules share the evidence: one fix says it */
    }
}

static int fix_untouched(const struct report_view *v, const struct verdict_subscription *s)
{
    if (s->disabled || fix_fails(v, s))
        return 0;
    for (unsigned rule = 0; rule < RULE_COUNT; rule++)
        if ((v->rules & (1u << rule)) && verdicts_result(v->table, s, rule)->status != VERDICT_PASS)
            return 1;
    return 0;
}

static void fix_script_rest(struct fix_script *sc, size_t blocks)
{
    const struct report_view *v = sc->v;
    struct xbuf b = { 0 };
    int said = 0;
    for (size_t i = 0, n = verdicts_count(v->table); i < n && !sc->failed; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        if (!fix_untouched(v, s))
            continue;
        if (!said++)
            xbuf_add(&b,
                     "\n# ---- not changed by this script (ERROR: undecided; WAIVED: accepted)\n");
        fix_script_untouched(&b, v, s);
        fix_put(sc, &b);
    }
    if (blocks == 0)
        xbuf_add(&b, "\n# Nothing to change: no subscription FAILs a selected rule.\n");
    fix_put(sc, &b);
}

int remediation_write(const struct report_view *v, xmlOutputBufferPtr out)
{
    struct fix_script sc = { out, v, 0 };
    struct xbuf b = { 0 };
    fix_script_header(&b, v);
    if (fix_needs_addresses(v))
        fix_script_addresses(&b, v);
    fix_put(&sc, &b);
    size_t blocks = 0;
    for (size_t i = 0, n = verdicts_count(v->table); i < n && !sc.failed; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        if (!fix_fails(v, s))
            continue;
        fix_script_block(&b, v, s);
        fix_put(&sc, &b);
        blocks++;
    }
    fix_script_rest(&sc, blocks);
    if (xmlOutputBufferClose(out) < 0)
        sc.failed = 1;
    return sc.failed ? -1 : 0;
}

int remediation_render(const struct report_view *v, char **out, size_t *len)
{
    return report_render(remediation_write, v, out, len);
}
