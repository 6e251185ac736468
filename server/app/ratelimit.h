/* Token-bucket rate limiter over a fixed-size table, one per worker (no locks). Keys (client
 * addresses, link keys) are hashed with a per-process random SipHash key and never stored or
 * logged in clear; an entry disappears once its bucket would be full again. When the table has no
 * room for a new key, the limiter refuses (fails closed) instead of letting traffic through
 * unmetered. Pure: the caller passes the time. */
#ifndef ITA_RATELIMIT_H
#define ITA_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rl_entry {
    uint64_t hash; /* keyed hash of the key; 0 = empty slot */
    double tokens; /* tokens left at `last` */
    double last;   /* seconds, caller's clock */
};

struct ratelimit {
    struct rl_entry *slots; /* cap entries */
    size_t cap;             /* power of two */
    double rate;            /* tokens added per second */
    double burst;           /* bucket size */
    unsigned char key[16];  /* SipHash key, random per process */
};

enum rl_result {
    RL_ALLOW,   /* a token was taken */
    RL_LIMITED, /* bucket empty: *retry_after seconds until the next token */
    RL_FULL,    /* no room to track this key: refused (fail closed) */
};

/* per_minute tokens per minute, at most burst at once; cap rounded up to a power of two.
 * Returns -1 if the random key cannot be drawn. Free with ratelimit_free. */
int ratelimit_init(struct ratelimit *rl, size_t cap, double per_minute, double burst)
    __attribute__((warn_unused_result));
void ratelimit_free(struct ratelimit *rl);
enum rl_result ratelimit_take(struct ratelimit *rl, const void *key, size_t len, double now,
                              double *retry_after);

#endif
