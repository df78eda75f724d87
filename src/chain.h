/* SPDX-License-Identifier: ISC */
/* Chain: the evidence chain of a bundle: which manifest (a BagIt bag, a
 * SHA256SUMS, --manifest FILE) covers each file, whether each file is as it
 * was collected, when it was collected, and whether it is fresh enough.
 * Used by the driver before the files are read (the manifests are parsed
 * first, so that every file gets the digests they list) and after (the
 * verdict table learns what does not count); read by every writer. */
#ifndef CHAIN_H
#define CHAIN_H

#include <stddef.h>
#include <time.h>

#include "diag.h"
#include "evidence.h"
#include "manifests.h"
#include "verdicts.h"

/* What the auditor said on the command line; all borrowed. */
struct chain_options {
    const char *manifest_path; /* --manifest FILE, or NULL */
    int has_collected_at;      /* --collected-at DATE */
    time_t collected_at;
    long max_age_days; /* --max-age DAYS, or -1 */
    time_t as_of;      /* --as-of DATE, or the generation time */
};

/* When one file was collected, and who says so. */
struct chain_collected {
    int known;
    time_t time;
    int has_time; /* a time of day was given, not only a date */
    /* static words: the bag-info.txt label ("Collection-Timestamp") or
     * "--collected-at" */
    const char *source;
};

/* One root a manifest covers: a bag's folder, the folder a SHA256SUMS sits
 * in, or the folder of --manifest FILE. */
struct chain_root {
    char *path;                       /* owned; "" for the current folder */
    struct manifests *manifests;      /* owned */
    struct manifests_summary summary; /* after chain_settle() */
    struct chain_collected collected; /* as its bag-info.txt says */
};

struct chain;

/* opt is copied. Free with chain_free(). */
struct chain *chain_alloc(const struct chain_options *opt);
void chain_free(struct chain *c);

/* After the arguments were collected: finds the roots, reads and parses
 * their tag files (listed as not evidence: they are the bundle's
 * statement about itself), and asks for SHA-512 where a manifest lists
 * it. Says every problem of a manifest through d. */
void chain_prepare(struct chain *c, struct evidence_list *files, struct diag *d);

/* After every file was read, before the table is sealed: checks each file
 * against its manifest (altered: its records do not count, ERROR for what
 * it names; listed but absent: a row of its own and an ERROR for the
 * subscription its path names; unlisted: it can never make a PASS), gives
 * every file its collection date, lets the newer of two dated snapshots
 * decide, and with --max-age makes stale or undated evidence an ERROR. */
void chain_settle(struct chain *c, struct evidence_list *files, struct verdict_table *t,
                  struct diag *d);

/* For the writers. */
size_t chain_root_count(const struct chain *c);
const struct chain_root *chain_root_at(const struct chain *c, size_t i);
/* The collection date of file (unknown for files added after prepare). */
const struct chain_collected *chain_file_collected(const struct chain *c, size_t file);
/* The latest known collection date of the bundle, or NULL when none. */
const struct chain_collected *chain_bundle_collected(const struct chain *c);
const struct chain_options *chain_options_of(const struct chain *c);
/* A value the collector stated in a bag's bag-info.txt (label compared
 * without case, e.g. "Azure-Tenant-Id"), the first one found, or NULL.
 * Borrowed, untrusted. */
const char *chain_statement(const struct chain *c, const char *label);

#endif
