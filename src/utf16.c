/* SPDX-License-Identifier: ISC */
/* UTF-16 to UTF-8 transcoding (see utf16.h), used by the evidence decoder. */
#include "config.h"

#include "utf16.h"

static unsigned utf16_unit(enum utf16_order order, const unsigned char *p)
{
    return order == UTF16_LE ? (unsigned)p[0] | (unsigned)p[1] << 8
                             : (unsigned)p[0] << 8 | (unsigned)p[1];
}

enum utf16_status utf16_decode(enum utf16_order order, const unsigned char **in, size_t *inleft,
                               char **out, size_t *outleft)
{
    const unsigned char *src = *in;
    size_t left = *inleft, room = *outleft;
    unsigned char *dst = (unsigned char *)*out;
    enum utf16_status status = UTF16_DONE;
    while (left > 0) {
        if (left < 2) {
            status = UTF16_INCOMPLETE;
            break;
        }
        unsigned long c = utf16_unit(order, src);
        size_t used = 2;
        if (c >= 0xDC00 && c <= 0xDFFF) {
            status = UTF16_INVALID;
            break;
        }
        if (c >= 0xD800 && c <= 0xDBFF) {
            if (left < 4) {
                status = UTF16_INCOMPLETE;
                break;
            }
            unsigned low = utf16_unit(order, src + 2);
            if (low < 0xDC00 || low > 0xDFFF) {
                status = UTF16_INVALID;
                break;
            }
            c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
            used = 4;
        }
        size_t need = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (need > room) {
            status = UTF16_FULL;
            break;
        }
        switch (need) {
        case 1: dst[0] = (unsigned char)c; break;
        case 2:
            dst[0] = (unsigned char)(0xC0 | c >> 6);
            dst[1] = (unsigned char)(0x80 | (c & 0x3F));
            break;
        case 3:
            dst[0] = (unsigned char)(0xE0 | c >> 12);
            dst[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            dst[2] = (unsigned char)(0x80 | (c & 0x3F));
            break;
        default:
            dst[0] = (unsigned char)(0xF0 | c >> 18);
            dst[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
            dst[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            dst[3] = (unsigned char)(0x80 | (c & 0x3F));
            break;
        }
        dst += need;
        room -= need;
        src += used;
        left -= used;
    }
    *in = src;
    *inleft = left;
    *out = (char *)dst;
    *outleft = room;
    return status;
}
