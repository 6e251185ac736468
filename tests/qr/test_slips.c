/* The printed link slips (qr/slips.c) read back with poppler: 9 slips make 2 A4 pages, the text
 * holds every name and every link exactly, the fonts are DejaVu Sans Mono (links) and a Thai
 * face, an over-long name is cut with an ellipsis inside its slip, the code on page 1 decodes
 * (zbarimg) to the first link, and the title is Thai. Pages are rendered to PNG in
 * test-output/slips/ for looking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "qr.h"
#include "slips.h"
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *outdir(void)
{
    static char dir[600];
    snprintf(dir, sizeof dir, "%s/../test-output", t_env("ITA_TEST_TMP"));
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/../test-output/slips", t_env("ITA_TEST_TMP"));
    mkdir(dir, 0755);
    return dir;
}

static const struct slip_sheet SHEET = {
    .agency_th = "องค์การบริหารส่วนตำบลบ้านทดสอบ",
    .fiscal_year = 2570,
    .instrument = "IIT",
    .closes_on = "2027-01-31",
};

/* Writes the PDF of slips to dir/name and returns its path (static). */
static const char *write_pdf(const struct slip_sheet *sheet, const struct slip *slips, size_t n,
                             const char *name)
{
    static char path[700];
    struct strbuf b;
    strbuf_init(&b);
    char err[256] = "";
    int rc = slips_pdf(sheet, slips, n, &b, err, sizeof err);
    if (rc != 0)
        fail_msg("slips_pdf: %s", err);
    snprintf(path, sizeof path, "%s/%s", outdir(), name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
    fclose(f);
    strbuf_free(&b);
    return path;
}

static char *run(const char *cmd)
{
    static char out[1 << 16];
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    return out;
}

/* pdftotext of path with every line break removed, so a link printed on two lines reads whole
 * (static). */
static const char *text_joined(const char *path)
{
    static char joined[1 << 16];
    char cmd[800];
    snprintf(cmd, sizeof cmd, "pdftotext -raw '%s' -", path);
    const char *t = run(cmd);
    size_t o = 0;
    for (; *t && o + 1 < sizeof joined; t++)
        if (*t != '\n' && *t != '\f')
            joined[o++] = *t;
    joined[o] = '\0';
    return joined;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_nine_slips(void **state)
{
    (void)state;
    static const char *const names[9] = {
        "สมชาย ใจดี",  "สมหญิง รักงาน", "วิภาวดี ศรีสุข", "ประยุทธ มั่นคง", "อรุณี แสงทอง",
        "ธนพล ทองมา", "กาญจนา บุญมี",  "ณัฐวุฒิ ชัยชนะ", "ปิยะ ลำดับเก้า",
    };
    /* tokens full of the characters that must not be confused: 0 O o 1 l I */
    static const char *const tokens[9] = {
        "O0o1lIO0o1lIabcdefghijklmnopqrst", "I1l0OoI1l0Ooabcdefghijklmnopqrs2",
        "0O0O0O0O1l1l1l1lIIIIoooo-_-_AaBb", "abcdefghijklmnopqrstuvwxyz012345",
        "ZZZZ0000llll1111IIIIOOOOoooo_-_-", "QwErTyUiOp0123456789lI1O0o-_AbCd",
        "0000000000000000000000000000000O", "llllllllllllllllIIIIIIIIIIIIIII1",
        "Nine9nine9Nine9nine9Nine9nine9N0",
    };
    struct slip s[9];
    char urls[9][128];
    for (int i = 0; i < 9; i++) {
        /* the first one's host too long for a line of its own: broken every so many characters
         * as well as after /t/ */
        snprintf(urls[i], sizeof urls[i], "%s/t/%s",
                 i == 0 ? "https://ita-survey.local-administration.example.go.th"
                        : "https://ita.example.go.th:8443",
                 tokens[i]);
        s[i] = (struct slip){names[i], i % 2 ? "กองช่าง" : "", urls[i]};
    }
    const char *path = write_pdf(&SHEET, s, 9, "nine.pdf");
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' | sed -n 's/^Pages: *//p; s/^Title: *//p'", path);
    assert_string_equal(run(cmd), "ใบแจ้งลิงก์ส่วนบุคคล IIT ปีงบประมาณ พ.ศ. 2570 "
                                  "องค์การบริหารส่วนตำบลบ้านทดสอบ\n2\n");

    const char *text = text_joined(path);
    for (int i = 0; i < 9; i++) {
        assert_int_equal(count(text, names[i]), 1);
        if (count(text, urls[i]) != 1)
            fail_msg("link %d not printed whole: %s\n%s", i, urls[i], text);
    }
    assert_int_equal(count(text, "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)"), 9);
    assert_int_equal(count(text, "ตอบได้ถึง 31 ม.ค. 2570"), 9);
    assert_int_equal(count(text, "ลิงก์นี้ใช้ได้ครั้งเดียวและเป็นของท่านเท่านั้น"), 9);
    /* each says the link is on several lines and is typed as one */
    assert_int_equal(count(text, "ลิงก์แบ่ง 2 บรรทัด พิมพ์ต่อกันโดยไม่เว้นวรรค"), 8);
    assert_int_equal(count(text, "ลิงก์แบ่ง 3 บรรทัด พิมพ์ต่อกันโดยไม่เว้นวรรค"), 1);

    snprintf(cmd, sizeof cmd, "pdffonts '%s'", path);
    const char *fonts = run(cmd);
    assert_non_null(strstr(fonts, "DejaVuSansMono"));
    assert_true(strstr(fonts, "Laksaman") || strstr(fonts, "Sarabun") || strstr(fonts, "Garuda") ||
                strstr(fonts, "Loma"));

    /* page 1 as PNG for looking; its first code decodes to the first link */
    snprintf(cmd, sizeof cmd,
             "rm -f '%s'/nine-*.png && pdftoppm -r 150 -png -f 1 -l 1 '%s' '%s/nine' && "
             "pdftoppm -r 300 -png -f 1 -l 1 -x 0 -y 0 -W 1240 -H 877 '%s' '%s/first'",
             outdir(), path, outdir(), path, outdir());
    run(cmd);
    snprintf(cmd, sizeof cmd, "zbarimg --raw -q '%s'/first-1.png", outdir());
    const char *code = run(cmd);
    assert_non_null(strstr(code, urls[0]));
}

static void test_long_name_ellipsized(void **state)
{
    (void)state;
    char name[2048] = "", unit[2048] = "";
    for (int i = 0; i < 30; i++)
        strcat(name, "ชื่อยาวมากเป็นพิเศษ");
    strcat(name, "ท้ายสุด");
    for (int i = 0; i < 20; i++)
        strcat(unit, "กองยุทธศาสตร์และงบประมาณ");
    struct slip_sheet sheet = SHEET;
    char agency[1024] = "";
    for (int i = 0; i < 10; i++)
        strcat(agency, "องค์การบริหารส่วนจังหวัด");
    sheet.agency_th = agency;
    sheet.instrument = "EIT";
    struct slip s[2] = {
        {name, unit, "https://ita.example.go.th/t/abcdefghijklmnopqrstuvwxyzABCDEF"},
        {"สมชาย ใจดี", "", "https://ita.example.go.th/t/ABCDEFabcdefghijklmnopqrstuvwxyz"},
    };
    const char *path = write_pdf(&sheet, s, 2, "long.pdf");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "pdftotext -raw '%s' -", path);
    const char *text = run(cmd);
    assert_null(strstr(text, "ท้ายสุด")); /* cut... */
    assert_non_null(strstr(text, "…")); /* ...and said so */
    assert_non_null(strstr(text, "สมชาย ใจดี"));
    assert_non_null(strstr(text, "ภายนอก (EIT)"));
    /* nothing of slip 1 reaches into slip 2's area (right column, first row): the long name's
     * text is all left of the cut line at x = 297.6 pt */
    snprintf(cmd, sizeof cmd,
             "pdftotext -raw -x 298 -y 0 -W 298 -H 210 '%s' - | grep -c 'ชื่อยาว' || true", path);
    assert_string_equal(run(cmd), "0\n");
    snprintf(cmd, sizeof cmd,
             "pdftotext -raw -x 0 -y 211 -W 298 -H 210 '%s' - | grep -c 'ชื่อยาว\\|กองยุทธ' || true",
             path);
    assert_string_equal(run(cmd), "0\n");
    snprintf(cmd, sizeof cmd, "rm -f '%s'/long-*.png && pdftoppm -r 100 -png '%s' '%s/long'",
             outdir(), path, outdir());
    run(cmd);
}

static void test_no_slips(void **state)
{
    (void)state;
    struct strbuf b;
    strbuf_init(&b);
    char err[256] = "";
    assert_int_equal(slips_pdf(&SHEET, NULL, 0, &b, err, sizeof err), -1);
    assert_int_equal(b.len, 0);
    assert_true(err[0] != '\0');
    strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nine_slips),
        cmocka_unit_test(test_long_name_ellipsized),
        cmocka_unit_test(test_no_slips),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    poster_cleanup(); /* the font machinery's process-wide caches (LeakSanitizer) */
    return rc;
}
