/* SPDX-License-Identifier: ISC */
/* Test helper: runs one evidence file through the pipeline's own reader
 * (ingest_reader: decoder -> JSON stream -> contact records, and the rule
 * that decides whether the file failed) and returns a deterministic text
 * dump of every record and event plus the file outcome. */
#ifndef TESTS_RECORDS_H
#define TESTS_RECORDS_H

#include <stddef.h>

/* read_size: evidence_read() chunk size. The caller frees the result. */
char *records_dump(const char *path, size_t read_size);

/* The same dump for evidence in memory, as if read from path (which names
 * the file and may carry a subscription GUID): data is pushed through the
 * evidence decoder in chunks of chunk bytes (0: all at once), into a JSON
 * stream with the given caps (0: the defaults). The caller frees the result. */
char *records_dump_bytes(const char *path, const unsigned char *data, size_t len, size_t chunk,
                         unsigned max_depth, size_t max_token);

#endif
