/* Personal links of an agency's contacts: issuing one to every contact without a link
 * (/admin/links/issue), the mail-merge CSV with every contact's link (/admin/links/mailmerge) and
 * reissuing one contact's link (/admin/links/reissue). A link's token is derived from the server
 * secret, the contact id and the link number (secret_contact_token), never stored: the database
 * keeps only its HMAC in personal_token, with no reference to the contact, so the database alone
 * cannot tell who holds which token. Deriving thousands of tokens runs on the CPU pool. */
#include "admin_setup.h"
#include "admin_handlers.h"
#include "setup_sql.h"
#include "csv_write.h"
#include "log.h"
#include "survey/pages.h"
#include "app/req_job.h"
#include "secret.h"
#include "server.h"
#include "xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- /admin/links/issue ---- */

/* "\\x<hex>" (bytea text) of what personal_token keeps for contact id's link number gen. */
static void token_hash_text(const struct secret *sec, long long id, int gen,
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
    token_hash_text(sec, id, gen, h);
    strbuf_printf(out, "%s\"\\%s\"", out->len > 1 ? "," : "", h);
}

/* Deriving personal tokens for many contacts on the CPU pool (issuing links, writing the mail
 * merge): owns copies of everything it reads. */
struct token_job {
    struct secret secret;   /* copy: the job never reaches into the server */
    char *base;             /* public base URL */
    size_t n;
    long long *ids;         /* contact ids */
    int *generations;       /* link number of each (mail merge) */
    struct mm_row *rows;    /* contact fields (mail merge); NULL when issuing */
    struct strbuf ids_text; /* bigint[] literal of ids (issuing) */
    struct strbuf out;      /* bytea[] literal of token hashes, or the CSV */
};

/* The rows of STMT_MAILMERGE, copied for the job. */
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

static void issue_stored(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    long issued = atol(PQgetvalue(r->res, 0, 0));
    log_info("event=links_issued w=%d admin=%d agency=%s fy=%s instrument=%s n=%ld",
             req->worker->id, s->u->id, s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], issued);
    if (s->u->api) {
        setup_send_json(req, 200, json_pack("{s:I, s:I}", "issued", (json_int_t)issued,
                                            "with_link", atoll(PQgetvalue(r->res, 0, 1))));
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena, "/admin/contacts?agency=%s&fy=%s&instrument=%s",
                                s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]));
}

static void issue_hashed(struct http_request *req, void *data)
{
    struct token_job *j = data;
    struct setup *s = req->handler_state;
    char admin[16];
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[6] = {s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], j->ids_text.data,
                        j->out.data, admin};
    http_db(req, &sql_links_issue, p, NULL, issue_stored);
}

static void issue_listed(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    struct token_job *j = token_job_new(req, (size_t)PQntuples(r->res));
    for (size_t i = 0; i < j->n; i++)
        j->ids[i] = atoll(PQgetvalue(r->res, (int)i, 0));
    req_job_start(req, j, issue_work, issue_hashed, token_job_free);
}

static void issue_go(struct http_request *req, struct setup *s)
{
    if (!s->link_id[s->instrument]) {
        setup_fail(req, s, 409, "ต้องบันทึกการตั้งค่าปีงบประมาณก่อน จึงจะออกลิงก์ส่วนบุคคลได้");
        return;
    }
    const char *p[3] = {s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]};
    http_db(req, &sql_links_unissued, p, NULL, issue_listed);
}

void admin_links_issue(struct http_request *req, const struct admin_user *u)
{
    setup_resolve(req, u, true, issue_go);
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

static void mailmerge_written(struct http_request *req, void *data)
{
    struct token_job *j = data;
    struct setup *s = req->handler_state;
    http_add_header(req, "Content-Disposition",
                    arena_sprintf(&req->arena, "attachment; filename=\"ita-%s-%s-%s-links.csv\"",
                                  s->code, s->fy, SETUP_INSTRUMENTS[s->instrument]));
    http_add_header(req, "Cache-Control", "no-store");
    http_respond(req, 200, "text/csv; charset=utf-8", j->out.data, j->out.len);
}

static void mailmerge_listed(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    int n = PQntuples(r->res);
    struct token_job *j = token_job_new(req, (size_t)n);
    struct mm_row *rows = j->rows = xcalloc(j->n ? j->n : 1, sizeof *rows);
    for (int i = 0; i < n; i++) {
        j->ids[i] = atoll(PQgetvalue(r->res, i, 0));
        j->generations[i] = atoi(PQgetvalue(r->res, i, 1));
        rows[i] = (struct mm_row){xstrdup(PQgetvalue(r->res, i, 2)), xstrdup(PQgetvalue(r->res, i, 3)),
                                  xstrdup(PQgetvalue(r->res, i, 4)), xstrdup(PQgetvalue(r->res, i, 5))};
    }
    req_job_start(req, j, mailmerge_work, mailmerge_written, token_job_free);
}

static void mailmerge_go(struct http_request *req, struct setup *s)
{
    char admin[16];
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[4] = {s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], admin};
    http_db(req, &sql_mailmerge, p, NULL, mailmerge_listed);
}

void admin_links_mailmerge(struct http_request *req, const struct admin_user *u)
{
    setup_resolve(req, u, true, mailmerge_go);
}

static const char *personal_url(struct http_request *req, long long contact, int generation)
{
    char tok[PERSONAL_TOKEN_CHARS + 1];
    secret_contact_token(&req->worker->srv->secret, contact, generation, tok);
    return arena_sprintf(&req->arena, "%s/t/%s", admin_public_base(req), tok);
}

/* ---- /admin/links/reissue ---- */

/* The contact being reissued (request arena). */
struct reissue {
    long contact_id;
    int generation; /* its current link number */
};


static void reissue_stored(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    if (PQgetisnull(r->res, 0, 0)) {
        setup_fail(req, s, 409, "ออกลิงก์ใหม่ไม่ได้: ลิงก์แบบสำรวจของปีนี้ถูกยกเลิก หรือมีผู้ออกลิงก์ใหม่ไปพร้อมกัน "
                          "กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง");
        return;
    }
    int gen = atoi(PQgetvalue(r->res, 0, 0));
    const char *url = personal_url(req, ((struct reissue *)s->page)->contact_id, gen);
    log_info("event=link_reissued w=%d admin=%d contact=%ld", req->worker->id, s->u->id,
             ((struct reissue *)s->page)->contact_id);
    if (s->u->api) {
        setup_send_json(req, 200, json_pack("{s:I, s:s}", "contact", (json_int_t)((struct reissue *)s->page)->contact_id,
                                            "url", url));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "ออกลิงก์ใหม่แล้ว");
    strbuf_puts(&p, "<p>ลิงก์เดิมใช้ไม่ได้แล้ว ส่งลิงก์ใหม่นี้ให้ผู้ตอบ:</p>"
                    "<p><code id=\"new-link\">");
    strbuf_html_escape(&p, url);
    strbuf_printf(&p, "</code></p><p><a href=\"/admin/contacts?%s&amp;instrument=%s\">กลับไปหน้ารายชื่อ</a></p>\n",
                  setup_qs(req, s), SETUP_INSTRUMENTS[s->instrument]);
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void reissue_found(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    if (PQntuples(r->res) != 1) {
        setup_fail(req, s, 404, "ไม่พบรายชื่อนี้ หรือท่านไม่มีสิทธิ์ดูแลรายชื่อนี้");
        return;
    }
    snprintf(s->agency_id, sizeof s->agency_id, "%s", PQgetvalue(r->res, 0, 0));
    snprintf(s->fy, sizeof s->fy, "%s", PQgetvalue(r->res, 0, 1));
    s->instrument = strcmp(PQgetvalue(r->res, 0, 2), "IIT") == 0 ? 0 : 1;
    ((struct reissue *)s->page)->generation = atoi(PQgetvalue(r->res, 0, 3));
    const struct secret *sec = &req->worker->srv->secret;
    char old_h[2 * TOKEN_HASH_BYTES + 3], new_h[2 * TOKEN_HASH_BYTES + 3];
    token_hash_text(sec, ((struct reissue *)s->page)->contact_id, ((struct reissue *)s->page)->generation, old_h);
    token_hash_text(sec, ((struct reissue *)s->page)->contact_id, ((struct reissue *)s->page)->generation + 1, new_h);
    char id[24], gen[16], admin[16];
    snprintf(id, sizeof id, "%ld", ((struct reissue *)s->page)->contact_id);
    snprintf(gen, sizeof gen, "%d", ((struct reissue *)s->page)->generation);
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[8] = {s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], id, gen, old_h, new_h,
                        admin};
    http_db(req, &sql_link_reissue, p, NULL, reissue_stored);
}

void admin_links_reissue(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u);
    struct reissue *ri = arena_alloc(&req->arena, sizeof *ri);
    s->page = ri;
    const char *c = setup_param(req, s, "contact");
    if (!setup_digits(c, 15)) {
        setup_fail(req, s, 400, "ต้องระบุรายชื่อ (contact=รหัสตัวเลข)");
        return;
    }
    ((struct reissue *)s->page)->contact_id = atol(c);
    const char *p[3] = {s->sys, s->uagency, c};
    http_db(req, &sql_contact_get, p, NULL, reissue_found);
}

