/* SPDX-License-Identifier: ISC */
/* OSCAL assessment-results writer (see oscal.h). The document is generated
 * with yajl's generator straight into the report's output buffer; every
 * text from the evidence is the one the other reports render (facts.h,
 * report.h: sanitised, one line, masked for --redact), with the Markdown
 * that OSCAL's markup fields would turn into links or HTML escaped. Our own
 * props carry the namespace OSCAL_NS. ERROR is "not-satisfied" with reason
 * "other" and a prop saying undecided; WAIVED is "other" with a risk whose
 * status is "deviation-approved". */
#include "config.h"

#include "oscal.h"

#include <inttypes.h>
#include <nettle/sha1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "cite.h"
#include "facts.h"
#include "rules.h"
#include "waivers.h"
#include "xalloc.h"

#define OSCAL_NS "urn:azure-contact-audit"

/* The namespace of every UUID this tool derives (a random v4, fixed). */
static const unsigned char oscal_namespace[16] = { 0x80, 0x57, 0x12, 0x76, 0x97, 0x61, 0x4b, 0xac,
                                                   0x88, 0x44, 0xa1, 0x97, 0xd1, 0xc4, 0xc1, 0x29 };

void oscal_uuid5(const unsigned char ns[16], const char *name, size_t len, char out[37])
{
    struct sha1_ctx sha;
    uint8_t d[SHA1_DIGEST_SIZE];
    sha1_init(&sha);
    sha1_update(&sha, 16, ns);
    sha1_update(&sha, len, (const uint8_t *)name);
    sha1_digest(&sha, sizeof d, d);
    d[6] = (uint8_t)((d[6] & 0x0f) | 0x50); /* version 5 */
    d[8] = (uint8_t)((d[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0],
             d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13],
             d[14], d[15]);
}

/* ---- the generator ----------------------------------------------------------------- */

struct oscal {
    yajl_gen g;
    xmlOutputBufferPtr out;
    const struct report_view *v;
    int failed;
    char start[32]; /* the result's start and each observation's collected */
};

static void oscal_print(void *ctx, const char *s, size_t n)
{
    struct oscal *o = ctx;
    if (!o->failed && xmlOutputBufferWrite(o->out, (int)n, s) < 0)
        o->failed = 1;
}

static void oscal_str(struct oscal *o, const char *s)
{
    if (yajl_gen_string(o->g, (const unsigned char *)s, strlen(s)) != yajl_gen_status_ok)
        o->failed = 1;
}

static void oscal_pair(struct oscal *o, const char *key, const char *value)
{
    oscal_str(o, key);
    oscal_str(o, value);
}

/* A map, under key unless key is NULL (an array item). */
static void oscal_map(struct oscal *o, const char *key)
{
    if (key)
        oscal_str(o, key);
    yajl_gen_map_open(o->g);
}

static void oscal_end(struct oscal *o)
{
    yajl_gen_map_close(o->g);
}

static void oscal_list(struct oscal *o, const char *key)
{
    oscal_str(o, key);
    yajl_gen_array_open(o->g);
}

static void oscal_end_list(struct oscal *o)
{
    yajl_gen_array_close(o->g);
}

/* Markdown that would become a link, an image, HTML or an entity in a
 * markup field is escaped; the rest of the text stays as it reads. */
static char *oscal_markup(const char *text)
{
    struct xbuf b = { 0 };
    for (const char *p = text; *p; p++) {
        if (strchr("\\`<>[]&", *p))
            xbuf_add(&b, "\\");
        xbuf_addn(&b, p, 1);
    }
    return b.s ? xbuf_finish(&b) : xstrdup("");
}

/* key: text from the evidence, escaped; takes text. */
static void oscal_text(struct oscal *o, const char *key, char *text)
{
    char *markup = oscal_markup(text ? text : "");
    oscal_pair(o, key, markup);
    free(markup);
    free(text);
}

/* A prop of ours: name and value are our own tokens and words. */
static void oscal_prop(struct oscal *o, const char *name, const char *value)
{
    oscal_map(o, NULL);
    oscal_pair(o, "name", name);
    oscal_pair(o, "ns", OSCAL_NS);
    oscal_pair(o, "value", value);
    oscal_end(o);
}

/* ---- UUIDs of what the document names -------------------------------------------- */

/* Takes name (an xbuf's text). */
static void oscal_uuid_of(struct xbuf *name, char out[37])
{
    oscal_uuid5(oscal_namespace, name->s ? name->s : "", name->len, out);
    free(name->s);
    *name = (struct xbuf){ 0 };
}

static void oscal_add_file_digest(struct xbuf *b, const struct evidence_file *f)
{
    xbuf_add(b, "\n");
    xbuf_add(b, f->hashed ? f->sha256 : f->path);
}

/* The subscription, or for an entry that names none, its file. */
static void oscal_add_subscription(struct xbuf *b, const struct report_view *v,
                                   const struct verdict_subscription *s)
{
    xbuf_add(b, s->known ? s->id : "unknown-subscription\n");
    if (!s->known)
        xbuf_add(b, v->files->files[s->unknown_file].path);
}

/* The digests of the files a subscription's verdicts rest on. */
static void oscal_add_cited_digests(struct xbuf *b, const struct report_view *v,
                                    const struct verdict_subscription *s)
{
    struct cite_list places = { 0 };
    cite_subscription(s, &places);
    for (size_t i = 0; i < places.count; i++)
        if (cite_first_in_file(&places, i))
            oscal_add_file_digest(b, &v->files->files[places.places[i].file]);
    cite_free(&places);
}

/* The run: the edition, the rules and every evidence file. */
static void oscal_run_uuid(const struct report_view *v, const char *kind, char out[37])
{
    struct xbuf b = { 0 };
    xbuf_add(&b, kind);
    xbuf_add(&b, "\n");
    xbuf_add(&b, v->edition);
    for (unsigned rule = 0; rule < RULE_COUNT; rule++)
        if (v->rules & (1u << rule)) {
            xbuf_add(&b, "\n");
            xbuf_add(&b, rules_table[rule].key);
        }
    for (size_t i = 0; i < v->files->count; i++)
        oscal_add_file_digest(&b, &v->files->files[i]);
    oscal_uuid_of(&b, out);
}

/* The file's place in the run is part of its name: a file given twice
 * is two resources, each with its own UUID. */
static void oscal_file_uuid(const struct report_view *v, size_t i, char out[37])
{
    const struct evidence_file *f = &v->files->files[i];
    char index[32];
    snprintf(index, sizeof index, "\n%zu", i);
    struct xbuf b = { 0 };
    xbuf_add(&b, "evidence\n");
    xbuf_add(&b, f->path);
    oscal_add_file_digest(&b, f);
    xbuf_add(&b, index);
    oscal_uuid_of(&b, out);
}

/* kind: "inventory-item" (the subscription alone, the same in every run),
 * "observation" (and its evidence), or "finding" (and the rule's control). */
static void oscal_subscription_uuid(const struct report_view *v,
                                    const struct verdict_subscription *s, const char *kind,
                                    int rule, char out[37])
{
    struct xbuf b = { 0 };
    xbuf_add(&b, kind);
    xbuf_add(&b, "\n");
    oscal_add_subscription(&b, v, s);
    if (rule >= 0) {
        xbuf_add(&b, "\n");
        xbuf_add(&b, rules_control_id(&rules_table[rule], v->edition));
        xbuf_add(&b, "\n");
        xbuf_add(&b, v->edition);
    }
    if (strcmp(kind, "inventory-item") != 0)
        oscal_add_cited_digests(&b, v, s);
    oscal_uuid_of(&b, out);
}

static void oscal_risk_uuid(const struct report_view *v, const struct verdict_subscription *s,
                            unsigned rule, const struct waiver *w, char out[37])
{
    struct xbuf b = { 0 };
    xbuf_add(&b, "risk\n");
    oscal_add_subscription(&b, v, s);
    xbuf_add(&b, "\n");
    xbuf_add(&b, rules_control_id(&rules_table[rule], v->edition));
    xbuf_add(&b, "\n");
    xbuf_add(&b, w ? w->ticket : "");
    xbuf_add(&b, "\n");
    xbuf_add(&b, w ? w->expires : "");
    oscal_uuid_of(&b, out);
}

/* "cis-azure-2.3.2": a token (OSCAL ids may not start with a digit). */
static void oscal_control_token(const struct report_view *v, unsigned rule, char out[64])
{
    snprintf(out, 64, "cis-azure-%s", rules_control_id(&rules_table[rule], v->edition));
}

/* The result's start: when the evidence was collected, when the view
 * knows it, else the generation time. */
static int oscal_start(const struct report_view *v, char out[32])
{
    time_t when;
    int known = cite_collected(v, &when);
    report_time(known ? when : v->generated, 1, out);
    return known;
}

/* ---- metadata and the assessment plan it points to ------------------------------ */

/* "CIS Microsoft Azure Foundations Benchmark 1.5.0: 2.3.2, 2.3.3". */
static char *oscal_controls_title(const struct report_view *v)
{
    struct xbuf b = { 0 };
    xbuf_add(&b, "CIS Microsoft Azure Foundations Benchmark ");
    xbuf_add(&b, v->edition);
    const char *sep = ": ";
    for (unsigned rule = 0; rule < RULE_COUNT; rule++)
        if (v->rules & (1u << rule)) {
            xbuf_add(&b, sep);
            xbuf_add(&b, rules_control_id(&rules_table[rule], v->edition));
            sep = ", ";
        }
    return xbuf_finish(&b);
}

static void oscal_metadata(struct oscal *o)
{
    const struct report_view *v = o->v;
    char stamp[32], *controls = oscal_controls_title(v);
    report_time(v->generated, 1, stamp);
    struct xbuf title = { 0 };
    xbuf_add(&title, "azure-contact-audit results: ");
    xbuf_add(&title, controls);
    oscal_map(o, "metadata");
    oscal_text(o, "title", xbuf_finish(&title));
    oscal_pair(o, "last-modified", stamp);
    oscal_pair(o, "version", "1");
    oscal_pair(o, "oscal-version", OSCAL_VERSION);
    oscal_list(o, "props");
    oscal_prop(o, "tool", "azure-contact-audit");
    oscal_prop(o, "tool-version", PACKAGE_VERSION);
    oscal_prop(o, "generated-from", v->time_from_env ? "SOURCE_DATE_EPOCH" : "clock");
    oscal_prop(o, "redacted", v->redact ? "yes" : "no");
    oscal_end_list(o);
    struct xbuf remarks = { 0 };
    xbuf_add(&remarks, "Command: ");
    char *command = report_command(v);
    xbuf_add(&remarks, command);
    free(command);
    oscal_text(o, "remarks", xbuf_finish(&remarks));
    oscal_end(o);
    free(controls);
}

/* OSCAL requires an assessment plan; an offline audit has none, so the
 * document imports a stub that its back-matter describes. */
static void oscal_import_ap(struct oscal *o)
{
    char uuid[37], href[40];
    oscal_run_uuid(o->v, "assessment-plan", uuid);
    snprintf(href, sizeof href, "#%s", uuid);
    oscal_map(o, "import-ap");
    oscal_pair(o, "href", href);
    oscal_end(o);
}

/* ---- the result -------------------------------------------------------------------- */

static void oscal_result_description(struct oscal *o)
{
    const struct report_view *v = o->v;
    const struct outcome *c = v->outcome;
    char line[256];
    struct xbuf b = { 0 };
    snprintf(line, sizeof line,
             "Offline evaluation of saved Azure security-contact evidence (no live API access): "
             "%zu subscriptions (%zu not audited: disabled in the inventory), %zu evidence "
             "files (%zu unreadable). Overall result: %s.",
             c->subscriptions, c->not_audited, c->files, c->unreadable_files, outcome_word(c));
    xbuf_add(&b, line);
    for (unsigned rule = 0; rule < RULE_COUNT; rule++) {
        if (!(v->rules & (1u << rule)))
            continue;
        const size_t *n = c->counts[rule];
        snprintf(line, sizeof line, " %s: %zu PASS, %zu FAIL, %zu ERROR, %zu WAIVED.",
                 rules_control_id(&rules_table[rule], v->edition), n[VERDICT_PASS], n[VERDICT_FAIL],
                 n[VERDICT_ERROR], n[VERDICT_WAIVED]);
        xbuf_add(&b, line);
    }
    oscal_pair(o, "description", b.s);
    free(b.s);
}

static void oscal_inventory_item(struct oscal *o, const struct verdict_subscription *s)
{
    const struct report_view *v = o->v;
    char uuid[37];
    oscal_subscription_uuid(v, s, "inventory-item", -1, uuid);
    struct xbuf d = { 0 };
    char *who = cite_subscription_label(v, s);
    xbuf_add(&d, s->known ? "Azure subscription " : "Evidence that names no subscription: ");
    xbuf_add(&d, who);
    free(who);
    if (s->disabled)
        xbuf_add(&d, "; not audited: disabled in the inventory");
    oscal_map(o, NULL);
    oscal_pair(o, "uuid", uuid);
    oscal_text(o, "description", xbuf_finish(&d));
    oscal_list(o, "props");
    if (s->known)
        oscal_prop(o, "subscription-id", s->id);
    oscal_prop(o, "audited", s->disabled ? "no" : "yes");
    oscal_end_list(o);
    oscal_end(o);
}

static void oscal_local_definitions(struct oscal *o)
{
    const struct verdict_table *t = o->v->table;
    if (verdicts_count(t) == 0)
        return;
    oscal_map(o, "local-definitions");
    oscal_list(o, "inventory-items");
    for (size_t i = 0, n = verdicts_count(t); i < n && !o->failed; i++)
        oscal_inventory_item(o, verdicts_get(t, i));
    oscal_end_list(o);
    oscal_end(o);
}

static void oscal_reviewed_controls(struct oscal *o)
{
    const struct report_view *v = o->v;
    oscal_map(o, "reviewed-controls");
    oscal_text(o, "description", oscal_controls_title(v));
    oscal_list(o, "props");
    oscal_prop(o, "benchmark", "CIS Microsoft Azure Foundations Benchmark");
    oscal_prop(o, "benchmark-edition", v->edition);
    oscal_end_list(o);
    oscal_list(o, "control-selections");
    oscal_map(o, NULL);
    oscal_list(o, "include-controls");
    for (unsigned rule = 0; rule < RULE_COUNT; rule++) {
        if (!(v->rules & (1u << rule)))
            continue;
        char token[64];
        oscal_control_token(v, rule, token);
        oscal_map(o, NULL);
        oscal_pair(o, "control-id", token);
        oscal_end(o);
    }
    oscal_end_list(o);
    oscal_end(o);
    oscal_end_list(o);
    oscal_end(o);
}

/* ---- observations: what the evidence of one subscription is ------------------------- */

static void oscal_relevant_evidence(struct oscal *o, const struct cite_list *places)
{
    oscal_list(o, "relevant-evidence");
    for (size_t i = 0; i < places->count; i++) {
        const struct cite_place *p = &places->places[i];
        char uuid[37], href[40];
        oscal_file_uuid(o->v, p->file, uuid);
        snprintf(href, sizeof href, "#%s", uuid);
        oscal_map(o, NULL);
        oscal_pair(o, "href", href);
        oscal_text(o, "description", report_location(o->v, p->file, p->line, p->col));
        oscal_end(o);
    }
    oscal_end_list(o);
}

static void oscal_observation_words(struct oscal *o, const struct verdict_subscription *s)
{
    char line[200];
    char *who = report_subscription_name(o->v, s);
    struct xbuf b = { 0 };
    xbuf_add(&b, "Security contacts of ");
    xbuf_add(&b, who);
    snprintf(line, sizeof line,
             " as saved in the evidence: %zu contact record(s), %zu error body or unreadable "
             "file(s)%s.",
             (size_t)s->n_contacts, (size_t)verdicts_extra(s)->n_problems,
             s->empty_list ? ", an empty contact list" : "");
    xbuf_add(&b, line);
    free(who);
    oscal_text(o, "description", xbuf_finish(&b));
}

static void oscal_observation(struct oscal *o, const struct verdict_subscription *s)
{
    char uuid[37], subject[37];
    oscal_subscription_uuid(o->v, s, "observation", -1, uuid);
    oscal_subscription_uuid(o->v, s, "inventory-item", -1, subject);
    struct cite_list places = { 0 };
    cite_subscription(s, &places);
    oscal_map(o, NULL);
    oscal_pair(o, "uuid", uuid);
    oscal_observation_words(o, s);
    oscal_list(o, "methods");
    oscal_str(o, "EXAMINE");
    oscal_end_list(o);
    oscal_list(o, "types");
    oscal_str(o, "control-objective");
    oscal_end_list(o);
    oscal_list(o, "subjects");
    oscal_map(o, NULL);
    oscal_pair(o, "subject-uuid", subject);
    oscal_pair(o, "type", "inventory-item");
    oscal_end(o);
    oscal_end_list(o);
    if (places.count)
        oscal_relevant_evidence(o, &places);
    oscal_pair(o, "collected", o->start);
    oscal_end(o);
    cite_free(&places);
}

/* ---- risks: the waivers that turned a FAIL into WAIVED ---------------------------- */

static const struct waiver *oscal_waiver(const struct report_view *v,
                                         const struct verdict_subscription *s, unsigned rule)
{
    return s->known ? waivers_covering(v->waivers, s->id, (int)rule) : NULL;
}

static void oscal_risk(struct oscal *o, const struct verdict_subscription *s, unsigned rule)
{
    const struct report_view *v = o->v;
    const struct waiver *w = oscal_waiver(v, s, rule);
    char uuid[37];
    oscal_risk_uuid(v, s, rule, w, uuid);
    struct xbuf title = { 0 };
    xbuf_add(&title, "Accepted risk: CIS ");
    xbuf_add(&title, rules_control_id(&rules_table[rule], v->edition));
    xbuf_add(&title, " fails for subscription ");
    xbuf_add(&title, s->id);
    oscal_map(o, NULL);
    oscal_pair(o, "uuid", uuid);
    oscal_text(o, "title", xbuf_finish(&title));
    oscal_text(o, "description", w ? report_line(v, w->reason, strlen(w->reason)) : NULL);
    oscal_text(o, "statement", facts_reason(v, s, rule));
    oscal_pair(o, "status", "deviation-approved");
    oscal_end(o);
}

static size_t oscal_waived(const struct report_view *v)
{
    size_t n = 0;
    for (unsigned rule = 0; rule < RULE_COUNT; rule++)
        if (v->rules & (1u << rule))
            n += v->outcome->counts[rule][VERDICT_WAIVED];
    return n;
}

/* ---- findings ---------------------------------------------------------------------- */

static void oscal_target(struct oscal *o, unsigned rule, enum verdict_status status)
{
    char token[64];
    oscal_control_token(o->v, rule, token);
    oscal_map(o, "target");
    oscal_pair(o, "type", "objective-id");
    oscal_pair(o, "target-id", token);
    oscal_map(o, "status");
    oscal_pair(o, "state", status == VERDICT_PASS ? "satisfied" : "not-satisfied");
    oscal_pair(o, "reason",
               status == VERDICT_PASS   ? "pass"
               : status == VERDICT_FAIL ? "fail"
                                        : "other");
    oscal_end(o);
    oscal_end(o);
}

static void oscal_finding_props(struct oscal *o, unsigned rule, enum verdict_status status)
{
    oscal_list(o, "props");
    oscal_prop(o, "verdict", verdicts_status_name(status));
    oscal_prop(o, "rule", rules_table[rule].key);
    if (status == VERDICT_ERROR)
        oscal_prop(o, "undecided", "true");
    if (status == VERDICT_WAIVED)
        oscal_prop(o, "waived", "true");
    oscal_end_list(o);
}

static void oscal_related(struct oscal *o, const char *list, const char *key, const char *uuid)
{
    oscal_list(o, list);
    oscal_map(o, NULL);
    oscal_pair(o, key, uuid);
    oscal_end(o);
    oscal_end_list(o);
}

static void oscal_finding(struct oscal *o, const struct verdict_subscription *s, unsigned rule)
{
    const struct report_view *v = o->v;
    enum verdict_status status = verdicts_result(v->table, s, rule)->status;
    char uuid[37], observation[37], line[160];
    oscal_subscription_uuid(v, s, "finding", (int)rule, uuid);
    oscal_subscription_uuid(v, s, "observation", -1, observation);
    char *who = report_subscription_name(v, s);
    snprintf(line, sizeof line, "CIS %s for ", rules_control_id(&rules_table[rule], v->edition));
    struct xbuf title = { 0 };
    xbuf_add(&title, line);
    xbuf_add(&title, who);
    xbuf_add(&title, ": ");
    xbuf_add(&title, verdicts_status_name(status));
    free(who);
    oscal_map(o, NULL);
    oscal_pair(o, "uuid", uuid);
    oscal_text(o, "title", xbuf_finish(&title));
    oscal_text(o, "description", facts_reason(v, s, rule));
    oscal_finding_props(o, rule, status);
    oscal_target(o, rule, status);
    oscal_related(o, "related-observations", "observation-uuid", observation);
    if (status == VERDICT_WAIVED) {
        char risk[37];
        oscal_risk_uuid(v, s, rule, oscal_waiver(v, s, rule), risk);
        oscal_related(o, "related-risks", "risk-uuid", risk);
    }
    oscal_end(o);
}

/* Calls each for every audited subscription and selected rule (rule -1:
 * once per subscription); status_only >= 0 keeps only that status. */
static void oscal_each(struct oscal *o, int per_rule, int status_only,
                       void (*each)(struct oscal *, const struct verdict_subscription *, unsigned))
{
    const struct report_view *v = o->v;
    for (size_t i = 0, n = verdicts_count(v->table); i < n && !o->failed; i++) {
        const struct verdict_subscription *s = verdicts_get(v->table, i);
        if (s->disabled)
            continue;
        for (unsigned rule = 0; rule < RULE_COUNT; rule++) {
            if (!(v->rules & (1u << rule)))
                continue;
            if (status_only < 0 || verdicts_result(v->table, s, rule)->status == status_only)
                each(o, s, rule);
            if (!per_rule)
                break;
        }
    }
}

static void oscal_observation_each(struct oscal *o, const struct verdict_subscription *s,
                                   unsigned rule)
{
    (void)rule;
    oscal_observation(o, s);
}

static void oscal_result(struct oscal *o)
{
    const struct report_view *v = o->v;
    char uuid[37];
    int collected = oscal_start(v, o->start);
    oscal_run_uuid(v, "result", uuid);
    oscal_map(o, NULL);
    oscal_pair(o, "uuid", uuid);
    oscal_pair(o, "title", "Offline audit of saved Azure security-contact evidence");
    oscal_result_description(o);
    oscal_pair(o, "start", o->start);
    oscal_list(o, "props");
    oscal_prop(o, "overall-result", outcome_word(v->outcome));
    oscal_prop(o, "start-from", collected ? "collection-date" : "generation-time");
    oscal_end_list(o);
    oscal_local_definitions(o);
    oscal_reviewed_controls(o);
    int audited = v->outcome->subscriptions > v->outcome->not_audited;
    if (audited) {
        oscal_list(o, "observations");
        oscal_each(o, 0, -1, oscal_observation_each);
        oscal_end_list(o);
    }
    if (oscal_waived(v)) {
        oscal_list(o, "risks");
        oscal_each(o, 1, VERDICT_WAIVED, oscal_risk);
        oscal_end_list(o);
    }
    if (audited) {
        oscal_list(o, "findings");
        oscal_each(o, 1, -1, oscal_finding);
        oscal_end_list(o);
    }
    oscal_end(o);
}

/* ---- back-matter: the assessment plan stub and every evidence file ---------------- */

/* The path as a relative URI reference: every byte but the unreserved
 * ones and '/' percent-encoded (so ':' cannot read as a scheme), and a
 * leading "//" kept from reading as an authority. */
static char *oscal_href(const char *path)
{
    static const char keep[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/";
    struct xbuf b = { 0 };
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        int slash_pair = *p == '/' && p == (const unsigned char *)path + 1 && path[0] == '/';
        if (*p != '\0' && strchr(keep, *p) && !slash_pair) {
            xbuf_addn(&b, (const char *)p, 1);
        } else {
            char hex[4];
            snprintf(hex, sizeof hex, "%%%02X", *p);
            xbuf_add(&b, hex);
        }
    }
    return b.s ? xbuf_finish(&b) : xstrdup("%2D");
}

/* What the file is, as far as it was read: NULL when the tool cannot say
 * (not evidence, a tag file, a file that could not be read). */
static const char *oscal_media_type(const struct evidence_file *f)
{
    switch (f->archive_kind) {
    case ARCHIVES_ZIP: return "application/zip";
    case ARCHIVES_TAR: return "application/x-tar";
    case ARCHIVES_TAR_GZIP: return "application/gzip";
    case ARCHIVES_NONE: break;
    }
    if (f->status != EVIDENCE_READ)
        return NULL;
    return f->gzip ? "application/gzip" : "application/json";
}

static void oscal_rlink(struct oscal *o, const struct evidence_file *f)
{
    char *href = oscal_href(f->path);
    oscal_list(o, "rlinks");
    oscal_map(o, NULL);
    oscal_pair(o, "href", href);
    const char *media_type = oscal_media_type(f);
    if (media_type)
        oscal_pair(o, "media-type", media_type);
    if (f->hashed) {
        oscal_list(o, "hashes");
        oscal_map(o, NULL);
        oscal_pair(o, "algorithm", "SHA-256");
        oscal_pair(o, "value", f->sha256);
        oscal_end(o);
        oscal_end_list(o);
    }
    oscal_end(o);
    oscal_end_list(o);
    free(href);
}

static void oscal_file_resource(struct oscal *o, size_t i)
{
    const struct evidence_file *f = &o->v->files->files[i];
    char uuid[37], line[96];
    oscal_file_uuid(o->v, i, uuid);
    oscal_map(o, NULL);
    oscal_pair(o, "uuid", uuid);
    oscal_text(o, "title", report_location(o->v, i, 0, 0));
    struct xbuf d = { 0 };
    snprintf(line, sizeof line, "Evidence file, %" PRIu64 " bytes, status %s", f->size,
             f->status == EVIDENCE_READ      ? "read"
             : f->status == EVIDENCE_SKIPPED ? "skipped"
                                             : "ERROR");
    xbuf_add(&d, line);
    if (f->status != EVIDENCE_READ) {
        char *why = report_file_message(o->v, f);
        xbuf_add(&d, ": ");
        xbuf_add(&d, why);
        free(why);
    }
    oscal_text(o, "description", xbuf_finish(&d));
    oscal_rlink(o, f);
    oscal_end(o);
}

static void oscal_back_matter(struct oscal *o)
{
    char uuid[37];
    oscal_run_uuid(o->v, "assessment-plan", uuid);
    oscal_map(o, "back-matter");
    oscal_list(o, "resources");
    oscal_map(o, NULL);
    oscal_pair(o, "uuid", uuid);
    oscal_pair(o, "title", "Assessment plan (stub): an offline check of saved evidence");
    oscal_pair(o, "description",
               "azure-contact-audit has no assessment plan; this stub stands for the one "
               "OSCAL asks for: read the saved security-contact evidence and decide the "
               "reviewed controls for every subscription it names.");
    oscal_end(o);
    for (size_t i = 0; i < o->v->files->count && !o->failed; i++)
        oscal_file_resource(o, i);
    oscal_end_list(o);
    oscal_end(o);
}

int oscal_write(const struct report_view *v, xmlOutputBufferPtr out)
{
    struct oscal o = { NULL, out, v, 0, "" };
    o.g = yajl_gen_alloc(&xalloc_yajl_funcs);
    if (o.g == NULL)
        xalloc_die();
    yajl_gen_config(o.g, yajl_gen_beautify, 1);
    yajl_gen_config(o.g, yajl_gen_indent_string, "  ");
    yajl_gen_config(o.g, yajl_gen_print_callback, oscal_print, &o);
    char uuid[37];
    oscal_run_uuid(v, "assessment-results", uuid);
    oscal_map(&o, NULL);
    oscal_map(&o, "assessment-results");
    oscal_pair(&o, "uuid", uuid);
    oscal_metadata(&o);
    oscal_import_ap(&o);
    oscal_str(&o, "results");
    yajl_gen_array_open(o.g);
    oscal_result(&o);
    oscal_end_list(&o);
    oscal_back_matter(&o);
    oscal_end(&o);
    oscal_end(&o);
    yajl_gen_free(o.g);
    if (xmlOutputBufferClose(out) < 0)
        o.failed = 1;
    return o.failed ? -1 : 0;
}

int oscal_render(const struct report_view *v, char **out, size_t *len)
{
    return report_render(oscal_write, v, out, len);
}
