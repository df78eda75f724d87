/* SPDX-License-Identifier: ISC */
/* Rule verdicts: the per-subscription table (see verdicts.h). */
#include "config.h"

#include "verdicts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "xalloc.h"

/* Subscriptions live in blocks that never move, so entries are not copied
 * as the table grows and a pointer to one stays valid while it fills. The
 * seal moves them into subscription order once, so that the walks of the
 * decided table (every report's) read memory in sequence, not an entry and
 * its results at random. */
#define VERDICTS_BLOCK_SHIFT 10
#define VERDICTS_BLOCK (1u << VERDICTS_BLOCK_SHIFT)

/* Open addressing from subscription key to entry. The hash tag lets a probe
 * skip entries with another key without touching them (a cache miss each
 * at a million subscriptions). index is entry+1, 0 when the slot is empty. */
struct verdicts_slot {
    uint32_t tag;
    uint32_t index;
};

struct verdict_table {
    const struct address_policy *policy;
    struct verdict_subscription **blocks; /* owned, each VERDICTS_BLOCK entries */
    size_t n_blocks, cap_blocks;
    size_t count;
    struct verdicts_slot *slots; /* owned */
    size_t nslots;
    struct verdict_result *results;   /* owned; n_kept per entry, by entry index */
    unsigned n_kept;                  /* rules whose results are kept */
    uint8_t slot[VERDICTS_MAX_RULES]; /* a kept rule's place among an entry's results */
    unsigned kept;                    /* bit set of the kept rules */
    /* Entries that the file being read has added to, so that its failure
     * withdraws them without a walk over the whole table. */
    size_t touched_file;
    uint32_t *touched; /* owned */
    size_t n_touched, cap_touched;
    struct xarena arena; /* contacts, their names, emails, problems */
    /* The last name kept, in the arena: most contacts are all "default",
     * and one copy serves them all (arena texts are never changed). */
    const char *last_name;
    uint32_t last_name_len;
    struct verdict_addresses scratch; /* addresses being judged */
    int has_inventory;
};

struct verdict_table *verdicts_alloc(const struct address_policy *policy)
{
    struct verdict_table *t = xcalloc(1, sizeof *t);
    t->policy = policy;
    t->nslots = 1024;
    t->slots = xcalloc(t->nslots, sizeof *t->slots);
    t->touched_file = SIZE_MAX;
    return t;
}

static struct verdict_subscription *verdicts_at(const struct verdict_table *t, size_t entry)
{
    return &t->blocks[entry >> VERDICTS_BLOCK_SHIFT][entry & (VERDICTS_BLOCK - 1)];
}

static void verdicts_free_entry(struct verdict_subscription *s)
{
    if (s->extra == NULL)
        return;
    free(s->extra->problems);
    free(s->extra->display_name);
    free(s->extra->state);
}

static const struct verdict_extra verdicts_no_extra = { 0 };

const char *verdicts_emails_member(const struct verdict_contact *c)
{
    return c->emails_singular ? "email" : "emails";
}

const struct verdict_extra *verdicts_extra(const struct verdict_subscription *s)
{
    return s->extra ? s->extra : &verdicts_no_extra;
}

/* s's extra, made when it is first written. */
static struct verdict_extra *verdicts_extra_own(struct verdict_table *t,
                                                struct verdict_subscription *s)
{
    if (s->extra == NULL) {
        s->extra = xarena_alloc(&t->arena, sizeof *s->extra, _Alignof(struct verdict_extra));
        memset(s->extra, 0, sizeof *s->extra);
    }
    return s->extra;
}

void verdicts_free(struct verdict_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->count; i++)
        verdicts_free_entry(verdicts_at(t, i));
    for (size_t b = 0; b < t->n_blocks; b++)
        free(t->blocks[b]);
    free(t->blocks);
    free(t->slots);
    free(t->results);
    free(t->touched);
    free(t->scratch.items);
    xarena_free(&t->arena);
    free(t);
}

/* FNV-1a over the key: GUIDs are already random, this only spreads them. */
static uint64_t verdicts_hash(int known, const char *id, size_t file)
{
    uint64_t h = 1469598103934665603ULL;
    if (known) {
        for (int i = 0; i < GUID_TEXT_LEN; i++)
            h = (h ^ (unsigned char)id[i]) * 1099511628211ULL;
    } else {
        h ^= file * 0x9E3779B97F4A7C15ULL;
    }
    return h;
}

/* The tag is the hash's low 32 bits: a key's slot is where its tag's low
 * bits point, so growing the table moves tags without reading an entry. */
static uint32_t verdicts_tag(uint64_t h)
{
    return (uint32_t)h;
}

static int verdicts_matches(const struct verdict_subscription *s, int known, const char *id,
                            size_t file)
{
    if (s->known != known)
        return 0;
    return known ? memcmp(s->id, id, GUID_TEXT_LEN) == 0 : s->unknown_file == file;
}

static void verdicts_rehash(struct verdict_table *t)
{
    size_t n = t->nslots * 2;
    struct verdicts_slot *slots = xcalloc(n, sizeof *slots);
    for (size_t i = 0; i < t->nslots; i++) {
        const struct verdicts_slot *old = &t->slots[i];
        if (old->index == 0)
            continue;
        size_t h = old->tag & (n - 1);
        while (slots[h].index)
            h = (h + 1) & (n - 1);
        slots[h] = *old;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
}

static struct verdict_subscription *verdicts_new_entry(struct verdict_table *t)
{
    /* Indexes are 32 bits in the slots and the order: four billion
     * subscriptions would not fit in memory anyway. */
    if (t->count >= UINT32_MAX - 1)
        diag_die(D_TOO_MANY_SUBSCRIPTIONS);
    if ((t->count & (VERDICTS_BLOCK - 1)) == 0) {
        xgrow(&t->blocks, &t->cap_blocks, t->n_blocks + 1, sizeof *t->blocks);
        /* not zeroed here: a table of a few subscriptions would clear
         * the whole block */
        t->blocks[t->n_blocks++] = xmalloc(VERDICTS_BLOCK * sizeof **t->blocks);
    }
    struct verdict_subscription *s = verdicts_at(t, t->count);
    memset(s, 0, sizeof *s);
    s->entry = (uint32_t)t->count++;
    return s;
}

/* Finds or creates the entry of the key whose hash is hash and returns its
 * index; known=0 makes a per-file entry for records without a subscription
 * id. */
static size_t verdicts_entry_hashed(struct verdict_table *t, int known, const char *id, size_t file,
                                    uint64_t hash)
{
    uint32_t tag = verdicts_tag(hash);
    size_t h = tag & (t->nslots - 1);
    while (t->slots[h].index) {
        if (t->slots[h].tag == tag) {
            size_t i = t->slots[h].index - 1;
            if (verdicts_matches(verdicts_at(t, i), known, id, file))
                return i;
        }
        h = (h + 1) & (t->nslots - 1);
    }
    struct verdict_subscription *s = verdicts_new_entry(t);
    s->known = known;
    if (known)
        memcpy(s->id, id, sizeof s->id);
    s->unknown_file = file;
    t->slots[h].tag = tag;
    t->slots[h].index = (uint32_t)t->count;
    /* Slots are found through 32-bit tags: 2^31 of them at most. */
    if (t->count * 2 > t->nslots && t->nslots < ((size_t)1 << 31))
        verdicts_rehash(t);
    return t->count - 1;
}

static size_t verdicts_entry(struct verdict_table *t, int known, const char *id, size_t file)
{
    return verdicts_entry_hashed(t, known, id, file, verdicts_hash(known, id, file));
}

/* Starts loading the slot where the search for hash begins: a table of a
 * million subscriptions is far bigger than the cache, so the probe would
 * wait for memory; the record is put together meanwhile. */
static void verdicts_prefetch(const struct verdict_table *t, uint64_t hash)
{
#if defined(__GNUC__)
    __builtin_prefetch(&t->slots[verdicts_tag(hash) & (t->nslots - 1)]);
#else
    (void)t;
    (void)hash;
#endif
}

/* Remembers that the file being read adds to entry i, once per file and
 * entry: a file's additions to one entry are consecutive (its contacts are
 * the last ones, its empty list the last one set), so one look at the
 * entry tells whether it is listed already. */
static void verdicts_touch(struct verdict_table *t, size_t file, size_t i)
{
    if (t->touched_file != file) {
        t->touched_file = file;
        t->n_touched = 0;
    }
    const struct verdict_subscription *s = verdicts_at(t, i);
    if ((s->n_contacts > 0 && s->contacts[s->n_contacts - 1].file == file) ||
        (s->empty_list && s->extra->empty_list_file == file))
        return;
    xgrow(&t->touched, &t->cap_touched, t->n_touched + 1, sizeof *t->touched);
    t->touched[t->n_touched++] = (uint32_t)i;
}

static struct verdict_pos verdicts_pos(const struct jstream_pos *p)
{
    struct verdict_pos v = { p->line, p->col };
    return v;
}

/* A new contact at the end of s's list; the list lives in the arena, so a
 * full one is copied into one twice its size (the old one stays until the
 * table is freed: most lists hold one contact and never grow). */
static struct verdict_contact *verdicts_new_contact(struct verdict_table *t,
                                                    struct verdict_subscription *s)
{
    /* Lists double from one: a list is full when its length is a power of
     * two (or none), and its capacity need not be kept. */
    if ((s->n_contacts & (s->n_contacts - 1)) == 0) {
        size_t cap = s->n_contacts ? (size_t)s->n_contacts * 2 : 1;
        if (cap > SIZE_MAX / sizeof *s->contacts || cap > UINT32_MAX)
            xalloc_die();
        struct verdict_contact *grown =
            xarena_alloc(&t->arena, cap * sizeof *grown, _Alignof(struct verdict_contact));
        if (s->n_contacts)
            memcpy(grown, s->contacts, s->n_contacts * sizeof *grown);
        s->contacts = grown;
    }
    struct verdict_contact *c = &s->contacts[s->n_contacts++];
    memset(c, 0, sizeof *c);
    return c;
}

/* Addresses are judged into a list that the caller owns: the table's
 * scratch list when a contact is added, the reports' own after. */
struct verdicts_judge_ctx {
    const struct address_policy *policy; /* NULL: each is deliverable, for no special reason */
    struct verdict_addresses *into;
};

static void verdicts_judge_piece(const char *piece, size_t len, size_t offset, void *ctx)
{
    (void)offset;
    struct verdicts_judge_ctx *jc = ctx;
    struct verdict_addresses *into = jc->into;
    xgrow(&into->items, &into->cap, into->n + 1, sizeof *into->items);
    struct verdict_address *a = &into->items[into->n++];
    a->text = piece;        /* points into the contact's emails, in the arena */
    a->len = (uint32_t)len; /* one piece lies within one JSON string: under the token cap */
    if (jc->policy) {
        a->verdict = address_judge(piece, len, jc->policy, &a->why);
    } else {
        a->verdict = ADDRESS_DELIVERABLE;
        a->why = "";
    }
}

static void verdicts_judge(const struct address_policy *policy, const struct verdict_contact *c,
                           struct verdict_addresses *into)
{
    struct verdicts_judge_ctx jc = { policy, into };
    into->n = 0;
    if (c->emails)
        address_split(c->emails, c->emails_len, verdicts_judge_piece, &jc);
}

int verdicts_has_addresses(const struct verdict_contact *c)
{
    return c->n_deliverable > 0 || c->undeliverable;
}

const struct verdict_address *verdicts_split_addresses(const struct verdict_contact *c,
                                                       struct verdict_addresses *into)
{
    verdicts_judge(NULL, c, into);
    return into->items;
}

const struct verdict_address *verdicts_addresses(const struct verdict_table *t,
                                                 const struct verdict_contact *c,
                                                 struct verdict_addresses *into)
{
    /* Most contacts have only deliverable addresses, none of them
     * personal: what judging them again would say is known already. */
    if (!c->undeliverable && !c->personal)
        return verdicts_split_addresses(c, into);
    verdicts_judge(t->policy, c, into);
    return into->items;
}

/* What the reports need of c's addresses without judging them again. */
static void verdicts_count_addresses(struct verdict_table *t, struct verdict_contact *c)
{
    verdicts_judge(t->policy, c, &t->scratch);
    for (size_t i = 0; i < t->scratch.n; i++) {
        const struct verdict_address *a = &t->scratch.items[i];
        if (a->verdict != ADDRESS_DELIVERABLE) {
            c->undeliverable = 1;
            continue;
        }
        c->n_deliverable++;
        if (a->why[0] != '\0') /* the one why a deliverable address has */
            c->personal = 1;
    }
}

/* The name of a new contact: one copy of a name that repeats. */
static const char *verdicts_keep_name(struct verdict_table *t, const char *name, size_t len)
{
    if (t->last_name == NULL || t->last_name_len != len || memcmp(t->last_name, name, len) != 0) {
        t->last_name = xarena_memdup0(&t->arena, name, len);
        t->last_name_len = (uint32_t)len;
    }
    return t->last_name;
}

void verdicts_add_record(struct verdict_table *t, size_t file, const struct contact_record *r)
{
    uint64_t hash = verdicts_hash(r->has_subscription, r->subscription, file);
    verdicts_prefetch(t, hash);
    struct verdict_contact built = { 0 };
    if (r->name) {
        built.name = verdicts_keep_name(t, r->name, r->name_len);
        built.name_len = r->name_len;
    }
    built.file = file;
    built.pos = verdicts_pos(&r->pos);
    built.emails_pos = verdicts_pos(&r->emails_pos);
    built.emails_kind = r->emails_kind;
    built.emails_singular = r->emails_member != NULL && strcmp(r->emails_member, "email") == 0;
    if (r->emails) {
        built.emails = xarena_memdup0(&t->arena, r->emails, r->emails_len);
        built.emails_len = r->emails_len;
    }
    if (r->problem)
        built.problem = xarena_memdup0(&t->arena, r->problem, strlen(r->problem));
    built.enabled = r->enabled;
    built.alerts = r->alerts;
    built.alert_severity = r->alert_severity;
    built.notify_roles = r->notify_roles;
    built.roles_include_owner = r->roles_include_owner;
    built.api = r->api;
    built.addresses_only = r->addresses_only;
    if (r->last_modified)
        built.last_modified = xarena_memdup0(&t->arena, r->last_modified, strlen(r->last_modified));
    built.document = r->document;
    if (built.emails)
        verdicts_count_addresses(t, &built);
    size_t i = verdicts_entry_hashed(t, r->has_subscription, r->subscription, file, hash);
    verdicts_touch(t, file, i);
    *verdicts_new_contact(t, verdicts_at(t, i)) = built;
}

void verdicts_add_empty_list(struct verdict_table *t, size_t file, const guid_text sub,
                             const struct jstream_pos *pos)
{
    size_t i = verdicts_entry(t, 1, sub, file);
    verdicts_touch(t, file, i);
    struct verdict_subscription *s = verdicts_at(t, i);
    if (!s->empty_list) {
        s->empty_list = 1;
        struct verdict_extra *x = verdicts_extra_own(t, s);
        x->empty_list_file = file;
        x->empty_list_pos = verdicts_pos(pos);
    }
}

static void verdicts_problem_at(struct verdict_table *t, struct verdict_subscription *s,
                                size_t file, enum verdict_problem_kind kind, unsigned long line,
                                unsigned long col, const char *code, const char *message)
{
    struct verdict_extra *x = verdicts_extra_own(t, s);
    size_t cap = x->cap_problems;
    xgrow(&x->problems, &cap, x->n_problems + 1, sizeof *x->problems);
    x->cap_problems = (uint32_t)cap;
    struct verdict_problem *p = &x->problems[x->n_problems++];
    p->file = file;
    p->line = line;
    p->col = col;
    p->kind = kind;
    p->code = code ? xarena_memdup0(&t->arena, code, strlen(code)) : NULL;
    p->message = xarena_memdup0(&t->arena, message, strlen(message));
}

void verdicts_add_problem(struct verdict_table *t, size_t file, const guid_text sub,
                          enum verdict_problem_kind kind, unsigned long line, unsigned long col,
                          const char *code, const char *message)
{
    size_t i = sub ? verdicts_entry(t, 1, sub, file) : verdicts_entry(t, 0, NULL, file);
    verdicts_problem_at(t, verdicts_at(t, i), file, kind, line, col, code, message);
}

/* A subscription that can still run resources: az and REST say Enabled;
 * Warned and PastDue are live too. */
static int verdicts_state_live(const char *state)
{
    return strcasecmp(state, "Enabled") == 0 || strcasecmp(state, "Warned") == 0 ||
           strcasecmp(state, "PastDue") == 0;
}

void verdicts_add_inventory(struct verdict_table *t, const guid_text sub, const char *display_name,
                            const char *state)
{
    struct verdict_subscription *s = verdicts_at(t, verdicts_entry(t, 1, sub, 0));
    t->has_inventory = 1;
    struct verdict_extra *x = verdicts_extra_own(t, s);
    if (x->display_name == NULL && display_name)
        x->display_name = xstrdup(display_name);
    if (state == NULL || s->live)
        return;
    /* Any row that says it is live puts it in scope, whatever other rows
     * or files say: a stale Disabled row must not hide a FAIL. */
    free(x->state);
    x->state = xstrdup(state);
    s->live = (unsigned char)verdicts_state_live(state);
    s->disabled =
        !s->live && (strcasecmp(state, "Disabled") == 0 || strcasecmp(state, "Deleted") == 0 ||
                     strcasecmp(state, "Expired") == 0);
}

/* Withdraws file's records from entry s; returns whether it had any. When
 * file is the one being read, its contacts are the last ones of the list. */
static int verdicts_withdraw(struct verdict_subscription *s, size_t file, int last_file)
{
    int touched = 0;
    for (size_t j = s->n_contacts; j-- > 0;) {
        if (last_file && s->contacts[j].file != file)
            break;
        if (s->contacts[j].file == file && !s->contacts[j].from_failed_file) {
            s->contacts[j].from_failed_file = 1;
            touched = 1;
        }
    }
    if (s->empty_list && s->extra->empty_list_file == file) {
        s->empty_list = 0;
        touched = 1;
    }
    return touched;
}

void verdicts_file_paged(struct verdict_table *t, size_t file, int more_pages)
{
    if (t->touched_file != file)
        return; /* it added nothing */
    for (size_t k = 0; k < t->n_touched; k++) {
        struct verdict_subscription *s = verdicts_at(t, t->touched[k]);
        if (more_pages)
            s->pages_more = 1;
        else
            s->pages_last = 1;
        if (more_pages && s->empty_list && s->extra->empty_list_file == file)
            s->empty_list_paged = 1;
    }
}

void verdicts_file_begin(struct verdict_table *t, size_t file)
{
    t->touched_file = file;
    t->n_touched = 0;
}

/* The pipeline fails only the file being read (files are read one after
 * the other), whose entries verdicts_touch() listed since
 * verdicts_file_begin: no walk over the whole table for each broken file,
 * which would make a folder of n broken files cost n * n. Any other file
 * takes the walk. */
void verdicts_file_failed(struct verdict_table *t, size_t file, unsigned long line,
                          unsigned long col, const char *message)
{
    int listed = t->touched_file == file;
    size_t n = listed ? t->n_touched : t->count;
    for (size_t k = 0; k < n; k++) {
        struct verdict_subscription *s = verdicts_at(t, listed ? t->touched[k] : k);
        if (verdicts_withdraw(s, file, listed))
            verdicts_problem_at(t, s, file, PROBLEM_UNREADABLE, line, col, NULL, message);
    }
}

/* The sort: a GUID in canonical lowercase text sorts as the 128-bit number
 * its hex digits spell, so two 64-bit halves compare like memcmp() on the
 * text; entries without a subscription id follow, by file. Keys are
 * counted into buckets by their top bits, about as many buckets as
 * entries up to 65,536 (ids are random: a handful each), and put in place
 * in one pass over the entries, then each bucket is sorted on its own. */
#define VERDICTS_BUCKET_BITS 16

/* A sort key is 16 bytes, not the 24 of a whole id: the sort's keys are
 * the largest thing the table holds for a moment, and 96 bits of a random
 * id tell entries apart but for ids made to look alike. Entries whose 96
 * bits agree are sorted again on their whole ids (verdicts_sort_ties). */
struct verdicts_sort_key {
    uint64_t hi;    /* an entry without an id: its file */
    uint32_t mid;   /* the id's next 32 bits; 0 without an id */
    uint32_t index; /* the entry */
};

struct verdicts_tie_key {
    uint64_t hi, lo;
    uint32_t index;
};

/* The number spelled by the n hex digits at s, skipping dashes (ids are
 * canonical: digits 0-9 and a-f only). */
static uint64_t verdicts_hex64(const char *s, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c == '-')
            continue;
        /* '0'-'9' are 0x30-0x39, 'a'-'f' 0x61-0x66: the low nibble, plus 9
         * for a letter */
        v = v << 4 | ((c & 0xF) + (c >> 6) * 9);
    }
    return v;
}

/* s's bucket of 1 << bits (the one after them without an id). */
static uint32_t verdicts_bucket(const struct verdict_subscription *s, unsigned bits)
{
    if (!s->known)
        return 1u << bits;
    return (uint32_t)(verdicts_hex64(s->id, 4) >> (VERDICTS_BUCKET_BITS - bits));
}

static int verdicts_order(const void *pa, const void *pb)
{
    const struct verdicts_sort_key *a = pa, *b = pb;
    if (a->hi != b->hi)
        return a->hi < b->hi ? -1 : 1;
    return (a->mid > b->mid) - (a->mid < b->mid);
}

static int verdicts_tie_order(const void *pa, const void *pb)
{
    const struct verdicts_tie_key *a = pa, *b = pb;
    if (a->hi != b->hi)
        return a->hi < b->hi ? -1 : 1;
    return (a->lo > b->lo) - (a->lo < b->lo); /* the same key is one entry */
}

/* keys[0..n), sorted on 96 bits, all alike in them: sorted on whole ids.
 * (Only ids have ties: every entry without one has a file of its own.) */
static void verdicts_sort_ties(const struct verdict_table *t, struct verdicts_sort_key *keys,
                               size_t n)
{
    struct verdicts_tie_key *tie = xcalloc(n, sizeof *tie);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_subscription *s = verdicts_at(t, keys[i].index);
        tie[i].hi = keys[i].hi;
        tie[i].lo = verdicts_hex64(s->id + 19, 17); /* 4-12 */
        tie[i].index = keys[i].index;
    }
    qsort(tie, n, sizeof *tie, verdicts_tie_order);
    for (size_t i = 0; i < n; i++)
        keys[i].index = tie[i].index;
    free(tie);
}

/* keys[0..n), one bucket, in order. */
static void verdicts_sort_bucket(const struct verdict_table *t, struct verdicts_sort_key *keys,
                                 size_t n)
{
    if (n < 2)
        return;
    qsort(keys, n, sizeof *keys, verdicts_order);
    for (size_t from = 0, to; from < n; from = to) {
        for (to = from + 1; to < n && verdicts_order(&keys[from], &keys[to]) == 0; to++)
            ;
        if (to - from > 1)
            verdicts_sort_ties(t, keys + from, to - from);
    }
}

/* One key per entry, in subscription order; owned by the caller. */
static struct verdicts_sort_key *verdicts_sort(const struct verdict_table *t)
{
    unsigned bits = 0;
    while (bits < VERDICTS_BUCKET_BITS && ((size_t)1 << bits) < t->count)
        bits++;
    uint32_t buckets = 1u << bits; /* and one for entries without an id */
    uint32_t *start = xcalloc((size_t)buckets + 2, sizeof *start);
    for (size_t i = 0; i < t->count; i++)
        start[verdicts_bucket(verdicts_at(t, i), bits) + 1]++;
    for (uint32_t b = 0; b <= buckets; b++)
        start[b + 1] += start[b];
    struct verdicts_sort_key *keys = xcalloc(t->count + 1, sizeof *keys);
    for (size_t i = 0; i < t->count; i++) {
        const struct verdict_subscription *s = verdicts_at(t, i);
        struct verdicts_sort_key *k = &keys[start[verdicts_bucket(s, bits)]++];
        k->index = (uint32_t)i;
        k->hi = s->known ? verdicts_hex64(s->id, 18) : s->unknown_file;  /* 8-4-4 */
        k->mid = s->known ? (uint32_t)verdicts_hex64(s->id + 19, 9) : 0; /* 4-4 of 4-12 */
    }
    /* start[b] is now where bucket b ends */
    for (uint32_t b = 0, from = 0; b <= buckets; from = start[b++])
        verdicts_sort_bucket(t, keys + from, start[b] - from);
    free(start);
    return keys;
}

/* Moves the entry of keys[i] to place i, for every i, and renumbers the
 * entries: in place, one cycle of the permutation at a time, as the table
 * may be most of the process's memory. The keys' indexes are used up. */
static void verdicts_reorder(struct verdict_table *t, struct verdicts_sort_key *keys)
{
    for (size_t i = 0; i < t->count; i++) {
        if (keys[i].index == i)
            continue;
        struct verdict_subscription first = *verdicts_at(t, i);
        size_t to = i;
        while (keys[to].index != i) {
            size_t from = keys[to].index;
            *verdicts_at(t, to) = *verdicts_at(t, from);
            keys[to].index = (uint32_t)to;
            to = from;
        }
        *verdicts_at(t, to) = first;
        keys[to].index = (uint32_t)to;
    }
    for (size_t i = 0; i < t->count; i++)
        verdicts_at(t, i)->entry = (uint32_t)i;
}

/* What a rule that no one decided says: never a PASS. */
static const struct verdict_result verdicts_undecided = { .status = VERDICT_ERROR,
                                                          .reason = REASON_NONE,
                                                          .ref = VERDICT_NO_REF };

void verdicts_seal(struct verdict_table *t, unsigned rules)
{
    /* The lookup slots and the list of what the last file touched are
     * done with, and go before the sort keys come. */
    free(t->slots);
    t->slots = NULL;
    t->nslots = 0;
    free(t->touched);
    t->touched = NULL;
    t->n_touched = t->cap_touched = 0;
    t->touched_file = SIZE_MAX;
    struct verdicts_sort_key *keys = verdicts_sort(t);
    verdicts_reorder(t, keys);
    free(keys);
    t->kept = rules & ((1u << VERDICTS_MAX_RULES) - 1);
    t->n_kept = 0;
    for (unsigned r = 0; r < VERDICTS_MAX_RULES; r++)
        if (t->kept & (1u << r))
            t->slot[r] = (uint8_t)t->n_kept++;
    free(t->results);
    t->results = xcalloc(t->count * t->n_kept + 1, sizeof *t->results);
    /* Fail closed: what no rule decides is an ERROR, never a PASS. */
    for (size_t k = 0; k < t->count * t->n_kept; k++)
        t->results[k] = verdicts_undecided;
}

size_t verdicts_count(const struct verdict_table *t)
{
    return t->count;
}

const struct verdict_subscription *verdicts_get(const struct verdict_table *t, size_t i)
{
    return verdicts_at(t, i);
}

const struct verdict_result *verdicts_result(const struct verdict_table *t,
                                             const struct verdict_subscription *s, unsigned rule)
{
    if (rule >= VERDICTS_MAX_RULES || !(t->kept & (1u << rule)))
        return &verdicts_undecided;
    return &t->results[(size_t)s->entry * t->n_kept + t->slot[rule]];
}

void verdicts_set_result(struct verdict_table *t, const struct verdict_subscription *s,
                         unsigned rule, const struct verdict_result *r)
{
    if (rule < VERDICTS_MAX_RULES && (t->kept & (1u << rule)))
        t->results[(size_t)s->entry * t->n_kept + t->slot[rule]] = *r;
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

/* ---- after reading: files that do not count, snapshots that are superseded ---- */

/* Whether s already holds a problem of kind from file. */
static int verdicts_has_problem(const struct verdict_subscription *s, size_t file,
                                enum verdict_problem_kind kind)
{
    const struct verdict_extra *x = verdicts_extra(s);
    for (size_t k = x->n_problems; k-- > 0;)
        if (x->problems[k].file == file && x->problems[k].kind == kind)
            return 1;
    return 0;
}

/* Whether any of the n flags is set: most bundles withdraw nothing, and a
 * look at the files spares a walk over every subscription. */
static int verdicts_any_file(const void *flags, size_t size, size_t n, int (*set)(const void *flag))
{
    for (size_t f = 0; f < n; f++)
        if (set((const char *)flags + f * size))
            return 1;
    return 0;
}

static int verdicts_withdrawn(const void *flag)
{
    return ((const struct verdicts_withdrawal *)flag)->message != NULL;
}

static int verdicts_byte_set(const void *flag)
{
    return *(const unsigned char *)flag != 0;
}

static int verdicts_time_known(const void *flag)
{
    return *(const time_t *)flag != 0;
}

void verdicts_withdraw_files(struct verdict_table *t, const struct verdicts_withdrawal *why,
                             size_t n_files)
{
    if (!verdicts_any_file(why, sizeof *why, n_files, verdicts_withdrawn))
        return;
    for (size_t i = 0; i < t->count; i++) {
        struct verdict_subscription *s = verdicts_at(t, i);
        for (size_t j = 0; j <= s->n_contacts; j++) {
            /* its contacts, then its empty list */
            size_t file =
                j < s->n_contacts ? s->contacts[j].file : verdicts_extra(s)->empty_list_file;
            if (j == s->n_contacts && !s->empty_list)
                continue;
            if (file >= n_files || why[file].message == NULL)
                continue;
            if (j < s->n_contacts)
                s->contacts[j].from_failed_file = 1;
            else
                s->empty_list = 0;
            if (!verdicts_has_problem(s, file, why[file].kind))
                verdicts_problem_at(t, s, file, why[file].kind, 0, 0, NULL, why[file].message);
        }
    }
}

int verdicts_contact_name_cmp(const struct verdict_contact *a, const struct verdict_contact *b)
{
    if (a->name == NULL || b->name == NULL)
        return (a->name != NULL) - (b->name != NULL);
    size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
    for (size_t i = 0; i < n; i++) {
        int x = (unsigned char)a->name[i], y = (unsigned char)b->name[i];
        x = x >= 'A' && x <= 'Z' ? x + 32 : x;
        y = y >= 'A' && y <= 'Z' ? y + 32 : y;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

static int verdicts_by_name(const void *pa, const void *pb)
{
    struct verdict_contact *a = *(struct verdict_contact *const *)pa;
    struct verdict_contact *b = *(struct verdict_contact *const *)pb;
    int c = verdicts_contact_name_cmp(a, b);
    return c ? c : (a > b) - (a < b);
}

/* One subscription: within each contact, snapshots of a known time older
 * than its newest known one are superseded; an empty list older than a
 * dated contact is no snapshot, one newer supersedes every older contact. */
static void verdicts_supersede_one(struct verdict_subscription *s, const time_t *times,
                                   size_t n_files)
{
    struct verdict_contact **byname = xcalloc(s->n_contacts + 1, sizeof *byname);
    for (size_t i = 0; i < s->n_contacts; i++)
        byname[i] = &s->contacts[i];
    if (s->n_contacts > 1)
        qsort(byname, s->n_contacts, sizeof *byname, verdicts_by_name);
    uint32_t empty_file = verdicts_extra(s)->empty_list_file;
    time_t empty = s->empty_list && empty_file < n_files ? times[empty_file] : 0;
    time_t newest_contact = 0;
    for (size_t first = 0, end; first < s->n_contacts; first = end) {
        time_t newest = 0;
        for (end = first;
             end < s->n_contacts && verdicts_contact_name_cmp(byname[end], byname[first]) == 0;
             end++) {
            time_t when = byname[end]->file < n_files ? times[byname[end]->file] : 0;
            newest = when > newest ? when : newest;
        }
        if (empty > newest)
            newest = empty;
        for (size_t k = first; k < end; k++) {
            time_t when = byname[k]->file < n_files ? times[byname[k]->file] : 0;
            if (when && when < newest)
                byname[k]->superseded = 1;
            if (when > newest_contact && !byname[k]->superseded)
                newest_contact = when;
        }
    }
    if (empty && newest_contact > empty)
        s->empty_list_paged = 1; /* an older empty list is no snapshot any more */
    free(byname);
}

void verdicts_supersede(struct verdict_table *t, const time_t *times, size_t n_files)
{
    if (!verdicts_any_file(times, sizeof *times, n_files, verdicts_time_known))
        return;
    for (size_t i = 0; i < t->count; i++) {
        struct verdict_subscription *s = verdicts_at(t, i);
        if (s->n_contacts > 1 || (s->n_contacts && s->empty_list))
            verdicts_supersede_one(s, times, n_files);
    }
}

void verdicts_mark_unlisted(struct verdict_table *t, const unsigned char *unlisted, size_t n_files)
{
    if (!verdicts_any_file(unlisted, sizeof *unlisted, n_files, verdicts_byte_set))
        return;
    for (size_t i = 0; i < t->count; i++) {
        struct verdict_subscription *s = verdicts_at(t, i);
        for (size_t j = 0; j < s->n_contacts; j++)
            if (s->contacts[j].file < n_files && unlisted[s->contacts[j].file])
                s->contacts[j].unlisted = 1;
    }
}
