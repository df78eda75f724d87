/* SPDX-License-Identifier: ISC */
/* Strict UTF-8 decoder and visible-escape sanitiser behind sanitize.h, used by the report writers and diagnostics. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

/* The longest replacement, "\u0000", is 6 bytes for 1 input byte. */
#define SANITIZE_GROWTH 6
/* The truncation note with room for the largest size_t in decimal. */
#define SANITIZE_NOTE_FMT " [... %zu more bytes]"
#define SANITIZE_NOTE_MAX (sizeof(" [...  more bytes]") - 1 + 20)

static size_t sanitize_decode(const unsigned char *, size_t, uint32_t *);
static int sanitize_forbidden(uint32_t);
static char *sanitize_put_hex(char *, char, uint32_t, int);

static const char sanitize_hexdigits[] = "0123456789ABCDEF";

/*
 * Returns the length (1 to 4) of the well-formed UTF-8 sequence starting
 * at p[0] and stores its code point in *cp, or returns 0 when p[0] does
 * not start one within avail bytes.  The second-byte ranges are those of
 * Unicode's table of well-formed byte sequences (Table 3-7): they alone
 * exclude overlong forms, surrogates and code points above U+10FFFF, which
 * yajl lets through.
 */
static size_t sanitize_decode(const unsigned char *p, size_t avail, uint32_t *cp)
{
    unsigned char lead = p[0], lo = 0x80, hi = 0xBF;
    uint32_t c;
    size_t n, i;

    if (lead < 0x80) {
        *cp = lead;
        return 1;
    }
    if (lead < 0xC2) /* stray continuation byte, or overlong C0/C1 */
        return 0;
    if (lead < 0xE0) {
        n = 2;
        c = lead & 0x1F;
    } else if (lead < 0xF0) {
        n = 3;
        c = lead & 0x0F;
        if (lead == 0xE0)
            lo = 0xA0; /* below is overlong */
        else if (lead == 0xED)
            hi = 0x9F; /* above is a surrogate */
    } else if (lead < 0xF5) {
        n = 4;
        c = lead & 0x07;
        if (lead == 0xF0)
            lo = 0x90; /* below is overlong */
        else if (lead == 0xF4)
            hi = 0x8F; /* above is beyond U+10FFFF */
    } else
        return 0;

    if (avail < n || p[1] < lo || p[1] > hi)
        return 0;
    c = (c << 6) | (p[1] & 0x3F);
    for (i = 2; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    *cp = c;
    return n;
}

/*
 * XML 1.0 forbids C0 controls other than TAB, LF, CR, and U+FFFE/U+FFFF.
 * DEL and C1 are allowed but "discouraged"; we escape them too because
 * terminals act on them and a reader cannot see them.  Surrogates never
 * get here: the decoder rejects them.
 */
static int sanitize_forbidden(uint32_t c)
{
    if (c < 0x20)
        return c != 0x09 && c != 0x0A && c != 0x0D;
    if (c >= 0x7F && c <= 0x9F)
        return 1;
    return c == 0xFFFE || c == 0xFFFF;
}

/* Writes '\\', kind and the low `digits` hex digits of v; returns the new end. */
static char *sanitize_put_hex(char *o, char kind, uint32_t v, int digits)
{
    *o++ = '\\';
    *o++ = kind;
    while (digits-- > 0)
        *o++ = sanitize_hexdigits[(v >> (4 * digits)) & 0xF];
    return o;
}

char *sanitize_text(const char *s, size_t len, unsigned flags, size_t max_bytes, size_t *changes)
{
    const unsigned char *p = (const unsigned char *)s;
    char *out, *o, *shrunk;
    size_t end, i, n, k, nchanges = 0;
    uint32_t c;
    int cut;

    cut = max_bytes > 0 && len > max_bytes;
    end = cut ? max_bytes : len;

    /* Most evidence text is printable ASCII that fits: a plain copy. */
    if (sanitize_is_plain(s, len, max_bytes)) {
        if (len == SIZE_MAX || (out = malloc(len + 1)) == NULL)
            abort();
        if (len > 0) /* s may be NULL when len is 0 */
            memcpy(out, s, len);
        out[len] = '\0';
        if (changes != NULL)
            *changes = 0;
        return out;
    }

    /*
	 * Size for the worst case so the loop needs no bounds checks; the
	 * excess is handed back below.  A size that cannot be represented is
	 * treated like a failed allocation: the allocator policy is never-fail.
	 */
    if (end > (SIZE_MAX - SANITIZE_NOTE_MAX - 1) / SANITIZE_GROWTH)
        abort();
    if ((out = malloc(end * SANITIZE_GROWTH + SANITIZE_NOTE_MAX + 1)) == NULL)
        abort();
    o = out;

    for (i = 0; i < end; i += n) {
        /* Printable ASCII is the common case: copy it straight. */
        if (p[i] >= 0x20 && p[i] < 0x7F) {
            *o++ = (char)p[i];
            n = 1;
            continue;
        }
        /*
		 * Decode against the whole input, not just up to the cut, so
		 * that truncation never turns a valid sequence into \x bytes.
		 */
        if ((n = sanitize_decode(p + i, len - i, &c)) == 0) {
            o = sanitize_put_hex(o, 'x', p[i], 2);
            nchanges++;
            n = 1;
            continue;
        }
        if (i + n > end) /* would cut a character: stop before it */
            break;
        if (c == '\t' || c == '\n' || c == '\r') {
            if (flags & SANITIZE_ONE_LINE) {
                *o++ = '\\';
                *o++ = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
                nchanges++;
            } else
                *o++ = (char)c;
        } else if (sanitize_forbidden(c)) {
            o = sanitize_put_hex(o, 'u', c, 4);
            nchanges++;
        } else
            for (k = 0; k < n; k++)
                *o++ = (char)p[i + k];
    }

    if (cut) {
        /* i is where processing stopped: everything after is unseen. */
        o += snprintf(o, SANITIZE_NOTE_MAX + 1, SANITIZE_NOTE_FMT, len - i);
        nchanges++;
    }
    *o = '\0';

    /* Giving back the worst-case excess is optional: keep it on failure. */
    if ((shrunk = realloc(out, (size_t)(o - out) + 1)) != NULL)
        out = shrunk;
    if (changes != NULL)
        *changes = nchanges;
    return out;
}

int sanitize_is_plain(const char *s, size_t len, size_t max_bytes)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i;

    if (max_bytes > 0 && len > max_bytes)
        return 0;
    for (i = 0; i < len; i++)
        if (p[i] < 0x20 || p[i] >= 0x7F)
            return 0;
    return 1;
}

size_t sanitize_utf8_first_invalid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n;
    uint32_t c;

    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        if ((n = sanitize_decode(p + i, len - i, &c)) == 0)
            return i;
        i += n;
    }
    return len;
}

int sanitize_utf8_valid(const char *s, size_t len)
{
    return sanitize_utf8_first_invalid(s, len) == len;
}
