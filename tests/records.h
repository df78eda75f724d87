/* Test helper: runs one evidence file through evidence_read() -> jstream ->
 * contacts, as audit.c does, and returns a deterministic text dump of every
 * record and event plus the file outcome. */
#ifndef TESTS_RECORDS_H
#define TESTS_RECORDS_H

#include <stddef.h>

/* read_size: evidence_read() chunk size. The caller frees the result. */
char *records_dump(const char *path, size_t read_size);

#endif
