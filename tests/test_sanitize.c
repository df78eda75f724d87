/* SPDX-License-Identifier: ISC */
/* cmocka tests for the sanitize module: exact escapes, truncation, strict UTF-8 offsets and a libxml2 round trip. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "sanitize.h"

/*
 * Sanitises a string literal (embedded NULs included: the length comes
 * from sizeof) and asserts the exact output and replacement count.  A
 * macro, not a function, so that a failure names the caller's line.
 * Beware C's greedy \x escapes in inputs: write "\xE2\x82" "b", not
 * "\xE2\x82b".
 */
#define CHECK(lit, flags, max, want, nwant)                                                        \
    do {                                                                                           \
        size_t n_ = (size_t)-1;                                                                    \
        char *got_ = sanitize_text((lit), sizeof(lit) - 1, (flags), (max), &n_);                   \
        assert_string_equal(got_, (want));                                                         \
        assert_int_equal(n_, (nwant));                                                             \
        free(got_);                                                                                \
    } while (0)

#define KEEP SANITIZE_KEEP_NEWLINES
#define ONE SANITIZE_ONE_LINE

static void test_ascii_unchanged(void **state)
{
    (void)state;
    CHECK("plain ASCII, with punctuation: ~!@#$%^&*()_+{}|:\"?", KEEP, 0,
          "plain ASCII, with punctuation: ~!@#$%^&*()_+{}|:\"?", 0);
    CHECK("", KEEP, 0, "", 0);
    CHECK("", ONE, 0, "", 0);
}

/* sanitize_is_plain says exactly when sanitize_text would copy the text
 * unchanged. */
static void test_is_plain(void **state)
{
    (void)state;
    assert_true(sanitize_is_plain("soc@acme-corp.com ~", 19, 0));
    assert_true(sanitize_is_plain(NULL, 0, 0));
    assert_true(sanitize_is_plain("abcd", 4, 4));
    assert_false(sanitize_is_plain("abcde", 5, 4));       /* would be cut */
    assert_false(sanitize_is_plain("a\tb", 3, 0));        /* TAB: \t on one line */
    assert_false(sanitize_is_plain("a\x7f", 2, 0));       /* DEL */
    assert_false(sanitize_is_plain("caf\xc3\xa9", 5, 0)); /* valid, but not ASCII */
    assert_false(sanitize_is_plain("a\0b", 3, 0));
}

static void test_null_empty(void **state)
{
    size_t n = 99;
    char *got = sanitize_text(NULL, 0, ONE, 10, &n);

    (void)state;
    assert_string_equal(got, "");
    assert_int_equal(n, 0);
    free(got);
    /* changes may be NULL. */
    got = sanitize_text("x\x01", 2, KEEP, 0, NULL);
    assert_string_equal(got, "x\\u0001");
    free(got);
}

static void test_backslash_kept(void **state)
{
    (void)state;
    /* The escapes are a visual convention: input backslashes stay. */
    CHECK("C:\\x41\\u0000\\n", ONE, 0, "C:\\x41\\u0000\\n", 0);
}

static void test_multibyte_unchanged(void **state)
{
    (void)state;
    /* é U+00E9, € U+20AC, 😀 U+1F600 */
    CHECK("caf\xC3\xA9 \xE2\x82\xAC 5 \xF0\x9F\x98\x80", KEEP, 0,
          "caf\xC3\xA9 \xE2\x82\xAC 5 \xF0\x9F\x98\x80", 0);
    /* The edges of the ranges XML 1.0 allows. */
    CHECK("\xC2\xA0", KEEP, 0, "\xC2\xA0", 0);                 /* U+00A0 */
    CHECK("\xED\x9F\xBF", KEEP, 0, "\xED\x9F\xBF", 0);         /* U+D7FF */
    CHECK("\xEE\x80\x80", KEEP, 0, "\xEE\x80\x80", 0);         /* U+E000 */
    CHECK("\xEF\xBF\xBD", KEEP, 0, "\xEF\xBF\xBD", 0);         /* U+FFFD */
    CHECK("\xF0\x90\x80\x80", KEEP, 0, "\xF0\x90\x80\x80", 0); /* U+10000 */
    CHECK("\xF4\x8F\xBF\xBF", KEEP, 0, "\xF4\x8F\xBF\xBF", 0); /* U+10FFFF */
}

static void test_overlong(void **state)
{
    (void)state;
    CHECK("a\xC0\x80"
          "b",
          KEEP, 0, "a\\xC0\\x80b", 2);
    CHECK("\xC1\xBF", KEEP, 0, "\\xC1\\xBF", 2);
    CHECK("\xE0\x9F\xBF", KEEP, 0, "\\xE0\\x9F\\xBF", 3);
    CHECK("\xF0\x8F\xBF\xBF", KEEP, 0, "\\xF0\\x8F\\xBF\\xBF", 4);
}

static void test_surrogates(void **state)
{
    (void)state;
    CHECK("\xED\xA0\x80", KEEP, 0, "\\xED\\xA0\\x80", 3);
    /* What yajl produces for a lone "\uDC00". */
    CHECK("\xED\xB0\x80", KEEP, 0, "\\xED\\xB0\\x80", 3);
}

static void test_beyond_max(void **state)
{
    (void)state;
    CHECK("\xF5\x80\x80\x80", KEEP, 0, "\\xF5\\x80\\x80\\x80", 4);
    CHECK("\xF4\x90\x80\x80", KEEP, 0, "\\xF4\\x90\\x80\\x80", 4);
    CHECK("\xFF\xFE", KEEP, 0, "\\xFF\\xFE", 2);
}

static void test_lone_continuation(void **state)
{
    (void)state;
    CHECK("a\x80"
          "b",
          KEEP, 0, "a\\x80b", 1);
    CHECK("\xBF", KEEP, 0, "\\xBF", 1);
    /* A bad continuation is not swallowed: "(" survives. */
    CHECK("x\xC3(y", KEEP, 0, "x\\xC3(y", 1);
}

static void test_truncated_sequence(void **state)
{
    (void)state;
    CHECK("x\xE2\x82", KEEP, 0, "x\\xE2\\x82", 2);
    CHECK("\xE2\x82"
          "A",
          KEEP, 0, "\\xE2\\x82A", 2);
    CHECK("\xF0\x9F\x98", KEEP, 0, "\\xF0\\x9F\\x98", 3);
}

static void test_nul_and_controls(void **state)
{
    (void)state;
    CHECK("a\0b", KEEP, 0, "a\\u0000b", 1);
    CHECK("\x01", KEEP, 0, "\\u0001", 1);
    CHECK("\x1F", KEEP, 0, "\\u001F", 1);
    CHECK("\x1B[31m", KEEP, 0, "\\u001B[31m", 1);
    CHECK("\x7F", KEEP, 0, "\\u007F", 1);
    CHECK("\xC2\x80", KEEP, 0, "\\u0080", 1);
    CHECK("\xC2\x85", KEEP, 0, "\\u0085", 1);
    CHECK("\xC2\x9F", KEEP, 0, "\\u009F", 1);
}

static void test_noncharacters(void **state)
{
    (void)state;
    CHECK("\xEF\xBF\xBE", KEEP, 0, "\\uFFFE", 1);
    CHECK("\xEF\xBF\xBF", KEEP, 0, "\\uFFFF", 1);
}

static void test_newlines(void **state)
{
    (void)state;
    CHECK("a\tb\nc\rd\r\n", KEEP, 0, "a\tb\nc\rd\r\n", 0);
    CHECK("a\tb\nc\rd\r\n", ONE, 0, "a\\tb\\nc\\rd\\r\\n", 5);
}

static void test_markup_unchanged(void **state)
{
    (void)state;
    /* Escaping markup is the report writer's job (libxml2), not ours. */
    CHECK("]]> <script>alert(1)</script> &amp; \"'", ONE, 0,
          "]]> <script>alert(1)</script> &amp; \"'", 0);
}

static void test_truncation(void **state)
{
    (void)state;
    /* "a€b" is 61 E2 82 AC 62: a cut inside € backs off to before it. */
    CHECK("a\xE2\x82\xAC"
          "b",
          KEEP, 2, "a [... 4 more bytes]", 1);
    CHECK("a\xE2\x82\xAC"
          "b",
          KEEP, 3, "a [... 4 more bytes]", 1);
    CHECK("a\xE2\x82\xAC"
          "b",
          KEEP, 4, "a\xE2\x82\xAC [... 1 more bytes]", 1);
    CHECK("a\xE2\x82\xAC"
          "b",
          KEEP, 5,
          "a\xE2\x82\xAC"
          "b",
          0);
    CHECK("a\xE2\x82\xAC"
          "b",
          KEEP, 6,
          "a\xE2\x82\xAC"
          "b",
          0);
    CHECK("\xF0\x9F\x98\x80", KEEP, 3, " [... 4 more bytes]", 1);
    /* Bytes already invalid in the whole input are escaped up to the cut. */
    CHECK("ab\xE2\x82"
          "c",
          KEEP, 3, "ab\\xE2 [... 2 more bytes]", 2);
    /* Escapes do not count against max_bytes: it counts input bytes. */
    CHECK("\x01\x02\x03\x04", KEEP, 2, "\\u0001\\u0002 [... 2 more bytes]", 3);
}

static void test_changes_count(void **state)
{
    (void)state;
    CHECK("ok\x01\tok\xC0\x80\xEF\xBF\xBE\xE2\x82\xAC", ONE, 0,
          "ok\\u0001\\tok\\xC0\\x80\\uFFFE\xE2\x82\xAC", 5);
    CHECK("ok\x01\tok\xC0\x80\xEF\xBF\xBE\xE2\x82\xAC", KEEP, 0,
          "ok\\u0001\tok\\xC0\\x80\\uFFFE\xE2\x82\xAC", 4);
}

#define FIRST_INVALID(lit) sanitize_utf8_first_invalid((lit), sizeof(lit) - 1)
#define VALID(lit) sanitize_utf8_valid((lit), sizeof(lit) - 1)

static void test_first_invalid(void **state)
{
    (void)state;
    assert_int_equal(sanitize_utf8_first_invalid(NULL, 0), 0);
    assert_int_equal(FIRST_INVALID("abc"), 3);
    assert_int_equal(FIRST_INVALID("a\0b"), 3);         /* NUL is valid UTF-8 */
    assert_int_equal(FIRST_INVALID("\xEF\xBF\xBE"), 3); /* so is U+FFFE */
    assert_int_equal(FIRST_INVALID("ab\xC0\x80"), 2);
    assert_int_equal(FIRST_INVALID("\xC3\xA9\xED\xA0\x80"), 2);
    assert_int_equal(FIRST_INVALID("x\xE2\x82"), 1);
    assert_int_equal(FIRST_INVALID("\xE2\x82\xAC\x80"), 3);
    assert_int_equal(FIRST_INVALID("\xF0\x9F\x98\x80\xF5\x80\x80\x80"), 4);
    assert_int_equal(FIRST_INVALID("\xF4\x8F\xBF\xBF"), 4);
    assert_int_equal(FIRST_INVALID("\xF4\x90\x80\x80"), 0);
    assert_true(VALID("caf\xC3\xA9"));
    assert_true(VALID(""));
    assert_false(VALID("\xED\xB0\x80"));
    assert_false(VALID("\xFF"));
}

static void test_10k(void **state)
{
    enum { N = 10240 };
    char *in, *got;
    size_t i, n;

    (void)state;
    in = malloc(N);
    assert_non_null(in);

    /* 3413 euro signs and one "x": valid, so returned unchanged. */
    for (i = 0; i + 3 <= N; i += 3)
        memcpy(in + i, "\xE2\x82\xAC", 3);
    in[N - 1] = 'x';
    got = sanitize_text(in, N, ONE, 0, &n);
    assert_int_equal(n, 0);
    assert_int_equal(strlen(got), N);
    assert_memory_equal(got, in, N);
    free(got);

    /* Cut at 4096: back off to 4095 (1365 whole euro signs). */
    got = sanitize_text(in, N, ONE, 4096, &n);
    assert_int_equal(n, 1);
    assert_memory_equal(got, in, 4095);
    assert_string_equal(got + 4095, " [... 6145 more bytes]");
    free(got);

    /* All NULs: the worst case, 6 output bytes per input byte. */
    memset(in, 0, N);
    got = sanitize_text(in, N, KEEP, 0, &n);
    assert_int_equal(n, N);
    assert_int_equal(strlen(got), 6 * N);
    for (i = 0; i < N; i++)
        assert_memory_equal(got + 6 * i, "\\u0000", 6);
    free(got);
    free(in);
}

/*
 * An independent reference for strict UTF-8: decode by bit pattern, then
 * reject overlong forms, surrogates and code points above U+10FFFF.  It
 * differs in method from the module's range table on purpose.  Returns
 * the sequence length, or 0 if p[0] does not start a valid one.
 */
static size_t ref_decode(const unsigned char *p, size_t avail, uint32_t *cp)
{
    static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 };
    uint32_t c;
    size_t n, i;

    if (p[0] < 0x80)
        n = 1, c = p[0];
    else if ((p[0] & 0xE0) == 0xC0)
        n = 2, c = p[0] & 0x1F;
    else if ((p[0] & 0xF0) == 0xE0)
        n = 3, c = p[0] & 0x0F;
    else if ((p[0] & 0xF8) == 0xF0)
        n = 4, c = p[0] & 0x07;
    else
        return 0;
    if (avail < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < least[n] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        return 0;
    *cp = c;
    return n;
}

static size_t ref_first_invalid(const unsigned char *p, size_t len)
{
    size_t i = 0, n;
    uint32_t c;

    while (i < len) {
        if ((n = ref_decode(p + i, len - i, &c)) == 0)
            return i;
        i += n;
    }
    return len;
}

/* XML 1.0 Char, minus what the module promises to escape as well. */
static int ref_allowed(uint32_t c, unsigned flags)
{
    if (c == 0x9 || c == 0xA || c == 0xD)
        return !(flags & SANITIZE_ONE_LINE);
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
        return 0;
    return c <= 0xD7FF || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Checks one input against the reference and the output's promises. */
static void check_one(const unsigned char *in, size_t len, unsigned flags)
{
    const char *s = (const char *)in;
    char *got;
    size_t n, glen, i, k;
    uint32_t c;
    int clean = 1;

    assert_int_equal(sanitize_utf8_first_invalid(s, len), ref_first_invalid(in, len));
    got = sanitize_text(s, len, flags, 0, &n);
    glen = strlen(got);
    for (i = 0; i < glen; i += k) {
        k = ref_decode((const unsigned char *)got + i, glen - i, &c);
        assert_int_not_equal(k, 0);
        assert_true(ref_allowed(c, flags));
    }
    for (i = 0; i < len && clean; i += k)
        if ((k = ref_decode(in + i, len - i, &c)) == 0 || !ref_allowed(c, flags))
            clean = 0;
    /* Clean input comes back byte for byte; anything else is counted. */
    if (clean) {
        assert_int_equal(n, 0);
        assert_int_equal(glen, len);
        assert_memory_equal(got, in, len);
    } else
        assert_true(n > 0 && glen > len);
    free(got);
}

static void test_exhaustive_short(void **state)
{
    unsigned char b[3];
    unsigned x;

    (void)state;
    for (x = 0; x < 0x100; x++) {
        b[0] = (unsigned char)x;
        check_one(b, 1, KEEP);
        check_one(b, 1, ONE);
    }
    for (x = 0; x < 0x10000; x++) {
        b[0] = (unsigned char)(x >> 8);
        b[1] = (unsigned char)x;
        check_one(b, 2, KEEP);
    }
    /* Every 3-byte string with a 3- or 4-byte lead. */
    for (x = 0xE00000; x < 0x1000000; x++) {
        b[0] = (unsigned char)(x >> 16);
        b[1] = (unsigned char)(x >> 8);
        b[2] = (unsigned char)x;
        check_one(b, 3, KEEP);
    }
}

static void test_random_sequences(void **state)
{
    /* Bytes where the decoder's decisions change. */
    static const unsigned char alphabet[] = {
        0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x41, 0x5C, 0x7F, 0x80, 0x85,
        0x8F, 0x90, 0x9F, 0xA0, 0xBE, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
        0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF
    };
    unsigned char b[8];
    uint32_t seed = 12345;
    size_t len, i;
    int round;

    (void)state;
    for (round = 0; round < 200000; round++) {
        /* A fixed LCG keeps failures reproducible. */
        seed = seed * 1103515245u + 12345u;
        len = 4 + (seed >> 16) % 5;
        for (i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            b[i] = alphabet[(seed >> 16) % sizeof(alphabet)];
        }
        check_one(b, len, (round & 1) ? ONE : KEEP);
    }
}

/*
 * The reason the module exists: libxml2's writer passes bad bytes
 * through.  After sanitising, the writer's output must be well-formed and
 * give back exactly the sanitised text as element content and attribute.
 */
static void round_trip(unsigned flags)
{
    static const char hostile[] = "a\0b\x01\x1F\x7F"
                                  "\xC2\x85"
                                  "\xEF\xBF\xBE"
                                  "\xEF\xBF\xBF"
                                  "\xC0\x80"
                                  "\xED\xA0\x80"
                                  "\xED\xB0\x80"
                                  "\xF5\x80\x80\x80"
                                  "\x80"
                                  " t\tl\nc\r crlf\r\n ]]> <script>&amp;\"' \\x41 "
                                  "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE2\x82";
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
    xmlDocPtr doc;
    xmlNodePtr root;
    xmlChar *text, *attr;
    char *clean;

    clean = sanitize_text(hostile, sizeof(hostile) - 1, flags, 0, NULL);
    assert_true(sanitize_utf8_valid(clean, strlen(clean)));

    buf = xmlBufferCreate();
    assert_non_null(buf);
    w = xmlNewTextWriterMemory(buf, 0);
    assert_non_null(w);
    assert_true(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) >= 0);
    assert_true(xmlTextWriterStartElement(w, BAD_CAST "evidence") >= 0);
    assert_true(xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST clean) >= 0);
    assert_true(xmlTextWriterWriteString(w, BAD_CAST clean) >= 0);
    assert_true(xmlTextWriterEndElement(w) >= 0);
    assert_true(xmlTextWriterEndDocument(w) >= 0);
    xmlFreeTextWriter(w);

    /* Without XML_PARSE_RECOVER any well-formedness error gives NULL. */
    doc = xmlReadMemory((const char *)xmlBufferContent(buf), xmlBufferLength(buf), "round-trip.xml",
                        NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    root = xmlDocGetRootElement(doc);
    assert_non_null(root);
    text = xmlNodeGetContent(root);
    attr = xmlGetProp(root, BAD_CAST "value");
    assert_non_null(text);
    assert_non_null(attr);
    assert_string_equal((const char *)text, clean);
    assert_string_equal((const char *)attr, clean);

    xmlFree(text);
    xmlFree(attr);
    xmlFreeDoc(doc);
    xmlBufferFree(buf);
    free(clean);
}

static void test_libxml2_round_trip(void **state)
{
    (void)state;
    round_trip(KEEP);
    round_trip(ONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_unchanged),
        cmocka_unit_test(test_is_plain),
        cmocka_unit_test(test_null_empty),
        cmocka_unit_test(test_backslash_kept),
        cmocka_unit_test(test_multibyte_unchanged),
        cmocka_unit_test(test_overlong),
        cmocka_unit_test(test_surrogates),
        cmocka_unit_test(test_beyond_max),
        cmocka_unit_test(test_lone_continuation),
        cmocka_unit_test(test_truncated_sequence),
        cmocka_unit_test(test_nul_and_controls),
        cmocka_unit_test(test_noncharacters),
        cmocka_unit_test(test_newlines),
        cmocka_unit_test(test_markup_unchanged),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_changes_count),
        cmocka_unit_test(test_first_invalid),
        cmocka_unit_test(test_10k),
        cmocka_unit_test(test_exhaustive_short),
        cmocka_unit_test(test_random_sequences),
        cmocka_unit_test(test_libxml2_round_trip),
    };

    return cmocka_run_group_tests_name("sanitize", tests, NULL, NULL) == 0 ? 0 : 1;
}
