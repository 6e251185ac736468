/* Personal links of an agency's contacts: issuing one to every contact without a link
 * (/admin/links/issue), the mail-merge CSV with every contact's link (/admin/links/mailmerge) and
 * reissuing one contact's link (/admin/links/reissue). A link's token is derived from the server
 * secret, the contact id and the link number (secret_contact_token), never stored: the database
 * keeps only its HMAC in personal_token, with no reference to the contact, so the database alone
 * cannot tell who holds which token. Deriving thousands of tokens runs on the CPU pool. The
 * reissue page's HTML is in links_view.c. */
#include "admin_handlers.h"
#include "admin_session.h"
#include "admin_setup.h"
#include "links.h"
#include "links_view.h"
#include "mail_admin_sql.h"
#include "setup_sql.h"
#include "csv_write.h"
#include "db/db_row.h"
#include "log.h"
#include "secret.h"
#include "server.h"
#include "xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- /admin/links/issue ---- */

void links_token_hash_text(const struct secret *sec, long long id, int gen,
                           char out[2 * TOKEN_HASH_BYTES + 3])
{
    char tok[PERSONAL_TOKEN_CHARS + 1];
    unsigned char h[TOKEN_HASH_BYTES];
    secret_contact_token(sec, id, gen, tok);
    secret_hmac(sec, SECRET_LABEL_TOKEN, tok, strlen(tok), h);
    out[0] = '\\';
    out[1] = 'x';
    secret_hex(h, TOKEN_HASH_BYTES, out + 2);
}

/* Appends the same as an element of a bytea[] literal (the backslash escaped). */
static void append_token_hash(struct strbuf *out, const struct secret *sec, long long id, int gen)
{
    char h[2 * TOKEN_HASH_BYTES + 3];
    links_token_hash_text(sec, id, gen, h);
    strbuf_printf(out, "%s\"\\%s\"", out->len > 1 ? "," : "", h);
}

/* Deriving personal tokens for many contacts on the CPU pool (issuing links, writing the mail
 * merge): owns copies of everything it reads. */
struct token_job {
    struct secret secret; /* copy: the job never reaches into the server */
    char *base;           /* public base URL */
    size_t n;
    long long *ids;         /* contact ids */
    int *generations;       /* link number of each (mail merge) */
    struct mm_row *rows;    /* contact fields (mail merge); NULL when issuing */
    struct strbuf ids_text; /* bigint[] literal of ids (issuing) */
    struct strbuf out;      /* bytea[] literal of token hashes, or the CSV */
};

/* The rows of sql_mailmerge, copied for the job. */
struct mm_row {
    char *name, *email, *phone, *unit;
};

static struct token_job *token_job_new(struct http_request *req, size_t n)
{
    struct token_job *j = xcalloc(1, sizeof *j);
    j->secret = req->worker->srv->secret;
    j->base = xstrdup(admin_public_base(req));
    j->n = n;
    j->ids = xcalloc(n ? n : 1, sizeof *j->ids);
    j->generations = xcalloc(n ? n : 1, sizeof *j->generations);
    strbuf_init(&j->ids_text);
    strbuf_init(&j->out);
    return j;
}

static void token_job_free(void *data)
{
    struct token_job *j = data;
    for (size_t i = 0; j->rows && i < j->n; i++) {
        free(j->rows[i].name);
        free(j->rows[i].email);
        free(j->rows[i].phone);
        free(j->rows[i].unit);
    }
    free(j->rows);
    sodium_memzero(&j->secret, sizeof j->secret);
    free(j->base);
    free(j->ids);
    free(j->generations);
    strbuf_free(&j->ids_text);
    strbuf_free(&j->out);
    free(j);
}

static void issue_work(void *data)
{
    struct token_job *j = data;
    strbuf_puts(&j->out, "{");
    strbuf_puts(&j->ids_text, "{");
    for (size_t i = 0; i < j->n; i++) {
        append_token_hash(&j->out, &j->secret, j->ids[i], 1);
        strbuf_printf(&j->ids_text, "%s%lld", i ? "," : "", j->ids[i]);
    }
    strbuf_puts(&j->out, "}");
    strbuf_puts(&j->ids_text, "}");
}

enum issue_state {
    ISSUE_RESOLVED = SETUP_RESOLVED, /* the agency and year are known */
    ISSUE_LISTED,                    /* sql_links_unissued answered */
    ISSUE_HASHED,                    /* the token hashes were derived on the CPU pool */
    ISSUE_STORED,                    /* sql_links_issue answered */
};

void links_issue_list(struct http_request *req, struct setup *s, int listed_state)
{
    if (!s->link_id[s->instrument]) {
        setup_fail(req, s, 409, "ต้องบันทึกการตั้งค่าปีงบประมาณก่อน จึงจะออกลิงก์ส่วนบุคคลได้");
        return;
    }
    const char *p[LINKS_UNISSUED_NPARAMS];
    p[LINKS_UNISSUED_P_AGENCY] = s->agency_id;
    p[LINKS_UNISSUED_P_YEAR] = s->fy;
    p[LINKS_UNISSUED_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    setup_run(req, s, &sql_links_unissued, p, listed_state);
}

void links_issue_hash(struct http_request *req, struct setup *s, const struct db_result *r,
                      int hashed_state)
{
    struct token_job *j = token_job_new(req, (size_t)PQntuples(r->res));
    for (size_t i = 0; i < j->n; i++)
        j->ids[i] = db_int(r->res, (int)i, LINKS_UNISSUED_ID);
    setup_job(req, s, j, issue_work, token_job_free, hashed_state);
}

void links_issue_store(struct http_request *req, struct setup *s, int stored_state)
{
    struct token_job *j = s->job;
    const char *p[LINKS_ISSUE_NPARAMS];
    p[LINKS_ISSUE_P_AGENCY] = s->agency_id;
    p[LINKS_ISSUE_P_YEAR] = s->fy;
    p[LINKS_ISSUE_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[LINKS_ISSUE_P_IDS] = j->ids_text.data;
    p[LINKS_ISSUE_P_HASHES] = j->out.data;
    p[LINKS_ISSUE_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_links_issue, p, stored_state);
}

static void issue_start(struct http_request *req, struct setup *s, const struct db_result *r)
{
    links_issue_list(req, s, ISSUE_LISTED);
}

static void issue_listed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    links_issue_hash(req, s, r, ISSUE_HASHED);
}

static void issue_hashed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    links_issue_store(req, s, ISSUE_STORED);
}

static void issue_stored(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const char *in = SETUP_INSTRUMENTS[s->instrument];
    long issued = (long)db_int(r->res, 0, LINKS_ISSUE_ISSUED);
    log_info("event=links_issued w=%d admin=%d agency=%s fy=%s instrument=%s n=%ld",
             req->worker->id, s->u->id, s->agency_id, s->fy, in, issued);
    if (s->u->api) {
        setup_send_json(req, 200,
                        json_pack("{s:I, s:I}", "issued", (json_int_t)issued, "with_link",
                                  (json_int_t)db_int(r->res, 0, LINKS_ISSUE_WITH_LINK)));
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena, "/admin/contacts?agency=%s&fy=%s&instrument=%s",
                                      s->agency_id, s->fy, in));
}

void admin_links_issue(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[ISSUE_RESOLVED] = issue_start,
                                       [ISSUE_LISTED] = issue_listed,
                                       [ISSUE_HASHED] = issue_hashed,
                                       [ISSUE_STORED] = issue_stored};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}

/* ---- /admin/links/mailmerge ---- */

/* A stored phone number (digits, leading 0) written with dashes, 081-234-5678 or 02-123-4567, so
 * that Excel keeps it as text instead of a number without its leading 0. */
static void phone_for_excel(const char *digits, char out[24])
{
    size_t n = strlen(digits);
    if (n == 10)
        snprintf(out, 24, "%.3s-%.3s-%.4s", digits, digits + 3, digits + 6);
    else if (n == 9)
        snprintf(out, 24, "%.2s-%.3s-%.4s", digits, digits + 2, digits + 5);
    else
        snprintf(out, 24, "%.23s", digits);
}

static void mailmerge_work(void *data)
{
    struct token_job *j = data;
    const struct mm_row *rows = j->rows;
    ita_csv_write_bom(&j->out);
    const char *head[5] = {"ชื่อ-นามสกุล", "อีเมล", "โทรศัพท์", "หน่วยงานย่อย", "ลิงก์"};
    ita_csv_write_row(&j->out, head, 5);
    for (size_t i = 0; i < j->n; i++) {
        char tok[PERSONAL_TOKEN_CHARS + 1];
        secret_contact_token(&j->secret, j->ids[i], j->generations[i], tok);
        char url[1200];
        snprintf(url, sizeof url, "%s/t/%s", j->base, tok);
        char phone[24];
        phone_for_excel(rows[i].phone, phone);
        const char *f[5] = {rows[i].name, rows[i].email, phone, rows[i].unit, url};
        ita_csv_write_row(&j->out, f, 5);
    }
}

enum mailmerge_state {
    MAILMERGE_RESOLVED = SETUP_RESOLVED, /* the agency and year are known */
    MAILMERGE_LISTED,                    /* sql_mailmerge answered */
    MAILMERGE_WRITTEN,                   /* the CSV was written on the CPU pool */
};

/* The contacts with a link, copied for the job. */
static struct token_job *mailmerge_job(struct http_request *req, const PGresult *res)
{
    int n = PQntuples(res);
    struct token_job *j = token_job_new(req, (size_t)n);
    struct mm_row *rows = j->rows = xcalloc(j->n ? j->n : 1, sizeof *rows);
    for (int i = 0; i < n; i++) {
        j->ids[i] = db_int(res, i, MAILMERGE_ID);
        j->generations[i] = (int)db_int(res, i, MAILMERGE_GENERATION);
        rows[i] = (struct mm_row){
            xstrdup(db_text(res, i, MAILMERGE_NAME)), xstrdup(db_text(res, i, MAILMERGE_EMAIL)),
            xstrdup(db_text(res, i, MAILMERGE_PHONE)), xstrdup(db_text(res, i, MAILMERGE_UNIT))};
    }
    return j;
}

static void mailmerge_start(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (s->private_delivery[s->instrument]) {
        setup_fail(req, s, 403,
                   "รายชื่อนี้ส่งลิงก์แบบส่วนตัว: ระบบส่งลิงก์ให้แต่ละคนทางอีเมลเอง "
                   "จึงไม่มีไฟล์จดหมายเวียนที่รวมลิงก์ของทุกคน "
                   "(เปลี่ยนวิธีส่งได้ที่หน้า ส่งลิงก์ทางอีเมล)");
        return;
    }
    const char *p[MAILMERGE_NPARAMS];
    p[MAILMERGE_P_AGENCY] = s->agency_id;
    p[MAILMERGE_P_YEAR] = s->fy;
    p[MAILMERGE_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[MAILMERGE_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_mailmerge, p, MAILMERGE_LISTED);
}

static void mailmerge_listed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    setup_job(req, s, mailmerge_job(req, r->res), mailmerge_work, token_job_free,
              MAILMERGE_WRITTEN);
}

static void mailmerge_written(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct token_job *j = s->job;
    http_add_header(req, "Content-Disposition",
                    arena_sprintf(&req->arena, "attachment; filename=\"ita-%s-%s-%s-links.csv\"",
                                  s->code, s->fy, SETUP_INSTRUMENTS[s->instrument]));
    http_add_header(req, "Cache-Control", "no-store");
    http_respond(req, 200, "text/csv; charset=utf-8", j->out.data, j->out.len);
}

void admin_links_mailmerge(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[MAILMERGE_RESOLVED] = mailmerge_start,
                                       [MAILMERGE_LISTED] = mailmerge_listed,
                                       [MAILMERGE_WRITTEN] = mailmerge_written};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}

static const char *personal_url(struct http_request *req, long long contact, int generation)
{
    char tok[PERSONAL_TOKEN_CHARS + 1];
    secret_contact_token(&req->worker->srv->secret, contact, generation, tok);
    return arena_sprintf(&req->arena, "%s/t/%s", admin_public_base(req), tok);
}

/* ---- /admin/links/reissue ---- */

enum reissue_state {
    REISSUE_FOUND,  /* sql_contact_get answered: the contact within scope */
    REISSUE_STORED, /* sql_link_reissue answered */
};

/* The contact being reissued (request arena). */
struct reissue {
    long contact_id;
    int generation;         /* its current link number */
    bool private_delivery;  /* the list's links are never shown: the new one is e-mailed */
    struct links_whose who; /* whose link it is, for the pages */
};

/* The contact row's scope and names into s and ri (strings in the request arena). */
static void reissue_read(struct http_request *req, struct setup *s, struct reissue *ri,
                         const PGresult *res)
{
    snprintf(s->agency_id, sizeof s->agency_id, "%s", db_text(res, 0, CONTACT_GET_AGENCY));
    snprintf(s->fy, sizeof s->fy, "%s", db_text(res, 0, CONTACT_GET_YEAR));
    s->instrument = strcmp(db_text(res, 0, CONTACT_GET_INSTRUMENT), "IIT") == 0 ? 0 : 1;
    ri->generation = (int)db_int(res, 0, CONTACT_GET_GENERATION);
    ri->private_delivery = db_bool(res, 0, CONTACT_GET_PRIVATE);
    s->name = arena_strndup(&req->arena, db_text(res, 0, CONTACT_GET_AGENCY_NAME),
                            (size_t)db_len(res, 0, CONTACT_GET_AGENCY_NAME));
    ri->who.contact_id = ri->contact_id;
    ri->who.name = arena_strndup(&req->arena, db_text(res, 0, CONTACT_GET_NAME),
                                 (size_t)db_len(res, 0, CONTACT_GET_NAME));
    ri->who.unit = arena_strndup(&req->arena, db_text(res, 0, CONTACT_GET_UNIT),
                                 (size_t)db_len(res, 0, CONTACT_GET_UNIT));
    ri->who.email = arena_strndup(&req->arena, db_text(res, 0, CONTACT_GET_EMAIL),
                                  (size_t)db_len(res, 0, CONTACT_GET_EMAIL));
}

/* The contact found: its next link replaces the current one. */
static void reissue_found(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const PGresult *res = r->res;
    struct reissue *ri = s->page;
    if (PQntuples(res) != 1) {
        setup_fail(req, s, 404, "ไม่พบรายชื่อนี้ หรือท่านไม่มีสิทธิ์ดูแลรายชื่อนี้");
        return;
    }
    reissue_read(req, s, ri, res);
    const struct secret *sec = &req->worker->srv->secret;
    char old_h[2 * TOKEN_HASH_BYTES + 3], new_h[2 * TOKEN_HASH_BYTES + 3];
    links_token_hash_text(sec, ri->contact_id, ri->generation, old_h);
    links_token_hash_text(sec, ri->contact_id, ri->generation + 1, new_h);
    char id[24], gen[16];
    snprintf(id, sizeof id, "%ld", ri->contact_id);
    snprintf(gen, sizeof gen, "%d", ri->generation);
    if (ri->private_delivery && ri->who.email[0]) { /* the new link goes out by e-mail */
        const char *q[MAIL_RESEND_NPARAMS];
        q[MAIL_LIST_P_AGENCY] = s->agency_id;
        q[MAIL_LIST_P_YEAR] = s->fy;
        q[MAIL_LIST_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
        q[MAIL_RESEND_P_CONTACT] = id;
        q[MAIL_RESEND_P_GENERATION] = gen;
        q[MAIL_RESEND_P_OLD_HASH] = old_h;
        q[MAIL_RESEND_P_NEW_HASH] = new_h;
        q[MAIL_RESEND_P_ADMIN] = s->admin;
        setup_run(req, s, &sql_mail_resend, q, REISSUE_STORED);
        return;
    }
    const char *p[LINK_REISSUE_NPARAMS];
    p[LINK_REISSUE_P_AGENCY] = s->agency_id;
    p[LINK_REISSUE_P_YEAR] = s->fy;
    p[LINK_REISSUE_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[LINK_REISSUE_P_CONTACT] = id;
    p[LINK_REISSUE_P_GENERATION] = gen;
    p[LINK_REISSUE_P_OLD_HASH] = old_h;
    p[LINK_REISSUE_P_NEW_HASH] = new_h;
    p[LINK_REISSUE_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_link_reissue, p, REISSUE_STORED);
}

static void reissue_stored(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const PGresult *res = r->res;
    struct reissue *ri = s->page;
    if (db_null(res, 0, LINK_REISSUE_GENERATION)) {
        setup_fail(req, s, 409,
                   "ออกลิงก์ใหม่ไม่ได้: ลิงก์แบบสำรวจของปีนี้ถูกยกเลิก หรือมีผู้ออกลิงก์ใหม่ไปพร้อมกัน "
                   "กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง");
        return;
    }
    _Static_assert((int)LINK_REISSUE_GENERATION == (int)MAIL_RESEND_GENERATION, "one column");
    int gen = (int)db_int(res, 0, LINK_REISSUE_GENERATION);
    log_info("event=link_reissued w=%d admin=%d contact=%ld private=%d", req->worker->id, s->u->id,
             ri->contact_id, ri->private_delivery);
    if (ri->private_delivery) { /* never shown: e-mailed, or printed on a slip */
        ri->who.url = NULL;
        ri->who.emailed = ri->who.email[0] != '\0';
        setup_answer(req, s,
                     json_pack("{s:I, s:b}", "contact", (json_int_t)ri->contact_id, "emailed",
                               ri->who.emailed),
                     "ออกลิงก์ใหม่แล้ว", links_view_reissued, &ri->who);
        return;
    }
    const char *url = personal_url(req, ri->contact_id, gen);
    ri->who.url = url;
    setup_answer(req, s, json_pack("{s:I, s:s}", "contact", (json_int_t)ri->contact_id, "url", url),
                 "ออกลิงก์ใหม่แล้ว", links_view_reissued, &ri->who);
}

static const setup_step reissue_steps[] = {
    [REISSUE_FOUND] = reissue_found,
    [REISSUE_STORED] = reissue_stored,
};

/* Looks up the contact the request names (contact=) within scope, then runs steps' FOUND. */
static void reissue_start(struct http_request *req, const struct admin_user *u,
                          const setup_step *steps, size_t nsteps)
{
    struct setup *s = setup_new(req, u, steps, nsteps);
    struct reissue *ri = arena_alloc(&req->arena, sizeof *ri);
    memset(ri, 0, sizeof *ri);
    s->page = ri;
    const char *c = setup_param(req, s, "contact");
    if (!setup_digits(c, 15)) {
        setup_fail(req, s, 400, "ต้องระบุรายชื่อ (contact=รหัสตัวเลข)");
        return;
    }
    ri->contact_id = atol(c);
    const char *p[CONTACT_GET_NPARAMS];
    p[CONTACT_GET_P_SYSTEM] = s->sys;
    p[CONTACT_GET_P_OWN_AGENCY] = s->uagency;
    p[CONTACT_GET_P_ID] = c;
    setup_run(req, s, &sql_contact_get, p, REISSUE_FOUND);
}

void admin_links_reissue(struct http_request *req, const struct admin_user *u)
{
    reissue_start(req, u, SETUP_STEPS(reissue_steps));
}

/* GET /admin/links/reissue?contact=: whose link would be replaced, and the button that does it
 * (nothing changes until it is pressed). */
static void confirm_found(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct reissue *ri = s->page;
    if (PQntuples(r->res) != 1) {
        setup_fail(req, s, 404, "ไม่พบรายชื่อนี้ หรือท่านไม่มีสิทธิ์ดูแลรายชื่อนี้");
        return;
    }
    reissue_read(req, s, ri, r->res);
    if (ri->generation == 0) {
        setup_fail(req, s, 409, "รายชื่อนี้ยังไม่มีลิงก์ส่วนบุคคล ออกลิงก์ได้จากหน้ารายชื่อ");
        return;
    }
    admin_csrf_token(req, s->u, ri->who.csrf);
    setup_answer(req, s,
                 json_pack("{s:I, s:s, s:i}", "contact", (json_int_t)ri->contact_id, "name",
                           ri->who.name, "generation", ri->generation),
                 "ยืนยันการออกลิงก์ใหม่", links_view_reissue_confirm, &ri->who);
}

static const setup_step confirm_steps[] = {
    [REISSUE_FOUND] = confirm_found,
};

void admin_links_reissue_confirm(struct http_request *req, const struct admin_user *u)
{
    reissue_start(req, u, SETUP_STEPS(confirm_steps));
}
