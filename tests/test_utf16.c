/* SPDX-License-Identifier: ISC */
/* Unit tests for utf16.c: exact conversions, where it stops and why, and
 * agreement with glibc's iconv on every short sequence of edge code units. */
#include "util.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "utf16.h"

struct run {
    enum utf16_status status;
    size_t consumed;
    size_t produced;
    char out[64];
};

static struct run run_decode(enum utf16_order order, const unsigned char *in, size_t len,
                             size_t room)
{
    struct run r;
    memset(&r, 0, sizeof r);
    const unsigned char *src = in;
    size_t left = len;
    char *dst = r.out;
    size_t space = room;
    r.status = utf16_decode(order, &src, &left, &dst, &space);
    assert_int_equal(len - left, (size_t)(src - in));
    assert_int_equal(room - space, (size_t)(dst - r.out));
    r.consumed = len - left;
    r.produced = room - space;
    return r;
}

static void test_converts_every_length(void **state)
{
    (void)state;
    /* "A", U+00E9, U+20AC, U+1F600, U+FEFF kept, U+FFFF kept */
    static const unsigned char le[] = { 'A',  0,    0xE9, 0,    0xAC, 0x20, 0x3D,
                                        0xD8, 0x00, 0xDE, 0xFF, 0xFE, 0xFF, 0xFF };
    static const char want[] = "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBB\xBF\xEF\xBF\xBF";
    struct run r = run_decode(UTF16_LE, le, sizeof le, 64);
    assert_int_equal(r.status, UTF16_DONE);
    assert_int_equal(r.consumed, sizeof le);
    assert_int_equal(r.produced, sizeof want - 1);
    assert_memory_equal(r.out, want, sizeof want - 1);
    unsigned char be[sizeof le];
    for (size_t i = 0; i < sizeof le; i += 2) {
        be[i] = le[i + 1];
        be[i + 1] = le[i];
    }
    r = run_decode(UTF16_BE, be, sizeof be, 64);
    assert_int_equal(r.status, UTF16_DONE);
    assert_int_equal(r.produced, sizeof want - 1);
    assert_memory_equal(r.out, want, sizeof want - 1);
}

static void test_unpaired_surrogates_stop_at_the_unit(void **state)
{
    (void)state;
    static const unsigned char lone_low[] = { 'a', 0, 0x00, 0xDC, 'b', 0 };
    struct run r = run_decode(UTF16_LE, lone_low, sizeof lone_low, 64);
    assert_int_equal(r.status, UTF16_INVALID);
    assert_int_equal(r.consumed, 2);
    assert_int_equal(r.produced, 1);
    static const unsigned char high_then_letter[] = { 0xD8, 0x3D, 0x00, 'x' };
    r = run_decode(UTF16_BE, high_then_letter, sizeof high_then_letter, 64);
    assert_int_equal(r.status, UTF16_INVALID);
    assert_int_equal(r.consumed, 0);
    static const unsigned char two_highs[] = { 0x3D, 0xD8, 0x3D, 0xD8, 0x00, 0xDE };
    r = run_decode(UTF16_LE, two_highs, sizeof two_highs, 64);
    assert_int_equal(r.status, UTF16_INVALID);
    assert_int_equal(r.consumed, 0);
}

static void test_incomplete_input_is_left(void **state)
{
    (void)state;
    static const unsigned char odd[] = { 'a', 0, 'b' };
    struct run r = run_decode(UTF16_LE, odd, sizeof odd, 64);
    assert_int_equal(r.status, UTF16_INCOMPLETE);
    assert_int_equal(r.consumed, 2);
    assert_memory_equal(r.out, "a", 1);
    static const unsigned char high_at_end[] = { 'a', 0, 0x3D, 0xD8 };
    r = run_decode(UTF16_LE, high_at_end, sizeof high_at_end, 64);
    assert_int_equal(r.status, UTF16_INCOMPLETE);
    assert_int_equal(r.consumed, 2);
    static const unsigned char high_and_half[] = { 0x3D, 0xD8, 0x00 };
    r = run_decode(UTF16_LE, high_and_half, sizeof high_and_half, 64);
    assert_int_equal(r.status, UTF16_INCOMPLETE);
    assert_int_equal(r.consumed, 0);
}

static void test_full_output_keeps_the_character(void **state)
{
    (void)state;
    static const unsigned char in[] = { 'a', 0, 0x3D, 0xD8, 0x00, 0xDE };
    struct run r = run_decode(UTF16_LE, in, sizeof in, 4);
    assert_int_equal(r.status, UTF16_FULL);
    assert_int_equal(r.consumed, 2);
    assert_int_equal(r.produced, 1);
    r = run_decode(UTF16_LE, in, sizeof in, 5);
    assert_int_equal(r.status, UTF16_DONE);
    assert_int_equal(r.produced, 5);
}

/* Code units at every boundary the conversion has. */
static const unsigned utf16_edges[] = { 0x0000, 0x0041, 0x007F, 0x0080, 0x07FF, 0x0800,
                                        0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000,
                                        0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF };
#define N_EDGES (sizeof utf16_edges / sizeof *utf16_edges)

static int iconv_usable(void)
{
    iconv_t cd = iconv_open("UTF-8", "UTF-16LE");
    if (cd == (iconv_t)-1)
        return 0;
    iconv_close(cd);
    return 1;
}

static enum utf16_status iconv_status(size_t rc, int err)
{
    if (rc != (size_t)-1)
        return UTF16_DONE;
    return err == EILSEQ ? UTF16_INVALID : err == EINVAL ? UTF16_INCOMPLETE : UTF16_FULL;
}

/* Every sequence of up to three edge units, in both byte orders, whole and
 * with its last byte cut off: same result, same bytes consumed and made as
 * glibc's iconv. */
static void test_agrees_with_iconv(void **state)
{
    (void)state;
    size_t compared = 0;
    for (int order = 0; order < 2; order++) {
        iconv_t cd = iconv_open("UTF-8", order == UTF16_LE ? "UTF-16LE" : "UTF-16BE");
        assert_true(cd != (iconv_t)-1);
        for (size_t n = 1; n <= 3; n++) {
            size_t combos = 1;
            for (size_t k = 0; k < n; k++)
                combos *= N_EDGES;
            for (size_t c = 0; c < combos; c++) {
                unsigned char in[6];
                size_t rest = c;
                for (size_t k = 0; k < n; k++) {
                    unsigned u = utf16_edges[rest % N_EDGES];
                    rest /= N_EDGES;
                    in[2 * k] = (unsigned char)(order == UTF16_LE ? u & 0xFF : u >> 8);
                    in[2 * k + 1] = (unsigned char)(order == UTF16_LE ? u >> 8 : u & 0xFF);
                }
                for (size_t cut = 0; cut < 2; cut++) {
                    size_t len = 2 * n - cut;
                    struct run mine = run_decode((enum utf16_order)order, in, len, 64);
                    char theirs[64];
                    char *src = (char *)in, *dst = theirs;
                    size_t left = len, room = sizeof theirs;
                    iconv(cd, NULL, NULL, NULL, NULL);
                    size_t rc = iconv(cd, &src, &left, &dst, &room);
                    enum utf16_status st = iconv_status(rc, errno);
                    if (mine.status != st || mine.consumed != len - left ||
                        mine.produced != sizeof theirs - room ||
                        memcmp(mine.out, theirs, mine.produced) != 0)
                        fail_msg("order %d, %zu units, case %zu, cut %zu: utf16 %d/%zu/%zu, "
                                 "iconv %d/%zu/%zu",
                                 order, n, c, cut, (int)mine.status, mine.consumed, mine.produced,
                                 (int)st, len - left, sizeof theirs - room);
                    compared++;
                }
            }
        }
        iconv_close(cd);
    }
    assert_int_equal(compared, 2 * 2 * (N_EDGES + N_EDGES * N_EDGES + N_EDGES * N_EDGES * N_EDGES));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_converts_every_length),
        cmocka_unit_test(test_unpaired_surrogates_stop_at_the_unit),
        cmocka_unit_test(test_incomplete_input_is_left),
        cmocka_unit_test(test_full_output_keeps_the_character),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (failed)
        return failed;
    /* The reference needs glibc's UTF-16 gconv module: without it the
     * comparison is not run, and the harness shows SKIP. */
    if (!iconv_usable()) {
        printf("SKIP: iconv has no UTF-16 here; the comparison with glibc was not run\n");
        return 77;
    }
    const struct CMUnitTest reference[] = {
        cmocka_unit_test(test_agrees_with_iconv),
    };
    return cmocka_run_group_tests(reference, NULL, NULL);
}
