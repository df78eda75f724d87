/* Waivers: reading, validating and applying accepted risks (see waivers.h). */
#include "config.h"

#include "waivers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "evidence.h"
#include "jstream.h"
#include "rules.h"
#include "sanitize.h"
#include "xalloc.h"

/* Field texts are short; a longer one is refused rather than cut. */
#define WAIVERS_FIELD_MAX 1024

enum waivers_field { WF_OTHER, WF_SUBSCRIPTION, WF_RULE, WF_REASON, WF_TICKET, WF_EXPIRES };

struct waivers_reader {
    struct waiver_set *set;
    struct diag *diag;
    struct jstream *js;
    time_t now;
    const char *edition;
    unsigned depth;
    unsigned item_depth; /* depth of the objects that are waivers */
    enum waivers_field field;
    struct evidence_decoder *decoder;
    char *fields[6]; /* the entry being read, owned */
    struct jstream_pos pos;
};

static void waivers_say(struct diag *d, const struct waiver_set *set, const struct jstream_pos *pos,
                        enum diag_id id, const char *a1, const char *a2)
{
    diag_emit(d, set->path, pos ? pos->line : 0, pos ? pos->col : 0, id, a1, a2);
}

static enum waivers_field waivers_field_of(const char *s, size_t len)
{
    static const struct {
        const char *name;
        enum waivers_field f;
    } names[] = {
        { "subscription", WF_SUBSCRIPTION },
        { "subscriptionId", WF_SUBSCRIPTION },
        { "rule", WF_RULE },
        { "reason", WF_REASON },
        { "ticket", WF_TICKET },
        { "expires", WF_EXPIRES },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (strlen(names[i].name) == len && strncasecmp(names[i].name, s, len) == 0)
            return names[i].f;
    }
    return WF_OTHER;
}

/* The rule a waiver names: a --rule key, a control id of the selected
 * edition ("2.3.2", also "CIS 2.3.2"), or "*" for all. -2 if unknown. */
static int waivers_rule_of(const char *text, const char *edition)
{
    if (strcmp(text, "*") == 0)
        return -1;
    if (strncasecmp(text, "CIS ", 4) == 0)
        text += 4;
    for (int r = 0; r < RULE_COUNT; r++) {
        const char *id = rules_control_id(&rules_table[r], edition);
        if (strcmp(rules_table[r].key, text) == 0 || (id && strcmp(id, text) == 0))
            return r;
    }
    return -2;
}

/* End of day YYYY-MM-DD in UTC, or (time_t)-1 when not such a date. */
static time_t waivers_day_end(const char *s)
{
    int y, m, d;
    char tail;
    static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' ||
        s[7] != '-' || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return (time_t)-1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return (time_t)-1; /* 2099-02-29 is no day: a typo, not a date to trust */
    struct tm tm = { 0 };
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d + 1; /* the waiver holds through its last day */
    return timegm(&tm);
}

static void waivers_reset_fields(struct waivers_reader *r)
{
    for (size_t i = 0; i < sizeof r->fields / sizeof *r->fields; i++) {
        free(r->fields[i]);
        r->fields[i] = NULL;
    }
}

static void waivers_refuse(struct waivers_reader *r, const char *why)
{
    r->set->invalid++;
    waivers_say(r->diag, r->set, &r->pos, D_WAIVER_INVALID, why, NULL);
}

/* A finished entry: validated, then kept or refused. */
static void waivers_take(struct waivers_reader *r)
{
    char **f = r->fields;
    struct waiver w = { 0 };
    if (!f[WF_SUBSCRIPTION] ||
        !guid_parse(f[WF_SUBSCRIPTION], strlen(f[WF_SUBSCRIPTION]), w.subscription) ||
        !f[WF_RULE] || !f[WF_REASON] || !f[WF_TICKET] || !f[WF_EXPIRES] || !f[WF_REASON][0] ||
        !f[WF_TICKET][0]) {
        waivers_refuse(r, "needs subscription (a GUID), rule, reason, ticket and expires");
        return;
    }
    w.rule = waivers_rule_of(f[WF_RULE], r->edition);
    if (w.rule == -2) {
        waivers_refuse(r, "rule is not a rule name, a control id of the selected edition, or *");
        return;
    }
    time_t end = waivers_day_end(f[WF_EXPIRES]);
    if (end == (time_t)-1) {
        waivers_refuse(r, "expires is not a date YYYY-MM-DD");
        return;
    }
    w.expired = end <= r->now;
    if (w.expired)
        waivers_say(r->diag, r->set, &r->pos, D_WAIVER_EXPIRED, w.subscription, f[WF_EXPIRES]);
    w.rule_text = f[WF_RULE];
    w.reason = f[WF_REASON];
    w.ticket = f[WF_TICKET];
    w.expires = f[WF_EXPIRES];
    f[WF_RULE] = f[WF_REASON] = f[WF_TICKET] = f[WF_EXPIRES] = NULL;
    w.line = r->pos.line;
    w.col = r->pos.col;
    xgrow(&r->set->items, &r->set->cap, r->set->count + 1, sizeof *r->set->items);
    r->set->items[r->set->count++] = w;
}

static int waivers_start_map(void *ctx, const struct jstream_pos *pos)
{
    struct waivers_reader *r = ctx;
    r->depth++;
    if (r->depth == r->item_depth) {
        waivers_reset_fields(r);
        r->pos = *pos;
    }
    r->field = WF_OTHER;
    return 1;
}

static int waivers_end_map(void *ctx)
{
    struct waivers_reader *r = ctx;
    if (r->depth == r->item_depth)
        waivers_take(r);
    r->depth--;
    return 1;
}

static int waivers_start_array(void *ctx, const struct jstream_pos *pos)
{
    struct waivers_reader *r = ctx;
    (void)pos;
    r->depth++;
    /* [ {...} ] or {"waivers": [ {...} ]} */
    if (r->depth == 1 || (r->depth == 2 && r->item_depth == 0))
        r->item_depth = r->depth + 1;
    return 1;
}

static int waivers_end_array(void *ctx)
{
    struct waivers_reader *r = ctx;
    r->depth--;
    return 1;
}

static int waivers_key(void *ctx, const char *s, size_t len, const struct jstream_pos *pos)
{
    struct waivers_reader *r = ctx;
    (void)pos;
    r->field = r->depth == r->item_depth ? waivers_field_of(s, len) : WF_OTHER;
    return 1;
}

static int waivers_scalar(void *ctx, enum jstream_scalar type, const char *s, size_t len,
                          const struct jstream_pos *pos)
{
    struct waivers_reader *r = ctx;
    if (r->depth != r->item_depth || r->field == WF_OTHER)
        return 1;
    if (type != JSTREAM_STRING || len > WAIVERS_FIELD_MAX || memchr(s, '\0', len)) {
        jstream_fail(r->js, D_WAIVER_INVALID,
                     "waiver fields are strings of at most 1024 characters", pos);
        return 0;
    }
    free(r->fields[r->field]);
    r->fields[r->field] = xmemdup0(s, len);
    return 1;
}

static const struct jstream_handler waivers_handler = { waivers_start_map,
                                                        waivers_end_map,
                                                        waivers_start_array,
                                                        waivers_end_array,
                                                        waivers_key,
                                                        waivers_scalar,
                                                        NULL };

static int waivers_feed(void *ctx, const char *text, size_t len)
{
    struct waivers_reader *r = ctx;
    return jstream_feed(r->js, text, len);
}

static int waivers_feed_raw(void *ctx, const unsigned char *raw, size_t len)
{
    struct waivers_reader *r = ctx;
    return evidence_decoder_push(r->decoder, raw, len);
}

int waivers_load(struct waiver_set *set, const char *path, time_t now, const char *edition,
                 struct diag *d)
{
    memset(set, 0, sizeof *set);
    set->path = xstrdup(path);
    struct waivers_reader r = { .set = set, .diag = d, .now = now, .edition = edition };
    r.js = jstream_alloc(&waivers_handler, &r, 0, 0);
    struct evidence_file f = { .path = set->path, .encoding = "", .shape = "" };
    f.is_stdin = strcmp(path, "-") == 0;
    r.decoder = evidence_decoder_alloc(&f, waivers_feed, &r);
    struct diag_fault fault = { 0 };
    if (evidence_read(&f, 0, waivers_feed_raw, &r, &fault) == 0 &&
        evidence_decoder_finish(r.decoder) == 0 && jstream_finish(r.js) == 0 && r.item_depth == 0 &&
        !jstream_saw_content(r.js))
        diag_fault_set(&fault, D_WAIVER_INVALID, "no waivers in file", NULL, 0, 0);
    /* The first thing that went wrong, whichever stage met it. */
    if (!diag_faulted(&fault)) {
        const struct diag_fault *stage = diag_faulted(evidence_decoder_fault(r.decoder))
                                             ? evidence_decoder_fault(r.decoder)
                                             : jstream_fault(r.js);
        if (diag_faulted(stage)) {
            char *text = diag_fault_text(stage);
            diag_fault_set(&fault, D_WAIVER_INVALID, text, NULL, stage->line, stage->col);
            free(text);
        }
    }
    if (diag_faulted(&fault)) {
        set->unreadable = 1;
        diag_emit_fault(d, set->path, &fault);
    }
    set->hashed = f.hashed && !f.is_stdin;
    memcpy(set->sha256, f.sha256, sizeof set->sha256);
    waivers_reset_fields(&r);
    diag_fault_clear(&fault);
    diag_fault_clear(&f.fault);
    evidence_decoder_free(r.decoder);
    jstream_free(r.js);
    waivers_index(set);
    return set->unreadable || set->invalid ? -1 : 0;
}

void waivers_free(struct waiver_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->count; i++) {
        free(set->items[i].rule_text);
        free(set->items[i].reason);
        free(set->items[i].ticket);
        free(set->items[i].expires);
    }
    free(set->items);
    free(set->by_subscription);
    free(set->path);
    memset(set, 0, sizeof *set);
}

/* Waivers are looked up by subscription through a sorted index, so that
 * applying them costs O(log n) a verdict, however many there are. The
 * index points into items, which is in file order: comparing addresses
 * keeps that order among one subscription's waivers. */
static int waivers_order(const void *pa, const void *pb)
{
    const struct waiver *a = *(struct waiver *const *)pa, *b = *(struct waiver *const *)pb;
    int c = memcmp(a->subscription, b->subscription, GUID_TEXT_LEN);
    return c ? c : (a > b) - (a < b);
}

void waivers_index(struct waiver_set *set)
{
    free(set->by_subscription);
    set->by_subscription = xcalloc(set->count, sizeof *set->by_subscription);
    for (size_t i = 0; i < set->count; i++)
        set->by_subscription[i] = &set->items[i];
    if (set->count)
        qsort(set->by_subscription, set->count, sizeof *set->by_subscription, waivers_order);
}

const struct waiver *waivers_covering(const struct waiver_set *set, const char *sub, int rule)
{
    if (set == NULL)
        return NULL;
    size_t lo = 0, hi = set->count;
    while (lo < hi) { /* the first index entry not below sub */
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(set->by_subscription[mid]->subscription, sub, GUID_TEXT_LEN) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < set->count; k++) {
        const struct waiver *w = set->by_subscription[k];
        if (memcmp(w->subscription, sub, GUID_TEXT_LEN) != 0)
            break;
        if (!w->expired && (w->rule == -1 || w->rule == rule))
            return w;
    }
    return NULL;
}

/* The waiver's own entry in set (the lookup hands out const pointers). */
static struct waiver *waivers_own(struct waiver_set *set, const struct waiver *w)
{
    return &set->items[w - set->items];
}

void waivers_apply(struct waiver_set *set, struct verdict_table *table, unsigned rules,
                   struct diag *d)
{
    size_t n = verdicts_count(table);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(table, i);
        for (unsigned rule = 0; rule < RULE_COUNT && s->known; rule++) {
            struct verdict_result res = *verdicts_result(table, s, rule);
            if (!(rules & (1u << rule)) ||
                (res.status != VERDICT_FAIL && res.status != VERDICT_ERROR))
                continue;
            const struct waiver *found = waivers_covering(set, s->id, (int)rule);
            if (found == NULL)
                continue;
            struct waiver *w = waivers_own(set, found);
            if (res.status == VERDICT_ERROR) {
                /* undecided stays undecided, and says so */
                w->refused++;
                diag_emit(d, set->path, w->line, w->col, D_WAIVER_ON_ERROR, w->subscription, NULL);
                continue;
            }
            res.status = VERDICT_WAIVED; /* the FAIL's reason stays, for the reports */
            verdicts_set_result(table, s, rule, &res);
            w->used++;
        }
    }
}
