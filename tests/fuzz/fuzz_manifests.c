/* SPDX-License-Identifier: ISC */
/* Fuzz target: the manifest parsers, bytes in, verdicts out.
 *
 * The input is cut at each 0x01 byte into the tag files of one root, in
 * this order: bagit.txt, bag-info.txt, manifest-sha256.txt,
 * manifest-sha512.txt, tagmanifest-sha256.txt, tagmanifest-sha512.txt,
 * SHA256SUMS, fetch.txt; an empty part is a file that is absent. The part
 * after them holds one path per line: each is checked as a file whose
 * contents are the path itself (so a seed can list a matching digest),
 * and so is every path the manifests list.
 *
 * Everything runs twice: checks after the parse calls and before them
 * (an archive may give the payload first), the second time with SHA-512
 * too and with SHA256SUMS given as --manifest FILE. Checks on the result
 * abort(): the per-file statuses add up to the summary's counts, a
 * verified manifest has nothing wrong, every message is one line of valid
 * UTF-8, a known collection time names its label. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "evidence.h"
#include "manifests.h"
#include "sanitize.h"
#include "xalloc.h"

static const char *const tag_files[] = {
    "bagit.txt",
    "bag-info.txt",
    "manifest-sha256.txt",
    "manifest-sha512.txt",
    "tagmanifest-sha256.txt",
    "tagmanifest-sha512.txt",
    "SHA256SUMS",
    "fetch.txt",
};
#define TAG_FILES (sizeof tag_files / sizeof *tag_files)

struct part {
    const char *s;
    size_t n;
};

/* Paths to check, owned copies. */
struct paths {
    char **items;
    size_t count, cap;
};

static void paths_add(struct paths *p, const char *s, size_t n)
{
    xgrow(&p->items, &p->cap, p->count + 1, sizeof *p->items);
    p->items[p->count++] = xmemdup0(s, n);
}

static void paths_add_file(void *ctx, const struct manifests_file *file)
{
    paths_add(ctx, file->path, strlen(file->path));
}

static void check_paths(struct manifests *m, const struct paths *p, int with_sha512)
{
    for (size_t i = 0; i < p->count; i++) {
        const char *path = p->items[i];
        struct evidence_digests h;
        char sha256[MANIFESTS_SHA256_HEX + 1], sha512[MANIFESTS_SHA512_HEX + 1];
        evidence_digests_init(&h, with_sha512);
        evidence_digests_update(&h, path, strlen(path));
        evidence_digests_finish(&h, sha256, sha512);
        manifests_check(m, path, strlen(path), sha256, with_sha512 ? sha512 : NULL);
    }
}

struct tally {
    unsigned long by_status[MANIFESTS_MISSING + 1];
};

static void tally_file(void *ctx, const struct manifests_file *file)
{
    struct tally *t = ctx;
    if ((unsigned)file->status > MANIFESTS_MISSING || file->path == NULL)
        abort();
    t->by_status[file->status]++;
}

static void verify(const struct manifests *m)
{
    struct manifests_summary s;
    manifests_summarize(m, &s);
    struct tally t = { { 0 } };
    manifests_each(m, ~0u, tally_file, &t);
    if (t.by_status[MANIFESTS_MATCH] != s.matched || t.by_status[MANIFESTS_ALTERED] != s.altered ||
        t.by_status[MANIFESTS_UNLISTED] != s.unlisted ||
        t.by_status[MANIFESTS_NEEDS_SHA512] != s.unverified ||
        t.by_status[MANIFESTS_MISSING] != s.missing)
        abort();
    if (s.verified && (s.altered || s.missing || s.unlisted || s.unverified || s.messages ||
                       s.refused || s.kind == MANIFESTS_NONE))
        abort();
    size_t count;
    const struct manifests_message *msg = manifests_get_messages(m, &count);
    if (count != s.messages)
        abort();
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(msg[i].text);
        if (n == 0 || !sanitize_utf8_valid(msg[i].text, n) || strpbrk(msg[i].text, "\n\r\t"))
            abort();
    }
    const struct manifests_collected *c = manifests_get_collected(m);
    if (c->known && (c->label == NULL || c->value == NULL))
        abort();
    const struct manifests_field *f = manifests_get_fields(m, &count);
    for (size_t i = 0; i < count; i++)
        if (f[i].label[0] == '\0' || f[i].line == 0)
            abort();
}

static void run(const struct part *parts, size_t nparts, const struct paths *extra, int second)
{
    struct manifests *m = manifests_alloc();
    if (second)
        check_paths(m, extra, 1);
    for (size_t i = 0; i < TAG_FILES && i < nparts; i++) {
        if (parts[i].n == 0)
            continue;
        if (second && strcmp(tag_files[i], "SHA256SUMS") == 0)
            manifests_parse_sha256sums(m, "--manifest", parts[i].s, parts[i].n);
        else
            manifests_parse(m, tag_files[i], tag_files[i], parts[i].s, parts[i].n);
    }
    struct paths listed = { 0 };
    manifests_each(m, 1u << MANIFESTS_MISSING, paths_add_file, &listed);
    if (!second)
        check_paths(m, extra, manifests_needs_sha512(m));
    check_paths(m, &listed, second || manifests_needs_sha512(m));
    manifests_finish(m);
    verify(m);
    for (size_t i = 0; i < listed.count; i++)
        free(listed.items[i]);
    free(listed.items);
    manifests_free(m);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct part parts[TAG_FILES + 1];
    size_t nparts = 0, start = 0;
    const char *text = (const char *)data;
    for (size_t i = 0; i <= size && nparts < TAG_FILES + 1; i++) {
        if (i == size || (data[i] == 0x01 && nparts < TAG_FILES)) {
            parts[nparts].s = text + start;
            parts[nparts].n = i - start;
            nparts++;
            start = i + 1;
        }
    }
    struct paths extra = { 0 };
    if (nparts == TAG_FILES + 1) {
        const char *s = parts[TAG_FILES].s, *end = s + parts[TAG_FILES].n;
        while (s < end) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
            if (n && !memchr(s, '\0', n))
                paths_add(&extra, s, n);
            s += n + 1;
        }
    }
    run(parts, nparts, &extra, 0);
    run(parts, nparts, &extra, 1);
    for (size_t i = 0; i < extra.count; i++)
        free(extra.items[i]);
    free(extra.items);
    return 0;
}
