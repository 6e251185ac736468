/* Per-worker link cache: an open-addressing table of slug → link row with an expiry time. A
 * lookup probes a short window after the slug's hash; an insert takes the same slug's slot, an
 * empty or expired one, or else the one that expires first in the window. */
#include "link_cache.h"
#include "fnv.h"
#include "secret.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define PROBE 8 /* slots looked at per operation */

struct link_entry {
    char slug[SLUG_CHARS + 1]; /* "" = empty slot */
    int64_t expires_ms;        /* monotonic ms after which the entry is ignored */
    struct link_row row;       /* row.agency_name points to agency (owned) */
    char *agency;
};

struct link_cache {
    struct link_entry *slots; /* [mask + 1] */
    size_t mask;
    int ttl_ms;
};

struct link_cache *link_cache_new(size_t capacity, int ttl_ms)
{
    size_t n = PROBE;
    while (n < capacity)
        n *= 2;
    struct link_cache *lc = xcalloc(1, sizeof *lc);
    lc->slots = xcalloc(n, sizeof *lc->slots);
    lc->mask = n - 1;
    lc->ttl_ms = ttl_ms;
    return lc;
}

void link_cache_free(struct link_cache *lc)
{
    if (!lc)
        return;
    for (size_t i = 0; i <= lc->mask; i++)
        free(lc->slots[i].agency);
    free(lc->slots);
    free(lc);
}

static struct link_entry *find(struct link_cache *lc, const char *slug)
{
    size_t h = (size_t)fnv1a(slug);
    for (size_t i = 0; i < PROBE; i++) {
        struct link_entry *e = &lc->slots[(h + i) & lc->mask];
        if (strcmp(e->slug, slug) == 0)
            return e;
    }
    return NULL;
}

const struct link_row *link_cache_get(struct link_cache *lc, const char *slug, int64_t now_ms)
{
    if (lc->ttl_ms <= 0 || !*slug || strlen(slug) > SLUG_CHARS)
        return NULL;
    struct link_entry *e = find(lc, slug);
    return e && now_ms < e->expires_ms ? &e->row : NULL;
}

/* The slot slug should go to: its own, an empty or expired one, or the soonest to expire. */
static struct link_entry *victim(struct link_cache *lc, const char *slug, int64_t now_ms)
{
    struct link_entry *own = find(lc, slug);
    if (own)
        return own;
    size_t h = (size_t)fnv1a(slug);
    struct link_entry *best = NULL;
    for (size_t i = 0; i < PROBE; i++) {
        struct link_entry *e = &lc->slots[(h + i) & lc->mask];
        if (!e->slug[0] || e->expires_ms <= now_ms)
            return e;
        if (!best || e->expires_ms < best->expires_ms)
            best = e;
    }
    return best;
}

void link_cache_put(struct link_cache *lc, const char *slug, const struct link_row *row,
                    int64_t now_ms)
{
    size_t n = strlen(slug);
    if (lc->ttl_ms <= 0 || n == 0 || n > SLUG_CHARS)
        return;
    struct link_entry *e = victim(lc, slug, now_ms);
    free(e->agency);
    memcpy(e->slug, slug, n + 1);
    e->expires_ms = now_ms + lc->ttl_ms;
    e->row = *row;
    e->agency = xstrdup(row->agency_name ? row->agency_name : "");
    e->row.agency_name = e->agency;
}

void link_cache_forget(struct link_cache *lc, const char *slug)
{
    if (strlen(slug) > SLUG_CHARS)
        return;
    struct link_entry *e = find(lc, slug);
    if (e)
        e->slug[0] = '\0';
}
