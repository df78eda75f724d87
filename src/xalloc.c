/* SPDX-License-Identifier: ISC */
/* Never-fail allocation used by every module and handed to yajl. */
#include "config.h"

#include "xalloc.h"

#include "diag.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xalloc_die(void)
{
    diag_die(D_OUT_OF_MEMORY);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        xalloc_die();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL)
        xalloc_die();
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL)
        xalloc_die();
    return p;
}

char *xmemdup0(const char *s, size_t len)
{
    if (len == SIZE_MAX)
        xalloc_die();
    char *p = xmalloc(len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *xstrdup(const char *s)
{
    return xmemdup0(s, strlen(s));
}

void xgrow(void *array_ptr, size_t *cap, size_t need, size_t elem_size)
{
    void **array = array_ptr;
    if (need <= *cap)
        return;
    /* Bytes (texts being built) start at 64, which most texts a report
     * builds fill, so that few are copied as they grow; other small
     * elements at 8; large ones (contacts, subscriptions' lists) at 1,
     * since most lists in evidence hold one item. */
    size_t next = *cap ? *cap : elem_size == 1 ? 64 : elem_size >= 32 ? 1 : 8;
    while (next < need) {
        if (next > SIZE_MAX / 2)
            xalloc_die();
        next *= 2;
    }
    if (next > SIZE_MAX / elem_size)
        xalloc_die();
    *array = xrealloc(*array, next * elem_size);
    *cap = next;
}

void xbuf_reserve(struct xbuf *b, size_t n)
{
    if (n >= SIZE_MAX - b->len)
        xalloc_die();
    xgrow(&b->s, &b->cap, b->len + n + 1, 1);
}

char *xbuf_finish(struct xbuf *b)
{
    if (b->s == NULL)
        xbuf_addn(b, "", 0);
    /* Shrunk to fit: finished texts are kept, one per subscription. */
    char *s = b->cap > b->len + 1 ? xrealloc(b->s, b->len + 1) : b->s;
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

/* Blocks of 64 KiB, or one of its own for a larger object: the waste at the
 * end of a block stays under the size of the object that did not fit. */
#define XARENA_BLOCK (64 * 1024)

struct xarena_block {
    struct xarena_block *next;
    max_align_t data[];
};

/* align is a power of two no larger than max_align_t's: blocks start
 * aligned for any object, and used is rounded up within the block. */
static void *xarena_take(struct xarena *a, size_t size, size_t align)
{
    size_t at = (a->used + align - 1) & ~(align - 1);
    if (a->blocks == NULL || at > a->room || size > a->room - at) {
        size_t room = size > XARENA_BLOCK ? size : XARENA_BLOCK;
        if (room > SIZE_MAX - sizeof(struct xarena_block))
            xalloc_die();
        struct xarena_block *b = xmalloc(sizeof *b + room);
        b->next = a->blocks;
        a->blocks = b;
        a->room = room;
        at = 0;
    }
    a->used = at + size;
    return (char *)a->blocks->data + at;
}

void *xarena_alloc(struct xarena *a, size_t size, size_t align)
{
    return xarena_take(a, size, align);
}

char *xarena_memdup0(struct xarena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        xalloc_die();
    char *p = xarena_take(a, len + 1, 1); /* text needs no alignment */
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void xarena_free(struct xarena *a)
{
    while (a->blocks) {
        struct xarena_block *next = a->blocks->next;
        free(a->blocks);
        a->blocks = next;
    }
    a->used = a->room = 0;
}

static void *xalloc_yajl_malloc(void *ctx, size_t size)
{
    (void)ctx;
    return xmalloc(size);
}

static void *xalloc_yajl_realloc(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    return xrealloc(ptr, size);
}

static void xalloc_yajl_free(void *ctx, void *ptr)
{
    (void)ctx;
    free(ptr);
}

yajl_alloc_funcs xalloc_yajl_funcs = { xalloc_yajl_malloc, xalloc_yajl_realloc, xalloc_yajl_free,
                                       NULL };
