/* Thai dates: Buddhist Era year and Thai month names, and malformed dates refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
