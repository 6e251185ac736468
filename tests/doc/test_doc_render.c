/* The PDF and DOCX writers of the document model, read back with real tools: a Thai document
 * with titles, headings, paragraphs, bullets, a 150-row table with a total row, a bar chart with a
 * reference line and a page break. The PDF (poppler's pdftotext, pdffonts, pdfinfo): every row
 * and Thai string present, the table header on every page the table spans, only embedded fonts,
 * the title, "หน้า n จาก m" footers, no heading as the last line of a page. The DOCX: the zip
 * tests whole (unzip -t), every part is well-formed XML (xmllint), and LibreOffice converts it to
 * a PDF holding the same texts. Both writers from four threads at once give the same files.
 * Pages are rendered to PNG (pdftoppm) in test-output/doc/ for looking.
 *
 * PDF text is read with `pdftotext -raw` (the order it was drawn in): -layout sorts glyphs by
 * position and so moves Thai marks above a tall consonant onto a line of their own or after a
 * space (it does the same to LibreOffice's own PDFs), and lines wrap at different places in the
 * two writers, so strings are compared with spaces and line breaks left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "doc.h"
#include "doc_docx.h"
#include "doc_pdf.h"
#include "testlib.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define ROWS 150
#define BIG (4 << 20)

static const char *const thai_strings[] = {
    "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส",
    "ผู้รับผิดชอบ",
    "กำหนดมาตรการส่งเสริมคุณธรรม",
    "สำนักปลัดเทศบาล",
    "เกณฑ์ผ่าน 85 คะแนน",
    "ภาคผนวก",
    "ข้อเสนอแนะ ปี 2567",
};

static const char *const units[] = {"สำนักปลัดเทศบาล", "สำนักการคลัง", "กองวิชาการและแผนงาน", "กองช่าง",
                                    "ทุกหน่วยงาน"};

/* The headings of the many short sections, so that some fall near the foot of a page. */
static void section_heading(char *buf, size_t len, int i)
{
    snprintf(buf, len, "หัวข้อย่อยที่ %d การเปิดเผยข้อมูล", i);
}

/* The test document; extra_rows adds rows to the big table (for the timing of a longer one). */
static struct doc *sample(size_t extra_rows)
{
    struct doc *d = doc_new("รายงาน O42 เทศบาลตำบลตัวอย่าง");
    doc_title(d, "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส");
    doc_title(d, "ในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. 2566");
    doc_heading(d, 1, "1. วัตถุประสงค์");
    doc_paragraph(d, "เพื่อให้หน่วยงานได้ทราบผลการประเมินและนำข้อเสนอแนะไปปรับปรุงการดำเนินงาน "
                     "กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                     "ให้มีประสิทธิภาพยิ่งขึ้นในปีงบประมาณถัดไป และเพื่อเผยแพร่ผลการวิเคราะห์ให้"
                     "บุคลากรและประชาชนทั่วไปได้รับทราบอย่างทั่วถึง");
    doc_bullet(d, "เพื่อวิเคราะห์ผลคะแนนรายตัวชี้วัด");
    doc_bullet(d, "เพื่อจัดทำข้อเสนอแนะและมาตรการที่เป็นรูปธรรม ซึ่งเป็นรายการยาวที่ต้องขึ้นบรรทัดใหม่"
                  "เพื่อทดสอบการเยื้องแบบแขวนของรายการสัญลักษณ์หัวข้อย่อยในเอกสาร");
    doc_bullet(d, "เพื่อติดตามผลการดำเนินงาน");
    for (int i = 1; i <= 24; i++) {
        char h[128];
        section_heading(h, sizeof h, i);
        doc_heading(d, 2, h);
        struct strbuf p;
        strbuf_init(&p);
        for (int k = 0; k < 1 + (i * 7) % 5; k++)
            strbuf_puts(&p, "หน่วยงานมีการเปิดเผยข้อมูลข่าวสารที่เป็นปัจจุบันบนเว็บไซต์ "
                            "ครบถ้วนตามองค์ประกอบด้านข้อมูลที่กำหนด ");
        doc_paragraph(d, p.data);
        strbuf_free(&p);
    }
    doc_heading(d, 1, "2. ตารางผู้รับผิดชอบ");
    static const char *const head[] = {"ลำดับ", "รายการ", "ผู้รับผิดชอบ", "คะแนน"};
    static const double width[] = {1, 5, 3, 1.4};
    struct doc_table *t = doc_table(d, "ตารางที่ 1 รายการและหน่วยงานผู้รับผิดชอบ", 4, head, width);
    t->numeric[0] = t->numeric[3] = true;
    t->bold_last_row = true;
    double sum = 0;
    for (size_t r = 1; r <= ROWS + extra_rows; r++) {
        char no[16], item[320], score[16];
        snprintf(no, sizeof no, "%zu", r);
        /* every few rows a long item, so that cells wrap */
        snprintf(item, sizeof item, "แถว%03zu การเปิดเผยข้อมูล%s", r,
                 r % 7 == 0 ? " รายละเอียดยาวที่ต้องตัดบรรทัดภายในช่องของตารางให้ถูกต้องตามคำ" : "");
        snprintf(score, sizeof score, "%.2f", 50 + (double)(r * 37 % 50));
        sum += 50 + (double)(r * 37 % 50);
        const char *row[] = {no, item, units[r % 5], score};
        doc_table_row(t, row);
    }
    char total[32];
    snprintf(total, sizeof total, "%.2f", sum);
    const char *last[] = {"", "รวมทั้งสิ้น", "", total};
    doc_table_row(t, last);
    doc_heading(d, 1, "3. คะแนนรายตัวชี้วัด");
    struct doc_bars *b = doc_bars(d, "คะแนนรายตัวชี้วัด ปี 2566", 100);
    static const char *const ind[] = {
        "การปฏิบัติหน้าที่",        "การใช้งบประมาณ",    "การใช้อำนาจ",        "การใช้ทรัพย์สินของราชการ",
        "การแก้ไขปัญหาการทุจริต", "คุณภาพการดำเนินงาน", "ประสิทธิภาพการสื่อสาร", "การปรับปรุงการทำงาน",
        "การเปิดเผยข้อมูล",      "การป้องกันการทุจริต"};
    for (int i = 0; i < 10; i++) {
        char v[16];
        double value = 100 - i * 4.5;
        snprintf(v, sizeof v, "%.2f", value);
        doc_bars_add(b, ind[i], value, v);
    }
    doc_bars_ref(b, 85, "เกณฑ์ผ่าน 85 คะแนน");
    doc_paragraph(d, "ข้อเสนอแนะ ปี 2567: ควรเผยแพร่ข้อมูลให้ครบถ้วน\nและปรับปรุงช่องทางการสื่อสาร");
    doc_page_break(d);
    doc_heading(d, 1, "ภาคผนวก");
    doc_paragraph(d, "เอกสารนี้จัดทำโดยระบบ ITA & <ตัวอักษรพิเศษ> \"ทดสอบ\"");
    return d;
}

/* ---- files and tools ---- */

static const char *outdir(void)
{
    static char dir[512];
    snprintf(dir, sizeof dir, "%s/../test-output", t_env("ITA_TEST_TMP"));
    mkdir(t_env("ITA_TEST_TMP"), 0755);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/../test-output/doc", t_env("ITA_TEST_TMP"));
    mkdir(dir, 0755);
    return dir;
}

static void write_file(const char *path, const struct strbuf *b)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    assert_int_equal(fclose(f), 0);
}

/* Runs cmd; its standard output in a buffer the caller frees. *rc gets the exit status. */
static char *run(const char *cmd, int *rc)
{
    char *out = malloc(BIG);
    assert_non_null(out);
    *rc = t_run_capture(cmd, out, BIG);
    return out;
}

/* text without spaces and line breaks (form feeds kept): lines wrap at different places in the
 * two writers, and a wrapped line's space may or may not come out */
static char *squeeze(const char *text)
{
    char *o = strdup(text), *w = o;
    for (const char *r = text; *r; r++)
        if (*r != ' ' && *r != '\n')
            *w++ = *r;
    *w = '\0';
    return o;
}

/* Whether text holds needle, spaces and line breaks aside. */
static bool has(const char *text, const char *needle)
{
    char *t = squeeze(text), *n = squeeze(needle);
    bool found = strstr(t, n) != NULL;
    free(t);
    free(n);
    return found;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* The text of one page of pdftotext's output (pages end in form feeds), in a new string. */
static char *page_text(const char *all, int page)
{
    const char *p = all;
    for (int i = 1; i < page && p; i++) {
        p = strchr(p, '\f');
        if (p)
            p++;
    }
    if (!p)
        return strdup("");
    const char *e = strchr(p, '\f');
    return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

static int page_count(const char *all)
{
    int n = count(all, "\f");
    return n ? n : 1;
}

/* The table's checks on a PDF's text: every row, the header on each page that holds rows. */
static void check_table_text(const char *text, const char *what)
{
    for (int r = 1; r <= ROWS; r++) {
        char tok[16];
        snprintf(tok, sizeof tok, "แถว%03d", r);
        if (!has(text, tok))
            fail_msg("%s: row %s is missing", what, tok);
    }
    assert_true(has(text, "รวมทั้งสิ้น"));
    int pages = page_count(text), spanned = 0;
    for (int pg = 1; pg <= pages; pg++) {
        char *pt = page_text(text, pg);
        if (has(pt, "แถว") || has(pt, "รวมทั้งสิ้น")) {
            spanned++;
            if (!has(pt, "ผู้รับผิดชอบ") || !has(pt, "คะแนน"))
                fail_msg("%s: page %d holds table rows but not the header", what, pg);
        }
        free(pt);
    }
    printf("# %s: the table spans %d pages, its header on each\n", what, spanned);
    assert_true(spanned >= 2);
}

/* ---- tests ---- */

static void test_pdf(void **state)
{
    (void)state;
    struct doc *d = sample(0);
    struct strbuf pdf;
    strbuf_init(&pdf);
    char *err = NULL;
    assert_int_equal(doc_write_pdf(d, &pdf, &err), 0);
    assert_null(err);
    assert_memory_equal(pdf.data, "%PDF-", 5);
    char path[600], cmd[2048];
    snprintf(path, sizeof path, "%s/sample.pdf", outdir());
    write_file(path, &pdf);

    int rc;
    snprintf(cmd, sizeof cmd, "pdftotext -raw '%s' -", path);
    char *text = run(cmd, &rc);
    assert_int_equal(rc, 0);
    for (size_t i = 0; i < sizeof thai_strings / sizeof thai_strings[0]; i++)
        if (!has(text, thai_strings[i]))
            fail_msg("PDF: \"%s\" is missing", thai_strings[i]);
    assert_true(has(text, "ITA & <ตัวอักษรพิเศษ> \"ทดสอบ\""));
    check_table_text(text, "PDF");
    int pages = page_count(text);
    assert_true(pages > 1);

    /* footers: "หน้า n จาก m" on every page */
    for (int pg = 1; pg <= pages; pg++) {
        char want[64];
        snprintf(want, sizeof want, "หน้า %d จาก %d", pg, pages);
        char *pt = page_text(text, pg);
        if (!has(pt, want))
            fail_msg("PDF page %d has no footer \"%s\"", pg, want);
        free(pt);
    }

    /* no heading is the last line of a page: the line after each heading is on its page */
    for (int pg = 1; pg <= pages; pg++) {
        char *pt = page_text(text, pg);
        /* the last line before the footer */
        char *foot = NULL;
        for (char *f = pt; (f = strstr(f, "หน้า ")) != NULL; f++)
            foot = f;
        assert_non_null(foot);
        *foot = '\0';
        char *end = foot;
        while (end > pt && (end[-1] == '\n' || end[-1] == ' '))
            *--end = '\0';
        char *last = strrchr(pt, '\n');
        last = last ? last + 1 : pt;
        if (has(last, "หัวข้อย่อยที่") || has(last, "2. ตาราง") || has(last, "3. คะแนน"))
            fail_msg("PDF page %d ends with the heading \"%s\"", pg, last);
        free(pt);
    }
    /* the page break: the appendix starts a page */
    char *lastpage = page_text(text, pages);
    assert_true(has(lastpage, "ภาคผนวก"));
    assert_false(has(lastpage, "ข้อเสนอแนะ ปี 2567"));
    free(lastpage);

    snprintf(cmd, sizeof cmd, "pdffonts '%s'", path);
    char *fonts = run(cmd, &rc);
    assert_int_equal(rc, 0);
    printf("# pdffonts:\n%s", fonts);
    /* the "emb" column (the fourth group of dashes under the header) says yes on every line */
    char *dashes = strchr(fonts, '\n') + 1;
    size_t col = 0, group = 0;
    for (size_t i = 0; dashes[i] && dashes[i] != '\n'; i++)
        if (dashes[i] == '-' && (i == 0 || dashes[i - 1] == ' ') && ++group == 4)
            col = i;
    assert_true(col > 0);
    int font_lines = 0;
    for (char *line = strchr(dashes, '\n') + 1; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strlen(line) < col + 3 || strncmp(line + col, "yes", 3) != 0)
            fail_msg("a font is not embedded: %s", line);
        font_lines++;
        if (!nl)
            break;
        line = nl + 1;
    }
    assert_true(font_lines >= 1);
    free(fonts);

    snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
    char *info = run(cmd, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(info, "รายงาน O42 เทศบาลตำบลตัวอย่าง"));
    assert_non_null(strstr(info, "595.276 x 841.89 pts (A4)"));
    free(info);

    /* pages as PNG for looking */
    snprintf(cmd, sizeof cmd, "rm -f '%s'/pdf-page-*.png && pdftoppm -r 60 -png '%s' '%s/pdf-page'",
             outdir(), path, outdir());
    assert_int_equal(system(cmd), 0);
    printf("# PDF: %d pages, %zu bytes; pages as PNG in %s\n", pages, pdf.len, outdir());

    free(text);
    strbuf_free(&pdf);
    doc_free(d);
}

static void test_docx(void **state)
{
    (void)state;
    struct doc *d = sample(0);
    struct strbuf docx;
    strbuf_init(&docx);
    char *err = NULL;
    assert_int_equal(doc_write_docx(d, &docx, &err), 0);
    assert_null(err);
    assert_memory_equal(docx.data, "PK\x03\x04", 4);
    char path[600], cmd[4096], dir[600];
    snprintf(path, sizeof path, "%s/sample.docx", outdir());
    write_file(path, &docx);
    snprintf(dir, sizeof dir, "%s", t_tmpdir("docx"));

    int rc;
    snprintf(cmd, sizeof cmd, "unzip -t '%s'", path);
    char *o = run(cmd, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(o, "No errors detected"));
    free(o);
    static const char *const parts[] = {"[Content_Types].xml", "_rels/.rels",
                                        "word/document.xml",   "word/_rels/document.xml.rels",
                                        "word/styles.xml",     "word/numbering.xml",
                                        "word/footer1.xml",    "docProps/core.xml",
                                        "docProps/app.xml"};
    snprintf(cmd, sizeof cmd, "cd '%s' && unzip -q -o '%s' -d parts", dir, path);
    assert_int_equal(system(cmd), 0);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        snprintf(cmd, sizeof cmd, "xmllint --noout '%s/parts/%s' 2>&1", dir, parts[i]);
        o = run(cmd, &rc);
        if (rc != 0)
            fail_msg("%s is not well-formed: %s", parts[i], o);
        free(o);
    }
    snprintf(cmd, sizeof cmd, "cat '%s/parts/word/document.xml'", dir);
    char *xml = run(cmd, &rc);
    assert_int_equal(count(xml, "<w:tblHeader/>"), 1);
    assert_true(count(xml, "<w:cantSplit/>") >= ROWS + 2);
    assert_non_null(strstr(xml, "<w:br w:type=\"page\"/>"));
    assert_non_null(strstr(xml, "ITA &amp; &lt;ตัวอักษรพิเศษ&gt; &quot;ทดสอบ&quot;"));
    assert_non_null(strstr(xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    free(xml);
    snprintf(cmd, sizeof cmd, "cat '%s/parts/docProps/core.xml'", dir);
    xml = run(cmd, &rc);
    assert_non_null(strstr(xml, "<dc:title>รายงาน O42 เทศบาลตำบลตัวอย่าง</dc:title>"));
    free(xml);

    /* LibreOffice opens it: converted to PDF, the same texts (CI installs LibreOffice; its
     * absence fails the test) */
    o = run("command -v soffice", &rc);
    free(o);
    if (rc != 0)
        fail_msg(
            "soffice (LibreOffice) is not installed: apt-get install libreoffice-writer-nogui");
    long long t0 = t_now_ms();
    snprintf(cmd, sizeof cmd,
             "cd '%s' && timeout 120 soffice --headless --norestore "
             "'-env:UserInstallation=file://%s/lo' --convert-to pdf --outdir '%s' '%s' "
             ">'%s/soffice.log' 2>&1",
             dir, dir, dir, path, dir);
    rc = system(cmd);
    if (rc != 0)
        fail_msg("soffice failed (%d): see %s/soffice.log", rc, dir);
    printf("# LibreOffice converted the DOCX in %lld ms\n", t_now_ms() - t0);
    snprintf(cmd, sizeof cmd, "pdftotext -raw '%s/sample.pdf' -", dir);
    char *text = run(cmd, &rc);
    assert_int_equal(rc, 0);
    for (size_t i = 0; i < sizeof thai_strings / sizeof thai_strings[0]; i++)
        if (!has(text, thai_strings[i]))
            fail_msg("DOCX via LibreOffice: \"%s\" is missing", thai_strings[i]);
    for (int i = 1; i <= 24; i++) {
        char h[128];
        section_heading(h, sizeof h, i);
        assert_true(has(text, h));
    }
    check_table_text(text, "DOCX via LibreOffice");
    int pages = page_count(text);
    char want[64];
    snprintf(want, sizeof want, "หน้า %d จาก %d", pages, pages);
    assert_true(has(text, want));
    snprintf(cmd, sizeof cmd,
             "cp '%s/sample.pdf' '%s/docx-via-libreoffice.pdf' && rm -f '%s'/docx-page-*.png && "
             "pdftoppm -r 60 -png '%s/sample.pdf' '%s/docx-page'",
             dir, outdir(), outdir(), dir, outdir());
    assert_int_equal(system(cmd), 0);
    printf("# DOCX: %zu bytes, %d pages in LibreOffice\n", docx.len, pages);
    free(text);
    strbuf_free(&docx);
    doc_free(d);
}

/* Things taller than a page: a paragraph of 90 lines, a table row whose cell holds 120 lines, a
 * chart of 70 bars. Nothing is lost, the row continues under a repeated header, the chart goes
 * on over pages. */
static void test_overflow(void **state)
{
    (void)state;
    struct doc *d = doc_new("ยาวเกินหน้า");
    doc_heading(d, 1, "ย่อหน้ายาว");
    struct strbuf para, cell;
    strbuf_init(&para);
    strbuf_init(&cell);
    for (int i = 1; i <= 90; i++)
        strbuf_printf(&para, "%sย่อหน้าบรรทัด%02d", i > 1 ? "\n" : "", i);
    doc_paragraph(d, para.data);
    for (int i = 1; i <= 120; i++)
        strbuf_printf(&cell, "%sช่องบรรทัด%03d", i > 1 ? "\n" : "", i);
    static const char *const head[] = {"หัวช่องซ้าย", "หัวช่องขวา"};
    struct doc_table *t = doc_table(d, "ตารางแถวสูง", 2, head, NULL);
    const char *r1[] = {"ก่อนแถวสูง", "1"};
    const char *r2[] = {cell.data, "แถวสูง"};
    const char *r3[] = {"หลังแถวสูง", "3"};
    doc_table_row(t, r1);
    doc_table_row(t, r2);
    doc_table_row(t, r3);
    struct doc_bars *b = doc_bars(d, "แผนภูมิยาว", 100);
    doc_bars_ref(b, 50, "ครึ่งหนึ่ง");
    for (int i = 1; i <= 70; i++) {
        char label[32], v[16];
        snprintf(label, sizeof label, "แท่งที่%02d", i);
        snprintf(v, sizeof v, "%d.00", i);
        doc_bars_add(b, label, i, v);
    }
    struct strbuf pdf;
    strbuf_init(&pdf);
    char *err = NULL;
    assert_int_equal(doc_write_pdf(d, &pdf, &err), 0);
    char path[600], cmd[1024];
    snprintf(path, sizeof path, "%s/overflow.pdf", outdir());
    write_file(path, &pdf);
    int rc;
    snprintf(cmd, sizeof cmd, "pdftotext -raw '%s' -", path);
    char *text = run(cmd, &rc);
    assert_int_equal(rc, 0);
    for (int i = 1; i <= 90; i++) {
        char tok[64];
        snprintf(tok, sizeof tok, "ย่อหน้าบรรทัด%02d", i);
        if (count(text, tok) != 1)
            fail_msg("%s appears %d times", tok, count(text, tok));
    }
    int pages = page_count(text), row_pages = 0;
    for (int i = 1; i <= 120; i++) {
        char tok[64];
        snprintf(tok, sizeof tok, "ช่องบรรทัด%03d", i);
        if (count(text, tok) != 1)
            fail_msg("%s appears %d times", tok, count(text, tok));
    }
    for (int pg = 1; pg <= pages; pg++) {
        char *pt = page_text(text, pg);
        if (strstr(pt, "ช่องบรรทัด")) {
            row_pages++;
            if (!has(pt, "หัวช่องซ้าย"))
                fail_msg("page %d continues the tall row without the header", pg);
        }
        free(pt);
    }
    assert_true(row_pages >= 2);
    for (int i = 1; i <= 70; i++) {
        char tok[64];
        snprintf(tok, sizeof tok, "แท่งที่%02d", i);
        assert_int_equal(count(text, tok), 1);
    }
    assert_true(has(text, "หลังแถวสูง"));
    snprintf(cmd, sizeof cmd, "rm -f '%s'/overflow-*.png && pdftoppm -r 60 -png '%s' '%s/overflow'",
             outdir(), path, outdir());
    assert_int_equal(system(cmd), 0);
    printf("# overflow: %d pages, the tall row over %d\n", pages, row_pages);
    free(text);
    strbuf_free(&pdf);
    strbuf_free(&para);
    strbuf_free(&cell);
    doc_free(d);
}

/* ---- several threads at once ---- */

struct job {
    const struct doc *d;
    struct strbuf pdf, docx;
    int rc;
};

static void *job_run(void *arg)
{
    struct job *j = arg;
    char *err = NULL;
    j->rc = doc_write_pdf(j->d, &j->pdf, &err) | doc_write_docx(j->d, &j->docx, &err);
    free(err);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    struct doc *d = sample(0);
    struct job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].d = d;
        strbuf_init(&jobs[i].pdf);
        strbuf_init(&jobs[i].docx);
        assert_int_equal(pthread_create(&th[i], NULL, job_run, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(jobs[i].rc, 0);
        /* DOCX bytes are the same; the PDFs differ only in their creation time */
        assert_int_equal(jobs[i].docx.len, jobs[0].docx.len);
        assert_memory_equal(jobs[i].docx.data, jobs[0].docx.data, jobs[0].docx.len);
        assert_int_equal(jobs[i].pdf.len, jobs[0].pdf.len);
    }
    for (int i = 0; i < 4; i++) {
        strbuf_free(&jobs[i].pdf);
        strbuf_free(&jobs[i].docx);
    }
    doc_free(d);
}

/* The time to write a document of about 20 pages, printed for the README. */
static void test_timing(void **state)
{
    (void)state;
    struct doc *d = sample(260);
    struct strbuf pdf, docx;
    strbuf_init(&pdf);
    strbuf_init(&docx);
    char *err = NULL;
    struct timespec a, b, c;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(doc_write_pdf(d, &pdf, &err), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    assert_int_equal(doc_write_docx(d, &docx, &err), 0);
    clock_gettime(CLOCK_MONOTONIC, &c);
    char path[600], cmd[1024];
    snprintf(path, sizeof path, "%s/long.pdf", outdir());
    write_file(path, &pdf);
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' | grep '^Pages:'", path);
    int rc;
    char *o = run(cmd, &rc);
    assert_int_equal(rc, 0);
    int pages = atoi(o + strlen("Pages:"));
    assert_true(pages >= 18);
    printf("# a %d-page document: PDF %.0f ms (%zu bytes), DOCX %.0f ms (%zu bytes)\n", pages,
           (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6, pdf.len,
           (c.tv_sec - b.tv_sec) * 1e3 + (c.tv_nsec - b.tv_nsec) / 1e6, docx.len);
    free(o);
    strbuf_free(&pdf);
    strbuf_free(&docx);
    doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdf),      cmocka_unit_test(test_docx),
        cmocka_unit_test(test_overflow), cmocka_unit_test(test_threads),
        cmocka_unit_test(test_timing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
