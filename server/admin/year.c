/* /admin/year: an agency's fiscal year — the survey window, the populations the minimum samples
 * come from, and the year's public IIT and EIT links with their QR codes and posters (created on
 * the first save, their window moved on later saves). */
#define _GNU_SOURCE /* strptime, timegm */
#include "admin_setup.h"
#include "admin_handlers.h"
#include "setup_sql.h"
#include "log.h"
#include "survey/pages.h"
#include "server.h"
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- /admin/year ---- */

static json_t *year_json(struct http_request *req, const struct setup *s)
{
    json_t *links = json_object(), *mins = json_object();
    for (int k = 0; k < 2; k++) {
        json_object_set_new(mins, SETUP_INSTRUMENTS[k], json_integer(setup_min_sample(s, k)));
        if (s->link_id[k])
            json_object_set_new(links, SETUP_INSTRUMENTS[k],
                                json_pack("{s:I, s:s}", "id", (json_int_t)s->link_id[k], "url",
                                          setup_link_url(req, s, k)));
    }
    json_t *doc = json_pack("{s:{s:I, s:s, s:s}, s:i, s:s, s:s, s:o, s:o, s:o, s:o}", "agency",
                            "id", (json_int_t)atoll(s->agency_id), "code", s->code, "name_th", s->name,
                            "fiscal_year", atoi(s->fy), "opens_on", s->opens_on, "closes_on",
                            s->closes_on, "staff_population",
                            s->population[0] < 0 ? json_null() : json_integer(s->population[0]),
                            "eit_population",
                            s->population[1] < 0 ? json_null() : json_integer(s->population[1]),
                            "min_sample", mins, "links", links);
    if (!doc)
        abort();
    return doc;
}

static void population_input(struct strbuf *p, const char *name, long v)
{
    strbuf_printf(p, "<input id=\"%s\" name=\"%s\" inputmode=\"numeric\" pattern=\"[0-9]*\" "
                     "maxlength=\"8\" value=\"",
                  name, name);
    if (v >= 0)
        strbuf_printf(p, "%ld", v);
    strbuf_puts(p, "\">");
}

static void year_page(struct http_request *req, struct setup *s)
{
    if (s->u->api) {
        if (!s->year_set) {
            setup_fail(req, s, 404, "ยังไม่ได้ตั้งค่าปีงบประมาณนี้ของหน่วยงาน");
            return;
        }
        setup_send_json(req, 200, year_json(req, s));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, arena_sprintf(&req->arena, "ตั้งค่าปีงบประมาณ %s", s->fy));
    setup_nav(&p, req, s);
    const char *saved = admin_query_str(req, "saved");
    if (saved && !strcmp(saved, "1"))
        strbuf_puts(&p, "<p class=\"ok\" role=\"status\">บันทึกแล้ว</p>\n");
    if (!s->version_exists)
        strbuf_puts(&p, "<p class=\"er\" role=\"alert\">ยังไม่มีแบบสำรวจของปีงบประมาณนี้ในระบบ "
                        "ผู้ดูแลระบบต้องโหลดแบบสำรวจก่อน (itad --load-instruments)</p>\n");
    strbuf_puts(&p, "<form method=\"post\" action=\"/admin/year\" id=\"year-form\">");
    setup_csrf_field(&p, req, s);
    setup_hidden_scope(&p, s, -1);
    strbuf_printf(&p, "<p><label for=\"opens_on\">วันเปิดรับคำตอบ</label>"
                      "<input type=\"date\" id=\"opens_on\" name=\"opens_on\" required value=\"%s\"></p>"
                      "<p><label for=\"closes_on\">วันปิดรับคำตอบ (วันสุดท้ายที่ตอบได้)</label>"
                      "<input type=\"date\" id=\"closes_on\" name=\"closes_on\" required value=\"%s\"></p>"
                      "<p><label for=\"staff_population\">จำนวนบุคลากรที่ปฏิบัติงานมาไม่น้อยกว่า 1 ปี</label>",
                  s->opens_on, s->closes_on);
    population_input(&p, "staff_population", s->population[0]);
    strbuf_puts(&p, "</p><p><label for=\"eit_population\">จำนวนผู้รับบริการ/ผู้มีส่วนได้ส่วนเสียภายนอกโดยประมาณ "
                    "(ไม่ทราบให้เว้นว่าง)</label>");
    population_input(&p, "eit_population", s->population[1]);
    strbuf_puts(&p, "</p><button type=\"submit\">บันทึก</button></form>\n");
    strbuf_puts(&p, "<h2>จำนวนตัวอย่างขั้นต่ำ</h2><table id=\"min-sample\"><thead><tr><th>แบบสำรวจ</th>"
                    "<th>จำนวนประชากร</th><th>ต้องได้อย่างน้อย</th></tr></thead><tbody>\n");
    for (int k = 0; k < 2; k++) {
        strbuf_printf(&p, "<tr><td>%s</td><td>", SETUP_INSTRUMENTS[k]);
        if (s->population[k] >= 0)
            strbuf_printf(&p, "%ld", s->population[k]);
        else
            strbuf_puts(&p, "ยังไม่ระบุ");
        strbuf_printf(&p, "</td><td>%ld</td></tr>\n", setup_min_sample(s, k));
    }
    strbuf_puts(&p, "</tbody></table>\n");
    if (s->year_set) {
        strbuf_puts(&p, "<h2>ลิงก์แบบสำรวจ คิวอาร์โค้ดและโปสเตอร์</h2><ul id=\"year-links\">\n");
        for (int k = 0; k < 2; k++) {
            if (!s->link_id[k])
                continue;
            strbuf_printf(&p, "<li>%s: <code>", SETUP_INSTRUMENTS[k]);
            strbuf_html_escape(&p, setup_link_url(req, s, k));
            strbuf_printf(&p, "</code> · <a href=\"/admin/qr?link=%ld&amp;format=pdf\">โปสเตอร์ A4 (PDF)</a>"
                              " · <a href=\"/admin/qr?link=%ld&amp;format=png\">คิวอาร์โค้ด PNG</a>"
                              " · <a href=\"/admin/qr?link=%ld&amp;format=svg\">SVG</a>"
                              " · <a href=\"/admin/qr?link=%ld&amp;format=html\">โค้ดสำหรับเว็บไซต์</a></li>\n",
                          s->link_id[k], s->link_id[k], s->link_id[k], s->link_id[k]);
        }
        strbuf_puts(&p, "</ul>\n");
    }
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

void admin_year(struct http_request *req, const struct admin_user *u)
{
    setup_resolve(req, u, false, year_page);
}

/* YYYY-MM-DD (Common Era) into t; false when malformed or not a real date. */
static bool parse_day(const char *v, struct tm *t)
{
    if (!v || strlen(v) != 10 || v[4] != '-' || v[7] != '-')
        return false;
    memset(t, 0, sizeof *t);
    char *end = strptime(v, "%Y-%m-%d", t);
    if (!end || *end)
        return false;
    struct tm check = *t;
    check.tm_hour = 12;
    time_t x = timegm(&check);
    struct tm back;
    gmtime_r(&x, &back);
    return back.tm_mday == t->tm_mday && back.tm_mon == t->tm_mon && t->tm_year >= 100 &&
           t->tm_year < 200;
}

static void year_saved(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    log_info("event=year_saved w=%d admin=%d agency=%s fy=%s", req->worker->id, s->u->id,
             s->agency_id, s->fy);
    if (s->u->api) { /* answer with the saved settings */
        setup_reload(req, s, year_page);
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena, "/admin/year?agency=%s&fy=%s&saved=1", s->agency_id,
                                s->fy));
}

/* The population field: absent keeps the stored value (current, -1 for none), "" clears it,
 * digits (at most 8) set it. out receives the parameter text or NULL; false when malformed. */
static bool population_param(struct http_request *req, const struct setup *s, const char *name,
                             long current, const char **out)
{
    const char *v = setup_param(req, s, name);
    if (!v) {
        *out = current >= 0 ? arena_sprintf(&req->arena, "%ld", current) : NULL;
        return true;
    }
    if (!*v) {
        *out = NULL;
        return true;
    }
    *out = v;
    return setup_digits(v, 8);
}

static void year_save(struct http_request *req, struct setup *s)
{
    struct tm o, c;
    const char *opens = setup_param(req, s, "opens_on"), *closes = setup_param(req, s, "closes_on");
    if (!parse_day(opens, &o) || !parse_day(closes, &c)) {
        setup_fail(req, s, 400, "วันเปิดและวันปิดรับคำตอบต้องเป็นวันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2024-01-15");
        return;
    }
    double days = difftime(timegm(&c), timegm(&o)) / 86400.0;
    if (days < 0 || days > 366) {
        setup_fail(req, s, 400, "วันปิดรับคำตอบต้องไม่ก่อนวันเปิด และช่วงเวลาต้องไม่เกิน 1 ปี");
        return;
    }
    const char *staff, *eit;
    if (!population_param(req, s, "staff_population", s->population[0], &staff) ||
        !population_param(req, s, "eit_population", s->population[1], &eit)) {
        setup_fail(req, s, 400, "จำนวนบุคลากรและจำนวนผู้มีส่วนได้ส่วนเสียต้องเป็นตัวเลขจำนวนเต็ม (หรือเว้นว่าง)");
        return;
    }
    if (!s->version_exists) {
        setup_fail(req, s, 409, "ยังไม่มีแบบสำรวจของปีงบประมาณนี้ในระบบ ผู้ดูแลระบบต้องโหลดแบบสำรวจก่อน "
                          "(itad --load-instruments)");
        return;
    }
    char slug_iit[SLUG_CHARS + 2], slug_eit[SLUG_CHARS + 2];
    if (!secret_random_b64url(16, slug_iit) || !secret_random_b64url(16, slug_eit)) {
        http_respond_unavailable(req, "no random bytes");
        return;
    }
    const char *p[8] = {s->agency_id, s->fy, opens, closes, staff, eit, slug_iit, slug_eit};
    http_db(req, &sql_year_save, p, NULL, year_saved);
}

void admin_year_save(struct http_request *req, const struct admin_user *u)
{
    setup_resolve(req, u, false, year_save);
}

