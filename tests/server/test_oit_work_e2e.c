/* The OIT work pages (server/oit/) against the real server and database, as a browser uses them
 * (session cookie, CSRF token in every form): an agency administrator reaches only its own
 * agency's units and items (404 for another's, nothing written); refused values (empty, too long
 * or duplicate unit names, a state, date, note or URL that is not allowed, an item the year does
 * not have) answer a Thai message and store nothing; a used unit is never deleted; copying last
 * year's assignments copies only items both versions have, units still in use and the due date
 * shifted by a year, and never overwrites an item already assigned; the suggested units of a
 * version that carries them; the responsibility CSV (BOM, Thai headers, Thai dates and states);
 * and an audit_log row for every change, shown on the item's history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testlib.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct t_server srv;
static int port;
static char conninfo[512];
static char page[1 << 21];
static char agency_a[16], agency_b[16];
static char cookie_sys[64], cookie_a[64], csrf_a[64], csrf_sys[64];

static int get(const char *path, const char *cookie)
{
    return t_admin_request(port, "GET", path, cookie, NULL, page, sizeof page);
}

/* A form posted with the cookie's CSRF token; fmt gives the rest of the body. */
static int post(const char *path, const char *cookie, const char *fmt, ...)
{
    static char body[65536];
    int n = snprintf(body, sizeof body, "csrf=%s&", cookie == cookie_a ? csrf_a : csrf_sys);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body + n, sizeof body - (size_t)n, fmt, ap);
    va_end(ap);
    return t_admin_request(port, "POST", path, cookie, body, page, sizeof page);
}

/* Percent-encodes s (static buffer; one at a time). */
static const char *enc(const char *s)
{
    static char out[32768];
    size_t o = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c && o < sizeof out - 4; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            *c == '-' || *c == '.' || *c == '_')
            out[o++] = (char)*c;
        else
            o += (size_t)snprintf(out + o, sizeof out - o, "%%%02X", *c);
    }
    out[o] = '\0';
    return out;
}

static const char *sql(const char *fmt, ...)
{
    char q[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    return t_db_value(conninfo, q);
}

static const char *location(void)
{
    static char loc[512];
    const char *l = strstr(t_last_headers(), "Location: ");
    snprintf(loc, sizeof loc, "%.*s", l ? (int)strcspn(l + 10, "\r\n") : 0, l ? l + 10 : "");
    return loc;
}

static int load(const char *year)
{
    char path[512];
    return t_load_instruments(conninfo, year, path, sizeof path);
}

static int setup(void **state)
{
    (void)state;
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_oit_work"));
    /* the pages are tested, not the link checker (test_evidence_check): its verdicts would
     * replace the ones this test writes, and the test's example URLs do not resolve here */
    const char *extra[] = {"--workers=2", "--link-check=false", NULL};
    t_server_start(&srv, port, conninfo, extra);
    if (load("2566") != 0 || load("2567") != 0)
        return -1;
    snprintf(agency_a, sizeof agency_a, "%s",
             t_db_value(conninfo, "INSERT INTO agency (code, name_th) VALUES ('A', 'เทศบาลเอ') "
                                  "RETURNING id"));
    snprintf(agency_b, sizeof agency_b, "%s",
             t_db_value(conninfo, "INSERT INTO agency (code, name_th) VALUES ('B', 'เทศบาลบี') "
                                  "RETURNING id"));
    t_make_admin(conninfo, "sys@example.go.th", "system", "NULL");
    t_make_admin(conninfo, "a@example.go.th", "agency", agency_a);
    t_admin_login(port, "sys%40example.go.th", cookie_sys, page, sizeof page);
    t_admin_login(port, "a%40example.go.th", cookie_a, page, sizeof page);
    if (get("/admin/", cookie_a) != 200)
        return -1;
    snprintf(csrf_a, sizeof csrf_a, "%s", t_hidden_value(page, "csrf"));
    if (get("/admin/", cookie_sys) != 200)
        return -1;
    snprintf(csrf_sys, sizeof csrf_sys, "%s", t_hidden_value(page, "csrf"));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

/* The id of agency a's unit called name ("" when none). */
static const char *unit_id(const char *agency, const char *name)
{
    return sql("SELECT coalesce((SELECT id::text FROM org_unit WHERE agency_id = %s AND name_th = "
               "'%s'), '')",
               agency, name);
}

static void test_scope(void **state)
{
    (void)state;
    char path[256];
    /* an agency administrator without agency= gets its own; with another's, 404 */
    assert_int_equal(get("/admin/units?year=2566", cookie_a), 200);
    assert_non_null(strstr(page, "เทศบาลเอ"));
    snprintf(path, sizeof path, "/admin/oit-work?agency=%s&year=2566", agency_b);
    assert_int_equal(get(path, cookie_a), 404);
    assert_non_null(strstr(page, "ไม่พบหน่วยงานนี้"));
    assert_null(strstr(page, "เทศบาลบี"));
    snprintf(path, sizeof path, "/admin/oit-work/item?agency=%s&year=2566&code=O1", agency_b);
    assert_int_equal(get(path, cookie_a), 404);
    snprintf(path, sizeof path, "/admin/oit-work.csv?agency=%s&year=2566", agency_b);
    assert_int_equal(get(path, cookie_a), 404);
    assert_int_equal(post("/admin/units", cookie_a, "agency=%s&op=add&name=X", agency_b), 404);
    assert_int_equal(post("/admin/oit-work/item", cookie_a,
                          "agency=%s&year=2566&code=O1&op=save&state=ready&due_on=", agency_b),
                     404);
    assert_int_equal(post("/admin/oit-work/copy", cookie_a, "agency=%s&year=2567", agency_b), 404);
    assert_string_equal(sql("SELECT count(*) FROM org_unit WHERE agency_id = %s", agency_b), "0");
    assert_string_equal(sql("SELECT count(*) FROM oit_item_work WHERE agency_id = %s", agency_b),
                        "0");
    /* a system administrator without agency= is asked which agency; with one, served */
    assert_int_equal(get("/admin/oit-work?year=2566", cookie_sys), 200);
    assert_non_null(strstr(page, "id=\"agency-pick\""));
    assert_int_equal(get("/admin/oit-work?agency_code=B&year=2566", cookie_sys), 200);
    assert_non_null(strstr(page, "เทศบาลบี"));
    /* a form without its CSRF token is refused before anything happens */
    char body[128];
    snprintf(body, sizeof body, "agency=%s&op=add&name=Y", agency_a);
    assert_int_equal(
        t_admin_request(port, "POST", "/admin/units", cookie_a, body, page, sizeof page), 403);
    assert_string_equal(sql("SELECT count(*) FROM org_unit"), "0");
}

static void test_units_validation(void **state)
{
    (void)state;
    assert_int_equal(post("/admin/units", cookie_a, "op=add&name=%s", enc("   ")), 422);
    assert_non_null(strstr(page, "กรุณากรอกชื่อหน่วยงาน"));
    char longname[700] = "";
    for (int i = 0; i < 201; i++)
        strcat(longname, "ก");
    assert_int_equal(post("/admin/units", cookie_a, "op=add&name=%s", enc(longname)), 422);
    assert_non_null(strstr(page, "ชื่อหน่วยงานยาวเกินไป"));
    longname[strlen(longname) - 3] = '\0'; /* 200 characters: allowed */
    assert_int_equal(post("/admin/units", cookie_a, "op=add&name=%s", enc(longname)), 303);
    assert_int_equal(post("/admin/units", cookie_a, "op=add&name=%s", enc(" สำนักปลัดเทศบาล ")), 303);
    assert_non_null(strstr(location(), "done=add"));
    assert_int_equal(post("/admin/units", cookie_a, "op=add&name=%s", enc("กองคลัง")), 303);
    assert_int_equal(post("/admin/units", cookie_a, "op=add&name=%s", enc("กองคลัง")), 422);
    assert_non_null(strstr(page, "มีหน่วยงานชื่อนี้อยู่แล้ว"));
    assert_non_null(strstr(page, "value=\"กองคลัง\"")); /* the typed name kept */
    const char *finance = unit_id(agency_a, "กองคลัง");
    char fin[16];
    snprintf(fin, sizeof fin, "%s", finance);
    assert_int_equal(
        post("/admin/units", cookie_a, "op=rename&unit=%s&name=%s", fin, enc("สำนักปลัดเทศบาล")),
        422);
    assert_non_null(strstr(page, "มีหน่วยงานชื่อนี้อยู่แล้ว"));
    assert_int_equal(
        post("/admin/units", cookie_a, "op=rename&unit=%s&name=%s", fin, enc("กองการคลัง")), 303);
    assert_string_equal(sql("SELECT name_th FROM org_unit WHERE id = %s", fin), "กองการคลัง");
    /* the long-named unit is removed (unused); order: สำนักปลัด, กองการคลัง */
    char longid[16];
    snprintf(longid, sizeof longid, "%s",
             sql("SELECT min(id) FROM org_unit WHERE agency_id = %s", agency_a));
    assert_int_equal(post("/admin/units", cookie_a, "op=delete&unit=%s", longid), 303);
    assert_int_equal(post("/admin/units", cookie_a, "op=down&unit=%s", fin), 303); /* last: stays */
    assert_int_equal(post("/admin/units", cookie_a, "op=up&unit=%s", fin), 303);
    assert_string_equal(sql("SELECT string_agg(name_th, ',' ORDER BY position, id) FROM org_unit "
                            "WHERE agency_id = %s",
                            agency_a),
                        "กองการคลัง,สำนักปลัดเทศบาล");
    /* another agency's unit id: not found, not touched */
    assert_int_equal(post("/admin/units", cookie_sys, "agency=%s&op=add&name=B1", agency_b), 303);
    char b1[16];
    snprintf(b1, sizeof b1, "%s", unit_id(agency_b, "B1"));
    assert_int_equal(post("/admin/units", cookie_a, "op=retire&unit=%s", b1), 404);
    assert_string_equal(sql("SELECT retired FROM org_unit WHERE id = %s", b1), "f");
    assert_string_equal(
        sql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE agency_id = %s",
            agency_a),
        "oit_unit_add,oit_unit_add,oit_unit_add,oit_unit_rename,oit_unit_delete,oit_unit_move");
}

static void test_item_validation(void **state)
{
    (void)state;
    const char *t = "year=2566&code=O1";
    assert_int_equal(post("/admin/oit-work/item", cookie_a, "%s&op=save&state=done&due_on=", t),
                     422);
    assert_non_null(strstr(page, "กรุณาเลือกสถานะ"));
    assert_int_equal(
        post("/admin/oit-work/item", cookie_a, "%s&op=save&state=ready&due_on=2024-02-30", t), 422);
    assert_non_null(strstr(page, "วันที่กำหนดเสร็จไม่ถูกต้อง"));
    assert_non_null(strstr(page, "value=\"2024-02-30\"")); /* kept as typed */
    static char note[7000];
    note[0] = '\0';
    for (int i = 0; i < 2001; i++)
        strcat(note, "ข");
    assert_int_equal(
        post("/admin/oit-work/item", cookie_a, "%s&op=save&state=ready&note=%s", t, enc(note)),
        422);
    assert_non_null(strstr(page, "หมายเหตุยาวเกินไป"));
    assert_int_equal(post("/admin/oit-work/item", cookie_a, "%s&op=url_add&url=%s", t,
                          enc("ftp://example.go.th/a.pdf")),
                     422);
    assert_non_null(strstr(page, "id=\"item-error\""));
    assert_non_null(strstr(page, "value=\"ftp://example.go.th/a.pdf\""));
    static char url[2100];
    snprintf(url, sizeof url, "https://example.go.th/");
    while (strlen(url) < 2010)
        strcat(url, "a");
    assert_int_equal(post("/admin/oit-work/item", cookie_a, "%s&op=url_add&url=%s", t, url), 422);
    assert_int_equal(
        post("/admin/oit-work/item", cookie_a, "year=2566&code=O99&op=save&state=ready&due_on="),
        404);
    assert_int_equal(get("/admin/oit-work/item?year=2566&code=O44", cookie_a), 404);
    assert_string_equal(sql("SELECT count(*) FROM oit_item_work"), "0");
    assert_string_equal(sql("SELECT count(*) FROM oit_evidence"), "0");
}

/* Saves item code of year for agency A with state, due and units (ids). */
static void save_item(const char *year, const char *code, const char *st, const char *due,
                      const char *u1, const char *u2)
{
    char units[64] = "";
    if (u1)
        snprintf(units, sizeof units, "&unit=%s", u1);
    if (u2)
        snprintf(units + strlen(units), sizeof units - strlen(units), "&unit=%s", u2);
    assert_int_equal(post("/admin/oit-work/item", cookie_a,
                          "year=%s&code=%s&op=save&state=%s"
                          "&due_on=%s&note=%s%s",
                          year, code, st, due, enc("หมายเหตุ"), units),
                     303);
}

static void test_items_copy_csv_audit(void **state)
{
    (void)state;
    char pal[16], fin[16], old[16], b1[16];
    snprintf(pal, sizeof pal, "%s", unit_id(agency_a, "สำนักปลัดเทศบาล"));
    snprintf(fin, sizeof fin, "%s", unit_id(agency_a, "กองการคลัง"));
    snprintf(b1, sizeof b1, "%s", unit_id(agency_b, "B1"));
    assert_int_equal(post("/admin/units", cookie_a, "op=add&name=%s", enc("กองเดิม")), 303);
    snprintf(old, sizeof old, "%s", unit_id(agency_a, "กองเดิม"));
    /* 2566: O1 (two units, one of them another agency's: ignored), O2, O5 (a unit retired below),
     * O40 (2567 has no O40) */
    save_item("2566", "O1", "published", "2023-05-01", pal, b1);
    assert_string_equal(sql("SELECT string_agg(unit_id::text, ',') FROM oit_assignment WHERE "
                            "item_code = 'O1'"),
                        pal);
    save_item("2566", "O2", "ready", "2023-06-15", fin, NULL);
    save_item("2566", "O5", "in_progress", "", old, NULL);
    save_item("2566", "O40", "ready", "2023-07-01", fin, NULL);
    assert_int_equal(post("/admin/units", cookie_a, "op=retire&unit=%s", old), 303);
    /* a used unit is never deleted */
    assert_int_equal(post("/admin/units", cookie_a, "op=delete&unit=%s", fin), 409);
    assert_string_equal(sql("SELECT count(*) FROM org_unit WHERE id = %s", fin), "1");
    /* evidence: added (Thai encoded), a duplicate refused, reordered, removed, check asked */
    assert_int_equal(post("/admin/oit-work/item", cookie_a, "year=2566&code=O1&op=url_add&url=%s",
                          enc("https://a.go.th/ita/โครงสร้าง.pdf")),
                     303);
    assert_int_equal(post("/admin/oit-work/item", cookie_a, "year=2566&code=O1&op=url_add&url=%s",
                          enc("https://a.go.th/ita/o1.pdf")),
                     303);
    assert_int_equal(post("/admin/oit-work/item", cookie_a, "year=2566&code=O1&op=url_add&url=%s",
                          enc(" https://a.go.th/ita/o1.pdf ")),
                     422);
    assert_non_null(strstr(page, "ข้อนี้มีลิงก์นี้อยู่แล้ว"));
    char e2[24];
    snprintf(e2, sizeof e2, "%s", sql("SELECT id FROM oit_evidence WHERE url LIKE '%%o1.pdf'"));
    assert_int_equal(
        post("/admin/oit-work/item", cookie_a, "year=2566&code=O1&op=url_up&evidence=%s", e2), 303);
    assert_string_equal(sql("SELECT string_agg(url, ' ' ORDER BY position) FROM oit_evidence"),
                        "https://a.go.th/ita/o1.pdf "
                        "https://a.go.th/ita/%E0%B9%82%E0%B8%84%E0%B8%A3%E0%B8%87%E0%B8%AA%E0%B8%"
                        "A3%E0%B9%89%E0%B8%B2%E0%B8%87.pdf");
    t_db_exec(conninfo, "UPDATE oit_evidence SET check_requested_at = NULL", 0, NULL);
    assert_int_equal(post("/admin/oit-work/item", cookie_a, "year=2566&code=O1&op=check"), 303);
    assert_string_equal(
        sql("SELECT count(*) FROM oit_evidence WHERE check_requested_at IS NOT NULL"), "2");
    assert_int_equal(post("/admin/oit-work/item", cookie_a, "year=2566&code=O2&op=url_add&url=%s",
                          enc("https://a.go.th/o2")),
                     303);
    char e3[24];
    snprintf(e3, sizeof e3, "%s", sql("SELECT id FROM oit_evidence WHERE url LIKE '%%o2'"));
    /* removing through another item's address finds nothing */
    assert_int_equal(
        post("/admin/oit-work/item", cookie_a, "year=2566&code=O1&op=url_remove&evidence=%s", e3),
        404);
    assert_int_equal(
        post("/admin/oit-work/item", cookie_a, "year=2566&code=O2&op=url_remove&evidence=%s", e3),
        303);

    /* 2567 before copying: O2 already assigned to สำนักปลัด */
    save_item("2567", "O2", "not_started", "", pal, NULL);
    assert_int_equal(post("/admin/oit-work/copy", cookie_a, "year=2567&shift=1"), 303);
    /* O1 copied; O2 skipped (assigned); O5's only unit retired; O40 not in 2567 */
    assert_non_null(strstr(location(), "copied=1&skipped=1"));
    assert_string_equal(sql("SELECT to_char(due_on, 'YYYY-MM-DD') || ' ' || state FROM "
                            "oit_item_work WHERE fiscal_year = 2567 AND item_code = 'O1'"),
                        "2024-05-01 not_started");
    char want[64];
    snprintf(want, sizeof want, "O1:%s,O2:%s", pal, pal);
    assert_string_equal(sql("SELECT string_agg(item_code || ':' || unit_id, ',' ORDER BY "
                            "item_code) FROM oit_assignment WHERE fiscal_year = 2567"),
                        want);
    assert_int_equal(get(location(), cookie_a), 200);
    assert_non_null(strstr(page, "คัดลอกการมอบหมายจากปี 2566 แล้ว 1 ข้อ ข้าม 1 ข้อ"));

    /* the overview: one late item of 2566 (O2: ready, due 2023), O1 published is not late */
    assert_int_equal(get("/admin/oit-work?year=2566&late=1", cookie_a), 200);
    assert_non_null(strstr(page, "id=\"item-O2\""));
    assert_null(strstr(page, "id=\"item-O1\""));
    assert_non_null(strstr(page, "แสดง 2 จาก 43 ข้อ")); /* O2 and O40 */

    /* the CSV */
    assert_int_equal(get("/admin/oit-work.csv?year=2567", cookie_a), 200);
    assert_non_null(strstr(t_last_headers(), "oit-responsibility-2567.csv"));
    assert_memory_equal(page, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(page, "ข้อ,ข้อมูล,องค์ประกอบด้านข้อมูล,หน่วยงานรับผิดชอบ,กำหนดเสร็จ,"
                                 "สถานะ,ลิงก์หลักฐาน\r\n"));
    assert_non_null(strstr(page, "O1,โครงสร้างหน่วยงาน,,สำนักปลัดเทศบาล,1 พ.ค. 2567,ยังไม่เริ่ม,\r\n"));
    assert_int_equal(get("/admin/oit-work.csv?year=2566", cookie_a), 200);
    /* 2566 carries the seed's requirements: one line per bullet in a quoted cell */
    assert_non_null(strstr(page, "O1,โครงสร้าง,\"แสดงแผนผังโครงสร้างการแบ่งส่วนราชการของหน่วยงาน*\n"
                                 "แสดงตำแหน่งที่สำคัญและการแบ่งส่วนงานภายใน"));
    assert_non_null(strstr(page,
                           "ทั้งฝ่ายการเมืองและฝ่ายข้าราชการประจำ\",สำนักปลัดเทศบาล,1 พ.ค. 2566,"
                           "เผยแพร่แล้ว,\"https://a.go.th/ita/o1.pdf\nhttps://a.go.th/ita/%E0"));

    /* the suggested units and requirements of a version that carries them (2567's O3, O4) */
    t_db_exec(conninfo,
              "UPDATE instrument_version SET document = jsonb_set(jsonb_set(document,"
              " '{oit,items,2,units_th}', '[\"กองการคลัง\", \"กองวิชาการและแผนงาน\"]'),"
              " '{oit,items,2,requirements_th}', '[\"แสดงอำนาจหน้าที่\", \"ตามกฎหมาย\"]')"
              " WHERE fiscal_year = 2567",
              0, NULL);
    t_db_exec(conninfo,
              "UPDATE instrument_version SET document = jsonb_set(document,"
              " '{oit,items,1,units_th}', '[\"กองใหม่\"]') WHERE fiscal_year = 2567",
              0, NULL);
    assert_int_equal(post("/admin/oit-work/suggested", cookie_a, "year=2567"), 303);
    /* O2 is assigned already: only O3 gets units; one unit made (กองวิชาการและแผนงาน) */
    assert_non_null(strstr(location(), "units=1&assigned=1"));
    assert_string_equal(sql("SELECT string_agg(u.name_th, ',' ORDER BY u.name_th) FROM "
                            "oit_assignment a JOIN org_unit u ON u.id = a.unit_id WHERE "
                            "a.fiscal_year = 2567 AND a.item_code = 'O3'"),
                        "กองการคลัง,กองวิชาการและแผนงาน");
    assert_string_equal(sql("SELECT count(*) FROM org_unit WHERE name_th = 'กองใหม่'"), "0");
    assert_int_equal(get("/admin/oit-work/item?year=2567&code=O3", cookie_a), 200);
    assert_non_null(strstr(page, "องค์ประกอบด้านข้อมูล"));
    assert_non_null(strstr(page, "<li>แสดงอำนาจหน้าที่</li><li>ตามกฎหมาย</li>"));
    assert_int_equal(get("/admin/oit-work.csv?year=2567", cookie_a), 200);
    assert_non_null(strstr(page, "O3,อำนาจหน้าที่,\"แสดงอำนาจหน้าที่\nตามกฎหมาย\","
                                 "\"กองการคลัง\nกองวิชาการและแผนงาน\",,ยังไม่เริ่ม,\r\n"));

    /* every change has its audit row, in the same transaction; the item's history shows them */
    assert_string_equal(sql("SELECT count(*) FROM audit_log WHERE action = 'oit_item_set'"), "5");
    assert_string_equal(sql("SELECT detail->>'state_was' || '>' || (detail->>'state') || ' ' || "
                            "(detail->'units')::text FROM audit_log WHERE action = 'oit_item_set'"
                            " AND detail->>'item' = 'O1'"),
                        "not_started>published [\"สำนักปลัดเทศบาล\"]");
    assert_string_equal(sql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE "
                            "action LIKE 'oit\\_evidence%%' OR action = 'oit_check_request'"),
                        "oit_evidence_add,oit_evidence_add,oit_evidence_move,oit_check_request,"
                        "oit_evidence_add,oit_evidence_remove");
    assert_string_equal(sql("SELECT detail->>'copied' || '/' || (detail->>'skipped') FROM "
                            "audit_log WHERE action = 'oit_copy_year'"),
                        "1/1");
    assert_string_equal(sql("SELECT count(*) FROM audit_log WHERE action = 'oit_suggested_units'"),
                        "1");
    assert_int_equal(get("/admin/oit-work/item?year=2566&code=O1", cookie_a), 200);
    assert_non_null(strstr(page, "บันทึก สถานะ เผยแพร่แล้ว (เดิม ยังไม่เริ่ม)"));
    assert_non_null(strstr(page, "ขอให้ตรวจลิงก์หลักฐานทันที 2 ลิงก์"));
    assert_non_null(strstr(page, "a@example.go.th"));
    /* the audit page names the new actions in Thai */
    assert_int_equal(get("/admin/audit", cookie_a), 200);
    assert_non_null(strstr(page, "คัดลอกการมอบหมายงาน OIT จากปีก่อน"));
    assert_non_null(strstr(page, "เพิ่มลิงก์หลักฐาน OIT ข้อ O1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_units_validation),
        cmocka_unit_test(test_item_validation),
        cmocka_unit_test(test_items_copy_csv_audit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
