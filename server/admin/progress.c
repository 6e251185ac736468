/* /admin/progress: responses per instrument against the minimum sample, per day, and personal-
 * link uptake as counts (how many spent, never who). A day with fewer than K_ANONYMITY responses
 * shows no figure, so that a small unit's answers cannot be singled out by their day. */
#include "admin_setup.h"
#include "admin_handlers.h"
#include "setup_sql.h"
#include "log.h"
#include "survey/pages.h"
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- /admin/progress ---- */

struct day_count {
    const char *day;
    long n;
};

static void progress_done(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    PGresult *res = r->res;
    int n = PQntuples(res);
    long total[2] = {0, 0}, issued[2] = {0, 0}, spent[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        int k = strcmp(PQgetvalue(res, i, 1), "IIT") == 0 ? 0 : 1;
        if (PQgetvalue(res, i, 0)[0] == 'd')
            total[k] += atol(PQgetvalue(res, i, 3));
        else {
            issued[k] = atol(PQgetvalue(res, i, 3));
            spent[k] = atol(PQgetvalue(res, i, 4));
        }
    }
    if (s->u->api) {
        json_t *ins = json_object();
        for (int k = 0; k < 2; k++) {
            json_t *days = json_array();
            for (int i = 0; i < n; i++) {
                if (PQgetvalue(res, i, 0)[0] != 'd' || strcmp(PQgetvalue(res, i, 1), SETUP_INSTRUMENTS[k]))
                    continue;
                long c = atol(PQgetvalue(res, i, 3));
                json_array_append_new(days, c >= K_ANONYMITY
                                                ? json_pack("{s:s, s:I}", "day", PQgetvalue(res, i, 2),
                                                            "responses", (json_int_t)c)
                                                : json_pack("{s:s, s:n, s:b}", "day", PQgetvalue(res, i, 2),
                                                            "responses", "fewer_than_k", 1));
            }
            json_object_set_new(
                ins, SETUP_INSTRUMENTS[k],
                json_pack("{s:I, s:I, s:b, s:o, s:{s:I, s:I}}", "responses", (json_int_t)total[k],
                          "min_sample", (json_int_t)setup_min_sample(s, k), "reached",
                          total[k] >= setup_min_sample(s, k), "by_day", days, "personal_links", "issued",
                          (json_int_t)issued[k], "spent", (json_int_t)spent[k]));
        }
        setup_send_json(req, 200, json_pack("{s:i, s:i, s:o}", "fiscal_year", atoi(s->fy), "k",
                                            K_ANONYMITY, "instruments", ins));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, arena_sprintf(&req->arena, "ความคืบหน้า ปีงบประมาณ %s", s->fy));
    setup_nav(&p, req, s);
    for (int k = 0; k < 2; k++) {
        long need = setup_min_sample(s, k);
        strbuf_printf(&p, "<section id=\"progress-%s\"><h2>%s</h2>", SETUP_INSTRUMENTS[k], SETUP_LIST_TH[k]);
        strbuf_printf(&p, "<p class=\"pr\">ได้รับคำตอบ <strong>%ld</strong> จากขั้นต่ำ %ld %s</p>", total[k],
                      need, total[k] >= need ? "(ครบตามจำนวนขั้นต่ำแล้ว)" : "(ยังไม่ครบ)");
        long pct = need > 0 ? (total[k] >= need ? 100 : total[k] * 100 / need) : 100;
        strbuf_printf(&p, "<progress max=\"100\" value=\"%ld\">%ld%%</progress>", pct, pct);
        if (issued[k] > 0)
            strbuf_printf(&p, "<p>ลิงก์ส่วนบุคคล: ออกแล้ว %ld ใช้ตอบแล้ว %ld</p>", issued[k], spent[k]);
        strbuf_puts(&p, "<table><thead><tr><th>วันที่</th><th>จำนวนคำตอบ</th></tr></thead><tbody>");
        for (int i = 0; i < n; i++) {
            if (PQgetvalue(res, i, 0)[0] != 'd' || strcmp(PQgetvalue(res, i, 1), SETUP_INSTRUMENTS[k]))
                continue;
            long c = atol(PQgetvalue(res, i, 3));
            const char *d = PQgetvalue(res, i, 2); /* YYYY-MM-DD: shown as the Thai clerk writes it */
            strbuf_printf(&p, "<tr><td>%d/%d/%d</td><td>", atoi(d + 8), atoi(d + 5), atoi(d) + 543);
            if (c >= K_ANONYMITY)
                strbuf_printf(&p, "%ld", c);
            else
                strbuf_printf(&p, "น้อยกว่า %d", K_ANONYMITY);
            strbuf_puts(&p, "</td></tr>");
        }
        strbuf_puts(&p, "</tbody></table></section>\n");
    }
    strbuf_printf(&p, "<p class=\"nt\">วันที่มีคำตอบน้อยกว่า %d รายการจะไม่แสดงจำนวน เพื่อไม่ให้ระบุตัวผู้ตอบได้ "
                      "และระบบไม่เก็บว่าใครตอบหรือไม่ตอบ</p>\n",
                  K_ANONYMITY);
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void progress_go(struct http_request *req, struct setup *s)
{
    const char *p[2] = {s->agency_id, s->fy};
    http_db(req, &sql_progress, p, NULL, progress_done);
}

void admin_progress(struct http_request *req, const struct admin_user *u)
{
    setup_resolve(req, u, false, progress_go);
}

