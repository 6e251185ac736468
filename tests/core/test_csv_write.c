/* Tests for core/csv_write.c: BOM and CRLF, RFC 4180 quoting of Thai text with commas, quotes
 * and line breaks, the formula-injection guard and its plain-number exception, and a round trip
 * through the project's own reader (core/csv_table.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "csv_table.h"
#include "csv_write.h"

static void expect_field(const char *value, const char *written)
{
    struct strbuf b;
    strbuf_init(&b);
    ita_csv_write_str(&b, true, value);
    assert_string_equal(b.data, written);
    strbuf_free(&b);
}

static void test_file_shape(void **state)
{
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    ita_csv_write_bom(&b);
    const char *head[] = {"ชื่อ-นามสกุล", "อีเมล", "คะแนน"};
    const char *row[] = {"นายสมชาย ใจดี", NULL, "95.66"};
    ita_csv_write_row(&b, head, 3);
    ita_csv_write_row(&b, row, 3);
    assert_string_equal(b.data, "\xEF\xBB\xBFชื่อ-นามสกุล,อีเมล,คะแนน\r\nนายสมชาย ใจดี,,95.66\r\n");
    strbuf_free(&b);
}

static void test_quoting(void **state)
{
    (void)state;
    expect_field("กองคลัง", "กองคลัง");
    expect_field("", "");
    expect_field(" ช่องว่าง ", " ช่องว่าง ");
    expect_field("ก, ข", "\"ก, ข\"");
    expect_field("นายประเสริฐ \"ต้น\" มั่นคง", "\"นายประเสริฐ \"\"ต้น\"\" มั่นคง\"");
    expect_field("กองช่าง\r\n(งานโยธา)", "\"กองช่าง\r\n(งานโยธา)\"");
    expect_field("a\nb", "\"a\nb\"");
    expect_field("\"", "\"\"\"\"");
}

static void test_formula_guard(void **state)
{
    (void)state;
    expect_field("=HYPERLINK(\"http://x\",\"คลิก\")",
                 "\"'=HYPERLINK(\"\"http://x\"\",\"\"คลิก\"\")\"");
    expect_field("=1+1", "'=1+1");
    expect_field("+66812345678x", "'+66812345678x");
    expect_field("-1+2", "'-1+2");
    expect_field("-A1", "'-A1");
    expect_field("--1", "'--1");
    expect_field("-", "'-");
    expect_field("+", "'+");
    expect_field("@SUM(A1)", "'@SUM(A1)");
    expect_field("\tx", "'\tx");
    expect_field("\r=1", "\"'\r=1\"");
    expect_field("-1e", "'-1e");
    expect_field("-.", "'-.");
    /* Plain numbers stay numbers. */
    expect_field("-1.5", "-1.5");
    expect_field("+3", "+3");
    expect_field("-.5", "-.5");
    expect_field("-2e3", "-2e3");
    expect_field("-2E-3", "-2E-3");
    expect_field("-0", "-0");
    expect_field("1.5", "1.5");
    /* Only the first byte matters. */
    expect_field("a=b", "a=b");
    expect_field("สมชาย@example.com", "สมชาย@example.com");
    assert_false(ita_csv_needs_formula_guard("", 0));
    assert_true(ita_csv_needs_formula_guard("=", 1));
}

static int collect(void *ctx, const struct ita_csv_record *rec)
{
    struct strbuf *b = ctx;
    for (size_t i = 0; i < rec->n; i++)
        strbuf_printf(b, "%s<%s>", i ? "," : "", rec->fields[i].data);
    strbuf_puts(b, ";");
    return 0;
}

/* What the writer writes, the strict reader reads back (after the BOM) field for field. */
static void test_round_trip(void **state)
{
    (void)state;
    const char *row[] = {"ก, \"ข\"", "ค\r\nง", "", "-1.5", "=1", "ไทย"};
    struct strbuf b, got;
    strbuf_init(&b);
    strbuf_init(&got);
    ita_csv_write_bom(&b);
    ita_csv_write_row(&b, row, 6);
    ita_csv_write_row(&b, row, 6);
    assert_int_equal(ita_csv_read(b.data + 3, b.len - 3, collect, &got, NULL, NULL), ITA_CSV_OK);
    assert_string_equal(got.data, "<ก, \"ข\">,<ค\r\nง>,<>,<-1.5>,<'=1>,<ไทย>;"
                                  "<ก, \"ข\">,<ค\r\nง>,<>,<-1.5>,<'=1>,<ไทย>;");
    strbuf_free(&b);
    strbuf_free(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_shape),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_formula_guard),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
