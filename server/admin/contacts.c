/* Contact lists of an agency's year (IIT staff, EIT outside stakeholders): the list page with its
 * upload form (/admin/contacts), the import (/admin/contacts/import: a browser's multipart upload
 * or an API client's CSV body, parsed and validated on the CPU pool by core/contact_list; a list
 * with any bad row imports nothing; a contact already on the list is kept as it is) and the PDPA
 * purge after the window has closed (/admin/contacts/purge; answers are never touched). Contact
 * data lives only in the contact table; imports and purges are logged in audit_log. The pages'
 * HTML is in contacts_view.c. */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "contacts_view.h"
#include "setup_sql.h"
#include "upload.h"
#include "contact_list.h"
#include "db/db_row.h"
#include "log.h"
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTACT_PAGE 100 /* contacts per page */

/* ---- /admin/contacts/import ---- */

enum import_state {
    IMPORT_RESOLVED = SETUP_RESOLVED, /* the agency and year are known */
    IMPORT_PARSED,                    /* the upload was parsed on the CPU pool */
    IMPORT_STORED,                    /* sql_contacts_import answered */
};

/* Parsing an uploaded list on the CPU pool: owns a copy of the upload and everything made. */
struct import_job {
    struct upload up;
    struct ita_contact_options opt;
    struct ita_contact_list list;
};

static void import_job_release(struct upload *up)
{
    ita_contact_list_free(&((struct import_job *)up)->list);
}

static void import_work(void *data)
{
    struct import_job *j = data;
    struct strbuf *c = j->up.cols;
    j->up.importable =
        ita_contact_list_parse(j->up.bytes, j->up.len, &j->opt, &j->list) == 0 &&
        ita_contact_list_pg_arrays(&j->list, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5]) == 0;
}

static void import_start(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (!s->year_set) {
        setup_fail(req, s, 409,
                   "ต้องตั้งค่าปีงบประมาณ (วันเปิดรับคำตอบ) ก่อนนำเข้ารายชื่อ "
                   "เพราะใช้วันเปิดนับอายุงาน 1 ปี");
        return;
    }
    struct import_job *j = upload_take(req, s, sizeof *j, "กรุณาเลือกไฟล์รายชื่อ (.csv) ก่อนกดนำเข้า",
                                       "ไฟล์ว่างเปล่า กรุณาเลือกไฟล์รายชื่อ (.csv)");
    if (!j)
        return;
    j->opt.kind = s->instrument == 0 ? ITA_CONTACT_IIT : ITA_CONTACT_EIT;
    j->opt.reference =
        (struct ita_date){atoi(s->opens_on), atoi(s->opens_on + 5), atoi(s->opens_on + 8)};
    upload_parse(req, s, &j->up, import_work, import_job_release, IMPORT_PARSED);
}

/* The parsed list: its errors, or stored. */
static void import_parsed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct import_job *j = s->job;
    if (!j->up.importable) {
        setup_list_errors(req, s, &j->list.errors, "รายชื่อ", "นำเข้ารายชื่อไม่สำเร็จ",
                          arena_sprintf(&req->arena, "/admin/contacts?%s&amp;instrument=%s",
                                        setup_qs(req, s), SETUP_INSTRUMENTS[s->instrument]),
                          "กลับไปหน้ารายชื่อ");
        return;
    }
    struct contacts_imported *sum = arena_alloc(&req->arena, sizeof *sum);
    *sum = (struct contacts_imported){.rows = j->list.rows_read,
                                      .accepted = j->list.n_rows,
                                      .too_recent = j->list.too_recent,
                                      .duplicates = j->list.duplicates,
                                      .encoding = ita_text_encoding_name(j->list.encoding)};
    s->page = sum;
    const char *p[CONTACTS_IMPORT_NPARAMS];
    p[CONTACTS_IMPORT_P_AGENCY] = s->agency_id;
    p[CONTACTS_IMPORT_P_YEAR] = s->fy;
    p[CONTACTS_IMPORT_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[CONTACTS_IMPORT_P_NAMES] = j->up.cols[0].data;
    p[CONTACTS_IMPORT_P_EMAILS] = j->up.cols[1].data;
    p[CONTACTS_IMPORT_P_PHONES] = j->up.cols[2].data;
    p[CONTACTS_IMPORT_P_UNITS] = j->up.cols[3].data;
    p[CONTACTS_IMPORT_P_STARTED_ON] = j->up.cols[4].data;
    p[CONTACTS_IMPORT_P_DEDUPE_KEYS] = j->up.cols[5].data;
    p[CONTACTS_IMPORT_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_contacts_import, p, IMPORT_STORED);
}

static void import_stored(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct contacts_imported *sum = s->page;
    sum->imported = (long)db_int(r->res, 0, CONTACTS_IMPORT_IMPORTED);
    sum->present = (long)sum->accepted - sum->imported;
    log_info("event=contacts_imported w=%d admin=%d agency=%s fy=%s instrument=%s rows=%zu "
             "imported=%ld",
             req->worker->id, s->u->id, s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument],
             sum->rows, sum->imported);
    setup_answer(req, s,
                 json_pack("{s:I, s:I, s:I, s:I, s:I, s:s}", "rows", (json_int_t)sum->rows,
                           "imported", (json_int_t)sum->imported, "already_present",
                           (json_int_t)sum->present, "duplicates_in_file",
                           (json_int_t)sum->duplicates, "left_out_short_service",
                           (json_int_t)sum->too_recent, "encoding", sum->encoding),
                 "นำเข้ารายชื่อแล้ว", contacts_view_imported, sum);
}

void admin_contacts_import(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[IMPORT_RESOLVED] = import_start,
                                       [IMPORT_PARSED] = import_parsed,
                                       [IMPORT_STORED] = import_stored};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}

/* ---- /admin/contacts ---- */

enum list_state {
    LIST_RESOLVED = SETUP_RESOLVED, /* the agency and year are known */
    LIST_READ,                      /* sql_contacts_list answered */
};

static long page_asked(struct http_request *req)
{
    long page = admin_query_int(req, "page");
    return page < 0 ? 0 : page;
}

static json_t *contacts_json(const struct contacts_page *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n; i++) {
        const struct contact_row *r = &c->rows[i];
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id",
                                             (json_int_t)atoll(r->id), "name", r->name, "unit",
                                             r->unit, "email", r->email, "phone", r->phone,
                                             "link_issued", r->link_issued));
    }
    return json_pack("{s:I, s:I, s:o, s:o}", "total", (json_int_t)c->total, "with_link",
                     (json_int_t)c->with_link, "contacts", arr, "next_page",
                     c->more ? json_integer(c->page + 1) : json_null());
}

static void contacts_ask(struct http_request *req, struct setup *s, const struct db_result *r)
{
    char offset[24];
    snprintf(offset, sizeof offset, "%ld", page_asked(req) * CONTACT_PAGE);
    const char *p[CONTACTS_LIST_NPARAMS];
    p[CONTACTS_LIST_P_AGENCY] = s->agency_id;
    p[CONTACTS_LIST_P_YEAR] = s->fy;
    p[CONTACTS_LIST_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[CONTACTS_LIST_P_OFFSET] = offset;
    setup_run(req, s, &sql_contacts_list, p, LIST_READ);
}

static void contacts_listed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const PGresult *res = r->res;
    int n = PQntuples(res);
    struct contacts_page c = {
        .page = page_asked(req),
        .total = (long)db_int(res, 0, CONTACTS_LIST_TOTAL),
        .with_link = (long)db_int(res, 0, CONTACTS_LIST_WITH_LINK),
        .more = n - 1 > CONTACT_PAGE,
    };
    struct contact_row *rows = arena_alloc(&req->arena, sizeof *rows * (size_t)(n > 0 ? n : 1));
    for (int i = 1; i < n && i <= CONTACT_PAGE; i++)
        rows[c.n++] = (struct contact_row){
            db_text(res, i, CONTACTS_LIST_ID),    db_text(res, i, CONTACTS_LIST_NAME),
            db_text(res, i, CONTACTS_LIST_UNIT),  db_text(res, i, CONTACTS_LIST_EMAIL),
            db_text(res, i, CONTACTS_LIST_PHONE), db_bool(res, i, CONTACTS_LIST_LINK_ISSUED)};
    c.rows = rows;
    c.csrf = setup_csrf(req, s);
    setup_answer(req, s, contacts_json(&c), SETUP_LIST_TH[s->instrument], contacts_view_list, &c);
}

void admin_contacts(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {
        [LIST_RESOLVED] = contacts_ask, [LIST_READ] = contacts_listed};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}

/* ---- /admin/contacts/purge ---- */

enum purge_state {
    PURGE_RESOLVED = SETUP_RESOLVED, /* the agency and year are known */
    PURGE_DONE,                      /* sql_contacts_purge answered */
};

static void purge_start(struct http_request *req, struct setup *s, const struct db_result *r)
{
    /* a browser's purge needs the box ticked (itactl's command is explicit in itself) */
    const char *confirm = setup_param(req, s, "confirm");
    if (!s->u->api && (!confirm || strcmp(confirm, "1") != 0)) {
        setup_fail(req, s, 422,
                   "ยังไม่ได้ลบรายชื่อ: โปรดทำเครื่องหมายยืนยันว่าต้องการลบรายชื่อทั้งหมดของปีนี้ "
                   "แล้วกดปุ่มลบอีกครั้ง");
        return;
    }
    const char *p[CONTACTS_PURGE_NPARAMS];
    p[CONTACTS_PURGE_P_AGENCY] = s->agency_id;
    p[CONTACTS_PURGE_P_YEAR] = s->fy;
    p[CONTACTS_PURGE_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_contacts_purge, p, PURGE_DONE);
}

static void purge_done(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (!db_bool(r->res, 0, CONTACTS_PURGE_CLOSED)) {
        setup_fail(req, s, 409, "ยังลบรายชื่อไม่ได้: ต้องรอให้ปิดรับคำตอบของปีงบประมาณนี้ก่อน");
        return;
    }
    long n = (long)db_int(r->res, 0, CONTACTS_PURGE_PURGED);
    log_info("event=contacts_purged w=%d admin=%d agency=%s fy=%s n=%ld", req->worker->id, s->u->id,
             s->agency_id, s->fy, n);
    setup_answer(req, s, json_pack("{s:I}", "purged", (json_int_t)n), "ลบรายชื่อแล้ว",
                 contacts_view_purged, &n);
}

void admin_contacts_purge(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[PURGE_RESOLVED] = purge_start, [PURGE_DONE] = purge_done};
    setup_resolve(req, u, false, SETUP_STEPS(steps));
}
