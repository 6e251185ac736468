/* The pure checks of the OIT work pages (server/oit/oit_work_check.c): unit names (trimmed, not
 * empty, at most 200 characters counted as characters, not bytes), due dates, evidence URLs
 * (normalised, http/https only, bounded), the readable form of an encoded URL, and when an item
 * is late. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "oit/oit_work.h"

#include <string.h>

static struct arena a;

static void test_unit_name(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_string_equal(oit_unit_name(&a, "  กองคลัง\t", &why), "กองคลัง");
    assert_string_equal(oit_unit_name(&a, "\xC2\xA0สำนักปลัด\xC2\xA0", &why), "สำนักปลัด");
    assert_null(oit_unit_name(&a, " \xC2\xA0 ", &why));
    assert_string_equal(why, "กรุณากรอกชื่อหน่วยงาน");
    assert_null(oit_unit_name(&a, NULL, &why));
    char name[800] = "";
    for (int i = 0; i < 200; i++)
        strcat(name, "ก"); /* 600 bytes, 200 characters: allowed */
    assert_non_null(oit_unit_name(&a, name, &why));
    strcat(name, "ข");
    why = NULL;
    assert_null(oit_unit_name(&a, name, &why));
    assert_non_null(strstr(why, "ยาวเกินไป"));
    assert_null(oit_unit_name(&a, "กอง\nคลัง", &why));
    assert_int_equal(oit_utf8_chars("กขA"), 3);
}

static void test_due(void **state)
{
    (void)state;
    assert_true(oit_due_ok(""));
    assert_true(oit_due_ok("2026-12-31"));
    assert_true(oit_due_ok("2024-02-29"));
    assert_false(oit_due_ok("2023-02-29"));
    assert_false(oit_due_ok("2026-13-01"));
    assert_false(oit_due_ok("31/12/2569"));
    assert_false(oit_due_ok("1999-12-31"));
    assert_false(oit_due_ok(NULL));
}

static void test_evidence_url(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_string_equal(oit_evidence_url(&a, " https://a.go.th/ผล ita.pdf ", &why),
                        "https://a.go.th/%E0%B8%9C%E0%B8%A5%20ita.pdf");
    assert_null(oit_evidence_url(&a, "ftp://a.go.th/x", &why));
    assert_non_null(why);
    why = NULL;
    assert_null(oit_evidence_url(&a, "", &why));
    assert_non_null(why);
    static char longurl[2100];
    strcpy(longurl, "https://a.go.th/");
    while (strlen(longurl) < 2001)
        strcat(longurl, "x");
    why = NULL;
    assert_null(oit_evidence_url(&a, longurl, &why));
    assert_non_null(why);
}

static void test_url_display(void **state)
{
    (void)state;
    assert_string_equal(oit_url_display(&a, "https://a.go.th/%E0%B8%9C%E0%B8%A5%20ita.pdf"),
                        "https://a.go.th/ผล ita.pdf");
    /* not UTF-8, a control character, a cut escape: shown as stored */
    assert_string_equal(oit_url_display(&a, "https://a.go.th/%FF"), "https://a.go.th/%FF");
    assert_string_equal(oit_url_display(&a, "https://a.go.th/%0A"), "https://a.go.th/%0A");
    assert_string_equal(oit_url_display(&a, "https://a.go.th/%E0%B8"), "https://a.go.th/%E0%B8");
    assert_string_equal(oit_url_display(&a, "https://a.go.th/100%"), "https://a.go.th/100%");
}

static void test_late_and_states(void **state)
{
    (void)state;
    assert_true(oit_late("2026-12-05", "2026-12-06", "ready"));
    assert_false(oit_late("2026-12-06", "2026-12-06", "ready")); /* due today: not yet late */
    assert_false(oit_late("2026-12-05", "2026-12-06", "published"));
    assert_false(oit_late("", "2026-12-06", "not_started"));
    assert_int_equal(oit_state_of("in_progress"), OIT_IN_PROGRESS);
    assert_int_equal(oit_state_of("done"), -1);
    assert_string_equal(OIT_STATE_TH[OIT_READY], "พร้อมตรวจ");
}

static int setup(void **state)
{
    (void)state;
    arena_init(&a, 4096);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_reset(&a);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_name),       cmocka_unit_test(test_due),
        cmocka_unit_test(test_evidence_url),    cmocka_unit_test(test_url_display),
        cmocka_unit_test(test_late_and_states),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
