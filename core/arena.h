/* Per-request memory arena: many small allocations, one free at the end of the request
 * (the h2o mem-pool habit). Memory comes from xalloc, so exhaustion follows the project policy. */
#ifndef ITA_ARENA_H
#define ITA_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *head; /* most recent chunk; older chunks follow */
    size_t chunk_size;        /* bytes per ordinary chunk */
};

void arena_init(struct arena *a, size_t chunk_size);
/* Frees every allocation made from the arena; the arena can be reused afterwards. */
void arena_reset(struct arena *a);
/* Memory owned by the arena, aligned for any type; valid until arena_reset. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_sprintf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
