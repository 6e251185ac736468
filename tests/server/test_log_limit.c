/* The repeated-line limiter of the logger (server/log.c), a pure function of the clock: at most
 * LOG_LIMIT_PER_SEC lines of one level and message key per second, the rest counted and handed
 * back as one summary once the second is over; other keys and levels are not affected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "log.h"

#include <stdio.h>
#include <string.h>

static bool admit(struct log_limit *l, enum log_level level, const char *key, int64_t now,
                  uint32_t *repeated)
{
    return log_limit_admit(l, level, key, strlen(key), now, repeated);
}

struct summary {
    char key[LOG_LIMIT_KEY_MAX];
    enum log_level level;
    uint32_t count;
    int calls;
};

static void collect(enum log_level level, const char *key, uint32_t count, void *arg)
{
    struct summary *s = arg;
    snprintf(s->key, sizeof s->key, "%s", key);
    s->level = level;
    s->count = count;
    s->calls++;
}

/* 10,000 identical error lines within 8 s (the full disk of the issue) write 10 a second plus one
 * summary a second, not 10,000. */
static void test_flood_is_summarised(void **state)
{
    static struct log_limit l;
    uint32_t rep = 0;
    int written = 0, summaries = 0;
    uint64_t summarised = 0;
    for (int i = 0; i < 10000; i++) {
        int64_t now = 5000 + (int64_t)i * 8000 / 10000; /* 8 s */
        if (admit(&l, LOG_ERROR, "event=survey_db_error", now, &rep))
            written++;
        if (rep) {
            summaries++;
            summarised += rep;
        }
    }
    struct summary s = {0};
    bool waiting = log_limit_flush(&l, 5000 + 8000 + LOG_LIMIT_WINDOW_MS, collect, &s);
    assert_false(waiting);
    assert_int_equal(s.calls, 1);
    assert_string_equal(s.key, "event=survey_db_error");
    assert_int_equal(s.level, LOG_ERROR);
    summarised += s.count;
    printf("10000 lines in 8 s: %d written, %d summaries of %llu suppressed lines\n", written,
           summaries + s.calls, (unsigned long long)summarised);
    assert_int_equal(written, 8 * LOG_LIMIT_PER_SEC);
    assert_int_equal((uint64_t)written + summarised, 10000);
}

static void test_window_and_keys(void **state)
{
    static struct log_limit l;
    uint32_t rep = 0;
    for (int i = 0; i < LOG_LIMIT_PER_SEC; i++) {
        assert_true(admit(&l, LOG_WARN, "event=a", 100, &rep));
        assert_int_equal(rep, 0);
    }
    assert_false(admit(&l, LOG_WARN, "event=a", 100, &rep));
    assert_false(admit(&l, LOG_WARN, "event=a", 1099, &rep));
    /* another key, the same key at another level: counted on their own */
    assert_true(admit(&l, LOG_WARN, "event=b", 1099, &rep));
    assert_true(admit(&l, LOG_ERROR, "event=a", 1099, &rep));
    /* a key that only starts the same is another key */
    assert_true(admit(&l, LOG_WARN, "event=ab", 1099, &rep));
    /* before the second is over nothing is summarised */
    struct summary s = {0};
    assert_true(log_limit_flush(&l, 1099, collect, &s));
    assert_int_equal(s.calls, 0);
    /* the next line after the second carries the count of the two suppressed */
    assert_true(admit(&l, LOG_WARN, "event=a", 1100, &rep));
    assert_int_equal(rep, 2);
    assert_true(admit(&l, LOG_WARN, "event=a", 1101, &rep));
    assert_int_equal(rep, 0);
    /* or the flush does, once, when no line of the key comes again */
    for (int i = 0; i < LOG_LIMIT_PER_SEC + 3; i++)
        admit(&l, LOG_WARN, "event=b", 3000, &rep);
    assert_false(log_limit_flush(&l, 3999, collect, &s) == false);
    assert_false(log_limit_flush(&l, 4000, collect, &s));
    assert_int_equal(s.calls, 1);
    assert_string_equal(s.key, "event=b");
    assert_int_equal(s.count, 3);
    assert_false(log_limit_flush(&l, 6000, collect, &s));
    assert_int_equal(s.calls, 1);
}

static void test_message_key(void **state)
{
    const char *t = "event=pg_notice severity=WARNING";
    assert_int_equal(log_message_key(t, strlen(t)), strlen("event=pg_notice"));
    assert_int_equal(log_message_key("event=x\n", 8), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flood_is_summarised),
        cmocka_unit_test(test_window_and_keys),
        cmocka_unit_test(test_message_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
