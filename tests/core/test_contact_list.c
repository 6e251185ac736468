/* Tests for core/contact_list.c: the same staff list saved as UTF-8, UTF-8 with BOM and real
 * Windows-874 (fixtures); Thai and English headers in any order; every row error with its line,
 * column as written and exact Thai reason; Thai phone numbers; BE and CE dates; the one-year
 * rule at its boundary days including 29 February; duplicates; the error cap; and the
 * PostgreSQL array output read back by an independent parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact_list.h"
#include "test_support.h"

static const struct ita_date REF = {2024, 3, 1}; /* window opens 1 March 2567 */

static struct ita_contact_list *parse_kind(const char *csv, enum ita_contact_kind kind,
                                           struct ita_date ref, int want_rc)
{
    static struct ita_contact_list l;
    struct ita_contact_options opt = {kind, ref};
    assert_int_equal(ita_contact_list_parse(csv, strlen(csv), &opt, &l), want_rc);
    assert_int_equal(ita_contact_list_importable(&l), want_rc == 0);
    return &l;
}

static struct ita_contact_list *eit(const char *csv, int want_rc)
{
    return parse_kind(csv, ITA_CONTACT_EIT, REF, want_rc);
}

static struct ita_contact_list *iit(const char *csv, int want_rc)
{
    return parse_kind(csv, ITA_CONTACT_IIT, REF, want_rc);
}

static void assert_only_err(struct ita_contact_list *l, unsigned long line, const char *column,
                            const char *reason)
{
    assert_only_import_err(&l->errors, line, column, reason);
    ita_contact_list_free(l);
}

static void assert_row(const struct ita_contact *r, unsigned long line, const char *name,
                       const char *email, const char *phone, const char *unit,
                       const char *started_on)
{
    assert_int_equal(r->line, line);
    assert_string_equal(r->name, name);
    assert_str_or_null(r->email, email);
    assert_str_or_null(r->phone, phone);
    assert_str_or_null(r->unit, unit);
    assert_str_or_null(r->started_on, started_on);
}

/* The fixture: header on line 1, a quoted unit spanning lines 4-5, a 29 Feb 2567 start
 * (less than a year before REF), and a repeat of line 2's e-mail in other case on line 7. */
static void check_fixture(const char *file, enum ita_text_encoding enc)
{
    size_t len;
    char *bytes = read_fixture(file, &len);
    struct ita_contact_list l;
    struct ita_contact_options opt = {ITA_CONTACT_IIT, REF};
    assert_int_equal(ita_contact_list_parse(bytes, len, &opt, &l), 0);
    assert_int_equal(l.encoding, enc);
    assert_int_equal(l.errors.total, 0);
    assert_int_equal(l.rows_read, 5);
    assert_int_equal(l.too_recent, 1);
    /* the one left out is kept by name and start date for the import summary */
    assert_row(&l.left_out[0], 6, "นางมาลี ศรีสุข", NULL, NULL, "สำนักปลัด", "2024-02-29");
    assert_int_equal(l.duplicates, 1);
    assert_int_equal(l.n_rows, 3);
    assert_row(&l.rows[0], 2, "นายสมชาย ใจดี", "somchai.j@example.go.th", "0812345678", "กองคลัง",
               "2022-10-01");
    assert_row(&l.rows[1], 3, "นางสาวสมหญิง รักงาน", NULL, "021234567", "กองคลัง", "2022-06-15");
    assert_row(&l.rows[2], 4, "นายประเสริฐ \"ต้น\" มั่นคง", "prasert@example.go.th", "0898765432",
               "กองช่าง (งานโยธา)", "2010-05-01");
    assert_string_equal(l.rows[0].dedupe_key, "somchai.j@example.go.th");
    assert_string_equal(l.rows[1].dedupe_key, "021234567");
    ita_contact_list_free(&l);
    free(bytes);
}

static void test_fixture_utf8(void **state)
{
    (void)state;
    check_fixture("staff-utf8.csv", ITA_ENC_UTF8);
}

static void test_fixture_utf8_bom(void **state)
{
    (void)state;
    check_fixture("staff-utf8-bom.csv", ITA_ENC_UTF8_BOM);
}

static void test_fixture_windows_874(void **state)
{
    (void)state;
    check_fixture("staff-windows874.csv", ITA_ENC_WINDOWS_874);
}

static void test_english_headers_any_order(void **state)
{
    (void)state;
    struct ita_contact_list *l = iit("Remark, E-Mail ,FULL  NAME,Mobile,Department,Start Date\n"
                                     "x,A@B.CO,Jane Doe,0812345678,Finance,2023-01-31\n",
                                     0);
    assert_int_equal(l->n_rows, 1);
    assert_row(&l->rows[0], 2, "Jane Doe", "a@b.co", "0812345678", "Finance", "2023-01-31");
    ita_contact_list_free(l);
    l = eit("email,full_name,phone\nx@y.co,\"  Somchai \t  Jaidee \",\n", 0);
    assert_row(&l->rows[0], 2, "Somchai Jaidee", "x@y.co", NULL, NULL, NULL);
    ita_contact_list_free(l);
    l = eit("ชื่อ-สกุล,อีเมล์,เบอร์โทร,ฝ่าย,วันบรรจุ\nสมศรี มีสุข,,,ฝ่ายการคลัง,\n", 0);
    assert_row(&l->rows[0], 2, "สมศรี มีสุข", NULL, NULL, "ฝ่ายการคลัง", NULL);
    ita_contact_list_free(l);
}

/* Thai sheets often split first name and surname into ชื่อ and นามสกุล. */
static void test_surname_column_joined(void **state)
{
    (void)state;
    struct ita_contact_list *l =
        eit("คำนำหน้า,ชื่อ,นามสกุล,สังกัด\nนาย,สมชาย,ใจดี,กองคลัง\nนาง,มาลี,,กองช่าง\n", 0);
    assert_int_equal(l->n_rows, 2);
    assert_row(&l->rows[0], 2, "สมชาย ใจดี", NULL, NULL, "กองคลัง", NULL);
    assert_row(&l->rows[1], 3, "มาลี", NULL, NULL, "กองช่าง", NULL);
    assert_string_equal(l->rows[0].dedupe_key, "สมชาย ใจดี|กองคลัง");
    ita_contact_list_free(l);
}

static const char MSG_NO_NAME_COL[] = "ไม่พบคอลัมน์ชื่อ: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ "
                                      "\"ชื่อ-นามสกุล\" (หรือ \"ชื่อ\", \"name\")";
static const char MSG_NO_START_COL[] = "ไม่พบคอลัมน์ \"วันที่เริ่มปฏิบัติงาน\" ซึ่งต้องมีในรายชื่อบุคลากร (IIT) "
                                       "เพื่อคัดเฉพาะผู้ที่ปฏิบัติงานมาแล้วไม่น้อยกว่า 1 ปี";

static void test_header_errors(void **state)
{
    (void)state;
    /* Missing name column: one error, however many rows follow. */
    assert_only_err(eit("\r\n\r\nอีเมล,โทรศัพท์\r\na@b.co,\r\nc@d.co,\r\n", -1), 3, "",
                    MSG_NO_NAME_COL);
    /* IIT needs the start date column; EIT does not. */
    assert_only_err(iit("ชื่อ,อีเมล\nสมชาย,\n", -1), 1, "", MSG_NO_START_COL);
    struct ita_contact_list *l = eit("ชื่อ,อีเมล\nสมชาย,\n", 0);
    ita_contact_list_free(l);
    /* Two columns meaning the same thing. */
    assert_only_err(eit("ชื่อ,Email,อีเมล\nก,,\n", -1), 1, "อีเมล",
                    "หัวคอลัมน์นี้มีความหมายซ้ำกับคอลัมน์ \"Email\" กรุณาเหลือไว้คอลัมน์เดียว");
    assert_only_err(eit("", -1), 0, "", "ไฟล์ไม่มีข้อมูล");
    assert_only_err(eit(" , \r\n\r\n", -1), 0, "", "ไฟล์ไม่มีข้อมูล");
    assert_only_err(eit("ชื่อ,อีเมล\r\n,\r\n", -1), 0, "", "ไฟล์มีแต่แถวหัวตาราง ไม่มีรายชื่อ");
}

/* A name of n Thai characters (each 3 bytes in UTF-8). */
static char *thai_name(size_t n)
{
    char *s = malloc(3 * n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 3 * i, "ก", 3);
    s[3 * n] = '\0';
    return s;
}

static void test_name_errors(void **state)
{
    (void)state;
    char *n200 = thai_name(200), *n201 = thai_name(201);
    char csv[2048];
    snprintf(csv, sizeof csv, "ชื่อ-นามสกุล,อีเมล\n%s,\n", n200);
    struct ita_contact_list *l = eit(csv, 0);
    assert_string_equal(l->rows[0].name, n200);
    ita_contact_list_free(l);
    snprintf(csv, sizeof csv, "ชื่อ-นามสกุล,อีเมล\n\"%s\",\n", n201);
    assert_only_err(eit(csv, -1), 2, "ชื่อ-นามสกุล", "ยาวเกิน 200 ตัวอักษร (มี 201 ตัวอักษร)");
    assert_only_err(eit(" ชื่อ-นามสกุล ,อีเมล\n  ,a@b.co\n", -1), 2, "ชื่อ-นามสกุล", "ต้องกรอกชื่อ");
    assert_only_err(eit("ชื่อ\nสม\x01ชาย\n", -1), 2, "ชื่อ",
                    "มีอักขระควบคุมที่มองไม่เห็นปนอยู่ กรุณาพิมพ์ข้อมูลช่องนี้ใหม่");
    free(n200);
    free(n201);
}

static void expect_email(const char *value, const char *stored)
{
    char csv[512];
    snprintf(csv, sizeof csv, "ชื่อ,อีเมล์\nสมชาย,\"%s\"\n", value);
    if (stored) {
        struct ita_contact_list *l = eit(csv, 0);
        assert_string_equal(l->rows[0].email, stored);
        ita_contact_list_free(l);
        return;
    }
    char reason[512];
    snprintf(reason, sizeof reason, "อีเมล \"%s\" ไม่ถูกต้อง (ตัวอย่างที่ถูกต้อง: somchai@example.go.th)",
             value);
    assert_only_err(eit(csv, -1), 2, "อีเมล์", reason);
}

static void test_email(void **state)
{
    (void)state;
    expect_email(" Somchai.J+ita@Sub.Example.GO.TH ", "somchai.j+ita@sub.example.go.th");
    expect_email("x@xn--12c1fe0br.xn--o3cw4h", "x@xn--12c1fe0br.xn--o3cw4h"); /* .ไทย */
    expect_email("o'brien@example.com", "o'brien@example.com");
    expect_email("a@b", NULL);
    expect_email("a..b@example.com", NULL);
    expect_email(".a@example.com", NULL);
    expect_email("a.@example.com", NULL);
    expect_email("a@-x.co", NULL);
    expect_email("a@x-.co", NULL);
    expect_email("a@x..co", NULL);
    expect_email("a@x.c", NULL);
    expect_email("a@x.c0", NULL);
    expect_email("a@@x.co", NULL);
    expect_email("a@x.co@y.co", NULL);
    expect_email("a b@x.co", NULL);
    expect_email("สมชาย@example.com", NULL);
    expect_email("@example.com", NULL);
    expect_email("somchai", NULL);
}

/* reason_tail: the message after 'เบอร์โทรศัพท์ "<value>" '. */
static void expect_phone(const char *value, const char *stored, const char *reason_tail)
{
    char csv[512];
    snprintf(csv, sizeof csv, "ชื่อ,เบอร์โทรศัพท์\nสมชาย,%s\n", value);
    if (stored) {
        struct ita_contact_list *l = eit(csv, 0);
        assert_string_equal(l->rows[0].phone, stored);
        ita_contact_list_free(l);
        return;
    }
    char reason[1024];
    snprintf(reason, sizeof reason, "เบอร์โทรศัพท์ \"%s\" %s", value, reason_tail);
    assert_only_err(eit(csv, -1), 2, "เบอร์โทรศัพท์", reason);
}

static void test_phone(void **state)
{
    (void)state;
    const char *chars = "มีอักขระที่ไม่ใช่ตัวเลข (ใส่ได้หนึ่งเบอร์ ใช้ตัวเลข "
                        "ช่องว่าง และขีด - เช่น 081-234-5678)";
    const char *zero = "ไม่ขึ้นต้นด้วย 0 (หาก Excel ตัดเลข 0 หน้าเบอร์ออก "
                       "ให้ตั้งรูปแบบคอลัมน์เป็น \"ข้อความ\" แล้วพิมพ์ใหม่)";
    const char *len = "ต้องมี 9 หรือ 10 หลัก เช่น 02-123-4567 หรือ 081-234-5678";
    expect_phone("081-234-5678", "0812345678", NULL);
    expect_phone("02 123 4567", "021234567", NULL);
    expect_phone("+66 81 234 5678", "0812345678", NULL);
    expect_phone("+66-2-123-4567", "021234567", NULL);
    expect_phone("+6621234567", "021234567", NULL);
    expect_phone("812345678", NULL, zero); /* Excel dropped the 0 of 0812345678 */
    expect_phone("21234567", NULL, zero);
    expect_phone("081234567890", NULL, len);
    expect_phone("0812345", NULL, len);
    expect_phone("66812345678", NULL, len);
    expect_phone("1234567890123456789", NULL, len);
    expect_phone("+1 202 555 0100", NULL, chars);
    expect_phone("02-123-4567 ต่อ 12", NULL, chars);
    expect_phone("081-234-5678/089-876-5432", NULL, chars);
    expect_phone("8.12E+08", NULL, chars);
}

static void test_unit_too_long(void **state)
{
    (void)state;
    char *u = thai_name(201);
    char csv[1024];
    snprintf(csv, sizeof csv, "ชื่อ,หน่วยงานย่อย\nสมชาย,%s\n", u);
    assert_only_err(eit(csv, -1), 2, "หน่วยงานย่อย", "ยาวเกิน 200 ตัวอักษร (มี 201 ตัวอักษร)");
    free(u);
}

static void expect_date(const char *value, int y, int m, int d)
{
    struct ita_date got;
    const char *why = NULL;
    assert_int_equal(ita_date_parse(value, &got, &why), 0);
    assert_int_equal(got.y, y);
    assert_int_equal(got.m, m);
    assert_int_equal(got.d, d);
}

static void test_dates_be_and_ce(void **state)
{
    (void)state;
    expect_date("1/10/2566", 2023, 10, 1);
    expect_date("01/10/2566", 2023, 10, 1);
    expect_date("1-10-2566", 2023, 10, 1);
    expect_date("2566-10-01", 2023, 10, 1);
    expect_date("1/10/2023", 2023, 10, 1);
    expect_date("2023-10-01", 2023, 10, 1);
    expect_date("29/2/2567", 2024, 2, 29);   /* 2567 BE = 2024 CE, a leap year */
    expect_date("1/1/2400", 1857, 1, 1);     /* the first year read as BE */
    expect_date("31/12/2399", 2399, 12, 31); /* taken as CE (and later refused as future) */
    expect_date("1/1/1900", 1900, 1, 1);
    struct ita_date d;
    const char *why;
    assert_int_equal(ita_date_parse("29/2/2566", &d, &why), -1); /* 2023: not a leap year */
    assert_string_equal(why, "ไม่มีวันนี้ในปฏิทิน");
    assert_int_equal(ita_date_parse("1/1/1899", &d, &why), -1);
    assert_string_equal(why, "ปีไม่ถูกต้อง ใช้ปี พ.ศ. (เช่น 2566) หรือ ค.ศ. (เช่น 2023)");
    const char *bad[] = {"1/10/66",     "2566/10/01", "1.10.2566",      "1/10-2566", "1 ต.ค. 2566",
                         "001/10/2566", "1/10/25660", "1/10/2566 0:00", "",          "2566-1-001"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ita_date_parse(bad[i], &d, &why), -1);
        assert_string_equal(why, "อ่านไม่ได้ ใช้รูปแบบ วัน/เดือน/ปี เช่น 1/10/2566 หรือ 2023-10-01");
    }
}

static void test_date_errors_in_rows(void **state)
{
    (void)state;
    struct ita_contact_list *l = iit("ชื่อ,วันที่เริ่มปฏิบัติงาน\n"
                                     "ก,\n"
                                     "ข,1 ต.ค. 66\n"
                                     "ค,31/4/2566\n"
                                     "ง,2/3/2567\n"
                                     "จ,1/3/2567\n"
                                     "ฉ,1/1/1800\n",
                                     -1);
    assert_int_equal(l->errors.total, 5);
    assert_int_equal(l->errors.bad_rows, 5);
    assert_int_equal(l->rows_read, 6);
    const char *col = "วันที่เริ่มปฏิบัติงาน";
    assert_import_err(&l->errors, 0, 2, col, "ต้องกรอกวันที่เริ่มปฏิบัติงาน (จำเป็นสำหรับรายชื่อบุคลากร)");
    assert_import_err(&l->errors, 1, 3, col,
                      "วันที่ \"1 ต.ค. 66\": อ่านไม่ได้ ใช้รูปแบบ วัน/เดือน/ปี เช่น 1/10/2566 หรือ 2023-10-01");
    assert_import_err(&l->errors, 2, 4, col, "วันที่ \"31/4/2566\": ไม่มีวันนี้ในปฏิทิน");
    assert_import_err(&l->errors, 3, 5, col, "วันที่ \"2/3/2567\" อยู่หลังวันเปิดแบบสำรวจ (1/3/2567)");
    assert_import_err(&l->errors, 4, 7, col,
                      "วันที่ \"1/1/1800\": ปีไม่ถูกต้อง ใช้ปี พ.ศ. (เช่น 2566) หรือ ค.ศ. (เช่น 2023)");
    /* Line 6 starts on the opening day: valid, but less than a year, so left out. */
    assert_int_equal(l->too_recent, 1);
    ita_contact_list_free(l);
    /* For EIT the date is optional but checked when given. */
    l = eit("ชื่อ,วันเริ่มงาน\nก,\nข,2/3/2567\n", -1);
    assert_only_err(l, 3, "วันเริ่มงาน", "วันที่ \"2/3/2567\" อยู่หลังวันเปิดแบบสำรวจ (1/3/2567)");
}

static struct ita_date D(int y, int m, int d) {
    struct ita_date x = {y, m, d};
    return x;
}

static void
test_full_year_boundaries(void **state)
{
    (void)state;
    assert_true(ita_date_full_year(D(2023, 3, 1), D(2024, 3, 1)));
    assert_false(ita_date_full_year(D(2023, 3, 2), D(2024, 3, 1)));
    assert_true(ita_date_full_year(D(2023, 2, 28), D(2024, 2, 28)));
    assert_false(ita_date_full_year(D(2023, 2, 28), D(2024, 2, 27)));
    /* Started 29 Feb 2020: the year ends 28 Feb 2021, so it is complete on 1 March. */
    assert_false(ita_date_full_year(D(2020, 2, 29), D(2021, 2, 28)));
    assert_true(ita_date_full_year(D(2020, 2, 29), D(2021, 3, 1)));
    assert_true(ita_date_full_year(D(2020, 2, 29), D(2024, 2, 29)));
    /* Started 1 March 2019: on 29 Feb 2020 the year is not yet complete. */
    assert_false(ita_date_full_year(D(2019, 3, 1), D(2020, 2, 29)));
    assert_true(ita_date_full_year(D(2019, 3, 1), D(2020, 3, 1)));
    /* Started 28 Feb 2023; reference 29 Feb 2024 (leap day) is after the anniversary. */
    assert_true(ita_date_full_year(D(2023, 2, 28), D(2024, 2, 29)));
    assert_false(ita_date_full_year(D(2023, 3, 1), D(2024, 2, 29)));
    assert_true(ita_date_full_year(D(2010, 1, 1), D(2024, 3, 1)));
    assert_false(ita_date_full_year(D(2024, 3, 1), D(2024, 3, 1)));
}

/* The same rule through a real IIT upload, reference days 28 Feb and 1 Mar 2021 (BE 2564). */
static void test_full_year_in_list(void **state)
{
    (void)state;
    const char *csv = "ชื่อ,วันที่เริ่มปฏิบัติงาน\n"
                      "ก,29/2/2563\n" /* 29 Feb 2020 */
                      "ข,28/2/2563\n" /* 28 Feb 2020 */
                      "ค,1/3/2563\n"  /* 1 Mar 2020 */
                      "ง,2020-03-02\n";
    struct ita_contact_list *l = parse_kind(csv, ITA_CONTACT_IIT, D(2021, 2, 28), 0);
    assert_int_equal(l->n_rows, 1);
    assert_string_equal(l->rows[0].name, "ข");
    assert_int_equal(l->too_recent, 3);
    ita_contact_list_free(l);
    l = parse_kind(csv, ITA_CONTACT_IIT, D(2021, 3, 1), 0);
    assert_int_equal(l->n_rows, 3);
    assert_string_equal(l->rows[0].name, "ก");
    assert_string_equal(l->rows[0].started_on, "2020-02-29");
    assert_string_equal(l->rows[2].name, "ค");
    assert_int_equal(l->too_recent, 1);
    ita_contact_list_free(l);
    /* EIT has no service rule. */
    l = parse_kind(csv, ITA_CONTACT_EIT, D(2021, 3, 1), 0);
    assert_int_equal(l->n_rows, 4);
    assert_int_equal(l->too_recent, 0);
    ita_contact_list_free(l);
}

static void test_duplicates(void **state)
{
    (void)state;
    struct ita_contact_list *l = eit("name,email,phone,unit\n"
                                     "Somchai Jaidee,SJ@Example.com,,A\n"
                                     "Other Name,sj@example.COM,,B\n" /* same e-mail */
                                     "Malee,,081-234-5678,A\n"
                                     "Malee Two,,+66 81 234 5678,B\n" /* same phone */
                                     "SOMCHAI  JAIDEE,,,กองคลัง\n"
                                     "somchai jaidee,,,กองคลัง\n" /* same name + unit */
                                     "somchai jaidee,,,กองช่าง\n" /* other unit: kept */
                                     "somchai jaidee,,,\n"
                                     "Somchai Jaidee,,,\n", /* same, no unit */
                                     0);
    assert_int_equal(l->rows_read, 9);
    assert_int_equal(l->duplicates, 4);
    assert_int_equal(l->n_rows, 5);
    assert_string_equal(l->rows[0].dedupe_key, "sj@example.com");
    assert_string_equal(l->rows[1].dedupe_key, "0812345678");
    assert_string_equal(l->rows[2].dedupe_key, "somchai jaidee|กองคลัง");
    assert_int_equal(l->rows[2].line, 6);
    assert_string_equal(l->rows[3].dedupe_key, "somchai jaidee|กองช่าง");
    assert_string_equal(l->rows[4].dedupe_key, "somchai jaidee|");
    ita_contact_list_free(l);
}

static void test_blank_rows_skipped(void **state)
{
    (void)state;
    struct ita_contact_list *l =
        eit("ชื่อ,อีเมล\r\n,\r\n \t, \xC2\xA0\r\n\r\nสมชาย,a@b.co\r\n,,\r\n", 0);
    assert_int_equal(l->rows_read, 1);
    assert_int_equal(l->n_rows, 1);
    assert_int_equal(l->rows[0].line, 5);
    ita_contact_list_free(l);
}

static void test_several_errors_in_a_row_and_extra_fields(void **state)
{
    (void)state;
    struct ita_contact_list *l = eit("ชื่อ,อีเมล,โทรศัพท์\n"
                                     "สมชาย,bad,12\n"
                                     "มาลี,malee@example.com,0812345678,เกิน\n"
                                     "ok,,,,\n",
                                     -1);
    assert_int_equal(l->errors.total, 3);
    assert_int_equal(l->errors.bad_rows, 2);
    assert_import_err(&l->errors, 0, 2, "อีเมล",
                      "อีเมล \"bad\" ไม่ถูกต้อง (ตัวอย่างที่ถูกต้อง: somchai@example.go.th)");
    assert_import_err(&l->errors, 1, 2, "โทรศัพท์",
                      "เบอร์โทรศัพท์ \"12\" ต้องมี 9 หรือ 10 หลัก เช่น 02-123-4567 หรือ 081-234-5678");
    assert_import_err(&l->errors, 2, 3, "",
                      "แถวนี้มีข้อมูลเกินจำนวนคอลัมน์ของหัวตาราง (อาจมีเครื่องหมายจุลภาค , "
                      "ในข้อมูลที่ไม่ได้ครอบด้วยเครื่องหมายคำพูด)");
    assert_int_equal(l->n_rows, 1); /* "ok": kept in the list, but nothing may be imported */
    struct strbuf a[6];
    for (int i = 0; i < 6; i++)
        strbuf_init(&a[i]);
    assert_int_equal(ita_contact_list_pg_arrays(l, &a[0], &a[1], &a[2], &a[3], &a[4], &a[5]), -1);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(a[i].len, 0);
        strbuf_free(&a[i]);
    }
    ita_contact_list_free(l);
}

static void test_error_cap(void **state)
{
    (void)state;
    struct strbuf csv;
    strbuf_init(&csv);
    strbuf_puts(&csv, "ชื่อ,อีเมล\n");
    for (int i = 0; i < 250; i++)
        strbuf_printf(&csv, "คนที่ %d,not-an-email-%d\n", i, i);
    struct ita_contact_list *l = eit(csv.data, -1);
    assert_int_equal(l->errors.total, 250);
    assert_int_equal(l->errors.n, ITA_IMPORT_MAX_ERRORS);
    assert_int_equal(l->errors.bad_rows, 250);
    assert_import_err(&l->errors, 199, 201, "อีเมล",
                      "อีเมล \"not-an-email-199\" ไม่ถูกต้อง (ตัวอย่างที่ถูกต้อง: somchai@example.go.th)");
    ita_contact_list_free(l);
    strbuf_free(&csv);
}

/* Errors from the encoding and CSV steps reach the same list, with lines. */
static void test_encoding_and_syntax_errors(void **state)
{
    (void)state;
    struct ita_contact_list *l = eit("ชื่อ,อีเมล\nสมชาย,\"a@b.co\"x\nมาลี,bad\n", -1);
    assert_int_equal(l->errors.total, 1);
    assert_import_err(&l->errors, 0, 2, "", "มีข้อความต่อท้ายหลังเครื่องหมายคำพูดปิด (\") ในช่องเดียวกัน");
    ita_contact_list_free(l);
    /* Rows before a syntax error are still checked and reported. */
    l = eit("ชื่อ,อีเมล\n,x@y.co\nสมชาย,\"a@b.co\n", -1);
    assert_int_equal(l->errors.total, 2);
    assert_import_err(&l->errors, 0, 2, "ชื่อ", "ต้องกรอกชื่อ");
    assert_import_err(&l->errors, 1, 3, "",
                      "เครื่องหมายคำพูด (\") ที่เปิดในแถวนี้ไม่มีเครื่องหมายปิด จนถึงท้ายไฟล์");
    ita_contact_list_free(l);
    static struct ita_contact_list l2;
    struct ita_contact_options opt = {ITA_CONTACT_EIT, REF};
    assert_int_equal(ita_contact_list_parse("\xFF\xFEn\0", 4, &opt, &l2), -1);
    assert_int_equal(l2.errors.total, 1);
    assert_import_err(&l2.errors, 0, 0, "",
                      "ไฟล์นี้บันทึกเป็น Unicode (UTF-16) ซึ่งระบบไม่รองรับ กรุณาเปิดไฟล์ใน Excel แล้วเลือก "
                      "บันทึกเป็น (Save As) ชนิด \"CSV UTF-8 (Comma delimited) (*.csv)\" แล้วอัปโหลดใหม่");
    ita_contact_list_free(&l2);
}

static void test_pg_arrays_round_trip(void **state)
{
    (void)state;
    struct ita_contact_list *l =
        iit("ชื่อ,อีเมล,โทรศัพท์,กอง,วันที่เริ่มปฏิบัติงาน\n"
            "\"นายก \"\"ไก่\"\", ข {ค}\",a@b.co,,\"C:\\temp\\กอง\",1/10/2565\n"
            "NULL,,02-123-4567,\"{\"\"x\"\"}\",2010-05-01\n"
            "\"a\\\"\", b\",,,,1/1/2500\n",
            0);
    assert_int_equal(l->n_rows, 3);
    struct strbuf a[6];
    for (int i = 0; i < 6; i++)
        strbuf_init(&a[i]);
    assert_int_equal(ita_contact_list_pg_arrays(l, &a[0], &a[1], &a[2], &a[3], &a[4], &a[5]), 0);
    /* The literal itself for one column, to pin the format down. */
    assert_string_equal(a[1].data, "{\"a@b.co\",NULL,NULL}");
    assert_string_equal(a[4].data, "{\"2022-10-01\",\"2010-05-01\",\"1957-01-01\"}");
    const char *names[] = {"นายก \"ไก่\", ข {ค}", "NULL", "a\\\", b"};
    const char *emails[] = {"a@b.co", NULL, NULL};
    const char *phones[] = {NULL, "021234567", NULL};
    const char *units[] = {"C:\\temp\\กอง", "{\"x\"}", NULL};
    const char *dates[] = {"2022-10-01", "2010-05-01", "1957-01-01"};
    const char *keys[] = {"a@b.co", "021234567", "a\\\", b|"};
    assert_pg_array(a[0].data, names, 3);
    assert_pg_array(a[1].data, emails, 3);
    assert_pg_array(a[2].data, phones, 3);
    assert_pg_array(a[3].data, units, 3);
    assert_pg_array(a[4].data, dates, 3);
    assert_pg_array(a[5].data, keys, 3);
    for (int i = 0; i < 6; i++)
        strbuf_free(&a[i]);
    ita_contact_list_free(l);
    /* Every row left out: importable, six empty arrays. */
    l = iit("ชื่อ,วันที่เริ่มปฏิบัติงาน\nก,1/3/2567\n", 0);
    for (int i = 0; i < 6; i++)
        strbuf_init(&a[i]);
    assert_int_equal(ita_contact_list_pg_arrays(l, &a[0], &a[1], &a[2], &a[3], &a[4], &a[5]), 0);
    for (int i = 0; i < 6; i++) {
        assert_string_equal(a[i].data, "{}");
        strbuf_free(&a[i]);
    }
    ita_contact_list_free(l);
}

static void test_pg_array_writer(void **state)
{
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    ita_pg_array_begin(&b);
    const char *v[] = {"", "NULL", NULL, "a,b", "{}", "\"", "\\", " lead", "ไทย", "\\\"\\"};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        ita_pg_array_add(&b, v[i]);
    ita_pg_array_end(&b);
    assert_string_equal(b.data, "{\"\",\"NULL\",NULL,\"a,b\",\"{}\",\"\\\"\",\"\\\\\",\" lead\","
                                "\"ไทย\",\"\\\\\\\"\\\\\"}");
    assert_pg_array(b.data, v, sizeof v / sizeof v[0]);
    strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_utf8),
        cmocka_unit_test(test_fixture_utf8_bom),
        cmocka_unit_test(test_fixture_windows_874),
        cmocka_unit_test(test_english_headers_any_order),
        cmocka_unit_test(test_surname_column_joined),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_name_errors),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_unit_too_long),
        cmocka_unit_test(test_dates_be_and_ce),
        cmocka_unit_test(test_date_errors_in_rows),
        cmocka_unit_test(test_full_year_boundaries),
        cmocka_unit_test(test_full_year_in_list),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_blank_rows_skipped),
        cmocka_unit_test(test_several_errors_in_a_row_and_extra_fields),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_encoding_and_syntax_errors),
        cmocka_unit_test(test_pg_arrays_round_trip),
        cmocka_unit_test(test_pg_array_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
