/* SPDX-License-Identifier: ISC */
/* JSON stream: drives yajl over UTF-8 chunks and adds what yajl lacks for
 * evidence work: line:column of every token, a nesting cap, a token-size
 * cap, strict UTF-8 for strings and keys, and document boundaries for files
 * that hold several concatenated JSON documents. Used by the contact-record
 * stage (contacts.c) and by the waiver reader. */
#ifndef JSTREAM_H
#define JSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Defaults: 64 levels is deeper than any Azure export (they stop at 6);
 * 1 MiB per token bounds what yajl buffers for one string or number. */
#define JSTREAM_DEFAULT_MAX_DEPTH 64
#define JSTREAM_DEFAULT_MAX_TOKEN (1024 * 1024)

/* A place in the UTF-8 text: 1-based line, 1-based column counted in
 * characters (code points), and the 0-based byte offset. */
struct jstream_pos {
    unsigned long line;
    unsigned long col;
    uint64_t offset;
};

enum jstream_scalar { JSTREAM_STRING, JSTREAM_NUMBER, JSTREAM_TRUE, JSTREAM_FALSE, JSTREAM_NULL };

/* Event consumer. Text is borrowed for the duration of the call, not
 * NUL-terminated, strictly valid UTF-8 (it may contain NUL from \u0000).
 * pos is where the token starts. Return 1 to go on, 0 to stop; a consumer
 * that stops calls jstream_fail() first to say why. */
struct jstream_handler {
    int (*start_map)(void *ctx, const struct jstream_pos *pos);
    int (*end_map)(void *ctx);
    int (*start_array)(void *ctx, const struct jstream_pos *pos);
    int (*end_array)(void *ctx);
    int (*key)(void *ctx, const char *text, size_t len, const struct jstream_pos *pos);
    int (*scalar)(void *ctx, enum jstream_scalar type, const char *text, size_t len,
                  const struct jstream_pos *pos);
    /* Called after each complete top-level value. */
    int (*document_end)(void *ctx);
};

struct jstream;

/* handler must outlive the stream. The caller owns the result and frees it
 * with jstream_free(). */
struct jstream *jstream_alloc(const struct jstream_handler *handler, void *ctx, unsigned max_depth,
                              size_t max_token);
void jstream_free(struct jstream *js);

/* Length of the run of spaces at p, at most limit bytes; avail >= limit
 * bytes may be read. Word at a time: indentation is most of a
 * pretty-printed export, so the az-notice filter before the stream skips it
 * with this too. */
size_t jstream_space_run(const unsigned char *p, size_t limit, size_t avail);

/* Feeds the next chunk of UTF-8 text. Returns 0 on success, -1 once the
 * stream has failed (every later call also returns -1). */
int jstream_feed(struct jstream *js, const char *buf, size_t len);
/* Ends the text: reports truncation. Returns 0 or -1 like jstream_feed(). */
int jstream_finish(struct jstream *js);

/* Called by a handler to stop the parse with catalogue message id and its
 * argument (copied) at pos (NULL: the current token). */
void jstream_fail(struct jstream *js, enum diag_id id, const char *detail,
                  const struct jstream_pos *pos);
/* After a failure: what went wrong and where (borrowed, valid until
 * jstream_free()); the byte offset of that place in the text. */
const struct diag_fault *jstream_fault(const struct jstream *js);
uint64_t jstream_fault_offset(const struct jstream *js);
/* Which kind of failure it was (a syntax error can be a text cut short). */
enum jstream_failure {
    JSTREAM_OK,
    JSTREAM_SYNTAX,
    JSTREAM_DEPTH,
    JSTREAM_TOKEN,
    JSTREAM_UTF8,
    JSTREAM_HANDLER
};
enum jstream_failure jstream_failure(const struct jstream *js);
/* Nonzero when the failure was met at the end of the text (jstream_finish):
 * the text stopped inside a value. */
int jstream_failed_at_end(const struct jstream *js);

/* Number of complete top-level documents seen so far, and whether any
 * non-whitespace byte was fed at all. */
unsigned long jstream_documents(const struct jstream *js);
int jstream_saw_content(const struct jstream *js);
/* The current position (end of what has been consumed). */
struct jstream_pos jstream_position(const struct jstream *js);

#endif
