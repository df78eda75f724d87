/* SPDX-License-Identifier: ISC */
/* Unit test for report_quiet_libxml(): libxml2's own error messages (which
 * quote the bytes it met) never reach standard error, in the thread that
 * set the handlers and in a thread started later, as the report writer's
 * second thread is. Without the call the same input does print, so the
 * test can fail. */
#include "util.h"

#include <libxml/parser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

/* Broken XML with a byte that is no UTF-8: libxml2 says so on stderr. */
static const char broken[] = "<a>\xff\x01<b></a>";

static void *parse_broken(void *arg)
{
    (void)arg;
    xmlDocPtr doc = xmlReadMemory(broken, (int)sizeof broken - 1, "broken.xml", NULL, 0);
    xmlFreeDoc(doc);
    return NULL;
}

/* Runs parse_broken (on a new thread when threaded) with stderr caught;
 * returns how many bytes were written to it. */
static long stderr_bytes_of(int threaded)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *cap = tmpfile();
    assert_non_null(cap);
    dup2(fileno(cap), 2);
    if (threaded) {
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, parse_broken, NULL), 0);
        pthread_join(t, NULL);
    } else {
        parse_broken(NULL);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fseek(cap, 0, SEEK_END);
    long n = ftell(cap);
    fclose(cap);
    return n;
}

static void test_quiet(void **state)
{
    (void)state;
    xmlInitParser();
    /* the input does make libxml2 speak, on a thread of its own */
    assert_true(stderr_bytes_of(1) > 0);
    report_quiet_libxml();
    assert_int_equal(stderr_bytes_of(0), 0);
    assert_int_equal(stderr_bytes_of(1), 0);
    xmlCleanupParser();
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_quiet) };
    return cmocka_run_group_tests_name("libxml_quiet", tests, NULL, NULL) == 0 ? 0 : 1;
}
