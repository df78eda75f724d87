/* SPDX-License-Identifier: ISC */
/* Manifests of an evidence bundle, a BagIt bag (RFC 8493) or a GNU sha256sum
 * SHA256SUMS file: parsed from text the reading pipeline hands over, and
 * checked against the digests the pipeline computes for every file it reads. */
#ifndef MANIFESTS_H
#define MANIFESTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <nettle/sha2.h>

/*
 * One struct manifests describes one root: a bag's base folder, or the
 * folder (or archive) a SHA256SUMS sits at the top of. Paths are relative
 * to that root, '/'-separated, exactly as the folder walk or the archive
 * names them (a leading "./" is ignored).
 *
 * The calls, in order:
 *  1. manifests_alloc().
 *  2. For each file at the root that manifests_is_tag_file() names: read its
 *     bytes and give them to manifests_parse(). A manifest named on the
 *     command line goes to manifests_parse_sha256sums() instead.
 *  3. For each other file: manifests_check() with its size and digests
 *     (SHA-512 too when manifests_needs_sha512() says so).
 *  4. manifests_finish(): decides every file again against everything
 *     parsed, so files checked before their manifest was parsed come out
 *     right; adds the problems of the bag as a whole.
 *  5. The read-only calls: manifests_summarize(), manifests_each(),
 *     manifests_get_status(), manifests_get_collected(),
 *     manifests_get_fields(), manifests_get_messages().
 * After manifests_finish(), calling manifests_parse*() or manifests_check()
 * is a programming error and aborts.
 *
 * Every path, label and value these calls return came from evidence:
 * untrusted, never a path to open, sanitised before display. The message
 * texts are already sanitised (one line of valid UTF-8).
 */

#define MANIFESTS_SHA256_HEX 64
#define MANIFESTS_SHA512_HEX 128
/* The largest tag file read: a manifest of a million files is about 100 MB
 * with SHA-512, a real one far less. */
#define MANIFESTS_TAG_FILE_MAX (64u * 1024 * 1024)

struct manifests;

/* Never NULL; the caller frees with manifests_free(), which accepts NULL. */
struct manifests *manifests_alloc(void);
void manifests_free(struct manifests *m);

/* 1 when path names a tag file, which is not evidence: bagit.txt,
 * bag-info.txt, fetch.txt, manifest-*.txt and tagmanifest-*.txt at the
 * root of a bag, SHA256SUMS at the root of a manifest. Needs no state, so
 * the pipeline can decide before it has seen any of them. */
int manifests_is_tag_file(const char *path);

/* Parses a tag file's bytes; path (relative to the root, borrowed) chooses
 * the format and must satisfy manifests_is_tag_file(). display names the
 * file in messages (copied). text[0..len) is borrowed; it may hold any
 * bytes. The file is also recorded as seen, with the digests of these
 * bytes, so that a tag manifest verifies it. A bad line becomes a message
 * with its line number and the rest of the file is still read. Returns 0,
 * or -1 when this file gave any message. */
int manifests_parse(struct manifests *m, const char *path, const char *display, const char *text,
                    size_t len);
/* The same for a sha256sum file that is not at the root under its own name
 * (--manifest FILE): its paths are relative to the root all the same. */
int manifests_parse_sha256sums(struct manifests *m, const char *display, const char *text,
                               size_t len);

/* 1 when some file is listed with a SHA-512 digest: the caller must then
 * give SHA-512 too for every file, or those files stay unverified. */
int manifests_needs_sha512(const struct manifests *m);

enum manifests_status {
    MANIFESTS_MATCH,        /* listed, and every listed digest matches */
    MANIFESTS_ALTERED,      /* listed, and a digest differs (or two listings disagree) */
    MANIFESTS_UNLISTED,     /* no manifest lists it */
    MANIFESTS_NEEDS_SHA512, /* listed with a SHA-512 digest, none given; the rest match */
    MANIFESTS_TAG_FILE,     /* a tag file no tag manifest lists: nothing to verify */
    MANIFESTS_MISSING       /* listed, never checked (before manifests_finish(): not yet) */
};

/* Records that the file at path (borrowed) was read: size bytes, with
 * lowercase or uppercase hex digests; sha256 is required, sha512 may be
 * NULL. A digest that is not hex of the right length matches nothing.
 * Checking a path again adds the digests given (so SHA-512 can follow);
 * different contents for one path make it ALTERED. Returns the status as
 * far as the manifests parsed so far tell (final after manifests_finish(),
 * see manifests_get_status()). */
enum manifests_status manifests_check(struct manifests *m, const char *path, uint64_t size,
                                      const char *sha256, const char *sha512);

/* Decides every file and the bag as a whole. Call once, after every
 * manifests_parse*() and manifests_check(). */
void manifests_finish(struct manifests *m);

enum manifests_kind {
    MANIFESTS_NONE,       /* nothing parsed */
    MANIFESTS_SHA256SUMS, /* a sha256sum file only */
    MANIFESTS_BAG         /* any bag tag file (a SHA256SUMS beside it adds SHA-256 listings) */
};

enum manifests_oxum {
    MANIFESTS_OXUM_ABSENT,   /* no Payload-Oxum in bag-info.txt */
    MANIFESTS_OXUM_MATCH,    /* octets and file count equal the payload checked */
    MANIFESTS_OXUM_MISMATCH, /* they differ: see the messages */
    MANIFESTS_OXUM_INVALID   /* malformed or given twice: see the messages */
};

/* The manifest's verdict for the report headers. Counts cover payload and
 * tag files alike; manifests_each() tells which is which. */
struct manifests_summary {
    enum manifests_kind kind;
    int verified; /* nothing altered, missing, unlisted or unverified; no message; not refused */
    int refused;  /* fetch.txt, or a bagit.txt this tool does not read: the bag is not verified */
    const char *bagit_version; /* "1.0" or "0.97" as read, or NULL; borrowed */
    unsigned long listed;      /* files the manifests list */
    unsigned long matched;     /* MANIFESTS_MATCH */
    unsigned long altered;     /* MANIFESTS_ALTERED */
    unsigned long missing;     /* MANIFESTS_MISSING */
    unsigned long unlisted;    /* MANIFESTS_UNLISTED */
    unsigned long unverified;  /* MANIFESTS_NEEDS_SHA512 */
    unsigned long messages;    /* problems in manifests_get_messages() */
    enum manifests_oxum oxum;
    uint64_t oxum_octets, oxum_files;       /* as Payload-Oxum states them */
    uint64_t payload_octets, payload_files; /* as checked under data/ */
    /* The file that binds the others (a tag manifest before a payload
     * manifest, SHA-256 before SHA-512) and the SHA-256 of its bytes as
     * parsed; NULL and "" when nothing was parsed. Borrowed. */
    const char *manifest;
    char manifest_sha256[MANIFESTS_SHA256_HEX + 1];
};
/* Fills *out; after manifests_finish(). Borrowed strings live as long as m. */
void manifests_summarize(const struct manifests *m, struct manifests_summary *out);

/* One file, listed or checked, as manifests_each() shows it. */
struct manifests_file {
    const char *path; /* decoded, relative to the root; borrowed, untrusted */
    enum manifests_status status;
    int tag; /* a tag file (outside data/ in a bag, or a tag file name), not payload */
    const char *listed_in; /* display name of the first manifest listing it, or NULL */
    unsigned long line;    /* its line there, 0 when unlisted */
};
typedef void (*manifests_file_fn)(void *ctx, const struct manifests_file *file);
/* Calls fn for every file whose status bit (1u << status) is in statuses,
 * in the order the files were first listed or checked. Before
 * manifests_finish(), MISSING means listed and not checked yet. */
void manifests_each(const struct manifests *m, unsigned statuses, manifests_file_fn fn, void *ctx);
/* The status of the file at path (borrowed), or MANIFESTS_UNLISTED when it
 * was neither listed nor checked. */
enum manifests_status manifests_get_status(const struct manifests *m, const char *path);

/* When the evidence was collected, as bag-info.txt states it: the first of
 * Collection-Timestamp, Collected-At, Collection-Date (labels in any case;
 * YYYY-MM-DD or an RFC 3339 UTC time ending in Z), else Bagging-Date
 * (YYYY-MM-DD). Unknown when none is given, when one of them is malformed,
 * repeated or disagrees with another, or when a tag manifest shows that
 * bag-info.txt was altered. Final after manifests_finish(). */
struct manifests_collected {
    int known;
    time_t time;       /* UTC; the start of the day when has_time is 0 */
    int has_time;      /* the statement had a time of day */
    const char *label; /* static canonical spelling of the label it came from */
    const char *value; /* as written; borrowed, untrusted */
    const char *file;  /* display name of bag-info.txt; borrowed */
    unsigned long line;
};
/* Borrowed from m; never NULL. */
const struct manifests_collected *manifests_get_collected(const struct manifests *m);

/* bag-info.txt as written: every element in file order, repeated labels
 * included, continuation lines joined with one space. */
struct manifests_field {
    const char *label; /* as written; untrusted */
    const char *value; /* untrusted */
    const char *file;  /* display name of bag-info.txt */
    unsigned long line;
};
/* Borrowed array of *count fields, valid until the next parse call. */
const struct manifests_field *manifests_get_fields(const struct manifests *m, size_t *count);

/* A problem found in a manifest or in the bag as a whole. Every one is an
 * error: the manifest does not say what it should. */
struct manifests_message {
    const char *file;   /* display name given to the parse call; NULL for the bag as a whole */
    unsigned long line; /* 1-based; 0 for the whole file */
    const char *text;   /* sanitised, one line */
};
/* Borrowed array of *count messages, file by file in the order parsed, each
 * file's in line order, then the bag's own; valid until the
 * next call that is not read-only. */
const struct manifests_message *manifests_get_messages(const struct manifests *m, size_t *count);

/* A date as manifests and the command line give it: YYYY-MM-DD, or with
 * allow_time also YYYY-MM-DDTHH:MM:SS[.fraction]Z (RFC 3339 in UTC). A day
 * that does not exist is refused. Returns 1 and fills *out (UTC; the start
 * of the day without a time) and *has_time, or 0. */
int manifests_parse_time(const char *s, int allow_time, time_t *out, int *has_time);

#endif
