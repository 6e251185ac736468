/* Thai dates: Buddhist Era year and Thai month names, and malformed dates refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "thai_date.h"

static void test_forms(void **state)
{
    char b[ITA_THAI_DATE_SIZE];
    assert_true(ita_thai_date_short("2026-12-06", b, sizeof b));
    assert_string_equal(b, "6 ธ.ค. 2569");
    assert_true(ita_thai_date_long("2026-12-06", b, sizeof b));
    assert_string_equal(b, "6 ธันวาคม 2569");
    assert_true(ita_thai_date_short("2024-02-29", b, sizeof b));
    assert_string_equal(b, "29 ก.พ. 2567");
    assert_true(ita_thai_date_short("2025-01-31", b, sizeof b));
    assert_string_equal(b, "31 ม.ค. 2568");
}

static void test_refused(void **state)
{
    static const char *const bad[] = {"",           "2026-13-01", "2026-00-10", "2026-02-30",
                                      "2025-02-29", "2026-12-6x", "06/12/2026", "2026-04-31"};
    char b[ITA_THAI_DATE_SIZE];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(ita_thai_date_short(bad[i], b, sizeof b));
        assert_string_equal(b, "");
    }
    assert_false(ita_thai_date_long(NULL, b, sizeof b));
}

static void test_datetime(void **state)
{
    (void)state;
    char b[ITA_THAI_DATE_SIZE];
    assert_true(ita_thai_datetime_short("2026-12-06 13:32", b, sizeof b));
    assert_string_equal(b, "6 ธ.ค. 2569 13:32 น.");
    assert_true(ita_thai_datetime_short("2026-12-06 00:05", b, sizeof b));
    assert_string_equal(b, "6 ธ.ค. 2569 00:05 น.");
    assert_true(ita_thai_datetime_short("2026-12-06", b, sizeof b));
    assert_string_equal(b, "6 ธ.ค. 2569");
    static const char *const bad[] = {"2026-12-06 24:00", "2026-12-06 13:60",
                                      "2026-12-06T13:32", "2026-02-30 10:00",
                                      "2026-12-06 1:32",  "2026-12-06 13:32:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(ita_thai_datetime_short(bad[i], b, sizeof b));
        assert_string_equal(b, "");
    }
    assert_false(ita_thai_datetime_short(NULL, b, sizeof b));
}

static void test_fiscal_year(void **state)
{
    (void)state;
    /* 2026-09-30 16:59:59 UTC is 23:59:59 on 30 Sep in Thailand: still fiscal year 2569. */
    assert_int_equal(ita_fiscal_year_of((time_t)1790787599), 2569);
    /* One second later it is 1 Oct 2026 in Thailand (still 30 Sep in UTC): 2570. */
    assert_int_equal(ita_fiscal_year_of((time_t)1790787600), 2570);
    /* 6 Dec 2026 12:00 UTC: 2570; 1 Jan 2027: 2570; 30 Sep 2027: 2570. */
    assert_int_equal(ita_fiscal_year_of((time_t)1796558400), 2570);
    assert_int_equal(ita_fiscal_year_of((time_t)1798761600), 2570);
    assert_int_equal(ita_fiscal_year_of((time_t)1822305600), 2570);
    /* ITA_TODAY overrides the clock; a malformed value is ignored. */
    setenv("ITA_TODAY", "2023-10-01", 1);
    assert_int_equal(ita_fiscal_year_now(), 2567);
    setenv("ITA_TODAY", "2023-09-30", 1);
    assert_int_equal(ita_fiscal_year_now(), 2566);
    setenv("ITA_TODAY", "2023-13-01", 1);
    assert_true(ita_fiscal_year_now() >= 2570);
    unsetenv("ITA_TODAY");
}

static void test_numeric_and_days(void **state)
{
    (void)state;
    char b[ITA_THAI_DATE_SIZE];
    assert_true(ita_thai_date_numeric("2026-11-01", b, sizeof b));
    assert_string_equal(b, "1/11/2569");
    assert_true(ita_thai_date_numeric("2027-01-31", b, sizeof b));
    assert_string_equal(b, "31/1/2570");
    assert_false(ita_thai_date_numeric("2026-02-30", b, sizeof b));
    assert_string_equal(b, "");
    long n = 0;
    assert_true(ita_days_between("2026-12-06", "2027-01-31", &n));
    assert_int_equal(n, 56);
    assert_true(ita_days_between("2024-02-28", "2024-03-01", &n)); /* leap year */
    assert_int_equal(n, 2);
    assert_true(ita_days_between("2023-02-28", "2023-03-01", &n));
    assert_int_equal(n, 1);
    assert_true(ita_days_between("2027-01-01", "2026-12-31", &n));
    assert_int_equal(n, -1);
    assert_false(ita_days_between("2026-12-06", "", &n));
    char f[16], l[16];
    ita_fiscal_year_bounds(2570, f, l, sizeof f);
    assert_string_equal(f, "2026-10-01");
    assert_string_equal(l, "2027-09-30");
    setenv("ITA_TODAY", "2027-01-05", 1);
    ita_today_iso(b, sizeof b);
    assert_string_equal(b, "2027-01-05");
    unsetenv("ITA_TODAY");
    ita_today_iso(b, sizeof b);
    assert_int_equal(strlen(b), 10);
}

static void test_window_state(void **state)
{
    (void)state;
    struct ita_window w = ita_window_on("", "", "2026-12-06");
    assert_int_equal(w.state, ITA_WINDOW_UNSET);
    assert_int_equal(w.days, 0);
    /* opens 1 Nov 2026 .. closes 31 Jan 2027 (inclusive) */
    w = ita_window_on("2026-11-01", "2027-01-31", "2026-10-25");
    assert_int_equal(w.state, ITA_WINDOW_NOT_OPEN);
    assert_int_equal(w.days, 7);
    w = ita_window_on("2026-11-01", "2027-01-31", "2026-10-31");
    assert_int_equal(w.state, ITA_WINDOW_NOT_OPEN);
    assert_int_equal(w.days, 1);
    w = ita_window_on("2026-11-01", "2027-01-31", "2026-11-01"); /* the opening day */
    assert_int_equal(w.state, ITA_WINDOW_OPEN);
    assert_int_equal(w.days, 92);
    w = ita_window_on("2026-11-01", "2027-01-31", "2026-12-06");
    assert_int_equal(w.state, ITA_WINDOW_OPEN);
    assert_int_equal(w.days, 57); /* 6 Dec .. 31 Jan, both included */
    w = ita_window_on("2026-11-01", "2027-01-31", "2027-01-31"); /* the last day */
    assert_int_equal(w.state, ITA_WINDOW_OPEN);
    assert_int_equal(w.days, 1);
    w = ita_window_on("2026-11-01", "2027-01-31", "2027-02-01");
    assert_int_equal(w.state, ITA_WINDOW_CLOSED);
    assert_int_equal(w.days, 1);
    /* a one-day window; a reversed or malformed one counts as unset */
    w = ita_window_on("2026-12-06", "2026-12-06", "2026-12-06");
    assert_int_equal(w.state, ITA_WINDOW_OPEN);
    assert_int_equal(w.days, 1);
    assert_int_equal(ita_window_on("2026-12-07", "2026-12-06", "2026-12-06").state,
                     ITA_WINDOW_UNSET);
    assert_int_equal(ita_window_on("2026-12-07", "x", "2026-12-06").state, ITA_WINDOW_UNSET);
}

static void test_window_check(void **state)
{
    (void)state;
    const char *today = "2026-12-06";
    assert_int_equal(ita_window_check("2026-11-01", "2027-01-31", today, 2570), 0);
    assert_int_equal(ita_window_check("2026-12-06", "2026-12-06", today, 2570), 0);
    assert_int_equal(ita_window_check("2027-01-31", "2026-11-01", today, 2570),
                     ITA_WINDOW_REVERSED | ITA_WINDOW_PAST);
    assert_int_equal(ita_window_check("2027-01-31", "2027-01-01", today, 2570),
                     ITA_WINDOW_REVERSED);
    assert_int_equal(ita_window_check("2026-10-01", "2027-10-03", today, 2570),
                     ITA_WINDOW_TOO_LONG | ITA_WINDOW_OUTSIDE_FY);
    /* wholly in the past, inside the fiscal year */
    assert_int_equal(ita_window_check("2026-10-01", "2026-12-05", today, 2570), ITA_WINDOW_PAST);
    /* the fiscal year's edges: 1 Oct 2026 .. 30 Sep 2027 */
    assert_int_equal(ita_window_check("2026-12-06", "2027-09-30", today, 2570), 0);
    assert_int_equal(ita_window_check("2026-12-06", "2027-10-01", today, 2570),
                     ITA_WINDOW_OUTSIDE_FY);
    assert_int_equal(ita_window_check("2026-09-30", "2026-12-31", today, 2570),
                     ITA_WINDOW_OUTSIDE_FY);
    /* another year's window seen today: in the past and outside */
    assert_int_equal(ita_window_check("2023-01-01", "2023-02-01", today, 2570),
                     ITA_WINDOW_PAST | ITA_WINDOW_OUTSIDE_FY);
    assert_int_equal(ita_window_check("2023-01-01", "2023-02-01", today, 2566), ITA_WINDOW_PAST);
    assert_int_equal(ita_window_check("", "2023-02-01", today, 2566), ITA_WINDOW_REVERSED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_datetime),
        cmocka_unit_test(test_fiscal_year),
        cmocka_unit_test(test_numeric_and_days),
        cmocka_unit_test(test_window_state),
        cmocka_unit_test(test_window_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
