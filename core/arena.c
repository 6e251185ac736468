/* Bump allocator over a list of chunks; large requests get a chunk of their own. */
#include "arena.h"
#include "xalloc.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    struct arena_chunk *next; /* older chunk */
    size_t size;              /* usable bytes in data */
    size_t used;              /* bytes handed out */
    alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 4096;
}

void arena_reset(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

void *arena_alloc(struct arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    if (size > SIZE_MAX - align)
        size = SIZE_MAX - align; /* xmalloc below reports the exhaustion */
    size = (size + align - 1) & ~(align - 1);
    struct arena_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t want = size > a->chunk_size / 2 ? size : a->chunk_size;
        if (want > SIZE_MAX - sizeof *c)
            want = SIZE_MAX - sizeof *c;
        c = xmalloc(sizeof *c + want);
        c->size = want;
        c->used = 0;
        if (size > a->chunk_size / 2 && a->head) {
            /* keep the current chunk on top so its free space stays usable */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_sprintf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        len = 0;
    char *p = arena_alloc(a, (size_t)len + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)len + 1, fmt, ap);
    va_end(ap);
    return p;
}
