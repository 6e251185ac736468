/* /admin/oit-work: the coordinating clerk's overview of the year's OIT items (who publishes
 * what by when, in which state, with how many evidence links and whether any is broken; summary
 * counts and filters by GET), copying last year's assignments (/admin/oit-work/copy), the
 * version's suggested units (/admin/oit-work/suggested) and the responsibility table as CSV
 * (/admin/oit-work.csv: UTF-8 with BOM, Thai headers). */
#include "oit_work.h"
#include "oit_work_handlers.h"
#include "oit_work_sql.h"
#include "oit_work_view.h"
#include "app/page_frame.h"
#include "csv_write.h"
#include "db/db_row.h"
#include "thai_date.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum work_state {
    WORK_RESOLVED = OREQ_RESOLVED,
    WORK_ITEMS, /* sql_oit_items answered */
    WORK_UNITS, /* sql_oit_units answered: the page */
    WORK_COPIED,
    WORK_SUGGESTED,
};

struct work_req {
    struct oit_row *rows; /* sql_oit_items, copied */
    size_t n;
};

static bool version_or_fail(struct http_request *req, struct oreq *o)
{
    if (o->version)
        return true;
    oreq_fail(req, o, 404,
              arena_sprintf(&req->arena, "ยังไม่มีรายการข้อ OIT ของปีงบประมาณ %d ในระบบ", o->year));
    return false;
}

static void ask_items(struct http_request *req, struct oreq *o, int state)
{
    const char *p[OIT_ITEMS_NPARAMS];
    p[OIT_ITEMS_P_AGENCY] = o->agency_id;
    p[OIT_ITEMS_P_YEAR] = o->year_s;
    oreq_run(req, o, &sql_oit_items, p, state);
}

/* ---- the overview ---- */

static void work_resolved(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    (void)r;
    if (!version_or_fail(req, o))
        return;
    struct work_req *w = arena_alloc(&req->arena, sizeof *w);
    memset(w, 0, sizeof *w);
    o->data = w;
    ask_items(req, o, WORK_ITEMS);
}

static void work_items(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    struct work_req *w = o->data;
    char today[16];
    ita_today_iso(today, sizeof today);
    w->rows = oit_rows_read(&req->arena, r->res, today, &w->n);
    const char *p[OIT_UNITS_NPARAMS];
    p[OIT_UNITS_P_AGENCY] = o->agency_id;
    oreq_run(req, o, &sql_oit_units, p, WORK_UNITS);
}

static json_t *rows_json(const struct oit_row *rows, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct oit_row *x = &rows[i];
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:b}", "code", x->code,
                         "title_th", x->title, "state", OIT_STATE_CODE[x->st], "due_on", x->due_on,
                         "units", x->units, "urls", x->urls, "n_urls", (json_int_t)x->n_urls,
                         "n_failed", (json_int_t)x->n_failed, "late", x->late, "broken",
                         x->n_failed > 0));
    }
    return a;
}

/* The notice after copying or the suggested units (from the redirect's query). */
static const char *notice(struct http_request *req, const struct oreq *o)
{
    long copied = admin_query_int(req, "copied"), skipped = admin_query_int(req, "skipped");
    long units = admin_query_int(req, "units"), items = admin_query_int(req, "assigned");
    if (copied >= 0 && skipped >= 0)
        return arena_sprintf(&req->arena,
                             "คัดลอกการมอบหมายจากปี %d แล้ว %ld ข้อ ข้าม %ld ข้อ "
                             "(มีการมอบหมายในปีนี้อยู่แล้ว)",
                             o->year - 1, copied, skipped);
    if (units >= 0 && items >= 0)
        return arena_sprintf(&req->arena,
                             "ใช้หน่วยงานที่แนะนำแล้ว: เพิ่มหน่วยงานใหม่ %ld หน่วยงาน "
                             "มอบหมาย %ld ข้อ (เฉพาะข้อที่ยังไม่มีหน่วยงาน)",
                             units, items);
    return NULL;
}

static void work_units(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    struct work_req *w = o->data;
    struct oit_overview_model m = {
        .units = oit_table_copy(&req->arena, r->res), .rows = w->rows, .n = w->n};
    const struct oit_row *rows = w->rows;
    const char *st = admin_query_typed(req, "state"), *unit = admin_query_typed(req, "unit");
    m.f.state = oit_state_of(st);
    m.f.unit = strspn(unit, "0123456789") == strlen(unit) && strlen(unit) <= 9 ? unit : "";
    m.f.late = admin_query_str(req, "late") != NULL;
    m.f.broken = admin_query_str(req, "broken") != NULL;
    if (o->u->api) {
        json_t *doc = json_pack("{s:s, s:i, s:o}", "agency", o->code, "fiscal_year", o->year,
                                "items", rows_json(rows, m.n));
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    char csrf[40];
    admin_csrf_token(req, o->u, csrf);
    m.csrf = csrf;
    m.notice = notice(req, o);
    struct strbuf p;
    strbuf_init(&p);
    oreq_page_begin(&p, req, o, arena_sprintf(&req->arena, "งาน OIT ปีงบประมาณ %d", o->year));
    oit_overview_view(&p, o, &m);
    page_frame_finish(&p);
    admin_send_page(req, 200, &p);
}

void admin_oit_work(struct http_request *req, const struct admin_user *u)
{
    static const oreq_step steps[] = {
        [WORK_RESOLVED] = work_resolved, [WORK_ITEMS] = work_items, [WORK_UNITS] = work_units};
    oreq_resolve(req, u, "/admin/oit-work", OREQ_STEPS(steps));
}

/* ---- the CSV ---- */

/* The lines of s joined by sep into the arena. */
static const char *joined(struct arena *a, const char *s, const char *sep)
{
    struct strbuf b;
    strbuf_init(&b);
    for (const char *c = s; *c;) {
        size_t k = strcspn(c, "\n");
        if (b.len)
            strbuf_puts(&b, sep);
        strbuf_append(&b, c, k);
        c += k + (c[k] == '\n');
    }
    const char *out = arena_strndup(a, b.data ? b.data : "", b.len);
    strbuf_free(&b);
    return out;
}

static void csv_items(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    char today[16];
    ita_today_iso(today, sizeof today);
    size_t n;
    struct oit_row *rows = oit_rows_read(&req->arena, r->res, today, &n);
    struct strbuf csv;
    strbuf_init(&csv);
    ita_csv_write_bom(&csv);
    static const char *const head[] = {"ข้อ",        "ข้อมูล",  "องค์ประกอบด้านข้อมูล", "หน่วยงานรับผิดชอบ",
                                       "กำหนดเสร็จ", "สถานะ", "ลิงก์หลักฐาน"};
    ita_csv_write_row(&csv, head, sizeof head / sizeof head[0]);
    for (size_t i = 0; i < n; i++) {
        const struct oit_row *x = &rows[i];
        char due[ITA_THAI_DATE_SIZE] = "";
        if (x->due_on[0] && !ita_thai_date_short(x->due_on, due, sizeof due))
            due[0] = '\0';
        const char *f[7] = {x->code,
                            x->title,
                            joined(&req->arena, x->requirements, "\n"),
                            joined(&req->arena, x->units, "\n"),
                            due,
                            OIT_STATE_TH[x->st],
                            joined(&req->arena, x->urls, "\n")};
        ita_csv_write_row(&csv, f, 7);
    }
    http_add_header(
        req, "Content-Disposition",
        arena_sprintf(&req->arena, "attachment; filename=\"oit-responsibility-%d.csv\"", o->year));
    http_respond(req, 200, "text/csv; charset=utf-8", csv.data, csv.len);
    strbuf_free(&csv);
}

static void csv_resolved(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    (void)r;
    if (version_or_fail(req, o))
        ask_items(req, o, WORK_ITEMS);
}

void admin_oit_work_csv(struct http_request *req, const struct admin_user *u)
{
    static const oreq_step steps[] = {[WORK_RESOLVED] = csv_resolved, [WORK_ITEMS] = csv_items};
    oreq_resolve(req, u, "/admin/oit-work.csv", OREQ_STEPS(steps));
}

/* ---- copying last year, the suggested units ---- */

static void copy_resolved(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    (void)r;
    if (!version_or_fail(req, o))
        return;
    if (!o->prev_version) {
        oreq_fail(req, o, 409,
                  arena_sprintf(&req->arena, "ไม่มีรายการข้อ OIT ของปี %d ให้คัดลอก", o->year - 1));
        return;
    }
    const char *shift = o->form ? form_get(o->form, "shift") : NULL;
    const char *p[OIT_COPY_YEAR_NPARAMS];
    p[OIT_COPY_YEAR_P_AGENCY] = o->agency_id;
    p[OIT_COPY_YEAR_P_YEAR] = o->year_s;
    p[OIT_COPY_YEAR_P_SHIFT] = shift && !strcmp(shift, "1") ? "true" : "false";
    p[OIT_COPY_YEAR_P_ADMIN] = o->uid;
    oreq_run(req, o, &sql_oit_copy_year, p, WORK_COPIED);
}

static void copied(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    long long c = db_int(r->res, 0, OIT_COPY_YEAR_COPIED),
              s = db_int(r->res, 0, OIT_COPY_YEAR_SKIPPED);
    if (o->u->api) {
        json_t *doc = json_pack("{s:I, s:I}", "copied", (json_int_t)c, "skipped", (json_int_t)s);
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    oreq_redirect(req, arena_sprintf(&req->arena,
                                     "/admin/oit-work?agency=%s&year=%d&copied=%lld&skipped=%lld",
                                     o->agency_id, o->year, c, s));
}

void admin_oit_work_copy(struct http_request *req, const struct admin_user *u)
{
    static const oreq_step steps[] = {[WORK_RESOLVED] = copy_resolved, [WORK_COPIED] = copied};
    oreq_resolve(req, u, "/admin/oit-work/copy", OREQ_STEPS(steps));
}

static void suggested_resolved(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    (void)r;
    if (!version_or_fail(req, o))
        return;
    if (!o->suggested) {
        oreq_fail(req, o, 409, "แบบวัดของปีนี้ไม่มีหน่วยงานที่แนะนำ");
        return;
    }
    const char *p[OIT_SUGGESTED_NPARAMS];
    p[OIT_SUGGESTED_P_AGENCY] = o->agency_id;
    p[OIT_SUGGESTED_P_YEAR] = o->year_s;
    p[OIT_SUGGESTED_P_ADMIN] = o->uid;
    oreq_run(req, o, &sql_oit_suggested, p, WORK_SUGGESTED);
}

static void suggested_done(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    long long units = db_int(r->res, 0, OIT_SUGGESTED_UNITS),
              items = db_int(r->res, 0, OIT_SUGGESTED_ITEMS);
    if (o->u->api) {
        json_t *doc = json_pack("{s:I, s:I}", "units_created", (json_int_t)units, "items_assigned",
                                (json_int_t)items);
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    oreq_redirect(req, arena_sprintf(&req->arena,
                                     "/admin/oit-work?agency=%s&year=%d&units=%lld&assigned=%lld",
                                     o->agency_id, o->year, units, items));
}

void admin_oit_work_suggested(struct http_request *req, const struct admin_user *u)
{
    static const oreq_step steps[] = {
        [WORK_RESOLVED] = suggested_resolved, [WORK_SUGGESTED] = suggested_done};
    oreq_resolve(req, u, "/admin/oit-work/suggested", OREQ_STEPS(steps));
}
