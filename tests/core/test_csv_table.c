/* Tests for core/csv_table.c: records and the line each starts on (quoted fields spanning
 * lines, CRLF/LF/CR, blank lines), Excel-style quoting, every syntax error with its line and Thai
 * message, pieces of any size giving the same result as one buffer, stopping from the callback,
 * and memory that does not grow with the number of records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"

/* Each record as "L<line>:[f1|f2|...]\n", fields shown raw. */
static int collect(void *ctx, const struct ita_csv_record *rec)
{
    struct strbuf *b = ctx;
    strbuf_printf(b, "L%lu:[", rec->line);
    for (size_t i = 0; i < rec->n; i++) {
        assert_int_equal(strlen(rec->fields[i].data), rec->fields[i].len);
        strbuf_printf(b, "%s%s", i ? "|" : "", rec->fields[i].data);
    }
    strbuf_puts(b, "]\n");
    return 0;
}

/* Parses `in` in one buffer; returns the status and leaves the records in *out. */
static enum ita_csv_status parse_all(const char *in, struct strbuf *out, const char **err,
                                     unsigned long *line)
{
    strbuf_init(out);
    return ita_csv_read(in, strlen(in), collect, out, err, line);
}

static void expect_records(const char *in, const char *want)
{
    struct strbuf got;
    const char *err = NULL;
    unsigned long line = 0;
    assert_int_equal(parse_all(in, &got, &err, &line), ITA_CSV_OK);
    assert_null(err);
    assert_string_equal(got.data, want);
    strbuf_free(&got);
}

static void expect_syntax(const char *in, const char *want_records, unsigned long want_line,
                          const char *want_msg)
{
    struct strbuf got;
    const char *err = NULL;
    unsigned long line = 0;
    assert_int_equal(parse_all(in, &got, &err, &line), ITA_CSV_SYNTAX);
    assert_string_equal(got.data, want_records);
    assert_int_equal(line, want_line);
    assert_string_equal(err, want_msg);
    strbuf_free(&got);
}

static void test_simple_lines(void **state)
{
    (void)state;
    expect_records("a,b,c\r\nd,e,f\r\n", "L1:[a|b|c]\nL2:[d|e|f]\n");
    expect_records("a,b\nc,d", "L1:[a|b]\nL2:[c|d]\n");   /* LF, no final line break */
    expect_records("a,b\rc,d\r", "L1:[a|b]\nL2:[c|d]\n"); /* old Mac CR */
    expect_records("", "");
    expect_records("\r\n\r\n", "");
}

static void test_blank_lines_counted(void **state)
{
    (void)state;
    expect_records("\r\nชื่อ,อีเมล\r\n\r\n\r\nสมชาย,a@b.co\r\n\r\n",
                   "L2:[ชื่อ|อีเมล]\nL5:[สมชาย|a@b.co]\n");
}

static void test_fields_kept_verbatim(void **state)
{
    (void)state;
    /* Spaces belong to the field (RFC 4180); empty fields, including a trailing one, count. */
    expect_records(" นาย สมชาย , ใจดี ,,\r\n", "L1:[ นาย สมชาย | ใจดี ||]\n");
    expect_records(",\r\n", "L1:[|]\n");
    expect_records("\"\"\r\n", "L1:[]\n");
}

/* What Excel writes for a cell with a comma, a quote and an Alt+Enter line break. */
static void test_excel_quoting(void **state)
{
    (void)state;
    const char *in = "ชื่อ,หน่วยงาน,หมายเหตุ\r\n"
                     "\"นายประเสริฐ \"\"ต้น\"\" มั่นคง\",\"กองช่าง\r\n(งานโยธา)\",\"ก, ข\"\r\n"
                     "นางมาลี,\"สำนักปลัด\n\nชั้น 2\",\r\n"
                     "ท้าย,x,y\r\n";
    expect_records(in, "L1:[ชื่อ|หน่วยงาน|หมายเหตุ]\n"
                       "L2:[นายประเสริฐ \"ต้น\" มั่นคง|กองช่าง\r\n(งานโยธา)|ก, ข]\n"
                       "L4:[นางมาลี|สำนักปลัด\n\nชั้น 2|]\n"
                       "L7:[ท้าย|x|y]\n");
}

static const char MSG_QUOTE_INSIDE[] = "พบเครื่องหมายคำพูด (\") กลางข้อมูลที่ไม่ได้ครอบด้วยเครื่องหมายคำพูด "
                                       "(ข้อมูลที่มี \" ต้องครอบทั้งช่องด้วย \" และเขียน \" ในข้อมูลเป็น \"\")";
static const char MSG_AFTER_QUOTE[] = "มีข้อความต่อท้ายหลังเครื่องหมายคำพูดปิด (\") ในช่องเดียวกัน";
static const char MSG_UNCLOSED[] = "เครื่องหมายคำพูด (\") ที่เปิดในแถวนี้ไม่มีเครื่องหมายปิด จนถึงท้ายไฟล์";

static void test_quote_inside_unquoted_field(void **state)
{
    (void)state;
    expect_syntax("a,b\r\nc,d\r\nจอ 32\" นิ้ว,e\r\nf,g\r\n", "L1:[a|b]\nL2:[c|d]\n", 3,
                  MSG_QUOTE_INSIDE);
    /* A space before the opening quote makes the field unquoted (no trimming in strict mode). */
    expect_syntax("a, \"b\"\r\n", "", 1, MSG_QUOTE_INSIDE);
}

static void test_text_after_closing_quote(void **state)
{
    (void)state;
    expect_syntax("a,b\r\n\"สมชาย\" ใจดี,c\r\n", "L1:[a|b]\n", 2, MSG_AFTER_QUOTE);
    /* Inside a field that spans lines, the error is on the line of the stray text. */
    expect_syntax("h\r\n\"line one\r\nline two\"x\r\n", "L1:[h]\n", 3, MSG_AFTER_QUOTE);
    expect_syntax("\"a\" ,b\r\n", "", 1, MSG_AFTER_QUOTE);
}

static void test_unclosed_quote(void **state)
{
    (void)state;
    /* The line given is where the record with the open quote starts. */
    expect_syntax("a,b\r\nc,\"d\r\ne,f\r\ng,h\r\n", "L1:[a|b]\n", 2, MSG_UNCLOSED);
    expect_syntax("\"", "", 1, MSG_UNCLOSED);
}

static void test_too_many_fields(void **state)
{
    (void)state;
    struct strbuf in;
    strbuf_init(&in);
    strbuf_puts(&in, "ok\r\n\r\n");
    for (int i = 0; i < ITA_CSV_MAX_FIELDS; i++)
        strbuf_puts(&in, "x,");
    strbuf_puts(&in, "x\r\n");
    expect_syntax(in.data, "L1:[ok]\n", 3, "แถวนี้มีจำนวนคอลัมน์เกิน 512 คอลัมน์");
    strbuf_free(&in);
}

static void test_field_too_long(void **state)
{
    (void)state;
    struct strbuf in;
    strbuf_init(&in);
    strbuf_puts(&in, "a\r\nb,\"");
    for (int i = 0; i <= ITA_CSV_MAX_FIELD_BYTES; i++)
        strbuf_append(&in, "x", 1);
    strbuf_puts(&in, "\"\r\n");
    expect_syntax(in.data, "L1:[a]\n", 2, "ข้อมูลช่องหนึ่งในแถวนี้ยาวเกิน 65,536 ไบต์");
    strbuf_free(&in);
}

static const char SPLIT_INPUT[] = "ชื่อ,กอง\r\n\r\n\"ก\"\"ข\",\"ค\r\nง\"\r\nจ,ฉ\rช,\"ซ\"\n\r\nฌ,ญ";
static const char SPLIT_WANT[] = "L1:[ชื่อ|กอง]\nL3:[ก\"ข|ค\r\nง]\nL5:[จ|ฉ]\nL6:[ช|ซ]\nL8:[ฌ|ญ]\n";

/* Feeding in two pieces split at every byte, and byte by byte, gives the same records. */
static void test_pieces_of_any_size(void **state)
{
    (void)state;
    expect_records(SPLIT_INPUT, SPLIT_WANT);
    size_t len = strlen(SPLIT_INPUT);
    for (size_t cut = 0; cut <= len; cut++) {
        struct strbuf got;
        strbuf_init(&got);
        struct ita_csv_reader r;
        ita_csv_reader_init(&r, collect, &got);
        assert_int_equal(ita_csv_reader_feed(&r, SPLIT_INPUT, cut), ITA_CSV_OK);
        assert_int_equal(ita_csv_reader_feed(&r, SPLIT_INPUT + cut, len - cut), ITA_CSV_OK);
        assert_int_equal(ita_csv_reader_finish(&r), ITA_CSV_OK);
        assert_string_equal(got.data, SPLIT_WANT);
        ita_csv_reader_free(&r);
        strbuf_free(&got);
    }
    struct strbuf got;
    strbuf_init(&got);
    struct ita_csv_reader r;
    ita_csv_reader_init(&r, collect, &got);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(ita_csv_reader_feed(&r, SPLIT_INPUT + i, 1), ITA_CSV_OK);
    assert_int_equal(ita_csv_reader_finish(&r), ITA_CSV_OK);
    assert_string_equal(got.data, SPLIT_WANT);
    ita_csv_reader_free(&r);
    strbuf_free(&got);
}

static int stop_at_second(void *ctx, const struct ita_csv_record *rec)
{
    int *seen = ctx;
    (*seen)++;
    return rec->line == 2;
}

static void test_callback_stops(void **state)
{
    (void)state;
    int seen = 0;
    assert_int_equal(ita_csv_read("a\nb\nc\nd\n", 8, stop_at_second, &seen, NULL, NULL),
                     ITA_CSV_STOPPED);
    assert_int_equal(seen, 2);
}

static int count_records(void *ctx, const struct ita_csv_record *rec)
{
    size_t *n = ctx;
    (*n)++;
    assert_int_equal(rec->line, *n);
    assert_int_equal(rec->n, 4);
    return 0;
}

/* 200,000 records fed in 64 KiB pieces: the reader's own buffers stay at one record's size. */
static void test_memory_flat(void **state)
{
    (void)state;
    const char row[] = "นายสมชาย ใจดี,somchai@example.go.th,081-234-5678,\"กองคลัง, ฝ่ายบัญชี\"\r\n";
    enum { ROWS = 200000 };
    struct strbuf in;
    strbuf_init(&in);
    for (int i = 0; i < ROWS; i++)
        strbuf_append(&in, row, sizeof row - 1);
    size_t n = 0;
    struct ita_csv_reader r;
    ita_csv_reader_init(&r, count_records, &n);
    for (size_t off = 0; off < in.len; off += 65536) {
        size_t piece = in.len - off < 65536 ? in.len - off : 65536;
        assert_int_equal(ita_csv_reader_feed(&r, in.data + off, piece), ITA_CSV_OK);
    }
    assert_int_equal(ita_csv_reader_finish(&r), ITA_CSV_OK);
    assert_int_equal(n, ROWS);
    assert_true(r.bytes.cap <= 256);
    assert_true(r.cap_fields <= 16);
    assert_true(csv_get_buffer_size(&r.parser) <= 1024);
    ita_csv_reader_free(&r);
    strbuf_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_lines),
        cmocka_unit_test(test_blank_lines_counted),
        cmocka_unit_test(test_fields_kept_verbatim),
        cmocka_unit_test(test_excel_quoting),
        cmocka_unit_test(test_quote_inside_unquoted_field),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_unclosed_quote),
        cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_field_too_long),
        cmocka_unit_test(test_pieces_of_any_size),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_memory_flat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
