/* SPDX-License-Identifier: ISC */
/* The byte-cut matrix, in process: every fixture of fixtures/{bundle,shapes,
 * hostile,compressed,realistic} cut at every byte offset and read through the
 * pipeline's own ingest_memory(), as if it were the only file of a bundle
 * in a folder named for its subscription. A cut that fails must leave no
 * PASS behind and an ERROR for that subscription, with a line:col unless
 * nothing of it could be read; a cut that reads cleanly must be whole JSON
 * (checked by yajl itself, apart from this tool's stream). The shell test
 * tests/test_truncation.sh runs a sample of the same cuts end to end. */
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yajl/yajl_parse.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "diag.h"
#include "evidence.h"
#include "guid.h"
#include "ingest.h"
#include "rules.h"
#include "verdicts.h"
#include "xalloc.h"

static const char *srcdir(void)
{
    const char *s = getenv("srcdir");
    return s && *s ? s : ".";
}

static unsigned long cuts, failed_cuts;

/* ---- the oracle: is this text whole JSON? ------------------------------------- */

static int collect_text(void *ctx, const char *utf8, size_t len)
{
    xbuf_addn(ctx, utf8, len);
    return 0;
}

/* Whether raw[0..len) decodes (gzip, BOM, UTF-16, notices) to one or more
 * complete JSON values, by yajl with no callbacks: the judge is not the
 * stream under test. */
static int whole_json(const unsigned char *raw, size_t len)
{
    struct evidence_file f = { .path = "cut", .encoding = "", .shape = "" };
    struct xbuf text = { 0 };
    struct evidence_decoder *dec = evidence_decoder_alloc(&f, collect_text, &text);
    int ok = evidence_decoder_push(dec, raw, len) == 0 && evidence_decoder_finish(dec) == 0;
    evidence_decoder_free(dec);
    diag_fault_clear(&f.fault);
    int content = 0;
    for (size_t i = 0; ok && i < text.len; i++)
        content |=
            !(text.s[i] == ' ' || text.s[i] == '\t' || text.s[i] == '\r' || text.s[i] == '\n');
    if (ok && content) {
        yajl_handle y = yajl_alloc(NULL, NULL, NULL);
        yajl_config(y, yajl_allow_multiple_values, 1);
        ok = yajl_parse(y, (const unsigned char *)text.s, text.len) == yajl_status_ok &&
             yajl_complete_parse(y) == yajl_status_ok;
        yajl_free(y);
    }
    free(text.s);
    return ok && content;
}

/* ---- one cut --------------------------------------------------------------------------- */

static int pass_anywhere(const struct verdict_table *t)
{
    for (size_t i = 0; i < verdicts_count(t); i++)
        for (unsigned r = 0; r < RULE_COUNT; r++)
            if (verdicts_result(t, verdicts_get(t, i), r)->status == VERDICT_PASS)
                return 1;
    return 0;
}

static int error_for(const struct verdict_table *t, const char *sub)
{
    for (size_t i = 0; i < verdicts_count(t); i++) {
        const struct verdict_subscription *s = verdicts_get(t, i);
        if (s->known && strcmp(s->id, sub) == 0)
            return verdicts_result(t, s, RULE_CONTACT_EMAIL)->status == VERDICT_ERROR;
    }
    return 0;
}

static void cut_fail(const char *rel, size_t off, const char *why)
{
    if (failed_cuts++ < 20)
        fprintf(stderr, "%s cut at %zu: %s\n", rel, off, why);
}

/* The first off bytes of data as the file <sub>/<name>. */
static void check_cut(const char *rel, const char *sub, const char *name, const unsigned char *data,
                      size_t off)
{
    struct evidence_list files;
    evidence_list_init(&files);
    size_t n = strlen(sub) + strlen(name) + 2;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", sub, name);
    struct evidence_file *f = evidence_list_add(&files, path);
    free(path);
    struct address_policy policy = { 0 };
    struct verdict_table *t = verdicts_alloc(&policy);
    struct diag d;
    diag_init(&d, NULL, 0);
    struct ingest *ing = ingest_alloc(&files, t, &d);
    ingest_memory(ing, 0, data, off, 0);
    ingest_free(ing);
    verdicts_seal(t, RULES_ALL);
    rules_decide(t, (1u << RULE_COUNT) - 1);
    cuts++;
    if (f->status == EVIDENCE_READ) {
        if (!whole_json(data, off))
            cut_fail(rel, off, "read cleanly although it is not whole JSON");
    } else {
        if (pass_anywhere(t))
            cut_fail(rel, off, "a PASS from a file that failed");
        if (!error_for(t, sub))
            cut_fail(rel, off, "no ERROR for its subscription");
        if (f->fault.line == 0 && f->fault.id != D_NO_EVIDENCE_IN_FILE &&
            f->fault.id != D_EMPTY_FILE && f->fault.id != D_UNRECOGNISED_FILE)
            cut_fail(rel, off, "an error without line:col");
    }
    verdicts_free(t);
    evidence_list_free(&files);
}

/* ---- the fixtures ------------------------------------------------------------------- */

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    struct xbuf b = { 0 };
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        xbuf_addn(&b, chunk, n);
    fclose(fp);
    *len = b.len;
    return (unsigned char *)xbuf_finish(&b);
}

/* Cuts one fixture (rel is relative to srcdir) at every stride-th offset,
 * filed under the GUID its name carries, or a made-up one. */
static void cut_fixture(const char *rel, size_t stride)
{
    static unsigned group;
    size_t n = strlen(srcdir()) + strlen(rel) + 2;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", srcdir(), rel);
    size_t len;
    unsigned char *data = slurp(path, &len);
    const char *name = strrchr(rel, '/') + 1;
    guid_text sub;
    if (!guid_from_path(rel, sub))
        snprintf(sub, sizeof sub, "00000000-0000-4000-8000-%012u", ++group);
    for (size_t off = 0; off < len; off += stride)
        check_cut(rel, sub, name, data, off);
    free(data);
    free(path);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void cut_folder(const char *rel, size_t stride)
{
    size_t n = strlen(srcdir()) + strlen(rel) + 2;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", srcdir(), rel);
    DIR *dir = opendir(path);
    assert_non_null(dir);
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        xgrow(&names, &cap, count + 1, sizeof *names);
        names[count++] = xstrdup(e->d_name);
    }
    closedir(dir);
    if (count)
        qsort(names, count, sizeof *names, by_name);
    for (size_t i = 0; i < count; i++) {
        size_t m = strlen(rel) + strlen(names[i]) + 2;
        char *child = xmalloc(m), *full = xmalloc(n + m);
        snprintf(child, m, "%s/%s", rel, names[i]);
        snprintf(full, n + m, "%s/%s", srcdir(), child);
        struct stat st;
        assert_int_equal(stat(full, &st), 0);
        if (S_ISDIR(st.st_mode))
            cut_folder(child, stride);
        else if (strcmp(names[i], "README.md") != 0 && strcmp(names[i], "expected.tsv") != 0)
            cut_fixture(child, stride);
        free(full);
        free(child);
        free(names[i]);
    }
    free(names);
    free(path);
}

/* Every offset; under valgrind (slow) every 7th. */
static size_t stride(void)
{
    const char *preload = getenv("LD_PRELOAD");
    return preload && strstr(preload, "vgpreload") ? 7 : 1;
}

static void test_cut_matrix(void **state)
{
    (void)state;
    static const char *const sets[] = { "fixtures/bundle", "fixtures/shapes", "fixtures/hostile",
                                        "fixtures/compressed", "fixtures/realistic" };
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
        cut_folder(sets[i], stride());
    printf("%lu cuts, %lu wrong\n", cuts, failed_cuts);
    assert_true(cuts > 10000);
    assert_int_equal(failed_cuts, 0);
}

int main(void)
{
#ifdef M_TRIM_THRESHOLD
    /* Each cut builds a verdict table and frees it. glibc would give the
     * top of the heap back to the kernel after every one and take it again
     * for the next: 40% of this test's time went to brk and page faults. */
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_cut_matrix) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
