/* SPDX-License-Identifier: ISC */
/* Ingest: reads evidence into the verdict table: one collected file, a
 * stream of raw bytes from another reader, or bytes in memory. It wires the
 * decoder, the JSON stream and the contact-record stage inside it and has
 * one failure path: a file that cannot be opened, that breaks while it is
 * read or that holds nothing recognisable withdraws the records it gave,
 * and every subscription it names gets an ERROR in the same words. The
 * driver, the tests and the fuzzers all read evidence through it. */
#ifndef INGEST_H
#define INGEST_H

#include <stddef.h>

#include "contacts.h"
#include "diag.h"
#include "evidence.h"
#include "verdicts.h"

struct ingest;

/* files, table and d are borrowed and must outlive the reader; the files
 * get their status, counts and digests, the table the records. Free with
 * ingest_free(). */
struct ingest *ingest_alloc(struct evidence_list *files, struct verdict_table *table,
                            struct diag *d);
void ingest_free(struct ingest *ing);

/* Every collected file, in order, in reads of read_size bytes (0: the
 * default). Files that failed when they were collected are said and
 * ERROR what they name, like files that fail while read. When no file
 * could be read at all, says "no evidence found". */
void ingest_all(struct ingest *ing, size_t read_size);
/* The file at index, the same way. */
void ingest_file(struct ingest *ing, size_t index, size_t read_size);
/* bytes[0..len) as the content of the file at index (tests, fuzzers),
 * pushed in pieces of chunk bytes (0: one piece). */
void ingest_memory(struct ingest *ing, size_t index, const unsigned char *bytes, size_t len,
                   size_t chunk);

/* The reading of one stream with any contact sink (the table's, or a
 * test's that prints every record): decoder, JSON stream with the given
 * caps (0: the defaults) and contact-record stage, and the one rule that
 * says whether the stream failed and why. file (borrowed) gets its
 * encoding, shape and counts. */
struct ingest_reader;
struct ingest_reader *ingest_reader_open(struct evidence_file *file,
                                         const struct contact_sink *sink, void *ctx,
                                         unsigned max_depth, size_t max_token);
/* Returns 0, or -1 when the rest of the bytes is not wanted. */
int ingest_reader_push(struct ingest_reader *r, const unsigned char *raw, size_t len);
/* What one stream held, besides its records. */
struct ingest_result {
    struct contacts_summary summary;
    /* When the stream failed inside an object that names a subscription. */
    int has_pending;
    guid_text pending;
};

/* Ends the stream and frees r: 0, or -1 with *fault set (io: the byte
 * reader's own fault, NULL or unset when every byte arrived); *out says
 * what else it held. */
int ingest_reader_close(struct ingest_reader *r, const struct diag_fault *io,
                        struct diag_fault *fault, struct ingest_result *out);

/* For readers that produce the raw bytes themselves and hash them (an
 * archive entry): begin, push every piece, end. */
struct ingest_stream;
struct ingest_stream *ingest_begin(struct ingest *ing, size_t index);
/* Returns 0, or -1 when the rest of the bytes is not wanted (the reader
 * still hashes them). */
int ingest_push(struct ingest_stream *s, const unsigned char *raw, size_t len);
/* Ends the stream and frees s; io is the reader's own fault (NULL or unset
 * when every byte arrived). */
void ingest_end(struct ingest_stream *s, const struct diag_fault *io);

#endif
