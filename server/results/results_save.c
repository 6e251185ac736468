/* Saving what an administrator enters on the results page and the report: the OIT marks
 * (/admin/oit, checked against the year's instrument version) and the draft improvement measures
 * (/admin/measures). Both are posted forms, both carry the administrator's scope (another agency
 * answers 404 like a missing one) and both are logged in audit_log by their statement. */
#include "results_handlers.h"
#include "url_norm.h"
#include "results_job.h"
#include "results_page.h"
#include "results_sql.h"
#include "db/db_row.h"
#include "log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The statement the save's step function waits for. */
enum save_state {
    SAVE_VERSION,  /* OIT: the year's instrument version, to check the items */
    SAVE_OIT,      /* OIT: the marks saved */
    SAVE_MEASURES, /* the measures saved */
};

struct save {
    const struct admin_user *u;
    enum save_state step;
    long agency, year;
    char agency_s[16], year_s[16], sys[8], own[16], uid[16];
    const struct form_data *form; /* the posted form (read before handler_state is ours) */
};

static void save_step(struct http_request *req, const struct db_result *r);

static void save_exec(struct http_request *req, struct save *s, enum save_state st,
                      const struct db_statement *stmt, const char *const *p)
{
    s->step = st;
    http_db(req, stmt, p, NULL, save_step);
}

/* The saves' first parameters: the agency, the scope and the year, in the same places. */
_Static_assert(RES_OIT_SAVE_P_AGENCY == 0 && RES_MEASURES_SAVE_P_AGENCY == 0 &&
                   (int)RES_OIT_SAVE_P_YEAR == (int)RES_MEASURES_SAVE_P_YEAR &&
                   (int)RES_OIT_SAVE_P_SYSTEM == (int)RES_MEASURES_SAVE_P_SYSTEM &&
                   (int)RES_OIT_SAVE_P_OWN == (int)RES_MEASURES_SAVE_P_OWN,
               "both saves start with agency, system, own agency, year");
static void save_scope(const struct save *s, const char **p)
{
    p[RES_OIT_SAVE_P_AGENCY] = s->agency_s;
    p[RES_OIT_SAVE_P_SYSTEM] = s->sys;
    p[RES_OIT_SAVE_P_OWN] = s->own;
    p[RES_OIT_SAVE_P_YEAR] = s->year_s;
}

/* Appends a PostgreSQL text[] literal element (quoted, backslash-escaped). */
static void pg_array_item(struct strbuf *b, const char *s)
{
    strbuf_puts(b, b->len > 1 ? ",\"" : "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_append(b, "\\", 1);
        strbuf_append(b, s, 1);
    }
    strbuf_puts(b, "\"");
}

/* Reads agency and year from the posted form (f) into the numbers and their text. */
static bool form_target(const struct form_data *f, long *agency, long *year, char *agency_s,
                        char *year_s)
{
    const char *a = f ? form_get(f, "agency") : NULL, *y = f ? form_get(f, "year") : NULL;
    if (!a || !y || !*a || !*y || strlen(a) > 9 || strlen(y) != 4 ||
        strspn(a, "0123456789") != strlen(a) || strspn(y, "0123456789") != 4)
        return false;
    *agency = strtol(a, NULL, 10);
    *year = strtol(y, NULL, 10);
    snprintf(agency_s, 16, "%ld", *agency);
    snprintf(year_s, 16, "%ld", *year);
    return *agency > 0 && *year >= 2500 && *year <= 2700;
}

/* The handler's state from the posted form; NULL: answered 400. */
static struct save *save_begin(struct http_request *req, const struct admin_user *u)
{
    struct save *s = arena_alloc(&req->arena, sizeof *s);
    memset(s, 0, sizeof *s);
    s->u = u;
    s->form = admin_form(req); /* admin_form reads the admin state: before it is replaced */
    req->handler_state = s;
    admin_scope(u, s->sys, s->own);
    snprintf(s->uid, sizeof s->uid, "%d", u->id);
    if (!form_target(s->form, &s->agency, &s->year, s->agency_s, s->year_s)) {
        results_fail(req, u, 400,
                     "แบบฟอร์มไม่ครบ: ไม่มีหน่วยงานหรือปีงบประมาณ กรุณาเปิดหน้าคะแนนใหม่แล้วลองอีกครั้ง");
        return NULL;
    }
    return s;
}

/* ---- OIT marks ---- */

/* Checks the posted marks against the version's items and saves them. */
static void oit_save(struct http_request *req, struct save *s, const PGresult *res)
{
    char err[300];
    struct ita_version *v =
        results_load_version(db_text(res, 0, RES_VERSION_DOCUMENT), err, sizeof err);
    if (!v) {
        results_fail(req, s->u, 500, "อ่านแบบวัดของปีนี้ที่เก็บไว้ไม่ได้ กรุณาแจ้งผู้ดูแลระบบ");
        return;
    }
    const struct form_data *f = s->form;
    struct strbuf codes, mets, urls, notes;
    strbuf_init(&codes);
    strbuf_init(&mets);
    strbuf_init(&urls);
    strbuf_init(&notes);
    strbuf_puts(&codes, "{");
    strbuf_puts(&mets, "{");
    strbuf_puts(&urls, "{");
    strbuf_puts(&notes, "{");
    const char *bad = NULL;
    size_t n = 0;
    for (size_t i = 0; f && i < v->n_oit_items && !bad; i++) {
        const char *code = v->oit_items[i].code;
        char name[32];
        snprintf(name, sizeof name, "met_%s", code);
        const char *met = form_get(f, name);
        if (!met)
            continue; /* items not in the form are left as they are */
        snprintf(name, sizeof name, "url_%s", code);
        const char *url = form_get(f, name);
        snprintf(name, sizeof name, "note_%s", code);
        const char *note = form_get(f, name);
        note = note ? note : "";
        /* what a clerk pastes: spaces and Thai file names are encoded, not refused */
        char *clean = NULL;
        const char *why = NULL;
        if (ita_url_normalize(url ? url : "", &clean, &why) != 0)
            clean = NULL;
        url = clean ? arena_strndup(&req->arena, clean, strlen(clean)) : "";
        free(clean);
        if (strcmp(met, "") && strcmp(met, "1") && strcmp(met, "0"))
            bad = "ผลการตรวจต้องเป็น ผ่าน ไม่ผ่าน หรือยังไม่ตรวจ";
        else if (why)
            bad = arena_sprintf(&req->arena, "URL หลักฐานข้อ %s ใช้ไม่ได้: %s", code, why);
        else if (strlen(note) > 2000)
            bad = "หมายเหตุยาวเกินไป (ไม่เกิน 2,000 ไบต์ หรือประมาณ 660 ตัวอักษรไทย)";
        pg_array_item(&codes, code);
        pg_array_item(&mets, !strcmp(met, "1") ? "t" : !strcmp(met, "0") ? "f" : "");
        pg_array_item(&urls, url);
        pg_array_item(&notes, note);
        n++;
    }
    /* a field naming an item the year does not have is an error, not silently ignored */
    for (size_t i = 0; f && i < f->n && !bad; i++)
        if (strncmp(f->pairs[i].name, "met_", 4) == 0 &&
            !ita_version_find_oit_item(v, f->pairs[i].name + 4))
            bad = "มีข้อ OIT ที่ไม่อยู่ในรายการของปีงบประมาณนี้";
    ita_version_free(v);
    strbuf_puts(&codes, "}");
    strbuf_puts(&mets, "}");
    strbuf_puts(&urls, "}");
    strbuf_puts(&notes, "}");
    if (bad || n == 0) {
        results_fail(req, s->u, bad ? 422 : 400, bad ? bad : "ไม่มีข้อ OIT ในแบบฟอร์ม");
    } else {
        const char *p[RES_OIT_SAVE_NPARAMS];
        save_scope(s, p);
        p[RES_OIT_SAVE_P_CODES] = codes.data;
        p[RES_OIT_SAVE_P_METS] = mets.data;
        p[RES_OIT_SAVE_P_URLS] = urls.data;
        p[RES_OIT_SAVE_P_NOTES] = notes.data;
        p[RES_OIT_SAVE_P_USER] = s->uid;
        save_exec(req, s, SAVE_OIT, &sql_res_oit_save, p);
    }
    strbuf_free(&codes);
    strbuf_free(&mets);
    strbuf_free(&urls);
    strbuf_free(&notes);
}

void admin_oit(struct http_request *req, const struct admin_user *u)
{
    struct save *s = save_begin(req, u);
    if (!s)
        return;
    const char *p[RES_VERSION_NPARAMS];
    p[RES_VERSION_P_YEAR] = s->year_s;
    save_exec(req, s, SAVE_VERSION, &sql_res_version, p);
}

/* ---- the draft improvement measures ---- */

void admin_measures(struct http_request *req, const struct admin_user *u)
{
    struct save *s = save_begin(req, u);
    if (!s)
        return;
    const struct form_data *f = s->form;
    static const char *const names[5] = {"measure", "method", "responsible", "period", "follow_up"};
    static const size_t max_len[5] = {2000, 2000, 500, 500, 2000};
    struct strbuf col[5];
    for (int k = 0; k < 5; k++) {
        strbuf_init(&col[k]);
        strbuf_puts(&col[k], "{");
    }
    const char *bad = NULL;
    for (int i = 1; i <= RESULTS_MAX_MEASURES && !bad; i++) {
        const char *v[5];
        for (int k = 0; k < 5; k++) {
            char name[32];
            snprintf(name, sizeof name, "%s_%d", names[k], i);
            v[k] = form_get(f, name);
            v[k] = v[k] ? v[k] : "";
            if (strlen(v[k]) > max_len[k])
                bad = "ข้อความในตารางมาตรการช่องหนึ่งยาวเกินไป";
        }
        if (!v[0][0])
            continue; /* an empty measure drops its row */
        for (int k = 0; k < 5; k++)
            pg_array_item(&col[k], v[k]);
    }
    for (int k = 0; k < 5; k++)
        strbuf_puts(&col[k], "}");
    if (bad) {
        results_fail(req, u, 422, bad);
    } else {
        const char *p[RES_MEASURES_SAVE_NPARAMS];
        save_scope(s, p);
        for (int k = 0; k < 5; k++)
            p[RES_MEASURES_SAVE_P_MEASURE + k] = col[k].data;
        p[RES_MEASURES_SAVE_P_USER] = s->uid;
        save_exec(req, s, SAVE_MEASURES, &sql_res_measures_save, p);
    }
    for (int k = 0; k < 5; k++)
        strbuf_free(&col[k]);
}

/* ---- the answers ---- */

/* False when the statement found no agency in scope: answered 404. */
static bool found(struct http_request *req, struct save *s, const PGresult *res, int col)
{
    if (PQntuples(res) == 1 && db_bool(res, 0, col))
        return true;
    results_fail(req, s->u, 404, "ไม่พบหน่วยงานนี้");
    return false;
}

/* A save stored: programs get doc (JSON, consumed), people go back to the page (path) they
 * saved from. */
static void saved(struct http_request *req, struct save *s, json_t *doc, const char *path)
{
    if (doc) {
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    char loc[96];
    snprintf(loc, sizeof loc, "%s?agency=%ld&year=%ld", path, s->agency, s->year);
    http_add_header(req, "Location", loc);
    http_respond(req, 303, "text/plain; charset=utf-8", "", 0);
}

static void save_step(struct http_request *req, const struct db_result *r)
{
    struct save *s = req->handler_state;
    if (!r->ok) {
        if (s->step != SAVE_VERSION && r->sqlstate && strncmp(r->sqlstate, "23", 2) == 0)
            results_fail(req, s->u, 422,
                         s->step == SAVE_OIT ? "ฐานข้อมูลไม่รับรายการ OIT บางข้อ กรุณาตรวจข้อมูลแล้วลองอีกครั้ง"
                                             : "ฐานข้อมูลไม่รับมาตรการบางข้อ กรุณาตรวจข้อมูลแล้วลองอีกครั้ง");
        else
            http_respond_unavailable(req, "database unavailable");
        return;
    }
    switch (s->step) {
    case SAVE_VERSION:
        if (PQntuples(r->res) != 1)
            results_fail(req, s->u, 404, "ยังไม่มีแบบวัดของปีงบประมาณนี้ในระบบ");
        else
            oit_save(req, s, r->res);
        return;
    case SAVE_OIT:
        if (found(req, s, r->res, RES_OIT_SAVE_FOUND))
            saved(req, s,
                  s->u->api
                      ? json_pack("{s:i, s:i, s:s, s:s}", "agency", (int)s->agency, "fiscal_year",
                                  (int)s->year, "saved", db_text(r->res, 0, RES_OIT_SAVE_SAVED),
                                  "cleared", db_text(r->res, 0, RES_OIT_SAVE_CLEARED))
                      : NULL,
                  "/admin/results");
        return;
    case SAVE_MEASURES:
        if (found(req, s, r->res, RES_MEASURES_SAVE_FOUND))
            saved(req, s,
                  s->u->api
                      ? json_pack("{s:s}", "saved", db_text(r->res, 0, RES_MEASURES_SAVE_SAVED))
                      : NULL,
                  "/admin/report");
        return;
    }
    abort();
}
