/* SPDX-License-Identifier: ISC */
/* Fuzz target: the archive reader, bytes in, entries out.
 *
 * The input is one archive file, read from memory by archives_read_memory()
 * with small caps (so that a few kilobytes of deflate reach them), and
 * sniffed by archives_sniff_memory(). A visitor checks what the caller is
 * promised:
 *   - every entry is listed once, in index order, by begin() or refused();
 *     end() comes exactly once after each begin(), with the context
 *     begin() set;
 *   - names are NUL-free with the length given; display names are valid
 *     UTF-8 without control characters;
 *   - a whole entry's digest and size are those of the bytes data() got,
 *     and no entry passes the per-entry cap;
 *   - the summary counts the entries listed, has a message exactly when
 *     the read did not end OK, and a stop point within the entries.
 * abort() on any violation. */
#include "config.h"

#include <nettle/base16.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archives.h"
#include "fuzz.h"
#include "sanitize.h"

static const struct archives_caps caps = { 256 * 1024, 1024 * 1024, 64 };

struct checker {
    size_t next;   /* the index the next entry must have */
    int open;      /* between begin() and end() */
    size_t listed; /* entries seen */
    struct sha256_ctx sha;
    uint64_t bytes;
};

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_archives: %s\n", what);
        abort();
    }
}

static void check_entry(struct checker *c, const struct archives_entry *e)
{
    check(!c->open, "an entry listed inside another");
    check(e->index == c->next, "entries out of order");
    c->next++;
    c->listed++;
    check(e->name == NULL ? e->name_len == 0 : strlen(e->name) == e->name_len,
          "name_len is not the name's length");
    size_t len = strlen(e->display);
    check(sanitize_utf8_valid(e->display, len), "display name is not UTF-8");
    for (size_t i = 0; i < len; i++)
        check((unsigned char)e->display[i] >= 0x20 && e->display[i] != 0x7f,
              "control character in a display name");
}

static enum archives_choice on_begin(void *arg, const struct archives_entry *e, void **ctx)
{
    struct checker *c = arg;
    check_entry(c, e);
    check(e->name != NULL, "an entry without a name is read");
    c->open = 1;
    sha256_init(&c->sha);
    c->bytes = 0;
    *ctx = c;
    return ARCHIVES_FEED;
}

static int on_data(void *arg, void *ctx, const unsigned char *bytes, size_t len)
{
    struct checker *c = arg;
    check(ctx == c && c->open, "data() outside an entry");
    check(len > 0, "data() with no bytes");
    sha256_update(&c->sha, len, bytes);
    c->bytes += len;
    return 0;
}

static void on_end(void *arg, void *ctx, const struct archives_entry *e,
                   const struct archives_outcome *o)
{
    struct checker *c = arg;
    (void)e;
    check(ctx == c && c->open, "end() without begin()");
    c->open = 0;
    check(o->bytes == c->bytes, "outcome bytes differ from the bytes fed");
    check(o->bytes <= caps.entry_bytes, "an entry passed the per-entry cap");
    if (o->error) {
        check(o->sha256[0] == '\0', "a digest for a broken entry");
        check(o->error[0] != '\0', "an empty error message");
        return;
    }
    unsigned char digest[SHA256_DIGEST_SIZE];
    char hex[65];
    sha256_digest(&c->sha, sizeof digest, digest);
    base16_encode_update(hex, sizeof digest, digest);
    hex[64] = '\0';
    check(strcmp(hex, o->sha256) == 0, "outcome digest differs from the bytes fed");
}

static void on_refused(void *arg, const struct archives_entry *e, enum archives_refusal reason,
                       const char *message)
{
    struct checker *c = arg;
    check_entry(c, e);
    check(message != NULL && message[0] != '\0', "a refusal without a message");
    check(strcmp(archives_refusal_name(reason), "unknown") != 0, "an unknown refusal");
    if (reason == ARCHIVES_REFUSED_DUPLICATE)
        check(e->earlier < e->index, "a duplicate of a later entry");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The sniffer must not crash either; libarchive may still read what
     * it does not recognise (a zip after a prefix) or the reverse. */
    (void)archives_sniff_memory(data, size);
    struct checker c = { 0 };
    struct archives_visitor v = { &c, on_begin, on_data, on_end, on_refused };
    struct archives_summary s;
    enum archives_status st = archives_read_memory(data, size, &caps, &v, &s);
    check(st == s.status, "the returned status is not the summary's");
    check(!c.open, "an entry begun and never ended");
    check(s.entries == c.listed, "the summary counts other entries than were listed");
    check((s.status == ARCHIVES_OK) == (s.message == NULL), "a message for OK, or none for a stop");
    if (s.status != ARCHIVES_OK)
        check(s.stopped_at <= s.entries, "stopped past the entries listed");
    if (s.status == ARCHIVES_OK && s.entries > 0)
        check(s.kind != ARCHIVES_NONE, "entries read from no known kind");
    archives_summary_free(&s);
    return 0;
}
