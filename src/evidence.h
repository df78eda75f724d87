/* SPDX-License-Identifier: ISC */
/* Evidence input: turns the command-line arguments into the ordered list of
 * files to audit, and reads each file as a stream of UTF-8 text (gunzip,
 * BOM and UTF-16 transcoding, az CLI notice lines blanked), hashing the raw
 * bytes with SHA-256 in the same loop. The first stage of the pipeline; its
 * output feeds the JSON stream (jstream.c) through the contact-record stage. */
#ifndef EVIDENCE_H
#define EVIDENCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <nettle/sha2.h>

#include "archives.h"
#include "diag.h"
#include "guid.h"

enum evidence_status {
    EVIDENCE_PENDING, /* collected, not read yet */
    EVIDENCE_READ,    /* read and understood */
    EVIDENCE_ERROR,   /* could not be read or understood: exit status 2 */
    EVIDENCE_SKIPPED  /* met in a folder and deliberately not read */
};

/* One input file and what became of it: the manifest row of both reports. */
struct evidence_file {
    char *path;   /* owned; as given or as walked */
    int is_stdin; /* "-" */
    int named;    /* named on the command line */
    enum evidence_status status;
    struct diag_fault fault; /* owned; why ERROR/SKIPPED, and where */
    uint64_t size;           /* raw bytes read */
    int hashed;              /* sha256 covers the whole file */
    char sha256[65];         /* lowercase hex of the raw bytes */
    int want_sha512;         /* a manifest lists SHA-512 digests: compute it too */
    char sha512[129];        /* lowercase hex, or "" */
    const char *encoding;    /* static: "UTF-8", "UTF-8 with BOM", ... */
    int gzip;                /* was gzip-compressed */
    const char *shape;       /* static, set by the contact-record stage */
    unsigned api_versions;   /* bit set of enum contact_api, same stage */
    unsigned long documents; /* JSON documents in the file */
    unsigned long records;   /* contact records found */
    unsigned long error_bodies, inventory_entries, ignored_objects;
    unsigned long notice_lines; /* az CLI notice lines skipped */
    int more_pages;             /* a nextLink or skip token: other pages exist */
    char *api_error;            /* owned: the first API error body's message, or NULL */
    int has_path_subscription;
    guid_text path_subscription; /* last GUID in the path */
    /* An archive (read entry by entry, its entries are the rows after it)
     * or one of its entries ("bundle.zip!dir/file.json"). */
    enum archives_kind archive_kind; /* this row is an archive (ARCHIVES_NONE: not) */
    size_t entries;                  /* an archive: how many entry rows follow it */
    size_t archive;                  /* an entry: 1 + its archive's row; 0 for a file */
    size_t entry;                    /* an entry: its index in the archive, from 0 (folder
                                        entries have no row, so rows may skip an index) */
    unsigned char *held;             /* owned: an entry's bytes kept from the listing (a
                                        manifest the evidence chain reads), or NULL */
    size_t held_len;
};

struct evidence_list {
    struct evidence_file *files; /* owned */
    size_t count, cap;
    /* The run's own inputs (the waiver file): never evidence in a folder. */
    struct {
        dev_t dev;
        ino_t ino;
        const char *option; /* static: "--waivers" */
    } excluded[4];
    size_t n_excluded;
    struct archives_caps caps; /* for every archive collected (archives_caps_init) */
};

void evidence_list_init(struct evidence_list *list);
void evidence_list_free(struct evidence_list *list);
/* A new entry for path (copied), pending to be read; its subscription is
 * the last GUID in the path. Valid until the list grows again. */
struct evidence_file *evidence_list_add(struct evidence_list *list, const char *path);

/* The file at path is an input of the run given with option (static), not
 * evidence: a folder walk that meets it lists it as such. Call before
 * evidence_collect(). */
void evidence_list_exclude(struct evidence_list *list, const char *path, const char *option);

/* Expands one argument: a file (read whatever its name), a folder (walked
 * recursively in byte order, taking what is named or looks like JSON,
 * JSON Lines or gzip), or "-" for standard input. A zip, tar or tar.gz
 * (told by its content: a named file, or one met in a folder whose name
 * does not say JSON) is listed by unpack_list(): a row for the archive,
 * then one per entry. Anything met that cannot be used becomes an entry
 * with status ERROR or SKIPPED and a message, so nothing disappears
 * silently. */
void evidence_collect(struct evidence_list *list, const char *arg);

/* The first bytes of a stream, as read (raw) and after gunzip (text: what
 * the text decoder got), and how many raw bytes there were: what a broken
 * file is can be told from them. */
#define EVIDENCE_HEAD 512
struct evidence_head {
    unsigned char raw[EVIDENCE_HEAD], text[EVIDENCE_HEAD];
    size_t n_raw, n_text;
    uint64_t size; /* raw bytes seen */
    int gzip;
};

/* What bytes are, by their first bytes. */
enum evidence_kind {
    EVIDENCE_KIND_OTHER,    /* nothing this function recognises (JSON, or text) */
    EVIDENCE_KIND_EMPTY,    /* no byte at all */
    EVIDENCE_KIND_ZIP,      /* PK\3\4 (or an empty zip's PK\5\6) */
    EVIDENCE_KIND_TAR,      /* "ustar" at offset 257 */
    EVIDENCE_KIND_GZIP_TAR, /* gzip whose content is a tar archive (.tar.gz) */
    EVIDENCE_KIND_HTML,     /* <!DOCTYPE html or <html after blanks */
    EVIDENCE_KIND_AZ_ERROR  /* a line az writes to stderr: "ERROR: (Code) message" */
};

/* Recognises the bytes of h: the one place that tells archives, pages and
 * az error text from evidence (the archive reader uses it too). For
 * EVIDENCE_KIND_AZ_ERROR, *az_line is the 1-based line of the first
 * "ERROR:" line and code[] its error code in parentheses ("" if none). */
enum evidence_kind evidence_recognise(const struct evidence_head *h, unsigned long *az_line,
                                      char code[64]);
/* "a zip archive", "a tar archive", ...: the kind in words (static). */
const char *evidence_name_kind(enum evidence_kind kind);

/* Says what a broken file is before, or instead of, the parser's words:
 * "empty file (0 bytes)", "a zip archive, not JSON ...", "az CLI error
 * text, not JSON (AuthorizationFailed)", "file ends early at 1:103
 * (truncated?)". parser is the JSON stage's fault; at_end says it was met
 * at the end of the text. Returns 1 with *out set, or 0 when the bytes say
 * no more than the parser (out untouched). */
int evidence_describe(const struct evidence_head *h, const struct diag_fault *parser, int at_end,
                      struct diag_fault *out);

/* Receives decoded UTF-8 text; returns 0 to go on, -1 to stop feeding. */
typedef int (*evidence_sink_fn)(void *ctx, const char *utf8, size_t len);

/* Decoding pipeline (gzip, BOM, UTF-16, az notice lines), usable on any
 * stream of raw bytes: a file, an archive entry, memory. */
struct evidence_decoder;
/* file receives encoding/gzip/notice_lines; it must outlive the decoder. */
struct evidence_decoder *evidence_decoder_alloc(struct evidence_file *file, evidence_sink_fn sink,
                                                void *ctx);
/* Push raw bytes / signal the end. Return 0, or -1 when decoding failed
 * (see evidence_decoder_fault()) or the sink asked to stop. */
int evidence_decoder_push(struct evidence_decoder *dec, const unsigned char *raw, size_t len);
int evidence_decoder_finish(struct evidence_decoder *dec);
/* What went wrong while decoding (D_NONE when the sink stopped the
 * stream instead). Borrowed from the decoder. */
const struct diag_fault *evidence_decoder_fault(const struct evidence_decoder *dec);
/* The first bytes the decoder was given (borrowed from the decoder). */
const struct evidence_head *evidence_decoder_head(const struct evidence_decoder *dec);
void evidence_decoder_free(struct evidence_decoder *dec);

/* Receives raw bytes as read; returns 0 to go on, -1 when it wants no
 * more (a regular file is still read and hashed to its end). */
typedef int (*evidence_bytes_fn)(void *ctx, const unsigned char *raw, size_t len);

/* Reads the file in chunks of read_size bytes (0: 64 KiB), hashing every
 * byte with SHA-256 and handing it to consume. Fills size, sha256 and
 * hashed. Returns 0, or -1 with *fault set when the file could not be
 * opened or read, or changed while it was read. An archive entry is read
 * from the bytes its listing held (an entry that has none is read only
 * with its archive: ingest_file() on the archive's row). */
int evidence_read(struct evidence_file *file, size_t read_size, evidence_bytes_fn consume,
                  void *ctx, struct diag_fault *fault);

/* SHA-256 and optionally SHA-512 of one stream (nettle), for every reader
 * of evidence: files, archive entries, memory, manifests. */
struct evidence_digests {
    struct sha256_ctx sha256;
    struct sha512_ctx sha512;
    int with_sha512;
};
void evidence_digests_init(struct evidence_digests *d, int with_sha512);
void evidence_digests_update(struct evidence_digests *d, const void *data, size_t len);
/* Writes lowercase hex, NUL-terminated; sha512 may be NULL, and is set to
 * "" when the digests were started without SHA-512. */
void evidence_digests_finish(struct evidence_digests *d, char sha256[65], char *sha512);

/* Whether the start of a stream, p[0..n), is evidence this tool reads:
 * gzip, or JSON in UTF-8 (with or without a BOM) or UTF-16 with a BOM. */
int evidence_content_is_json(const unsigned char *p, size_t n);
/* Whether a file name says JSON (.json, .json.gz, .jsonl, .ndjson): such a
 * file is read without looking, and a broken one is an error. */
int evidence_name_is_json(const char *name);
/* Adds a row for path with status ERROR (or SKIPPED, for a message below
 * error level) and fault id with arg; returns it. */
struct evidence_file *evidence_list_add_problem(struct evidence_list *list, const char *path,
                                                enum diag_id id, const char *arg);

/* Marks the file ERROR with fault, which it takes over (the first error is
 * kept; a later one is dropped). */
void evidence_file_fail(struct evidence_file *file, struct diag_fault *fault);

#endif
