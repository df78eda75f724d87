/* SPDX-License-Identifier: ISC */
/* Benchmark baseline for `make bench`: yajl over standard input with every
 * callback set and doing nothing (as the tool sets them all), or with none
 * (as json_verify runs it) when given -n. It shows what yajl itself costs
 * once it has to hand every token to callbacks. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

static int on_plain(void *ctx)
{
    (void)ctx;
    return 1;
}

static int on_boolean(void *ctx, int value)
{
    (void)ctx;
    (void)value;
    return 1;
}

static int on_number(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    (void)s;
    (void)len;
    return 1;
}

static int on_text(void *ctx, const unsigned char *s, size_t len)
{
    (void)ctx;
    (void)s;
    (void)len;
    return 1;
}

static const yajl_callbacks every = { on_plain, on_boolean, NULL,     NULL,     on_number, on_text,
                                      on_plain, on_text,    on_plain, on_plain, on_plain };

int main(int argc, char **argv)
{
    int none = argc > 1 && strcmp(argv[1], "-n") == 0;
    yajl_handle h = yajl_alloc(none ? NULL : &every, NULL, NULL);
    yajl_config(h, yajl_allow_multiple_values, 1);
    static unsigned char buf[64 * 1024];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        if (yajl_parse(h, buf, (size_t)n) != yajl_status_ok) {
            fputs("yajl_callbacks: invalid JSON\n", stderr);
            return 1;
        }
    }
    int rc = n < 0 || yajl_complete_parse(h) != yajl_status_ok;
    yajl_free(h);
    return rc;
}
