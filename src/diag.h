/* Diagnostics: the one catalogue of every message the tool can give, and the
 * one printer for `azure-contact-audit: FILE:LINE:COL: LEVEL: message`.
 * Every stage builds its messages here so the man page can list them all. */
#ifndef DIAG_H
#define DIAG_H

#include <stdio.h>

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* Keep in step with diag_catalogue in diag.c and DIAGNOSTICS in the man page. */
enum diag_id {
    D_NO_EVIDENCE_FOUND,
    D_CANNOT_OPEN,
    D_READ_FAILED,
    D_NOT_REGULAR,
    D_SYMLINK_LOOP,
    D_NOT_JSON_NAME,
    D_NO_EVIDENCE_IN_FILE,
    D_JSON_SYNTAX,
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
    D_UNEXPECTED_TYPE,
    D_CONTACT_PROBLEM,
    D_NO_SUBSCRIPTION,
    D_SUBSCRIPTION_DISAGREES,
    D_ID_NO_SUBSCRIPTION,
    D_PROPERTIES_NOT_OBJECT,
    D_NEXT_LINK,
    D_UNDELIVERABLE_KEPT,
    D_WAIVER_EXPIRED,
    D_WAIVER_INVALID,
    D_WAIVER_ON_ERROR,
    D_INVENTORY_INVALID,
    D_REPORT_WRITE,
    D_REPORT_IS_INPUT,
    D_OUTPUT_FAILED,
    D_BAD_OPTION_VALUE,
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

/* Prints one diagnostic line to stream. file may be NULL (no location);
 * line 0 omits LINE:COL. file is sanitised before printing. */
void diag_print(FILE *stream, const char *file, unsigned long line, unsigned long col,
                enum diag_level level, const char *msg);

const char *diag_level_name(enum diag_level level);

#endif
