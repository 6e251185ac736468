/* Token-bucket rate limiter over a fixed-size table, one per process, shared by every worker
 * thread: the table is cut into blocks, each guarded by its own mutex (striped locks), and a key
 * only ever lives in the block its hash picks, so two workers touching different keys rarely
 * meet on a lock. Keys (client addresses, link keys) are hashed with a per-process random SipHash
 * key and never stored or logged in clear; an entry disappears once its bucket would be full
 * again. When the table has no room for a new key, the limiter refuses (fails closed) instead of
 * letting traffic through unmetered. Pure: the caller passes the time. */
#ifndef ITA_RATELIMIT_H
#define ITA_RATELIMIT_H

#include <pthread.h>
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
    pthread_mutex_t *locks; /* [nlocks]: locks[i] guards slots [i * cap / nlocks, (i + 1) * ...) */
    size_t nlocks;          /* power of two, cap / nlocks >= 64 */
};

enum rl_result {
    RL_ALLOW,   /* a token was taken (ratelimit_peek: one is there to take) */
    RL_LIMITED, /* bucket empty: *retry_after seconds until the next token */
    RL_FULL,    /* no room to track this key: refused (fail closed) */
};

/* per_minute tokens per minute, at most burst at once; cap rounded up to a power of two.
 * Returns -1 if the random key cannot be drawn. Free with ratelimit_free. Every other call may
 * come from any thread at the same time. */
int ratelimit_init(struct ratelimit *rl, size_t cap, double per_minute, double burst)
    __attribute__((warn_unused_result));
void ratelimit_free(struct ratelimit *rl);
enum rl_result ratelimit_take(struct ratelimit *rl, const void *key, size_t len, double now,
                              double *retry_after);

/* Whether ratelimit_take would allow key now, without taking a token or tracking the key: for a
 * bucket charged only later, once the request has shown it deserves the charge (a valid
 * submission), but refused early when it is already empty. An untracked key is RL_ALLOW. */
enum rl_result ratelimit_peek(struct ratelimit *rl, const void *key, size_t len, double now,
                              double *retry_after);

/* The rate-limit key of a client address (ip: 4 bytes IPv4 or 16 bytes IPv6, network order) into
 * out; returns its length. IPv4 and IPv4-mapped IPv6 (::ffff:a.b.c.d) give the 4 IPv4 bytes; any
 * other IPv6 address gives its /64 prefix (8 bytes), since one subscriber usually holds a whole
 * /64 and can pick any address inside it. Any other length is used as it is (at most 16). */
#define RL_ADDR_KEY_MAX 16
size_t ratelimit_addr_key(const unsigned char *ip, size_t len, unsigned char out[RL_ADDR_KEY_MAX]);

#endif
