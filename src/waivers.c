/* SPDX-License-Identifier: ISC */
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
#define WAIVERS_FIELDS 6

/* What the top-level value is. */
enum waivers_root { ROOT_NONE, ROOT_ARRAY, ROOT_OBJECT };

struct waivers_reader {
    struct waiver_set *set;
    struct diag *diag;
    struct jstream *js;
    time_t now;
    const char *edition;
    unsigned depth;
    unsigned item_depth; /* depth of the objects that are waivers (0: no list yet) */
    int list_open;       /* inside the list of waivers */
    enum waivers_root root;
    int in_waivers_member; /* the root object's current member is "waivers" */
    int waivers_members;   /* how many "waivers" members the root object has */
    char *member;          /* the root object's current member, owned */
    size_t entries;        /* entries of the list met so far */
    enum waivers_field field;
    struct evidence_decoder *decoder;
    char *fields[WAIVERS_FIELDS];   /* the entry being read, owned */
    unsigned given[WAIVERS_FIELDS]; /* how often each field was given in it */
    char *twice;                    /* the first member given twice in it, owned */
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

static int waivers_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* End of day YYYY-MM-DD in UTC, or (time_t)-1 when not exactly such a
 * date: four digits, two, two, no blanks, no sign, a day that exists. */
static time_t waivers_day_end(const char *s)
{
    static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !waivers_digits(s, 4) ||
        !waivers_digits(s + 5, 2) || !waivers_digits(s + 8, 2))
        return (time_t)-1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
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

/* Whether a text is missing or only blanks: no reason, no ticket. */
static int waivers_blank(const char *s)
{
    if (s == NULL)
        return 1;
    for (; *s; s++)
        if (!(*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
            return 0;
    return 1;
}

static void waivers_reset_fields(struct waivers_reader *r)
{
    for (size_t i = 0; i < WAIVERS_FIELDS; i++) {
        free(r->fields[i]);
        r->fields[i] = NULL;
        r->given[i] = 0;
    }
    free(r->twice);
    r->twice = NULL;
}

/* The entry just read is refused for why: said, counted and kept (with
 * what it names) for the reports. */
static void waivers_refuse(struct waivers_reader *r, const char *why)
{
    struct waiver_set *set = r->set;
    xgrow(&set->refusals, &set->cap_refusals, set->invalid + 1, sizeof *set->refusals);
    struct waiver_refusal *x = &set->refusals[set->invalid++];
    memset(x, 0, sizeof *x);
    x->entry = r->entries;
    x->line = r->pos.line;
    x->col = r->pos.col;
    x->why = xstrdup(why);
    x->subscription = r->fields[WF_SUBSCRIPTION];
    x->ticket = r->fields[WF_TICKET];
    r->fields[WF_SUBSCRIPTION] = r->fields[WF_TICKET] = NULL;
    waivers_say(r->diag, set, &r->pos, D_WAIVER_INVALID, why, NULL);
}

/* Why a finished entry cannot be a waiver, or NULL when it can. */
static const char *waivers_fault_of(struct waivers_reader *r, struct waiver *w)
{
    char **f = r->fields;
    if (r->twice)
        return "a member is given twice in one entry";
    if (!f[WF_SUBSCRIPTION] || !f[WF_RULE] || !f[WF_REASON] || !f[WF_TICKET] || !f[WF_EXPIRES])
        return "needs subscription (a GUID), rule, reason, ticket and expires";
    if (!guid_parse(f[WF_SUBSCRIPTION], strlen(f[WF_SUBSCRIPTION]), w->subscription))
        return "subscription is not a subscription id (a GUID)";
    if (waivers_blank(f[WF_REASON]))
        return "reason is blank";
    if (waivers_blank(f[WF_TICKET]))
        return "ticket is blank";
    w->rule = waivers_rule_of(f[WF_RULE], r->edition);
    if (w->rule == -2)
        return "rule is not a rule name, a control id of the selected edition, or *";
    if (waivers_day_end(f[WF_EXPIRES]) == (time_t)-1)
        return "expires is not a date YYYY-MM-DD";
    return NULL;
}

/* A finished entry: validated, then kept or refused. */
static void waivers_take(struct waivers_reader *r)
{
    char **f = r->fields;
    struct waiver w = { 0 };
    const char *why = waivers_fault_of(r, &w);
    if (why != NULL) {
        if (r->twice) {
            char *text = xmalloc(strlen(r->twice) + 64);
            sprintf(text, "'%s' is given twice in one entry: ambiguous", r->twice);
            waivers_refuse(r, text);
            free(text);
        } else {
            waivers_refuse(r, why);
        }
        return;
    }
    w.expired = waivers_day_end(f[WF_EXPIRES]) <= r->now;
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

/* The whole file is no waiver file: the stream stops here. */
static int waivers_not_a_file(struct waivers_reader *r, const char *why,
                              const struct jstream_pos *pos)
{
    jstream_fail(r->js, D_WAIVER_FILE_INVALID, why, pos);
    return 0;
}

/* A value starts at the current depth (before it is entered): the root,
 * the root object's member, or an entry of the list. Returns 0 to stop. */
static int waivers_value(struct waivers_reader *r, int is_map, int is_array,
                         const struct jstream_pos *pos)
{
    if (r->depth == 0) {
        if (r->root != ROOT_NONE || jstream_documents(r->js) > 0)
            return waivers_not_a_file(r, "more than one JSON value", pos);
        if (!is_map && !is_array)
            return waivers_not_a_file(
                r, "not a list of waivers (a JSON array, or an object with a 'waivers' array)",
                pos);
        r->root = is_array ? ROOT_ARRAY : ROOT_OBJECT;
        if (is_array) {
            r->item_depth = 2;
            r->list_open = 1;
        }
        return 1;
    }
    if (r->depth == 1 && r->root == ROOT_OBJECT) {
        if (r->in_waivers_member) {
            if (!is_array)
                return waivers_not_a_file(r, "'waivers' is not an array", pos);
            r->item_depth = 3;
            r->list_open = 1;
        } else if (is_array) {
            /* Entries kept under another name (revoked, drafts) are not
             * waivers: applying them would accept risks no one accepts. */
            waivers_say(r->diag, r->set, pos, D_WAIVER_OTHER_LIST, r->member, NULL);
        }
        return 1;
    }
    if (r->list_open && r->depth == r->item_depth - 1) {
        r->entries++;
        if (!is_map) {
            r->pos = *pos;
            waivers_reset_fields(r);
            waivers_refuse(r, "an entry is not an object");
        }
    }
    return 1;
}

static int waivers_start_map(void *ctx, const struct jstream_pos *pos)
{
    struct waivers_reader *r = ctx;
    if (!waivers_value(r, 1, 0, pos))
        return 0;
    r->depth++;
    if (r->list_open && r->depth == r->item_depth) {
        waivers_reset_fields(r);
        r->pos = *pos;
    }
    r->field = WF_OTHER;
    return 1;
}

static int waivers_end_map(void *ctx)
{
    struct waivers_reader *r = ctx;
    if (r->list_open && r->depth == r->item_depth)
        waivers_take(r);
    r->depth--;
    return 1;
}

static int waivers_start_array(void *ctx, const struct jstream_pos *pos)
{
    struct waivers_reader *r = ctx;
    if (!waivers_value(r, 0, 1, pos))
        return 0;
    r->depth++;
    return 1;
}

static int waivers_end_array(void *ctx)
{
    struct waivers_reader *r = ctx;
    if (r->list_open && r->depth == r->item_depth - 1)
        r->list_open = 0;
    r->depth--;
    return 1;
}

static int waivers_key(void *ctx, const char *s, size_t len, const struct jstream_pos *pos)
{
    struct waivers_reader *r = ctx;
    if (r->depth == 1 && r->root == ROOT_OBJECT) {
        r->in_waivers_member = len == 7 && memcmp(s, "waivers", 7) == 0;
        if (r->in_waivers_member && ++r->waivers_members > 1)
            return waivers_not_a_file(r, "'waivers' is given twice", pos);
        free(r->member);
        r->member = xmemdup0(s, len);
    }
    r->field = WF_OTHER;
    if (r->list_open && r->depth == r->item_depth) {
        r->field = waivers_field_of(s, len);
        /* subscription and subscriptionId are one member given twice */
        if (r->field != WF_OTHER && r->given[r->field]++ > 0 && r->twice == NULL)
            r->twice = xmemdup0(s, len);
    }
    return 1;
}

static int waivers_scalar(void *ctx, enum jstream_scalar type, const char *s, size_t len,
                          const struct jstream_pos *pos)
{
    struct waivers_reader *r = ctx;
    if (!waivers_value(r, 0, 0, pos))
        return 0;
    if (!r->list_open || r->depth != r->item_depth || r->field == WF_OTHER)
        return 1;
    if (type != JSTREAM_STRING || len > WAIVERS_FIELD_MAX || memchr(s, '\0', len)) {
        /* the file cannot be read on as waivers: all of it is refused */
        jstream_fail(r->js, D_WAIVER_FILE_INVALID,
                     "a waiver field that is not a string of at most 1024 characters", pos);
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

/* The first thing that went wrong with the file as a whole, whichever
 * stage met it, into *fault (unless the reading set one already). */
static void waivers_file_fault(struct waivers_reader *r, struct diag_fault *fault)
{
    if (diag_faulted(fault))
        return;
    const struct diag_fault *stage = diag_faulted(evidence_decoder_fault(r->decoder))
                                         ? evidence_decoder_fault(r->decoder)
                                         : jstream_fault(r->js);
    if (diag_faulted(stage)) {
        if (stage->id == D_WAIVER_FILE_INVALID || stage->id == D_WAIVER_INVALID) {
            diag_fault_set(fault, stage->id, stage->arg[0], stage->arg[1], stage->line, stage->col);
            return;
        }
        /* what the file is before the parser's words, as for evidence */
        struct diag_fault better = { 0 };
        int described = evidence_describe(evidence_decoder_head(r->decoder), stage,
                                          jstream_failed_at_end(r->js), &better);
        char *text = diag_fault_text(described ? &better : stage);
        diag_fault_set(fault, D_WAIVER_FILE_INVALID, text, NULL, stage->line, stage->col);
        free(text);
        diag_fault_clear(&better);
        return;
    }
    if (r->root == ROOT_NONE)
        diag_fault_set(fault, D_WAIVER_FILE_INVALID, "no waivers in file", NULL, 0, 0);
    else if (r->item_depth == 0)
        diag_fault_set(fault, D_WAIVER_FILE_INVALID,
                       "a single object, not a list of waivers (a JSON array, or an object with a "
                       "'waivers' array)",
                       NULL, 1, 1);
}

static void waivers_drop_items(struct waiver_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free(set->items[i].rule_text);
        free(set->items[i].reason);
        free(set->items[i].ticket);
        free(set->items[i].expires);
    }
    set->count = 0;
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
        evidence_decoder_finish(r.decoder) == 0 && jstream_saw_content(r.js))
        (void)jstream_finish(r.js);
    waivers_file_fault(&r, &fault);
    if (diag_faulted(&fault)) {
        set->unreadable = 1;
        set->unreadable_why = diag_fault_text(&fault);
        diag_emit_fault(d, set->path, &fault);
        /* A file that breaks part way is not the file its owner approved:
         * the entries read before the break do not apply either. */
        waivers_drop_items(set);
    }
    set->hashed = f.hashed && !f.is_stdin;
    memcpy(set->sha256, f.sha256, sizeof set->sha256);
    waivers_reset_fields(&r);
    free(r.member);
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
    waivers_drop_items(set);
    for (size_t i = 0; i < set->invalid; i++) {
        free(set->refusals[i].why);
        free(set->refusals[i].subscription);
        free(set->refusals[i].ticket);
    }
    free(set->refusals);
    free(set->unreadable_why);
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

/* The first entry of the index for subscription sub, or count. */
static size_t waivers_first_of(const struct waiver_set *set, const char *sub)
{
    size_t lo = 0, hi = set->count;
    while (lo < hi) { /* the first index entry not below sub */
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(set->by_subscription[mid]->subscription, sub, GUID_TEXT_LEN) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct waiver *waivers_covering(const struct waiver_set *set, const char *sub, int rule)
{
    if (set == NULL)
        return NULL;
    for (size_t k = waivers_first_of(set, sub); k < set->count; k++) {
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

/* Every waiver naming subscription s is marked as seen, and a PASS of a
 * rule it covers is counted (a waiver that only meets PASS verdicts is
 * said: the risk it accepts is not there, or the waiver names the wrong
 * subscription). */
static void waivers_meet(struct waiver_set *set, const struct verdict_table *table,
                         const struct verdict_subscription *s, unsigned rules)
{
    for (size_t k = waivers_first_of(set, s->id); k < set->count; k++) {
        struct waiver *w = set->by_subscription[k];
        if (memcmp(w->subscription, s->id, GUID_TEXT_LEN) != 0)
            break;
        w->seen = 1;
        for (unsigned rule = 0; rule < RULE_COUNT && !w->expired && !s->disabled; rule++)
            if ((rules & (1u << rule)) && (w->rule == -1 || w->rule == (int)rule) &&
                verdicts_result(table, s, rule)->status == VERDICT_PASS)
                w->passes++;
    }
}

void waivers_apply(struct waiver_set *set, struct verdict_table *table, unsigned rules,
                   struct diag *d)
{
    size_t n = verdicts_count(table);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_get(table, i);
        if (!s->known)
            continue;
        waivers_meet(set, table, s, rules);
        for (unsigned rule = 0; rule < RULE_COUNT; rule++) {
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
    for (size_t i = 0; i < set->count; i++) {
        const struct waiver *w = &set->items[i];
        if (!w->seen)
            diag_emit(d, set->path, w->line, w->col, D_WAIVER_UNKNOWN_SUBSCRIPTION, w->subscription,
                      NULL);
        else if (w->passes && !w->used && !w->refused)
            diag_emit(d, set->path, w->line, w->col, D_WAIVER_ON_PASS, w->subscription, NULL);
    }
}
