/* Rule verdicts: the per-subscription table (see verdicts.h). */
#include "config.h"

#include "verdicts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules.h"
#include "xalloc.h"

struct verdict_table {
    const struct address_policy *policy;
    struct verdict_subscription *subs; /* owned */
    size_t count, cap;
    /* Open addressing from subscription key to index+1 (0 = empty). Keys of
     * unknown-subscription entries are the file index. */
    size_t *slots;
    size_t nslots;
    int has_inventory;
    int sorted;
};

struct verdict_table *verdicts_alloc(const struct address_policy *policy)
{
    struct verdict_table *t = xcalloc(1, sizeof *t);
    t->policy = policy;
    t->nslots = 1024;
    t->slots = xcalloc(t->nslots, sizeof *t->slots);
    return t;
}

static void verdicts_free_contact(struct verdict_contact *c)
{
    free(c->addresses);
    free(c->name);
    free(c->emails);
    free(c->problem);
}

void verdicts_free(struct verdict_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->count; i++) {
        struct verdict_subscription *s = &t->subs[i];
        for (size_t j = 0; j < s->n_contacts; j++)
            verdicts_free_contact(&s->contacts[j]);
        free(s->contacts);
        for (size_t j = 0; j < s->n_problems; j++)
            free(s->problems[j].message);
        free(s->problems);
        free(s->display_name);
        free(s->state);
        for (int r = 0; r < VERDICT_MAX_RULES; r++)
            free(s->results[r].reason);
    }
    free(t->subs);
    free(t->slots);
    free(t);
}

/* FNV-1a over the key: GUIDs are already random, this only spreads them. */
static size_t verdicts_hash(int known, const char *id, size_t file)
{
    uint64_t h = 1469598103934665603ULL;
    if (known) {
        for (int i = 0; i < GUID_TEXT_LEN; i++)
            h = (h ^ (unsigned char)id[i]) * 1099511628211ULL;
    } else {
        h ^= file * 0x9E3779B97F4A7C15ULL;
    }
    return (size_t)h;
}

static int verdicts_matches(const struct verdict_subscription *s, int known, const char *id, size_t file)
{
    if (s->known != known)
        return 0;
    return known ? memcmp(s->id, id, GUID_TEXT_LEN) == 0 : s->unknown_file == file;
}

static void verdicts_rehash(struct verdict_table *t)
{
    size_t n = t->nslots * 2;
    size_t *slots = xcalloc(n, sizeof *slots);
    for (size_t i = 0; i < t->count; i++) {
        const struct verdict_subscription *s = &t->subs[i];
        size_t h = verdicts_hash(s->known, s->id, s->unknown_file) & (n - 1);
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
}

/* Finds or creates the entry; known=0 makes a per-file entry for records
 * without a subscription id. */
static struct verdict_subscription *verdicts_entry(struct verdict_table *t, int known,
                                                   const char *id, size_t file)
{
    size_t h = verdicts_hash(known, id, file) & (t->nslots - 1);
    while (t->slots[h]) {
        struct verdict_subscription *s = &t->subs[t->slots[h] - 1];
        if (verdicts_matches(s, known, id, file))
            return s;
        h = (h + 1) & (t->nslots - 1);
    }
    xgrow(&t->subs, &t->cap, t->count + 1, sizeof *t->subs);
    struct verdict_subscription *s = &t->subs[t->count];
    memset(s, 0, sizeof *s);
    s->known = known;
    if (known)
        memcpy(s->id, id, sizeof s->id);
    s->unknown_file = file;
    t->slots[h] = ++t->count;
    if (t->count * 2 > t->nslots)
        verdicts_rehash(t);
    return &t->subs[t->count - 1];
}

struct verdicts_split_ctx {
    struct verdict_contact *contact;
    const struct address_policy *policy;
    size_t cap;
};

static void verdicts_judge_piece(const char *piece, size_t len, size_t offset, void *ctx)
{
    (void)offset;
    struct verdicts_split_ctx *sc = ctx;
    struct verdict_contact *c = sc->contact;
    xgrow(&c->addresses, &sc->cap, c->n_addresses + 1, sizeof *c->addresses);
    struct verdict_address *a = &c->addresses[c->n_addresses++];
    a->text = piece; /* points into c->emails, which the contact owns */
    a->len = len;
    a->verdict = address_judge(piece, len, sc->policy, &a->why);
    if (a->verdict == ADDRESS_DELIVERABLE)
        c->n_deliverable++;
}

void verdicts_add_record(struct verdict_table *t, size_t file, const struct contact_record *r)
{
    struct verdict_subscription *s = verdicts_entry(t, r->has_subscription, r->subscription, file);
    xgrow(&s->contacts, &s->cap_contacts, s->n_contacts + 1, sizeof *s->contacts);
    struct verdict_contact *c = &s->contacts[s->n_contacts++];
    memset(c, 0, sizeof *c);
    if (r->name) {
        c->name = xmemdup0(r->name, r->name_len);
        c->name_len = r->name_len;
    }
    c->file = file;
    c->pos = r->pos;
    c->emails_pos = r->emails_pos;
    c->emails_kind = r->emails_kind;
    c->emails_member = r->emails_member;
    if (r->emails) {
        c->emails = xmemdup0(r->emails, r->emails_len);
        c->emails_len = r->emails_len;
    }
    if (r->problem)
        c->problem = xstrdup(r->problem);
    c->enabled = r->enabled;
    c->alerts = r->alerts;
    c->alert_severity = r->alert_severity;
    c->notify_roles = r->notify_roles;
    c->roles_include_owner = r->roles_include_owner;
    c->api = r->api;
    if (c->emails) {
        struct verdicts_split_ctx sc = { c, t->policy, 0 };
        address_split(c->emails, c->emails_len, verdicts_judge_piece, &sc);
    }
}

void verdicts_add_empty_list(struct verdict_table *t, size_t file, const guid_text sub,
                             const struct jstream_pos *pos)
{
    struct verdict_subscription *s = verdicts_entry(t, 1, sub, file);
    if (!s->empty_list) {
        s->empty_list = 1;
        s->empty_list_file = file;
        s->empty_list_pos = *pos;
    }
}

static void verdicts_problem_at(struct verdict_subscription *s, size_t file, unsigned long line,
                                unsigned long col, const char *message)
{
    xgrow(&s->problems, &s->cap_problems, s->n_problems + 1, sizeof *s->problems);
    struct verdict_problem *p = &s->problems[s->n_problems++];
    p->file = file;
    p->line = line;
    p->col = col;
    p->message = xstrdup(message);
}

void verdicts_add_problem(struct verdict_table *t, size_t file, const guid_text sub,
                          unsigned long line, unsigned long col, const char *message)
{
    verdicts_problem_at(verdicts_entry(t, 1, sub, file), file, line, col, message);
}

void verdicts_add_inventory(struct verdict_table *t, const guid_text sub,
                            const char *display_name, const char *state)
{
    struct verdict_subscription *s = verdicts_entry(t, 1, sub, 0);
    t->has_inventory = 1;
    if (s->display_name == NULL && display_name)
        s->display_name = xstrdup(display_name);
    if (s->state == NULL && state) {
        s->state = xstrdup(state);
        /* az and REST say Enabled; Warned and PastDue are still live. */
        s->disabled = strcasecmp(state, "Disabled") == 0 || strcasecmp(state, "Deleted") == 0 ||
                      strcasecmp(state, "Expired") == 0;
    }
}

void verdicts_file_failed(struct verdict_table *t, size_t file, unsigned long line,
                          unsigned long col, const char *message)
{
    for (size_t i = 0; i < t->count; i++) {
        struct verdict_subscription *s = &t->subs[i];
        int touched = 0;
        for (size_t j = 0; j < s->n_contacts; j++) {
            if (s->contacts[j].file == file && !s->contacts[j].from_failed_file) {
                s->contacts[j].from_failed_file = 1;
                touched = 1;
            }
        }
        if (s->empty_list && s->empty_list_file == file) {
            s->empty_list = 0;
            touched = 1;
        }
        if (touched)
            verdicts_problem_at(s, file, line, col, message);
    }
}

static int verdicts_order(const void *pa, const void *pb)
{
    const struct verdict_subscription *a = pa, *b = pb;
    if (a->known != b->known)
        return a->known ? -1 : 1;
    if (!a->known)
        return a->unknown_file < b->unknown_file ? -1 : a->unknown_file > b->unknown_file;
    return memcmp(a->id, b->id, GUID_TEXT_LEN);
}

void verdicts_decide(struct verdict_table *t, unsigned rules)
{
    for (size_t i = 0; i < t->count; i++) {
        struct verdict_subscription *s = &t->subs[i];
        for (int r = 0; r < RULE_COUNT; r++) {
            free(s->results[r].reason);
            s->results[r].reason = NULL;
            if (rules & (1u << r))
                s->results[r].status = rules_table[r].decide(s, &s->results[r].reason);
        }
    }
    /* Sorting invalidates the slots; nothing is added after deciding. */
    if (t->count) /* subs is NULL when no evidence was read */
        qsort(t->subs, t->count, sizeof *t->subs, verdicts_order);
    memset(t->slots, 0, t->nslots * sizeof *t->slots);
    t->sorted = 1;
}

size_t verdicts_count(const struct verdict_table *t)
{
    return t->count;
}

const struct verdict_subscription *verdicts_get(const struct verdict_table *t, size_t i)
{
    return &t->subs[i];
}

struct verdict_subscription *verdicts_get_mutable(struct verdict_table *t, size_t i)
{
    return &t->subs[i];
}

int verdicts_has_inventory(const struct verdict_table *t)
{
    return t->has_inventory;
}

const char *verdicts_status_name(enum verdict_status s)
{
    switch (s) {
    case VERDICT_PASS: return "PASS";
    case VERDICT_FAIL: return "FAIL";
    case VERDICT_ERROR: return "ERROR";
    case VERDICT_WAIVED: return "WAIVED";
    }
    return "ERROR";
}
