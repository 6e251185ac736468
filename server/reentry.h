/* Freeing an object from inside its own callbacks: an HTTP connection (net/http_conn.c) or a
 * request's database connection (db/pg_stream.c) counts the callbacks of its own on the stack, and
 * a free asked for meanwhile waits until the outermost one returns. */
#ifndef ITA_REENTRY_H
#define ITA_REENTRY_H

#include <stdbool.h>

struct reentry {
    int depth;         /* our callbacks on the stack */
    bool free_pending; /* a free was asked for inside one of them */
};

static inline void reentry_enter(struct reentry *r)
{
    r->depth++;
}

/* Leaves one callback; true when it was the outermost one and a free was asked for meanwhile:
 * the caller frees the object now (and must not touch it afterwards). */
static inline bool reentry_leave(struct reentry *r)
{
    return --r->depth == 0 && r->free_pending;
}

/* Leaves one callback of obj (whose struct reentry is r): when it was the outermost one and a
 * free was asked for meanwhile, frees obj with free_fn and is false (do not touch obj again). */
#define REENTRY_LEAVE(r, free_fn, obj) (reentry_leave(r) ? (free_fn(obj), false) : true)

#endif
