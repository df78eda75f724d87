/* SPDX-License-Identifier: ISC */
/* Manifests of an evidence bundle: BagIt tag files and sha256sum files parsed
 * into one table of listed paths and digests, the files the reading pipeline
 * checked recorded in the same table, and every file decided from both (see
 * manifests.h for the order of calls). */
#include "config.h"

#include "manifests.h"

#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <nettle/base16.h>

#include "sanitize.h"
#include "xalloc.h"

/* Past this many problems in one file the rest are counted, not listed: a
 * file of garbage is one error to fix, not a page of them. */
#define MANIFESTS_MAX_PROBLEMS 50
/* Evidence text quoted in a message is cut here (input bytes). */
#define MANIFESTS_QUOTE_MAX 200

enum manifests_alg { MANIFESTS_ALG_SHA256 = 1, MANIFESTS_ALG_SHA512 = 2 };

/* The manifests that can list a path, as bits. */
enum manifests_source {
    MANIFESTS_SRC_PAYLOAD_SHA256 = 1,
    MANIFESTS_SRC_PAYLOAD_SHA512 = 2,
    MANIFESTS_SRC_TAG_SHA256 = 4,
    MANIFESTS_SRC_TAG_SHA512 = 8,
    MANIFESTS_SRC_SUMS = 16
};
#define MANIFESTS_SRC_PAYLOAD (MANIFESTS_SRC_PAYLOAD_SHA256 | MANIFESTS_SRC_PAYLOAD_SHA512)
#define MANIFESTS_SRC_TAG (MANIFESTS_SRC_TAG_SHA256 | MANIFESTS_SRC_TAG_SHA512)

/* One path: what the manifests list for it and what the pipeline saw. */
struct manifests_entry {
    char *path;            /* arena; decoded, relative to the root */
    unsigned listed;       /* enum manifests_alg bits with a listed digest */
    unsigned sources;      /* enum manifests_source bits */
    int conflict;          /* two listings of one algorithm disagree */
    const char *listed_in; /* arena: display of the first manifest listing it */
    unsigned long listed_line;
    const char *file_alg[2]; /* first listing per algorithm, for messages */
    unsigned long line_alg[2];
    uint8_t listed_sha256[SHA256_DIGEST_SIZE];
    uint8_t listed_sha512[SHA512_DIGEST_SIZE];
    int seen;
    unsigned seen_algs; /* digests given */
    unsigned bad_algs;  /* digests given that are not hex of the right length */
    int seen_conflict;  /* checked twice with different contents */
    uint64_t size;
    uint8_t seen_sha256[SHA256_DIGEST_SIZE];
    uint8_t seen_sha512[SHA512_DIGEST_SIZE];
};

/* bag-info.txt labels with a meaning here; at most one of each. */
enum manifests_slot {
    MANIFESTS_SLOT_COLLECTION_TIMESTAMP,
    MANIFESTS_SLOT_COLLECTED_AT,
    MANIFESTS_SLOT_COLLECTION_DATE,
    MANIFESTS_SLOT_BAGGING_DATE,
    MANIFESTS_SLOT_PAYLOAD_OXUM,
    MANIFESTS_SLOT_COUNT
};
/* The first three are collection times, in the order they win. */
#define MANIFESTS_TIME_SLOTS 3
static const char *const manifests_slot_labels[MANIFESTS_SLOT_COUNT] = {
    "Collection-Timestamp", "Collected-At", "Collection-Date", "Bagging-Date", "Payload-Oxum"
};

struct manifests_slot_value {
    unsigned count;
    const char *value; /* arena, first occurrence */
    unsigned long line;
    int ok; /* the first occurrence parsed */
    time_t time;
    int has_time;
};

/* The bag-level files whose display names messages need. */
enum manifests_named { MANIFESTS_NAMED_SHA256, MANIFESTS_NAMED_SHA512, MANIFESTS_NAMED_INFO };

struct manifests {
    struct xarena arena;            /* entries, paths, display names, message texts */
    void *tree;                     /* tsearch tree of entries by path: no input can make it slow */
    struct manifests_entry **order; /* first listed or checked first */
    size_t count, cap;
    struct manifests_message *messages;
    size_t message_count, message_cap;
    struct manifests_field *fields;
    size_t field_count, field_cap;
    int bag, sums;     /* a bag tag file / a sha256sum file was parsed */
    int bagit_read;    /* bagit.txt was parsed */
    int encoding_read; /* it gave Tag-File-Character-Encoding */
    int refused;
    const char *version;        /* static */
    unsigned payload_manifests; /* MANIFESTS_SRC_PAYLOAD_* parsed */
    const char *named[3];       /* enum manifests_named: display names */
    struct manifests_slot_value slots[MANIFESTS_SLOT_COUNT];
    uint64_t oxum_octets, oxum_files;
    int sha512_listed;
    int primary_rank; /* lower binds more; -1 none yet */
    const char *primary;
    char primary_sha256[MANIFESTS_SHA256_HEX + 1];
    int finished;
    struct manifests_summary summary;
    struct manifests_collected collected;
};

/* One parse call (or the checks of manifests_finish()): where messages go. */
struct manifests_parse {
    struct manifests *m;
    const char *file; /* arena copy of the display name, NULL for the bag */
    unsigned long line;
    unsigned long problems;
    size_t first_message; /* this call's messages start here */
    int one_file;         /* a parse call, not manifests_finish() */
};

/* ---- messages ---------------------------------------------------------- */

static void manifests_quote(struct xbuf *b, const char *s, size_t len)
{
    char *safe = sanitize_text(s, len, SANITIZE_ONE_LINE, MANIFESTS_QUOTE_MAX, NULL);
    xbuf_add(b, "\"");
    xbuf_add(b, safe);
    xbuf_add(b, "\"");
    free(safe);
}

static void manifests_number(struct xbuf *b, uintmax_t n)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%ju", n);
    xbuf_add(b, digits);
}

static void manifests_message_add(struct manifests *m, const char *file, unsigned long line,
                                  const char *text)
{
    xgrow(&m->messages, &m->message_cap, m->message_count + 1, sizeof *m->messages);
    struct manifests_message *msg = &m->messages[m->message_count++];
    msg->file = file;
    msg->line = line;
    msg->text = xarena_memdup0(&m->arena, text, strlen(text));
}

/* Files a message built in b (and empties b) unless the file is over its cap. */
static void manifests_problem_buf(struct manifests_parse *p, unsigned long line, struct xbuf *b)
{
    if (++p->problems <= MANIFESTS_MAX_PROBLEMS)
        manifests_message_add(p->m, p->file, line, b->s ? b->s : "");
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

static void manifests_problem(struct manifests_parse *p, unsigned long line, const char *text)
{
    struct xbuf b = { 0 };
    xbuf_add(&b, text);
    manifests_problem_buf(p, line, &b);
}

/* before "quoted evidence" after */
static void manifests_problem_quoted(struct manifests_parse *p, unsigned long line,
                                     const char *before, const char *s, size_t len,
                                     const char *after)
{
    struct xbuf b = { 0 };
    xbuf_add(&b, before);
    manifests_quote(&b, s, len);
    xbuf_add(&b, after);
    manifests_problem_buf(p, line, &b);
}

static unsigned long manifests_sort_key(const struct manifests_message *msg)
{
    return msg->line ? msg->line : (unsigned long)-1; /* the whole file's after its lines */
}

/* One file's messages in line order: an element of bag-info.txt is only
 * complete at the line after it, so its problems can come out late. */
static void manifests_parse_end(struct manifests_parse *p)
{
    struct manifests_message *msg = p->m->messages;
    for (size_t i = p->first_message + 1; p->one_file && i < p->m->message_count; i++) {
        struct manifests_message moving = msg[i];
        size_t j = i;
        for (;
             j > p->first_message && manifests_sort_key(&msg[j - 1]) > manifests_sort_key(&moving);
             j--)
            msg[j] = msg[j - 1];
        msg[j] = moving;
    }
    if (p->problems <= MANIFESTS_MAX_PROBLEMS)
        return;
    struct xbuf b = { 0 };
    manifests_number(&b, p->problems - MANIFESTS_MAX_PROBLEMS);
    xbuf_add(&b, " more problems in this file are not shown");
    manifests_message_add(p->m, p->file, 0, b.s);
    free(b.s);
}

/* ---- text ---------------------------------------------------------------- */

struct manifests_lines {
    const char *text;
    size_t len, pos;
    unsigned long number;
    int cr_ends; /* BagIt: CR, LF and CRLF end a line; sha256sum: LF, a CR before it dropped */
};

static int manifests_line_next(struct manifests_lines *r, const char **s, size_t *n)
{
    if (r->pos >= r->len)
        return 0;
    size_t start = r->pos, i = start;
    while (i < r->len && r->text[i] != '\n' && !(r->cr_ends && r->text[i] == '\r'))
        i++;
    size_t end = i;
    if (i < r->len) {
        if (r->text[i] == '\r' && i + 1 < r->len && r->text[i + 1] == '\n')
            i++;
        i++;
    }
    if (!r->cr_ends && end > start && r->text[end - 1] == '\r')
        end--;
    r->pos = i;
    r->number++;
    *s = r->text + start;
    *n = end - start;
    return 1;
}

static int manifests_is_blank(int c)
{
    return c == ' ' || c == '\t';
}

static int manifests_blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!manifests_is_blank((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Skips a UTF-8 byte-order mark, which none of these formats allows. */
static size_t manifests_skip_bom(struct manifests_parse *p, const char *text, size_t len)
{
    if (len < 3 || memcmp(text, "\xEF\xBB\xBF", 3) != 0)
        return 0;
    manifests_problem(p, 1,
                      "the file starts with a UTF-8 byte-order mark, which this format does "
                      "not allow");
    return 3;
}

/* A line that cannot be read at all: a NUL byte anywhere, or (for BagIt
 * tag files, declared UTF-8) invalid UTF-8. */
static int manifests_line_usable(struct manifests_parse *p, const char *s, size_t n, int utf8)
{
    if (memchr(s, '\0', n)) {
        manifests_problem(p, p->line, "the line contains a NUL byte");
        return 0;
    }
    if (utf8 && !sanitize_utf8_valid(s, n)) {
        manifests_problem(p, p->line, "the line is not valid UTF-8, which BagIt tag files must be");
        return 0;
    }
    return 1;
}

/* Calls fn for each line of a file a parse call was given, after the
 * byte-order mark and without the lines that cannot be read. bagit: the
 * BagIt rules (CR, LF or CRLF end a line; UTF-8 only), else sha256sum's. */
typedef void (*manifests_line_fn)(struct manifests_parse *p, const char *s, size_t n, void *job);
static void manifests_each_line(struct manifests_parse *p, const char *text, size_t len, int bagit,
                                manifests_line_fn fn, void *job)
{
    size_t skip = manifests_skip_bom(p, text, len);
    struct manifests_lines r = { text + skip, len - skip, 0, 0, bagit };
    const char *s;
    size_t n;
    while (manifests_line_next(&r, &s, &n)) {
        p->line = r.number;
        if (manifests_line_usable(p, s, n, bagit))
            fn(p, s, n, job);
    }
}

static int manifests_hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static size_t manifests_hex_run(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && manifests_hex_value((unsigned char)s[i]) >= 0)
        i++;
    return i;
}

static void manifests_hex_decode(const char *s, size_t digits, uint8_t *out)
{
    for (size_t i = 0; i < digits / 2; i++)
        out[i] = (uint8_t)(manifests_hex_value((unsigned char)s[2 * i]) << 4 |
                           manifests_hex_value((unsigned char)s[2 * i + 1]));
}

static size_t manifests_alg_digits(unsigned alg)
{
    return alg == MANIFESTS_ALG_SHA256 ? MANIFESTS_SHA256_HEX : MANIFESTS_SHA512_HEX;
}

static const char *manifests_alg_name(unsigned alg)
{
    return alg == MANIFESTS_ALG_SHA256 ? "SHA-256" : "SHA-512";
}

/* Reads a hex digest of alg from s[0..n) (n == the digit count) or reports
 * why it is not one. */
static int manifests_digest_read(struct manifests_parse *p, const char *s, size_t n, unsigned alg,
                                 uint8_t *out)
{
    if (n != manifests_alg_digits(alg)) {
        struct xbuf b = { 0 };
        xbuf_add(&b, "the digest has ");
        manifests_number(&b, n);
        xbuf_add(&b, " hexadecimal digits, not ");
        manifests_number(&b, manifests_alg_digits(alg));
        xbuf_add(&b, " (");
        xbuf_add(&b, manifests_alg_name(alg));
        xbuf_add(&b, ")");
        manifests_problem_buf(p, p->line, &b);
        return 0;
    }
    manifests_hex_decode(s, n, out);
    return 1;
}

/* ---- paths --------------------------------------------------------------- */

static const char *manifests_strip_dot(const char *path)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    return path;
}

/* Why a listed path cannot name a file inside the root, or NULL. The path
 * is only ever compared with the names the pipeline met, never opened, but
 * a path an extractor would put elsewhere must not verify anything. */
static const char *manifests_path_problem(const char *s, size_t n)
{
    if (n == 0)
        return "it is empty";
    if (s[0] == '/')
        return "it is absolute";
    if (memchr(s, '\\', n))
        return "it has a backslash";
    if (n >= 2 && s[1] == ':' && ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
        return "it starts with a drive letter";
    int dotdot = 0, empty = 0;
    for (size_t start = 0; start <= n;) {
        const char *slash = memchr(s + start, '/', n - start);
        size_t end = slash ? (size_t)(slash - s) : n;
        size_t seg = end - start;
        if (seg == 2 && s[start] == '.' && s[start + 1] == '.')
            dotdot = 1;
        else if (seg == 0 || (seg == 1 && s[start] == '.'))
            empty = 1;
        start = end + 1;
    }
    if (dotdot)
        return "it has a '..' segment";
    if (empty)
        return "it has an empty or '.' segment";
    return NULL;
}

/* RFC 8493 percent-encodes exactly CR, LF and '%' in manifest paths; any
 * other '%' is kept as written (older bags did not encode '%'). */
static char *manifests_percent_decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n) {
            char hi = s[i + 1], lo = (char)(s[i + 2] | 0x20);
            if (hi == '0' && (lo == 'a' || lo == 'd')) {
                out[o++] = lo == 'a' ? '\n' : '\r';
                i += 2;
                continue;
            }
            if (hi == '2' && s[i + 2] == '5') {
                out[o++] = '%';
                i += 2;
                continue;
            }
        }
        out[o++] = s[i];
    }
    out[o] = '\0';
    return out;
}

static int manifests_tag_name(const char *path)
{
    static const char *const fixed[] = { "bagit.txt", "bag-info.txt", "fetch.txt", "SHA256SUMS" };
    if (strchr(path, '/'))
        return 0;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (strcmp(path, fixed[i]) == 0)
            return 1;
    size_t n = strlen(path);
    const char *alg = NULL;
    if (strncmp(path, "manifest-", 9) == 0)
        alg = path + 9;
    else if (strncmp(path, "tagmanifest-", 12) == 0)
        alg = path + 12;
    return alg && (size_t)(alg - path) + 4 < n && strcmp(path + n - 4, ".txt") == 0;
}

int manifests_is_tag_file(const char *path)
{
    return manifests_tag_name(manifests_strip_dot(path));
}

/* ---- the table ----------------------------------------------------------- */

static int manifests_entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct manifests_entry *)a)->path,
                  ((const struct manifests_entry *)b)->path);
}

static struct manifests_entry *manifests_entry_find(const struct manifests *m, const char *path)
{
    struct manifests_entry key;
    key.path = (char *)path;
    struct manifests_entry *const *found = tfind(&key, &m->tree, manifests_entry_cmp);
    return found ? *found : NULL;
}

static struct manifests_entry *manifests_entry_get(struct manifests *m, const char *path)
{
    struct manifests_entry *e = manifests_entry_find(m, path);
    if (e)
        return e;
    e = xarena_alloc(&m->arena, sizeof *e, _Alignof(struct manifests_entry));
    memset(e, 0, sizeof *e);
    e->path = xarena_memdup0(&m->arena, path, strlen(path));
    if (tsearch(e, &m->tree, manifests_entry_cmp) == NULL)
        xalloc_die();
    xgrow(&m->order, &m->cap, m->count + 1, sizeof *m->order);
    m->order[m->count++] = e;
    return e;
}

static int manifests_entry_is_payload(const struct manifests_entry *e)
{
    return strncmp(e->path, "data/", 5) == 0;
}

static int manifests_entry_is_tag(const struct manifests *m, const struct manifests_entry *e)
{
    return manifests_tag_name(e->path) || (m->bag && !manifests_entry_is_payload(e));
}

static uint8_t *manifests_listed_digest(struct manifests_entry *e, unsigned alg)
{
    return alg == MANIFESTS_ALG_SHA256 ? e->listed_sha256 : e->listed_sha512;
}

static uint8_t *manifests_seen_digest(struct manifests_entry *e, unsigned alg)
{
    return alg == MANIFESTS_ALG_SHA256 ? e->seen_sha256 : e->seen_sha512;
}

/* The one decision for a file, from what is known now. */
static enum manifests_status manifests_decide(const struct manifests_entry *e)
{
    if (!e->seen)
        return MANIFESTS_MISSING;
    if (!e->listed)
        return manifests_tag_name(e->path) ? MANIFESTS_TAG_FILE : MANIFESTS_UNLISTED;
    if (e->conflict || e->seen_conflict || (e->listed & e->bad_algs))
        return MANIFESTS_ALTERED;
    unsigned both = e->listed & e->seen_algs;
    if ((both & MANIFESTS_ALG_SHA256) &&
        memcmp(e->listed_sha256, e->seen_sha256, SHA256_DIGEST_SIZE) != 0)
        return MANIFESTS_ALTERED;
    if ((both & MANIFESTS_ALG_SHA512) &&
        memcmp(e->listed_sha512, e->seen_sha512, SHA512_DIGEST_SIZE) != 0)
        return MANIFESTS_ALTERED;
    if (e->listed & ~e->seen_algs)
        return MANIFESTS_NEEDS_SHA512;
    return MANIFESTS_MATCH;
}

/* Records one listing of path (NUL-terminated, already decoded). */
static void manifests_list(struct manifests_parse *p, const char *raw, size_t raw_len, unsigned alg,
                           const uint8_t *digest, unsigned source)
{
    const char *path = manifests_strip_dot(raw);
    size_t len = raw_len - (size_t)(path - raw);
    const char *why = manifests_path_problem(path, len);
    if (why) {
        struct xbuf b = { 0 };
        xbuf_add(&b, "path ");
        manifests_quote(&b, path, len);
        xbuf_add(&b, " is refused: ");
        xbuf_add(&b, why);
        manifests_problem_buf(p, p->line, &b);
        return;
    }
    int payload = strncmp(path, "data/", 5) == 0;
    if ((source & MANIFESTS_SRC_PAYLOAD) && !payload) {
        manifests_problem_quoted(p, p->line, "path ", path, len,
                                 " is outside the payload directory data/");
        return;
    }
    if ((source & MANIFESTS_SRC_TAG) && payload) {
        manifests_problem_quoted(p, p->line, "path ", path, len,
                                 " is a payload file: a tag manifest lists only tag files");
        return;
    }
    struct manifests_entry *e = manifests_entry_get(p->m, path);
    size_t size = manifests_alg_digits(alg) / 2;
    int k = alg == MANIFESTS_ALG_SHA256 ? 0 : 1;
    if (e->listed & alg) {
        if (memcmp(manifests_listed_digest(e, alg), digest, size) != 0) {
            e->conflict = 1;
            struct xbuf b = { 0 };
            xbuf_add(&b, "path ");
            manifests_quote(&b, path, len);
            xbuf_add(&b, " is listed again with a different digest (first on line ");
            manifests_number(&b, e->line_alg[k]);
            xbuf_add(&b, " of ");
            manifests_quote(&b, e->file_alg[k], strlen(e->file_alg[k]));
            xbuf_add(&b, ")");
            manifests_problem_buf(p, p->line, &b);
        }
    } else {
        memcpy(manifests_listed_digest(e, alg), digest, size);
        e->listed |= alg;
        e->file_alg[k] = p->file;
        e->line_alg[k] = p->line;
    }
    if (e->listed_in == NULL) {
        e->listed_in = p->file;
        e->listed_line = p->line;
    }
    e->sources |= source;
    if (alg == MANIFESTS_ALG_SHA512)
        p->m->sha512_listed = 1;
}

/* A digest the pipeline computed: binary, or NULL when it gave none or
 * gave one that is not a digest. */
static void manifests_see_digest(struct manifests_entry *e, unsigned alg, const uint8_t *digest,
                                 int given)
{
    if (!given)
        return;
    if (digest == NULL) {
        e->bad_algs |= alg;
        return;
    }
    size_t size = manifests_alg_digits(alg) / 2;
    uint8_t *slot = manifests_seen_digest(e, alg);
    if (e->seen_algs & alg) {
        if (memcmp(slot, digest, size) != 0)
            e->seen_conflict = 1;
        return;
    }
    memcpy(slot, digest, size);
    e->seen_algs |= alg;
}

static void manifests_see(struct manifests_entry *e, uint64_t size, const uint8_t *sha256,
                          int sha256_given, const uint8_t *sha512, int sha512_given)
{
    if (e->seen && e->size != size)
        e->seen_conflict = 1;
    e->seen = 1;
    e->size = size;
    manifests_see_digest(e, MANIFESTS_ALG_SHA256, sha256, sha256_given);
    manifests_see_digest(e, MANIFESTS_ALG_SHA512, sha512, sha512_given);
}

/* ---- sha256sum files ----------------------------------------------------- */

/* GNU sha256sum escapes a name holding '\\', LF or CR (coreutils 9 adds CR)
 * and marks the line with a leading backslash. */
static char *manifests_gnu_unescape(const char *s, size_t n, size_t *out_len)
{
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            out[o++] = s[i];
            continue;
        }
        char c = i + 1 < n ? s[i + 1] : '\0';
        if (c == '\\' || c == 'n' || c == 'r') {
            out[o++] = c == '\\' ? '\\' : c == 'n' ? '\n' : '\r';
            i++;
            continue;
        }
        free(out);
        return NULL;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

static int manifests_starts(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

static const char manifests_sums_malformed[] =
    "not a sha256sum line: 64 hexadecimal digits, a space, a space or '*', then the file name";
static const char manifests_bag_malformed[] =
    "not a manifest line: a hexadecimal digest, spaces or tabs, then the file path";

/* The digest at s[*i] in a manifest line: hex digits and then a blank, of
 * the length alg needs. On success *i is just past the digits. */
static int manifests_digest_field(struct manifests_parse *p, const char *s, size_t n, size_t *i,
                                  unsigned alg, uint8_t *digest, const char *malformed)
{
    size_t digits = manifests_hex_run(s + *i, n - *i);
    if (digits == 0 || *i + digits >= n || !manifests_is_blank((unsigned char)s[*i + digits])) {
        manifests_problem(p, p->line, malformed);
        return 0;
    }
    if (!manifests_digest_read(p, s + *i, digits, alg, digest))
        return 0;
    *i += digits;
    return 1;
}

static void manifests_sums_line(struct manifests_parse *p, const char *s, size_t n, void *job)
{
    (void)job;
    size_t i = 0;
    while (i < n && manifests_is_blank((unsigned char)s[i]))
        i++;
    if (i == n)
        return;
    int escaped = s[i] == '\\';
    i += (size_t)escaped;
    if (manifests_starts(s + i, n - i, "SHA256 (") || manifests_starts(s + i, n - i, "SHA256(")) {
        manifests_problem(p, p->line,
                          "a BSD-style 'SHA256 (name) = digest' line: only the sha256sum default "
                          "format is read");
        return;
    }
    uint8_t digest[SHA256_DIGEST_SIZE];
    if (!manifests_digest_field(p, s, n, &i, MANIFESTS_ALG_SHA256, digest,
                                manifests_sums_malformed))
        return;
    i++;
    if (i < n && (s[i] == ' ' || s[i] == '*'))
        i++; /* text or binary mode: the same bytes on POSIX */
    if (i == n) {
        manifests_problem(p, p->line, manifests_sums_malformed);
        return;
    }
    size_t len = n - i;
    char *name = escaped ? manifests_gnu_unescape(s + i, len, &len) : xmemdup0(s + i, len);
    if (name == NULL) {
        manifests_problem(p, p->line,
                          "bad escape in the file name: a line starting with a backslash allows "
                          "only \\\\, \\n and \\r in the name");
        return;
    }
    manifests_list(p, name, len, MANIFESTS_ALG_SHA256, digest, MANIFESTS_SRC_SUMS);
    free(name);
}

static void manifests_parse_sums_text(struct manifests_parse *p, const char *text, size_t len)
{
    manifests_each_line(p, text, len, 0, manifests_sums_line, NULL);
    p->m->sums = 1;
}

/* ---- BagIt manifests ----------------------------------------------------- */

/* Which manifest a parse call reads. */
struct manifests_bag_job {
    unsigned alg, source;
};

static void manifests_bag_manifest_line(struct manifests_parse *p, const char *s, size_t n,
                                        void *job)
{
    const struct manifests_bag_job *b = job;
    unsigned alg = b->alg;
    size_t i = 0;
    while (i < n && manifests_is_blank((unsigned char)s[i]))
        i++;
    if (i == n)
        return;
    uint8_t digest[SHA512_DIGEST_SIZE];
    if (!manifests_digest_field(p, s, n, &i, alg, digest, manifests_bag_malformed))
        return;
    while (i < n && manifests_is_blank((unsigned char)s[i]))
        i++;
    if (i == n) {
        manifests_problem(p, p->line, manifests_bag_malformed);
        return;
    }
    char *path = manifests_percent_decode(s + i, n - i);
    manifests_list(p, path, strlen(path), alg, digest, b->source);
    free(path);
}

/* ---- BagIt text tag files (bagit.txt, bag-info.txt) ---------------------- */

typedef void (*manifests_element_fn)(struct manifests_parse *p, const char *label,
                                     const char *value, unsigned long line);

static void manifests_trim(const char **s, size_t *n)
{
    while (*n && manifests_is_blank((unsigned char)(*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n && manifests_is_blank((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* The element being read: its label, its value so far and its line. */
struct manifests_elements {
    manifests_element_fn fn;
    struct xbuf label, value;
    int open;
    unsigned long at;
};

static void manifests_element_line(struct manifests_parse *p, const char *s, size_t n, void *job)
{
    struct manifests_elements *e = job;
    if (manifests_blank_line(s, n))
        return;
    if (manifests_is_blank((unsigned char)s[0])) {
        if (!e->open) {
            manifests_problem(p, p->line,
                              "a continuation line (starting with a space or tab) comes before "
                              "any label");
            return;
        }
        manifests_trim(&s, &n);
        if (e->value.len)
            xbuf_add(&e->value, " ");
        xbuf_addn(&e->value, s, n);
        return;
    }
    if (e->open)
        e->fn(p, e->label.s, e->value.s, e->at);
    e->open = 0;
    const char *colon = memchr(s, ':', n);
    if (colon == NULL) {
        manifests_problem(p, p->line, "not a 'Label: value' line");
        return;
    }
    const char *ls = s, *vs = colon + 1;
    size_t ln = (size_t)(colon - s), vn = n - ln - 1;
    manifests_trim(&ls, &ln);
    manifests_trim(&vs, &vn);
    if (ln == 0) {
        manifests_problem(p, p->line, "the label before ':' is empty");
        return;
    }
    e->label.len = e->value.len = 0;
    xbuf_addn(&e->label, ls, ln);
    xbuf_addn(&e->value, vs, vn);
    e->open = 1;
    e->at = p->line;
}

/* Label: value lines; a line starting with a space or tab continues the
 * value before it (joined with one space: the reports show one line).
 * Whitespace around the colon is dropped, as BagIt before 1.0 requires and
 * 1.0 does no harm by. */
static void manifests_parse_elements(struct manifests_parse *p, const char *text, size_t len,
                                     manifests_element_fn fn)
{
    struct manifests_elements e = { fn, { 0 }, { 0 }, 0, 0 };
    manifests_each_line(p, text, len, 1, manifests_element_line, &e);
    if (e.open)
        fn(p, e.label.s, e.value.s, e.at);
    free(e.label.s);
    free(e.value.s);
}

static void manifests_bagit_element(struct manifests_parse *p, const char *label, const char *value,
                                    unsigned long line)
{
    struct manifests *m = p->m;
    size_t vn = strlen(value);
    if (strcasecmp(label, "BagIt-Version") == 0) {
        if (m->version) {
            manifests_problem(p, line, "BagIt-Version is given twice");
            m->refused = 1;
        } else if (strcmp(value, "1.0") == 0 || strcmp(value, "0.97") == 0) {
            m->version = value[0] == '1' ? "1.0" : "0.97";
        } else {
            m->version = "";
            m->refused = 1;
            manifests_problem_quoted(p, line, "BagIt-Version ", value, vn,
                                     " is not supported: only 0.97 and 1.0 are read");
        }
    } else if (strcasecmp(label, "Tag-File-Character-Encoding") == 0) {
        if (strcasecmp(value, "UTF-8") != 0) {
            m->refused = 1;
            manifests_problem_quoted(p, line, "Tag-File-Character-Encoding ", value, vn,
                                     " is not supported: only UTF-8 tag files are read");
        }
        m->encoding_read = 1;
    }
}

/* ---- bag-info.txt --------------------------------------------------------- */

static int manifests_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int manifests_number_at(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* YYYY-MM-DD, or with allow_time also YYYY-MM-DDTHH:MM:SS[.fraction]Z
 * (RFC 3339 in UTC; 't' and 'z' as RFC 3339 allows). A day that does not
 * exist is refused, not rolled over. */
int manifests_parse_time(const char *s, int allow_time, time_t *out, int *has_time)
{
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    size_t n = strlen(s);
    if (n < 10 || !manifests_digits(s, 4) || s[4] != '-' || !manifests_digits(s + 5, 2) ||
        s[7] != '-' || !manifests_digits(s + 8, 2))
        return 0;
    struct tm tm = { 0 };
    int y = manifests_number_at(s, 4), mo = manifests_number_at(s + 5, 2);
    int d = manifests_number_at(s + 8, 2);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
        return 0;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    *has_time = 0;
    if (n > 10) {
        const char *t = s + 10;
        if (!allow_time || n < 20 || (t[0] != 'T' && t[0] != 't') || !manifests_digits(t + 1, 2) ||
            t[3] != ':' || !manifests_digits(t + 4, 2) || t[6] != ':' ||
            !manifests_digits(t + 7, 2))
            return 0;
        tm.tm_hour = manifests_number_at(t + 1, 2);
        tm.tm_min = manifests_number_at(t + 4, 2);
        tm.tm_sec = manifests_number_at(t + 7, 2);
        if (tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
            return 0;
        const char *z = t + 9;
        if (*z == '.') {
            if (z[1] < '0' || z[1] > '9')
                return 0;
            z++;
            while (*z >= '0' && *z <= '9')
                z++; /* kept to the second */
        }
        if ((*z != 'Z' && *z != 'z') || z[1] != '\0')
            return 0;
        *has_time = 1;
    }
    *out = timegm(&tm);
    return 1;
}

/* OctetCount.StreamCount, two whole numbers that fit 64 bits. */
static int manifests_oxum_parse(const char *s, uint64_t *octets, uint64_t *files)
{
    uint64_t v[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        if (*s < '0' || *s > '9')
            return 0;
        while (*s >= '0' && *s <= '9') {
            unsigned digit = (unsigned)(*s++ - '0');
            if (v[k] > (UINT64_MAX - digit) / 10)
                return 0;
            v[k] = v[k] * 10 + digit;
        }
        if (k == 0 && *s++ != '.')
            return 0;
    }
    if (*s != '\0')
        return 0;
    *octets = v[0];
    *files = v[1];
    return 1;
}

static void manifests_slot_check(struct manifests_parse *p, enum manifests_slot k,
                                 struct manifests_slot_value *slot, const char *value,
                                 unsigned long line)
{
    struct manifests *m = p->m;
    size_t vn = strlen(value);
    if (k == MANIFESTS_SLOT_PAYLOAD_OXUM) {
        slot->ok = manifests_oxum_parse(value, &m->oxum_octets, &m->oxum_files);
        if (!slot->ok)
            manifests_problem_quoted(p, line, "Payload-Oxum ", value, vn,
                                     " is not OctetCount.StreamCount (two whole numbers)");
        return;
    }
    int timed = k != MANIFESTS_SLOT_BAGGING_DATE;
    slot->ok = manifests_parse_time(value, timed, &slot->time, &slot->has_time);
    if (slot->ok)
        return;
    struct xbuf b = { 0 };
    xbuf_add(&b, manifests_slot_labels[k]);
    xbuf_add(&b, " ");
    manifests_quote(&b, value, vn);
    xbuf_add(&b, timed ? " is not a UTC time YYYY-MM-DDTHH:MM:SSZ or a date YYYY-MM-DD"
                       : " is not a date YYYY-MM-DD");
    manifests_problem_buf(p, line, &b);
}

static void manifests_info_element(struct manifests_parse *p, const char *label, const char *value,
                                   unsigned long line)
{
    struct manifests *m = p->m;
    xgrow(&m->fields, &m->field_cap, m->field_count + 1, sizeof *m->fields);
    struct manifests_field *f = &m->fields[m->field_count++];
    f->label = xarena_memdup0(&m->arena, label, strlen(label));
    f->value = xarena_memdup0(&m->arena, value, strlen(value));
    f->file = p->file;
    f->line = line;
    for (int k = 0; k < MANIFESTS_SLOT_COUNT; k++) {
        if (strcasecmp(label, manifests_slot_labels[k]) != 0)
            continue;
        struct manifests_slot_value *slot = &m->slots[k];
        if (++slot->count == 1) {
            slot->value = f->value;
            slot->line = line;
            manifests_slot_check(p, (enum manifests_slot)k, slot, f->value, line);
        } else {
            struct xbuf b = { 0 };
            xbuf_add(&b, manifests_slot_labels[k]);
            xbuf_add(&b, " is given twice (first on line ");
            manifests_number(&b, slot->line);
            xbuf_add(&b, "): neither is used");
            manifests_problem_buf(p, line, &b);
        }
    }
}

/* ---- parse entry points ---------------------------------------------------- */

struct manifests *manifests_alloc(void)
{
    struct manifests *m = xcalloc(1, sizeof *m);
    m->primary_rank = -1;
    return m;
}

void manifests_free(struct manifests *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->count; i++)
        tdelete(m->order[i], &m->tree, manifests_entry_cmp);
    free(m->order);
    free(m->messages);
    free(m->fields);
    xarena_free(&m->arena);
    free(m);
}

static void manifests_begin(struct manifests_parse *p, struct manifests *m, const char *display)
{
    if (m->finished)
        abort(); /* a programming error: the verdicts are already out */
    p->m = m;
    p->file = display ? xarena_memdup0(&m->arena, display, strlen(display)) : NULL;
    p->line = 0;
    p->problems = 0;
    p->first_message = m->message_count;
    p->one_file = 1;
}

/* Ranks the file whose SHA-256 the summary shows: what binds most wins. */
static void manifests_offer_primary(struct manifests *m, int rank, const char *file,
                                    const uint8_t *sha256)
{
    if (m->primary_rank >= 0 && m->primary_rank <= rank)
        return;
    m->primary_rank = rank;
    m->primary = file;
    base16_encode_update(m->primary_sha256, SHA256_DIGEST_SIZE, sha256);
    m->primary_sha256[MANIFESTS_SHA256_HEX] = '\0';
}

static void manifests_digest_text(const char *text, size_t len, uint8_t *sha256, uint8_t *sha512)
{
    struct sha256_ctx c256;
    sha256_init(&c256);
    sha256_update(&c256, len, (const uint8_t *)text);
    sha256_digest(&c256, SHA256_DIGEST_SIZE, sha256);
    if (sha512) {
        struct sha512_ctx c512;
        sha512_init(&c512);
        sha512_update(&c512, len, (const uint8_t *)text);
        sha512_digest(&c512, SHA512_DIGEST_SIZE, sha512);
    }
}

static int manifests_parse_end_result(struct manifests_parse *p)
{
    manifests_parse_end(p);
    return p->problems ? -1 : 0;
}

int manifests_parse_sha256sums(struct manifests *m, const char *display, const char *text,
                               size_t len)
{
    struct manifests_parse p;
    manifests_begin(&p, m, display);
    uint8_t sha256[SHA256_DIGEST_SIZE];
    manifests_digest_text(text, len, sha256, NULL);
    manifests_offer_primary(m, 4, p.file, sha256);
    manifests_parse_sums_text(&p, text, len);
    return manifests_parse_end_result(&p);
}

/* The algorithm in manifest-ALG.txt / tagmanifest-ALG.txt, or 0. */
static unsigned manifests_name_alg(const char *name, size_t prefix)
{
    size_t n = strlen(name) - prefix - 4;
    if (n == 6 && memcmp(name + prefix, "sha256", 6) == 0)
        return MANIFESTS_ALG_SHA256;
    if (n == 6 && memcmp(name + prefix, "sha512", 6) == 0)
        return MANIFESTS_ALG_SHA512;
    return 0;
}

static void manifests_parse_named_manifest(struct manifests_parse *p, const char *name,
                                           const char *text, size_t len, const uint8_t *sha256)
{
    struct manifests *m = p->m;
    int tag = name[0] == 't';
    size_t prefix = tag ? 12 : 9;
    unsigned alg = manifests_name_alg(name, prefix);
    if (alg == 0) {
        struct xbuf b = { 0 };
        xbuf_add(&b, "the ");
        manifests_quote(&b, name + prefix, strlen(name) - prefix - 4);
        xbuf_add(&b, " algorithm is not read: only sha256 and sha512 manifests are verified");
        manifests_problem_buf(p, 0, &b);
        return;
    }
    unsigned source =
        tag ? (alg == MANIFESTS_ALG_SHA256 ? MANIFESTS_SRC_TAG_SHA256 : MANIFESTS_SRC_TAG_SHA512)
            : (alg == MANIFESTS_ALG_SHA256 ? MANIFESTS_SRC_PAYLOAD_SHA256
                                           : MANIFESTS_SRC_PAYLOAD_SHA512);
    if (!tag) {
        m->payload_manifests |= source;
        m->named[alg == MANIFESTS_ALG_SHA256 ? MANIFESTS_NAMED_SHA256 : MANIFESTS_NAMED_SHA512] =
            p->file;
    }
    manifests_offer_primary(m, (tag ? 0 : 2) + (alg == MANIFESTS_ALG_SHA256 ? 0 : 1), p->file,
                            sha256);
    struct manifests_bag_job job = { alg, source };
    manifests_each_line(p, text, len, 1, manifests_bag_manifest_line, &job);
}

int manifests_parse(struct manifests *m, const char *path, const char *display, const char *text,
                    size_t len)
{
    struct manifests_parse p;
    manifests_begin(&p, m, display);
    const char *name = manifests_strip_dot(path);
    if (!manifests_tag_name(name)) {
        manifests_problem(&p, 0, "not a manifest or BagIt tag file name");
        return manifests_parse_end_result(&p);
    }
    uint8_t sha256[SHA256_DIGEST_SIZE], sha512[SHA512_DIGEST_SIZE];
    manifests_digest_text(text, len, sha256, sha512);
    manifests_see(manifests_entry_get(m, name), len, sha256, 1, sha512, 1);
    if (strcmp(name, "SHA256SUMS") == 0) {
        manifests_offer_primary(m, 4, p.file, sha256);
        manifests_parse_sums_text(&p, text, len);
        return manifests_parse_end_result(&p);
    }
    m->bag = 1;
    if (strcmp(name, "bagit.txt") == 0) {
        m->bagit_read = 1;
        manifests_parse_elements(&p, text, len, manifests_bagit_element);
        if (m->version == NULL) {
            manifests_problem(&p, 0, "no BagIt-Version line");
            m->refused = 1;
        }
        if (!m->encoding_read) {
            manifests_problem(&p, 0, "no Tag-File-Character-Encoding line");
            m->refused = 1;
        }
    } else if (strcmp(name, "bag-info.txt") == 0) {
        m->named[MANIFESTS_NAMED_INFO] = p.file;
        manifests_parse_elements(&p, text, len, manifests_info_element);
    } else if (strcmp(name, "fetch.txt") == 0) {
        m->refused = 1;
        manifests_problem(&p, 0,
                          "fetch.txt lists files to be downloaded: the bag is not complete "
                          "offline and is not verified");
    } else {
        manifests_parse_named_manifest(&p, name, text, len, sha256);
    }
    return manifests_parse_end_result(&p);
}

int manifests_needs_sha512(const struct manifests *m)
{
    return m->sha512_listed;
}

/* A caller's hex digest: 1 with *out filled, 0 when it is not one. */
static int manifests_caller_digest(const char *hex, unsigned alg, uint8_t *out)
{
    size_t digits = manifests_alg_digits(alg);
    if (strlen(hex) != digits || manifests_hex_run(hex, digits) != digits)
        return 0;
    manifests_hex_decode(hex, digits, out);
    return 1;
}

enum manifests_status manifests_check(struct manifests *m, const char *path, uint64_t size,
                                      const char *sha256, const char *sha512)
{
    if (m->finished)
        abort(); /* a programming error: the verdicts are already out */
    uint8_t d256[SHA256_DIGEST_SIZE], d512[SHA512_DIGEST_SIZE];
    int ok256 = sha256 && manifests_caller_digest(sha256, MANIFESTS_ALG_SHA256, d256);
    int ok512 = sha512 && manifests_caller_digest(sha512, MANIFESTS_ALG_SHA512, d512);
    struct manifests_entry *e = manifests_entry_get(m, manifests_strip_dot(path));
    /* SHA-256 is required: a missing one counts as one that matches nothing. */
    manifests_see(e, size, ok256 ? d256 : NULL, 1, ok512 ? d512 : NULL, sha512 != NULL);
    return manifests_decide(e);
}

/* ---- finishing ------------------------------------------------------------- */

/* BagIt 1.0: every payload file is in every payload manifest. */
static void manifests_check_every_manifest(struct manifests *m, struct manifests_parse *p)
{
    static const unsigned bits[2] = { MANIFESTS_SRC_PAYLOAD_SHA256, MANIFESTS_SRC_PAYLOAD_SHA512 };
    for (size_t i = 0; i < m->count; i++) {
        const struct manifests_entry *e = m->order[i];
        if (!(e->sources & MANIFESTS_SRC_PAYLOAD))
            continue;
        for (int k = 0; k < 2; k++) {
            if (!(m->payload_manifests & bits[k]) || (e->sources & bits[k]))
                continue;
            int other = 1 - k;
            struct xbuf b = { 0 };
            xbuf_add(&b, "does not list ");
            manifests_quote(&b, e->path, strlen(e->path));
            xbuf_add(&b, ", which ");
            manifests_quote(&b, e->file_alg[other], strlen(e->file_alg[other]));
            xbuf_add(&b, " lists on line ");
            manifests_number(&b, e->line_alg[other]);
            p->file = m->named[k];
            manifests_problem_buf(p, 0, &b);
            p->file = NULL;
        }
    }
}

static int manifests_times_agree(const struct manifests_slot_value *a,
                                 const struct manifests_slot_value *b)
{
    if (a->has_time == b->has_time)
        return a->time == b->time;
    const struct manifests_slot_value *day = a->has_time ? b : a, *t = a->has_time ? a : b;
    return t->time >= day->time && t->time < day->time + 86400;
}

static void manifests_collected_from(struct manifests *m, int k)
{
    const struct manifests_slot_value *slot = &m->slots[k];
    m->collected.known = 1;
    m->collected.time = slot->time;
    m->collected.has_time = slot->has_time;
    m->collected.label = manifests_slot_labels[k];
    m->collected.value = slot->value;
    m->collected.file = m->named[MANIFESTS_NAMED_INFO];
    m->collected.line = slot->line;
}

/* An unclear statement of the collection time is no statement: any bad,
 * repeated or disagreeing time label leaves it unknown. */
static void manifests_decide_collected(struct manifests *m, struct manifests_parse *p)
{
    int bad = 0, winner = -1;
    for (int k = 0; k < MANIFESTS_TIME_SLOTS; k++) {
        const struct manifests_slot_value *slot = &m->slots[k];
        if (slot->count == 0)
            continue;
        if (slot->count > 1 || !slot->ok) {
            bad = 1;
        } else if (winner < 0) {
            winner = k;
        } else if (!manifests_times_agree(&m->slots[winner], slot)) {
            bad = 1;
            struct xbuf b = { 0 };
            xbuf_add(&b, manifests_slot_labels[k]);
            xbuf_add(&b, " disagrees with ");
            xbuf_add(&b, manifests_slot_labels[winner]);
            xbuf_add(&b, " on line ");
            manifests_number(&b, m->slots[winner].line);
            xbuf_add(&b, ": the collection time is unknown");
            p->file = m->named[MANIFESTS_NAMED_INFO];
            manifests_problem_buf(p, slot->line, &b);
            p->file = NULL;
        }
    }
    const struct manifests_slot_value *bagging = &m->slots[MANIFESTS_SLOT_BAGGING_DATE];
    if (!bad && winner >= 0)
        manifests_collected_from(m, winner);
    else if (!bad && bagging->count == 1 && bagging->ok)
        manifests_collected_from(m, MANIFESTS_SLOT_BAGGING_DATE);
    struct manifests_entry *info = manifests_entry_find(m, "bag-info.txt");
    if (info && info->listed && manifests_decide(info) == MANIFESTS_ALTERED) {
        memset(&m->collected, 0, sizeof m->collected);
        p->file = m->named[MANIFESTS_NAMED_INFO];
        manifests_problem(p, 0,
                          "the file does not match the digest its tag manifest lists: its "
                          "collection date is not used");
        p->file = NULL;
    }
}

static void manifests_decide_oxum(struct manifests *m, struct manifests_parse *p)
{
    struct manifests_summary *s = &m->summary;
    const struct manifests_slot_value *slot = &m->slots[MANIFESTS_SLOT_PAYLOAD_OXUM];
    if (slot->count == 0)
        return;
    if (slot->count > 1 || !slot->ok) {
        s->oxum = MANIFESTS_OXUM_INVALID;
        return;
    }
    s->oxum_octets = m->oxum_octets;
    s->oxum_files = m->oxum_files;
    if (s->oxum_octets == s->payload_octets && s->oxum_files == s->payload_files) {
        s->oxum = MANIFESTS_OXUM_MATCH;
        return;
    }
    s->oxum = MANIFESTS_OXUM_MISMATCH;
    struct xbuf b = { 0 };
    xbuf_add(&b, "Payload-Oxum ");
    manifests_number(&b, s->oxum_octets);
    xbuf_add(&b, ".");
    manifests_number(&b, s->oxum_files);
    xbuf_add(&b, " does not match the payload: ");
    manifests_number(&b, s->payload_octets);
    xbuf_add(&b, " octets in ");
    manifests_number(&b, s->payload_files);
    xbuf_add(&b, " files");
    p->file = m->named[MANIFESTS_NAMED_INFO];
    manifests_problem_buf(p, slot->line, &b);
    p->file = NULL;
}

void manifests_finish(struct manifests *m)
{
    struct manifests_parse p;
    manifests_begin(&p, m, NULL);
    p.one_file = 0;
    m->finished = 1;
    struct manifests_summary *s = &m->summary;
    if (m->bag) {
        if (!m->bagit_read) {
            m->refused = 1;
            manifests_problem(&p, 0, "bagit.txt is missing: this is not a complete bag");
        }
        if (m->payload_manifests == 0)
            manifests_problem(&p, 0,
                              "no payload manifest (manifest-sha256.txt or manifest-sha512.txt) "
                              "was read: nothing verifies the payload");
        if (m->version && strcmp(m->version, "1.0") == 0)
            manifests_check_every_manifest(m, &p);
    }
    for (size_t i = 0; i < m->count; i++) {
        const struct manifests_entry *e = m->order[i];
        s->listed += e->listed != 0;
        switch (manifests_decide(e)) {
        case MANIFESTS_MATCH: s->matched++; break;
        case MANIFESTS_ALTERED: s->altered++; break;
        case MANIFESTS_UNLISTED: s->unlisted++; break;
        case MANIFESTS_NEEDS_SHA512: s->unverified++; break;
        case MANIFESTS_MISSING: s->missing++; break;
        case MANIFESTS_TAG_FILE: break;
        }
        if (m->bag && e->seen && manifests_entry_is_payload(e)) {
            s->payload_octets += e->size;
            s->payload_files++;
        }
    }
    if (m->bag)
        manifests_decide_oxum(m, &p);
    manifests_decide_collected(m, &p);
    manifests_parse_end(&p);
    s->kind = m->bag ? MANIFESTS_BAG : m->sums ? MANIFESTS_SHA256SUMS : MANIFESTS_NONE;
    s->refused = m->refused;
    s->bagit_version = m->version && m->version[0] ? m->version : NULL;
    s->messages = m->message_count;
    s->manifest = m->primary;
    memcpy(s->manifest_sha256, m->primary_sha256, sizeof s->manifest_sha256);
    s->verified = s->kind != MANIFESTS_NONE && !s->refused && s->messages == 0 && s->altered == 0 &&
                  s->missing == 0 && s->unlisted == 0 && s->unverified == 0 &&
                  s->oxum != MANIFESTS_OXUM_MISMATCH && s->oxum != MANIFESTS_OXUM_INVALID;
}

/* ---- read-only views -------------------------------------------------------- */

void manifests_summarize(const struct manifests *m, struct manifests_summary *out)
{
    *out = m->summary;
}

void manifests_each(const struct manifests *m, unsigned statuses, manifests_file_fn fn, void *ctx)
{
    for (size_t i = 0; i < m->count; i++) {
        const struct manifests_entry *e = m->order[i];
        struct manifests_file f;
        f.status = manifests_decide(e);
        if (!(statuses & (1u << f.status)))
            continue;
        f.path = e->path;
        f.tag = manifests_entry_is_tag(m, e);
        f.listed_in = e->listed_in;
        f.line = e->listed_line;
        fn(ctx, &f);
    }
}

enum manifests_status manifests_get_status(const struct manifests *m, const char *path)
{
    const struct manifests_entry *e = manifests_entry_find(m, manifests_strip_dot(path));
    return e ? manifests_decide(e) : MANIFESTS_UNLISTED;
}

const struct manifests_collected *manifests_get_collected(const struct manifests *m)
{
    return &m->collected;
}

const struct manifests_field *manifests_get_fields(const struct manifests *m, size_t *count)
{
    *count = m->field_count;
    return m->fields;
}

const struct manifests_message *manifests_get_messages(const struct manifests *m, size_t *count)
{
    *count = m->message_count;
    return m->messages;
}
