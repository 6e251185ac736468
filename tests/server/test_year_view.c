/* The year page's pure part: an earlier year's day shifted into a new fiscal year when the page
 * copies a set-up (same day and month; 29 February becomes 28 February in a year without it;
 * malformed days refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "admin/year_view.h"

static void test_shift_day(void **state)
{
    (void)state;
    char out[16];
    assert_true(year_shift_day("2025-11-01", 1, out, sizeof out));
    assert_string_equal(out, "2026-11-01");
    assert_true(year_shift_day("2026-01-31", 1, out, sizeof out));
    assert_string_equal(out, "2027-01-31");
    assert_true(year_shift_day("2024-02-29", 1, out, sizeof out)); /* no 29 Feb in 2025 */
    assert_string_equal(out, "2025-02-28");
    assert_true(year_shift_day("2024-02-29", 4, out, sizeof out)); /* 2028 has it */
    assert_string_equal(out, "2028-02-29");
    assert_true(year_shift_day("2023-12-31", 3, out, sizeof out)); /* several years back */
    assert_string_equal(out, "2026-12-31");
    assert_true(year_shift_day("2026-10-01", 0, out, sizeof out));
    assert_string_equal(out, "2026-10-01");
}

static void test_shift_day_refused(void **state)
{
    (void)state;
    char out[16] = "x", small[8];
    assert_false(year_shift_day("2025-02-29", 1, out, sizeof out)); /* not a day */
    assert_string_equal(out, "");
    assert_false(year_shift_day("2025-13-01", 1, out, sizeof out));
    assert_false(year_shift_day("2025-11-1", 1, out, sizeof out));
    assert_false(year_shift_day("2025-11-01x", 1, out, sizeof out));
    assert_false(year_shift_day("", 1, out, sizeof out));
    assert_false(year_shift_day(NULL, 1, out, sizeof out));
    assert_false(year_shift_day("9999-01-01", 1, out, sizeof out));
    assert_false(year_shift_day("2025-11-01", 1, small, sizeof small));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shift_day),
        cmocka_unit_test(test_shift_day_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
