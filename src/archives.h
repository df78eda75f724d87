/* SPDX-License-Identifier: ISC */
/* Evidence bundles delivered as one archive file (zip, tar, tar.gz): tells
 * one from its content and reads every entry as a stream through
 * libarchive, never extracting anything to disk. Used by the evidence
 * input stage, the tests and the fuzzers. */
#ifndef ARCHIVES_H
#define ARCHIVES_H

#include <stddef.h>
#include <stdint.h>

/*
 * What is read, and how:
 * - Only libarchive's seekable zip reader (the streaming one reports a
 *   symbolic link as a regular file holding the link's text), its tar
 *   reader and its gzip filter are enabled: never the "all formats" or
 *   "all filters" calls, whose RAR and ISO readers have a record of
 *   security fixes and whose filters may run an external program.
 * - libarchive is called under a thread-local C.UTF-8 locale (glibc's
 *   built-in one), whatever the process locale: under the C locale it
 *   returns no name at all for an entry whose name is UTF-8. The caller's
 *   locale is back in force inside every callback. Names that are not
 *   UTF-8 (CP437 or latin-1 bytes) come as the archive holds them.
 * - Every byte an entry produces is counted against the caps below,
 *   whatever the header declares, and hashed with SHA-256. Memory does
 *   not grow with the entries' sizes: one 64 KiB buffer and libarchive's
 *   own (5.7 MB peak RSS for a 10 MB or a 200 MB entry). It grows with the
 *   number of entries: 24-byte keys in an at most half-full table to find
 *   duplicate names, and for a zip what libarchive keeps of its central
 *   directory (100,000 entries: 9 MB more for a tar.gz, 25 MB for a zip).
 * - Nothing is run and no socket is opened: it works under the tool's
 *   seccomp lock. libarchive does open files of the C library (the
 *   C.UTF-8 LC_CTYPE, gconv-modules.cache, /etc/localtime for zip times).
 *
 * Policy for the entries that are not read (each comes to refused() with
 * a reason and a message in plain words; the rest of the archive is still
 * read):
 * - a name with a ".." segment, an absolute path (also "C:"), a backslash
 *   or a control character: the name is only ever shown escaped, never
 *   used as a path. libarchive's zip reader itself turns the backslashes
 *   of a name that is valid in the charset into slashes (old Windows tools
 *   wrote them as the folder separator), so such a zip name arrives as a
 *   folder path. Every reader (libarchive, tar, unzip, Python) ends a name
 *   at its first NUL byte, so the part after a NUL is never seen.
 * - symbolic links, hard links, devices, FIFOs, sockets: listed with their
 *   kind, not read. Directories are listed as not evidence (no error).
 * - encrypted entries: the tool does not decrypt evidence.
 * - a header libarchive warns about (for a zip, a local header that
 *   disagrees with the central directory).
 * - a second entry whose name, with "." segments and doubled slashes
 *   removed, is the same as an earlier entry's: an extractor would keep
 *   only one of them. The refusal gives the earlier entry's index so that
 *   the caller can fail both.
 * - an archive inside the archive (an entry whose content is a zip, a tar
 *   or a gzip-compressed tar, whatever its name): not read, one level is
 *   the rule. The message says: extract it and audit the inner archive.
 *   A gzip-compressed JSON file is evidence like any other entry.
 *
 * Messages count entries from 1 ("entry 1" is the first); the index fields
 * count from 0.
 */

/* What a file or buffer holds, told from its first bytes. */
enum archives_kind {
    ARCHIVES_NONE,    /* not an archive this module reads */
    ARCHIVES_ZIP,     /* a local file header or an empty central directory first */
    ARCHIVES_TAR,     /* a tar header whose checksum adds up */
    ARCHIVES_TAR_GZIP /* gzip whose first 512 decompressed bytes are a tar header */
};

/* "zip", "tar", "tar.gz" or "not an archive"; static. */
const char *archives_kind_name(enum archives_kind kind);

/* Tells what data[0..len) holds. A gzip-compressed tar is recognised when
 * the buffer holds enough of it to decompress 512 bytes (64 KiB always
 * does, unless its gzip header is larger). data is borrowed. */
enum archives_kind archives_sniff_memory(const void *data, size_t len);

/* The same for an open file: reads its first 64 KiB with pread(), so the
 * file offset does not move. Returns 0 and sets *kind, or -1 with errno
 * set (ESPIPE for a pipe: an archive must be a file one can seek in). */
int archives_sniff_fd(int fd, enum archives_kind *kind);

/*
 * Caps against compression bombs, counted on the bytes libarchive actually
 * produces. archives_caps_init() sets the defaults, which a real bundle
 * never meets; the caller may raise or lower them. A cap of 0 stops at the
 * first byte (or entry).
 */
struct archives_caps {
    uint64_t entry_bytes; /* one entry: 4 GiB, four times the largest dump
                             the tool is benchmarked on (1 GB, 1.7 million
                             subscriptions in one file) */
    uint64_t total_bytes; /* all entries together, and for a tar.gz the whole
                             decompressed stream: 16 GiB, sixteen such dumps */
    uint64_t entries;     /* entries of any kind: 1,000,000, ten files for each
                             of the 100,000 subscriptions the tool is sized for */
};
void archives_caps_init(struct archives_caps *caps);

/* One entry as the visitor sees it. Everything is borrowed and valid only
 * during the callback. */
struct archives_entry {
    size_t index;          /* position among all the archive's entries, from 0 */
    const char *name;      /* the name's bytes as libarchive gives them, NUL-
                              terminated; NULL when it could give none */
    size_t name_len;       /* bytes before the NUL (0 when name is NULL) */
    const char *display;   /* the name through sanitize_text() on one line,
                              capped; "(name not readable)" when name is NULL */
    int64_t declared_size; /* the size the header gives, -1 when none;
                              never trusted, only shown */
    size_t earlier;        /* ARCHIVES_REFUSED_DUPLICATE only: the index of the
                              first entry of that name */
};

/* Why an entry listed in the archive is not read. */
enum archives_refusal {
    ARCHIVES_REFUSED_DIRECTORY, /* not evidence, and not an error either */
    ARCHIVES_REFUSED_NAME_UNREADABLE,
    ARCHIVES_REFUSED_NAME_EMPTY,
    ARCHIVES_REFUSED_NAME_DOTDOT,
    ARCHIVES_REFUSED_NAME_ABSOLUTE,
    ARCHIVES_REFUSED_NAME_BACKSLASH,
    ARCHIVES_REFUSED_NAME_CONTROL,
    ARCHIVES_REFUSED_HEADER_WARNING,
    ARCHIVES_REFUSED_DUPLICATE,
    ARCHIVES_REFUSED_SYMLINK,
    ARCHIVES_REFUSED_HARDLINK,
    ARCHIVES_REFUSED_DEVICE,
    ARCHIVES_REFUSED_FIFO,
    ARCHIVES_REFUSED_SOCKET,
    ARCHIVES_REFUSED_OTHER_TYPE,
    ARCHIVES_REFUSED_ENCRYPTED,
    ARCHIVES_REFUSED_NESTED_ARCHIVE
};

/* A short fixed word for the reason ("directory", "symlink", "duplicate",
 * ...), for logs and tests; static. */
const char *archives_refusal_name(enum archives_refusal reason);

/* What became of a regular entry that begin() was called for. */
struct archives_outcome {
    uint64_t bytes;    /* bytes produced (and hashed), up to the end or the failure */
    char sha256[65];   /* lowercase hex of those bytes; "" when error is set */
    const char *error; /* NULL when the entry was read whole; otherwise why
                          not (bad CRC, truncated, a cap, a libarchive
                          warning), one sanitised line; borrowed */
};

/* begin()'s answer. */
enum archives_choice {
    ARCHIVES_FEED, /* pass the entry's bytes to data() */
    ARCHIVES_SKIP  /* do not: the bytes are still read, counted and hashed */
};

/*
 * The caller's side of a read. Any callback may be NULL (begin: feed, with
 * a NULL context). For each regular entry that is read: begin() once, then
 * data() for its bytes in order (only with ARCHIVES_FEED), then end()
 * exactly once, also when the entry broke. Every other entry comes to
 * refused() once, and begin() is never called for it. arg is visitor.arg.
 */
struct archives_visitor {
    void *arg;
    /* May set *entry_ctx (NULL on entry), handed to data() and end(). */
    enum archives_choice (*begin)(void *arg, const struct archives_entry *entry, void **entry_ctx);
    /* Returns 0, or -1 to receive no more of this entry: it is still read
     * to its end, counted and hashed. bytes is borrowed. */
    int (*data)(void *arg, void *entry_ctx, const unsigned char *bytes, size_t len);
    void (*end)(void *arg, void *entry_ctx, const struct archives_entry *entry,
                const struct archives_outcome *outcome);
    /* message is one sanitised line, borrowed. */
    void (*refused)(void *arg, const struct archives_entry *entry, enum archives_refusal reason,
                    const char *message);
};

/* How the whole read ended. */
enum archives_status {
    ARCHIVES_OK,         /* every entry was listed: read or refused */
    ARCHIVES_UNREADABLE, /* not opened: not a zip, tar or tar.gz libarchive can read */
    ARCHIVES_DAMAGED,    /* stopped at a damaged place; the entries after it
                            cannot be read */
    ARCHIVES_CAPPED      /* stopped by the entry-count or total-bytes cap */
};

struct archives_summary {
    enum archives_status status;
    enum archives_kind kind; /* from the content, as archives_sniff_*() says */
    size_t entries;          /* entries listed (read or refused) */
    size_t stopped_at;       /* DAMAGED, CAPPED: the index of the entry where
                                reading stopped (== entries when it stopped
                                between two entries) */
    uint64_t bytes;          /* bytes all entries produced: read, skipped,
                                refused (drained) or cut at a cap */
    char *message;           /* owned (archives_summary_free): NULL for OK,
                                else what happened, one sanitised line */
};

/*
 * Reads the archive on fd from its start, entry by entry, calling the
 * visitor; fills *summary and returns its status. fd is borrowed: the
 * caller opened it (so that the seccomp lock can come first) and closes
 * it; its offset is left anywhere. A zip needs a file one can seek in.
 * caps NULL means the defaults.
 */
enum archives_status archives_read_fd(int fd, const struct archives_caps *caps,
                                      const struct archives_visitor *visitor,
                                      struct archives_summary *summary);

/* The same over data[0..len) (borrowed, not copied), for tests and fuzzers. */
enum archives_status archives_read_memory(const void *data, size_t len,
                                          const struct archives_caps *caps,
                                          const struct archives_visitor *visitor,
                                          struct archives_summary *summary);

/* Frees the message; the summary can be used again. NULL is accepted. */
void archives_summary_free(struct archives_summary *summary);

#endif
