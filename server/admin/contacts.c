/* Contact lists of an agency's year (IIT staff, EIT outside stakeholders): the list page with its
 * upload form (/admin/contacts), the import (/admin/contacts/import: a browser's multipart upload
 * or an API client's CSV body, parsed and validated on the CPU pool by core/contact_list; a list
 * with any bad row imports nothing; a contact already on the list is kept as it is) and the PDPA
 * purge after the window has closed (/admin/contacts/purge; answers are never touched), editing
 * or deleting one contact (/admin/contacts/edit, /admin/contacts/delete: checked by the importer's
 * own rules; a deleted contact's personal link is revoked) and the CSV template to fill in
 * (/admin/contacts/template). Contact
 * data lives only in the contact table; imports and purges are logged in audit_log. The pages'
 * HTML is in contacts_view.c. */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "contacts_view.h"
#include "links.h"
#include "mail_admin_sql.h"
#include "setup_sql.h"
#include "upload.h"
#include "contact_list.h"
#include "db/db_row.h"
#include "log.h"
#include "secret.h"
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
    /* the job's list is freed when this step returns: the left-out people are copied */
    struct ita_contact *left =
        arena_alloc(&req->arena, sizeof *left * (sum->too_recent ? sum->too_recent : 1));
    for (size_t i = 0; i < sum->too_recent; i++) {
        const struct ita_contact *o = &j->list.left_out[i];
        left[i] = (struct ita_contact){
            .name = arena_strndup(&req->arena, o->name, strlen(o->name)),
            .unit = o->unit ? arena_strndup(&req->arena, o->unit, strlen(o->unit)) : NULL,
            .started_on = arena_strndup(&req->arena, o->started_on, strlen(o->started_on)),
            .line = o->line};
    }
    sum->left_out = left;
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
    json_t *left = json_array();
    for (size_t i = 0; i < sum->too_recent; i++)
        json_array_append_new(left,
                              json_pack("{s:s, s:s, s:s}", "name", sum->left_out[i].name, "unit",
                                        sum->left_out[i].unit ? sum->left_out[i].unit : "",
                                        "started_on", sum->left_out[i].started_on));
    sum->present = (long)sum->accepted - sum->imported;
    log_info("event=contacts_imported w=%d admin=%d agency=%s fy=%s instrument=%s rows=%zu "
             "imported=%ld",
             req->worker->id, s->u->id, s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument],
             sum->rows, sum->imported);
    setup_answer(
        req, s,
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:s, s:o}", "rows", (json_int_t)sum->rows, "imported",
                  (json_int_t)sum->imported, "already_present", (json_int_t)sum->present,
                  "duplicates_in_file", (json_int_t)sum->duplicates, "left_out_short_service",
                  (json_int_t)sum->too_recent, "encoding", sum->encoding, "left_out", left),
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
    c.edited = admin_query_int(req, "edited") > 0;
    c.resent = admin_query_int(req, "resent") > 0;
    c.deleted = admin_query_int(req, "deleted") > 0;
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

/* ---- /admin/contacts/template ---- */

/* A list to fill in: the headers the importer reads (core/contact_list.h), in UTF-8 with a BOM
 * so that Excel opens Thai correctly, CRLF, and one row that is plainly an example to replace. */
static void template_resolved(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct strbuf *csv = arena_alloc(&req->arena, sizeof *csv);
    strbuf_init(csv);
    strbuf_puts(csv, "\xEF\xBB\xBF"
                     "ชื่อ-นามสกุล,หน่วยงานย่อย,อีเมล,โทรศัพท์");
    if (s->instrument == 0)
        strbuf_puts(csv, ",วันที่เริ่มปฏิบัติงาน");
    strbuf_puts(csv, "\r\n(ตัวอย่าง ลบแถวนี้) นายสมชาย ใจดี,กองคลัง,somchai@example.go.th,081-234-5678");
    if (s->instrument == 0)
        strbuf_puts(csv, ",1/10/2565");
    strbuf_puts(csv, "\r\n");
    http_add_header(req, "Content-Disposition",
                    arena_sprintf(&req->arena, "attachment; filename=\"ita-%s-%s-template.csv\"",
                                  s->fy, SETUP_INSTRUMENTS[s->instrument]));
    http_respond(req, 200, "text/csv; charset=utf-8", csv->data, csv->len);
    strbuf_free(csv);
}

void admin_contacts_template(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[SETUP_RESOLVED] = template_resolved};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}

/* ---- /admin/contacts/edit and /admin/contacts/delete: one contact ---- */

enum one_state {
    ONE_READ,     /* sql_contact_read answered: the contact within scope */
    ONE_RELOADED, /* the contact's agency and year were resolved (page navigation, opening day) */
    ONE_STORED,   /* sql_contact_update or sql_contact_delete answered */
    ONE_RESENT,   /* sql_mail_resend answered (a corrected address of a private list) */
};

static void edit_done(struct http_request *req, struct setup *s, const struct db_result *r);

static const char *row_text(struct http_request *req, const PGresult *res, int c)
{
    return arena_strndup(&req->arena, db_text(res, 0, c), (size_t)db_len(res, 0, c));
}

/* The contact a request names (contact=) within scope, read; then its agency's year. */
static void one_start(struct http_request *req, const struct admin_user *u, bool posting,
                      const setup_step *steps, size_t nsteps)
{
    struct setup *s = setup_new(req, u, steps, nsteps);
    struct contact_one *c = arena_alloc(&req->arena, sizeof *c);
    memset(c, 0, sizeof *c);
    s->page = c;
    c->posting = posting;
    const char *id = setup_param(req, s, "contact");
    if (!setup_digits(id, 15)) {
        setup_fail(req, s, 400, "ต้องระบุรายชื่อ (contact=รหัสตัวเลข)");
        return;
    }
    c->id = atol(id);
    const char *p[CONTACT_READ_NPARAMS];
    p[CONTACT_READ_P_SYSTEM] = s->sys;
    p[CONTACT_READ_P_OWN_AGENCY] = s->uagency;
    p[CONTACT_READ_P_ID] = id;
    setup_run(req, s, &sql_contact_read, p, ONE_READ);
}

static void one_read(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const PGresult *res = r->res;
    struct contact_one *c = s->page;
    if (PQntuples(res) != 1) {
        setup_fail(req, s, 404, "ไม่พบรายชื่อนี้ หรือท่านไม่มีสิทธิ์ดูแลรายชื่อนี้");
        return;
    }
    snprintf(s->agency_id, sizeof s->agency_id, "%s", db_text(res, 0, CONTACT_READ_AGENCY));
    snprintf(s->fy, sizeof s->fy, "%s", db_text(res, 0, CONTACT_READ_YEAR));
    s->instrument = strcmp(db_text(res, 0, CONTACT_READ_INSTRUMENT), "IIT") == 0 ? 0 : 1;
    c->generation = (int)db_int(res, 0, CONTACT_READ_GENERATION);
    c->stored.name = row_text(req, res, CONTACT_READ_NAME);
    c->stored.unit = row_text(req, res, CONTACT_READ_UNIT);
    c->stored.email = row_text(req, res, CONTACT_READ_EMAIL);
    c->stored.phone = row_text(req, res, CONTACT_READ_PHONE);
    c->stored.started_on = row_text(req, res, CONTACT_READ_STARTED_ON);
    setup_reload(req, s, ONE_RELOADED);
}

static json_t *one_json(const struct contact_one *c, const struct contact_fields *f)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?}", "contact", (json_int_t)c->id, "name",
                     f->name, "unit", f->unit, "email", f->email, "phone", f->phone, "started_on",
                     f->started_on[0] ? f->started_on : NULL);
}

/* The edit page again with what was typed and why it was refused (422). */
static void edit_refused(struct http_request *req, struct setup *s, struct contact_one *c)
{
    if (s->u->api) {
        json_t *why = json_array();
        for (size_t i = 0; i < c->nerrors; i++)
            json_array_append_new(why, json_string(c->errors[i]));
        setup_send_json(req, 422, json_pack("{s:s, s:o}", "error", c->errors[0], "errors", why));
        return;
    }
    c->csrf = setup_csrf(req, s);
    struct strbuf p;
    setup_page_begin(&p, req, s, "แก้ไขรายชื่อไม่สำเร็จ");
    contacts_view_edit(&p, s, c);
    setup_send_page(req, 422, &p);
}

static void edit_error(struct contact_one *c, const char *msg)
{
    if (c->nerrors < sizeof c->errors / sizeof c->errors[0])
        c->errors[c->nerrors++] = msg;
}

/* A form value, "" when absent. */
static const char *field(struct http_request *req, const struct setup *s, const char *name)
{
    const char *v = setup_param(req, s, name);
    return v ? v : "";
}

/* Appends v as one CSV field (quoted, quotes doubled). */
static void csv_field(struct strbuf *b, const char *v, bool last)
{
    strbuf_puts(b, "\"");
    for (const char *q = v; *q; q++)
        strbuf_printf(b, *q == '"' ? "\"\"" : "%c", *q);
    strbuf_puts(b, last ? "\"\r\n" : "\",");
}

/* The typed values checked exactly as an import checks a row (core/contact_list): the same
 * cleaning, the same Thai reasons, the same dedupe key. Returns the accepted row (in l), or
 * NULL with c->errors set. */
static const struct ita_contact *edit_check(struct http_request *req, struct setup *s,
                                            struct contact_one *c, struct ita_contact_list *l)
{
    const struct contact_fields *t = &c->typed;
    struct strbuf csv;
    strbuf_init(&csv);
    strbuf_puts(&csv, "ชื่อ-นามสกุล,หน่วยงานย่อย,อีเมล,โทรศัพท์");
    strbuf_puts(&csv, s->instrument == 0 ? ",วันที่เริ่มปฏิบัติงาน\r\n" : "\r\n");
    csv_field(&csv, t->name, false);
    csv_field(&csv, t->unit, false);
    csv_field(&csv, t->email, false);
    csv_field(&csv, t->phone, s->instrument != 0);
    if (s->instrument == 0)
        csv_field(&csv, t->started_on, true);
    struct ita_contact_options opt = {
        .kind = s->instrument == 0 ? ITA_CONTACT_IIT : ITA_CONTACT_EIT,
        .reference = {atoi(s->opens_on), atoi(s->opens_on + 5), atoi(s->opens_on + 8)}};
    int rc = ita_contact_list_parse(csv.data, csv.len, &opt, l);
    strbuf_free(&csv);
    if (rc != 0) {
        for (size_t i = 0; i < l->errors.n; i++)
            edit_error(c, arena_sprintf(&req->arena, "%s: %s", l->errors.items[i].column,
                                        l->errors.items[i].reason));
        return NULL;
    }
    if (l->too_recent > 0) {
        edit_error(c, "วันที่เริ่มปฏิบัติงาน: ปฏิบัติงานยังไม่ครบ 1 ปี ณ วันเปิดรับคำตอบ "
                      "จึงอยู่ในรายชื่อ IIT ไม่ได้ (เช่นเดียวกับการนำเข้า) "
                      "หากต้องการนำผู้นี้ออกจากรายชื่อ ให้ใช้ปุ่มลบ");
        return NULL;
    }
    if (l->n_rows != 1) {
        edit_error(c, "ต้องกรอกชื่อ");
        return NULL;
    }
    return &l->rows[0];
}

static void edit_reloaded(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct contact_one *c = s->page;
    if (!c->posting) {
        /* GET: the form with the stored values; the start date as clerks type it (d/m/BE) */
        c->typed = c->stored;
        if (c->stored.started_on[0])
            c->typed.started_on =
                arena_sprintf(&req->arena, "%d/%d/%d", atoi(c->stored.started_on + 8),
                              atoi(c->stored.started_on + 5), atoi(c->stored.started_on) + 543);
        c->csrf = setup_csrf(req, s);
        setup_answer(req, s, one_json(c, &c->stored), "แก้ไขรายชื่อ", contacts_view_edit, c);
        return;
    }
    if (!s->year_set) {
        setup_fail(req, s, 409, "ต้องตั้งค่าปีงบประมาณ (วันเปิดรับคำตอบ) ก่อนแก้ไขรายชื่อ");
        return;
    }
    c->typed = (struct contact_fields){field(req, s, "name"), field(req, s, "unit"),
                                       field(req, s, "email"), field(req, s, "phone"),
                                       s->instrument == 0 ? field(req, s, "started_on") : ""};
    struct ita_contact_list l;
    const struct ita_contact *row = edit_check(req, s, c, &l);
    if (!row) {
        ita_contact_list_free(&l);
        edit_refused(req, s, c);
        return;
    }
    /* the cleaned values, copied before the list goes */
    c->saved = (struct contact_fields){
        arena_strndup(&req->arena, row->name, strlen(row->name)),
        row->unit ? arena_strndup(&req->arena, row->unit, strlen(row->unit)) : "",
        row->email ? arena_strndup(&req->arena, row->email, strlen(row->email)) : "",
        row->phone ? arena_strndup(&req->arena, row->phone, strlen(row->phone)) : "",
        row->started_on ? arena_strndup(&req->arena, row->started_on, strlen(row->started_on))
                        : ""};
    const char *key = arena_strndup(&req->arena, row->dedupe_key, strlen(row->dedupe_key));
    ita_contact_list_free(&l);
    char id[24];
    snprintf(id, sizeof id, "%ld", c->id);
    const char *p[CONTACT_UPDATE_NPARAMS];
    p[CONTACT_UPDATE_P_AGENCY] = s->agency_id;
    p[CONTACT_UPDATE_P_YEAR] = s->fy;
    p[CONTACT_UPDATE_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[CONTACT_UPDATE_P_ID] = id;
    p[CONTACT_UPDATE_P_NAME] = c->saved.name;
    p[CONTACT_UPDATE_P_EMAIL] = c->saved.email;
    p[CONTACT_UPDATE_P_PHONE] = c->saved.phone;
    p[CONTACT_UPDATE_P_UNIT] = c->saved.unit;
    p[CONTACT_UPDATE_P_STARTED_ON] = c->saved.started_on;
    p[CONTACT_UPDATE_P_DEDUPE_KEY] = key;
    p[CONTACT_UPDATE_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_contact_update, p, ONE_STORED);
}

static void edit_stored(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct contact_one *c = s->page;
    const char *outcome = db_text(r->res, 0, CONTACT_UPDATE_OUTCOME);
    if (strcmp(outcome, "duplicate") == 0) {
        edit_error(c, "มีรายชื่ออื่นในรายการนี้ที่มีอีเมลเดียวกัน (หรือเบอร์โทรศัพท์เดียวกัน "
                      "หรือชื่อและหน่วยงานย่อยเดียวกันเมื่อไม่มีอีเมลและโทรศัพท์) อยู่แล้ว "
                      "รายชื่อหนึ่งคนมีได้เพียงแถวเดียว");
        edit_refused(req, s, c);
        return;
    }
    if (strcmp(outcome, "ok") != 0) {
        setup_fail(req, s, 409, "รายชื่อนี้ถูกลบไปแล้ว กรุณากลับไปหน้ารายชื่อ");
        return;
    }
    log_info("event=contact_edited w=%d admin=%d contact=%ld", req->worker->id, s->u->id, c->id);
    if (s->private_delivery[s->instrument] && c->generation > 0 && c->saved.email[0] &&
        strcmp(c->saved.email, c->stored.email) != 0) {
        /* a corrected address: a new link (the old one revoked) and a new invitation */
        const struct secret *sec = &req->worker->srv->secret;
        char old_h[2 * TOKEN_HASH_BYTES + 3], new_h[2 * TOKEN_HASH_BYTES + 3], id[24], gen[16];
        links_token_hash_text(sec, c->id, c->generation, old_h);
        links_token_hash_text(sec, c->id, c->generation + 1, new_h);
        snprintf(id, sizeof id, "%ld", c->id);
        snprintf(gen, sizeof gen, "%d", c->generation);
        const char *p[MAIL_RESEND_NPARAMS];
        p[MAIL_LIST_P_AGENCY] = s->agency_id;
        p[MAIL_LIST_P_YEAR] = s->fy;
        p[MAIL_LIST_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
        p[MAIL_RESEND_P_CONTACT] = id;
        p[MAIL_RESEND_P_GENERATION] = gen;
        p[MAIL_RESEND_P_OLD_HASH] = arena_strndup(&req->arena, old_h, strlen(old_h));
        p[MAIL_RESEND_P_NEW_HASH] = arena_strndup(&req->arena, new_h, strlen(new_h));
        p[MAIL_RESEND_P_ADMIN] = s->admin;
        setup_run(req, s, &sql_mail_resend, p, ONE_RESENT);
        return;
    }
    edit_done(req, s, NULL);
}

/* The edit saved (and, for a corrected address, the new invitation queued). */
static void edit_done(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct contact_one *c = s->page;
    c->resent = r && !db_null(r->res, 0, MAIL_RESEND_GENERATION);
    if (s->u->api) {
        setup_send_json(req, 200, one_json(c, &c->saved));
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena,
                                      "/admin/contacts?agency=%s&fy=%s&instrument=%s&edited=%ld%s",
                                      s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], c->id,
                                      c->resent ? "&resent=1" : ""));
}

static const setup_step edit_steps[] = {[ONE_READ] = one_read,
                                        [ONE_RELOADED] = edit_reloaded,
                                        [ONE_STORED] = edit_stored,
                                        [ONE_RESENT] = edit_done};

void admin_contacts_edit_form(struct http_request *req, const struct admin_user *u)
{
    one_start(req, u, false, SETUP_STEPS(edit_steps));
}

void admin_contacts_edit(struct http_request *req, const struct admin_user *u)
{
    one_start(req, u, true, SETUP_STEPS(edit_steps));
}

/* GET: who would be deleted and what it does (nothing changes until the button is pressed);
 * POST: deletes, revoking the current personal link. */
static void delete_reloaded(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct contact_one *c = s->page;
    if (!c->posting) {
        c->csrf = setup_csrf(req, s);
        setup_answer(req, s, one_json(c, &c->stored), "ยืนยันการลบรายชื่อ",
                     contacts_view_delete_confirm, c);
        return;
    }
    char id[24], gen[16], hash[2 * TOKEN_HASH_BYTES + 3];
    snprintf(id, sizeof id, "%ld", c->id);
    snprintf(gen, sizeof gen, "%d", c->generation);
    if (c->generation > 0) {
        /* the token of the current link, as links.c stores it: HMAC of the derived token */
        const struct secret *sec = &req->worker->srv->secret;
        char tok[PERSONAL_TOKEN_CHARS + 1];
        unsigned char h[TOKEN_HASH_BYTES];
        secret_contact_token(sec, c->id, c->generation, tok);
        secret_hmac(sec, SECRET_LABEL_TOKEN, tok, strlen(tok), h);
        hash[0] = '\\';
        hash[1] = 'x';
        secret_hex(h, TOKEN_HASH_BYTES, hash + 2);
    }
    const char *p[CONTACT_DELETE_NPARAMS];
    p[CONTACT_DELETE_P_AGENCY] = s->agency_id;
    p[CONTACT_DELETE_P_YEAR] = s->fy;
    p[CONTACT_DELETE_P_ID] = id;
    p[CONTACT_DELETE_P_GENERATION] = gen;
    p[CONTACT_DELETE_P_TOKEN_HASH] = c->generation > 0 ? hash : NULL;
    p[CONTACT_DELETE_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_contact_delete, p, ONE_STORED);
}

static void delete_stored(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct contact_one *c = s->page;
    if (!db_bool(r->res, 0, CONTACT_DELETE_DELETED)) {
        setup_fail(req, s, 409,
                   "ลบรายชื่อไม่ได้: มีผู้แก้ไขหรือออกลิงก์ให้รายชื่อนี้พร้อมกัน "
                   "กรุณาโหลดหน้ารายชื่อใหม่แล้วลองอีกครั้ง");
        return;
    }
    log_info("event=contact_deleted w=%d admin=%d contact=%ld", req->worker->id, s->u->id, c->id);
    if (s->u->api) {
        setup_send_json(req, 200,
                        json_pack("{s:I, s:b}", "contact", (json_int_t)c->id, "deleted", 1));
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena,
                                      "/admin/contacts?agency=%s&fy=%s&instrument=%s&deleted=1",
                                      s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]));
}

static const setup_step delete_steps[] = {
    [ONE_READ] = one_read, [ONE_RELOADED] = delete_reloaded, [ONE_STORED] = delete_stored};

void admin_contacts_delete_confirm(struct http_request *req, const struct admin_user *u)
{
    one_start(req, u, false, SETUP_STEPS(delete_steps));
}

void admin_contacts_delete(struct http_request *req, const struct admin_user *u)
{
    one_start(req, u, true, SETUP_STEPS(delete_steps));
}
