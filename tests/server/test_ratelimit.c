/* Unit tests for the token-bucket limiter: burst, refill, independent keys, reuse of idle
 * entries, and failing closed when the table has no room. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/ratelimit.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_and_refill),
        cmocka_unit_test(test_fails_closed_then_recovers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
