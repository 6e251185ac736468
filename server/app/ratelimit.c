/* Rate limiter (see ratelimit.h): SipHash-2-4 from OpenSSL for the key hash, linear probing over
 * at most PROBE slots, lazy expiry of idle entries. */
#include "ratelimit.h"
#include "xalloc.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#define PROBE 32

int ratelimit_init(struct ratelimit *rl, size_t cap, double per_minute, double burst)
{
    size_t c = 64;
    while (c < cap)
        c *= 2;
    rl->cap = c;
    rl->slots = xcalloc(c, sizeof *rl->slots);
    rl->rate = per_minute / 60.0;
    rl->burst = burst < 1 ? 1 : burst;
    return RAND_bytes(rl->key, sizeof rl->key) == 1 ? 0 : -1;
}

void ratelimit_free(struct ratelimit *rl)
{
    free(rl->slots);
    rl->slots = NULL;
}

static uint64_t keyed_hash(const struct ratelimit *rl, const void *key, size_t len)
{
    unsigned char out[16]; /* SipHash's default output size is 128 bits; 64 are used */
    size_t outlen = 0;
    uint64_t h = 0;
    if (EVP_Q_mac(NULL, "SIPHASH", NULL, NULL, NULL, rl->key, sizeof rl->key, key, len, out,
                  sizeof out, &outlen) != NULL &&
        outlen >= 8) {
        for (int i = 0; i < 8; i++)
            h = (h << 8) | out[i];
    }
    if (h == 0)
        abort(); /* SipHash unavailable: a broken OpenSSL installation, not a client's doing */
    return h;
}

/* Tokens in e at time now. */
static double level(const struct ratelimit *rl, const struct rl_entry *e, double now)
{
    double t = e->tokens + (now - e->last) * rl->rate;
    return t > rl->burst ? rl->burst : t;
}

enum rl_result ratelimit_take(struct ratelimit *rl, const void *key, size_t len, double now,
                              double *retry_after)
{
    uint64_t h = keyed_hash(rl, key, len);
    struct rl_entry *free_slot = NULL;
    for (size_t i = 0; i < PROBE && i < rl->cap; i++) {
        struct rl_entry *e = &rl->slots[(h + i) & (rl->cap - 1)];
        if (e->hash == h) {
            double t = level(rl, e, now);
            if (t < 1.0) {
                e->tokens = t;
                e->last = now;
                *retry_after = rl->rate > 0 ? (1.0 - t) / rl->rate : 60.0;
                return RL_LIMITED;
            }
            e->tokens = t - 1.0;
            e->last = now;
            return RL_ALLOW;
        }
        /* an empty slot, or an idle entry whose bucket has refilled, can be reused */
        if (!free_slot && (e->hash == 0 || level(rl, e, now) >= rl->burst))
            free_slot = e;
    }
    if (!free_slot)
        return RL_FULL;
    free_slot->hash = h;
    free_slot->tokens = rl->burst - 1.0;
    free_slot->last = now;
    return RL_ALLOW;
}
