/* /admin/oit-work/item?year=&code=O14: one OIT item of an agency's year. GET shows its
 * requirements (when the version has them), the form (state, due date, units, note), its
 * evidence URLs with the link checker's last verdict, and its history from audit_log. POST
 * op=save|url_add|url_remove|url_up|url_down|check changes it and goes back to the page (303);
 * a refused value shows the page again (422) with the Thai reason and what was typed. */
#include "oit_work.h"
#include "oit_work_handlers.h"
#include "oit_work_sql.h"
#include "oit_work_view.h"
#include "app/page_frame.h"
#include "db/db_row.h"
#include "thai_date.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum item_state {
    ITEM_RESOLVED = OREQ_RESOLVED,
    ITEM_ITEMS,    /* sql_oit_items answered */
    ITEM_UNITS,    /* sql_oit_units */
    ITEM_EVIDENCE, /* sql_oit_evidence */
    ITEM_HISTORY,  /* sql_oit_item_history: the page */
    ITEM_CHANGED,  /* a change statement */
};

struct item_req {
    const char *code;
    const struct oit_row *row;
    const struct oit_table *units, *evidence; /* copied */
    const char *op;
    const char *error, *error_field;
    int status;
    bool typed; /* form holds what was typed (a refused save) */
    struct oit_item_form form;
};

static bool item_code_ok(const char *c)
{
    size_t n = c ? strlen(c) : 0;
    return n >= 2 && n <= 4 && c[0] == 'O' && strspn(c + 1, "0123456789") == n - 1;
}

static bool digits(const char *v, size_t max)
{
    size_t n = v ? strlen(v) : 0;
    return n >= 1 && n <= max && strspn(v, "0123456789") == n;
}

static struct item_req *item_begin(struct http_request *req, struct oreq *o)
{
    struct item_req *ir = arena_alloc(&req->arena, sizeof *ir);
    memset(ir, 0, sizeof *ir);
    ir->status = 200;
    o->data = ir;
    ir->code = oreq_param(req, o, "code");
    if (!o->version) {
        oreq_fail(req, o, 404,
                  arena_sprintf(&req->arena, "ยังไม่มีรายการข้อ OIT ของปีงบประมาณ %d ในระบบ", o->year));
        return NULL;
    }
    if (!item_code_ok(ir->code)) {
        oreq_fail(req, o, 404, "ไม่พบข้อ OIT นี้ในปีงบประมาณนี้ (code= เช่น O14)");
        return NULL;
    }
    return ir;
}

/* ---- the page ---- */

static void ask_items(struct http_request *req, struct oreq *o)
{
    const char *p[OIT_ITEMS_NPARAMS];
    p[OIT_ITEMS_P_AGENCY] = o->agency_id;
    p[OIT_ITEMS_P_YEAR] = o->year_s;
    oreq_run(req, o, &sql_oit_items, p, ITEM_ITEMS);
}

static void item_get_resolved(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    (void)r;
    if (item_begin(req, o))
        ask_items(req, o);
}

static void item_items(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    struct item_req *ir = o->data;
    char today[16];
    ita_today_iso(today, sizeof today);
    size_t n;
    struct oit_row *rows = oit_rows_read(&req->arena, r->res, today, &n);
    for (size_t i = 0; i < n && !ir->row; i++)
        if (!strcmp(rows[i].code, ir->code))
            ir->row = &rows[i];
    if (!ir->row) {
        oreq_fail(req, o, 404, "ไม่พบข้อ OIT นี้ในปีงบประมาณนี้");
        return;
    }
    if (!ir->typed)
        ir->form = (struct oit_item_form){.state = ir->row->state,
                                          .due_on = ir->row->due_on,
                                          .note = ir->row->note,
                                          .unit_ids = ir->row->unit_ids,
                                          .url = ir->form.url ? ir->form.url : ""};
    const char *p[OIT_UNITS_NPARAMS];
    p[OIT_UNITS_P_AGENCY] = o->agency_id;
    oreq_run(req, o, &sql_oit_units, p, ITEM_UNITS);
}

static void item_units(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    struct item_req *ir = o->data;
    ir->units = oit_table_copy(&req->arena, r->res);
    const char *p[OIT_EVIDENCE_NPARAMS];
    p[OIT_EVIDENCE_P_AGENCY] = o->agency_id;
    p[OIT_EVIDENCE_P_YEAR] = o->year_s;
    p[OIT_EVIDENCE_P_CODE] = ir->code;
    oreq_run(req, o, &sql_oit_evidence, p, ITEM_EVIDENCE);
}

static void item_evidence(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    struct item_req *ir = o->data;
    ir->evidence = oit_table_copy(&req->arena, r->res);
    const char *p[OIT_ITEM_HISTORY_NPARAMS];
    p[OIT_ITEM_HISTORY_P_AGENCY] = o->agency_id;
    p[OIT_ITEM_HISTORY_P_YEAR] = o->year_s;
    p[OIT_ITEM_HISTORY_P_CODE] = ir->code;
    oreq_run(req, o, &sql_oit_item_history, p, ITEM_HISTORY);
}

static json_t *evidence_json(const struct oit_table *e)
{
    json_t *a = json_array();
    for (int i = 0; i < e->rows; i++)
        json_array_append_new(a,
                              json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id",
                                        (json_int_t)oit_cell_int(e, i, OIT_EVIDENCE_ID), "url",
                                        oit_cell(e, i, OIT_EVIDENCE_URL), "check_state",
                                        oit_cell(e, i, OIT_EVIDENCE_STATE), "reason",
                                        oit_cell(e, i, OIT_EVIDENCE_REASON), "checked_at",
                                        oit_cell(e, i, OIT_EVIDENCE_CHECKED_AT), "check_requested",
                                        oit_cell_bool(e, i, OIT_EVIDENCE_REQUESTED)));
    return a;
}

static void item_history(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    struct item_req *ir = o->data;
    if (o->u->api) {
        if (ir->error) {
            admin_send_json_error(req, ir->status, ir->error);
            return;
        }
        const struct oit_row *x = ir->row;
        json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "code", x->code,
                                "title_th", x->title, "state", OIT_STATE_CODE[x->st], "due_on",
                                x->due_on, "units", x->units, "note", x->note, "late", x->late,
                                "evidence", evidence_json(ir->evidence));
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    char csrf[40];
    admin_csrf_token(req, o->u, csrf);
    struct oit_item_model m = {.row = ir->row,
                               .units = ir->units,
                               .evidence = ir->evidence,
                               .history = oit_table_copy(&req->arena, r->res),
                               .csrf = csrf,
                               .form = ir->form,
                               .error = ir->error,
                               .error_field = ir->error_field,
                               .done = admin_query_str(req, "done"),
                               .arena = &req->arena};
    struct strbuf p;
    strbuf_init(&p);
    oreq_page_begin(&p, req, o,
                    arena_sprintf(&req->arena, "งาน OIT ข้อ %s ปีงบประมาณ %d", ir->code, o->year));
    oit_item_view(&p, o, &m);
    page_frame_finish(&p);
    admin_send_page(req, ir->status, &p);
}

void admin_oit_work_item(struct http_request *req, const struct admin_user *u)
{
    static const oreq_step steps[] = {[ITEM_RESOLVED] = item_get_resolved,
                                      [ITEM_ITEMS] = item_items,
                                      [ITEM_UNITS] = item_units,
                                      [ITEM_EVIDENCE] = item_evidence,
                                      [ITEM_HISTORY] = item_history};
    oreq_resolve(req, u, "/admin/oit-work/item", OREQ_STEPS(steps));
}

/* ---- changes ---- */

/* Shows the page again with the reason beside field (the typed values kept). */
static void refuse(struct http_request *req, struct oreq *o, int status, const char *field,
                   const char *why)
{
    struct item_req *ir = o->data;
    ir->status = status;
    ir->error = why;
    ir->error_field = field;
    ask_items(req, o);
}

/* The posted units as an int[] literal and a comma list; false when one is not a number. */
static bool posted_units(struct http_request *req, const struct form_data *f, const char **array,
                         const char **list)
{
    struct strbuf a, l;
    strbuf_init(&a);
    strbuf_init(&l);
    strbuf_puts(&a, "{");
    bool ok = true;
    for (size_t i = 0; f && i < f->n; i++) {
        if (strcmp(f->pairs[i].name, "unit") != 0)
            continue;
        if (!digits(f->pairs[i].value, 9)) {
            ok = false;
            break;
        }
        strbuf_printf(&a, "%s%s", a.len > 1 ? "," : "", f->pairs[i].value);
        strbuf_printf(&l, "%s%s", l.len ? "," : "", f->pairs[i].value);
    }
    strbuf_puts(&a, "}");
    *array = arena_strndup(&req->arena, a.data, a.len);
    *list = arena_strndup(&req->arena, l.data ? l.data : "", l.len);
    strbuf_free(&a);
    strbuf_free(&l);
    return ok;
}

static void save(struct http_request *req, struct oreq *o, struct item_req *ir)
{
    const struct form_data *f = o->form;
    const char *state = f ? form_get(f, "state") : NULL, *due = f ? form_get(f, "due_on") : NULL,
               *note = f ? form_get(f, "note") : NULL, *units = NULL, *list = NULL;
    state = state ? state : "";
    due = due ? due : "";
    note = note ? note : "";
    bool units_ok = posted_units(req, f, &units, &list);
    ir->typed = true;
    ir->form = (struct oit_item_form){
        .state = state, .due_on = due, .note = note, .unit_ids = list, .url = ""};
    if (oit_state_of(state) < 0)
        refuse(req, o, 422, "state", "กรุณาเลือกสถานะ");
    else if (!oit_due_ok(due))
        refuse(req, o, 422, "due_on", "วันที่กำหนดเสร็จไม่ถูกต้อง กรุณาเลือกวันจากปฏิทิน");
    else if (oit_utf8_chars(note) > OIT_NOTE_MAX)
        refuse(req, o, 422, "note", "หมายเหตุยาวเกินไป (ไม่เกิน 2,000 ตัวอักษร)");
    else if (!units_ok)
        refuse(req, o, 422, "units", "หน่วยงานที่เลือกไม่ถูกต้อง");
    else {
        const char *p[OIT_ITEM_SAVE_NPARAMS];
        p[OIT_ITEM_SAVE_P_AGENCY] = o->agency_id;
        p[OIT_ITEM_SAVE_P_YEAR] = o->year_s;
        p[OIT_ITEM_SAVE_P_CODE] = ir->code;
        p[OIT_ITEM_SAVE_P_STATE] = state;
        p[OIT_ITEM_SAVE_P_DUE_ON] = due;
        p[OIT_ITEM_SAVE_P_NOTE] = note;
        p[OIT_ITEM_SAVE_P_UNITS] = units;
        p[OIT_ITEM_SAVE_P_ADMIN] = o->uid;
        oreq_run_own_errors(req, o, &sql_oit_item_save, p, ITEM_CHANGED);
    }
}

static void item_post_resolved(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    (void)r;
    struct item_req *ir = item_begin(req, o);
    if (!ir)
        return;
    const char *op = o->form ? form_get(o->form, "op") : NULL;
    ir->op = op ? op : "";
    const char *ev = o->form ? form_get(o->form, "evidence") : NULL;
    if (!strcmp(ir->op, "save")) {
        save(req, o, ir);
    } else if (!strcmp(ir->op, "url_add")) {
        const char *typed = o->form ? form_get(o->form, "url") : NULL, *why = NULL;
        ir->form.url = typed ? typed : "";
        const char *url = oit_evidence_url(&req->arena, typed, &why);
        if (!url) {
            refuse(req, o, 422, "url", why);
            return;
        }
        const char *p[OIT_EVIDENCE_ADD_NPARAMS];
        p[OIT_EVIDENCE_ADD_P_AGENCY] = o->agency_id;
        p[OIT_EVIDENCE_ADD_P_YEAR] = o->year_s;
        p[OIT_EVIDENCE_ADD_P_CODE] = ir->code;
        p[OIT_EVIDENCE_ADD_P_URL] = url;
        p[OIT_EVIDENCE_ADD_P_ADMIN] = o->uid;
        oreq_run_own_errors(req, o, &sql_oit_evidence_add, p, ITEM_CHANGED);
    } else if (!strcmp(ir->op, "url_remove")) {
        if (!digits(ev, 18)) {
            refuse(req, o, 400, NULL, "ไม่ได้ระบุลิงก์ที่จะลบ");
            return;
        }
        const char *p[OIT_EVIDENCE_REMOVE_NPARAMS];
        p[OIT_EVIDENCE_REMOVE_P_AGENCY] = o->agency_id;
        p[OIT_EVIDENCE_REMOVE_P_YEAR] = o->year_s;
        p[OIT_EVIDENCE_REMOVE_P_CODE] = ir->code;
        p[OIT_EVIDENCE_REMOVE_P_ID] = ev;
        p[OIT_EVIDENCE_REMOVE_P_ADMIN] = o->uid;
        oreq_run_own_errors(req, o, &sql_oit_evidence_remove, p, ITEM_CHANGED);
    } else if (!strcmp(ir->op, "url_up") || !strcmp(ir->op, "url_down")) {
        if (!digits(ev, 18)) {
            refuse(req, o, 400, NULL, "ไม่ได้ระบุลิงก์ที่จะเลื่อน");
            return;
        }
        const char *p[OIT_EVIDENCE_MOVE_NPARAMS];
        p[OIT_EVIDENCE_MOVE_P_AGENCY] = o->agency_id;
        p[OIT_EVIDENCE_MOVE_P_YEAR] = o->year_s;
        p[OIT_EVIDENCE_MOVE_P_CODE] = ir->code;
        p[OIT_EVIDENCE_MOVE_P_ID] = ev;
        p[OIT_EVIDENCE_MOVE_P_DELTA] = !strcmp(ir->op, "url_up") ? "-1" : "1";
        p[OIT_EVIDENCE_MOVE_P_ADMIN] = o->uid;
        oreq_run_own_errors(req, o, &sql_oit_evidence_move, p, ITEM_CHANGED);
    } else if (!strcmp(ir->op, "check")) {
        const char *p[OIT_CHECK_REQUEST_NPARAMS];
        p[OIT_CHECK_REQUEST_P_AGENCY] = o->agency_id;
        p[OIT_CHECK_REQUEST_P_YEAR] = o->year_s;
        p[OIT_CHECK_REQUEST_P_CODE] = ir->code;
        p[OIT_CHECK_REQUEST_P_ADMIN] = o->uid;
        oreq_run_own_errors(req, o, &sql_oit_check_request, p, ITEM_CHANGED);
    } else {
        refuse(req, o, 400, NULL, "คำสั่งไม่ถูกต้อง");
    }
}

static void item_changed(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    struct item_req *ir = o->data;
    if (!r->ok) {
        /* a check constraint (a value the form let through) or a race on the same URL */
        if (r->sqlstate && !strcmp(r->sqlstate, "23505"))
            refuse(req, o, 422, "url", "ข้อนี้มีลิงก์นี้อยู่แล้ว");
        else if (r->sqlstate && !strncmp(r->sqlstate, "23", 2))
            refuse(req, o, 422, NULL, "ฐานข้อมูลไม่รับค่าที่กรอก กรุณาตรวจแล้วลองอีกครั้ง");
        else
            refuse(req, o, 500, NULL, "ระบบฐานข้อมูลขัดข้อง กรุณาลองใหม่ภายหลัง");
        return;
    }
    const PGresult *res = r->res;
    if (!strcmp(ir->op, "save") && !db_bool(res, 0, OIT_ITEM_SAVE_FOUND)) {
        oreq_fail(req, o, 404, "ไม่พบข้อ OIT นี้ในปีงบประมาณนี้");
        return;
    }
    if (!strcmp(ir->op, "url_add")) {
        if (!db_bool(res, 0, OIT_EVIDENCE_ADD_FOUND)) {
            oreq_fail(req, o, 404, "ไม่พบข้อ OIT นี้ในปีงบประมาณนี้");
            return;
        }
        if (db_int(res, 0, OIT_EVIDENCE_ADD_ADDED) == 0) {
            refuse(req, o, 422, "url", "ข้อนี้มีลิงก์นี้อยู่แล้ว");
            return;
        }
    }
    if (!strcmp(ir->op, "url_remove") && db_int(res, 0, OIT_EVIDENCE_REMOVE_REMOVED) == 0) {
        oreq_fail(req, o, 404, "ไม่พบลิงก์นี้");
        return;
    }
    if (o->u->api) {
        json_t *doc = json_pack("{s:s, s:s}", "code", ir->code, "done", ir->op);
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    oreq_redirect(
        req, arena_sprintf(
                 &req->arena, "/admin/oit-work/item?agency=%s&year=%d&code=%s&done=%s%s",
                 o->agency_id, o->year, ir->code, ir->op,
                 strncmp(ir->op, "url", 3) && strcmp(ir->op, "check") ? "" : "#evidence-title"));
}

void admin_oit_work_item_post(struct http_request *req, const struct admin_user *u)
{
    static const oreq_step steps[] = {[ITEM_RESOLVED] = item_post_resolved,
                                      [ITEM_ITEMS] = item_items,
                                      [ITEM_UNITS] = item_units,
                                      [ITEM_EVIDENCE] = item_evidence,
                                      [ITEM_HISTORY] = item_history,
                                      [ITEM_CHANGED] = item_changed};
    oreq_resolve(req, u, "/admin/oit-work/item", OREQ_STEPS(steps));
}
