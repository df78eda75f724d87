/* SPDX-License-Identifier: ISC */
/* Diagnostics: the one catalogue of every message the tool can give, the one
 * shape in which a stage says what went wrong (struct diag_fault), and the
 * one entry point that prints `azure-contact-audit: FILE:LINE:COL: LEVEL:
 * message`, masks it for --redact and remembers the worst level (the exit
 * status is computed from it). Every stage and the driver use it. */
#ifndef DIAG_H
#define DIAG_H

#include <stdio.h>

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* Keep in step with diag_catalogue in diag.c and DIAGNOSTICS in the man page. */
enum diag_id {
    D_NONE, /* no message: a fault that is not set */
    D_NO_EVIDENCE_FOUND,
    D_CANNOT_OPEN,
    D_READ_FAILED,
    D_NOT_REGULAR,
    D_SYMLINK_LOOP,
    D_NOT_EVIDENCE,
    D_OWN_INPUT,
    D_NO_EVIDENCE_IN_FILE,
    D_JSON_SYNTAX,
    D_JSON_TRUNCATED,
    D_EMPTY_FILE,
    D_ARCHIVE,
    D_HTML_PAGE,
    D_AZ_ERROR_TEXT,
    D_TOO_DEEP,
    D_VALUE_TOO_LONG,
    D_INVALID_UTF8,
    D_UNSUPPORTED_ENCODING,
    D_BAD_ENCODED_INPUT,
    D_GZIP_FAILED,
    D_NOTICE_LINES,
    D_UNRECOGNISED_FILE,
    D_UNRECOGNISED_OBJECT,
    D_API_ERROR,
    D_DUPLICATE_MEMBER,
    D_DUPLICATE_LIST,
    D_UNEXPECTED_TYPE,
    D_CONTACT_PROBLEM,
    D_NO_SUBSCRIPTION,
    D_SUBSCRIPTION_DISAGREES,
    D_ID_NO_SUBSCRIPTION,
    D_PROPERTIES_NOT_OBJECT,
    D_NEXT_LINK,
    D_TAG_FILE,
    D_ARCHIVE_REFUSED,
    D_ARCHIVE_BROKEN,
    D_ARCHIVE_DUPLICATE,
    D_ARCHIVE_CHANGED,
    D_ALTERED,
    D_UNLISTED,
    D_MISSING_FROM_BUNDLE,
    D_MANIFEST_PROBLEM,
    D_STALE,
    D_UNDATED,
    D_FILE_FOR_OTHER,
    D_UNDELIVERABLE_KEPT,
    D_SNAPSHOTS_DIFFER,
    D_WAIVER_EXPIRED,
    D_WAIVER_INVALID,
    D_WAIVER_ON_ERROR,
    D_WAIVER_FILE_INVALID,
    D_WAIVER_OTHER_LIST,
    D_WAIVER_ON_PASS,
    D_WAIVER_UNKNOWN_SUBSCRIPTION,
    D_BASELINE_REFUSED,
    D_REPORT_WRITE,
    D_REPORT_IS_INPUT,
    D_REPORT_IS_OPTION_INPUT,
    D_REPORTS_CLASH,
    D_OUTPUT_FAILED,
    D_USAGE,
    D_CANNOT_CREATE_FOLDER,
    D_RENDER_FAILED,
    D_TOO_MANY_SUBSCRIPTIONS,
    D_OUT_OF_MEMORY,
    D_COUNT
};

/* The catalogue entry: severity and a template in which {1} and {2} stand
 * for the arguments (never a printf format: arguments come from evidence). */
struct diag_message {
    enum diag_level level;
    const char *template;
};

extern const struct diag_message diag_catalogue[D_COUNT];

/* Returns the message text for id with {1}/{2} replaced by a1/a2 (either
 * may be NULL), each argument sanitised to one line of valid UTF-8 and
 * capped. The caller owns the result and frees it with free(). */
char *diag_format(enum diag_id id, const char *a1, const char *a2);
/* How much of an API error's message the reports keep (whole, in practice). */
#define DIAG_MESSAGE_KEEP 4096
/* The same with each argument capped at cap bytes instead: for texts that
 * must be kept whole in the reports (an API error's message names its
 * scope at its end). */
char *diag_format_capped(enum diag_id id, const char *a1, const char *a2, size_t cap);

const char *diag_level_name(enum diag_level level);

/* What went wrong in a stage: the catalogue message, its arguments and
 * where (line 0: the whole file or stream). Every stage that can fail
 * fills one of these; the first fault is kept, because it explains the
 * rest. Start with struct diag_fault f = { 0 }; free with
 * diag_fault_clear(). */
struct diag_fault {
    enum diag_id id; /* D_NONE while nothing went wrong */
    char *arg[2];    /* owned, may be NULL */
    unsigned long line, col;
};

/* Sets the fault unless one is set already (arguments are copied).
 * Returns -1, for `return diag_fault_set(...)` in a stage that fails. */
int diag_fault_set(struct diag_fault *f, enum diag_id id, const char *a1, const char *a2,
                   unsigned long line, unsigned long col);
/* Nonzero when a fault is set. */
int diag_faulted(const struct diag_fault *f);
/* The fault's message (without location); caller frees. */
char *diag_fault_text(const struct diag_fault *f);
/* Moves from's fault into to (unless to has one) and clears from. */
void diag_fault_move(struct diag_fault *to, struct diag_fault *from);
void diag_fault_clear(struct diag_fault *f);

/* The run's diagnostics: where they are printed, whether addresses in them
 * are masked, and the worst level seen. Start with diag_init(). */
struct diag {
    FILE *stream; /* borrowed; NULL counts without printing (fuzzers) */
    int redact;
    int worst; /* -1 while nothing was said, else an enum diag_level */
    unsigned long counts[3];
};
void diag_init(struct diag *d, FILE *stream, int redact);

/* The one way a message is given: formatted from the catalogue, masked for
 * --redact, printed as `prog: FILE:LINE:COL: LEVEL: message` (file NULL:
 * no location; line 0: no LINE:COL), and counted. file is evidence too
 * (a path), so it is sanitised and masked like the message. */
void diag_emit(struct diag *d, const char *file, unsigned long line, unsigned long col,
               enum diag_id id, const char *a1, const char *a2);
/* diag_emit() of a fault, at its position in file. */
void diag_emit_fault(struct diag *d, const char *file, const struct diag_fault *f);

/* An internal error the run cannot go on from (out of memory, a table
 * too large to index): prints the catalogue's message without allocating
 * and exits with status 70. */
_Noreturn void diag_die(enum diag_id id);

#endif
