/* SPDX-License-Identifier: ISC */
/* Sanitiser for untrusted strings (evidence values, yajl messages), used by every writer of XML, HTML and terminal text. */
#ifndef SANITIZE_H
#define SANITIZE_H

#include <stddef.h>

/*
 * Why this module exists: yajl's UTF-8 check is lax (it passes overlong
 * forms, encoded surrogates and code points above U+10FFFF, and decodes
 * "\u0000" to a NUL byte), libxml2's xmlTextWriter copies control
 * characters and invalid UTF-8 into its output unchecked, and libxml2's
 * HTML serialiser silently drops C0 controls.  Every string that came from
 * input therefore passes through sanitize_text() once before it reaches a
 * report or the terminal, so that what the reader sees is well-formed and
 * every oddity in the evidence stays visible.
 *
 * Escape conventions (the reports' legend should repeat them):
 *   \xNN    one input byte that is not part of a well-formed, shortest-form
 *           UTF-8 sequence of a Unicode scalar value (NN uppercase hex);
 *           each such byte is escaped on its own.
 *   \uXXXX  a decoded code point that XML 1.0 forbids or that we refuse to
 *           show raw: C0 controls other than TAB/LF/CR, DEL (U+007F), the
 *           C1 controls U+0080..U+009F, U+FFFE and U+FFFF (XXXX uppercase
 *           hex, always 4 digits).
 *   \t \n \r  TAB, LF and CR, only with SANITIZE_ONE_LINE.
 *   " [... N more bytes]"  appended when the input was cut at max_bytes.
 * The escapes are a visual convention, not an encoding: a backslash in the
 * input is kept as it is, so "\x41" in the output may be the four input
 * characters or not.  The original bytes are covered by the input's hash,
 * never by the sanitised text.
 *
 * The output is not markup-escaped: "<", "&" and "]]>" pass unchanged
 * because escaping markup is the report writer's job (libxml2 does it).
 */

enum sanitize_flags {
    SANITIZE_KEEP_NEWLINES = 0, /* TAB, LF and CR pass through */
    SANITIZE_ONE_LINE = 1       /* also escape TAB, LF, CR: for stderr lines and XML attributes */
};

/*
 * Sanitises s[0..len).  s may contain NUL bytes; it may be NULL only when
 * len is 0.  flags is a combination of enum sanitize_flags; unknown bits
 * are ignored.
 *
 * Returns a newly malloc'd NUL-terminated string that the caller owns and
 * frees with free().  It is valid UTF-8, contains only XML 1.0 Chars, no
 * NUL byte before its terminator (so strlen() gives its length) and, with
 * SANITIZE_ONE_LINE, no TAB, LF or CR.  Replacements follow the escape
 * conventions above.
 *
 * If max_bytes > 0 and len > max_bytes, only the first max_bytes input
 * bytes are processed, backing off so that no well-formed UTF-8 sequence is
 * cut in half, and " [... N more bytes]" is appended, N being the number of
 * input bytes not shown.  max_bytes counts input bytes: the output may be
 * up to 6 times longer plus the note.
 *
 * If changes is not NULL, *changes receives the number of replacements
 * made; the truncation counts as one.
 *
 * Never returns NULL: on allocation failure it calls abort(), following
 * the project's never-fail allocator policy.
 */
char *sanitize_text(const char *s, size_t len, unsigned flags, size_t max_bytes, size_t *changes);

/*
 * Returns 1 when sanitize_text(s, len, flags, max_bytes, NULL) would return
 * s[0..len) unchanged, whatever the flags: printable ASCII only, and no
 * longer than max_bytes when max_bytes > 0.  A caller may then use s as it
 * is, without a copy.  s is borrowed; NULL only when len is 0.
 */
int sanitize_is_plain(const char *s, size_t len, size_t max_bytes);

/*
 * Returns 1 when s[0..len) is strictly valid UTF-8 (shortest form, no
 * surrogates, nothing above U+10FFFF, no truncated sequence), else 0.
 * Any code point is accepted, including NUL and controls: this checks the
 * encoding, not XML suitability.  s is borrowed; NULL only when len is 0.
 */
int sanitize_utf8_valid(const char *s, size_t len);

/*
 * Returns the byte offset of the first byte in s[0..len) that is not part
 * of a well-formed UTF-8 sequence (same strictness as above), or len when
 * there is none.  For a truncated or malformed sequence this is the offset
 * of its lead byte.  s is borrowed; NULL only when len is 0.
 */
size_t sanitize_utf8_first_invalid(const char *s, size_t len);

#endif /* SANITIZE_H */
