/* SPDX-License-Identifier: ISC */
/* GUID helpers for subscription ids. */
#include "config.h"

#include "guid.h"

#include <string.h>
#include <strings.h>

/* ASCII only, whatever the locale: this runs for every contact. */
static int guid_is_hex(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Each byte a GUID may hold, as the canonical text writes it (hex digits
 * in lowercase, '-'); 0 for any other byte. A table, not comparisons:
 * digits and letters come in random order, and a branch per byte would be
 * mispredicted about every other time. */
#define GUID_HEX_LOWER(c) [c] = c, [c - 'a' + 'A'] = c
static const unsigned char guid_canonical[256] = {
    ['0'] = '0',         ['1'] = '1',         ['2'] = '2',         ['3'] = '3',
    ['4'] = '4',         ['5'] = '5',         ['6'] = '6',         ['7'] = '7',
    ['8'] = '8',         ['9'] = '9',         GUID_HEX_LOWER('a'), GUID_HEX_LOWER('b'),
    GUID_HEX_LOWER('c'), GUID_HEX_LOWER('d'), GUID_HEX_LOWER('e'), GUID_HEX_LOWER('f'),
    ['-'] = '-',
};

/* Checks the 8-4-4-4-12 shape at s (36 bytes available) and copies it in
 * lowercase: dashes where they belong, and only there. */
static int guid_shape(const char *s, guid_text out)
{
    if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
        return 0;
    unsigned other = 0, dashes = 0;
    for (int i = 0; i < GUID_TEXT_LEN; i++) {
        unsigned char c = guid_canonical[(unsigned char)s[i]];
        other |= c == 0;
        dashes += c == '-';
        out[i] = (char)c;
    }
    out[GUID_TEXT_LEN] = '\0';
    return !other && dashes == 4;
}

int guid_parse(const char *s, size_t len, guid_text out)
{
    if (len == GUID_TEXT_LEN + 2 && s[0] == '{' && s[len - 1] == '}')
        return guid_shape(s + 1, out);
    return len == GUID_TEXT_LEN && guid_shape(s, out);
}

int guid_find_last(const char *s, size_t len, guid_text out)
{
    if (len < GUID_TEXT_LEN)
        return 0;
    for (size_t i = len - GUID_TEXT_LEN + 1; i-- > 0;) {
        if (i > 0 && guid_is_hex(s[i - 1]))
            continue;
        if (i + GUID_TEXT_LEN < len && guid_is_hex(s[i + GUID_TEXT_LEN]))
            continue;
        if (guid_shape(s + i, out))
            return 1;
    }
    return 0;
}

int guid_from_resource_id(const char *id, size_t len, guid_text out)
{
    static const char marker[] = "/subscriptions/";
    size_t m = sizeof marker - 1;
    for (size_t i = 0; i + m <= len; i++) {
        const char *slash = memchr(id + i, '/', len - m + 1 - i);
        if (slash == NULL)
            return 0;
        i = (size_t)(slash - id);
        if ((id[i + 1] | 0x20) != 's' || strncasecmp(id + i, marker, m) != 0)
            continue;
        const char *seg = id + i + m;
        size_t rest = len - i - m;
        size_t seglen = 0;
        while (seglen < rest && seg[seglen] != '/')
            seglen++;
        return guid_parse(seg, seglen, out);
    }
    return 0;
}

int guid_from_path(const char *path, guid_text out)
{
    size_t end = strlen(path);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && path[start - 1] != '/')
            start--;
        if (guid_find_last(path + start, end - start, out))
            return 1;
        end = start > 0 ? start - 1 : 0;
    }
    return 0;
}
