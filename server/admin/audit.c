/* /admin/audit: the audit log, newest first, AUDIT_PAGE_SIZE entries a page (keyset on the id:
 * ?before=<id>), filtered by action, agency code (system administrators only), part of the
 * administrator's e-mail and a range of Thailand's days typed the Thai way (1/10/2569). System
 * administrators see every entry, agency administrators the entries of their own agency (the
 * scope is in the statement, sql_audit_page). Each entry is shown as a Thai sentence built from
 * the safe fields of its detail (audit_view.c); API tokens get the same as JSON (docs/api.md). */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "audit_sql.h"
#include "audit_view.h"
#include "contact_list.h"
#include "db/db_row.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_MAX 200 /* bytes of one typed filter */

enum audit_state {
    AUDIT_LISTED, /* sql_audit_page answered */
};

/* The request's filters and the statement's parameters (request arena, s->page). */
struct audit_req {
    struct audit_model m;
    char from_iso[16], to_iso[16], before[24], limit[8];
};

/* A typed day into iso (YYYY-MM-DD); false with *msg a Thai message when it is not a date. */
static bool day_of(struct http_request *req, const char *v, const char *label, char iso[16],
                   const char **msg)
{
    struct ita_date d;
    const char *why = NULL;
    if (ita_date_parse(v, &d, &why) != 0) {
        *msg = arena_sprintf(&req->arena, "%s \"%s\" ไม่ใช่วันที่ที่ถูกต้อง: %s (ตัวอย่าง 1/10/2569)", label,
                             v, why ? why : "");
        return false;
    }
    snprintf(iso, 16, "%04d-%02d-%02d", d.y, d.m, d.d);
    return true;
}

static const char *null_if_empty(const char *v)
{
    return v && *v ? v : NULL;
}

static void audit_answer(struct http_request *req, struct setup *s, int status)
{
    struct audit_req *a = s->page;
    struct strbuf p;
    setup_page_begin(&p, req, s, "บันทึกการดำเนินการของผู้ดูแล");
    audit_view(&p, s, &a->m);
    setup_send_page(req, status, &p);
}

static json_t *audit_json(const struct audit_model *m)
{
    json_t *entries = json_array();
    for (size_t i = 0; i < m->n; i++) {
        const struct audit_entry *e = &m->entries[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "at", e->at, "admin", e->email, "action",
                              e->action, "detail", e->text);
        json_object_set_new(o, "agency_code",
                            *e->agency_code ? json_string(e->agency_code) : json_null());
        json_array_append_new(entries, o);
    }
    return json_pack("{s:o, s:o}", "entries", entries, "next",
                     m->next ? json_integer((json_int_t)m->next) : json_null());
}

static void audit_listed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct audit_req *a = s->page;
    struct audit_model *m = &a->m;
    int rows = PQntuples(r->res);
    size_t n = rows > AUDIT_PAGE_SIZE ? AUDIT_PAGE_SIZE : (size_t)rows;
    m->entries = arena_alloc(&req->arena, sizeof *m->entries * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        int row = (int)i;
        struct audit_entry *e = &m->entries[i];
        e->id = db_int(r->res, row, AUDIT_PAGE_ID);
        e->at = db_text(r->res, row, AUDIT_PAGE_AT);
        e->email = db_text(r->res, row, AUDIT_PAGE_EMAIL);
        e->agency_code = db_text(r->res, row, AUDIT_PAGE_AGENCY_CODE);
        e->agency_name = db_text(r->res, row, AUDIT_PAGE_AGENCY_NAME);
        e->action = db_text(r->res, row, AUDIT_PAGE_ACTION);
        struct strbuf t;
        strbuf_init(&t);
        audit_describe(&t, e->action, db_text(r->res, row, AUDIT_PAGE_FISCAL_YEAR),
                       db_text(r->res, row, AUDIT_PAGE_DETAIL),
                       db_text(r->res, row, AUDIT_PAGE_TARGET));
        e->text = arena_strndup(&req->arena, t.len ? t.data : "", t.len);
        strbuf_free(&t);
    }
    m->n = n;
    m->next = rows > AUDIT_PAGE_SIZE ? m->entries[n - 1].id : 0;
    if (s->u->api) {
        setup_send_json(req, 200, audit_json(m));
        return;
    }
    audit_answer(req, s, 200);
}

void admin_audit(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[AUDIT_LISTED] = audit_listed};
    struct setup *s = setup_new(req, u, SETUP_STEPS(steps));
    struct audit_req *a = arena_alloc(&req->arena, sizeof *a);
    memset(a, 0, sizeof *a);
    s->page = a;
    struct audit_model *m = &a->m;
    m->system = u->system;
    m->action = admin_query_typed(req, "action");
    m->agency = u->system ? admin_query_typed(req, "agency")
                          : ""; /* an agency administrator's is ignored */
    m->email = admin_query_typed(req, "email");
    m->from = admin_query_typed(req, "from");
    m->to = admin_query_typed(req, "to");
    long before = admin_query_int(req, "before");
    m->before = before > 0 ? before : 0;
    const char *msg = NULL;
    if (strlen(m->action) > FILTER_MAX || strlen(m->agency) > FILTER_MAX ||
        strlen(m->email) > FILTER_MAX || strlen(m->from) > FILTER_MAX || strlen(m->to) > FILTER_MAX)
        msg = "เงื่อนไขที่พิมพ์ยาวเกินไป";
    if (!msg && *m->from)
        (void)day_of(req, m->from, "วันที่เริ่มต้น", a->from_iso, &msg);
    if (!msg && *m->to)
        (void)day_of(req, m->to, "วันที่สิ้นสุด", a->to_iso, &msg);
    if (!msg && *a->from_iso && *a->to_iso && strcmp(a->from_iso, a->to_iso) > 0)
        msg = "วันที่เริ่มต้นอยู่หลังวันที่สิ้นสุด กรุณาสลับหรือแก้วันที่";
    if (msg) {
        if (u->api) {
            setup_fail(req, s, 400, msg);
            return;
        }
        m->error = msg;
        audit_answer(req, s, 400);
        return;
    }
    if (m->before)
        snprintf(a->before, sizeof a->before, "%lld", m->before);
    snprintf(a->limit, sizeof a->limit, "%d", AUDIT_PAGE_SIZE + 1);
    const char *p[AUDIT_PAGE_NPARAMS];
    p[AUDIT_PAGE_P_SYSTEM] = s->sys;
    p[AUDIT_PAGE_P_AGENCY] = s->uagency;
    p[AUDIT_PAGE_P_ACTION] = null_if_empty(m->action);
    p[AUDIT_PAGE_P_CODE] = null_if_empty(m->agency);
    p[AUDIT_PAGE_P_EMAIL] = null_if_empty(m->email);
    p[AUDIT_PAGE_P_FROM] = null_if_empty(a->from_iso);
    p[AUDIT_PAGE_P_TO] = null_if_empty(a->to_iso);
    p[AUDIT_PAGE_P_BEFORE] = null_if_empty(a->before);
    p[AUDIT_PAGE_P_LIMIT] = a->limit;
    setup_run(req, s, &sql_audit_page, p, AUDIT_LISTED);
}
