/* The account pages' pure parts: the search pattern (every character the person types matches
 * itself, LIKE's wildcards and escape included), numbers with thousands separators, password
 * length in characters (Thai letters are three bytes each), the locked state in Thai, and the
 * sign-in failure message that says when a locked account opens again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "admin/accounts_view.h"
#include "admin/signin_view.h"

#include <string.h>

static void test_like_pattern(void **state)
{
    (void)state;
    char out[2 * ACCOUNTS_SEARCH_MAX + 3];
    assert_true(accounts_like_pattern("", out, sizeof out));
    assert_string_equal(out, "");
    assert_true(accounts_like_pattern("clerk", out, sizeof out));
    assert_string_equal(out, "%clerk%");
    assert_true(accounts_like_pattern("100%_a\\b", out, sizeof out));
    assert_string_equal(out, "%100\\%\\_a\\\\b%");
    assert_true(accounts_like_pattern("เทศบาล", out, sizeof out));
    assert_string_equal(out, "%เทศบาล%");
    /* the longest search, all of it wildcards, still fits */
    char q[ACCOUNTS_SEARCH_MAX + 2];
    memset(q, '%', ACCOUNTS_SEARCH_MAX);
    q[ACCOUNTS_SEARCH_MAX] = '\0';
    assert_true(accounts_like_pattern(q, out, sizeof out));
    assert_int_equal(strlen(out), 2 * ACCOUNTS_SEARCH_MAX + 2);
    q[ACCOUNTS_SEARCH_MAX] = 'x';
    q[ACCOUNTS_SEARCH_MAX + 1] = '\0';
    assert_false(accounts_like_pattern(q, out, sizeof out));
    assert_string_equal(out, "");
    char small[8];
    assert_false(accounts_like_pattern("abcd", small, sizeof small));
}

static void test_group_digits(void **state)
{
    (void)state;
    char out[32];
    accounts_group_digits(0, out, sizeof out);
    assert_string_equal(out, "0");
    accounts_group_digits(50, out, sizeof out);
    assert_string_equal(out, "50");
    accounts_group_digits(999, out, sizeof out);
    assert_string_equal(out, "999");
    accounts_group_digits(8312, out, sizeof out);
    assert_string_equal(out, "8,312");
    accounts_group_digits(1234567, out, sizeof out);
    assert_string_equal(out, "1,234,567");
}

static void test_utf8_chars(void **state)
{
    (void)state;
    assert_int_equal(accounts_utf8_chars(""), 0);
    assert_int_equal(accounts_utf8_chars("abcdefghij"), 10);
    assert_int_equal(accounts_utf8_chars("รหัสผ่าน"), 8); /* 24 bytes */
}

static void test_locked_text(void **state)
{
    (void)state;
    char out[160];
    accounts_locked_text("2026-12-06 13:32", out, sizeof out);
    assert_string_equal(out, "ถูกล็อกถึง 6 ธ.ค. 2569 เวลา 13:32 น.");
    accounts_locked_text("", out, sizeof out);
    assert_string_equal(out, "ถูกล็อกชั่วคราว");
    accounts_locked_text("2026-13-06 13:32", out, sizeof out);
    assert_string_equal(out, "ถูกล็อกชั่วคราว");
}

static void test_failed_message(void **state)
{
    (void)state;
    char out[400];
    /* 2026-12-06 06:17:00 UTC = 13:17 in Thailand; the lock ends at 13:32 */
    signin_view_failed(1796537820, out, sizeof out);
    assert_non_null(strstr(out, "อีเมลหรือรหัสผ่านไม่ถูกต้อง"));
    assert_non_null(strstr(out, "ลองใหม่ได้หลัง 13:32 น."));
    /* a second later it is rounded up to the next minute; across midnight the hour wraps */
    signin_view_failed(1796537821, out, sizeof out);
    assert_non_null(strstr(out, "ลองใหม่ได้หลัง 13:33 น."));
    signin_view_failed(1796537820 + 10 * 3600 + 30 * 60, out, sizeof out);
    assert_non_null(strstr(out, "ลองใหม่ได้หลัง 00:02 น."));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_like_pattern),   cmocka_unit_test(test_group_digits),
        cmocka_unit_test(test_utf8_chars),     cmocka_unit_test(test_locked_text),
        cmocka_unit_test(test_failed_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
