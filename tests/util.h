/* SPDX-License-Identifier: ISC */
/* Helpers shared by the cmocka unit tests: the build's feature macros and
 * cmocka's headers in the order cmocka needs them, files in the source tree,
 * whole files, temporary files and hand-made contact records. Include it
 * first: config.h must come before every system header. */
#ifndef TESTS_UTIL_H
#define TESTS_UTIL_H

#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "contacts.h"
#include "evidence.h"

/* a "/" b. The caller frees the result. */
char *util_join(const char *a, const char *b);

/* The path of rel in the source tree: "$srcdir/rel" (automake exports
 * srcdir), or "./rel" without it. The caller frees the result. */
char *util_locate(const char *rel);

/* The whole file at path with a NUL appended, its length (without the NUL)
 * in *len when len is not NULL; NULL when the file cannot be opened. The
 * caller frees the result. */
char *util_read_file(const char *path, size_t *len);

/* Writes text to a new file in $TMPDIR (or /tmp) and returns its path. The
 * caller unlinks the file and frees the path. */
char *util_write_temp(const char *text);

/* A 2020-API contact for subscription sub (NULL: none named) read from file
 * at 1:1, with emails as its "emails" string (NULL: the member is absent).
 * file, sub, name and emails are borrowed by the record. */
struct contact_record util_make_contact(struct evidence_file *file, const char *sub,
                                        const char *name, const char *emails);

#endif
