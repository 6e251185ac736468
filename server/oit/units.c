/* /admin/units: an agency's internal units (สำนักปลัดเทศบาล, กองคลัง ...) that OIT items are
 * assigned to. GET lists them; POST op=add|rename|up|down|retire|restore|delete changes one and
 * goes back to the list (303), or shows the list again with the Thai reason (422) and the typed
 * name kept when the name is empty, too long or taken. A unit an assignment uses is never
 * deleted (retire it). Each change and its audit_log row are one statement (oit_work_sql.c). */
#include "oit_work.h"
#include "oit_work_handlers.h"
#include "oit_work_sql.h"
#include "units_view.h"
#include "app/page_frame.h"
#include "db/db_row.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum units_state {
    UNITS_RESOLVED = OREQ_RESOLVED,
    UNITS_LISTED,  /* sql_oit_units answered: the page */
    UNITS_CHANGED, /* a change statement answered */
};

struct units_req {
    const char *op;    /* the posted op */
    const char *unit;  /* the posted unit id (digits) or NULL */
    const char *typed; /* the posted name as typed */
    const char *error; /* Thai, when the page is shown again */
    int status;
};

static void list(struct http_request *req, struct oreq *o)
{
    const char *p[OIT_UNITS_NPARAMS];
    p[OIT_UNITS_P_AGENCY] = o->agency_id;
    oreq_run(req, o, &sql_oit_units, p, UNITS_LISTED);
}

static void units_resolved_get(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    (void)r;
    struct units_req *ur = arena_alloc(&req->arena, sizeof *ur);
    memset(ur, 0, sizeof *ur);
    ur->status = 200;
    o->data = ur;
    list(req, o);
}

static void units_listed(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    struct units_req *ur = o->data;
    if (o->u->api) {
        if (ur->error) {
            admin_send_json_error(req, ur->status, ur->error);
            return;
        }
        json_t *a = json_array();
        for (int i = 0; i < PQntuples(r->res); i++)
            json_array_append_new(a,
                                  json_pack("{s:I, s:s, s:b, s:I}", "id",
                                            (json_int_t)db_int(r->res, i, OIT_UNITS_ID), "name_th",
                                            db_text(r->res, i, OIT_UNITS_NAME_TH), "retired",
                                            db_bool(r->res, i, OIT_UNITS_RETIRED), "used",
                                            (json_int_t)db_int(r->res, i, OIT_UNITS_USED)));
        json_t *doc = json_pack("{s:s, s:o}", "agency", o->code, "units", a);
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    char csrf[40];
    admin_csrf_token(req, o->u, csrf);
    struct units_model m = {
        .units = oit_table_copy(&req->arena, r->res),
        .csrf = csrf,
        .error = ur->error,
        .error_unit = ur->error && ur->unit && !strcmp(ur->op, "rename") ? atol(ur->unit) : 0,
        .typed = ur->typed,
        .done = ur->error ? NULL : admin_query_str(req, "done"),
    };
    struct strbuf p;
    strbuf_init(&p);
    oreq_page_begin(&p, req, o, "หน่วยงานภายใน");
    units_view(&p, o, &m);
    page_frame_finish(&p);
    admin_send_page(req, ur->status, &p);
}

/* Shows the list again with the reason (the typed name kept). */
static void refuse(struct http_request *req, struct oreq *o, int status, const char *why)
{
    struct units_req *ur = o->data;
    ur->error = why;
    ur->status = status;
    list(req, o);
}

static void units_resolved_post(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    (void)r;
    struct units_req *ur = arena_alloc(&req->arena, sizeof *ur);
    memset(ur, 0, sizeof *ur);
    o->data = ur;
    ur->op = oreq_param(req, o, "op");
    ur->unit = o->form ? form_get(o->form, "unit") : NULL;
    ur->typed = o->form ? form_get(o->form, "name") : NULL;
    ur->op = ur->op ? ur->op : "";
    bool named = !strcmp(ur->op, "add") || !strcmp(ur->op, "rename");
    bool is_unit = ur->unit && *ur->unit && strlen(ur->unit) <= 9 &&
                   strspn(ur->unit, "0123456789") == strlen(ur->unit);
    if (!named && strcmp(ur->op, "up") && strcmp(ur->op, "down") && strcmp(ur->op, "retire") &&
        strcmp(ur->op, "restore") && strcmp(ur->op, "delete")) {
        refuse(req, o, 400, "คำสั่งไม่ถูกต้อง");
        return;
    }
    if (strcmp(ur->op, "add") != 0 && !is_unit) {
        refuse(req, o, 400, "ไม่ได้ระบุหน่วยงานที่จะเปลี่ยน");
        return;
    }
    const char *name = NULL, *why = NULL;
    if (named && !(name = oit_unit_name(&req->arena, ur->typed, &why))) {
        refuse(req, o, 422, why);
        return;
    }
    if (!strcmp(ur->op, "add")) {
        const char *p[OIT_UNIT_ADD_NPARAMS];
        p[OIT_UNIT_ADD_P_AGENCY] = o->agency_id;
        p[OIT_UNIT_ADD_P_NAME] = name;
        p[OIT_UNIT_ADD_P_ADMIN] = o->uid;
        oreq_run_own_errors(req, o, &sql_oit_unit_add, p, UNITS_CHANGED);
    } else if (!strcmp(ur->op, "rename")) {
        const char *p[OIT_UNIT_RENAME_NPARAMS];
        p[OIT_UNIT_RENAME_P_AGENCY] = o->agency_id;
        p[OIT_UNIT_RENAME_P_UNIT] = ur->unit;
        p[OIT_UNIT_RENAME_P_NAME] = name;
        p[OIT_UNIT_RENAME_P_ADMIN] = o->uid;
        oreq_run_own_errors(req, o, &sql_oit_unit_rename, p, UNITS_CHANGED);
    } else if (!strcmp(ur->op, "up") || !strcmp(ur->op, "down")) {
        const char *p[OIT_UNIT_MOVE_NPARAMS];
        p[OIT_UNIT_MOVE_P_AGENCY] = o->agency_id;
        p[OIT_UNIT_MOVE_P_UNIT] = ur->unit;
        p[OIT_UNIT_MOVE_P_DELTA] = !strcmp(ur->op, "up") ? "-1" : "1";
        p[OIT_UNIT_MOVE_P_ADMIN] = o->uid;
        oreq_run_own_errors(req, o, &sql_oit_unit_move, p, UNITS_CHANGED);
    } else if (!strcmp(ur->op, "delete")) {
        const char *p[OIT_UNIT_DELETE_NPARAMS];
        p[OIT_UNIT_DELETE_P_AGENCY] = o->agency_id;
        p[OIT_UNIT_DELETE_P_UNIT] = ur->unit;
        p[OIT_UNIT_DELETE_P_ADMIN] = o->uid;
        oreq_run_own_errors(req, o, &sql_oit_unit_delete, p, UNITS_CHANGED);
    } else {
        const char *p[OIT_UNIT_RETIRE_NPARAMS];
        p[OIT_UNIT_RETIRE_P_AGENCY] = o->agency_id;
        p[OIT_UNIT_RETIRE_P_UNIT] = ur->unit;
        p[OIT_UNIT_RETIRE_P_RETIRED] = !strcmp(ur->op, "retire") ? "true" : "false";
        p[OIT_UNIT_RETIRE_P_ADMIN] = o->uid;
        oreq_run_own_errors(req, o, &sql_oit_unit_retire, p, UNITS_CHANGED);
    }
}

static void units_changed(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    struct units_req *ur = o->data;
    if (!r->ok) {
        /* two clerks adding the same name at once, or an assignment made while deleting */
        if (r->sqlstate && !strcmp(r->sqlstate, "23505"))
            refuse(req, o, 422, "มีหน่วยงานชื่อนี้อยู่แล้ว");
        else if (r->sqlstate && !strcmp(r->sqlstate, "23503"))
            refuse(req, o, 409, "หน่วยงานนี้มีการมอบหมายงานแล้ว ลบไม่ได้ ใช้ปุ่มเลิกใช้แทน");
        else
            refuse(req, o, 500, "ระบบฐานข้อมูลไม่รับการเปลี่ยนแปลงนี้ กรุณาลองใหม่");
        return;
    }
    const PGresult *res = r->res;
    if (!strcmp(ur->op, "add")) {
        if (db_int(res, 0, OIT_UNIT_ADD_ADDED) == 0) {
            refuse(req, o, 422, "มีหน่วยงานชื่อนี้อยู่แล้ว");
            return;
        }
    } else if (!strcmp(ur->op, "rename")) {
        if (!db_bool(res, 0, OIT_UNIT_RENAME_FOUND)) {
            oreq_fail(req, o, 404, "ไม่พบหน่วยงานภายในนี้");
            return;
        }
        if (db_bool(res, 0, OIT_UNIT_RENAME_DUPLICATE)) {
            refuse(req, o, 422, "มีหน่วยงานชื่อนี้อยู่แล้ว");
            return;
        }
    } else if (!strcmp(ur->op, "delete")) {
        if (!db_bool(res, 0, OIT_UNIT_DELETE_FOUND)) {
            oreq_fail(req, o, 404, "ไม่พบหน่วยงานภายในนี้");
            return;
        }
        if (!db_bool(res, 0, OIT_UNIT_DELETE_DELETED)) {
            refuse(req, o, 409, "หน่วยงานนี้มีการมอบหมายงานแล้ว ลบไม่ได้ ใช้ปุ่มเลิกใช้แทน");
            return;
        }
    } else if (!db_bool(res, 0, 0)) { /* move, retire: FOUND is their first column */
        oreq_fail(req, o, 404, "ไม่พบหน่วยงานภายในนี้");
        return;
    }
    if (o->u->api) {
        json_t *doc = json_pack("{s:s}", "done", ur->op);
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    oreq_redirect(req, arena_sprintf(&req->arena, "/admin/units?agency=%s&year=%d&done=%s",
                                     o->agency_id, o->year, ur->op));
}

_Static_assert(OIT_UNIT_MOVE_FOUND == 0 && OIT_UNIT_RETIRE_FOUND == 0,
               "move and retire answer FOUND first");

void admin_units(struct http_request *req, const struct admin_user *u)
{
    static const oreq_step steps[] = {
        [UNITS_RESOLVED] = units_resolved_get, [UNITS_LISTED] = units_listed};
    oreq_resolve(req, u, "/admin/units", OREQ_STEPS(steps));
}

void admin_units_post(struct http_request *req, const struct admin_user *u)
{
    static const oreq_step steps[] = {[UNITS_RESOLVED] = units_resolved_post,
                                      [UNITS_LISTED] = units_listed,
                                      [UNITS_CHANGED] = units_changed};
    oreq_resolve(req, u, "/admin/units", OREQ_STEPS(steps));
}
