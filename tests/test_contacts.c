/* SPDX-License-Identifier: ISC */
/* Tests for the contact-record stage: every fixture is run through
 * evidence_read() -> jstream -> contacts and its dump compared with a golden
 * file, and with the dump at every read size from 1 to 31 bytes.
 * UPDATE_GOLDEN=1 rewrites tests/golden/records/ instead of comparing. */
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "records.h"
#include "xalloc.h"

static char *fixture_dump(const char *rel, size_t read_size)
{
    char *path = util_locate(rel);
    char *d = records_dump(path, read_size);
    free(path);
    assert_non_null(d);
    return d;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned checked_files;

/* rel: path relative to srcdir, e.g. "fixtures/shapes/crlf.json". */
static void check_file(const char *rel)
{
    char *expect = fixture_dump(rel, 65536);
    char *golden_name = xmalloc(strlen(rel) + 5);
    strcpy(golden_name, rel);
    for (char *p = golden_name; *p; p++)
        if (*p == '/')
            *p = '_';
    strcat(golden_name, ".txt");
    char *dir = util_locate("tests/golden/records");
    char *golden_path = util_join(dir, golden_name);
    const char *update = getenv("UPDATE_GOLDEN");
    if (update && *update && strcmp(update, "0") != 0) {
        FILE *fp = fopen(golden_path, "wb");
        assert_non_null(fp);
        fputs(expect, fp);
        assert_int_equal(fclose(fp), 0);
    } else {
        char *golden = util_read_file(golden_path, NULL);
        if (!golden)
            fail_msg("missing golden file %s for %s", golden_path, rel);
        if (strcmp(golden, expect) != 0)
            fail_msg("%s: dump differs from %s:\n%s", rel, golden_path, expect);
        free(golden);
    }
    for (size_t rs = 1; rs <= 31; rs++) {
        char *got = fixture_dump(rel, rs);
        if (strcmp(got, expect) != 0)
            fail_msg("%s: dump at read size %zu differs:\n%s\nexpected:\n%s", rel, rs, got, expect);
        free(got);
    }
    checked_files++;
    free(expect);
    free(golden_path);
    free(dir);
    free(golden_name);
}

static void walk(const char *rel)
{
    char *full = util_locate(rel);
    DIR *dir = opendir(full);
    if (!dir)
        fail_msg("cannot open %s", full);
    char **names = NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = xrealloc(names, (count + 1) * sizeof *names);
        names[count] = xstrdup(e->d_name);
        count++;
    }
    closedir(dir);
    qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++) {
        char *child = util_join(rel, names[i]);
        char *child_full = util_locate(child);
        struct stat st;
        assert_int_equal(stat(child_full, &st), 0);
        if (S_ISDIR(st.st_mode))
            walk(child);
        else if (S_ISREG(st.st_mode))
            check_file(child);
        free(child_full);
        free(child);
        free(names[i]);
    }
    free(names);
    free(full);
}

static void test_golden_shapes(void **state)
{
    (void)state;
    checked_files = 0;
    walk("fixtures/shapes");
    assert_int_equal(checked_files, 39);
}

static void test_golden_hostile(void **state)
{
    (void)state;
    checked_files = 0;
    walk("fixtures/hostile");
    assert_int_equal(checked_files, 5);
}

static void test_golden_bundle(void **state)
{
    (void)state;
    checked_files = 0;
    walk("fixtures/bundle");
    assert_int_equal(checked_files, 15);
}

static size_t count_lines(const char *dump, const char *prefix)
{
    size_t n = 0, plen = strlen(prefix);
    for (const char *p = dump; p && *p;) {
        if (strncmp(p, prefix, plen) == 0)
            n++;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return n;
}

/* The final "file ..." line. */
static const char *file_line(const char *dump)
{
    const char *p = strstr(dump, "\nfile ");
    if (p)
        return p + 1;
    assert_int_equal(strncmp(dump, "file ", 5), 0);
    return dump;
}

static void test_rest_2017_list(void **state)
{
    (void)state;
    char *d = fixture_dump("fixtures/shapes/rest-2017-list.json", 65536);
    assert_int_equal(count_lines(d, "record "), 3);
    const char *a = strstr(d, "name=\"default1\"");
    const char *b = strstr(d, "name=\"john\"");
    const char *c = strstr(d, "name=\"ahabas-microsoft.com\"");
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(a < b && b < c);
    assert_non_null(strstr(file_line(d), "outcome=ok"));
    free(d);
}

static void test_concatenated_subscriptions(void **state)
{
    (void)state;
    char *d = fixture_dump("fixtures/shapes/concatenated.json", 65536);
    const char *subs[] = { "sub=cea9f5ff-b198-4509-babc-bcf005a3f91f ",
                           "sub=b9bdc438-4130-42aa-a57b-e1164cb857c4 ",
                           "sub=a988711f-a435-4d36-9e83-d86e415e9686 " };
    for (size_t i = 0; i < 3; i++)
        assert_non_null(strstr(d, subs[i]));
    assert_int_equal(count_lines(d, "record "), 3);
    assert_non_null(strstr(file_line(d), "documents=3 "));
    free(d);
}

static void test_utf16le_bom(void **state)
{
    (void)state;
    char *d = fixture_dump("fixtures/shapes/ps-utf16le-bom.json", 65536);
    const char *f = file_line(d);
    assert_non_null(strstr(f, "encoding=\"UTF-16LE with BOM\""));
    assert_non_null(strstr(f, "outcome=ok"));
    assert_non_null(strstr(d, "sub=13c97fdb-795c-4e8f-9893-967694dde801 "));
    free(d);
}

static void test_az_notices(void **state)
{
    (void)state;
    char *d = fixture_dump("fixtures/shapes/az-notices.json", 65536);
    const char *f = file_line(d);
    assert_non_null(strstr(f, "notice_lines=2\n"));
    assert_non_null(strstr(f, "outcome=ok"));
    free(d);
}

static void test_truncated_has_position(void **state)
{
    (void)state;
    char *d = fixture_dump("fixtures/shapes/truncated.json", 65536);
    const char *f = file_line(d);
    assert_non_null(strstr(f, "outcome=truncated"));
    const char *at = strstr(f, " at=");
    assert_non_null(at);
    unsigned long line = 0, col = 0;
    assert_int_equal(sscanf(at, " at=%lu:%lu", &line, &col), 2);
    assert_true(line > 0 && col > 0);
    /* what the file is, where it ends, and no parser words */
    char want[96];
    snprintf(want, sizeof want, " error=\"file ends early at %lu:%lu (truncated?)\"", line, col);
    assert_non_null(strstr(f, want));
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_shapes),
        cmocka_unit_test(test_golden_hostile),
        cmocka_unit_test(test_golden_bundle),
        cmocka_unit_test(test_rest_2017_list),
        cmocka_unit_test(test_concatenated_subscriptions),
        cmocka_unit_test(test_utf16le_bom),
        cmocka_unit_test(test_az_notices),
        cmocka_unit_test(test_truncated_has_position),
    };
    return cmocka_run_group_tests_name("contacts", tests, NULL, NULL) == 0 ? 0 : 1;
}
