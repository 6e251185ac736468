/* A worker's short-lived memory of public link rows: slug → what sql_link_by_slug returned, kept
 * for ttl_ms (1 s by default) so that a form view needs no database round trip. Bounded (a fixed
 * table, the oldest entry of a probe window makes room) and unlocked: each worker owns its own.
 * Only public links are kept; personal tokens are always looked up and spent in the database.
 * Pure C: no I/O, the caller passes the time. */
#ifndef ITA_LINK_CACHE_H
#define ITA_LINK_CACHE_H

#include "instrument.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct link_row {
    int link_id;
    int fiscal_year;
    enum ita_instrument instrument;
    const char *agency_name;        /* Thai name; owned by whoever filled the row */
    int revision;                   /* instrument version revision */
    bool revoked, not_open, closed; /* as the database saw them when the row was read */
    char opens[11], closes[11];     /* YYYY-MM-DD in Thailand */
};

struct link_cache;

/* capacity: entries kept at most (rounded up to a power of two); ttl_ms: how long an entry is
 * trusted. Owned by the caller: link_cache_free. */
struct link_cache *link_cache_new(size_t capacity, int ttl_ms);
void link_cache_free(struct link_cache *lc);

/* The fresh row for slug, or NULL. Borrowed: valid until the next link_cache_put. */
const struct link_row *link_cache_get(struct link_cache *lc, const char *slug, int64_t now_ms);

/* Keeps a copy of row (agency_name included) for slug until now_ms + ttl. Does nothing when the
 * cache is off (ttl 0) or slug is longer than a slug can be. */
void link_cache_put(struct link_cache *lc, const char *slug, const struct link_row *row,
                    int64_t now_ms);

/* Forgets slug (e.g. after a submission found the link closed or withdrawn). */
void link_cache_forget(struct link_cache *lc, const char *slug);

#endif
