/* Thai dates: Buddhist Era year and Thai month names, and malformed dates refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_datetime),
        cmocka_unit_test(test_fiscal_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
