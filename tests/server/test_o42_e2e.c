/* The seed reproduced (issue #17): the municipality's FY2565 result as stored in agency_result
 * (95.82 = IIT 90.42, EIT 95.65, OIT 100; the ten indicators), its two measures, the FY2566
 * instrument and the seed's responsible units assigned to the 43 OIT items of 2566; the real
 * itad answers /admin/report.pdf and /admin/report.docx; pdftotext of the PDF, and of the DOCX
 * converted by LibreOffice (soffice --headless), holds every seed section heading with the seed's
 * figures and the OIT table O1-O43 with their units. The PDF pages are rendered to PNG
 * (pdftoppm -r 60) in the test's folder for a look. Also: the texts form saves (objectives
 * printed in the next PDF, audit row written), a bad question code is refused in Thai, another
 * agency's report answers 404, and a year without any instrument version answers 404. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testlib.h"

#include <ctype.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct t_server srv;
static int port;
static char conninfo[512];
static char body[1 << 23];
static size_t body_len;
static char head[8192];
static char cookie_sys[64], cookie_other[64];
static char agency[16], other[16];
static char outdir[512];

/* GET path with the session cookie; the body (a PDF of a few hundred kilobytes, beyond testlib's
 * reader) lands in body, the header in head. Returns the status, -1 when nothing came. */
static int get(const char *path, const char *cookie)
{
    struct t_conn c;
    if (!t_connect(&c, port, NULL, 0))
        return -1;
    char req[1024];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: localhost:%d\r\nCookie: ita_admin=%s\r\n"
                     "Connection: close\r\n\r\n",
                     path, port, cookie);
    static char buf[sizeof body + 8192];
    size_t got = 0;
    long long deadline = t_now_ms() + 60000;
    if (t_send(&c, req, (size_t)n)) {
        while (got < sizeof buf - 1 && t_now_ms() < deadline) {
            int r = SSL_read(c.ssl, buf + got, (int)(sizeof buf - 1 - got));
            if (r > 0) {
                got += (size_t)r;
                continue;
            }
            int e = SSL_get_error(c.ssl, r);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
                break;
            struct pollfd pfd = {.fd = c.fd, .events = POLLIN};
            (void)poll(&pfd, 1, 100);
        }
    }
    t_close(&c);
    buf[got] = '\0';
    int status = -1;
    char *sep = strstr(buf, "\r\n\r\n");
    if (!sep || sscanf(buf, "HTTP/1.1 %d", &status) != 1)
        return -1;
    size_t hl = (size_t)(sep - buf);
    hl = hl < sizeof head - 1 ? hl : sizeof head - 1;
    memcpy(head, buf, hl);
    head[hl] = '\0';
    body_len = got - (size_t)(sep + 4 - buf);
    memcpy(body, sep + 4, body_len);
    body[body_len] = '\0';
    return status;
}

/* The seed's responsible units per OIT item of 2566 (its table หน่วยงานรับผิดชอบ), "|" between
 * two units of one item. */
static const char *const SEED_UNITS[43] = {
    "สำนักปลัดเทศบาล",
    "สำนักปลัดเทศบาล",
    "สำนักปลัดเทศบาล",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "ทุกหน่วยงาน",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "ทุกหน่วยงาน",
    "ทุกหน่วยงาน",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "ทุกหน่วยงานที่มีการให้บริการประชาชนผ่านระบบอิเล็กทรอนิกส์",
    "สำนักงานคลัง",
    "สำนักงานคลัง",
    "สำนักงานคลัง",
    "สำนักงานคลัง",
    "สำนักปลัดเทศบาล",
    "สำนักปลัดเทศบาล",
    "สำนักปลัดเทศบาล",
    "สำนักปลัดเทศบาล",
    "สำนักปลัดเทศบาล - ศูนย์ดำรงธรรม - ศูนย์รับเรื่องร้องเรียน",
    "สำนักปลัดเทศบาล (ศูนย์รับเรื่องร้องเรียน)|กองวิชาการและแผนงาน (ช่องทางเว็บไซต์)",
    "สำนักปลัดเทศบาล (ศูนย์รับเรื่องร้องเรียน)|กองวิชาการและแผนงาน (ช่องทางเว็บไซต์)",
    "กองวิชาการและแผนงาน",
    "สำนักปลัดเทศบาล",
    "สำนักปลัดเทศบาล",
    "สำนักปลัดเทศบาล",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
    "สำนักปลัดเทศบาล",
    "สำนักปลัดเทศบาล",
    "สำนักปลัดเทศบาล",
    "กองวิชาการและแผนงาน",
    "กองวิชาการและแผนงาน",
};

static void load_seed(void)
{
    t_db_exec(conninfo,
              "INSERT INTO agency (code, name_th) VALUES ('NKP01', 'เทศบาลนครนครปฐม'),"
              " ('OTHER', 'เทศบาลตำบลอื่น');"
              "INSERT INTO agency_result (agency_id, fiscal_year, total, iit, eit, oit, indicators,"
              " rating, source) SELECT id, 2565, 95.82, 90.42, 95.65, 100.00,"
              " '{94.56,88.13,90.81,88.09,90.53,96.03,96.20,94.74,100.00,100.00}', 'AA',"
              " 'entered' FROM agency WHERE code = 'NKP01';"
              "INSERT INTO improvement_measure (agency_id, fiscal_year, position, measure, method,"
              " responsible, period, follow_up) SELECT id, 2565, 1,"
              " 'มาตรการส่งเสริมความรู้เกี่ยวกับการใช้งบประมาณในเรื่องของแผนการใช้จ่ายงบประมาณ',"
              " 'ชี้แจงและประชาสัมพันธ์เกี่ยวกับแผนการใช้จ่ายงบประมาณตลอดจนระเบียบต่างๆ',"
              " 'สำนักการคลัง', 'ตลอดปีงบประมาณ', 'ติดตาม พร้อมจัดทำรายงานผลทุก 6 เดือน'"
              " FROM agency WHERE code = 'NKP01';"
              "INSERT INTO improvement_measure (agency_id, fiscal_year, position, measure, method,"
              " responsible, period, follow_up) SELECT id, 2565, 2,"
              " 'แนวทางปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของราชการ',"
              " 'จัดทำคู่มือแนวทางปฏิบัติการใช้ทรัพย์สินของทางราชการ', 'ทุกหน่วยงาน',"
              " 'ตลอดปีงบประมาณ', 'ติดตาม พร้อมจัดทำรายงานผลทุก 6 เดือน'"
              " FROM agency WHERE code = 'NKP01'",
              0, NULL);
    snprintf(agency, sizeof agency, "%s",
             t_db_value(conninfo, "SELECT id FROM agency WHERE code = 'NKP01'"));
    snprintf(other, sizeof other, "%s",
             t_db_value(conninfo, "SELECT id FROM agency WHERE code = 'OTHER'"));
    for (int i = 0; i < 43; i++) {
        char code[16], units[512];
        snprintf(code, sizeof code, "O%d", i + 1);
        snprintf(units, sizeof units, "%s", SEED_UNITS[i]);
        const char *p1[2] = {agency, code};
        t_db_exec(conninfo,
                  "INSERT INTO oit_item_work (agency_id, fiscal_year, item_code)"
                  " VALUES ($1::int, 2566, $2)",
                  2, p1);
        for (char *save = NULL, *u = strtok_r(units, "|", &save); u;
             u = strtok_r(NULL, "|", &save)) {
            const char *p[3] = {agency, code, u};
            t_db_exec(conninfo,
                      "WITH u AS (INSERT INTO org_unit (agency_id, name_th) VALUES ($1::int, $3)"
                      " ON CONFLICT (agency_id, name_th) DO UPDATE SET retired = false"
                      " RETURNING id)"
                      " INSERT INTO oit_assignment (agency_id, fiscal_year, item_code, unit_id)"
                      " SELECT $1::int, 2566, $2, id FROM u",
                      3, p);
        }
    }
}

static int setup(void **state)
{
    (void)state;
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_o42"));
    snprintf(outdir, sizeof outdir, "%s/o42", t_env("ITA_TEST_TMP"));
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", outdir, outdir);
    if (system(cmd) != 0)
        return -1;
    const char *extra[] = {"--workers=2", NULL};
    t_server_start(&srv, port, conninfo, extra);
    char path[512];
    if (t_load_instruments(conninfo, "2566", path, sizeof path) != 0)
        return -1;
    load_seed();
    t_make_admin(conninfo, "sys@example.go.th", "system", "NULL");
    t_make_admin(conninfo, "other@example.go.th", "agency", other);
    t_admin_login(port, "sys%40example.go.th", cookie_sys, body, sizeof body);
    t_admin_login(port, "other%40example.go.th", cookie_other, body, sizeof body);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

static void save_body(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", outdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(body, 1, body_len, f), body_len);
    fclose(f);
}

/* Thai marks above and below a letter (mai han-akat, sara i to phinthu, maitaikhu to yamakkan):
 * pdftotext orders glyphs by position, so a mark drawn over its letter may come out after the
 * next letter ("ตัวชีว้ ัด"); the texts are compared without them (and without white space, as
 * lines break anywhere). Returns the mark's length in bytes at s, 0 when s is not one. */
static size_t thai_mark(const unsigned char *s)
{
    if (s[0] != 0xE0)
        return 0;
    if (s[1] == 0xB8 && (s[2] == 0xB1 || (s[2] >= 0xB4 && s[2] <= 0xBA)))
        return 3;
    if (s[1] == 0xB9 && s[2] >= 0x87 && s[2] <= 0x8E)
        return 3;
    return 0;
}

static void squeeze(char *out, size_t size, const char *in)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)in;
    while (*p && n + 1 < size) {
        size_t m = thai_mark(p);
        if (m) {
            p += m;
            continue;
        }
        if (!isspace(*p))
            out[n++] = (char)*p;
        p++;
    }
    out[n] = '\0';
}

/* The text of a file, squeezed, malloc'd. */
static char *squeezed_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t cap = 1 << 20, n = 0;
    char *s = malloc(cap);
    size_t got;
    while ((got = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 >= cap)
            s = realloc(s, cap *= 2);
    }
    s[n] = '\0';
    fclose(f);
    char *out = malloc(n + 1);
    squeeze(out, n + 1, s);
    free(s);
    return out;
}

/* Every seed section and figure in text (squeezed); where: which file, for the message. */
static void check_seed_text(const char *text, const char *where)
{
    static const char *const want[] = {
        /* title block */
        "รายงานผลการวิเคราะห์การประเมินคุณธรรมและความโปร่งใส",
        "ในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. 2565",
        "เทศบาลนครนครปฐม",
        /* sections in the seed's order */
        "วัตถุประสงค์",
        "1. เพื่อประเมินผลระดับคุณธรรมและความโปร่งใสในการดำเนินงานของเทศบาลนครนครปฐม",
        "ประโยชน์ที่คาดว่าจะได้รับ",
        "1. เทศบาลนครนครปฐมมีความตระหนักในเรื่องคุณธรรมและความโปร่งใส",
        "หลักการพื้นฐาน",
        "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่",
        "ตัวชี้วัดที่ 10 การป้องกันการทุจริต",
        "เกณฑ์ระดับการประเมิน มี 7 ระดับ",
        "95 – 100",
        "ผลการประเมิน ITA ปีงบประมาณ พ.ศ. 2565",
        "มีคะแนนอยู่ที่ 95.82 คะแนน ระดับผลการประเมินอยู่ในระดับ AA",
        "คะแนนรายตัวชี้วัด เรียงจากคะแนนสูงสุด",
        "คะแนนสูงสุด 100.00 คะแนน คะแนนต่ำสุด 88.09 คะแนน",
        "ตารางแสดงค่าคะแนนการถ่วงน้ำหนักของเทศบาลนครนครปฐมตามเกณฑ์การประเมิน",
        "27.13",
        "28.69",
        "40.00",
        "95.82",
        "กราฟแสดงภาพรวมการเปรียบเทียบผลการประเมิน ITA รายปี",
        "แยกตามแบบวัดการรับรู้",
        "ผลการประเมินจากแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
        "ข้อเสนอแนะจากสำนักงาน ป.ป.ช. สำหรับการประเมินตามแบบวัด (IIT)",
        /* NACC's suggestions of the seed, the 2566 version's defaults for a stored result */
        "I20 หน่วยงานควรระบุขั้นตอนและแนวทางในการขอยืมทรัพย์สินของทางราชการ",
        "I23 หน่วยงานควรระบุขั้นตอนและแนวทางในการขอยืมทรัพย์สินของทางราชการ",
        "I24 หน่วยงานควรกำหนดแนวทางในการกำกับ ดูแล และตรวจสอบการใช้ทรัพย์สินของทางราชการ",
        "ผลการประเมินจากแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
        "ข้อเสนอแนะจากสำนักงาน ป.ป.ช. สำหรับการประเมินตามแบบวัด (EIT)",
        "E13 หน่วยงานควรนำเสนอผลงานที่แสดงให้เห็นถึงการปรับปรุง การพัฒนาขั้นตอนการดำเนินงาน",
        "E14 หน่วยงานควรเปิดโอกาสให้บุคคลภายนอก เข้ามามีส่วนร่วม",
        "E15 หน่วยงานควรนำเสนอผลงานที่แสดงให้เห็นถึงการปรับปรุง การพัฒนาคุณภาพดำเนินงาน",
        "ผลการประเมินจากแบบตรวจการเปิดเผยข้อมูลสาธารณะ",
        "ข้อเสนอแนะจากสำนักงาน ป.ป.ช. สำหรับการประเมินตามแบบวัด (OIT)",
        "แยกตามรายตัวชี้วัด",
        "กรอบการประเมิน 10 ตัวชี้วัด เชื่อมโยงกับ 3 เครื่องมือ",
        "การวิเคราะห์ประเด็นจุดอ่อนที่ต้องดำเนินการแก้ไขอย่างเร่งด่วน",
        "น้อยกว่าร้อยละ 90.00 มีจำนวน 2 ตัวชี้วัด",
        "ตัวชี้วัดที่ 2 การใช้งบประมาณ คะแนนเฉลี่ยร้อยละ 88.13",
        "ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ คะแนนเฉลี่ยร้อยละ 88.09",
        "มาตรการในการส่งเสริมและพัฒนา",
        "แนวทางปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของราชการ",
        "การวิเคราะห์ประเด็นที่ต้องพัฒนาให้ดียิ่งขึ้น",
        "แต่ไม่ถึงร้อยละ 95.00 มีจำนวน 4 ตัวชี้วัด",
        "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ คะแนนเฉลี่ยร้อยละ 94.56",
        "ตัวชี้วัดที่ 3 การใช้อำนาจ คะแนนเฉลี่ยร้อยละ 90.81",
        "ตัวชี้วัดที่ 5 การแก้ไขปัญหาการทุจริต คะแนนเฉลี่ยร้อยละ 90.53",
        "ตัวชี้วัดที่ 8",
        "คะแนนเฉลี่ยร้อยละ 94.74",
        "การวิเคราะห์ประเด็นที่ควรรักษามาตรฐานไว้",
        "ตั้งแต่ร้อยละ 95.00 ขึ้นไป มีจำนวน 4 ตัวชี้วัด",
        "มาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "เทศบาลนครนครปฐม ได้มอบหมายให้กองวิชาการและแผนงาน เป็นผู้รับผิดชอบหลัก",
        "ขั้นตอน ระยะเวลา และวิธีปฏิบัติ",
        "เตรียมการ",
        "ก.ย. 2565",
        "รายงานผล",
        "ประชาสัมพันธ์",
        "หน่วยงานที่รับผิดชอบเรื่อง แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)",
        "ตัวชี้วัดย่อยที่ 9.1",
        "องค์ประกอบด้านข้อมูล",
        "หน่วยงานรับผิดชอบ",
    };
    char needle[2048];
    const char *prev = text;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        squeeze(needle, sizeof needle, want[i]);
        if (!strstr(text, needle))
            fail_msg("%s: missing \"%s\"", where, want[i]);
        (void)prev;
    }
    /* the sections in the seed's order */
    static const char *const order[] = {
        "วัตถุประสงค์",
        "หลักการพื้นฐาน",
        "เกณฑ์ระดับการประเมิน",
        "ผลการประเมินITAปีงบประมาณ",
        "กราฟแสดงภาพรวม",
        "แยกตามแบบวัดการรับรู้",
        "แยกตามรายตัวชี้วัด",
        "การวิเคราะห์ประเด็นจุดอ่อน",
        "มาตรการในการส่งเสริมและพัฒนา",
        "การวิเคราะห์ประเด็นที่ต้องพัฒนา",
        "การวิเคราะห์ประเด็นที่ควรรักษา",
        "มาตรการเพื่อขับเคลื่อน",
        "ขั้นตอนระยะเวลาและวิธีปฏิบัติ",
        "หน่วยงานที่รับผิดชอบเรื่อง",
    };
    const char *at = text;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        squeeze(needle, sizeof needle, order[i]);
        const char *p = strstr(at, needle);
        if (!p)
            fail_msg("%s: \"%s\" not after the previous section", where, order[i]);
        at = p;
    }
}

/* One word of pdftotext -tsv. */
struct word {
    int page;
    double left, top;
    char text[256];
};

/* The OIT responsibility table of 2566 in pdf (in outdir): every item O1..O43 a row, and the
 * words of its row in the column headed หน่วยงานรับผิดชอบ are the seed's units of the item (read
 * from the words' positions: pdftotext's plain text interleaves the lines of a table's cells). */
static void check_oit_table(const char *pdf, const char *where)
{
    char cmd[2048], path[1024];
    snprintf(path, sizeof path, "%s/%s.tsv", outdir, pdf);
    snprintf(cmd, sizeof cmd, "pdftotext -tsv '%s/%s' '%s'", outdir, pdf, path);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = 0, cap = 4096;
    struct word *w = malloc(cap * sizeof *w);
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        int level, page;
        double left, top;
        char text[256];
        if (sscanf(line, "%d\t%d\t%*d\t%*d\t%*d\t%*d\t%lf\t%lf\t%*f\t%*f\t%*d\t%255[^\n]", &level,
                   &page, &left, &top, text) != 5 ||
            level != 5)
            continue;
        if (n == cap)
            w = realloc(w, (cap *= 2) * sizeof *w);
        w[n] = (struct word){page, left, top, ""};
        snprintf(w[n].text, sizeof w[n].text, "%s", text);
        n++;
    }
    fclose(f);
    /* rows: the words O1..O43 in the first column, after the table's heading */
    size_t row[44] = {0};
    int found = 0;
    char heading[256];
    squeeze(heading, sizeof heading, "หน่วยงานที่รับผิดชอบเรื่อง");
    size_t start = 0;
    for (; start < n; start++) {
        char sq[256];
        squeeze(sq, sizeof sq, w[start].text);
        if (strstr(sq, heading) || strncmp(heading, sq, strlen(sq)) == 0)
            break;
    }
    for (size_t i = start; i < n && found < 43; i++) {
        char code[16];
        snprintf(code, sizeof code, "O%d", found + 1);
        if (strcmp(w[i].text, code) == 0)
            row[++found] = i;
    }
    if (found != 43)
        fail_msg("%s: the OIT table has items up to O%d only", where, found);
    char units_head[64];
    squeeze(units_head, sizeof units_head, "หน่วยงานรับผิด");
    for (int k = 1; k <= 43; k++) {
        const struct word *c = &w[row[k]];
        /* the units column starts where, on the first lines of the rows of this page, words
           start again and again furthest right (cells are left-aligned with the same padding) */
        int rows_here = 0;
        for (int r = 1; r <= 43; r++)
            rows_here += w[row[r]].page == c->page;
        double col = -1;
        for (size_t i = 0; i < n; i++) {
            if (w[i].page != c->page || w[i].left <= col)
                continue;
            int same = 0;
            for (int r = 1; r <= 43; r++) {
                const struct word *o = &w[row[r]];
                if (o->page != c->page)
                    continue;
                for (size_t j = 0; j < n; j++)
                    if (w[j].page == o->page && w[j].top > o->top - 1 && w[j].top < o->top + 1 &&
                        w[j].left > w[i].left - 0.5 && w[j].left < w[i].left + 0.5) {
                        same++;
                        break;
                    }
            }
            if (same * 2 >= rows_here + 1 && w[i].left > 200)
                col = w[i].left;
        }
        if (col < 0)
            fail_msg("%s: no units column for O%d", where, k);
        /* down to the next row, or the header of the next table */
        double bottom = 1e9;
        if (k < 43 && w[row[k + 1]].page == c->page)
            bottom = w[row[k + 1]].top;
        for (size_t i = 0; i < n; i++) {
            char sq[256];
            squeeze(sq, sizeof sq, w[i].text);
            if (w[i].page == c->page && w[i].top > c->top + 1 && w[i].top < bottom &&
                strncmp(sq, units_head, strlen(units_head)) == 0)
                bottom = w[i].top;
        }
        /* the row's words in that column, line by line, left to right */
        char got[2048] = "";
        size_t gl = 0;
        double at_line = c->top - 4;
        for (;;) {
            double next = 1e9; /* the next line's top */
            for (size_t i = 0; i < n; i++)
                if (w[i].page == c->page && w[i].left >= col - 1 && w[i].top >= at_line &&
                    w[i].top < bottom - 4 && w[i].top < next)
                    next = w[i].top;
            if (next >= 1e9)
                break;
            for (double x = -1;;) {
                const struct word *first = NULL;
                for (size_t i = 0; i < n; i++)
                    if (w[i].page == c->page && w[i].left >= col - 1 && w[i].left > x &&
                        w[i].top > next - 0.5 && w[i].top < next + 0.5 &&
                        (!first || w[i].left < first->left))
                        first = &w[i];
                if (!first)
                    break;
                gl += (size_t)snprintf(got + gl, sizeof got - gl, "%s", first->text);
                x = first->left;
            }
            at_line = next + 0.5;
        }
        char want[1024], sq_got[2048];
        squeeze(want, sizeof want, SEED_UNITS[k - 1]);
        for (char *bar; (bar = strchr(want, '|')) != NULL;)
            memmove(bar, bar + 1, strlen(bar));
        squeeze(sq_got, sizeof sq_got, got);
        if (strcmp(sq_got, want) != 0)
            fail_msg("%s: O%d's units are \"%s\", the seed has \"%s\"", where, k, got,
                     SEED_UNITS[k - 1]);
    }
    free(w);
}

static char *pdf_text(const char *pdf, const char *txt)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s/%s' '%s/%s'", outdir, pdf, outdir, txt);
    assert_int_equal(system(cmd), 0);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", outdir, txt);
    return squeezed_file(path);
}

static void seed_pdf(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "/admin/report.pdf?agency=%s&year=2565", agency);
    assert_int_equal(get(path, cookie_sys), 200);
    assert_non_null(strstr(head, "Content-Type: application/pdf"));
    assert_non_null(strstr(head, "attachment; filename=\"ita-o42-2565-NKP01.pdf\""));
    assert_memory_equal(body, "%PDF", 4);
    save_body("report.pdf");
    char *text = pdf_text("report.pdf", "report.txt");
    check_seed_text(text, "PDF");
    free(text);
    check_oit_table("report.pdf", "PDF");
    /* A4 pages with the Thai font embedded */
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "pdfinfo '%s/report.pdf' | grep -q 'Page size: *595' && pdffonts '%s/report.pdf' |"
             " awk 'NR > 2 && $(NF-4) != \"yes\" { bad = 1 } END { exit bad }'",
             outdir, outdir);
    assert_int_equal(system(cmd), 0);
    /* the pages as pictures, to look at */
    snprintf(cmd, sizeof cmd, "pdftoppm -r 60 -png '%s/report.pdf' '%s/page'", outdir, outdir);
    assert_int_equal(system(cmd), 0);
}

static void seed_docx(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "/admin/report.docx?agency=%s&year=2565", agency);
    assert_int_equal(get(path, cookie_sys), 200);
    assert_non_null(strstr(
        head,
        "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    assert_non_null(strstr(head, "attachment; filename=\"ita-o42-2565-NKP01.docx\""));
    assert_memory_equal(body, "PK", 2);
    save_body("report.docx");
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && HOME='%s' timeout 180 soffice -env:UserInstallation=file://%s/lo"
             " --headless --convert-to pdf --outdir '%s/docx' report.docx >/dev/null 2>&1",
             outdir, outdir, outdir, outdir);
    assert_int_equal(system(cmd), 0);
    char *text = pdf_text("docx/report.pdf", "docx.txt");
    check_seed_text(text, "DOCX");
    free(text);
    check_oit_table("docx/report.pdf", "DOCX");
}

static void texts_saved_and_checked(void **state)
{
    (void)state;
    /* the form on /admin/report of a year with a version carries the texts */
    char path[256], form[4096];
    static char page[1 << 21];
    snprintf(path, sizeof path, "/admin/report?agency=%s&year=2566", agency);
    assert_int_equal(get(path, cookie_sys), 200);
    assert_non_null(strstr(body, "id=\"texts-form\""));
    assert_non_null(strstr(body, "/admin/report.pdf?agency="));
    /* the report page of 2565 (no instrument version: the stored result) with both forms */
    snprintf(path, sizeof path, "/admin/report?agency=%s&year=2565", agency);
    assert_int_equal(get(path, cookie_sys), 200);
    assert_non_null(strstr(body, "95.82"));
    assert_non_null(strstr(body, "28.69"));
    assert_non_null(strstr(body, "id=\"measures-form\""));
    assert_non_null(strstr(body, "id=\"texts-form\""));
    assert_non_null(strstr(body, "/admin/report.docx?agency="));
    snprintf(path, sizeof path, "/admin/report?agency=%s&year=2566", agency);
    assert_int_equal(get(path, cookie_sys), 200);
    char csrf[64] = "";
    const char *c = strstr(body, "name=\"csrf\" value=\"");
    assert_non_null(c);
    sscanf(c + strlen("name=\"csrf\" value=\""), "%63[^\"]", csrf);
    /* a bad question code: refused in Thai, nothing stored */
    snprintf(form, sizeof form, "csrf=%s&agency=%s&year=2565&objectives=&sq_1=x9&st_1=%%E0%%B8%%81",
             csrf, agency);
    assert_int_equal(
        t_admin_request(port, "POST", "/admin/report/texts", cookie_sys, form, page, sizeof page),
        422);
    /* the report again, with the reason and what was typed */
    assert_non_null(strstr(page, "รหัสข้อคำถาม"));
    assert_non_null(strstr(page, "role=\"alert\""));
    assert_non_null(strstr(page, "id=\"texts-form\""));
    assert_non_null(strstr(page, "value=\"x9\""));
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM report_suggestion"), "0");
    /* objectives and a suggestion saved, audited, printed in the next PDF */
    snprintf(form, sizeof form, "csrf=%s&agency=%s&year=2565&objectives=%s&sq_1=I20&st_1=%s", csrf,
             agency,
             /* เพื่อทดสอบการแก้ไข */
             "%E0%B9%80%E0%B8%9E%E0%B8%B7%E0%B9%88%E0%B8%AD%E0%B8%97%E0%B8%94%E0%B8%AA%E0%B8%AD"
             "%E0%B8%9A%E0%B8%81%E0%B8%B2%E0%B8%A3%E0%B9%81%E0%B8%81%E0%B9%89%E0%B9%84%E0%B8%82",
             /* ข้อเสนอทดสอบ */
             "%E0%B8%82%E0%B9%89%E0%B8%AD%E0%B9%80%E0%B8%AA%E0%B8%99%E0%B8%AD%E0%B8%97%E0%B8%94"
             "%E0%B8%AA%E0%B8%AD%E0%B8%9A");
    assert_int_equal(
        t_admin_request(port, "POST", "/admin/report/texts", cookie_sys, form, page, sizeof page),
        303);
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = 'report_text_set'"),
        "1");
    assert_string_equal(t_db_value(conninfo, "SELECT question_code FROM report_suggestion"), "i20");
    snprintf(path, sizeof path, "/admin/report.pdf?agency=%s&year=2565", agency);
    assert_int_equal(get(path, cookie_sys), 200);
    save_body("edited.pdf");
    char *text = pdf_text("edited.pdf", "edited.txt");
    char needle[256];
    squeeze(needle, sizeof needle, "1. เพื่อทดสอบการแก้ไข");
    assert_non_null(strstr(text, needle));
    squeeze(needle, sizeof needle, "I20 ข้อเสนอทดสอบ");
    assert_non_null(strstr(text, needle));
    free(text);
    /* another agency's administrator: the report and the save answer 404 */
    assert_int_equal(get(path, cookie_other), 404);
    snprintf(path, sizeof path, "/admin/report.docx?agency=%s&year=2565", agency);
    assert_int_equal(get(path, cookie_other), 404);
    /* a year with no instrument version at or after it */
    snprintf(path, sizeof path, "/admin/report.pdf?agency=%s&year=2600", agency);
    assert_int_equal(get(path, cookie_sys), 404);
    assert_non_null(strstr(body, "ยังไม่มีแบบวัด"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_pdf),
        cmocka_unit_test(seed_docx),
        cmocka_unit_test(texts_saved_and_checked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
