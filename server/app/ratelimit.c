/* Rate limiter (see ratelimit.h): SipHash-2-4 from OpenSSL for the key hash, computed outside any
 * lock; the hash's top bits pick a block of the table and its mutex, and linear probing over at
 * most PROBE slots stays inside that block; idle entries expire lazily. */
#include "ratelimit.h"
#include "xalloc.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#define PROBE 32
#define BLOCK_MIN 64 /* slots per lock at least (more than PROBE) */
#define LOCKS_MAX 64 /* stripes: enough that workers rarely meet on one */

int ratelimit_init(struct ratelimit *rl, size_t cap, double per_minute, double burst)
{
    size_t c = BLOCK_MIN;
    while (c < cap)
        c *= 2;
    rl->cap = c;
    rl->slots = xcalloc(c, sizeof *rl->slots);
    rl->rate = per_minute / 60.0;
    rl->burst = burst < 1 ? 1 : burst;
    rl->nlocks = c / BLOCK_MIN < LOCKS_MAX ? c / BLOCK_MIN : LOCKS_MAX;
    rl->locks = xcalloc(rl->nlocks, sizeof *rl->locks);
    for (size_t i = 0; i < rl->nlocks; i++)
        if (pthread_mutex_init(&rl->locks[i], NULL) != 0)
            abort(); /* only fails without memory, which xcalloc already treats as fatal */
    return RAND_bytes(rl->key, sizeof rl->key) == 1 ? 0 : -1;
}

void ratelimit_free(struct ratelimit *rl)
{
    for (size_t i = 0; rl->locks && i < rl->nlocks; i++)
        pthread_mutex_destroy(&rl->locks[i]);
    free(rl->locks);
    rl->locks = NULL;
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

/* The block of hash h: its first slot, its size and its lock (locked on return). */
struct block {
    struct rl_entry *first;
    size_t size; /* power of two */
    pthread_mutex_t *lock;
};

static struct block block_lock(struct ratelimit *rl, uint64_t h)
{
    size_t size = rl->cap / rl->nlocks;
    size_t b = (size_t)(h >> 40) & (rl->nlocks - 1); /* top bits: the slot uses the low ones */
    struct block blk = {rl->slots + b * size, size, &rl->locks[b]};
    pthread_mutex_lock(blk.lock);
    return blk;
}

/* The entry of h in blk, or NULL; *free_slot receives a slot a new entry could take (or NULL). */
static struct rl_entry *find(const struct ratelimit *rl, const struct block *blk, uint64_t h,
                             double now, struct rl_entry **free_slot)
{
    *free_slot = NULL;
    for (size_t i = 0; i < PROBE && i < blk->size; i++) {
        struct rl_entry *e = &blk->first[(h + i) & (blk->size - 1)];
        if (e->hash == h)
            return e;
        /* an empty slot, or an idle entry whose bucket has refilled, can be reused */
        if (!*free_slot && (e->hash == 0 || level(rl, e, now) >= rl->burst))
            *free_slot = e;
    }
    return NULL;
}

/* One look at key's bucket under its block's lock; take: also spend a token (or track a new key).
 */
static enum rl_result consult(struct ratelimit *rl, const void *key, size_t len, double now,
                              double *retry_after, bool take)
{
    uint64_t h = keyed_hash(rl, key, len);
    struct block blk = block_lock(rl, h);
    struct rl_entry *free_slot;
    struct rl_entry *e = find(rl, &blk, h, now, &free_slot);
    enum rl_result res = RL_ALLOW;
    if (e) {
        double t = level(rl, e, now);
        if (t < 1.0) {
            *retry_after = rl->rate > 0 ? (1.0 - t) / rl->rate : 60.0;
            res = RL_LIMITED;
        } else {
            t -= 1.0;
        }
        if (take) {
            e->tokens = t;
            e->last = now;
        }
    } else if (take && !free_slot) {
        res = RL_FULL;
    } else if (take) {
        free_slot->hash = h;
        free_slot->tokens = rl->burst - 1.0;
        free_slot->last = now;
    }
    pthread_mutex_unlock(blk.lock);
    return res;
}

enum rl_result ratelimit_take(struct ratelimit *rl, const void *key, size_t len, double now,
                              double *retry_after)
{
    return consult(rl, key, len, now, retry_after, true);
}

enum rl_result ratelimit_peek(struct ratelimit *rl, const void *key, size_t len, double now,
                              double *retry_after)
{
    return consult(rl, key, len, now, retry_after, false);
}

size_t ratelimit_addr_key(const unsigned char *ip, size_t len, unsigned char out[RL_ADDR_KEY_MAX])
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (len == 16 && memcmp(ip, mapped, sizeof mapped) == 0) {
        memcpy(out, ip + 12, 4);
        return 4;
    }
    if (len == 16) {
        memcpy(out, ip, 8);
        return 8;
    }
    if (len > RL_ADDR_KEY_MAX)
        len = RL_ADDR_KEY_MAX;
    memcpy(out, ip, len);
    return len;
}
