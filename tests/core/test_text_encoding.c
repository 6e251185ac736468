/* Tests for core/text_encoding.c: UTF-8 kept without copying, the BOM stripped, real
 * Windows-874 bytes (hand-written from the TIS-620 table, and a fixture made with iconv(1))
 * converted, UTF-16/32 and NUL bytes refused with the Thai advice and the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "text_encoding.h"

#define SAVE_AS                                                                                                                                                            \
    "กรุณาเปิดไฟล์ใน Excel แล้วเลือก บันทึกเป็น (Save As) ชนิด \"CSV UTF-8 (Comma delimited) " \
    "(*.csv)\" แล้วอัปโหลดใหม่"

static void test_utf8_kept_without_copy(void **state)
{
    (void)state;
    const char in[] = "ชื่อ,อีเมล\nสมชาย,a@b.co\n";
    struct strbuf scratch;
    strbuf_init(&scratch);
    struct ita_text t;
    assert_int_equal(ita_text_to_utf8(in, sizeof in - 1, &scratch, &t), 0);
    assert_int_equal(t.encoding, ITA_ENC_UTF8);
    assert_ptr_equal(t.data, in);
    assert_int_equal(t.len, sizeof in - 1);
    assert_null(t.error);
    assert_int_equal(scratch.len, 0);
    assert_string_equal(ita_text_encoding_name(t.encoding), "UTF-8");
    strbuf_free(&scratch);
}

static void test_bom_stripped(void **state)
{
    (void)state;
    const char in[] = "\xEF\xBB\xBFชื่อ\r\n";
    struct strbuf scratch;
    strbuf_init(&scratch);
    struct ita_text t;
    assert_int_equal(ita_text_to_utf8(in, sizeof in - 1, &scratch, &t), 0);
    assert_int_equal(t.encoding, ITA_ENC_UTF8_BOM);
    assert_ptr_equal(t.data, in + 3);
    assert_int_equal(t.len, sizeof in - 4);
    assert_memory_equal(t.data, "ชื่อ\r\n", t.len);
    assert_string_equal(ita_text_encoding_name(t.encoding), "UTF-8 (BOM)");
    strbuf_free(&scratch);
}

static void test_empty_and_ascii(void **state)
{
    (void)state;
    struct strbuf scratch;
    strbuf_init(&scratch);
    struct ita_text t;
    assert_int_equal(ita_text_to_utf8("", 0, &scratch, &t), 0);
    assert_int_equal(t.encoding, ITA_ENC_UTF8);
    assert_int_equal(t.len, 0);
    assert_int_equal(ita_text_to_utf8("name,email\n", 11, &scratch, &t), 0);
    assert_int_equal(t.encoding, ITA_ENC_UTF8);
    strbuf_free(&scratch);
}

/* "ชื่อ,สมชาย” €" in Windows-874, byte by byte from the TIS-620 table (U+0E00 + byte - 0xA0)
 * and Microsoft's additions (0x80 €, 0x94 right double quotation mark). */
static void test_windows_874_bytes(void **state)
{
    (void)state;
    const unsigned char in[] = {0xAA, 0xD7, 0xE8, 0xCD, ',',  0xCA, 0xC1, 0xAA,
                                0xD2, 0xC2, 0x94, ' ',  0x80, '\r', '\n'};
    struct strbuf scratch;
    strbuf_init(&scratch);
    struct ita_text t;
    assert_int_equal(ita_text_to_utf8(in, sizeof in, &scratch, &t), 0);
    assert_int_equal(t.encoding, ITA_ENC_WINDOWS_874);
    const char want[] = "ชื่อ,สมชาย\xE2\x80\x9D \xE2\x82\xAC\r\n";
    assert_int_equal(t.len, sizeof want - 1);
    assert_memory_equal(t.data, want, t.len);
    assert_ptr_equal(t.data, scratch.data);
    assert_string_equal(ita_text_encoding_name(t.encoding), "Windows-874");
    strbuf_free(&scratch);
}

/* The fixture converted by iconv(1) decodes to exactly the UTF-8 fixture. */
static void test_windows_874_fixture(void **state)
{
    (void)state;
    size_t n874, n8;
    char *w874 = read_fixture("staff-windows874.csv", &n874);
    char *utf8 = read_fixture("staff-utf8.csv", &n8);
    assert_true(n874 < n8);                         /* one byte per Thai letter instead of three */
    assert_int_equal((unsigned char)w874[6], 0xAA); /* ช of ชื่อ in the header */
    struct strbuf scratch;
    strbuf_init(&scratch);
    struct ita_text t;
    assert_int_equal(ita_text_to_utf8(w874, n874, &scratch, &t), 0);
    assert_int_equal(t.encoding, ITA_ENC_WINDOWS_874);
    assert_int_equal(t.len, n8);
    assert_memory_equal(t.data, utf8, n8);
    strbuf_free(&scratch);
    free(w874);
    free(utf8);
}

/* A long Windows-874 input crosses iconv's 4 KiB output steps. */
static void test_windows_874_long(void **state)
{
    (void)state;
    enum { N = 10000 };
    unsigned char *in = malloc(N);
    assert_non_null(in);
    for (size_t i = 0; i < N; i++)
        in[i] = 0xA1; /* ก */
    struct strbuf scratch;
    strbuf_init(&scratch);
    struct ita_text t;
    assert_int_equal(ita_text_to_utf8(in, N, &scratch, &t), 0);
    assert_int_equal(t.len, 3 * N);
    for (size_t i = 0; i < N; i++)
        assert_memory_equal(t.data + 3 * i, "ก", 3);
    strbuf_free(&scratch);
    free(in);
}

static void expect_error(const void *in, size_t len, const char *msg, unsigned long line)
{
    struct strbuf scratch;
    strbuf_init(&scratch);
    struct ita_text t;
    assert_int_equal(ita_text_to_utf8(in, len, &scratch, &t), -1);
    assert_string_equal(t.error, msg);
    assert_int_equal(t.error_line, line);
    assert_null(t.data);
    strbuf_free(&scratch);
}

static void test_wide_refused(void **state)
{
    (void)state;
    const char *u16 = "ไฟล์นี้บันทึกเป็น Unicode (UTF-16) ซึ่งระบบไม่รองรับ " SAVE_AS;
    const char *u32 = "ไฟล์นี้บันทึกเป็น UTF-32 ซึ่งระบบไม่รองรับ " SAVE_AS;
    expect_error("\xFF\xFEn\0a\0", 6, u16, 0);
    expect_error("\xFE\xFF\0n\0a", 6, u16, 0);
    expect_error("\xFF\xFE\0\0n\0\0\0", 8, u32, 0);
    expect_error("\0\0\xFE\xFF\0\0\0n", 8, u32, 0);
}

static void test_nul_refused_with_line(void **state)
{
    (void)state;
    const char *msg = "ไฟล์นี้ไม่ใช่ไฟล์ข้อความ CSV (พบไบต์ศูนย์) อาจเป็นไฟล์ Excel (.xlsx) "
                      "หรือบันทึกเป็น Unicode " SAVE_AS;
    expect_error("a,b\r\nc,d\r\ne\0f\r\n", 15, msg, 3);
    expect_error("PK\x03\x04\x14\0", 6, msg, 1); /* an .xlsx is a zip file */
}

static void test_undefined_windows_874_byte(void **state)
{
    (void)state;
    const char *msg = "ไฟล์มีอักขระที่อ่านไม่ได้ทั้งแบบ UTF-8 และภาษาไทย Windows-874 "
                      "(ไฟล์อาจเสียหรือไม่ใช่ไฟล์ CSV) " SAVE_AS;
    /* 0xDB..0xDE and 0xFC..0xFF are not defined in Windows-874. */
    expect_error("\xA1\xA2\n\xA1\xDB\n", 6, msg, 2);
    expect_error("ok\n\n\xFF", 5, msg, 3);
}

static void test_bom_with_bad_utf8(void **state)
{
    (void)state;
    const char *msg = "ไฟล์ระบุว่าเป็น UTF-8 แต่มีอักขระที่ไม่ถูกต้อง (ไฟล์อาจเสีย) " SAVE_AS;
    expect_error("\xEF\xBB\xBF"
                 "a\nb\xC0\x80\n",
                 8, msg, 2);
}

static void test_utf8_validator(void **state)
{
    (void)state;
    assert_true(ita_utf8_valid("", 0));
    assert_true(ita_utf8_valid("กข", 6));
    assert_true(ita_utf8_valid("\xF0\x9F\x98\x80", 4));  /* U+1F600 */
    assert_true(ita_utf8_valid("\xF4\x8F\xBF\xBF", 4));  /* U+10FFFF */
    assert_false(ita_utf8_valid("\xC0\x80", 2));         /* overlong NUL */
    assert_false(ita_utf8_valid("\xE0\x80\xAF", 3));     /* overlong '/' */
    assert_false(ita_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(ita_utf8_valid("\xF4\x90\x80\x80", 4)); /* beyond U+10FFFF */
    assert_false(ita_utf8_valid("\xE0\xB8", 2));         /* truncated ก */
    assert_false(ita_utf8_valid("\xA1", 1));             /* Windows-874 ก */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_kept_without_copy),
        cmocka_unit_test(test_bom_stripped),
        cmocka_unit_test(test_empty_and_ascii),
        cmocka_unit_test(test_windows_874_bytes),
        cmocka_unit_test(test_windows_874_fixture),
        cmocka_unit_test(test_windows_874_long),
        cmocka_unit_test(test_wide_refused),
        cmocka_unit_test(test_nul_refused_with_line),
        cmocka_unit_test(test_undefined_windows_874_byte),
        cmocka_unit_test(test_bom_with_bad_utf8),
        cmocka_unit_test(test_utf8_validator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
