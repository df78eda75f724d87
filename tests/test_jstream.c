/* SPDX-License-Identifier: ISC */
/* Unit tests for jstream.c: token positions (also across chunk boundaries),
 * the depth and token caps, strict UTF-8, truncation and document counts. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jstream.h"

/* Records every event as one line "KIND line:col[ text]". */
struct rec {
    char buf[8192];
    size_t len;
    unsigned long ends;
};

static void rec_add(struct rec *r, const char *kind, const struct jstream_pos *pos,
                    const char *text, size_t len)
{
    int n;
    if (pos)
        n = snprintf(r->buf + r->len, sizeof r->buf - r->len, "%s %lu:%lu", kind, pos->line,
                     pos->col);
    else
        n = snprintf(r->buf + r->len, sizeof r->buf - r->len, "%s", kind);
    assert_true(n > 0 && (size_t)n < sizeof r->buf - r->len);
    r->len += (size_t)n;
    if (text) {
        assert_true(r->len + len + 3 < sizeof r->buf);
        r->buf[r->len++] = ' ';
        memcpy(r->buf + r->len, text, len);
        r->len += len;
    }
    r->buf[r->len++] = '\n';
    r->buf[r->len] = '\0';
}

static int h_start_map(void *ctx, const struct jstream_pos *pos)
{
    rec_add(ctx, "{", pos, NULL, 0);
    return 1;
}

static int h_end_map(void *ctx)
{
    rec_add(ctx, "}", NULL, NULL, 0);
    return 1;
}

static int h_start_array(void *ctx, const struct jstream_pos *pos)
{
    rec_add(ctx, "[", pos, NULL, 0);
    return 1;
}

static int h_end_array(void *ctx)
{
    rec_add(ctx, "]", NULL, NULL, 0);
    return 1;
}

static int h_key(void *ctx, const char *text, size_t len, const struct jstream_pos *pos)
{
    rec_add(ctx, "K", pos, text, len);
    return 1;
}

static int h_scalar(void *ctx, enum jstream_scalar type, const char *text, size_t len,
                    const struct jstream_pos *pos)
{
    static const char *kinds[] = { "S", "N", "T", "F", "Z" };
    rec_add(ctx, kinds[type], pos, text, len);
    return 1;
}

static int h_document_end(void *ctx)
{
    struct rec *r = ctx;
    r->ends++;
    rec_add(ctx, "END", NULL, NULL, 0);
    return 1;
}

static const struct jstream_handler handler = { h_start_map, h_end_map, h_start_array, h_end_array,
                                                h_key,       h_scalar,  h_document_end };

/* Feeds text in chunks of chunk bytes (0: all at once), then finishes.
 * Each chunk is a copy in a buffer of its own size, so that the sanitizer
 * build catches a read past its end (the scanner reads words of 8 bytes).
 * Returns 0 or -1 as jstream does; *out is the stream (caller frees). */
static int run(const char *text, size_t len, size_t chunk, unsigned max_depth, size_t max_token,
               struct rec *r, struct jstream **out)
{
    memset(r, 0, sizeof *r);
    struct jstream *js = jstream_alloc(&handler, r, max_depth, max_token);
    assert_non_null(js);
    *out = js;
    if (chunk == 0)
        chunk = len ? len : 1;
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        char *copy = malloc(n);
        assert_non_null(copy);
        memcpy(copy, text + off, n);
        int rc = jstream_feed(js, copy, n);
        free(copy);
        if (rc != 0)
            return -1;
    }
    return jstream_finish(js);
}

/* Line 1 and 2 end in CRLF; line 3 has "é" (2 bytes, one column) before
 * the value. */
static const char crlf_text[] = "{\r\n  \"a\": 1,\r\n  \"\xc3\xa9\": \"v\\u00e9\"\r\n}\r\n";

static void test_positions_crlf_utf8(void **state)
{
    (void)state;
    struct rec r;
    struct jstream *js;
    assert_int_equal(run(crlf_text, strlen(crlf_text), 0, 0, 0, &r, &js), 0);
    assert_string_equal(r.buf, "{ 1:1\n"
                               "K 2:3 a\n"
                               "N 2:8 1\n"
                               "K 3:3 \xc3\xa9\n"
                               "S 3:8 v\xc3\xa9\n"
                               "}\n"
                               "END\n");
    assert_int_equal(jstream_documents(js), 1);
    assert_int_equal(jstream_saw_content(js), 1);
    jstream_free(js);
}

static void test_positions_any_chunking(void **state)
{
    (void)state;
    struct rec whole, part;
    struct jstream *js;
    assert_int_equal(run(crlf_text, strlen(crlf_text), 0, 0, 0, &whole, &js), 0);
    jstream_free(js);
    for (size_t chunk = 1; chunk <= 31; chunk++) {
        assert_int_equal(run(crlf_text, strlen(crlf_text), chunk, 0, 0, &part, &js), 0);
        assert_string_equal(part.buf, whole.buf);
        jstream_free(js);
    }
}

/* What a text must fail with, at every read size from 0 (one chunk) to
 * max_chunk: the failure kind, a word of the message (NULL: any message),
 * and line, col and offset where they are given (0, 0 and -1 to skip). */
struct want_failure {
    enum jstream_failure kind;
    const char *needle;
    unsigned long line, col;
    long long offset;
    unsigned max_depth;
    size_t max_token;
};

static void expect_failure(const char *text, size_t max_chunk, const struct want_failure *w)
{
    for (size_t chunk = 0; chunk <= max_chunk; chunk++) {
        struct rec r;
        struct jstream *js;
        assert_int_equal(run(text, strlen(text), chunk, w->max_depth, w->max_token, &r, &js), -1);
        assert_int_equal(jstream_failure(js), w->kind);
        const struct diag_fault *f = jstream_fault(js);
        assert_true(diag_faulted(f));
        assert_non_null(f->arg[0]);
        if (w->needle)
            assert_non_null(strstr(f->arg[0], w->needle));
        if (w->line)
            assert_int_equal(f->line, w->line);
        if (w->col)
            assert_int_equal(f->col, w->col);
        if (w->offset >= 0)
            assert_int_equal(jstream_fault_offset(js), (uint64_t)w->offset);
        jstream_free(js);
    }
}

static void test_depth_cap(void **state)
{
    (void)state;
    char text[200];
    /* 65 '[' on line 1, after a leading space: the 65th is at column 66. */
    text[0] = ' ';
    memset(text + 1, '[', 65);
    memset(text + 66, ']', 65);
    text[131] = '\0';
    expect_failure(text, 7, &(struct want_failure){ JSTREAM_DEPTH, NULL, 1, 66, 65, 64, 0 });
    /* 64 levels are fine. */
    struct rec r;
    struct jstream *js;
    text[65] = ']';
    text[129] = '\0';
    assert_int_equal(run(text + 1, strlen(text + 1), 0, 64, 0, &r, &js), 0);
    assert_int_equal(jstream_documents(js), 1);
    jstream_free(js);
}

static void test_token_cap(void **state)
{
    (void)state;
    char text[300];
    text[0] = '[';
    text[1] = '"';
    memset(text + 2, 'x', 150);
    strcpy(text + 152, "\"]");
    /* The cap counts the token as written, quotes included, whether it
     * came in one chunk (0) or many. */
    expect_failure(text, 31, &(struct want_failure){ JSTREAM_TOKEN, NULL, 1, 2, -1, 0, 100 });
    /* A short string is fine under the same cap. */
    struct rec r;
    struct jstream *js;
    assert_int_equal(run("[\"xxxx\"]", 8, 0, 0, 100, &r, &js), 0);
    jstream_free(js);
}

static void test_overlong_utf8(void **state)
{
    (void)state;
    const char text[] = "[\"soc\xc0\x80@initech.io\"]";
    expect_failure(text, 5, &(struct want_failure){ JSTREAM_UTF8, "0xC0", 1, 0, -1, 0, 0 });
}

static void test_lone_low_surrogate(void **state)
{
    (void)state;
    const char text[] = "[\"a\\uDC00b\"]";
    struct rec r;
    struct jstream *js;
    assert_int_equal(run(text, strlen(text), 0, 0, 0, &r, &js), -1);
    assert_int_equal(jstream_failure(js), JSTREAM_UTF8);
    jstream_free(js);
}

/* yajl turns these into '?' or U+10000 without a word; a pair is fine. */
static void test_unpaired_high_surrogate(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "[\"a\\uD800b\"]",  "[\"a\\uD800\"]",  "[\"\\uD800\\uD800\"]",
        "[\"\\udbff\\n\"]", "{\"\\uD800\":1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_failure(bad[i], 7,
                       &(struct want_failure){ JSTREAM_SYNTAX, "surrogate", 0, 2, -1, 0, 0 });
    const char good[] = "[\"\\uD83D\\uDE00 \\\" \\\\uD800\"]";
    struct rec r;
    struct jstream *js;
    assert_int_equal(run(good, strlen(good), 1, 0, 0, &r, &js), 0);
    jstream_free(js);
}

/* Expects text to give the events in want at every read size 0..31. */
static void expect_events(const char *text, const char *want)
{
    for (size_t chunk = 0; chunk <= 31; chunk++) {
        struct rec r;
        struct jstream *js;
        assert_int_equal(run(text, strlen(text), chunk, 0, 0, &r, &js), 0);
        assert_string_equal(r.buf, want);
        jstream_free(js);
    }
}

/* Expects text to fail on an unpaired surrogate in the string at column col
 * of line 1, at every read size 0..31. */
static void expect_surrogate_error(const char *text, unsigned long col)
{
    expect_failure(text, 31,
                   &(struct want_failure){ JSTREAM_SYNTAX, "surrogate", 1, col, -1, 0, 0 });
}

/* The scanner skips string content and spaces 8 bytes at a time: a string
 * that ends at every place in a word, after every shift of the word grid,
 * and the tokens after it keep their columns. */
static void test_string_ends_anywhere_in_word(void **state)
{
    (void)state;
    for (int pad = 0; pad <= 8; pad++) {
        for (int len = 0; len <= 17; len++) {
            char text[128], want[256], x[32];
            memset(x, 'x', (size_t)len);
            x[len] = '\0';
            snprintf(text, sizeof text, "[%*s\"%s\", 1]", pad, "", x);
            snprintf(want, sizeof want, "[ 1:1\nS 1:%d %s\nN 1:%d 1\n]\nEND\n", pad + 2, x,
                     pad + len + 6);
            expect_events(text, want);
            /* The string must also be seen to end: an unpaired surrogate
             * in the next one is still found. */
            snprintf(text, sizeof text, "[%*s\"%s\", \"\\uD800\"]", pad, "", x);
            expect_surrogate_error(text, pad + len + 6);
        }
    }
}

/* Columns count characters: 2-, 3- and 4-byte ones at every offset in a
 * word, so that some straddle a word (and, read in small chunks, a chunk)
 * boundary; an escaped quote and backslash inside the string; then a
 * newline and indentation shorter than, as long as and longer than one or
 * two words. */
static void test_multibyte_columns(void **state)
{
    (void)state;
    static const char wide[] =
        "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    static const int indents[] = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 19 };
    for (int pad = 0; pad <= 8; pad++) {
        for (size_t k = 0; k < sizeof indents / sizeof *indents; k++) {
            int indent = indents[k];
            char text[256], want[512], a[16];
            memset(a, 'a', (size_t)pad);
            a[pad] = '\0';
            /* "z" comes after [" (2), a (pad), wide (6 characters), the
             * two escapes as written (4) and ", (3): column pad + 16. */
            snprintf(text, sizeof text, "[\"%s%s\\\"\\\\\", \"z\",\n%*s{\"k\": \"%s\"}]", a, wide,
                     indent, "", wide);
            snprintf(want, sizeof want,
                     "[ 1:1\nS 1:2 %s%s\"\\\nS 1:%d z\n{ 2:%d\nK 2:%d k\nS 2:%d %s\n}\n]\nEND\n", a,
                     wide, pad + 16, indent + 1, indent + 2, indent + 7, wide);
            expect_events(text, want);
        }
    }
}

/* Invalid UTF-8 after an ASCII prefix of every length (the strict check
 * skips ASCII a word at a time) is still found, and valid text passes. */
static void test_utf8_after_ascii_prefix(void **state)
{
    (void)state;
    for (int pad = 0; pad <= 17; pad++) {
        char text[128], a[32];
        memset(a, 'a', (size_t)pad);
        a[pad] = '\0';
        snprintf(text, sizeof text, "[\"%s\xc0\x80%s\"]", a, a);
        expect_failure(text, 0, &(struct want_failure){ JSTREAM_UTF8, "0xC0", 0, 2, -1, 0, 0 });
        snprintf(text, sizeof text, "[\"%s\xc3\xa9%s\"]", a, a);
        struct rec r;
        struct jstream *js;
        assert_int_equal(run(text, strlen(text), 0, 0, 0, &r, &js), 0);
        jstream_free(js);
    }
}

static void test_premature_eof(void **state)
{
    (void)state;
    const char text[] = "{\n  \"value\": [\n    {\"id\": \"/subscr";
    /* End of text: line 3, after the 19 characters of that line. */
    expect_failure(
        text, 31,
        &(struct want_failure){ JSTREAM_SYNTAX, NULL, 3, 20, (long long)strlen(text), 0, 0 });
}

/* A value inside an object must be followed by ',' or '}' (blanks between
 * are allowed): anything else is the error, at that byte, whatever the
 * read size. A comma after a value and then more members is no error. */
static void test_after_object_value(void **state)
{
    (void)state;
    expect_failure("{\"a\": 1 \"b\": 2}", 17,
                   &(struct want_failure){ JSTREAM_SYNTAX, "expect ',' or '}'", 1, 9, 8, 0, 0 });
    expect_failure("{\"a\": [1, 2]\n  :\"b\"}", 23,
                   &(struct want_failure){ JSTREAM_SYNTAX, "expect ',' or '}'", 2, 3, 15, 0, 0 });
    expect_failure("{\"a\": {\"b\": \"c\"} ]", 20,
                   &(struct want_failure){ JSTREAM_SYNTAX, "expect ',' or '}'", 1, 18, 17, 0, 0 });
    const char good[] = "{\"a\": 1 ,\n \"b\": [1 , 2],\"c\":{\"d\":\"e\" } }";
    struct rec whole, part;
    struct jstream *js;
    assert_int_equal(run(good, strlen(good), 0, 0, 0, &whole, &js), 0);
    jstream_free(js);
    for (size_t chunk = 1; chunk <= sizeof good; chunk++) {
        assert_int_equal(run(good, strlen(good), chunk, 0, 0, &part, &js), 0);
        assert_string_equal(part.buf, whole.buf);
        jstream_free(js);
    }
    assert_non_null(strstr(whole.buf, "K 2:2 b\n[ 2:7\nN 2:8 1\nN 2:12 2\n]\nK 2:15 c\n"));
}

static void test_concatenated_documents(void **state)
{
    (void)state;
    const char text[] = "{\"a\":1}{\"b\":2}\n[3]\n\"s\" null";
    for (size_t chunk = 0; chunk <= 31; chunk++) {
        struct rec r;
        struct jstream *js;
        assert_int_equal(run(text, strlen(text), chunk, 0, 0, &r, &js), 0);
        assert_int_equal(jstream_documents(js), 5);
        assert_int_equal(r.ends, 5);
        jstream_free(js);
    }
}

static void test_whitespace_only(void **state)
{
    (void)state;
    const char text[] = " \t\r\n  \n";
    struct rec r;
    struct jstream *js;
    memset(&r, 0, sizeof r);
    js = jstream_alloc(&handler, &r, 0, 0);
    assert_int_equal(jstream_feed(js, text, strlen(text)), 0);
    assert_int_equal(jstream_saw_content(js), 0);
    assert_int_equal(jstream_documents(js), 0);
    jstream_free(js);
}

/* A run of spaces, found by words of 16 or 8 bytes then byte by byte, ends
 * at the first other byte or at limit, wherever either falls against the
 * word size. The text is a heap block of exactly avail bytes, so that a
 * read past it is an error under AddressSanitizer and valgrind. */
static void test_space_run(void **state)
{
    (void)state;
    for (size_t avail = 0; avail <= 48; avail++) {
        for (size_t spaces = 0; spaces <= avail; spaces++) {
            unsigned char *text = malloc(avail ? avail : 1); /* malloc(0) may be NULL */
            assert_non_null(text);
            memset(text, 'x', avail);
            memset(text, ' ', spaces);
            for (size_t limit = 0; limit <= avail; limit++)
                assert_int_equal(jstream_space_run(text, limit, avail),
                                 spaces < limit ? spaces : limit);
            free(text);
        }
    }
}

/* What one run of a text gave: its events, or its failure and where. */
struct outcome {
    struct rec r;
    int rc;
    enum jstream_failure kind;
    char message[256];
    unsigned long line, col;
    uint64_t offset;
    struct jstream_pos end;
};

static void outcome_of(const char *text, size_t chunk, size_t max_token, struct outcome *o)
{
    struct jstream *js;
    memset(o, 0, sizeof *o);
    o->rc = run(text, strlen(text), chunk, 0, max_token, &o->r, &js);
    o->kind = jstream_failure(js);
    const struct diag_fault *f = jstream_fault(js);
    if (diag_faulted(f)) {
        snprintf(o->message, sizeof o->message, "%s|%s", f->arg[0] ? f->arg[0] : "",
                 f->arg[1] ? f->arg[1] : "");
        o->line = f->line;
        o->col = f->col;
        o->offset = jstream_fault_offset(js);
    }
    o->end = jstream_position(js);
    jstream_free(js);
}

/* A long run of spaces between tokens goes past yajl. Read a byte at a
 * time no run is ever long enough, so that is how yajl alone sees the
 * text: at every other read size the events, or the failure, its message
 * and its place, and the end position of a text read whole are the same. */
static void expect_as_yajl_alone(const char *text, size_t max_token)
{
    struct outcome alone, o;
    outcome_of(text, 1, max_token, &alone);
    size_t len = strlen(text);
    for (size_t chunk = 0; chunk <= len + 1; chunk += chunk < 80 ? 1 : 37) {
        outcome_of(text, chunk, max_token, &o);
        assert_int_equal(o.rc, alone.rc);
        assert_string_equal(o.r.buf, alone.r.buf);
        assert_int_equal(o.kind, alone.kind);
        assert_string_equal(o.message, alone.message);
        assert_int_equal(o.line, alone.line);
        assert_int_equal(o.col, alone.col);
        assert_int_equal(o.offset, alone.offset);
        if (alone.rc == 0) { /* (after a failure, the stream stopped where its read did) */
            assert_int_equal(o.end.line, alone.end.line);
            assert_int_equal(o.end.col, alone.end.col);
            assert_int_equal(o.end.offset, alone.end.offset);
        }
    }
}

/* Each '_' of a template becomes a run of n spaces. */
static void expect_runs_as_yajl_alone(const char *template, size_t max_token)
{
    static const size_t runs[] = { 1, 31, 32, 33, 39, 40, 41, 47, 48, 64, 100 };
    for (size_t k = 0; k < sizeof runs / sizeof *runs; k++) {
        char text[4096];
        size_t len = 0;
        for (const char *t = template; *t; t++) {
            size_t n = *t == '_' ? runs[k] : 1;
            assert_true(len + n < sizeof text);
            memset(text + len, *t == '_' ? ' ' : *t, n);
            len += n;
        }
        text[len] = '\0';
        expect_as_yajl_alone(text, max_token);
    }
}

static void test_long_space_runs(void **state)
{
    (void)state;
    static const char *const good[] = {
        "_{_\"a\"_:_1_,_\"b\"_:_[_1_,_2.5_,_true_,_null_]_}_",
        "{\n_\"value\":\n_[\n_{\"id\": \"x\"}\n_]\n}\n_",
        "[\"_inside_a string_\", \"_\", 1]",
        "[\"\\u00e9_\\n_\"]_",
        "{\"a\":1}_[2]_\"s\"_null",
        "_",
    };
    static const char *const bad[] = {
        "[1_2]",               /* a number ended by the run, then no comma */
        "{\"a\": 1_\"b\": 2}", /* after an object's value: ',' or '}' */
        "[_x]",                /* a bad byte right after the run */
        "[1,_]",               /* a bracket where a value must be */
        "[tr_ue]",             /* a literal cut by the run */
        "{\"a\":_",            /* the text ends after the run */
        "[\"_\\uD800_\"]",     /* an unpaired surrogate escape in a string of runs */
        "[\"_\x01\"]",         /* a control character after a run in a string */
        "_}",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        expect_runs_as_yajl_alone(good[i], 0);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_runs_as_yajl_alone(bad[i], 0);
    /* A string of spaces over the token cap fails as too long, at its start. */
    expect_runs_as_yajl_alone("[_\"___\"]", 90);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions_crlf_utf8),
        cmocka_unit_test(test_space_run),
        cmocka_unit_test(test_after_object_value),
        cmocka_unit_test(test_positions_any_chunking),
        cmocka_unit_test(test_depth_cap),
        cmocka_unit_test(test_token_cap),
        cmocka_unit_test(test_overlong_utf8),
        cmocka_unit_test(test_lone_low_surrogate),
        cmocka_unit_test(test_unpaired_high_surrogate),
        cmocka_unit_test(test_string_ends_anywhere_in_word),
        cmocka_unit_test(test_multibyte_columns),
        cmocka_unit_test(test_utf8_after_ascii_prefix),
        cmocka_unit_test(test_premature_eof),
        cmocka_unit_test(test_concatenated_documents),
        cmocka_unit_test(test_whitespace_only),
        cmocka_unit_test(test_long_space_runs),
    };
    return cmocka_run_group_tests_name("jstream", tests, NULL, NULL) == 0 ? 0 : 1;
}
