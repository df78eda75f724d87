/* SPDX-License-Identifier: ISC */
/* Unpack: an archive in the evidence list. When the arguments are
 * collected, an archive (zip, tar, tar.gz) gets a row of its own, hashed,
 * and is listed entry by entry through archives.c: each entry becomes the
 * row "ARCHIVE!NAME" after it, with its size and SHA-256, or with why it is
 * not read (a hostile name, a link, a duplicate, a nested archive, damage).
 * Manifests inside it (bagit.txt, manifest-*.txt, SHA256SUMS) are held in
 * memory for the evidence chain. Nothing is extracted to disk; the JSON
 * entries are parsed later, when ingest reads the archive a second time
 * (ingest_file() on its row), so that the chain knows every row first. */
#ifndef UNPACK_H
#define UNPACK_H

#include "evidence.h"

/* Adds the archive at path (of kind, as archives_sniff_*() told) and its
 * entries to list, with the list's caps; named: given on the command line.
 * Problems become rows with status ERROR or SKIPPED, as for files. */
void unpack_list(struct evidence_list *list, const char *path, enum archives_kind kind, int named);

/* The row of path within an archive: "ARCHIVE!NAME", NAME without a leading
 * "./". Caller frees. */
char *unpack_entry_path(const char *archive, const char *name);

#endif
