/* SPDX-License-Identifier: ISC */
/* Never-fail allocation used by every module and handed to yajl: running out
 * of memory ends the program with exit status 70 instead of corrupting a
 * verdict half way. */
#ifndef XALLOC_H
#define XALLOC_H

#include <stddef.h>
#include <string.h>
#include <yajl/yajl_common.h>

/* Out of memory, or a size that cannot be represented: a message and exit
 * status 70 (internal error). */
void xalloc_die(void);

/* All return memory the caller owns and frees with free(); never NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Copies len bytes and appends a NUL (the copy may hold embedded NULs). */
char *xmemdup0(const char *s, size_t len);
char *xstrdup(const char *s);
/* Grows *array (of *cap elements of elem_size) so that it holds at least
 * need elements; doubles to keep appends amortised O(1). */
void xgrow(void *array_ptr, size_t *cap, size_t need, size_t elem_size);

/* A growing NUL-terminated text, for messages and explanations. Start with
 * struct xbuf b = { 0 }; xbuf_finish() hands the text to the caller, who
 * frees it with free(). */
struct xbuf {
    char *s;
    size_t len, cap;
};
/* Room in b for n more bytes and the NUL. */
void xbuf_reserve(struct xbuf *b, size_t n);
/* Inline, as the reports add texts by the million: the length of a literal
 * is known where it is added, and a text with room takes a copy, not a
 * call. */
static inline void xbuf_addn(struct xbuf *b, const char *s, size_t n)
{
    if (n >= b->cap - b->len)
        xbuf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}
static inline void xbuf_add(struct xbuf *b, const char *s)
{
    xbuf_addn(b, s, strlen(s));
}
char *xbuf_finish(struct xbuf *b);

/* A bump allocator for many small objects that live and die together (the
 * verdict table's contacts, names and addresses): no per-object header or
 * rounding, and one xarena_free() for all. Start with
 * struct xarena a = { 0 }. */
struct xarena {
    struct xarena_block *blocks; /* owned, newest first */
    size_t used, room;           /* in the newest block */
};
/* size bytes of uninitialised memory owned by the arena, aligned to align
 * (a power of two no larger than max_align_t's: pass the _Alignof of what
 * is kept there, so that small objects do not each round up to 16 bytes). */
void *xarena_alloc(struct xarena *a, size_t size, size_t align);
/* A NUL-terminated copy of len bytes, owned by the arena. */
char *xarena_memdup0(struct xarena *a, const char *s, size_t len);
void xarena_free(struct xarena *a);

/* The allocator functions in yajl's shape, for yajl_alloc(). */
extern yajl_alloc_funcs xalloc_yajl_funcs;

#endif
