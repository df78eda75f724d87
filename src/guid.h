/* SPDX-License-Identifier: ISC */
/* GUID helpers: find and canonicalise Azure subscription ids (8-4-4-4-12
 * hex) in resource ids, members and file paths. Used by the evidence input
 * and contact-record stages. */
#ifndef GUID_H
#define GUID_H

#include <stddef.h>

#define GUID_TEXT_LEN 36
/* Canonical form: lowercase 8-4-4-4-12, NUL-terminated. */
typedef char guid_text[GUID_TEXT_LEN + 1];

/* Parses exactly len bytes as one GUID (any case, optionally in braces).
 * Returns 1 and fills out, or 0. */
int guid_parse(const char *s, size_t len, guid_text out);
/* Finds the last GUID in s[0..len) that is not part of a longer run of hex
 * digits. Returns 1 and fills out, or 0. */
int guid_find_last(const char *s, size_t len, guid_text out);
/* The subscription of an ARM id: the segment after "/subscriptions/" (any
 * case). Returns 1 and fills out when that segment is a GUID, else 0. */
int guid_from_resource_id(const char *id, size_t len, guid_text out);
/* The last GUID in a path, file name first, then the folders above it. */
int guid_from_path(const char *path, guid_text out);

#endif
