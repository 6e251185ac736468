/* Creating, editing and importing agencies. A system administrator creates agencies one at a
 * time (POST /admin/agency/save without an id) or imports a CSV list (POST /admin/agencies/import:
 * a browser's multipart upload or an API client's CSV body, parsed and validated on the CPU pool
 * by core/agency_list; any bad row imports nothing; known codes are updated), and may change any
 * agency's code and parent. The type is one of core/agency_kind.h (its Thai name or key; stored as
 * the Thai name) or none. An agency administrator may correct the Thai name and type of its own
 * agency only; anything else answers 404 like an agency that does not exist. */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "agency_sql.h"
#include "setup_view.h"
#include "upload.h"
#include "agency_kind.h"
#include "agency_list.h"
#include "db/db_row.h"
#include "import_util.h"
#include "log.h"
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- one agency ---- */

/* The cleaned value of a text field, or "" (arena). */
static const char *field(struct http_request *req, const struct setup *s, const char *name)
{
    const char *v = setup_param(req, s, name);
    if (!v)
        return "";
    char *c = ita_text_clean(&req->arena, v, strlen(v));
    return c ? c : "";
}

static void saved(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (!r->ok) {
        if (r->sqlstate && !strcmp(r->sqlstate, "23505")) {
            setup_fail(req, s, 409, "มีหน่วยงานที่ใช้รหัสนี้อยู่แล้ว");
            return;
        }
        if (r->sqlstate && (!strcmp(r->sqlstate, "23503") || !strcmp(r->sqlstate, "23514"))) {
            setup_fail(req, s, 422, "หน่วยงานต้นสังกัดไม่ถูกต้อง (ไม่พบรหัส หรือเป็นหน่วยงานเดียวกัน)");
            return;
        }
        setup_db_failed(req, s, r);
        return;
    }
    /* sql_agency_create and sql_agency_update answer the same columns */
    _Static_assert((int)AGENCY_CREATE_ID == (int)AGENCY_UPDATE_ID &&
                       (int)AGENCY_CREATE_PARENT_OK == (int)AGENCY_UPDATE_PARENT_OK,
                   "agency save columns");
    bool created = s->page != NULL;
    if (PQntuples(r->res) == 0 || !db_bool(r->res, 0, AGENCY_UPDATE_PARENT_OK)) {
        setup_fail(req, s, 422, "ไม่พบหน่วยงานต้นสังกัดรหัสนี้");
        return;
    }
    const char *id = db_text(r->res, 0, AGENCY_UPDATE_ID);
    if (db_null(r->res, 0, AGENCY_UPDATE_ID)) {
        setup_fail(req, s, 404, "ไม่พบหน่วยงานนี้ หรือท่านไม่มีสิทธิ์ดูแลหน่วยงานนี้");
        return;
    }
    log_info("event=agency_saved w=%d admin=%d agency=%s created=%d", req->worker->id, s->u->id, id,
             created);
    if (s->u->api) {
        setup_send_json(req, created ? 201 : 200,
                        json_pack("{s:I, s:b}", "id", (json_int_t)atoll(id), "created", created));
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena, "/admin/agency?id=%s", id));
}

static const setup_step save_steps[] = {saved}; /* one state: the save answered */

void admin_agency_save(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u, SETUP_STEPS(save_steps));
    s->own_db_errors = true; /* a taken code or a wrong parent answers in Thai */
    const char *id = setup_param(req, s, "id");
    const char *code = field(req, s, "code"), *name = field(req, s, "name_th"),
               *kind = field(req, s, "kind"), *parent = field(req, s, "parent_code");
    if (id && *id && !setup_digits(id, 9)) {
        setup_fail(req, s, 404, "ไม่พบหน่วยงานนี้");
        return;
    }
    bool create = !id || !*id;
    if (create && !u->system) {
        setup_fail(req, s, 403, "เฉพาะผู้ดูแลระบบเท่านั้นที่เพิ่มหน่วยงานได้");
        return;
    }
    if (!*name || ita_utf8_chars(name) > ITA_AGENCY_NAME_MAX) {
        setup_fail(req, s, 400, "ชื่อหน่วยงานต้องมี 1–300 ตัวอักษร");
        return;
    }
    /* the type from the fixed list, by Thai name or key (an old free-text one must be chosen
     * again before the agency is saved) */
    const char *kind_th = ita_agency_kind_stored(kind);
    if (!kind_th) {
        struct strbuf b;
        strbuf_init(&b);
        strbuf_puts(&b, "กรุณาเลือกประเภทหน่วยงานจากรายการ: ");
        ita_agency_kind_names(&b);
        strbuf_puts(&b, " (หรือไม่ระบุ)");
        const char *msg = arena_strndup(&req->arena, b.data, b.len);
        strbuf_free(&b);
        setup_fail(req, s, 400, msg);
        return;
    }
    kind = kind_th;
    if ((create || u->system) &&
        (!ita_agency_code_valid(code) || (*parent && !ita_agency_code_valid(parent)))) {
        setup_fail(req, s, 400,
                   "รหัสหน่วยงานใช้ได้เฉพาะ A-Z a-z 0-9 . _ - (ไม่เกิน 64 ตัว) "
                   "และต้องขึ้นต้นด้วยตัวอักษรหรือตัวเลข");
        return;
    }
    if (*parent && !strcmp(parent, code)) {
        setup_fail(req, s, 422, "หน่วยงานเป็นต้นสังกัดของตัวเองไม่ได้");
        return;
    }
    if (create) {
        s->page = (void *)"create";
        const char *p[AGENCY_CREATE_NPARAMS];
        p[AGENCY_CREATE_P_CODE] = code;
        p[AGENCY_CREATE_P_NAME] = name;
        p[AGENCY_CREATE_P_KIND] = kind;
        p[AGENCY_CREATE_P_PARENT] = parent;
        p[AGENCY_CREATE_P_ADMIN] = s->admin;
        setup_run(req, s, &sql_agency_create, p, 0);
        return;
    }
    const char *p[AGENCY_UPDATE_NPARAMS];
    p[AGENCY_UPDATE_P_ID] = id;
    p[AGENCY_UPDATE_P_CODE] = code;
    p[AGENCY_UPDATE_P_NAME] = name;
    p[AGENCY_UPDATE_P_KIND] = kind;
    p[AGENCY_UPDATE_P_PARENT] = parent;
    p[AGENCY_UPDATE_P_SYSTEM] = s->sys;
    p[AGENCY_UPDATE_P_OWN_AGENCY] = s->uagency;
    setup_run(req, s, &sql_agency_update, p, 0);
}

/* ---- a list ---- */

enum agencies_import_state {
    AGENCIES_PARSED, /* the upload was parsed on the CPU pool */
    AGENCIES_STORED, /* sql_agencies_import answered */
};

/* Parsing an uploaded agency list on the CPU pool: owns a copy of the upload and the result. */
struct agency_job {
    struct upload up;
    struct ita_agency_list list;
};

static void agency_job_release(struct upload *up)
{
    ita_agency_list_free(&((struct agency_job *)up)->list);
}

static void agency_job_work(void *data)
{
    struct agency_job *j = data;
    struct strbuf *c = j->up.cols;
    j->up.importable = ita_agency_list_parse(j->up.bytes, j->up.len, &j->list) == 0 &&
                       ita_agency_list_pg_arrays(&j->list, &c[0], &c[1], &c[2], &c[3]) == 0;
}

static void parsed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct agency_job *j = s->job;
    if (!j->up.importable) {
        setup_list_errors(req, s, &j->list.errors, "รายการหน่วยงาน", "นำเข้ารายการหน่วยงานไม่สำเร็จ",
                          "/admin/agencies", "กลับไปหน้าหน่วยงาน");
        return;
    }
    s->page = arena_sprintf(&req->arena, "%s", ita_text_encoding_name(j->list.encoding));
    const char *p[AGENCIES_IMPORT_NPARAMS];
    p[AGENCIES_IMPORT_P_CODES] = j->up.cols[0].data;
    p[AGENCIES_IMPORT_P_NAMES] = j->up.cols[1].data;
    p[AGENCIES_IMPORT_P_KINDS] = j->up.cols[2].data;
    p[AGENCIES_IMPORT_P_PARENTS] = j->up.cols[3].data;
    p[AGENCIES_IMPORT_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_agencies_import, p, AGENCIES_STORED);
}

static void imported(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (!r->ok) {
        if (r->sqlstate && !strcmp(r->sqlstate, "23503")) { /* unknown parent code: Thai message */
            setup_fail(req, s, 422,
                       r->error && strstr(r->error, "ไม่พบ") ? strstr(r->error, "ไม่พบ")
                                                            : "ไม่พบหน่วยงานต้นสังกัด");
            return;
        }
        setup_db_failed(req, s, r);
        return;
    }
    long ins = (long)db_int(r->res, 0, AGENCIES_IMPORT_INSERTED),
         upd = (long)db_int(r->res, 0, AGENCIES_IMPORT_UPDATED);
    const char *enc = s->page;
    log_info("event=agencies_imported w=%d admin=%d inserted=%ld updated=%ld", req->worker->id,
             s->u->id, ins, upd);
    struct agencies_imported sum = {ins, upd, enc};
    setup_answer(req, s,
                 json_pack("{s:I, s:I, s:I, s:s}", "inserted", (json_int_t)ins, "updated",
                           (json_int_t)upd, "rows", (json_int_t)(ins + upd), "encoding", enc),
                 "นำเข้ารายการหน่วยงานแล้ว", setup_view_agencies_imported, &sum);
}

static const setup_step agencies_steps[] = {
    [AGENCIES_PARSED] = parsed,
    [AGENCIES_STORED] = imported,
};

void admin_agencies_import(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u, SETUP_STEPS(agencies_steps));
    s->own_db_errors = true; /* an unknown parent code answers in Thai */
    if (!u->system) {
        setup_fail(req, s, 403, "เฉพาะผู้ดูแลระบบเท่านั้นที่นำเข้ารายการหน่วยงานได้");
        return;
    }
    static const char none[] = "กรุณาเลือกไฟล์รายการหน่วยงาน (.csv) ที่มีข้อมูล";
    struct agency_job *j = upload_take(req, s, sizeof *j, none, none);
    if (!j)
        return;
    upload_parse(req, s, &j->up, agency_job_work, agency_job_release, AGENCIES_PARSED);
}
