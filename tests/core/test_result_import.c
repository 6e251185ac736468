/* Tests for core/result_import.c: one agency's file and a many-agency file with Thai and English
 * headers (UTF-8 with BOM and Windows-874), malformed and out-of-range numbers, ratings checked
 * against the year (grades to 2566, the instrument's tiers or the five defaults after),
 * duplicate years, unknown agency codes, indicators partly filled, the PostgreSQL arrays and the
 * form's checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result_import.h"
#include "test_support.h"

static const char *const TIERS_2568[] = {"ดีเยี่ยม", "ดี", "พอใช้"}; /* a loaded instrument's own */
static const struct ita_result_tiers TIERS[] = {{2568, TIERS_2568, 3}, {2569, TIERS_2568, 3}};

static struct ita_result_import_options one_agency(void)
{
    return (struct ita_result_import_options){
        .rules = {.last_year = 2569, .tiers = TIERS, .n_tiers = 2}, .only_code = "LAO5001"};
}

static const char HEAD[] = "ปีงบประมาณ,คะแนนรวม,IIT,EIT,OIT,ตัวชี้วัด 1,ตัวชี้วัด 2,ตัวชี้วัด 3,ตัวชี้วัด 4,"
                           "ตัวชี้วัด 5,ตัวชี้วัด 6,ตัวชี้วัด 7,ตัวชี้วัด 8,ตัวชี้วัด 9,ตัวชี้วัด 10,ผลการประเมิน\r\n";

static void test_one_agency_bom(void **state)
{
    (void)state;
    char csv[2048];
    snprintf(csv, sizeof csv,
             "\xEF\xBB\xBF%s"
             "2561,87.5,90,85.25,86,1,2,3,4,5,6,7,8,9,10,b\r\n"
             "2562,91.04,,,,,,,,,,,,,,A\r\n"
             "2567,88,,,,,,,,,,,,,,ผ่าน\r\n",
             HEAD);
    struct ita_result_import_options o = one_agency();
    struct ita_result_list l;
    assert_int_equal(ita_result_list_parse(csv, strlen(csv), &o, &l), 0);
    assert_int_equal(l.encoding, ITA_ENC_UTF8_BOM);
    assert_int_equal(l.n_rows, 3);
    assert_string_equal(l.rows[0].agency_code, "LAO5001");
    assert_int_equal(l.rows[0].fiscal_year, 2561);
    assert_string_equal(l.rows[0].total, "87.50");
    assert_string_equal(l.rows[0].tool[0], "90.00");
    assert_string_equal(l.rows[0].tool[1], "85.25");
    assert_string_equal(l.rows[0].indicators,
                        "{1.00,2.00,3.00,4.00,5.00,6.00,7.00,8.00,9.00,10.00}");
    assert_string_equal(l.rows[0].rating, "B"); /* a grade in any case */
    assert_null(l.rows[1].tool[2]);
    assert_null(l.rows[1].indicators);
    assert_string_equal(l.rows[2].rating, "ผ่าน");
    assert_int_equal(l.rows[2].line, 4);

    struct strbuf b[ITA_RESULT_PG_COLS];
    struct strbuf *cols[ITA_RESULT_PG_COLS];
    for (int i = 0; i < ITA_RESULT_PG_COLS; i++)
        strbuf_init(&b[i]), cols[i] = &b[i];
    assert_int_equal(ita_result_list_pg_arrays(&l, cols), 0);
    assert_pg_array(b[0].data, (const char *const[]){"LAO5001", "LAO5001", "LAO5001"}, 3);
    assert_pg_array(b[1].data, (const char *const[]){"2561", "2562", "2567"}, 3);
    assert_pg_array(b[5].data, (const char *const[]){"86.00", NULL, NULL}, 3);
    assert_pg_array(b[7].data, (const char *const[]){"B", "A", "ผ่าน"}, 3);
    for (int i = 0; i < ITA_RESULT_PG_COLS; i++)
        strbuf_free(&b[i]);
    ita_result_list_free(&l);
}

/* Thai Excel's Windows-874, English headers in another order, the agency column of this agency. */
static void test_english_windows_874(void **state)
{
    (void)state;
    const char *utf8 = "Rating,Year,Total,Agency Code\r\nผ่านดี,2567,90.1,LAO5001\r\n";
    char win[512];
    iconv_t cd = iconv_open("WINDOWS-874", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *src = (char *)utf8, *dst = win;
    size_t left = strlen(utf8), room = sizeof win;
    assert_int_not_equal(iconv(cd, &src, &left, &dst, &room), (size_t)-1);
    iconv_close(cd);
    struct ita_result_import_options o = one_agency();
    struct ita_result_list l;
    assert_int_equal(ita_result_list_parse(win, sizeof win - room, &o, &l), 0);
    assert_int_equal(l.encoding, ITA_ENC_WINDOWS_874);
    assert_int_equal(l.n_rows, 1);
    assert_string_equal(l.rows[0].rating, "ผ่านดี");
    assert_string_equal(l.rows[0].total, "90.10");
    ita_result_list_free(&l);
}

static struct ita_result_list *bad(const char *rows)
{
    static struct ita_result_list l;
    static struct ita_result_import_options o;
    o = one_agency();
    char csv[4096];
    snprintf(csv, sizeof csv, "%s%s", HEAD, rows);
    assert_int_equal(ita_result_list_parse(csv, strlen(csv), &o, &l), -1);
    assert_int_equal(l.n_rows + l.errors.bad_rows, l.rows_read);
    struct strbuf b[ITA_RESULT_PG_COLS];
    struct strbuf *cols[ITA_RESULT_PG_COLS];
    for (int i = 0; i < ITA_RESULT_PG_COLS; i++)
        strbuf_init(&b[i]), cols[i] = &b[i];
    assert_int_equal(ita_result_list_pg_arrays(&l, cols), -1); /* all or nothing */
    assert_int_equal(b[0].len, 0);
    for (int i = 0; i < ITA_RESULT_PG_COLS; i++)
        strbuf_free(&b[i]);
    return &l;
}

static void test_malformed_numbers(void **state)
{
    (void)state;
    struct ita_result_list *l = bad("2561,87.555,,,,,,,,,,,,,,A\r\n"
                                    "2562,abc,,,,,,,,,,,,,,A\r\n"
                                    "2563,80,8O,,,,,,,,,,,,,A\r\n"
                                    "2564,80.,,,,,,,,,,,,,,A\r\n"
                                    "2565,-5,,,,,,,,,,,,,,A\r\n");
    assert_int_equal(l->errors.total, 5);
    assert_import_err(&l->errors, 0, 2, "คะแนนรวม",
                      "คะแนน \"87.555\" ไม่ใช่ตัวเลขที่ถูกต้อง: ใช้ตัวเลขทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 85.50");
    assert_import_err(&l->errors, 2, 4, "IIT",
                      "คะแนน \"8O\" ไม่ใช่ตัวเลขที่ถูกต้อง: ใช้ตัวเลขทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 85.50");
    assert_int_equal(l->errors.items[4].line, 6);
    ita_result_list_free(l);
}

static void test_out_of_range(void **state)
{
    (void)state;
    struct ita_result_list *l = bad("2561,100.01,,,,,,,,,,,,,,A\r\n"
                                    "2556,80,,,,,,,,,,,,,,A\r\n"
                                    "2570,80,,,,,,,,,,,,,,ผ่าน\r\n"
                                    "25x1,80,,,,,,,,,,,,,,A\r\n"
                                    "2562,100,,,,,,,,,,,,,,AA\r\n");
    assert_int_equal(l->errors.total, 4);
    assert_import_err(&l->errors, 0, 2, "คะแนนรวม", "คะแนน 100.01 อยู่นอกช่วง 0–100");
    assert_import_err(&l->errors, 1, 3, "ปีงบประมาณ", "ปีงบประมาณ 2556 อยู่นอกช่วงที่บันทึกได้ (2557–2569)");
    assert_import_err(&l->errors, 2, 4, "ปีงบประมาณ", "ปีงบประมาณ 2570 อยู่นอกช่วงที่บันทึกได้ (2557–2569)");
    assert_import_err(&l->errors, 3, 5, "ปีงบประมาณ",
                      "ปีงบประมาณ \"25x1\" ไม่ถูกต้อง: ใช้ปี พ.ศ. 4 หลัก เช่น 2565");
    assert_int_equal(l->n_rows, 1); /* 100 itself is fine, yet nothing may be stored */
    ita_result_list_free(l);
}

static void test_unknown_rating(void **state)
{
    (void)state;
    struct ita_result_list *l = bad("2566,80,,,,,,,,,,,,,,ผ่านดี\r\n"
                                    "2567,80,,,,,,,,,,,,,,B\r\n"
                                    "2568,80,,,,,,,,,,,,,,ผ่านดี\r\n"
                                    "2565,80,,,,,,,,,,,,,,\r\n"
                                    "2569,80,,,,,,,,,,,,,,ดี\r\n");
    assert_int_equal(l->errors.total, 4);
    assert_import_err(
        &l->errors, 0, 2, "ผลการประเมิน",
        "ผลการประเมิน \"ผ่านดี\" ใช้กับปีงบประมาณ 2566 ไม่ได้: ใช้ได้เฉพาะ AA, A, B, C, D, E, F");
    assert_import_err(&l->errors, 1, 3, "ผลการประเมิน",
                      "ผลการประเมิน \"B\" ใช้กับปีงบประมาณ 2567 ไม่ได้: ใช้ได้เฉพาะ ผ่านดีเยี่ยม, ผ่านดี, "
                      "ผ่าน, ต้องปรับปรุง, ต้องปรับปรุงโดยด่วน");
    /* 2568's instrument is loaded with its own names */
    assert_import_err(&l->errors, 2, 4, "ผลการประเมิน",
                      "ผลการประเมิน \"ผ่านดี\" ใช้กับปีงบประมาณ 2568 ไม่ได้: ใช้ได้เฉพาะ ดีเยี่ยม, ดี, พอใช้");
    assert_import_err(&l->errors, 3, 5, "ผลการประเมิน", "ต้องกรอกผลการประเมิน");
    assert_int_equal(l->n_rows, 1);
    assert_string_equal(l->rows[0].rating, "ดี");
    ita_result_list_free(l);
}

static void test_duplicate_years(void **state)
{
    (void)state;
    struct ita_result_list *l = bad("2561,80,,,,,,,,,,,,,,A\r\n"
                                    "2562,80,,,,,,,,,,,,,,A\r\n"
                                    "2561,81,,,,,,,,,,,,,,A\r\n");
    assert_only_import_err(&l->errors, 4, "ปีงบประมาณ", "ปีงบประมาณ 2561 ของหน่วยงานนี้ซ้ำกับแถวที่ 2");
    ita_result_list_free(l);
}

static void test_indicators_partly_filled(void **state)
{
    (void)state;
    struct ita_result_list *l = bad("2561,80,,,,1,2,3,,,,,,,,A\r\n"
                                    "2562,80,,,,1,2,3,4,5,6,7,8,9,x,A\r\n");
    assert_int_equal(l->errors.total, 2);
    assert_import_err(&l->errors, 0, 2, "ตัวชี้วัด 1",
                      "ตัวชี้วัดต้องกรอกครบทั้ง 10 ตัว หรือเว้นว่างทั้งหมด (กรอกไว้ 3 จาก 10 ตัว)");
    assert_import_err(&l->errors, 1, 3, "ตัวชี้วัด 10",
                      "คะแนน \"x\" ไม่ใช่ตัวเลขที่ถูกต้อง: ใช้ตัวเลขทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 85.50");
    ita_result_list_free(l);
}

/* A system administrator's file: codes must be known; the same year of two agencies is fine. */
static void test_many_agencies(void **state)
{
    (void)state;
    struct ita_strmap codes;
    ita_strmap_init(&codes);
    assert_true(ita_strmap_add(&codes, "LAO5001", 1, NULL));
    assert_true(ita_strmap_add(&codes, "LAO5002", 2, NULL));
    struct ita_result_import_options o = {.rules = {.last_year = 2569}, .codes = &codes};
    const char *ok = "รหัสหน่วยงาน,ปีงบประมาณ,คะแนนรวม,ผลการประเมิน\n"
                     "LAO5001,2565,90,A\nLAO5002,2565,80.5,B\n";
    struct ita_result_list l;
    assert_int_equal(ita_result_list_parse(ok, strlen(ok), &o, &l), 0);
    assert_int_equal(l.n_rows, 2);
    assert_string_equal(l.rows[1].agency_code, "LAO5002");
    ita_result_list_free(&l);

    const char *badf = "รหัสหน่วยงาน,ปีงบประมาณ,คะแนนรวม,ผลการประเมิน\n"
                       "LAO5001,2565,90,A\nNOPE9,2565,80,B\n,2564,80,B\nLAO5001,2565,91,A\n";
    assert_int_equal(ita_result_list_parse(badf, strlen(badf), &o, &l), -1);
    assert_int_equal(l.errors.total, 3);
    assert_import_err(&l.errors, 0, 3, "รหัสหน่วยงาน",
                      "ไม่พบหน่วยงานรหัส \"NOPE9\" ในระบบ (หรือไม่อยู่ในความดูแลของท่าน)");
    assert_import_err(&l.errors, 1, 4, "รหัสหน่วยงาน", "ต้องกรอกรหัสหน่วยงาน");
    assert_import_err(&l.errors, 2, 5, "ปีงบประมาณ", "ปีงบประมาณ 2565 ของหน่วยงานนี้ซ้ำกับแถวที่ 2");
    ita_result_list_free(&l);

    const char *nocode = "ปีงบประมาณ,คะแนนรวม,ผลการประเมิน\n2565,90,A\n";
    assert_int_equal(ita_result_list_parse(nocode, strlen(nocode), &o, &l), -1);
    assert_import_err(&l.errors, 0, 1, "",
                      "ไม่พบคอลัมน์รหัสหน่วยงาน: ไฟล์ของหลายหน่วยงานต้องมีคอลัมน์ \"รหัสหน่วยงาน\" (หรือ "
                      "\"agency code\")");
    ita_result_list_free(&l);
    ita_strmap_free(&codes);
}

/* One agency's file may name only that agency. */
static void test_other_agency_in_own_file(void **state)
{
    (void)state;
    struct ita_result_import_options o = one_agency();
    const char *csv = "รหัสหน่วยงาน,ปีงบประมาณ,คะแนนรวม,ผลการประเมิน\nLAO5002,2565,90,A\n";
    struct ita_result_list l;
    assert_int_equal(ita_result_list_parse(csv, strlen(csv), &o, &l), -1);
    assert_only_import_err(&l.errors, 2, "รหัสหน่วยงาน",
                           "รหัสหน่วยงาน \"LAO5002\" ไม่ใช่หน่วยงานนี้ (LAO5001): "
                           "ไฟล์ของหน่วยงานเดียวใส่ได้เฉพาะผลของหน่วยงานนี้");
    ita_result_list_free(&l);
}

/* The template imports as it is. */
static void test_template_imports(void **state)
{
    (void)state;
    struct strbuf t;
    strbuf_init(&t);
    ita_result_template(&t, false, NULL);
    struct ita_result_import_options o = one_agency();
    struct ita_result_list l;
    assert_int_equal(ita_result_list_parse(t.data, t.len, &o, &l), 0);
    assert_int_equal(l.n_rows, 1);
    assert_non_null(l.rows[0].indicators);
    ita_result_list_free(&l);
    strbuf_free(&t);
}

static void test_form(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 4096);
    struct ita_result_rules r = {.last_year = 2569};
    const char *in[ITA_RF_COUNT] = {0}, *err[ITA_RF_COUNT];
    struct ita_result_row row;
    in[ITA_RF_YEAR] = "2565";
    in[ITA_RF_TOTAL] = " 92.5 ";
    in[ITA_RF_IND1 + 3] = "90";
    in[ITA_RF_RATING] = "ผ่านดี";
    assert_int_equal(ita_result_form_check(&a, &r, in, err, &row), 2);
    assert_null(err[ITA_RF_TOTAL]);
    assert_string_equal(err[ITA_RF_IND1],
                        "ตัวชี้วัดต้องกรอกครบทั้ง 10 ตัว หรือเว้นว่างทั้งหมด (กรอกไว้ 1 จาก 10 ตัว)");
    assert_string_equal(err[ITA_RF_RATING], "ผลการประเมิน \"ผ่านดี\" ใช้กับปีงบประมาณ 2565 ไม่ได้: "
                                            "ใช้ได้เฉพาะ AA, A, B, C, D, E, F");
    in[ITA_RF_IND1 + 3] = "";
    in[ITA_RF_RATING] = "a";
    assert_int_equal(ita_result_form_check(&a, &r, in, err, &row), 0);
    assert_string_equal(row.total, "92.50");
    assert_string_equal(row.rating, "A");
    assert_int_equal(row.fiscal_year, 2565);
    assert_null(row.indicators);
    in[ITA_RF_YEAR] = "";
    assert_int_equal(ita_result_form_check(&a, &r, in, err, &row), 1);
    assert_string_equal(err[ITA_RF_YEAR], "ต้องกรอกปีงบประมาณ");
    arena_reset(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_agency_bom),
        cmocka_unit_test(test_english_windows_874),
        cmocka_unit_test(test_malformed_numbers),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_unknown_rating),
        cmocka_unit_test(test_duplicate_years),
        cmocka_unit_test(test_indicators_partly_filled),
        cmocka_unit_test(test_many_agencies),
        cmocka_unit_test(test_other_agency_in_own_file),
        cmocka_unit_test(test_template_imports),
        cmocka_unit_test(test_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
