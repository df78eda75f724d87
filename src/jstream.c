/* SPDX-License-Identifier: ISC */
/* JSON stream: yajl plus positions, caps and strict UTF-8 (see jstream.h). */
#include "config.h"

#include "jstream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

#include "sanitize.h"
#include "xalloc.h"

struct jstream {
    yajl_handle yajl;
    const struct jstream_handler *handler;
    void *ctx;
    unsigned max_depth;
    size_t max_token;
    unsigned depth;
    unsigned char *in_map; /* [1..depth]: 1 when that level is an object */

    /* The chunk being parsed and its absolute offset in the stream. */
    const unsigned char *chunk;
    size_t chunk_len;
    uint64_t chunk_base;

    /* Scanner: every byte is counted once, in order, when a callback or the
     * end of a chunk moves the cursor. line/chars describe the byte at
     * cursor: chars is how many characters precede it on its line. */
    uint64_t cursor;
    unsigned long line;
    unsigned long chars;
    /* The first significant byte after the previous token: between two
     * callbacks there is only whitespace, ',' or ':' and then one token, so
     * this is where the token being reported starts. */
    int have_start;
    struct jstream_pos start;
    int finishing;
    /* For yajl errors: where the last byte of the previous chunk is, and
     * the stream offset where the last token reported ends. */
    struct jstream_pos last_byte;
    uint64_t token_end;
    /* A value inside an object just ended: the next token must be ',' or
     * '}'. Anything else is the error below, found by the scanner as soon
     * as it is seen: yajl reports it at an offset that depends on where
     * the chunks end ("try to restore error offset" in yajl_parser.c). */
    int after_map_value;
    int misplaced;
    struct jstream_pos misplaced_pos;

    unsigned long documents;
    int saw_content;

    /* Escape scanner: yajl turns a high surrogate escape with no low one
     * after it into '?' and pairs \uD800\uD800 into U+10000, silently.
     * esc_state: 0 outside strings, 1 in one, 2 after '\\', 3-6 in \uXXXX,
     * 7 in one right after a high surrogate escape (so that 1 alone means
     * "only '"' and '\\' matter", the scanner's fast path). */
    unsigned char esc_state;
    unsigned esc_value;
    int esc_high;      /* a high surrogate escape awaits its low one */
    int bad_surrogate; /* an unpaired surrogate escape was read */

    enum jstream_failure failure;
    struct diag_fault fault;
    uint64_t fault_offset;
};

static struct jstream_pos jstream_cursor_pos(const struct jstream *js)
{
    struct jstream_pos pos = { js->line, js->chars + 1, js->cursor };
    return pos;
}

/* White space as yajl's lexer skips it: JSON's four, plus \v and \f; a
 * separator is that or ',' or ':' (bit masks: this runs on every byte
 * between tokens). */
#define JSTREAM_BLANKS                                                                             \
    ((1ULL << ' ') | (1ULL << '\t') | (1ULL << '\n') | (1ULL << '\r') | (1ULL << '\v') |           \
     (1ULL << '\f'))
#define JSTREAM_SEPARATORS (JSTREAM_BLANKS | (1ULL << ',') | (1ULL << ':'))

static int jstream_is_blank(unsigned char b)
{
    return b < 64 && (JSTREAM_BLANKS >> b & 1);
}

static int jstream_is_separator(unsigned char b)
{
    return b < 64 && (JSTREAM_SEPARATORS >> b & 1);
}

/* The rarer steps of the escape scanner (states above): backslashes,
 * \uXXXX digits and whatever follows a high surrogate. Returns the new
 * state. */
static unsigned jstream_scan_escape(struct jstream *js, unsigned state, unsigned char b)
{
    if ((state == 1 || state == 7) && b == '\\')
        return 2; /* a pending high surrogate may still get its low one */
    if (state == 2 && b == 'u') {
        js->esc_value = 0;
        return 3;
    }
    if (state >= 3 && state <= 6) {
        unsigned v = js->esc_value << 4 | ((b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10) & 15);
        js->esc_value = v;
        if (state < 6)
            return state + 1;
        if (js->esc_high)
            js->bad_surrogate |= v < 0xDC00 || v > 0xDFFF;
        else
            js->bad_surrogate |= v >= 0xDC00 && v <= 0xDFFF;
        js->esc_high = !js->esc_high && v >= 0xD800 && v <= 0xDBFF;
        return js->esc_high ? 7 : 1;
    }
    /* Anything else after a high surrogate leaves it unpaired. */
    js->bad_surrogate |= js->esc_high;
    js->esc_high = 0;
    return (state == 1 || state == 7) && b == '"' ? 0 : 1;
}

/* The byte b at chunk offset i, seen with no token started since the last
 * callback: either a separator, or the first byte of the next token, whose
 * start is noted. Returns 1 in the second case. */
static int jstream_note_start(struct jstream *js, unsigned char b, unsigned long line,
                              unsigned long chars, size_t i)
{
    if (js->after_map_value && !jstream_is_blank(b)) {
        /* only ever set between tokens */
        js->after_map_value = 0;
        if (b != ',' && b != '}' && !js->misplaced) {
            js->misplaced = 1;
            js->misplaced_pos.line = line;
            js->misplaced_pos.col = chars + 1;
            js->misplaced_pos.offset = js->chunk_base + i;
        }
    }
    if (jstream_is_separator(b))
        return 0;
    js->saw_content = 1;
    js->start.line = line;
    js->start.col = chars + 1;
    js->start.offset = js->chunk_base + i;
    return 1;
}

/* Word-at-a-time helpers for the two runs that make up most of a file:
 * string content and indentation. Eight bytes are read as one uint64_t in
 * little-endian order whatever the host, so byte k of the text is bits
 * 8k..8k+7 and "the first byte" is the lowest one. A flag mask has bit 7 of
 * a byte set for each byte it flags. */
#define JSTREAM_ONES 0x0101010101010101ULL
#define JSTREAM_HIGHS 0x8080808080808080ULL

static uint64_t jstream_load8(const unsigned char *p)
{
    uint64_t w;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&w, p, sizeof w);
#else
    w = 0;
    for (int k = 7; k >= 0; k--)
        w = w << 8 | p[k];
#endif
    return w;
}

/* How many bytes of a flag mask are flagged: the multiply adds the eight
 * 0/1 bytes into the top one (no popcount instruction needed). */
static unsigned jstream_count_flags(uint64_t m)
{
    return (unsigned)(((m >> 7) * JSTREAM_ONES) >> 56);
}

/* Index of the byte holding the lowest set bit of m (m != 0). */
static unsigned jstream_first_byte(uint64_t m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(m) / 8;
#else
    return jstream_count_flags(((m & (0 - m)) - 1) & JSTREAM_HIGHS);
#endif
}

/* Flag the bytes of w below c (c <= 0x80), and the bytes equal to c. Only
 * the lowest flag is exact (a borrow can flag a byte above a true one),
 * which is all the callers use. */
static uint64_t jstream_below(uint64_t w, unsigned char c)
{
    return (w - JSTREAM_ONES * c) & ~w & JSTREAM_HIGHS;
}

static uint64_t jstream_equal(uint64_t w, unsigned char c)
{
    return jstream_below(w ^ (JSTREAM_ONES * c), 1);
}

/* Flags '"' and the control characters in one test: flipping bit 1 maps
 * 0x00-0x1F onto itself and '"' (0x22) onto 0x20, and nothing else below
 * 0x21. */
static uint64_t jstream_quote_or_control(uint64_t w)
{
    return jstream_below(w ^ (JSTREAM_ONES * 0x02), 0x21);
}

/* A space outside a string only moves the column, so the run needs no
 * other bookkeeping. Indentation can be most of a file: with SSE2 (every
 * x86-64) sixteen bytes are compared in one step, else eight. */
size_t jstream_space_run(const unsigned char *p, size_t limit, size_t avail)
{
    size_t n = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i spaces = _mm_set1_epi8(' ');
    while (avail - n >= 16) {
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(p + n));
        unsigned other = ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, spaces)) & 0xFFFF;
        size_t len = other ? (size_t)__builtin_ctz(other) : 16;
        if (len >= limit - n)
            return limit;
        if (len < 16)
            return n + len;
        n += 16;
    }
#endif
    while (avail - n >= 8) {
        /* Non-zero bytes are the non-spaces: the first one ends the run. */
        uint64_t other = jstream_load8(p + n) ^ (JSTREAM_ONES * ' ');
        size_t len = other ? jstream_first_byte(other) : 8;
        if (len >= limit - n)
            return limit;
        if (len < 8)
            return n + len;
        n += 8;
    }
    while (n < limit && p[n] == ' ')
        n++;
    return n;
}

/* Length of the run of string content at p up to the first '"', '\\' or
 * control character, at most limit bytes (avail >= limit may be read),
 * adding its characters to *chars: each byte that is not a UTF-8
 * continuation byte (10xxxxxx) starts one. Inside a string with no
 * surrogate pending, only those bytes do more than move the column (yajl
 * rejects control characters in strings, but stopping at them keeps '\n'
 * counted right for any bytes at all). */
static size_t jstream_string_run(const unsigned char *p, size_t limit, size_t avail,
                                 unsigned long *chars)
{
    size_t n = 0;
    /* Whole words while they are within the limit and readable. */
    size_t words_end = avail < 8 ? 0 : avail - 7 < limit ? avail - 7 : limit;
    while (n < words_end) {
        uint64_t w = jstream_load8(p + n);
        uint64_t stop = jstream_quote_or_control(w) | jstream_equal(w, '\\');
        size_t len = stop ? jstream_first_byte(stop) : 8;
        if (len > limit - n)
            len = limit - n;
        *chars += len;
        if (w & JSTREAM_HIGHS) {
            /* Continuation bytes: bit 7 set, bit 6 (moved to 7) clear. */
            uint64_t cont = w & ~(w << 1) & JSTREAM_HIGHS;
            if (len < 8)
                cont &= (1ULL << 8 * len) - 1;
            *chars -= jstream_count_flags(cont);
        }
        n += len;
        if (len < 8)
            return n;
    }
    for (; n < limit && p[n] != '"' && p[n] != '\\' && p[n] >= 0x20; n++)
        *chars += (p[n] & 0xC0) != 0x80;
    return n;
}

/* Between tokens: skips the bytes at p (at most limit) that only move the
 * cursor, adding them to *line and *chars: spaces and newlines, and the
 * other separators unless the check for the byte after an object's value
 * is due (then the full step takes them). Returns how many; the byte after
 * them takes the full step. */
static size_t jstream_skip_blanks(struct jstream *js, const unsigned char *p, size_t limit,
                                  unsigned long *line, unsigned long *chars)
{
    size_t n = 0;
    size_t avail = js->chunk_len - (size_t)(p - js->chunk);
    while (n < limit) {
        unsigned char b = p[n];
        if (b == ' ') {
            size_t run = jstream_space_run(p + n, limit - n, avail - n);
            *chars += run;
            n += run;
        } else if (b == '\n') {
            ++*line;
            *chars = 0;
            n++;
        } else if (jstream_is_separator(b) && !js->after_map_value) {
            ++*chars;
            n++;
        } else if (b == ',' && js->after_map_value) {
            /* the byte an object's value must be followed by (or '}') */
            js->after_map_value = 0;
            ++*chars;
            n++;
        } else {
            break;
        }
    }
    return n;
}

/* Moves the cursor to chunk offset upto, counting lines and characters and
 * noting where the next token starts. This loop sees every byte of the
 * input: keep it lean. String content and the blanks between tokens, most
 * of a file, are skipped without the full step (string content and runs of
 * spaces a word at a time). The hot state is kept in locals, the rest is
 * read from js when needed. */
static void jstream_scan_to(struct jstream *js, size_t upto)
{
    const unsigned char *p = js->chunk;
    size_t i = (size_t)(js->cursor - js->chunk_base);
    unsigned long line = js->line, chars = js->chars;
    unsigned state = js->esc_state;
    int have_start = js->have_start;
    while (i < upto) {
        unsigned char b = p[i];
        if (state == 0 && !have_start) {
            i += jstream_skip_blanks(js, p + i, upto - i, &line, &chars);
            if (i == upto)
                break;
            b = p[i];
        } else if (state == 1 && have_start) {
            /* In a string (its start noted), no escape under way: skip
             * to the byte that ends the run, and take a closing quote as
             * the full step would. */
            i += jstream_string_run(p + i, upto - i, js->chunk_len - i, &chars);
            if (i == upto)
                break;
            b = p[i];
            if (b == '"') {
                state = 0;
                chars++;
                i++;
                continue;
            }
        }
        if (state == 0) {
            if (b == '"')
                state = 1;
        } else if (state != 1 || b == '\\' || b == '"') {
            state = jstream_scan_escape(js, state, b);
        }
        if (!have_start)
            have_start = jstream_note_start(js, b, line, chars, i);
        if (b == '\n') {
            line++;
            chars = 0;
        } else {
            chars += (b & 0xC0) != 0x80;
        }
        i++;
    }
    js->line = line;
    js->chars = chars;
    js->have_start = have_start;
    js->esc_state = (unsigned char)state;
    js->cursor = js->chunk_base + upto;
}

/* The catalogue message of each kind of failure (a handler names its own). */
static enum diag_id jstream_message_of(enum jstream_failure kind)
{
    switch (kind) {
    case JSTREAM_DEPTH: return D_TOO_DEEP;
    case JSTREAM_TOKEN: return D_VALUE_TOO_LONG;
    case JSTREAM_UTF8: return D_INVALID_UTF8;
    default: return D_JSON_SYNTAX;
    }
}

static void jstream_fail_as(struct jstream *js, enum jstream_failure kind, enum diag_id id,
                            const char *detail, const struct jstream_pos *pos)
{
    if (js->failure != JSTREAM_OK)
        return; /* the first failure is the one that explains the rest */
    js->failure = kind;
    diag_fault_set(&js->fault, id, detail, NULL, pos->line, pos->col);
    js->fault_offset = pos->offset;
}

static void jstream_set_failure(struct jstream *js, enum jstream_failure kind, const char *detail,
                                const struct jstream_pos *pos)
{
    jstream_fail_as(js, kind, jstream_message_of(kind), detail, pos);
}

/* The token cap counts a token's bytes as written (quotes and escapes
 * included) from its first byte to end, the stream offset yajl has read up
 * to. Every check uses this one measure, on a token being read (at chunk
 * ends, at a yajl error) or complete (in its callback), so where the chunks
 * end never changes the outcome. Returns 1 after failing the stream. */
static int jstream_over_cap(struct jstream *js, const struct jstream_pos *start, uint64_t end)
{
    if (end - start->offset <= js->max_token)
        return 0;
    char cap[32];
    snprintf(cap, sizeof cap, "%zu-byte", js->max_token);
    jstream_set_failure(js, JSTREAM_TOKEN, cap, start);
    return 1;
}

/* Called at the top of every callback: returns where the token starts. */
static struct jstream_pos jstream_token(struct jstream *js)
{
    if (!js->finishing) {
        jstream_scan_to(js, yajl_get_bytes_consumed(js->yajl));
        js->token_end = js->cursor;
    }
    struct jstream_pos pos = js->have_start ? js->start : jstream_cursor_pos(js);
    js->have_start = 0;
    return pos;
}

static int jstream_value_done(struct jstream *js)
{
    js->after_map_value = js->depth != 0 && js->in_map[js->depth];
    if (js->depth != 0)
        return 1;
    js->documents++;
    return js->handler->document_end ? js->handler->document_end(js->ctx) : 1;
}

/* Length of the ASCII prefix of s, found a word at a time. */
static size_t jstream_ascii_prefix(const unsigned char *s, size_t len)
{
    size_t n = 0;
    while (len - n >= 8 && (jstream_load8(s + n) & JSTREAM_HIGHS) == 0)
        n += 8;
    while (n < len && s[n] < 0x80)
        n++;
    return n;
}

static int jstream_check_utf8(struct jstream *js, const unsigned char *s, size_t len,
                              const struct jstream_pos *pos)
{
    /* Most text is ASCII, and an ASCII byte is valid on its own: the strict
     * check from the first other byte on finds the same first invalid one. */
    size_t ascii = jstream_ascii_prefix(s, len);
    size_t bad = ascii == len
                     ? len
                     : ascii + sanitize_utf8_first_invalid((const char *)s + ascii, len - ascii);
    if (bad == len)
        return 1;
    char hex[8];
    snprintf(hex, sizeof hex, "0x%02X", s[bad]);
    jstream_set_failure(js, JSTREAM_UTF8, hex, pos);
    return 0;
}

static int jstream_check_text(struct jstream *js, const unsigned char *s, size_t len,
                              const struct jstream_pos *pos)
{
    if (!jstream_check_utf8(js, s, len, pos))
        return 0;
    if (js->bad_surrogate) {
        jstream_set_failure(js, JSTREAM_SYNTAX, "unpaired surrogate escape (\\uD800-\\uDFFF)", pos);
        return 0;
    }
    return 1;
}

static int jstream_open(struct jstream *js, const struct jstream_pos *pos, int map)
{
    if (js->depth >= js->max_depth) {
        char n[24];
        snprintf(n, sizeof n, "%u", js->max_depth);
        jstream_set_failure(js, JSTREAM_DEPTH, n, pos);
        return 0;
    }
    js->depth++;
    js->in_map[js->depth] = (unsigned char)map;
    return 1;
}

static int jstream_cb_start_map(void *ctx)
{
    struct jstream *js = ctx;
    struct jstream_pos pos = jstream_token(js);
    if (!jstream_open(js, &pos, 1))
        return 0;
    return js->handler->start_map(js->ctx, &pos);
}

static int jstream_cb_start_array(void *ctx)
{
    struct jstream *js = ctx;
    struct jstream_pos pos = jstream_token(js);
    if (!jstream_open(js, &pos, 0))
        return 0;
    return js->handler->start_array(js->ctx, &pos);
}

static int jstream_cb_end_map(void *ctx)
{
    struct jstream *js = ctx;
    (void)jstream_token(js);
    js->depth--;
    return js->handler->end_map(js->ctx) && jstream_value_done(js);
}

static int jstream_cb_end_array(void *ctx)
{
    struct jstream *js = ctx;
    (void)jstream_token(js);
    js->depth--;
    return js->handler->end_array(js->ctx) && jstream_value_done(js);
}

static int jstream_cb_key(void *ctx, const unsigned char *s, size_t len)
{
    struct jstream *js = ctx;
    struct jstream_pos pos = jstream_token(js);
    if (jstream_over_cap(js, &pos, js->cursor) || !jstream_check_text(js, s, len, &pos))
        return 0;
    return js->handler->key(js->ctx, (const char *)s, len, &pos);
}

static int jstream_scalar(struct jstream *js, enum jstream_scalar type, const char *s, size_t len)
{
    struct jstream_pos pos = jstream_token(js);
    if (jstream_over_cap(js, &pos, js->cursor))
        return 0;
    if (type == JSTREAM_STRING && !jstream_check_text(js, (const unsigned char *)s, len, &pos))
        return 0;
    return js->handler->scalar(js->ctx, type, s, len, &pos) && jstream_value_done(js);
}

static int jstream_cb_string(void *ctx, const unsigned char *s, size_t len)
{
    return jstream_scalar(ctx, JSTREAM_STRING, (const char *)s, len);
}

static int jstream_cb_number(void *ctx, const char *s, size_t len)
{
    return jstream_scalar(ctx, JSTREAM_NUMBER, s, len);
}

static int jstream_cb_boolean(void *ctx, int value)
{
    return jstream_scalar(ctx, value ? JSTREAM_TRUE : JSTREAM_FALSE, value ? "true" : "false",
                          value ? 4 : 5);
}

static int jstream_cb_null(void *ctx)
{
    return jstream_scalar(ctx, JSTREAM_NULL, "null", 4);
}

/* All callbacks are set: the position logic relies on every token being
 * reported. yajl_number keeps numbers as text (no locale, no overflow). */
static const yajl_callbacks jstream_callbacks = { jstream_cb_null,
                                                  jstream_cb_boolean,
                                                  NULL,
                                                  NULL,
                                                  jstream_cb_number,
                                                  jstream_cb_string,
                                                  jstream_cb_start_map,
                                                  jstream_cb_key,
                                                  jstream_cb_end_map,
                                                  jstream_cb_start_array,
                                                  jstream_cb_end_array };

struct jstream *jstream_alloc(const struct jstream_handler *handler, void *ctx, unsigned max_depth,
                              size_t max_token)
{
    struct jstream *js = xcalloc(1, sizeof *js);
    js->handler = handler;
    js->ctx = ctx;
    js->max_depth = max_depth ? max_depth : JSTREAM_DEFAULT_MAX_DEPTH;
    js->max_token = max_token ? max_token : JSTREAM_DEFAULT_MAX_TOKEN;
    js->in_map = xcalloc((size_t)js->max_depth + 1, 1);
    js->line = 1;
    js->yajl = yajl_alloc(&jstream_callbacks, &xalloc_yajl_funcs, js);
    /* Several documents in one file are real (a per-subscription loop that
     * appends). Never yajl_allow_partial_values: it accepts truncated files. */
    yajl_config(js->yajl, yajl_allow_multiple_values, 1);
    return js;
}

void jstream_free(struct jstream *js)
{
    if (js == NULL)
        return;
    yajl_free(js->yajl);
    free(js->in_map);
    diag_fault_clear(&js->fault);
    free(js);
}

/* yajl's words for it, so that the message is the same whoever finds it. */
#define JSTREAM_MISPLACED "parse error: after key and value, inside map, I expect ',' or '}'"

/* Turns a yajl error into our failure, positioned at the offending byte. */
static void jstream_take_yajl_error(struct jstream *js, size_t consumed)
{
    struct jstream_pos pos;
    if (js->finishing) {
        pos = jstream_cursor_pos(js);
    } else {
        /* The byte before the offset yajl stopped at, but not before the
         * end of the last token: the same byte however the text was cut. */
        uint64_t at = js->chunk_base + consumed;
        at = at > 0 ? at - 1 : 0;
        if (at < js->token_end)
            at = js->token_end;
        if (at >= js->cursor) {
            jstream_scan_to(js, (size_t)(at - js->chunk_base));
            pos = jstream_cursor_pos(js);
        } else {
            pos = js->last_byte; /* it ended the previous chunk */
        }
    }
    if (!js->finishing) {
        /* The token after a value in an object, if it is the culprit. */
        while (js->after_map_value && js->cursor < js->chunk_base + js->chunk_len)
            jstream_scan_to(js, (size_t)(js->cursor - js->chunk_base) + 1);
    }
    if (js->misplaced) {
        jstream_set_failure(js, JSTREAM_SYNTAX, JSTREAM_MISPLACED, &js->misplaced_pos);
        return;
    }
    /* A token already over the cap fails as too long, as it would have at
     * the end of an earlier, smaller chunk. */
    if (js->have_start && jstream_over_cap(js, &js->start, js->chunk_base + consumed))
        return;
    unsigned char *text = yajl_get_error(js->yajl, 0, NULL, 0);
    char *msg = xstrdup(text ? (const char *)text : "parse error");
    if (text)
        yajl_free_error(js->yajl, text);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '.'))
        msg[--n] = '\0';
    jstream_set_failure(js, JSTREAM_SYNTAX, msg, &pos);
    free(msg);
}

static int jstream_after(struct jstream *js, yajl_status st, size_t consumed)
{
    if (st == yajl_status_ok)
        return 0;
    if (st == yajl_status_client_canceled) {
        struct jstream_pos pos = jstream_cursor_pos(js);
        jstream_fail_as(js, JSTREAM_HANDLER, D_JSON_SYNTAX, "evidence rejected", &pos);
    } else {
        jstream_take_yajl_error(js, consumed);
    }
    return -1;
}

/* Feeds p[0..len) to yajl as one chunk, the stream's next bytes. */
static int jstream_feed_piece(struct jstream *js, const unsigned char *p, size_t len)
{
    js->chunk = p;
    js->chunk_len = len;
    yajl_status st = yajl_parse(js->yajl, js->chunk, len);
    if (jstream_after(js, st, yajl_get_bytes_consumed(js->yajl)) < 0)
        return -1;
    if (len > 0 && js->cursor < js->chunk_base + len) {
        /* Only needed when this scan passes the last byte: if a callback
         * did, the last token ends there and errors are placed after it. */
        jstream_scan_to(js, len - 1);
        js->last_byte = jstream_cursor_pos(js);
    }
    jstream_scan_to(js, len);
    js->chunk_base += len;
    if (js->misplaced) {
        jstream_set_failure(js, JSTREAM_SYNTAX, JSTREAM_MISPLACED, &js->misplaced_pos);
        return -1;
    }
    if (js->have_start && jstream_over_cap(js, &js->start, js->cursor))
        return -1;
    return 0;
}

/* A run of spaces this long is not worth a piece of its own below it. */
#define JSTREAM_GAP_MIN 32

/* Sixteen spaces at p (16-byte aligned). */
static int jstream_block_of_spaces(const unsigned char *p)
{
#if defined(__SSE2__) && defined(__GNUC__)
    __m128i w = _mm_load_si128((const __m128i *)(const void *)p);
    return _mm_movemask_epi8(_mm_cmpeq_epi8(w, _mm_set1_epi8(' '))) == 0xFFFF;
#else
    return jstream_load8(p) == JSTREAM_ONES * ' ' && jstream_load8(p + 8) == JSTREAM_ONES * ' ';
#endif
}

/* Where in p[0..len) the first run of at least JSTREAM_GAP_MIN spaces
 * starts, or len; *run gets its length. A run of 47 or more is never
 * missed. One aligned block of sixteen bytes in every 32 is looked at: a
 * quick look at the text. */
static size_t jstream_find_gap(const unsigned char *p, size_t len, size_t *run)
{
    size_t i = (size_t)(-(uintptr_t)p & 31); /* the first block at a multiple of 32 */
    while (i + 16 <= len) {
        if (!jstream_block_of_spaces(p + i)) {
            i += 32;
            continue;
        }
        size_t start = i;
        while (start > 0 && p[start - 1] == ' ')
            start--;
        size_t end = i + jstream_space_run(p + i, len - i, len - i);
        if (end - start >= JSTREAM_GAP_MIN) {
            *run = end - start;
            return start;
        }
        i = end + 1 + (size_t)(-(uintptr_t)(p + end + 1) & 31);
    }
    return len;
}

/* Yajl skips blanks between tokens byte by byte; a long run of spaces
 * (deep indentation, padding) is most of such a file. Outside a string and
 * with no token begun, spaces only move the column, so the stream takes
 * such a run past yajl: yajl gets the text before it and its first space
 * (which ends a number or literal as the whole run would), the scanner
 * counts the rest. Nothing else changes: yajl would have read the run
 * without effect, and every position is the scanner's. */
int jstream_feed(struct jstream *js, const char *buf, size_t len)
{
    if (js->failure != JSTREAM_OK)
        return -1;
    const unsigned char *p = (const unsigned char *)buf;
    size_t from = 0; /* p[0..from) is fed already */
    size_t look = 0; /* no gap to take before here */
    while (len - look > JSTREAM_GAP_MIN) {
        size_t run = 0;
        size_t gap = look + jstream_find_gap(p + look, len - look, &run);
        if (gap == len)
            break;
        if (jstream_feed_piece(js, p + from, gap + 1 - from) < 0)
            return -1;
        from = gap + 1;
        look = gap + run;
        if (js->esc_state != 0 || js->have_start)
            continue; /* inside a string or a token: yajl reads it */
        size_t skipped = run - 1;
        js->chars += skipped;
        js->cursor += skipped;
        js->chunk_base += skipped;
        js->last_byte = jstream_cursor_pos(js);
        js->last_byte.col--;
        js->last_byte.offset--;
        from = look;
    }
    return jstream_feed_piece(js, p + from, len - from);
}

int jstream_finish(struct jstream *js)
{
    if (js->failure != JSTREAM_OK)
        return -1;
    js->finishing = 1;
    yajl_status st = yajl_complete_parse(js->yajl);
    return jstream_after(js, st, 0);
}

void jstream_fail(struct jstream *js, enum diag_id id, const char *detail,
                  const struct jstream_pos *pos)
{
    struct jstream_pos here = pos ? *pos : jstream_cursor_pos(js);
    jstream_fail_as(js, JSTREAM_HANDLER, id, detail, &here);
}

const struct diag_fault *jstream_fault(const struct jstream *js)
{
    return &js->fault;
}

uint64_t jstream_fault_offset(const struct jstream *js)
{
    return js->fault_offset;
}

enum jstream_failure jstream_failure(const struct jstream *js)
{
    return js->failure;
}

int jstream_failed_at_end(const struct jstream *js)
{
    return js->failure != JSTREAM_OK && js->finishing;
}

unsigned long jstream_documents(const struct jstream *js)
{
    return js->documents;
}

int jstream_saw_content(const struct jstream *js)
{
    return js->saw_content;
}

struct jstream_pos jstream_position(const struct jstream *js)
{
    return jstream_cursor_pos(js);
}
