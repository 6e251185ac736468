/* The minimum sample rule: the defaults at their boundaries, a rule read from an instrument
 * file, and every malformed rule refused with a message naming the key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sample_rule.h"

#include <string.h>

static void test_defaults(void **state)
{
    struct ita_sample_rule iit = ita_sample_rule_default(0), eit = ita_sample_rule_default(1);
    /* IIT: at least 25, everyone when fewer */
    assert_int_equal(ita_min_sample(&iit, 0), 0);
    assert_int_equal(ita_min_sample(&iit, 24), 24);
    assert_int_equal(ita_min_sample(&iit, 25), 25);
    assert_int_equal(ita_min_sample(&iit, 10000), 25);
    assert_int_equal(ita_min_sample(&iit, -1), 25); /* not entered yet */
    /* EIT: 10 %, at least 30 (everyone when fewer), 400 above 4,000 */
    assert_int_equal(ita_min_sample(&eit, 29), 29);
    assert_int_equal(ita_min_sample(&eit, 30), 30);
    assert_int_equal(ita_min_sample(&eit, 300), 30);
    assert_int_equal(ita_min_sample(&eit, 301), 31); /* rounded up */
    assert_int_equal(ita_min_sample(&eit, 1000), 100);
    assert_int_equal(ita_min_sample(&eit, 4000), 400);
    assert_int_equal(ita_min_sample(&eit, 4001), 400);
    assert_int_equal(ita_min_sample(&eit, 3999), 400);
    assert_int_equal(ita_min_sample(&eit, 3991), 400);
    assert_int_equal(ita_min_sample(&eit, 3981), 399);
    assert_int_equal(ita_min_sample(&eit, 5000000), 400);
}

static void test_from_text(void **state)
{
    struct ita_sample_rule r[2];
    char err[256];
    assert_int_equal(ita_sample_rules_parse_text("{\"IIT\": {\"minimum\": 10, \"percent\": 12.5}}",
                                                 r, err, sizeof err),
                     0);
    assert_int_equal(r[0].percent_bp, 1250);
    assert_int_equal(ita_min_sample(&r[0], 100), 13); /* 12.5 of 100, rounded up */
    assert_int_equal(ita_min_sample(&r[0], 8), 8);
    assert_int_equal(r[1].large_sample, 400); /* EIT kept its default */
    assert_int_equal(ita_sample_rules_parse_text(NULL, r, err, sizeof err), 0);
    assert_int_equal(r[0].minimum, 25);
}

static void test_refused(void **state)
{
    static const struct {
        const char *json, *want;
    } bad[] = {
        {"{\"OIT\": {\"minimum\": 1}}", "ไม่รู้จักแบบวัด \"OIT\" (ที่ใช้ได้: IIT, EIT)"},
        {"{\"IIT\": {\"minimum\": -1}}", "IIT: \"minimum\" ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 1000000"},
        {"{\"IIT\": {\"percent\": 5}}", "IIT: ขาด \"minimum\""},
        {"{\"EIT\": {\"minimum\": 1, \"percent\": 101}}",
         "EIT: \"percent\" ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"},
        {"{\"EIT\": {\"minimum\": 1, \"percent\": 1.234}}", "ทศนิยมไม่เกินสองตำแหน่ง"},
        {"{\"EIT\": {\"minimum\": 1, \"large_above\": 10}}", "EIT: ขาด \"large_sample\""},
        {"{\"EIT\": {\"minimum\": 1, \"cap\": 10}}", "EIT: ไม่รู้จักคีย์ \"cap\""},
        {"[1]", "ต้องเป็นออบเจกต์ที่มี \"IIT\" และ/หรือ \"EIT\""},
        {"{\"IIT\": 3}", "IIT: ต้องเป็นออบเจกต์ {...}"},
        {"{", "ไม่ใช่ JSON ที่ถูกต้อง"},
        /* every problem, one line each */
        {"{\"IIT\": {\"minimum\": -1, \"cap\": 1}, \"EIT\": {\"minimum\": 1, \"percent\": 101}}",
         "IIT: ไม่รู้จักคีย์ \"cap\" (คีย์ที่ใช้ได้: minimum, percent, large_above, large_sample)\n"
         "IIT: \"minimum\" ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 1000000\n"
         "EIT: \"percent\" ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100 มีทศนิยมไม่เกินสองตำแหน่ง"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ita_sample_rule r[2];
        char err[512] = "";
        assert_int_equal(ita_sample_rules_parse_text(bad[i].json, r, err, sizeof err), -1);
        if (!strstr(err, bad[i].want))
            fail_msg("%s: got \"%s\", want \"%s\"", bad[i].json, err, bad[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_from_text),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
