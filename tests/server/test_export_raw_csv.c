/* The raw export's file format without a server: the header from the 2566 version (both
 * instruments, or one), the decoding of binary COPY messages (header in front of the first row,
 * the trailer, every malformed shape refused) and the CSV rows (levels, empty cells of the other
 * instrument, rows that do not fit the version refused with nothing written). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "results/export_raw_csv.h"
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ita_version *v;

static int setup(void **state)
{
    char path[512], *err = NULL;
    snprintf(path, sizeof path, "%s/instruments/2566.json", t_env("ITA_SOURCE_DIR"));
    v = ita_version_load_file(path, &err);
    return v ? 0 : -1;
}

static int teardown(void **state)
{
    ita_version_free(v);
    return 0;
}

/* Builds one binary COPY message: optional file header, then a row of five columns. */
static size_t put32(unsigned char *p, uint32_t x)
{
    p[0] = (unsigned char)(x >> 24), p[1] = (unsigned char)(x >> 16),
    p[2] = (unsigned char)(x >> 8), p[3] = (unsigned char)x;
    return 4;
}

static size_t message(unsigned char *out, bool header, const char *code, const char *ins,
                      const unsigned char *answers, size_t n)
{
    size_t o = 0;
    if (header) {
        memcpy(out, "PGCOPY\n\377\r\n\0", 11);
        o = 11;
        o += put32(out + o, 0);
        o += put32(out + o, 0);
    }
    out[o++] = 0;
    out[o++] = 5;
    const char *text[4] = {code, "2566", ins, "2023-02-01"};
    for (int i = 0; i < 4; i++) {
        o += put32(out + o, (uint32_t)strlen(text[i]));
        memcpy(out + o, text[i], strlen(text[i]));
        o += strlen(text[i]);
    }
    o += put32(out + o, (uint32_t)n);
    memcpy(out + o, answers, n);
    return o + n;
}

static void test_header(void **state)
{
    struct raw_layout l;
    struct strbuf b;
    strbuf_init(&b);
    raw_layout_init(&l, v, -1);
    raw_csv_begin(&b, &l);
    assert_memory_equal(b.data,
                        "\xEF\xBB\xBF"
                        "agency_code,fiscal_year,instrument,counted_on,i1,",
                        51);
    size_t commas = 0;
    for (size_t i = 0; i < b.len; i++)
        commas += b.data[i] == ',';
    assert_int_equal(commas, 3 + 51 + 19);
    assert_memory_equal(b.data + b.len - 2, "\r\n", 2);
    strbuf_free(&b);
    raw_layout_init(&l, v, ITA_EIT);
    raw_csv_begin(&b, &l);
    assert_null(strstr(b.data, ",i1,"));
    assert_non_null(strstr(b.data, "counted_on,e1"));
    strbuf_free(&b);
}

static void test_decode_and_rows(void **state)
{
    unsigned char msg[4096], answers[64];
    memset(answers, 0, sizeof answers);
    answers[0] = 1;
    struct raw_layout l;
    raw_layout_init(&l, v, -1);
    struct raw_row row;
    bool seen = false;
    size_t n = message(msg, true, "A1", "EIT", answers, 19);
    assert_int_equal(raw_copy_decode((char *)msg, n, &seen, &row), RAW_ROW);
    assert_true(seen);
    struct strbuf b;
    strbuf_init(&b);
    char err[200];
    assert_true(raw_csv_row(&b, &l, &row, err, sizeof err));
    char want[512] = "A1,2566,EIT,2023-02-01";
    for (int i = 0; i < 51; i++)
        strcat(want, ",");
    strcat(want, ",1");
    for (int i = 1; i < 19; i++)
        strcat(want, ",0");
    strcat(want, "\r\n");
    assert_string_equal(b.data, want);
    /* the next message has no header; the trailer ends the stream */
    n = message(msg, false, "A1", "IIT", answers, 51);
    assert_int_equal(raw_copy_decode((char *)msg, n, &seen, &row), RAW_ROW);
    unsigned char trailer[2] = {0xff, 0xff};
    assert_int_equal(raw_copy_decode((char *)trailer, 2, &seen, &row), RAW_END);
    /* rows that do not fit: wrong count, level beyond the scale, unknown or absent instrument */
    size_t before = b.len;
    n = message(msg, false, "A1", "IIT", answers, 50);
    assert_int_equal(raw_copy_decode((char *)msg, n, &seen, &row), RAW_ROW);
    assert_false(raw_csv_row(&b, &l, &row, err, sizeof err));
    assert_non_null(strstr(err, "50 answers"));
    answers[3] = 9;
    n = message(msg, false, "A1", "IIT", answers, 51);
    assert_int_equal(raw_copy_decode((char *)msg, n, &seen, &row), RAW_ROW);
    assert_false(raw_csv_row(&b, &l, &row, err, sizeof err));
    answers[3] = 0;
    n = message(msg, false, "A1", "OIT", answers, 51);
    assert_int_equal(raw_copy_decode((char *)msg, n, &seen, &row), RAW_ROW);
    assert_false(raw_csv_row(&b, &l, &row, err, sizeof err));
    raw_layout_init(&l, v, ITA_EIT);
    n = message(msg, false, "A1", "IIT", answers, 51);
    assert_int_equal(raw_copy_decode((char *)msg, n, &seen, &row), RAW_ROW);
    assert_false(raw_csv_row(&b, &l, &row, err, sizeof err));
    assert_int_equal(b.len, before);
    strbuf_free(&b);
}

static void test_malformed(void **state)
{
    unsigned char msg[4096], answers[64] = {0};
    struct raw_row row;
    bool seen = false;
    size_t n = message(msg, true, "A1", "IIT", answers, 51);
    /* every truncation of a valid message is refused, never read beyond */
    for (size_t cut = 0; cut < n; cut++) {
        seen = false;
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, msg, cut);
        assert_int_equal(raw_copy_decode((char *)copy, cut, &seen, &row), RAW_BAD);
        free(copy);
    }
    seen = false;
    msg[0] = 'X'; /* bad signature */
    assert_int_equal(raw_copy_decode((char *)msg, n, &seen, &row), RAW_BAD);
    n = message(msg, false, "A1", "IIT", answers, 51);
    msg[1] = 4; /* four columns */
    seen = true;
    assert_int_equal(raw_copy_decode((char *)msg, n, &seen, &row), RAW_BAD);
    msg[1] = 5;
    put32(msg + 2, 0xffffffffu); /* NULL code */
    assert_int_equal(raw_copy_decode((char *)msg, n, &seen, &row), RAW_BAD);
    unsigned char trailing[3] = {0xff, 0xff, 0};
    assert_int_equal(raw_copy_decode((char *)trailing, 3, &seen, &row), RAW_BAD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_decode_and_rows),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
