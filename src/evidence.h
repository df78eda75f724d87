/* Evidence input: turns the command-line arguments into the ordered list of
 * files to audit, and reads each file as a stream of UTF-8 text (gunzip,
 * BOM and UTF-16 transcoding, az CLI notice lines blanked), hashing the raw
 * bytes with SHA-256 in the same loop. The first stage of the pipeline; its
 * output feeds the JSON stream (jstream.c) through the contact-record stage. */
#ifndef EVIDENCE_H
#define EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

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
    char *message;           /* owned; why ERROR/SKIPPED, or NULL */
    unsigned long line, col; /* where message applies, 0 if nowhere */
    uint64_t size;           /* raw bytes read */
    int hashed;              /* sha256 covers the whole file */
    char sha256[65];         /* lowercase hex of the raw bytes */
    const char *encoding;    /* static: "UTF-8", "UTF-8 with BOM", ... */
    int gzip;                /* was gzip-compressed */
    const char *shape;       /* static, set by the contact-record stage */
    unsigned api_versions;   /* bit set of enum contact_api, same stage */
    unsigned long documents; /* JSON documents in the file */
    unsigned long records;   /* contact records found */
    unsigned long error_bodies, inventory_entries, ignored_objects;
    unsigned long notice_lines; /* az CLI notice lines skipped */
    char *api_error;            /* owned: the first API error body's message, or NULL */
    int has_path_subscription;
    guid_text path_subscription; /* last GUID in the path */
};

struct evidence_list {
    struct evidence_file *files; /* owned */
    size_t count, cap;
};

void evidence_list_init(struct evidence_list *list);
void evidence_list_free(struct evidence_list *list);

/* Expands one argument: a file, a folder (walked recursively in byte
 * order, taking *.json and *.json.gz), or "-" for standard input. Anything
 * met that cannot be used becomes an entry with status ERROR or SKIPPED and
 * a message, so nothing disappears silently. */
void evidence_collect(struct evidence_list *list, const char *arg);

/* Receives decoded UTF-8 text; returns 0 to go on, -1 to stop feeding
 * (reading and hashing still go on to the end of a regular file). */
typedef int (*evidence_sink_fn)(void *ctx, const char *utf8, size_t len);

/* Decoding pipeline, usable on memory (tests, fuzzers) as well as files. */
struct evidence_decoder;
/* file receives encoding/gzip/notice_lines; it must outlive the decoder. */
struct evidence_decoder *evidence_decoder_alloc(struct evidence_file *file, evidence_sink_fn sink,
                                                void *ctx);
/* Push raw bytes / signal the end. Return 0, or -1 with a decoding problem
 * described by evidence_decoder_error() (or the sink asked to stop). */
int evidence_decoder_push(struct evidence_decoder *dec, const unsigned char *raw, size_t len);
int evidence_decoder_finish(struct evidence_decoder *dec);
/* NULL when the sink stopped the stream rather than a decoding error. The
 * string is borrowed from the decoder. */
const char *evidence_decoder_error(const struct evidence_decoder *dec);
void evidence_decoder_free(struct evidence_decoder *dec);

/* Outcome of evidence_read(). */
enum evidence_read_result {
    EVIDENCE_READ_OK,
    EVIDENCE_READ_IO_ERROR,     /* message set in file, no position */
    EVIDENCE_READ_DECODE_ERROR, /* *decode_error says what; the position is
                                   where the consumer of the text stands */
    EVIDENCE_READ_STOPPED       /* the sink stopped */
};

/* Reads the file in chunks of read_size bytes (0: 64 KiB), feeding the sink.
 * Fills size, sha256, encoding. On DECODE_ERROR *decode_error points to a
 * message owned by the caller (free()). */
enum evidence_read_result evidence_read(struct evidence_file *file, size_t read_size,
                                        evidence_sink_fn sink, void *ctx, char **decode_error);

/* Sets status to ERROR with an owned copy of message at line:col (keeps the
 * first error when called twice). */
void evidence_file_fail(struct evidence_file *file, const char *message, unsigned long line,
                        unsigned long col);

#endif
