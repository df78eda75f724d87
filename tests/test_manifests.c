/* SPDX-License-Identifier: ISC */
/* Unit tests for manifests.c: sha256sum files and BagIt bags parsed, files
 * checked against them, and the verdicts, messages and dates that result. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "manifests.h"
#include "xalloc.h"

/* The digests of one file's contents, as the pipeline would compute them. */
struct digests {
    char sha256[MANIFESTS_SHA256_HEX + 1];
    char sha512[MANIFESTS_SHA512_HEX + 1];
};

static struct digests digests_of(const char *content)
{
    struct digests d;
    struct evidence_digests h;
    evidence_digests_init(&h, 1);
    evidence_digests_update(&h, content, strlen(content));
    evidence_digests_finish(&h, d.sha256, d.sha512);
    return d;
}

/* Parses text as the tag file path (also its display name); expects the
 * parse call's result. */
static void parse_as(struct manifests *m, const char *path, const char *text, int expected)
{
    assert_int_equal(manifests_parse(m, path, path, text, strlen(text)), expected);
}

/* Checks a file with these contents; with_sha512 gives SHA-512 too. */
static enum manifests_status check_content(struct manifests *m, const char *path,
                                           const char *content, int with_sha512)
{
    struct digests d = digests_of(content);
    return manifests_check(m, path, strlen(content), d.sha256, with_sha512 ? d.sha512 : NULL);
}

/* Every message as "FILE:LINE: TEXT" ("-" for no file), one per line;
 * with only_file, just that file's. */
static char *messages_text(const struct manifests *m, const char *only_file)
{
    size_t count;
    const struct manifests_message *msg = manifests_get_messages(m, &count);
    struct xbuf b = { 0 };
    for (size_t i = 0; i < count; i++) {
        if (only_file && (msg[i].file == NULL || strcmp(msg[i].file, only_file) != 0))
            continue;
        char line[32];
        snprintf(line, sizeof line, ":%lu: ", msg[i].line);
        xbuf_add(&b, msg[i].file ? msg[i].file : "-");
        xbuf_add(&b, line);
        xbuf_add(&b, msg[i].text);
        xbuf_add(&b, "\n");
    }
    return xbuf_finish(&b);
}

static void expect_messages(const struct manifests *m, const char *expected)
{
    char *got = messages_text(m, NULL);
    assert_string_equal(got, expected);
    free(got);
}

/* The summary's counts in one line, so a test states them all at once. */
static struct manifests_summary expect_summary(const struct manifests *m, const char *expected)
{
    struct manifests_summary s;
    manifests_summarize(m, &s);
    char got[256];
    snprintf(got, sizeof got,
             "listed %lu, matched %lu, altered %lu, missing %lu, unlisted %lu, unverified %lu, "
             "verified %d, refused %d",
             s.listed, s.matched, s.altered, s.missing, s.unlisted, s.unverified, s.verified,
             s.refused);
    assert_string_equal(got, expected);
    return s;
}

static void line_of(struct xbuf *b, const char *hex, const char *sep, const char *path)
{
    xbuf_add(b, hex);
    xbuf_add(b, sep);
    xbuf_add(b, path);
    xbuf_add(b, "\n");
}

static void test_tag_file_names(void **state)
{
    (void)state;
    const char *tags[] = { "bagit.txt",
                           "bag-info.txt",
                           "fetch.txt",
                           "SHA256SUMS",
                           "manifest-sha256.txt",
                           "manifest-md5.txt",
                           "tagmanifest-sha512.txt",
                           "./bagit.txt" };
    const char *not_tags[] = { "data/bagit.txt", "sub/SHA256SUMS",          "sha256sums",
                               "manifest-.txt",  "manifest-sha256.txt.bak", "bag-info.txt~",
                               "manifest.txt",   "tagmanifest-.txt",        "data/a.json" };
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
        assert_int_equal(manifests_is_tag_file(tags[i]), 1);
    for (size_t i = 0; i < sizeof not_tags / sizeof *not_tags; i++)
        assert_int_equal(manifests_is_tag_file(not_tags[i]), 0);
}

static void test_hasher_vectors(void **state)
{
    (void)state;
    struct digests d = digests_of("abc");
    assert_string_equal(d.sha256,
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_string_equal(d.sha512,
                        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    struct evidence_digests h;
    char sha256[MANIFESTS_SHA256_HEX + 1], sha512[MANIFESTS_SHA512_HEX + 1] = "x";
    evidence_digests_init(&h, 0);
    evidence_digests_update(&h, "ab", 2);
    evidence_digests_update(&h, "c", 1);
    evidence_digests_finish(&h, sha256, sha512);
    assert_string_equal(sha256, d.sha256);
    assert_string_equal(sha512, "");
}

/* Every form GNU sha256sum -c accepts: two spaces (text), space and '*'
 * (binary), one space or a tab, leading blanks, uppercase hex, CRLF, blank
 * lines, "./" before the name. */
static void test_sums_accepted_forms(void **state)
{
    (void)state;
    const char *names[] = { "a.json", "b.json", "c.json", "d.json", "e.json", "f.json", "g.json" };
    const char *seps[] = { "  ", " *", " ", "\t", "  ", "  ", "  " };
    struct xbuf b = { 0 };
    for (size_t i = 0; i < 7; i++) {
        struct digests d = digests_of(names[i]);
        if (i == 4)
            for (char *c = d.sha256; *c; c++)
                *c = (char)(*c >= 'a' && *c <= 'f' ? *c - 32 : *c);
        if (i == 5)
            xbuf_add(&b, "  ");
        xbuf_add(&b, d.sha256);
        xbuf_add(&b, seps[i]);
        xbuf_add(&b, i == 6 ? "./g.json\r\n" : names[i]);
        xbuf_add(&b, i == 6 ? "\r\n" : i == 2 ? "\n\n  \n" : "\n");
    }
    char *text = xbuf_finish(&b);

    struct manifests *m = manifests_alloc();
    parse_as(m, "SHA256SUMS", text, 0);
    assert_int_equal(manifests_needs_sha512(m), 0);
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(check_content(m, names[i], names[i], 0), MANIFESTS_MATCH);
    manifests_finish(m);
    expect_messages(m, "");
    struct manifests_summary s =
        expect_summary(m, "listed 7, matched 7, altered 0, missing 0, "
                          "unlisted 0, unverified 0, verified 1, refused 0");
    assert_int_equal(s.kind, MANIFESTS_SHA256SUMS);
    assert_string_equal(s.manifest, "SHA256SUMS");
    assert_string_equal(s.manifest_sha256, digests_of(text).sha256);
    /* the manifest itself is a tag file, not an unlisted one */
    assert_int_equal(manifests_get_status(m, "SHA256SUMS"), MANIFESTS_TAG_FILE);
    manifests_free(m);
    free(text);
}

static void test_sums_malformed_lines(void **state)
{
    (void)state;
    struct digests a = digests_of("a");
    struct xbuf b = { 0 };
    xbuf_add(&b, "not a digest  x.json\n");                 /* 1 */
    xbuf_add(&b, "abc123  short.json\n");                   /* 2 */
    line_of(&b, digests_of("a").sha512, "  ", "long.json"); /* 3 */
    xbuf_add(&b, "SHA256 (tagged.json) = ");                /* 4 */
    xbuf_add(&b, a.sha256);
    xbuf_add(&b, "\n");
    xbuf_add(&b, a.sha256); /* 5 */
    xbuf_add(&b, "\n");
    line_of(&b, a.sha256, " ", "");           /* 6 */
    line_of(&b, a.sha256, "  ", "good.json"); /* 7 */
    xbuf_add(&b, a.sha256);                   /* 8 */
    xbuf_add(&b, "x  glued.json\n");
    char *text = xbuf_finish(&b);
    size_t len = strlen(text);
    /* line 9: a NUL byte inside a name */
    char *with_nul = xmalloc(len + 80);
    memcpy(with_nul, text, len);
    memcpy(with_nul + len, a.sha256, 64);
    memcpy(with_nul + len + 64, "  n\0l.json\n", 11);

    struct manifests *m = manifests_alloc();
    assert_int_equal(manifests_parse(m, "SHA256SUMS", "q4/SHA256SUMS", with_nul, len + 75), -1);
    expect_messages(
        m, "q4/SHA256SUMS:1: not a sha256sum line: 64 hexadecimal digits, a space, a space or "
           "'*', then the file name\n"
           "q4/SHA256SUMS:2: the digest has 6 hexadecimal digits, not 64 (SHA-256)\n"
           "q4/SHA256SUMS:3: the digest has 128 hexadecimal digits, not 64 (SHA-256)\n"
           "q4/SHA256SUMS:4: a BSD-style 'SHA256 (name) = digest' line: only the sha256sum "
           "default format is read\n"
           "q4/SHA256SUMS:5: not a sha256sum line: 64 hexadecimal digits, a space, a space or "
           "'*', then the file name\n"
           "q4/SHA256SUMS:6: not a sha256sum line: 64 hexadecimal digits, a space, a space or "
           "'*', then the file name\n"
           "q4/SHA256SUMS:8: not a sha256sum line: 64 hexadecimal digits, a space, a space or "
           "'*', then the file name\n"
           "q4/SHA256SUMS:9: the line contains a NUL byte\n");
    /* the good line between the bad ones is read */
    assert_int_equal(check_content(m, "good.json", "a", 0), MANIFESTS_MATCH);
    manifests_finish(m);
    struct manifests_summary s =
        expect_summary(m, "listed 1, matched 1, altered 0, missing 0, "
                          "unlisted 0, unverified 0, verified 0, refused 0");
    assert_int_equal(s.messages, 8);
    manifests_free(m);
    free(with_nul);
    free(text);
}

/* GNU's escaped form: a leading backslash, then \\, \n and \r in the name. */
static void test_sums_gnu_escaped(void **state)
{
    (void)state;
    struct digests d = digests_of("x");
    struct xbuf b = { 0 };
    xbuf_add(&b, "\\");
    line_of(&b, d.sha256, "  ", "new\\nline.json");
    xbuf_add(&b, "\\");
    line_of(&b, d.sha256, " *", "cr\\rx.json");
    xbuf_add(&b, "\\");
    line_of(&b, d.sha256, "  ", "back\\\\slash.json");
    xbuf_add(&b, "\\");
    line_of(&b, d.sha256, "  ", "tab\\t.json");
    line_of(&b, d.sha256, "  ", "plain\\nkept.json");
    char *text = xbuf_finish(&b);
    struct manifests *m = manifests_alloc();
    parse_as(m, "SHA256SUMS", text, -1);
    expect_messages(m, "SHA256SUMS:3: path \"back\\slash.json\" is refused: it has a backslash\n"
                       "SHA256SUMS:4: bad escape in the file name: a line starting with a "
                       "backslash allows only \\\\, \\n and \\r in the name\n"
                       "SHA256SUMS:5: path \"plain\\nkept.json\" is refused: it has a "
                       "backslash\n");
    assert_int_equal(check_content(m, "new\nline.json", "x", 0), MANIFESTS_MATCH);
    assert_int_equal(check_content(m, "cr\rx.json", "x", 0), MANIFESTS_MATCH);
    manifests_free(m);
    free(text);
}

static void test_sums_duplicates(void **state)
{
    (void)state;
    struct digests a = digests_of("a"), b2 = digests_of("b");
    struct xbuf b = { 0 };
    line_of(&b, a.sha256, "  ", "same.json");
    line_of(&b, a.sha256, "  ", "twice.json");
    line_of(&b, a.sha256, "  ", "./same.json");
    line_of(&b, b2.sha256, "  ", "twice.json");
    char *text = xbuf_finish(&b);
    struct manifests *m = manifests_alloc();
    parse_as(m, "SHA256SUMS", text, -1);
    expect_messages(m, "SHA256SUMS:4: path \"twice.json\" is listed again with a different digest "
                       "(first on line 2 of \"SHA256SUMS\")\n");
    assert_int_equal(check_content(m, "same.json", "a", 0), MANIFESTS_MATCH);
    /* matching either listing is not enough: the manifest contradicts itself */
    assert_int_equal(check_content(m, "twice.json", "a", 0), MANIFESTS_ALTERED);
    manifests_finish(m);
    expect_summary(m, "listed 2, matched 1, altered 1, missing 0, unlisted 0, unverified 0, "
                      "verified 0, refused 0");
    manifests_free(m);
    free(text);
}

static void test_dangerous_paths(void **state)
{
    (void)state;
    const char *paths[] = { "/etc/passwd", "../secret.json", "a/../../x.json", "a\\b.json",
                            "C:x.json",    "a//b.json",      "a/./b.json",     "dir/" };
    struct digests d = digests_of("x");
    struct xbuf b = { 0 };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        line_of(&b, d.sha256, "  ", paths[i]);
    char *sums = xbuf_finish(&b);
    struct manifests *m = manifests_alloc();
    parse_as(m, "SHA256SUMS", sums, -1);
    expect_messages(m, "SHA256SUMS:1: path \"/etc/passwd\" is refused: it is absolute\n"
                       "SHA256SUMS:2: path \"../secret.json\" is refused: it has a '..' segment\n"
                       "SHA256SUMS:3: path \"a/../../x.json\" is refused: it has a '..' segment\n"
                       "SHA256SUMS:4: path \"a\\b.json\" is refused: it has a backslash\n"
                       "SHA256SUMS:5: path \"C:x.json\" is refused: it starts with a drive "
                       "letter\n"
                       "SHA256SUMS:6: path \"a//b.json\" is refused: it has an empty or '.' "
                       "segment\n"
                       "SHA256SUMS:7: path \"a/./b.json\" is refused: it has an empty or '.' "
                       "segment\n"
                       "SHA256SUMS:8: path \"dir/\" is refused: it has an empty or '.' "
                       "segment\n");
    /* none of them was listed: a file of that name is unlisted */
    assert_int_equal(check_content(m, "/etc/passwd", "x", 0), MANIFESTS_UNLISTED);
    manifests_free(m);
    free(sums);

    /* the same refusals in a bag manifest, and after percent-decoding */
    b = (struct xbuf){ 0 };
    line_of(&b, d.sha256, " ", "data/../../etc/passwd");
    line_of(&b, d.sha256, " ", "data/%2e%2e/x.json");
    line_of(&b, d.sha256, " ", "data/a%0A/../../b");
    char *manifest = xbuf_finish(&b);
    m = manifests_alloc();
    parse_as(m, "manifest-sha256.txt", manifest, -1);
    expect_messages(m, "manifest-sha256.txt:1: path \"data/../../etc/passwd\" is refused: it has "
                       "a '..' segment\n"
                       "manifest-sha256.txt:3: path \"data/a\\n/../../b\" is refused: it has a "
                       "'..' segment\n");
    /* %2e is not one of BagIt's encodings: the name stays literal and harmless */
    assert_int_equal(check_content(m, "data/%2e%2e/x.json", "x", 0), MANIFESTS_MATCH);
    manifests_free(m);
    free(manifest);
}

/* A bag as bagit-python makes it, with the tags our collector adds. */
struct bag {
    char *bagit, *info, *manifest256, *manifest512, *tagmanifest;
};

static const char *const bag_files[][2] = {
    { "data/tenant/11111111-1111-4111-8111-111111111111/securityContacts.json", "{\"a\":1}" },
    { "data/tenant/22222222-2222-4222-8222-222222222222/securityContacts.json", "[]" },
};

static char *bag_manifest(int sha512)
{
    struct xbuf b = { 0 };
    for (size_t i = 0; i < 2; i++) {
        struct digests d = digests_of(bag_files[i][1]);
        line_of(&b, sha512 ? d.sha512 : d.sha256, "  ", bag_files[i][0]);
    }
    return xbuf_finish(&b);
}

static void bag_make(struct bag *bag, const char *info)
{
    bag->bagit = xstrdup("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
    bag->info = xstrdup(info);
    bag->manifest256 = bag_manifest(0);
    bag->manifest512 = bag_manifest(1);
    struct xbuf b = { 0 };
    line_of(&b, digests_of(bag->bagit).sha256, " ", "bagit.txt");
    line_of(&b, digests_of(bag->info).sha256, " ", "bag-info.txt");
    line_of(&b, digests_of(bag->manifest256).sha256, " ", "manifest-sha256.txt");
    line_of(&b, digests_of(bag->manifest512).sha256, " ", "manifest-sha512.txt");
    bag->tagmanifest = xbuf_finish(&b);
}

static void bag_parse(struct manifests *m, const struct bag *bag)
{
    parse_as(m, "bagit.txt", bag->bagit, 0);
    parse_as(m, "bag-info.txt", bag->info, 0);
    parse_as(m, "manifest-sha256.txt", bag->manifest256, 0);
    parse_as(m, "manifest-sha512.txt", bag->manifest512, 0);
    parse_as(m, "tagmanifest-sha256.txt", bag->tagmanifest, 0);
}

static void bag_free(struct bag *bag)
{
    free(bag->bagit);
    free(bag->info);
    free(bag->manifest256);
    free(bag->manifest512);
    free(bag->tagmanifest);
}

static const char bag_info[] = "Source-Organization: Contoso Ltd\n"
                               "Bagging-Date: 2026-12-03\n"
                               "Collection-Timestamp: 2026-12-02T10:11:12Z\n"
                               "Azure-Tenant-Id: 5b1a1d6e-3f0c-4f6e-9d7a-2b8c0e1f4a37\n"
                               "Collection-Command: az account list --all\n"
                               "Collection-Command: az security contact list\n"
                               "  --subscription 11111111-1111-4111-8111-111111111111\n"
                               "Payload-Oxum: 9.2\n";

static void test_bag_verified(void **state)
{
    (void)state;
    struct bag bag;
    bag_make(&bag, bag_info);
    struct manifests *m = manifests_alloc();
    bag_parse(m, &bag);
    assert_int_equal(manifests_needs_sha512(m), 1);
    /* SHA-256 alone does not verify a file the bag also lists with SHA-512 */
    assert_int_equal(check_content(m, bag_files[0][0], bag_files[0][1], 0), MANIFESTS_NEEDS_SHA512);
    assert_int_equal(check_content(m, bag_files[0][0], bag_files[0][1], 1), MANIFESTS_MATCH);
    char dotted[128];
    snprintf(dotted, sizeof dotted, "./%s", bag_files[1][0]);
    assert_int_equal(check_content(m, dotted, bag_files[1][1], 1), MANIFESTS_MATCH);
    manifests_finish(m);
    expect_messages(m, "");
    /* 2 payload files and the 4 tag files the tag manifest lists */
    struct manifests_summary s =
        expect_summary(m, "listed 6, matched 6, altered 0, missing 0, "
                          "unlisted 0, unverified 0, verified 1, refused 0");
    assert_int_equal(s.kind, MANIFESTS_BAG);
    assert_string_equal(s.bagit_version, "1.0");
    assert_int_equal(s.oxum, MANIFESTS_OXUM_MATCH);
    assert_int_equal(s.payload_octets, 9);
    assert_int_equal(s.payload_files, 2);
    assert_string_equal(s.manifest, "tagmanifest-sha256.txt");
    assert_string_equal(s.manifest_sha256, digests_of(bag.tagmanifest).sha256);
    assert_int_equal(manifests_get_status(m, "tagmanifest-sha256.txt"), MANIFESTS_TAG_FILE);
    assert_int_equal(manifests_get_status(m, "bag-info.txt"), MANIFESTS_MATCH);

    const struct manifests_collected *c = manifests_get_collected(m);
    assert_int_equal(c->known, 1);
    assert_int_equal(c->has_time, 1);
    assert_int_equal((long long)c->time, 1796206272LL); /* 2026-12-02T10:11:12Z */
    assert_string_equal(c->label, "Collection-Timestamp");
    assert_string_equal(c->value, "2026-12-02T10:11:12Z");
    assert_string_equal(c->file, "bag-info.txt");
    assert_int_equal(c->line, 3);

    size_t count;
    const struct manifests_field *f = manifests_get_fields(m, &count);
    assert_int_equal(count, 7);
    assert_string_equal(f[0].label, "Source-Organization");
    assert_string_equal(f[0].value, "Contoso Ltd");
    assert_string_equal(f[3].label, "Azure-Tenant-Id");
    assert_string_equal(f[4].value, "az account list --all");
    assert_string_equal(f[5].label, "Collection-Command");
    assert_string_equal(f[5].value, "az security contact list --subscription "
                                    "11111111-1111-4111-8111-111111111111");
    assert_int_equal(f[5].line, 6);
    assert_string_equal(f[6].label, "Payload-Oxum");
    assert_int_equal(f[6].line, 8);
    manifests_free(m);
    bag_free(&bag);
}

struct collected_files {
    char text[1024];
};

static void collect_file(void *ctx, const struct manifests_file *file)
{
    struct collected_files *c = ctx;
    size_t used = strlen(c->text);
    snprintf(c->text + used, sizeof c->text - used, "%s %d %d %s:%lu\n", file->path, file->status,
             file->tag, file->listed_in ? file->listed_in : "-", file->line);
}

/* One file altered, one missing, one unlisted: the payload is 'data/' as
 * the pipeline saw it, and Payload-Oxum disagrees with it. */
static void test_bag_tampered_missing_unlisted(void **state)
{
    (void)state;
    struct bag bag;
    bag_make(&bag, bag_info);
    struct manifests *m = manifests_alloc();
    bag_parse(m, &bag);
    assert_int_equal(check_content(m, bag_files[0][0], "{\"a\":2}", 1), MANIFESTS_ALTERED);
    assert_int_equal(check_content(m, "data/extra.json", "{ }", 1), MANIFESTS_UNLISTED);
    manifests_finish(m);
    expect_messages(m, "bag-info.txt:8: Payload-Oxum 9.2 does not match the payload: 10 octets "
                       "in 2 files\n");
    struct manifests_summary s =
        expect_summary(m, "listed 6, matched 4, altered 1, missing 1, "
                          "unlisted 1, unverified 0, verified 0, refused 0");
    assert_int_equal(s.oxum, MANIFESTS_OXUM_MISMATCH);
    assert_int_equal(s.oxum_octets, 9);
    assert_int_equal(s.oxum_files, 2);

    struct collected_files c = { "" };
    manifests_each(m, 1u << MANIFESTS_MISSING, collect_file, &c);
    char expected[512];
    snprintf(expected, sizeof expected, "%s %d 0 manifest-sha256.txt:2\n", bag_files[1][0],
             MANIFESTS_MISSING);
    assert_string_equal(c.text, expected);
    c.text[0] = '\0';
    manifests_each(m, 1u << MANIFESTS_ALTERED | 1u << MANIFESTS_UNLISTED, collect_file, &c);
    snprintf(expected, sizeof expected, "%s %d 0 manifest-sha256.txt:1\ndata/extra.json %d 0 -:0\n",
             bag_files[0][0], MANIFESTS_ALTERED, MANIFESTS_UNLISTED);
    assert_string_equal(c.text, expected);
    manifests_free(m);
    bag_free(&bag);
}

/* The tag manifest catches an edited bag-info.txt: its collection date is
 * then not believed. A listed tag file that is absent is missing. */
static void test_bag_bad_tagmanifest(void **state)
{
    (void)state;
    struct bag bag;
    bag_make(&bag, bag_info);
    struct manifests *m = manifests_alloc();
    parse_as(m, "bagit.txt", bag.bagit, 0);
    parse_as(m, "bag-info.txt", "Collection-Timestamp: 2027-01-01T00:00:00Z\n", 0);
    parse_as(m, "manifest-sha256.txt", bag.manifest256, 0);
    parse_as(m, "manifest-sha512.txt", bag.manifest512, 0);
    struct xbuf b = { 0 };
    xbuf_add(&b, bag.tagmanifest);
    line_of(&b, digests_of("notes").sha256, " ", "notes/collector.txt");
    char *tagmanifest = xbuf_finish(&b);
    parse_as(m, "tagmanifest-sha256.txt", tagmanifest, 0);
    for (size_t i = 0; i < 2; i++)
        check_content(m, bag_files[i][0], bag_files[i][1], 1);
    manifests_finish(m);
    expect_messages(m, "bag-info.txt:0: the file does not match the digest its tag manifest "
                       "lists: its collection date is not used\n");
    assert_int_equal(manifests_get_status(m, "bag-info.txt"), MANIFESTS_ALTERED);
    assert_int_equal(manifests_get_collected(m)->known, 0);
    struct collected_files c = { "" };
    manifests_each(m, 1u << MANIFESTS_MISSING | 1u << MANIFESTS_ALTERED, collect_file, &c);
    char expected[256];
    snprintf(expected, sizeof expected,
             "bag-info.txt %d 1 tagmanifest-sha256.txt:2\n"
             "notes/collector.txt %d 1 tagmanifest-sha256.txt:5\n",
             MANIFESTS_ALTERED, MANIFESTS_MISSING);
    assert_string_equal(c.text, expected);
    expect_summary(m, "listed 7, matched 5, altered 1, missing 1, unlisted 0, unverified 0, "
                      "verified 0, refused 0");
    manifests_free(m);
    free(tagmanifest);
    bag_free(&bag);
}

static void test_bag_sha512_only(void **state)
{
    (void)state;
    char *manifest = bag_manifest(1);
    struct manifests *m = manifests_alloc();
    parse_as(m, "bagit.txt", "BagIt-Version: 0.97\r\nTag-File-Character-Encoding: utf-8\r\n", 0);
    parse_as(m, "manifest-sha512.txt", manifest, 0);
    assert_int_equal(manifests_needs_sha512(m), 1);
    assert_int_equal(check_content(m, bag_files[0][0], bag_files[0][1], 0), MANIFESTS_NEEDS_SHA512);
    /* the caller computes SHA-512 too and checks again */
    assert_int_equal(check_content(m, bag_files[0][0], bag_files[0][1], 1), MANIFESTS_MATCH);
    assert_int_equal(check_content(m, bag_files[1][0], bag_files[1][1], 0), MANIFESTS_NEEDS_SHA512);
    manifests_finish(m);
    expect_messages(m, "");
    struct manifests_summary s =
        expect_summary(m, "listed 2, matched 1, altered 0, missing 0, "
                          "unlisted 0, unverified 1, verified 0, refused 0");
    assert_string_equal(s.bagit_version, "0.97");
    assert_int_equal(s.oxum, MANIFESTS_OXUM_ABSENT);
    assert_string_equal(s.manifest, "manifest-sha512.txt");
    assert_int_equal(manifests_get_collected(m)->known, 0);
    manifests_free(m);
    free(manifest);
}

static void test_bag_percent_encoded(void **state)
{
    (void)state;
    struct digests d = digests_of("p");
    const char *listed[] = { "data/100%25.json", "data/new%0Aline.json", "data/cr%0dx.json",
                             "data/50%.json", "data/a%2Fb.json" };
    const char *names[] = { "data/100%.json", "data/new\nline.json", "data/cr\rx.json",
                            "data/50%.json", "data/a%2Fb.json" };
    struct xbuf b = { 0 };
    for (size_t i = 0; i < 5; i++)
        line_of(&b, d.sha256, " \t ", listed[i]);
    char *manifest = xbuf_finish(&b);
    struct manifests *m = manifests_alloc();
    parse_as(m, "manifest-sha256.txt", manifest, 0);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(check_content(m, names[i], "p", 0), MANIFESTS_MATCH);
    assert_int_equal(manifests_get_status(m, "data/100%25.json"), MANIFESTS_UNLISTED);
    manifests_finish(m);
    expect_messages(m, "-:0: bagit.txt is missing: this is not a complete bag\n");
    expect_summary(m, "listed 5, matched 5, altered 0, missing 0, unlisted 0, unverified 0, "
                      "verified 0, refused 1");
    manifests_free(m);
    free(manifest);
}

static void test_bag_manifest_lines(void **state)
{
    (void)state;
    struct digests d = digests_of("m");
    struct xbuf b = { 0 };
    line_of(&b, d.sha256, "", "data/glued.json"); /* 1 */
    line_of(&b, d.sha512, " ", "data/long.json"); /* 2 */
    line_of(&b, d.sha256, " ", "bagit.txt");      /* 3 */
    xbuf_add(&b, d.sha256);                       /* 4 */
    xbuf_add(&b, "  \n");
    line_of(&b, d.sha256, " ", "data/caf\xC3\xA9.json"); /* 5 */
    line_of(&b, d.sha256, " ", "data/caf\xE9.json");     /* 6 */
    line_of(&b, d.sha256, "\t", "data/ok.json");         /* 7 */
    char *manifest = xbuf_finish(&b);
    b = (struct xbuf){ 0 };
    line_of(&b, d.sha256, " ", "data/ok.json");
    char *tagmanifest = xbuf_finish(&b);
    struct manifests *m = manifests_alloc();
    parse_as(m, "manifest-sha256.txt", manifest, -1);
    parse_as(m, "tagmanifest-sha256.txt", tagmanifest, -1);
    parse_as(m, "manifest-md5.txt", "", -1);
    parse_as(m, "data/x.json", "", -1);
    expect_messages(m, "manifest-sha256.txt:1: not a manifest line: a hexadecimal digest, spaces "
                       "or tabs, then the file path\n"
                       "manifest-sha256.txt:2: the digest has 128 hexadecimal digits, not 64 "
                       "(SHA-256)\n"
                       "manifest-sha256.txt:3: path \"bagit.txt\" is outside the payload "
                       "directory data/\n"
                       "manifest-sha256.txt:4: not a manifest line: a hexadecimal digest, spaces "
                       "or tabs, then the file path\n"
                       "manifest-sha256.txt:6: the line is not valid UTF-8, which BagIt tag "
                       "files must be\n"
                       "tagmanifest-sha256.txt:1: path \"data/ok.json\" is a payload file: a tag "
                       "manifest lists only tag files\n"
                       "manifest-md5.txt:0: the \"md5\" algorithm is not read: only sha256 and "
                       "sha512 manifests are verified\n"
                       "data/x.json:0: not a manifest or BagIt tag file name\n");
    assert_int_equal(check_content(m, "data/caf\xC3\xA9.json", "m", 0), MANIFESTS_MATCH);
    assert_int_equal(check_content(m, "data/ok.json", "m", 0), MANIFESTS_MATCH);
    manifests_free(m);
    free(manifest);
    free(tagmanifest);
}

/* BagIt 1.0: every payload file in every payload manifest; 0.97 allowed
 * one manifest to list a file alone. */
static void test_bag_every_manifest(void **state)
{
    (void)state;
    for (int v = 0; v < 2; v++) {
        struct digests d = digests_of(bag_files[0][1]);
        struct xbuf b = { 0 };
        line_of(&b, d.sha512, " ", bag_files[0][0]);
        char *only_first = xbuf_finish(&b);
        char *both = bag_manifest(0);
        struct manifests *m = manifests_alloc();
        parse_as(m, "bagit.txt",
                 v ? "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
                   : "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n",
                 0);
        parse_as(m, "manifest-sha256.txt", both, 0);
        parse_as(m, "manifest-sha512.txt", only_first, 0);
        for (size_t i = 0; i < 2; i++)
            assert_int_equal(check_content(m, bag_files[i][0], bag_files[i][1], 1),
                             MANIFESTS_MATCH);
        manifests_finish(m);
        char expected[512] = "";
        if (v)
            snprintf(expected, sizeof expected,
                     "manifest-sha512.txt:0: does not list \"%s\", which \"manifest-sha256.txt\" "
                     "lists on line 2\n",
                     bag_files[1][0]);
        expect_messages(m, expected);
        manifests_free(m);
        free(only_first);
        free(both);
    }
}

static void test_bagit_declaration(void **state)
{
    (void)state;
    static const struct {
        const char *text, *messages;
    } cases[] = {
        { "BagIt-Version: 0.96\nTag-File-Character-Encoding: UTF-8\n",
          "bagit.txt:1: BagIt-Version \"0.96\" is not supported: only 0.97 and 1.0 are read\n" },
        { "BagIt-Version: 1.0\nTag-File-Character-Encoding: ISO-8859-1\n",
          "bagit.txt:2: Tag-File-Character-Encoding \"ISO-8859-1\" is not supported: only UTF-8 "
          "tag files are read\n" },
        { "Tag-File-Character-Encoding: UTF-8\n", "bagit.txt:0: no BagIt-Version line\n" },
        { "BagIt-Version: 1.0\n", "bagit.txt:0: no Tag-File-Character-Encoding line\n" },
        { "BagIt-Version: 1.0\nBagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
          "bagit.txt:2: BagIt-Version is given twice\n" },
        { "\xEF\xBB\xBF"
          "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
          "bagit.txt:1: the file starts with a UTF-8 byte-order mark, which this format does not "
          "allow\n" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct manifests *m = manifests_alloc();
        parse_as(m, "bagit.txt", cases[i].text, -1);
        expect_messages(m, cases[i].messages);
        manifests_finish(m);
        /* a BOM is a plain error; the rest leave the bag unread */
        expect_summary(m, i == 5 ? "listed 0, matched 0, altered 0, missing 0, unlisted 0, "
                                   "unverified 0, verified 0, refused 0"
                                 : "listed 0, matched 0, altered 0, missing 0, unlisted 0, "
                                   "unverified 0, verified 0, refused 1");
        manifests_free(m);
    }
    /* the labels in any case, as the RFC's own example writes them */
    struct manifests *m = manifests_alloc();
    parse_as(m, "bagit.txt", "BagIt-version: 1.0\rtag-file-character-encoding: UTF-8\r", 0);
    manifests_finish(m);
    expect_messages(m, "-:0: no payload manifest (manifest-sha256.txt or manifest-sha512.txt) was "
                       "read: nothing verifies the payload\n");
    manifests_free(m);
}

static void test_fetch_refused(void **state)
{
    (void)state;
    struct bag bag;
    bag_make(&bag, "Payload-Oxum: 9.2\n");
    struct manifests *m = manifests_alloc();
    parse_as(m, "bagit.txt", bag.bagit, 0);
    parse_as(m, "manifest-sha256.txt", bag.manifest256, 0);
    parse_as(m, "fetch.txt", "https://example.com/a.json 7 data/a.json\n", -1);
    for (size_t i = 0; i < 2; i++)
        check_content(m, bag_files[i][0], bag_files[i][1], 0);
    manifests_finish(m);
    expect_messages(m, "fetch.txt:0: fetch.txt lists files to be downloaded: the bag is not "
                       "complete offline and is not verified\n");
    expect_summary(m, "listed 2, matched 2, altered 0, missing 0, unlisted 0, unverified 0, "
                      "verified 0, refused 1");
    assert_int_equal(manifests_get_status(m, "fetch.txt"), MANIFESTS_TAG_FILE);
    manifests_free(m);
    bag_free(&bag);
}

/* Malformed bag-info.txt lines, each reported in line order; the rest is
 * kept with blanks trimmed and continuations joined. */
static void test_bag_info_lines(void **state)
{
    (void)state;
    const char *info = "  starts with a continuation\n"       /* 1 */
                       "No colon here\n"                      /* 2 */
                       ": no label\n"                         /* 3 */
                       "payload-oxum: 12.x\n"                 /* 4 */
                       "Payload-Oxum: 9.2\n"                  /* 5 */
                       "Bagging-Date: 2026-12-03T10:00:00Z\n" /* 6 */
                       "Bag-Note: caf\xE9\n"                  /* 7 */
                       "Contact-Name:  Jane\t\n"              /* 8 */
                       "External-Description: one\n"          /* 9 */
                       "\tand two\r\n"                        /* 10 */
                       "Source-Organization : Contoso\n";     /* 11 */
    struct manifests *m = manifests_alloc();
    parse_as(m, "bag-info.txt", info, -1);
    expect_messages(m, "bag-info.txt:1: a continuation line (starting with a space or tab) comes "
                       "before any label\n"
                       "bag-info.txt:2: not a 'Label: value' line\n"
                       "bag-info.txt:3: the label before ':' is empty\n"
                       "bag-info.txt:4: Payload-Oxum \"12.x\" is not OctetCount.StreamCount "
                       "(two whole numbers)\n"
                       "bag-info.txt:5: Payload-Oxum is given twice (first on line 4): neither is "
                       "used\n"
                       "bag-info.txt:6: Bagging-Date \"2026-12-03T10:00:00Z\" is not a date "
                       "YYYY-MM-DD\n"
                       "bag-info.txt:7: the line is not valid UTF-8, which BagIt tag files must "
                       "be\n");
    size_t count;
    const struct manifests_field *f = manifests_get_fields(m, &count);
    assert_int_equal(count, 6);
    assert_string_equal(f[0].label, "payload-oxum");
    assert_string_equal(f[3].label, "Contact-Name");
    assert_string_equal(f[3].value, "Jane");
    assert_string_equal(f[4].value, "one and two");
    assert_int_equal(f[4].line, 9);
    assert_string_equal(f[5].label, "Source-Organization");
    assert_string_equal(f[5].value, "Contoso");
    manifests_finish(m);
    struct manifests_summary s;
    manifests_summarize(m, &s);
    assert_int_equal(s.oxum, MANIFESTS_OXUM_INVALID);
    manifests_free(m);
}

/* Which label gives the collection date, and when there is none. */
static void test_collection_time(void **state)
{
    (void)state;
    static const struct {
        const char *info;
        int known, has_time;
        long long time;
        const char *label, *messages;
    } cases[] = {
        { "Bagging-Date: 2026-12-01\n", 1, 0, 1796083200LL, "Bagging-Date", "" },
        { "Bagging-Date: 2026-12-01\nCollected-At: 2026-11-30\n", 1, 0, 1795996800LL,
          "Collected-At", "" },
        { "collection-date: 2026-12-02t10:11:12.75z\n", 1, 1, 1796206272LL, "Collection-Date", "" },
        { "COLLECTION-TIMESTAMP: 2026-12-02\nCollected-At: 2026-12-02T10:11:12Z\n", 1, 0,
          1796169600LL, "Collection-Timestamp", "" },
        { "Collection-Timestamp: 2024-02-29T23:59:60Z\n", 1, 1, 1709251200LL,
          "Collection-Timestamp", "" },
        { "Collection-Timestamp: 2026-12-02T10:11:12+02:00\nBagging-Date: 2026-12-03\n", 0, 0, 0,
          NULL,
          "bag-info.txt:1: Collection-Timestamp \"2026-12-02T10:11:12+02:00\" is not a UTC time "
          "YYYY-MM-DDTHH:MM:SSZ or a date YYYY-MM-DD\n" },
        { "Collection-Timestamp: 2026-02-29\n", 0, 0, 0, NULL,
          "bag-info.txt:1: Collection-Timestamp \"2026-02-29\" is not a UTC time "
          "YYYY-MM-DDTHH:MM:SSZ or a date YYYY-MM-DD\n" },
        { "Collection-Timestamp: 2026-12-02T10:11:12Z\nCollected-At: 2026-12-01\n", 0, 0, 0, NULL,
          "bag-info.txt:2: Collected-At disagrees with Collection-Timestamp on line 1: the "
          "collection time is unknown\n" },
        { "Collected-At: 2026-12-01\nCollected-At: 2026-12-01\nBagging-Date: 2026-12-03\n", 0, 0, 0,
          NULL,
          "bag-info.txt:2: Collected-At is given twice (first on line 1): neither is used\n" },
        { "Bagging-Date: 2026-12-01\nBagging-Date: 2026-12-02\n", 0, 0, 0, NULL,
          "bag-info.txt:2: Bagging-Date is given twice (first on line 1): neither is used\n" },
        { "Source-Organization: Contoso\n", 0, 0, 0, NULL, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct manifests *m = manifests_alloc();
        manifests_parse(m, "bag-info.txt", "bag-info.txt", cases[i].info, strlen(cases[i].info));
        manifests_finish(m);
        /* finish adds the bag's own problems: keep only bag-info.txt's */
        char *got = messages_text(m, "bag-info.txt");
        assert_string_equal(got, cases[i].messages);
        free(got);
        const struct manifests_collected *c = manifests_get_collected(m);
        assert_int_equal(c->known, cases[i].known);
        if (c->known) {
            assert_int_equal(c->has_time, cases[i].has_time);
            assert_int_equal((long long)c->time, cases[i].time);
            assert_string_equal(c->label, cases[i].label);
        }
        manifests_free(m);
    }
}

static void test_messages_capped(void **state)
{
    (void)state;
    struct xbuf b = { 0 };
    for (int i = 0; i < 60; i++)
        xbuf_add(&b, "garbage\n");
    char *text = xbuf_finish(&b);
    struct manifests *m = manifests_alloc();
    parse_as(m, "SHA256SUMS", text, -1);
    size_t count;
    const struct manifests_message *msg = manifests_get_messages(m, &count);
    assert_int_equal(count, 51);
    assert_int_equal(msg[49].line, 50);
    assert_int_equal(msg[50].line, 0);
    assert_string_equal(msg[50].text, "10 more problems in this file are not shown");
    manifests_free(m);
    free(text);
}

/* An archive may hold the payload before its manifest: manifests_finish()
 * decides again, and the names of evidence are quoted safely. */
static void test_check_before_parse(void **state)
{
    (void)state;
    struct manifests *m = manifests_alloc();
    assert_int_equal(check_content(m, "./a.json", "a", 0), MANIFESTS_UNLISTED);
    assert_int_equal(manifests_check(m, "b.json", 1, "not hex", NULL), MANIFESTS_UNLISTED);
    struct xbuf b = { 0 };
    line_of(&b, digests_of("a").sha256, "  ", "a.json");
    line_of(&b, digests_of("b").sha256, "  ", "b.json");
    line_of(&b, digests_of("c").sha256, "  ", "\x1b[31mred.json");
    char *text = xbuf_finish(&b);
    assert_int_equal(manifests_parse_sha256sums(m, "--manifest q4.sha256", text, strlen(text)), 0);
    manifests_finish(m);
    assert_int_equal(manifests_get_status(m, "a.json"), MANIFESTS_MATCH);
    /* a digest that is not one matches nothing */
    assert_int_equal(manifests_get_status(m, "b.json"), MANIFESTS_ALTERED);
    assert_int_equal(manifests_get_status(m, "nowhere.json"), MANIFESTS_UNLISTED);
    struct manifests_summary s =
        expect_summary(m, "listed 3, matched 1, altered 1, missing 1, "
                          "unlisted 0, unverified 0, verified 0, refused 0");
    assert_string_equal(s.manifest, "--manifest q4.sha256");
    struct collected_files c = { "" };
    manifests_each(m, 1u << MANIFESTS_MISSING, collect_file, &c);
    char expected[128];
    snprintf(expected, sizeof expected, "\x1b[31mred.json %d 0 --manifest q4.sha256:3\n",
             MANIFESTS_MISSING);
    assert_string_equal(c.text, expected);
    manifests_free(m);
    free(text);

    /* an escape in a refused path reaches the message only as text */
    m = manifests_alloc();
    b = (struct xbuf){ 0 };
    line_of(&b, digests_of("a").sha256, "  ", "/\x1b[2J\xff.json");
    text = xbuf_finish(&b);
    parse_as(m, "SHA256SUMS", text, -1);
    expect_messages(m, "SHA256SUMS:1: path \"/\\u001B[2J\\xFF.json\" is refused: it is absolute\n");
    manifests_free(m);
    free(text);
}

/* Checking a file twice with different contents is an alteration; a file
 * outside data/ in a bag is a tag file, unlisted unless a tag manifest
 * lists it. */
static void test_check_twice_and_other_tags(void **state)
{
    (void)state;
    struct bag bag;
    bag_make(&bag, "Bagging-Date: 2026-12-01\n");
    struct manifests *m = manifests_alloc();
    bag_parse(m, &bag);
    assert_int_equal(check_content(m, bag_files[0][0], bag_files[0][1], 1), MANIFESTS_MATCH);
    assert_int_equal(check_content(m, bag_files[0][0], "other", 1), MANIFESTS_ALTERED);
    assert_int_equal(check_content(m, bag_files[1][0], bag_files[1][1], 1), MANIFESTS_MATCH);
    assert_int_equal(check_content(m, "README.json", "{}", 1), MANIFESTS_UNLISTED);
    manifests_finish(m);
    struct collected_files c = { "" };
    manifests_each(m, 1u << MANIFESTS_UNLISTED, collect_file, &c);
    char expected[64];
    snprintf(expected, sizeof expected, "README.json %d 1 -:0\n", MANIFESTS_UNLISTED);
    assert_string_equal(c.text, expected);
    assert_int_equal(manifests_get_status(m, bag_files[0][0]), MANIFESTS_ALTERED);
    const struct manifests_collected *col = manifests_get_collected(m);
    assert_int_equal(col->known, 1);
    assert_string_equal(col->label, "Bagging-Date");
    manifests_free(m);
    bag_free(&bag);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_file_names),
        cmocka_unit_test(test_hasher_vectors),
        cmocka_unit_test(test_sums_accepted_forms),
        cmocka_unit_test(test_sums_malformed_lines),
        cmocka_unit_test(test_sums_gnu_escaped),
        cmocka_unit_test(test_sums_duplicates),
        cmocka_unit_test(test_dangerous_paths),
        cmocka_unit_test(test_bag_verified),
        cmocka_unit_test(test_bag_tampered_missing_unlisted),
        cmocka_unit_test(test_bag_bad_tagmanifest),
        cmocka_unit_test(test_bag_sha512_only),
        cmocka_unit_test(test_bag_percent_encoded),
        cmocka_unit_test(test_bag_manifest_lines),
        cmocka_unit_test(test_bag_every_manifest),
        cmocka_unit_test(test_bagit_declaration),
        cmocka_unit_test(test_fetch_refused),
        cmocka_unit_test(test_bag_info_lines),
        cmocka_unit_test(test_collection_time),
        cmocka_unit_test(test_messages_capped),
        cmocka_unit_test(test_check_before_parse),
        cmocka_unit_test(test_check_twice_and_other_tags),
    };
    return cmocka_run_group_tests_name("manifests", tests, NULL, NULL) == 0 ? 0 : 1;
}
