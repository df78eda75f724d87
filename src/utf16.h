/* SPDX-License-Identifier: ISC */
/* UTF-16 to UTF-8 transcoding for the evidence decoder. It needs no
 * run-time files (glibc's iconv loads UTF-16 from a gconv module on disk),
 * so the static binary decodes PowerShell's UTF-16 exports as the dynamic
 * build does. */
#ifndef UTF16_H
#define UTF16_H

#include <stddef.h>

enum utf16_order { UTF16_LE, UTF16_BE };

enum utf16_status {
    UTF16_DONE,       /* every input byte was converted */
    UTF16_FULL,       /* the output is full; call again with more room */
    UTF16_INCOMPLETE, /* the input ends inside a character: keep the rest */
    UTF16_INVALID,    /* an unpaired surrogate at *in */
};

/* Converts UTF-16 bytes at *in (*inleft of them) into UTF-8 at *out (room
 * for *outleft bytes), the way iconv(3) does: the four are advanced past
 * what was converted, and the result says why it stopped. Surrogates must
 * pair; every other code unit is taken as it is (no BOM is removed). */
enum utf16_status utf16_decode(enum utf16_order order, const unsigned char **in, size_t *inleft,
                               char **out, size_t *outleft);

#endif
