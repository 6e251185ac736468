/* Tests for core/agency_list.c: Thai and English headers, a Windows-874 upload made with iconv,
 * every row error with its line, column and Thai reason, types from the fixed list only (Thai name
 * or key, stored as the Thai name; anything else refused listing the allowed names), duplicate
 * codes pointing at the first line, and the four PostgreSQL arrays read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agency_kind.h"
#include "agency_list.h"
#include "test_support.h"

/* every allowed type, as the refusal lists them */
#define KIND_NAMES                                                                                                                                                                                                                                                              \
    "ส่วนราชการระดับกรมหรือเทียบเท่า, รัฐวิสาหกิจ, องค์การมหาชน, องค์กรอิสระ, หน่วยงานศาลและรัฐสภา, " \
    "มหาวิทยาลัย/สถาบันอุดมศึกษา, หน่วยงานอื่นของรัฐ, จังหวัด, องค์การบริหารส่วนจังหวัด, "                                \
    "องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ, เทศบาลนคร, เทศบาลเมือง, เทศบาลตำบล, องค์การบริหารส่วนตำบล"

static struct ita_agency_list *parse(const char *csv, size_t len, int want_rc)
{
    static struct ita_agency_list l;
    assert_int_equal(ita_agency_list_parse(csv, len, &l), want_rc);
    assert_int_equal(ita_agency_list_importable(&l), want_rc == 0);
    return &l;
}

static struct ita_agency_list *agencies(const char *csv, int want_rc)
{
    return parse(csv, strlen(csv), want_rc);
}

static void assert_only_err(struct ita_agency_list *l, unsigned long line, const char *column,
                            const char *reason)
{
    assert_only_import_err(&l->errors, line, column, reason);
    ita_agency_list_free(l);
}

static const char LIST[] = "รหัสหน่วยงาน,ชื่อหน่วยงาน,ประเภทหน่วยงาน,หน่วยงานต้นสังกัด\r\n"
                           "MOI,กระทรวงมหาดไทย,department,\r\n"
                           "DLA,กรมส่งเสริมการปกครองท้องถิ่น,ส่วนราชการระดับกรมหรือเทียบเท่า,MOI\r\n"
                           "\"LAO.5001\",\"เทศบาลนครเชียงใหม่\r\n(สำนักปลัด)\", เทศบาลนคร ,DLA\r\n"
                           "lao_5002-b,องค์การบริหารส่วนตำบลสุเทพ,,DLA\r\n";

static void check_list(const struct ita_agency_list *l)
{
    assert_int_equal(l->errors.total, 0);
    assert_int_equal(l->n_rows, 4);
    assert_string_equal(l->rows[0].code, "MOI");
    assert_string_equal(l->rows[0].name_th, "กระทรวงมหาดไทย");
    assert_null(l->rows[0].parent_code);
    assert_string_equal(l->rows[2].code, "LAO.5001");
    assert_string_equal(l->rows[2].name_th, "เทศบาลนครเชียงใหม่ (สำนักปลัด)");
    assert_int_equal(l->rows[2].line, 4);
    assert_int_equal(l->rows[3].line, 6);
    assert_null(l->rows[3].kind);
    assert_string_equal(l->rows[3].parent_code, "DLA");
}

static void test_thai_list_utf8(void **state)
{
    (void)state;
    struct ita_agency_list *l = agencies(LIST, 0);
    assert_int_equal(l->encoding, ITA_ENC_UTF8);
    check_list(l);
    ita_agency_list_free(l);
}

/* The same list as Thai Excel saves it: converted to Windows-874 with iconv here. */
static void test_thai_list_windows_874(void **state)
{
    (void)state;
    iconv_t cd = iconv_open("WINDOWS-874", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char out[2048];
    char *src = (char *)LIST, *dst = out;
    size_t left = sizeof LIST - 1, room = sizeof out;
    assert_int_not_equal(iconv(cd, &src, &left, &dst, &room), (size_t)-1);
    iconv_close(cd);
    size_t len = sizeof out - room;
    assert_true(len < sizeof LIST / 2);
    assert_int_equal((unsigned char)out[0], 0xC3); /* ร */
    struct ita_agency_list *l = parse(out, len, 0);
    assert_int_equal(l->encoding, ITA_ENC_WINDOWS_874);
    check_list(l);
    ita_agency_list_free(l);
}

static void test_english_headers(void **state)
{
    (void)state;
    struct ita_agency_list *l = agencies("Parent Code,Kind,name_th,CODE,note\n"
                                         ",sao,Ministry of Interior,MOI,x\n",
                                         0);
    assert_string_equal(l->rows[0].code, "MOI");
    assert_string_equal(l->rows[0].name_th, "Ministry of Interior");
    assert_string_equal(l->rows[0].kind, "องค์การบริหารส่วนตำบล");
    assert_null(l->rows[0].parent_code);
    ita_agency_list_free(l);
    l = agencies("รหัส,ชื่อ,ประเภท,รหัสต้นสังกัด\nA1,ก,,\n", 0);
    assert_int_equal(l->n_rows, 1);
    ita_agency_list_free(l);
}

static void test_header_errors(void **state)
{
    (void)state;
    struct ita_agency_list *l = agencies("ประเภท,หมายเหตุ\nกรม,\n", -1);
    assert_int_equal(l->errors.total, 2);
    assert_import_err(&l->errors, 0, 1, "",
                      "ไม่พบคอลัมน์รหัสหน่วยงาน: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ \"รหัสหน่วยงาน\" "
                      "(หรือ \"code\")");
    assert_import_err(&l->errors, 1, 1, "",
                      "ไม่พบคอลัมน์ชื่อหน่วยงาน: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ \"ชื่อหน่วยงาน\" "
                      "(หรือ \"name\")");
    ita_agency_list_free(l);
    assert_only_err(agencies("code,name,รหัส\nA,B,C\n", -1), 1, "รหัส",
                    "หัวคอลัมน์นี้มีความหมายซ้ำกับคอลัมน์ \"code\" กรุณาเหลือไว้คอลัมน์เดียว");
    assert_only_err(agencies("", -1), 0, "", "ไฟล์ไม่มีข้อมูล");
    assert_only_err(agencies("code,name\n\n", -1), 0, "", "ไฟล์มีแต่แถวหัวตาราง ไม่มีรายการหน่วยงาน");
}

static const char MSG_CODE_FORMAT_TAIL[] =
    "ไม่ถูกต้อง: ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข และ . _ - ยาวไม่เกิน 64 ตัว "
    "และขึ้นต้นด้วยตัวอักษรหรือตัวเลข";

static void test_code_rules(void **state)
{
    (void)state;
    char c64[65], c65[66];
    memset(c64, 'A', 64);
    c64[64] = '\0';
    memset(c65, 'A', 65);
    c65[65] = '\0';
    assert_true(ita_agency_code_valid("A"));
    assert_true(ita_agency_code_valid("0"));
    assert_true(ita_agency_code_valid("a.b_c-d"));
    assert_true(ita_agency_code_valid(c64));
    assert_false(ita_agency_code_valid(c65));
    assert_false(ita_agency_code_valid(""));
    assert_false(ita_agency_code_valid(".A"));
    assert_false(ita_agency_code_valid("-A"));
    assert_false(ita_agency_code_valid("_A"));
    assert_false(ita_agency_code_valid("A B"));
    assert_false(ita_agency_code_valid("A/B"));
    assert_false(ita_agency_code_valid("กท01"));
    char reason[512];
    snprintf(reason, sizeof reason, "รหัส \"%s\" %s", "กท 01", MSG_CODE_FORMAT_TAIL);
    assert_only_err(agencies("code,name\n\"กท 01\",ก\n", -1), 2, "code", reason);
    assert_only_err(agencies("code,name\n  ,ก\n", -1), 2, "code", "ต้องกรอกรหัสหน่วยงาน");
}

static void test_row_errors(void **state)
{
    (void)state;
    char kind101[400], name301[1000];
    for (int i = 0; i < 101; i++)
        memcpy(kind101 + 3 * i, "ก", 3);
    kind101[303] = '\0';
    for (int i = 0; i < 301; i++)
        memcpy(name301 + 3 * i, "ข", 3);
    name301[903] = '\0';
    char csv[4096];
    snprintf(csv, sizeof csv,
             "รหัสหน่วยงาน,ชื่อหน่วยงาน,ประเภท,หน่วยงานต้นสังกัด\n"
             "A1,กรมหนึ่ง,,\n"            /* 2: fine */
             "A2,,,\n"                  /* 3: no name */
             "A1,กรมซ้ำ,,\n"             /* 4: duplicate of line 2 */
             "A3,%s,,\n"                /* 5: name too long */
             "A4,กรมสี่,%s,\n"            /* 6: a type not in the list (too long too) */
             "A5,กรมห้า,,A5\n"           /* 7: its own parent */
             "A6,กรมหก,,-X\n"           /* 8: bad parent code */
             "A7,กรม\x7Fเจ็ด,,,extra\n", /* 9: control character and an extra field */
             name301, kind101);
    struct ita_agency_list *l = agencies(csv, -1);
    assert_int_equal(l->rows_read, 8);
    assert_int_equal(l->errors.bad_rows, 7);
    assert_int_equal(l->errors.total, 9);
    assert_import_err(&l->errors, 0, 3, "ชื่อหน่วยงาน", "ต้องกรอกชื่อหน่วยงาน");
    assert_import_err(&l->errors, 1, 4, "รหัสหน่วยงาน", "รหัสหน่วยงาน \"A1\" ซ้ำกับแถวที่ 2");
    assert_import_err(&l->errors, 2, 5, "ชื่อหน่วยงาน", "ยาวเกิน 300 ตัวอักษร (มี 301 ตัวอักษร)");
    assert_import_err(&l->errors, 3, 6, "ประเภท",
                      "ประเภทหน่วยงาน \"กกกกกกกกกกกกกกกกกกกก…\" ไม่อยู่ในรายการ ใช้ได้เฉพาะ: " KIND_NAMES
                      " (หรือเว้นว่าง)");
    assert_import_err(&l->errors, 4, 6, "ประเภท", "ยาวเกิน 100 ตัวอักษร (มี 101 ตัวอักษร)");
    assert_import_err(&l->errors, 5, 7, "หน่วยงานต้นสังกัด",
                      "หน่วยงานต้นสังกัดต้องไม่ใช่หน่วยงานเดียวกัน (รหัส \"A5\")");
    char reason[512];
    snprintf(reason, sizeof reason, "รหัส \"-X\" %s", MSG_CODE_FORMAT_TAIL);
    assert_import_err(&l->errors, 6, 8, "หน่วยงานต้นสังกัด", reason);
    assert_import_err(&l->errors, 7, 9, "",
                      "แถวนี้มีข้อมูลเกินจำนวนคอลัมน์ของหัวตาราง (อาจมีเครื่องหมายจุลภาค , "
                      "ในข้อมูลที่ไม่ได้ครอบด้วยเครื่องหมายคำพูด)");
    assert_import_err(&l->errors, 8, 9, "ชื่อหน่วยงาน", "มีอักขระควบคุมที่มองไม่เห็นปนอยู่ กรุณาพิมพ์ข้อมูลช่องนี้ใหม่");
    struct strbuf a[4];
    for (int i = 0; i < 4; i++)
        strbuf_init(&a[i]);
    assert_int_equal(ita_agency_list_pg_arrays(l, &a[0], &a[1], &a[2], &a[3]), -1);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(a[i].len, 0);
        strbuf_free(&a[i]);
    }
    ita_agency_list_free(l);
}

/* Types from the fixed list only (core/agency_kind.h): a Thai name or a key, stored as the Thai
 * name; an abbreviation, an old free-text type or a near miss is refused with every allowed name
 * in the message. */
static void test_kinds(void **state)
{
    (void)state;
    struct ita_agency_list *l = agencies("code,name,type\n"
                                         "A1,ก,องค์การบริหารส่วนตำบล\n"
                                         "A2,ข,subdistrict_municipality\n"
                                         "A3,ค,\n"
                                         "A4,ง,มหาวิทยาลัย/สถาบันอุดมศึกษา\n",
                                         0);
    assert_string_equal(l->rows[0].kind, "องค์การบริหารส่วนตำบล");
    assert_string_equal(l->rows[1].kind, "เทศบาลตำบล");
    assert_null(l->rows[2].kind);
    assert_string_equal(l->rows[3].kind, "มหาวิทยาลัย/สถาบันอุดมศึกษา");
    ita_agency_list_free(l);
    static const char *const refused[] = {"อบต.", "กรม", "SAO", "เทศบาล ตำบล"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        char csv[256], reason[1024];
        snprintf(csv, sizeof csv, "code,name,type\nA1,ก,%s\n", refused[i]);
        snprintf(reason, sizeof reason,
                 "ประเภทหน่วยงาน \"%s\" ไม่อยู่ในรายการ ใช้ได้เฉพาะ: " KIND_NAMES " (หรือเว้นว่าง)",
                 refused[i]);
        assert_only_err(agencies(csv, -1), 2, "type", reason);
    }
    /* the names the message lists are the list's, in its order */
    struct strbuf b;
    strbuf_init(&b);
    ita_agency_kind_names(&b);
    assert_string_equal(b.data, KIND_NAMES);
    strbuf_free(&b);
    assert_string_equal(ita_agency_kind_stored("  "), "");
    assert_string_equal(ita_agency_kind_stored(" pao "), "องค์การบริหารส่วนจังหวัด");
    assert_null(ita_agency_kind_stored("อบจ."));
}

static void test_pg_arrays(void **state)
{
    (void)state;
    struct ita_agency_list *l = agencies(LIST, 0);
    struct strbuf a[4];
    for (int i = 0; i < 4; i++)
        strbuf_init(&a[i]);
    assert_int_equal(ita_agency_list_pg_arrays(l, &a[0], &a[1], &a[2], &a[3]), 0);
    assert_string_equal(a[0].data, "{\"MOI\",\"DLA\",\"LAO.5001\",\"lao_5002-b\"}");
    assert_string_equal(a[3].data, "{NULL,\"MOI\",\"DLA\",\"DLA\"}");
    const char *names[] = {"กระทรวงมหาดไทย", "กรมส่งเสริมการปกครองท้องถิ่น",
                           "เทศบาลนครเชียงใหม่ (สำนักปลัด)", "องค์การบริหารส่วนตำบลสุเทพ"};
    /* a key and a Thai name with spaces around are stored as the list's Thai name */
    const char *kinds[] = {"ส่วนราชการระดับกรมหรือเทียบเท่า", "ส่วนราชการระดับกรมหรือเทียบเท่า", "เทศบาลนคร",
                           NULL};
    assert_pg_array(a[1].data, names, 4);
    assert_pg_array(a[2].data, kinds, 4);
    for (int i = 0; i < 4; i++)
        strbuf_free(&a[i]);
    ita_agency_list_free(l);
    /* Quotes, backslashes and braces in a name survive the round trip. */
    l = agencies("code,name\nX,\"ศูนย์ \"\"A\\B\"\" {1,2}\"\n", 0);
    for (int i = 0; i < 4; i++)
        strbuf_init(&a[i]);
    assert_int_equal(ita_agency_list_pg_arrays(l, &a[0], &a[1], &a[2], &a[3]), 0);
    const char *tricky[] = {"ศูนย์ \"A\\B\" {1,2}"};
    assert_pg_array(a[1].data, tricky, 1);
    assert_string_equal(a[1].data, "{\"ศูนย์ \\\"A\\\\B\\\" {1,2}\"}");
    for (int i = 0; i < 4; i++)
        strbuf_free(&a[i]);
    ita_agency_list_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thai_list_utf8),  cmocka_unit_test(test_thai_list_windows_874),
        cmocka_unit_test(test_english_headers), cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_code_rules),      cmocka_unit_test(test_row_errors),
        cmocka_unit_test(test_pg_arrays),       cmocka_unit_test(test_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
