/* Unit tests for the token-bucket limiter: burst, refill, independent keys, reuse of idle
 * entries, failing closed when the table has no room, looking without taking (the per-link bucket
 * is charged only for valid submissions), client addresses keyed by IPv4 address or IPv6 /64, and
 * one table shared by many threads at once (the limits hold per process, not per worker). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/ratelimit.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static void test_burst_and_refill(void **state)
{
    struct ratelimit rl;
    assert_int_equal(ratelimit_init(&rl, 1024, 60, 5), 0); /* one per second, 5 at once */
    double ra = 0;
    for (int i = 0; i < 5; i++)
        assert_int_equal(ratelimit_take(&rl, "1.2.3.4", 7, 100.0, &ra), RL_ALLOW);
    assert_int_equal(ratelimit_take(&rl, "1.2.3.4", 7, 100.0, &ra), RL_LIMITED);
    assert_true(ra > 0.99 && ra <= 1.0);
    /* another key is not affected */
    assert_int_equal(ratelimit_take(&rl, "5.6.7.8", 7, 100.0, &ra), RL_ALLOW);
    /* half a second later: still nothing; one second later: one token */
    assert_int_equal(ratelimit_take(&rl, "1.2.3.4", 7, 100.5, &ra), RL_LIMITED);
    assert_true(ra > 0.49 && ra < 0.51);
    assert_int_equal(ratelimit_take(&rl, "1.2.3.4", 7, 101.0, &ra), RL_ALLOW);
    assert_int_equal(ratelimit_take(&rl, "1.2.3.4", 7, 101.0, &ra), RL_LIMITED);
    /* after a long pause the bucket is full again, but never above the burst */
    for (int i = 0; i < 5; i++)
        assert_int_equal(ratelimit_take(&rl, "1.2.3.4", 7, 1000.0, &ra), RL_ALLOW);
    assert_int_equal(ratelimit_take(&rl, "1.2.3.4", 7, 1000.0, &ra), RL_LIMITED);
    ratelimit_free(&rl);
}

static void test_fails_closed_then_recovers(void **state)
{
    struct ratelimit rl;
    assert_int_equal(ratelimit_init(&rl, 64, 60, 2), 0);
    double ra;
    char key[32];
    int full = 0;
    /* 64 slots, many keys at the same instant: the table fills and new keys are refused */
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "10.0.%d.%d", i / 256, i % 256);
        enum rl_result r = ratelimit_take(&rl, key, strlen(key), 50.0, &ra);
        assert_true(r == RL_ALLOW || r == RL_FULL);
        full += r == RL_FULL;
    }
    assert_true(full >= 1000 - 64);
    /* once the entries have refilled (2 s at one per second) their slots are reused */
    assert_int_equal(ratelimit_take(&rl, "new", 3, 53.0, &ra), RL_ALLOW);
    ratelimit_free(&rl);
}

/* Peeking says whether a token is there without taking it or tracking a new key. */
static void test_peek_takes_nothing(void **state)
{
    struct ratelimit rl;
    assert_int_equal(ratelimit_init(&rl, 1024, 60, 2), 0);
    double ra = 0;
    for (int i = 0; i < 10; i++)
        assert_int_equal(ratelimit_peek(&rl, "link", 4, 10.0, &ra), RL_ALLOW);
    assert_int_equal(ratelimit_take(&rl, "link", 4, 10.0, &ra), RL_ALLOW);
    assert_int_equal(ratelimit_peek(&rl, "link", 4, 10.0, &ra), RL_ALLOW);
    assert_int_equal(ratelimit_take(&rl, "link", 4, 10.0, &ra), RL_ALLOW);
    assert_int_equal(ratelimit_peek(&rl, "link", 4, 10.0, &ra), RL_LIMITED);
    assert_true(ra > 0.99 && ra <= 1.0);
    assert_int_equal(ratelimit_take(&rl, "link", 4, 10.0, &ra), RL_LIMITED);
    assert_int_equal(ratelimit_peek(&rl, "link", 4, 11.0, &ra), RL_ALLOW);
    /* a peek at an unknown key takes no slot: a full table still has room for it after peeks */
    struct ratelimit small;
    assert_int_equal(ratelimit_init(&small, 64, 60, 2), 0);
    char key[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "peek-%d", i);
        assert_int_equal(ratelimit_peek(&small, key, strlen(key), 5.0, &ra), RL_ALLOW);
    }
    for (size_t i = 0; i < small.cap; i++)
        assert_true(small.slots[i].hash == 0);
    ratelimit_free(&small);
    ratelimit_free(&rl);
}

static size_t addr_key(const char *text, unsigned char out[RL_ADDR_KEY_MAX])
{
    unsigned char ip[16];
    if (inet_pton(AF_INET, text, ip) == 1)
        return ratelimit_addr_key(ip, 4, out);
    assert_int_equal(inet_pton(AF_INET6, text, ip), 1);
    return ratelimit_addr_key(ip, 16, out);
}

static bool same_key(const char *a, const char *b)
{
    unsigned char ka[RL_ADDR_KEY_MAX], kb[RL_ADDR_KEY_MAX];
    size_t la = addr_key(a, ka), lb = addr_key(b, kb);
    return la == lb && memcmp(ka, kb, la) == 0;
}

/* IPv6 clients are one client per /64; IPv4-mapped IPv6 is the IPv4 address. */
static void test_addr_key_ipv6_by_64(void **state)
{
    unsigned char k[RL_ADDR_KEY_MAX];
    assert_int_equal(addr_key("2001:db8:1:2::1", k), 8);
    assert_int_equal(addr_key("192.0.2.7", k), 4);
    assert_true(same_key("2001:db8:1:2::1", "2001:db8:1:2:ffff:eeee:dddd:cccc"));
    assert_true(same_key("2001:db8:1:2::1", "2001:db8:1:2::2"));
    assert_false(same_key("2001:db8:1:2::1", "2001:db8:1:3::1"));
    assert_false(same_key("2001:db8:1:2::1", "2001:db9:1:2::1"));
    assert_true(same_key("::ffff:192.0.2.7", "192.0.2.7"));
    assert_false(same_key("::ffff:192.0.2.7", "192.0.2.8"));
    assert_false(same_key("192.0.2.7", "192.0.2.8"));
    /* an IPv6 /64 whose first bytes spell an IPv4 address is still another client */
    assert_false(same_key("c000:207::1", "192.0.2.7"));

    /* through the limiter: a /64 shares one bucket, the next /64 has its own */
    struct ratelimit rl;
    assert_int_equal(ratelimit_init(&rl, 1024, 1, 3), 0);
    double ra;
    char addr[64];
    int allowed = 0;
    for (int i = 1; i <= 10; i++) {
        snprintf(addr, sizeof addr, "2001:db8:aa:bb::%x", i * 4099);
        size_t n = addr_key(addr, k);
        allowed += ratelimit_take(&rl, k, n, 0.0, &ra) == RL_ALLOW;
    }
    assert_int_equal(allowed, 3);
    size_t n = addr_key("2001:db8:aa:bc::1", k);
    assert_int_equal(ratelimit_take(&rl, k, n, 0.0, &ra), RL_ALLOW);
    ratelimit_free(&rl);
}

/* ---- one table, many threads ---- */

enum { THREADS = 8, KEYS = 200, TAKES_PER_KEY = 10, BURST = 7 };
static struct ratelimit shared;
static atomic_int allowed_of[KEYS];

static void *taker(void *arg)
{
    int t = (int)(intptr_t)arg;
    double ra;
    char key[32];
    for (int round = 0; round < TAKES_PER_KEY; round++) {
        for (int i = 0; i < KEYS; i++) {
            int k = (i + t * 31) % KEYS; /* threads walk the keys from different places */
            snprintf(key, sizeof key, "client-%d", k);
            if (ratelimit_take(&shared, key, strlen(key), 1.0, &ra) == RL_ALLOW)
                atomic_fetch_add(&allowed_of[k], 1);
        }
    }
    return NULL;
}

/* Eight threads take from one table at the same instant: every key gets exactly its burst, not a
 * burst per thread. */
static void test_shared_across_threads(void **state)
{
    assert_int_equal(ratelimit_init(&shared, 65536, 0.001, BURST), 0);
    assert_true(shared.nlocks > 1);
    pthread_t th[THREADS];
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_create(&th[t], NULL, taker, (void *)(intptr_t)t), 0);
    for (int t = 0; t < THREADS; t++)
        pthread_join(th[t], NULL);
    for (int k = 0; k < KEYS; k++)
        assert_int_equal(atomic_load(&allowed_of[k]), BURST);
    ratelimit_free(&shared);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_and_refill),
        cmocka_unit_test(test_fails_closed_then_recovers),
        cmocka_unit_test(test_peek_takes_nothing),
        cmocka_unit_test(test_addr_key_ipv6_by_64),
        cmocka_unit_test(test_shared_across_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
