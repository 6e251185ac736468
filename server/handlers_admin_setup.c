/* Administrator pages and API for setting up an agency's fiscal year: the survey window and the
 * populations the minimum samples come from (/admin/year), contact lists (/admin/contacts,
 * /admin/contacts/import, /admin/contacts/purge), personal links (/admin/links/issue,
 * /admin/links/mailmerge, /admin/links/reissue) and progress (/admin/progress).
 *
 * Every request first resolves the agency it names (agency=<id> or code=<code>) within the
 * administrator's scope together with the year's settings (one statement, STMT_SETUP_VIEW); an
 * agency outside the scope answers 404 like one that does not exist. Parsing an uploaded list and
 * deriving thousands of personal tokens run on the CPU pool, never on the event loop. The same
 * handlers answer HTML to browsers and JSON to API tokens (docs/api.md). */
#define _GNU_SOURCE /* strptime, timegm */
#include "admin_session.h"
#include "contact_list.h"
#include "cpu_pool.h"
#include "csv_write.h"
#include "http.h"
#include "log.h"
#include "pages.h"
#include "routes.h"
#include "sample_rule.h"
#include "secret.h"
#include "server.h"
#include "xalloc.h"

#include <event2/buffer.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define K_ANONYMITY 5     /* no per-day figure below this many responses */
#define CONTACT_PAGE 100  /* contacts per page */

static const char *const INSTRUMENTS[2] = {"IIT", "EIT"};
static const char *const LIST_TH[2] = {"รายชื่อบุคลากร (IIT)", "รายชื่อผู้รับบริการ/ผู้มีส่วนได้ส่วนเสียภายนอก (EIT)"};

struct setup;
typedef void (*setup_next)(struct http_request *req, struct setup *s);

/* What a request names and, once resolved, the agency and its year (request arena). */
struct setup {
    const struct admin_user *u;
    char sys[8], uagency[16];   /* scope parameters */
    char id_param[16];          /* agency=<id> as asked, or "-1" */
    const char *code_param;     /* code=<code> as asked, or "" */
    char fy[8];                 /* fiscal year, digits */
    int instrument;             /* 0 IIT, 1 EIT, -1 not asked */
    setup_next next;
    const struct form_data *form;        /* posted form, or NULL */
    const struct multipart_file *upload; /* uploaded file "file", or NULL */
    /* resolved by STMT_SETUP_VIEW */
    char agency_id[16];
    const char *code, *name;
    bool year_set, version_exists, closed;
    const char *opens_on, *closes_on; /* YYYY-MM-DD, closing day inclusive; "" when unset */
    long population[2];               /* staff (IIT), outside (EIT); -1 when not entered */
    struct ita_sample_rule rules[2];
    long link_id[2];                  /* live public links; 0 when none */
    const char *slug[2];
    /* per handler */
    struct setup_job *job;            /* CPU-pool work in flight */
    long contact_id;
    int generation;
};

/* ---- answering ---- */

static void fail(struct http_request *req, const struct setup *s, int status, const char *msg)
{
    if (s->u->api) {
        admin_send_json_error(req, status, msg);
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "ทำรายการไม่สำเร็จ");
    strbuf_puts(&p, "<main><h1>ทำรายการไม่สำเร็จ</h1><p class=\"er\" role=\"alert\">");
    strbuf_html_escape(&p, msg);
    strbuf_puts(&p, "</p><p><a href=\"/admin/agencies\">กลับไปหน้าหน่วยงาน</a></p></main>\n");
    pages_finish(&p);
    admin_send_page(req, status, &p);
}

static void db_failed(struct http_request *req, const struct setup *s, const struct db_result *r)
{
    if (r->unavailable || !r->sqlstate) {
        http_respond_unavailable(req, "database unavailable");
        return;
    }
    log_error("event=admin_setup_sql_error w=%d sqlstate=%s error=\"%s\"", req->worker->id,
              r->sqlstate, r->error);
    fail(req, s, 500, "ระบบฐานข้อมูลขัดข้อง กรุณาลองใหม่ภายหลัง");
}

static void redirect(struct http_request *req, const char *to)
{
    http_add_header(req, "Location", to);
    http_respond(req, 303, "text/plain; charset=utf-8", "", 0);
}

static void send_json_steal(struct http_request *req, int status, json_t *doc)
{
    admin_send_json(req, status, doc);
    json_decref(doc);
}

static const char *agency_qs(struct http_request *req, const struct setup *s)
{
    return arena_sprintf(&req->arena, "agency=%s&amp;fy=%s", s->agency_id, s->fy);
}

/* ---- what the request names ---- */

/* A parameter from the posted form, else from the query string. */
static const char *param(struct http_request *req, const struct setup *s, const char *name)
{
    const char *v = s->form ? form_get(s->form, name) : NULL;
    return v ? v : admin_query_str(req, name);
}

/* A new request state; takes over the posted form and upload from admin_with_user's state,
 * which it replaces as req->handler_state. */
static struct setup *setup_new(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = arena_alloc(&req->arena, sizeof *s);
    memset(s, 0, sizeof *s);
    s->u = u;
    s->instrument = -1;
    s->form = admin_form(req);
    s->upload = admin_upload(req, "file");
    admin_scope(u, s->sys, s->uagency);
    req->handler_state = s;
    return s;
}

static bool all_digits(const char *v, size_t max)
{
    size_t n = v ? strlen(v) : 0;
    return n >= 1 && n <= max && strspn(v, "0123456789") == n;
}

static void view_done(struct http_request *req, const struct db_result *r);

/* Reads agency/code, fy and (when want_instrument) instrument, then resolves them and calls
 * next. Answers 400 itself when they are missing or malformed. */
static void resolve(struct http_request *req, const struct admin_user *u, bool want_instrument,
                    setup_next next)
{
    struct setup *s = setup_new(req, u);
    s->next = next;
    const char *id = param(req, s, "agency"), *code = param(req, s, "code"),
               *fy = param(req, s, "fy");
    if (!(all_digits(id, 9) || (code && *code)) || !all_digits(fy, 4) || atoi(fy) < 2500 ||
        atoi(fy) > 2700) {
        fail(req, s, 400, "ต้องระบุหน่วยงาน (agency=รหัสตัวเลข หรือ code=รหัสหน่วยงาน) และปีงบประมาณ "
                          "พ.ศ. (fy เช่น 2567)");
        return;
    }
    if (want_instrument) {
        const char *in = param(req, s, "instrument");
        s->instrument = in && !strcmp(in, "IIT") ? 0 : in && !strcmp(in, "EIT") ? 1 : -1;
        if (s->instrument < 0) {
            fail(req, s, 400, "ต้องระบุแบบสำรวจ instrument=IIT หรือ EIT");
            return;
        }
    }
    snprintf(s->id_param, sizeof s->id_param, "%s", all_digits(id, 9) ? id : "-1");
    s->code_param = code ? code : "";
    snprintf(s->fy, sizeof s->fy, "%s", fy);
    const char *p[5] = {s->sys, s->uagency, s->id_param, s->code_param, s->fy};
    if (!http_db_exec(req, STMT_SETUP_VIEW, 5, p, NULL, view_done))
        http_respond_unavailable(req, "database unavailable");
}

static const char *col(struct http_request *req, PGresult *res, int c)
{
    return arena_strndup(&req->arena, PQgetvalue(res, 0, c), (size_t)PQgetlength(res, 0, c));
}

static void view_done(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    PGresult *res = r->res;
    if (PQntuples(res) != 1) {
        fail(req, s, 404, "ไม่พบหน่วยงานนี้ หรือท่านไม่มีสิทธิ์ดูแลหน่วยงานนี้");
        return;
    }
    snprintf(s->agency_id, sizeof s->agency_id, "%s", PQgetvalue(res, 0, 0));
    s->code = col(req, res, 1);
    s->name = col(req, res, 2);
    s->year_set = PQgetvalue(res, 0, 3)[0] == 't';
    s->version_exists = PQgetvalue(res, 0, 4)[0] == 't';
    s->closed = PQgetvalue(res, 0, 5)[0] == 't';
    s->opens_on = col(req, res, 6);
    s->closes_on = col(req, res, 7);
    for (int k = 0; k < 2; k++) {
        s->population[k] = PQgetisnull(res, 0, 8 + k) ? -1 : atol(PQgetvalue(res, 0, 8 + k));
        s->link_id[k] = PQgetisnull(res, 0, 11 + 2 * k) ? 0 : atol(PQgetvalue(res, 0, 11 + 2 * k));
        s->slug[k] = col(req, res, 12 + 2 * k);
    }
    char err[256];
    if (ita_sample_rules_parse_text(PQgetisnull(res, 0, 10) ? NULL : PQgetvalue(res, 0, 10),
                                    s->rules, err, sizeof err) != 0) {
        log_error("event=bad_sample_rule fy=%s error=\"%s\"", s->fy, err);
        for (int k = 0; k < 2; k++)
            s->rules[k] = ita_sample_rule_default(k);
    }
    s->next(req, s);
}

static long min_sample(const struct setup *s, int k)
{
    return ita_min_sample(&s->rules[k], s->population[k]);
}

static const char *link_url(struct http_request *req, const struct setup *s, int k)
{
    return s->link_id[k] ? arena_sprintf(&req->arena, "%s/s/%s", admin_public_base(req), s->slug[k])
                         : NULL;
}

static const char *personal_url(struct http_request *req, long long contact, int generation)
{
    char tok[PERSONAL_TOKEN_CHARS + 1];
    secret_contact_token(&req->worker->srv->secret, contact, generation, tok);
    return arena_sprintf(&req->arena, "%s/t/%s", admin_public_base(req), tok);
}

/* Links to the other pages of the same agency and year. */
static void year_nav(struct strbuf *p, struct http_request *req, const struct setup *s)
{
    const char *qs = agency_qs(req, s);
    strbuf_puts(p, "<p class=\"yn\"><strong>");
    strbuf_html_escape(p, s->name);
    strbuf_printf(p, "</strong> ปีงบประมาณ %s · <a href=\"/admin/year?%s\">ตั้งค่าปีงบประมาณ</a> · "
                     "<a href=\"/admin/contacts?%s&amp;instrument=IIT\">รายชื่อบุคลากร</a> · "
                     "<a href=\"/admin/contacts?%s&amp;instrument=EIT\">รายชื่อผู้มีส่วนได้ส่วนเสียภายนอก</a> · "
                     "<a href=\"/admin/progress?%s\">ความคืบหน้า</a></p>\n",
                  s->fy, qs, qs, qs, qs);
}

static void csrf_field(struct strbuf *p, struct http_request *req, const struct setup *s)
{
    char csrf[40];
    admin_csrf_token(req, s->u, csrf);
    strbuf_printf(p, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", csrf);
}

static void hidden_scope(struct strbuf *p, const struct setup *s, int instrument)
{
    strbuf_printf(p, "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
                     "<input type=\"hidden\" name=\"fy\" value=\"%s\">",
                  s->agency_id, s->fy);
    if (instrument >= 0)
        strbuf_printf(p, "<input type=\"hidden\" name=\"instrument\" value=\"%s\">",
                      INSTRUMENTS[instrument]);
}

/* ---- /admin/year ---- */

static json_t *year_json(struct http_request *req, const struct setup *s)
{
    json_t *links = json_object(), *mins = json_object();
    for (int k = 0; k < 2; k++) {
        json_object_set_new(mins, INSTRUMENTS[k], json_integer(min_sample(s, k)));
        if (s->link_id[k])
            json_object_set_new(links, INSTRUMENTS[k],
                                json_pack("{s:I, s:s}", "id", (json_int_t)s->link_id[k], "url",
                                          link_url(req, s, k)));
    }
    json_t *doc = json_pack("{s:{s:s, s:s, s:s}, s:i, s:s, s:s, s:o, s:o, s:o, s:o}", "agency",
                            "id", s->agency_id, "code", s->code, "name_th", s->name,
                            "fiscal_year", atoi(s->fy), "opens_on", s->opens_on, "closes_on",
                            s->closes_on, "staff_population",
                            s->population[0] < 0 ? json_null() : json_integer(s->population[0]),
                            "eit_population",
                            s->population[1] < 0 ? json_null() : json_integer(s->population[1]),
                            "min_sample", mins, "links", links);
    if (!doc)
        abort();
    return doc;
}

static void population_input(struct strbuf *p, const char *name, long v)
{
    strbuf_printf(p, "<input id=\"%s\" name=\"%s\" inputmode=\"numeric\" pattern=\"[0-9]*\" "
                     "maxlength=\"8\" value=\"",
                  name, name);
    if (v >= 0)
        strbuf_printf(p, "%ld", v);
    strbuf_puts(p, "\">");
}

static void year_page(struct http_request *req, struct setup *s)
{
    if (s->u->api) {
        if (!s->year_set) {
            fail(req, s, 404, "ยังไม่ได้ตั้งค่าปีงบประมาณนี้ของหน่วยงาน");
            return;
        }
        send_json_steal(req, 200, year_json(req, s));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "ตั้งค่าปีงบประมาณ");
    strbuf_printf(&p, "<main><h1>ตั้งค่าปีงบประมาณ %s</h1>\n", s->fy);
    year_nav(&p, req, s);
    const char *saved = admin_query_str(req, "saved");
    if (saved && !strcmp(saved, "1"))
        strbuf_puts(&p, "<p class=\"ok\" role=\"status\">บันทึกแล้ว</p>\n");
    if (!s->version_exists)
        strbuf_puts(&p, "<p class=\"er\" role=\"alert\">ยังไม่มีแบบสำรวจของปีงบประมาณนี้ในระบบ "
                        "ผู้ดูแลระบบต้องโหลดแบบสำรวจก่อน (itad --load-instruments)</p>\n");
    strbuf_puts(&p, "<form method=\"post\" action=\"/admin/year\" id=\"year-form\">");
    csrf_field(&p, req, s);
    hidden_scope(&p, s, -1);
    strbuf_printf(&p, "<p><label for=\"opens_on\">วันเปิดรับคำตอบ</label>"
                      "<input type=\"date\" id=\"opens_on\" name=\"opens_on\" required value=\"%s\"></p>"
                      "<p><label for=\"closes_on\">วันปิดรับคำตอบ (วันสุดท้ายที่ตอบได้)</label>"
                      "<input type=\"date\" id=\"closes_on\" name=\"closes_on\" required value=\"%s\"></p>"
                      "<p><label for=\"staff_population\">จำนวนบุคลากรที่ปฏิบัติงานมาไม่น้อยกว่า 1 ปี</label>",
                  s->opens_on, s->closes_on);
    population_input(&p, "staff_population", s->population[0]);
    strbuf_puts(&p, "</p><p><label for=\"eit_population\">จำนวนผู้รับบริการ/ผู้มีส่วนได้ส่วนเสียภายนอกโดยประมาณ "
                    "(ไม่ทราบให้เว้นว่าง)</label>");
    population_input(&p, "eit_population", s->population[1]);
    strbuf_puts(&p, "</p><button type=\"submit\">บันทึก</button></form>\n");
    strbuf_puts(&p, "<h2>จำนวนตัวอย่างขั้นต่ำ</h2><table id=\"min-sample\"><thead><tr><th>แบบสำรวจ</th>"
                    "<th>จำนวนประชากร</th><th>ต้องได้อย่างน้อย</th></tr></thead><tbody>\n");
    for (int k = 0; k < 2; k++) {
        strbuf_printf(&p, "<tr><td>%s</td><td>", INSTRUMENTS[k]);
        if (s->population[k] >= 0)
            strbuf_printf(&p, "%ld", s->population[k]);
        else
            strbuf_puts(&p, "ยังไม่ระบุ");
        strbuf_printf(&p, "</td><td>%ld</td></tr>\n", min_sample(s, k));
    }
    strbuf_puts(&p, "</tbody></table>\n");
    if (s->year_set) {
        strbuf_puts(&p, "<h2>ลิงก์แบบสำรวจ คิวอาร์โค้ดและโปสเตอร์</h2><ul id=\"year-links\">\n");
        for (int k = 0; k < 2; k++) {
            if (!s->link_id[k])
                continue;
            strbuf_printf(&p, "<li>%s: <code>", INSTRUMENTS[k]);
            strbuf_html_escape(&p, link_url(req, s, k));
            strbuf_printf(&p, "</code> · <a href=\"/admin/qr?link=%ld&amp;format=pdf\">โปสเตอร์ A4 (PDF)</a>"
                              " · <a href=\"/admin/qr?link=%ld&amp;format=png\">คิวอาร์โค้ด PNG</a>"
                              " · <a href=\"/admin/qr?link=%ld&amp;format=svg\">SVG</a>"
                              " · <a href=\"/admin/qr?link=%ld&amp;format=html\">โค้ดสำหรับเว็บไซต์</a></li>\n",
                          s->link_id[k], s->link_id[k], s->link_id[k], s->link_id[k]);
        }
        strbuf_puts(&p, "</ul>\n");
    }
    strbuf_puts(&p, "</main>\n");
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void year_get_then(struct http_request *req, const struct admin_user *u)
{
    resolve(req, u, false, year_page);
}

void handle_admin_year(struct http_request *req)
{
    admin_with_user(req, false, year_get_then);
}

/* YYYY-MM-DD (Common Era) into t; false when malformed or not a real date. */
static bool parse_day(const char *v, struct tm *t)
{
    if (!v || strlen(v) != 10 || v[4] != '-' || v[7] != '-')
        return false;
    memset(t, 0, sizeof *t);
    char *end = strptime(v, "%Y-%m-%d", t);
    if (!end || *end)
        return false;
    struct tm check = *t;
    check.tm_hour = 12;
    time_t x = timegm(&check);
    struct tm back;
    gmtime_r(&x, &back);
    return back.tm_mday == t->tm_mday && back.tm_mon == t->tm_mon && t->tm_year >= 100 &&
           t->tm_year < 200;
}

static void year_saved(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    log_info("event=year_saved w=%d admin=%d agency=%s fy=%s", req->worker->id, s->u->id,
             s->agency_id, s->fy);
    if (s->u->api) { /* answer with the saved settings */
        char id[16];
        snprintf(id, sizeof id, "%s", s->agency_id);
        struct setup *again = arena_alloc(&req->arena, sizeof *again);
        *again = *s;
        snprintf(again->id_param, sizeof again->id_param, "%s", id);
        again->code_param = "";
        again->next = year_page;
        req->handler_state = again;
        const char *p[5] = {again->sys, again->uagency, again->id_param, "", again->fy};
        if (!http_db_exec(req, STMT_SETUP_VIEW, 5, p, NULL, view_done))
            http_respond_unavailable(req, "database unavailable");
        return;
    }
    redirect(req, arena_sprintf(&req->arena, "/admin/year?agency=%s&fy=%s&saved=1", s->agency_id,
                                s->fy));
}

/* "" or digits (at most 8) into out (NULL for ""); false when neither. */
static bool population_param(struct http_request *req, const struct setup *s, const char *name,
                             const char **out)
{
    const char *v = param(req, s, name);
    if (!v || !*v) {
        *out = NULL;
        return true;
    }
    *out = v;
    return all_digits(v, 8);
}

static void year_save(struct http_request *req, struct setup *s)
{
    struct tm o, c;
    const char *opens = param(req, s, "opens_on"), *closes = param(req, s, "closes_on");
    if (!parse_day(opens, &o) || !parse_day(closes, &c)) {
        fail(req, s, 400, "วันเปิดและวันปิดรับคำตอบต้องเป็นวันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2024-01-15");
        return;
    }
    double days = difftime(timegm(&c), timegm(&o)) / 86400.0;
    if (days < 0 || days > 366) {
        fail(req, s, 400, "วันปิดรับคำตอบต้องไม่ก่อนวันเปิด และช่วงเวลาต้องไม่เกิน 1 ปี");
        return;
    }
    const char *staff, *eit;
    if (!population_param(req, s, "staff_population", &staff) ||
        !population_param(req, s, "eit_population", &eit)) {
        fail(req, s, 400, "จำนวนบุคลากรและจำนวนผู้มีส่วนได้ส่วนเสียต้องเป็นตัวเลขจำนวนเต็ม (หรือเว้นว่าง)");
        return;
    }
    if (!s->version_exists) {
        fail(req, s, 409, "ยังไม่มีแบบสำรวจของปีงบประมาณนี้ในระบบ ผู้ดูแลระบบต้องโหลดแบบสำรวจก่อน "
                          "(itad --load-instruments)");
        return;
    }
    char slug_iit[SLUG_CHARS + 2], slug_eit[SLUG_CHARS + 2];
    if (!secret_random_b64url(16, slug_iit) || !secret_random_b64url(16, slug_eit)) {
        http_respond_unavailable(req, "no random bytes");
        return;
    }
    const char *p[8] = {s->agency_id, s->fy, opens, closes, staff, eit, slug_iit, slug_eit};
    if (!http_db_exec(req, STMT_YEAR_SAVE, 8, p, NULL, year_saved))
        http_respond_unavailable(req, "database unavailable");
}

static void year_post_then(struct http_request *req, const struct admin_user *u)
{
    resolve(req, u, false, year_save);
}

void handle_admin_year_post(struct http_request *req)
{
    admin_with_user(req, true, year_post_then);
}

/* ---- CPU-pool jobs tied to a request ---- */

struct setup_job {
    struct http_request *req; /* NULL once the request is gone */
    struct cpu_job *handle;
    void (*work)(struct setup_job *j);              /* on a pool thread */
    void (*finish)(struct http_request *req, struct setup_job *j); /* on the loop */
    /* contact import */
    unsigned char *bytes;     /* copy of the upload (owned) */
    size_t len;
    struct ita_contact_options opt;
    struct ita_contact_list list;
    bool importable;
    struct strbuf cols[6];    /* PostgreSQL array literals */
    /* token derivation: ids in, hashes out */
    struct secret secret;     /* copy: the job must not reach into the server */
    long long *ids;           /* owned */
    int *generations;         /* owned */
    size_t n;
    struct strbuf out;        /* result text (array literal, CSV) */
    const char *base;         /* public base URL, owned copy */
};

static void job_free(struct setup_job *j)
{
    free(j->bytes);
    ita_contact_list_free(&j->list);
    for (int i = 0; i < 6; i++)
        strbuf_free(&j->cols[i]);
    memset(&j->secret, 0, sizeof j->secret);
    free(j->ids);
    free(j->generations);
    strbuf_free(&j->out);
    free((char *)j->base);
    free(j);
}

static void job_run(void *arg)
{
    struct setup_job *j = arg;
    j->work(j);
}

static void job_done(void *arg, bool cancelled)
{
    struct setup_job *j = arg;
    struct http_request *req = j->req;
    if (!cancelled && req) {
        req->on_gone = NULL;
        ((struct setup *)req->handler_state)->job = NULL;
        j->finish(req, j);
    }
    job_free(j);
}

static void job_gone(struct http_request *req)
{
    struct setup *s = req->handler_state;
    if (s && s->job) {
        s->job->req = NULL;
        cpu_job_cancel(s->job->handle);
    }
}

static struct setup_job *job_new(struct http_request *req)
{
    struct setup_job *j = xcalloc(1, sizeof *j);
    j->req = req;
    for (int i = 0; i < 6; i++)
        strbuf_init(&j->cols[i]);
    strbuf_init(&j->out);
    j->secret = req->worker->srv->secret;
    j->base = xstrdup(admin_public_base(req));
    return j;
}

/* Hands j to the CPU pool; finish runs on this loop afterwards unless the client left. */
static void job_start(struct http_request *req, struct setup *s, struct setup_job *j)
{
    j->handle = cpu_job_submit(req->worker->srv->cpu, req->worker->base, job_run, job_done, j);
    if (!j->handle) {
        job_free(j);
        http_respond_unavailable(req, "server busy");
        return;
    }
    s->job = j;
    req->on_gone = job_gone;
}

/* ---- /admin/contacts/import ---- */

static void import_work(struct setup_job *j)
{
    if (ita_contact_list_parse(j->bytes, j->len, &j->opt, &j->list) == 0 &&
        ita_contact_list_pg_arrays(&j->list, &j->cols[0], &j->cols[1], &j->cols[2], &j->cols[3],
                                   &j->cols[4], &j->cols[5]) == 0)
        j->importable = true;
}

/* Summary of the parse kept for the answer (request arena). */
struct import_summary {
    size_t rows, accepted, too_recent, duplicates;
    const char *encoding;
};

static void import_errors(struct http_request *req, struct setup *s, struct setup_job *j)
{
    const struct ita_import_errors *e = &j->list.errors;
    if (s->u->api) {
        json_t *arr = json_array();
        for (size_t i = 0; i < e->n; i++)
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)e->items[i].line,
                                                 "column", e->items[i].column, "reason",
                                                 e->items[i].reason));
        json_t *doc = json_pack("{s:s, s:i, s:o, s:I, s:I}", "error",
                                "รายชื่อมีข้อผิดพลาด ยังไม่ได้นำเข้าข้อมูลใด ๆ", "status", 422,
                                "errors", arr, "error_count", (json_int_t)e->total, "bad_rows",
                                (json_int_t)e->bad_rows);
        send_json_steal(req, 422, doc);
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "นำเข้ารายชื่อไม่สำเร็จ");
    strbuf_puts(&p, "<main><h1>นำเข้ารายชื่อไม่สำเร็จ</h1>\n");
    year_nav(&p, req, s);
    strbuf_printf(&p, "<p class=\"er\" role=\"alert\" id=\"import-errors-summary\">พบข้อผิดพลาด %zu "
                      "รายการใน %zu แถว ยังไม่ได้นำเข้าข้อมูลใด ๆ กรุณาแก้ไขไฟล์แล้วนำเข้าใหม่</p>\n",
                  e->total, e->bad_rows);
    strbuf_puts(&p, "<table id=\"import-errors\"><thead><tr><th>บรรทัด</th><th>คอลัมน์</th>"
                    "<th>ปัญหา</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < e->n; i++) {
        strbuf_printf(&p, "<tr><td>%lu</td><td>", e->items[i].line);
        strbuf_html_escape(&p, e->items[i].column);
        strbuf_puts(&p, "</td><td>");
        strbuf_html_escape(&p, e->items[i].reason);
        strbuf_puts(&p, "</td></tr>\n");
    }
    strbuf_puts(&p, "</tbody></table>\n");
    if (e->total > e->n)
        strbuf_printf(&p, "<p>แสดง %zu รายการแรกจาก %zu</p>\n", e->n, e->total);
    strbuf_printf(&p, "<p><a href=\"/admin/contacts?%s&amp;instrument=%s\">กลับไปหน้ารายชื่อ</a></p></main>\n",
                  agency_qs(req, s), INSTRUMENTS[s->instrument]);
    pages_finish(&p);
    admin_send_page(req, 422, &p);
}

static void import_stored(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    const struct import_summary *sum = (const struct import_summary *)s->slug[0];
    long imported = atol(PQgetvalue(r->res, 0, 0));
    long present = (long)sum->accepted - imported;
    log_info("event=contacts_imported w=%d admin=%d agency=%s fy=%s instrument=%s rows=%zu "
             "imported=%ld", req->worker->id, s->u->id, s->agency_id, s->fy,
             INSTRUMENTS[s->instrument], sum->rows, imported);
    if (s->u->api) {
        send_json_steal(req, 200,
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:s}", "rows", (json_int_t)sum->rows,
                                  "imported", (json_int_t)imported, "already_present",
                                  (json_int_t)present, "duplicates_in_file",
                                  (json_int_t)sum->duplicates, "left_out_short_service",
                                  (json_int_t)sum->too_recent, "encoding", sum->encoding));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "นำเข้ารายชื่อแล้ว");
    strbuf_puts(&p, "<main><h1>นำเข้ารายชื่อแล้ว</h1>\n");
    year_nav(&p, req, s);
    strbuf_printf(&p, "<ul id=\"import-summary\"><li>อ่านได้ %zu แถว (ไฟล์ %s)</li>"
                      "<li>นำเข้าใหม่ %ld รายชื่อ</li><li>มีอยู่แล้วในระบบ %ld รายชื่อ</li>"
                      "<li>ซ้ำกันในไฟล์ %zu แถว</li>",
                  sum->rows, sum->encoding, imported, present, sum->duplicates);
    if (s->instrument == 0)
        strbuf_printf(&p, "<li>ไม่นำเข้าเพราะปฏิบัติงานยังไม่ครบ 1 ปี %zu คน</li>", sum->too_recent);
    strbuf_printf(&p, "</ul><p><a href=\"/admin/contacts?%s&amp;instrument=%s\">ไปหน้ารายชื่อและออกลิงก์</a></p></main>\n",
                  agency_qs(req, s), INSTRUMENTS[s->instrument]);
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void import_parsed(struct http_request *req, struct setup_job *j)
{
    struct setup *s = req->handler_state;
    if (!j->importable) {
        import_errors(req, s, j);
        return;
    }
    struct import_summary *sum = arena_alloc(&req->arena, sizeof *sum);
    sum->rows = j->list.rows_read;
    sum->accepted = j->list.n_rows;
    sum->too_recent = j->list.too_recent;
    sum->duplicates = j->list.duplicates;
    sum->encoding = ita_text_encoding_name(j->list.encoding);
    s->slug[0] = (const char *)sum; /* the summary rides in the (now unused) slug slot */
    char admin[16];
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[10] = {s->agency_id,    s->fy,           INSTRUMENTS[s->instrument],
                         j->cols[0].data, j->cols[1].data, j->cols[2].data,
                         j->cols[3].data, j->cols[4].data, j->cols[5].data,
                         admin};
    if (!http_db_exec(req, STMT_CONTACTS_IMPORT, 10, p, NULL, import_stored))
        http_respond_unavailable(req, "database unavailable");
}

static void import_go(struct http_request *req, struct setup *s)
{
    if (!s->year_set) {
        fail(req, s, 409, "ต้องตั้งค่าปีงบประมาณ (วันเปิดรับคำตอบ) ก่อนนำเข้ารายชื่อ "
                          "เพราะใช้วันเปิดนับอายุงาน 1 ปี");
        return;
    }
    const void *data;
    size_t len;
    const struct multipart_file *f = s->upload;
    if (f) {
        data = f->data;
        len = f->len;
    } else if (s->u->api) {
        len = evbuffer_get_length(req->body);
        data = evbuffer_pullup(req->body, -1);
    } else {
        fail(req, s, 400, "กรุณาเลือกไฟล์รายชื่อ (.csv) ก่อนกดนำเข้า");
        return;
    }
    if (len == 0 || !data) {
        fail(req, s, 400, "ไฟล์ว่างเปล่า กรุณาเลือกไฟล์รายชื่อ (.csv)");
        return;
    }
    struct setup_job *j = job_new(req);
    j->bytes = xmalloc(len);
    memcpy(j->bytes, data, len);
    j->len = len;
    j->opt.kind = s->instrument == 0 ? ITA_CONTACT_IIT : ITA_CONTACT_EIT;
    j->opt.reference = (struct ita_date){atoi(s->opens_on), atoi(s->opens_on + 5),
                                         atoi(s->opens_on + 8)};
    j->work = import_work;
    j->finish = import_parsed;
    job_start(req, s, j);
}

static void import_then(struct http_request *req, const struct admin_user *u)
{
    resolve(req, u, true, import_go);
}

void handle_admin_contacts_import(struct http_request *req)
{
    admin_with_user(req, true, import_then);
}

/* ---- /admin/contacts ---- */

static void contacts_listed(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    PGresult *res = r->res;
    int n = PQntuples(res);
    long page = admin_query_int(req, "page");
    if (page < 0)
        page = 0;
    long total = atol(PQgetvalue(res, 0, 1)), with_link = atol(PQgetvalue(res, 0, 2));
    bool more = n - 1 > CONTACT_PAGE;
    if (s->u->api) {
        json_t *arr = json_array();
        for (int i = 1; i < n && i <= CONTACT_PAGE; i++)
            json_array_append_new(
                arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id",
                               (json_int_t)atoll(PQgetvalue(res, i, 3)), "name",
                               PQgetvalue(res, i, 4), "unit", PQgetvalue(res, i, 5), "email",
                               PQgetvalue(res, i, 6), "phone", PQgetvalue(res, i, 7), "link_issued",
                               PQgetvalue(res, i, 8)[0] == 't'));
        send_json_steal(req, 200,
                        json_pack("{s:I, s:I, s:o, s:o}", "total", (json_int_t)total, "with_link",
                                  (json_int_t)with_link, "contacts", arr, "next_page",
                                  more ? json_integer(page + 1) : json_null()));
        return;
    }
    const char *in = INSTRUMENTS[s->instrument];
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, LIST_TH[s->instrument]);
    strbuf_printf(&p, "<main><h1>%s</h1>\n", LIST_TH[s->instrument]);
    year_nav(&p, req, s);
    strbuf_printf(&p, "<p id=\"contact-counts\">มีรายชื่อ %ld รายชื่อ ออกลิงก์ส่วนบุคคลแล้ว %ld รายชื่อ</p>\n",
                  total, with_link);
    /* upload */
    strbuf_puts(&p, "<h2>นำเข้ารายชื่อจากไฟล์ CSV</h2><p>บันทึกจาก Excel เป็น CSV หรือ CSV UTF-8 "
                    "หัวตาราง: ชื่อ-นามสกุล, อีเมล, โทรศัพท์, หน่วยงานย่อย");
    if (s->instrument == 0)
        strbuf_puts(&p, ", วันที่เริ่มปฏิบัติงาน (บุคลากรที่ปฏิบัติงานยังไม่ครบ 1 ปี ณ วันเปิดรับคำตอบจะไม่ถูกนำเข้า)");
    strbuf_puts(&p, " นำเข้าซ้ำได้โดยไม่เกิดรายชื่อซ้ำ</p>"
                    "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/admin/contacts/import\" id=\"import-form\">");
    csrf_field(&p, req, s);
    hidden_scope(&p, s, s->instrument);
    strbuf_puts(&p, "<p><label for=\"file\">ไฟล์รายชื่อ (.csv)</label><input type=\"file\" id=\"file\" name=\"file\" "
                    "accept=\".csv,text/csv\" required></p><button type=\"submit\">นำเข้า</button></form>\n");
    if (!s->link_id[s->instrument])
        strbuf_puts(&p, "<p class=\"er\">ต้องบันทึกการตั้งค่าปีงบประมาณก่อน จึงจะออกลิงก์ส่วนบุคคลได้</p>\n");
    else if (total > 0) {
        strbuf_puts(&p, "<h2>ลิงก์ส่วนบุคคล</h2>");
        if (with_link < total) {
            strbuf_puts(&p, "<form method=\"post\" action=\"/admin/links/issue\" id=\"issue-form\">");
            csrf_field(&p, req, s);
            hidden_scope(&p, s, s->instrument);
            strbuf_printf(&p, "<button type=\"submit\">ออกลิงก์ให้ %ld รายชื่อที่ยังไม่มีลิงก์</button></form>\n",
                          total - with_link);
        }
        if (with_link > 0)
            strbuf_printf(&p, "<p><a id=\"mailmerge\" href=\"/admin/links/mailmerge?%s&amp;instrument=%s\">"
                              "ดาวน์โหลดไฟล์สำหรับจดหมายเวียน (CSV เปิดด้วย Excel ได้)</a></p>\n",
                          agency_qs(req, s), in);
    }
    if (s->closed && total > 0) {
        strbuf_puts(&p, "<h2>ลบข้อมูลรายชื่อ (PDPA)</h2><p>ปิดรับคำตอบแล้ว ลบรายชื่อทั้งหมดของปีงบประมาณนี้ได้ "
                        "คำตอบที่ได้รับไว้ไม่ถูกลบ</p><form method=\"post\" action=\"/admin/contacts/purge\" id=\"purge-form\">");
        csrf_field(&p, req, s);
        hidden_scope(&p, s, -1);
        strbuf_puts(&p, "<button type=\"submit\">ลบรายชื่อทั้งหมดของปีนี้</button></form>\n");
    }
    strbuf_puts(&p, "<table id=\"contacts\"><thead><tr><th>ชื่อ-นามสกุล</th><th>หน่วยงานย่อย</th><th>อีเมล</th>"
                    "<th>โทรศัพท์</th><th>ลิงก์</th></tr></thead><tbody>\n");
    for (int i = 1; i < n && i <= CONTACT_PAGE; i++) {
        strbuf_puts(&p, "<tr><td>");
        strbuf_html_escape(&p, PQgetvalue(res, i, 4));
        strbuf_puts(&p, "</td><td>");
        strbuf_html_escape(&p, PQgetvalue(res, i, 5));
        strbuf_puts(&p, "</td><td>");
        strbuf_html_escape(&p, PQgetvalue(res, i, 6));
        strbuf_puts(&p, "</td><td>");
        strbuf_html_escape(&p, PQgetvalue(res, i, 7));
        strbuf_puts(&p, "</td><td>");
        if (PQgetvalue(res, i, 8)[0] == 't') {
            strbuf_puts(&p, "<form method=\"post\" action=\"/admin/links/reissue\" class=\"inline\">");
            csrf_field(&p, req, s);
            strbuf_printf(&p, "<input type=\"hidden\" name=\"contact\" value=\"%s\">"
                              "<button type=\"submit\">ออกลิงก์ใหม่</button></form>",
                          PQgetvalue(res, i, 3));
        } else {
            strbuf_puts(&p, "ยังไม่ออก");
        }
        strbuf_puts(&p, "</td></tr>\n");
    }
    strbuf_puts(&p, "</tbody></table>\n");
    if (page > 0)
        strbuf_printf(&p, "<p><a href=\"/admin/contacts?%s&amp;instrument=%s&amp;page=%ld\">หน้าก่อน</a></p>",
                      agency_qs(req, s), in, page - 1);
    if (more)
        strbuf_printf(&p, "<p><a href=\"/admin/contacts?%s&amp;instrument=%s&amp;page=%ld\">หน้าถัดไป</a></p>",
                      agency_qs(req, s), in, page + 1);
    strbuf_puts(&p, "</main>\n");
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void contacts_go(struct http_request *req, struct setup *s)
{
    long page = admin_query_int(req, "page");
    char offset[24];
    snprintf(offset, sizeof offset, "%ld", (page < 0 ? 0 : page) * CONTACT_PAGE);
    const char *p[4] = {s->agency_id, s->fy, INSTRUMENTS[s->instrument], offset};
    if (!http_db_exec(req, STMT_CONTACTS_LIST, 4, p, NULL, contacts_listed))
        http_respond_unavailable(req, "database unavailable");
}

static void contacts_then(struct http_request *req, const struct admin_user *u)
{
    resolve(req, u, true, contacts_go);
}

void handle_admin_contacts(struct http_request *req)
{
    admin_with_user(req, false, contacts_then);
}

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

static void issue_work(struct setup_job *j)
{
    strbuf_puts(&j->out, "{");
    strbuf_puts(&j->cols[0], "{");
    for (size_t i = 0; i < j->n; i++) {
        append_token_hash(&j->out, &j->secret, j->ids[i], 1);
        strbuf_printf(&j->cols[0], "%s%lld", i ? "," : "", j->ids[i]);
    }
    strbuf_puts(&j->out, "}");
    strbuf_puts(&j->cols[0], "}");
}

static void issue_stored(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    long issued = atol(PQgetvalue(r->res, 0, 0));
    log_info("event=links_issued w=%d admin=%d agency=%s fy=%s instrument=%s n=%ld",
             req->worker->id, s->u->id, s->agency_id, s->fy, INSTRUMENTS[s->instrument], issued);
    if (s->u->api) {
        send_json_steal(req, 200, json_pack("{s:I, s:I}", "issued", (json_int_t)issued,
                                            "with_link", atoll(PQgetvalue(r->res, 0, 1))));
        return;
    }
    redirect(req, arena_sprintf(&req->arena, "/admin/contacts?agency=%s&fy=%s&instrument=%s",
                                s->agency_id, s->fy, INSTRUMENTS[s->instrument]));
}

static void issue_hashed(struct http_request *req, struct setup_job *j)
{
    struct setup *s = req->handler_state;
    char admin[16];
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[6] = {s->agency_id, s->fy, INSTRUMENTS[s->instrument], j->cols[0].data,
                        j->out.data, admin};
    if (!http_db_exec(req, STMT_LINKS_ISSUE, 6, p, NULL, issue_stored))
        http_respond_unavailable(req, "database unavailable");
}

static void issue_listed(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    struct setup_job *j = job_new(req);
    j->n = (size_t)PQntuples(r->res);
    j->ids = xcalloc(j->n ? j->n : 1, sizeof *j->ids);
    for (size_t i = 0; i < j->n; i++)
        j->ids[i] = atoll(PQgetvalue(r->res, (int)i, 0));
    j->work = issue_work;
    j->finish = issue_hashed;
    job_start(req, s, j);
}

static void issue_go(struct http_request *req, struct setup *s)
{
    if (!s->link_id[s->instrument]) {
        fail(req, s, 409, "ต้องบันทึกการตั้งค่าปีงบประมาณก่อน จึงจะออกลิงก์ส่วนบุคคลได้");
        return;
    }
    const char *p[3] = {s->agency_id, s->fy, INSTRUMENTS[s->instrument]};
    if (!http_db_exec(req, STMT_LINKS_UNISSUED, 3, p, NULL, issue_listed))
        http_respond_unavailable(req, "database unavailable");
}

static void issue_then(struct http_request *req, const struct admin_user *u)
{
    resolve(req, u, true, issue_go);
}

void handle_admin_links_issue(struct http_request *req)
{
    admin_with_user(req, true, issue_then);
}

/* ---- /admin/links/mailmerge ---- */

/* The rows of STMT_MAILMERGE, copied for the job (owned). */
struct mm_row {
    char *name, *email, *phone, *unit;
};

static void mailmerge_work(struct setup_job *j)
{
    struct mm_row *rows = (struct mm_row *)j->bytes;
    ita_csv_write_bom(&j->out);
    const char *head[5] = {"ชื่อ-นามสกุล", "อีเมล", "โทรศัพท์", "หน่วยงานย่อย", "ลิงก์"};
    ita_csv_write_row(&j->out, head, 5);
    for (size_t i = 0; i < j->n; i++) {
        char tok[PERSONAL_TOKEN_CHARS + 1];
        secret_contact_token(&j->secret, j->ids[i], j->generations[i], tok);
        char url[1200];
        snprintf(url, sizeof url, "%s/t/%s", j->base, tok);
        const char *f[5] = {rows[i].name, rows[i].email, rows[i].phone, rows[i].unit, url};
        ita_csv_write_row(&j->out, f, 5);
    }
    for (size_t i = 0; i < j->n; i++) {
        free(rows[i].name);
        free(rows[i].email);
        free(rows[i].phone);
        free(rows[i].unit);
    }
    free(j->bytes);
    j->bytes = NULL;
}

static void mailmerge_written(struct http_request *req, struct setup_job *j)
{
    struct setup *s = req->handler_state;
    http_add_header(req, "Content-Disposition",
                    arena_sprintf(&req->arena, "attachment; filename=\"ita-%s-%s-%s-links.csv\"",
                                  s->code, s->fy, INSTRUMENTS[s->instrument]));
    http_add_header(req, "Cache-Control", "no-store");
    http_respond(req, 200, "text/csv; charset=utf-8", j->out.data, j->out.len);
}

static void mailmerge_listed(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    struct setup_job *j = job_new(req);
    int n = PQntuples(r->res);
    j->n = (size_t)n;
    j->ids = xcalloc(j->n ? j->n : 1, sizeof *j->ids);
    j->generations = xcalloc(j->n ? j->n : 1, sizeof *j->generations);
    struct mm_row *rows = xcalloc(j->n ? j->n : 1, sizeof *rows);
    for (int i = 0; i < n; i++) {
        j->ids[i] = atoll(PQgetvalue(r->res, i, 0));
        j->generations[i] = atoi(PQgetvalue(r->res, i, 1));
        rows[i] = (struct mm_row){xstrdup(PQgetvalue(r->res, i, 2)), xstrdup(PQgetvalue(r->res, i, 3)),
                                  xstrdup(PQgetvalue(r->res, i, 4)), xstrdup(PQgetvalue(r->res, i, 5))};
    }
    j->bytes = (unsigned char *)rows; /* freed by the work function */
    j->work = mailmerge_work;
    j->finish = mailmerge_written;
    job_start(req, s, j);
}

static void mailmerge_go(struct http_request *req, struct setup *s)
{
    char admin[16];
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[4] = {s->agency_id, s->fy, INSTRUMENTS[s->instrument], admin};
    if (!http_db_exec(req, STMT_MAILMERGE, 4, p, NULL, mailmerge_listed))
        http_respond_unavailable(req, "database unavailable");
}

static void mailmerge_then(struct http_request *req, const struct admin_user *u)
{
    resolve(req, u, true, mailmerge_go);
}

void handle_admin_links_mailmerge(struct http_request *req)
{
    admin_with_user(req, false, mailmerge_then);
}

/* ---- /admin/links/reissue ---- */

static void reissue_stored(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    if (PQgetisnull(r->res, 0, 0)) {
        fail(req, s, 409, "ออกลิงก์ใหม่ไม่ได้: ลิงก์แบบสำรวจของปีนี้ถูกยกเลิก หรือมีผู้ออกลิงก์ใหม่ไปพร้อมกัน "
                          "กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง");
        return;
    }
    int gen = atoi(PQgetvalue(r->res, 0, 0));
    const char *url = personal_url(req, s->contact_id, gen);
    log_info("event=link_reissued w=%d admin=%d contact=%ld", req->worker->id, s->u->id,
             s->contact_id);
    if (s->u->api) {
        send_json_steal(req, 200, json_pack("{s:I, s:s}", "contact", (json_int_t)s->contact_id,
                                            "url", url));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "ออกลิงก์ใหม่แล้ว");
    strbuf_puts(&p, "<main><h1>ออกลิงก์ใหม่แล้ว</h1><p>ลิงก์เดิมใช้ไม่ได้แล้ว ส่งลิงก์ใหม่นี้ให้ผู้ตอบ:</p>"
                    "<p><code id=\"new-link\">");
    strbuf_html_escape(&p, url);
    strbuf_printf(&p, "</code></p><p><a href=\"/admin/contacts?%s&amp;instrument=%s\">กลับไปหน้ารายชื่อ</a></p></main>\n",
                  agency_qs(req, s), INSTRUMENTS[s->instrument]);
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void reissue_found(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    if (PQntuples(r->res) != 1) {
        fail(req, s, 404, "ไม่พบรายชื่อนี้ หรือท่านไม่มีสิทธิ์ดูแลรายชื่อนี้");
        return;
    }
    snprintf(s->agency_id, sizeof s->agency_id, "%s", PQgetvalue(r->res, 0, 0));
    snprintf(s->fy, sizeof s->fy, "%s", PQgetvalue(r->res, 0, 1));
    s->instrument = strcmp(PQgetvalue(r->res, 0, 2), "IIT") == 0 ? 0 : 1;
    s->generation = atoi(PQgetvalue(r->res, 0, 3));
    const struct secret *sec = &req->worker->srv->secret;
    char old_h[2 * TOKEN_HASH_BYTES + 3], new_h[2 * TOKEN_HASH_BYTES + 3];
    token_hash_text(sec, s->contact_id, s->generation, old_h);
    token_hash_text(sec, s->contact_id, s->generation + 1, new_h);
    char id[24], gen[16], admin[16];
    snprintf(id, sizeof id, "%ld", s->contact_id);
    snprintf(gen, sizeof gen, "%d", s->generation);
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[8] = {s->agency_id, s->fy, INSTRUMENTS[s->instrument], id, gen, old_h, new_h,
                        admin};
    if (!http_db_exec(req, STMT_LINK_REISSUE, 8, p, NULL, reissue_stored))
        http_respond_unavailable(req, "database unavailable");
}

static void reissue_then(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u);
    const char *c = param(req, s, "contact");
    if (!all_digits(c, 15)) {
        fail(req, s, 400, "ต้องระบุรายชื่อ (contact=รหัสตัวเลข)");
        return;
    }
    s->contact_id = atol(c);
    const char *p[3] = {s->sys, s->uagency, c};
    if (!http_db_exec(req, STMT_CONTACT_GET, 3, p, NULL, reissue_found))
        http_respond_unavailable(req, "database unavailable");
}

void handle_admin_links_reissue(struct http_request *req)
{
    admin_with_user(req, true, reissue_then);
}

/* ---- /admin/contacts/purge ---- */

static void purge_done(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    if (PQgetvalue(r->res, 0, 0)[0] != 't') {
        fail(req, s, 409, "ยังลบรายชื่อไม่ได้: ต้องรอให้ปิดรับคำตอบของปีงบประมาณนี้ก่อน");
        return;
    }
    long n = atol(PQgetvalue(r->res, 0, 1));
    log_info("event=contacts_purged w=%d admin=%d agency=%s fy=%s n=%ld", req->worker->id,
             s->u->id, s->agency_id, s->fy, n);
    if (s->u->api) {
        send_json_steal(req, 200, json_pack("{s:I}", "purged", (json_int_t)n));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "ลบรายชื่อแล้ว");
    strbuf_printf(&p, "<main><h1>ลบรายชื่อแล้ว</h1><p id=\"purged\">ลบรายชื่อ %ld รายชื่อของปีงบประมาณ %s "
                      "แล้ว (บันทึกในประวัติการดำเนินการ) คำตอบที่ได้รับไว้ไม่ถูกลบ</p>\n",
                  n, s->fy);
    year_nav(&p, req, s);
    strbuf_puts(&p, "</main>\n");
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void purge_go(struct http_request *req, struct setup *s)
{
    char admin[16];
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[3] = {s->agency_id, s->fy, admin};
    if (!http_db_exec(req, STMT_CONTACTS_PURGE, 3, p, NULL, purge_done))
        http_respond_unavailable(req, "database unavailable");
}

static void purge_then(struct http_request *req, const struct admin_user *u)
{
    resolve(req, u, false, purge_go);
}

void handle_admin_contacts_purge(struct http_request *req)
{
    admin_with_user(req, true, purge_then);
}

/* ---- /admin/progress ---- */

struct day_count {
    const char *day;
    long n;
};

static void progress_done(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        db_failed(req, s, r);
        return;
    }
    PGresult *res = r->res;
    int n = PQntuples(res);
    long total[2] = {0, 0}, issued[2] = {0, 0}, spent[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        int k = strcmp(PQgetvalue(res, i, 1), "IIT") == 0 ? 0 : 1;
        if (PQgetvalue(res, i, 0)[0] == 'd')
            total[k] += atol(PQgetvalue(res, i, 3));
        else {
            issued[k] = atol(PQgetvalue(res, i, 3));
            spent[k] = atol(PQgetvalue(res, i, 4));
        }
    }
    if (s->u->api) {
        json_t *ins = json_object();
        for (int k = 0; k < 2; k++) {
            json_t *days = json_array();
            for (int i = 0; i < n; i++) {
                if (PQgetvalue(res, i, 0)[0] != 'd' || strcmp(PQgetvalue(res, i, 1), INSTRUMENTS[k]))
                    continue;
                long c = atol(PQgetvalue(res, i, 3));
                json_array_append_new(days, c >= K_ANONYMITY
                                                ? json_pack("{s:s, s:I}", "day", PQgetvalue(res, i, 2),
                                                            "responses", (json_int_t)c)
                                                : json_pack("{s:s, s:n, s:b}", "day", PQgetvalue(res, i, 2),
                                                            "responses", "fewer_than_k", 1));
            }
            json_object_set_new(
                ins, INSTRUMENTS[k],
                json_pack("{s:I, s:I, s:b, s:o, s:{s:I, s:I}}", "responses", (json_int_t)total[k],
                          "min_sample", (json_int_t)min_sample(s, k), "reached",
                          total[k] >= min_sample(s, k), "by_day", days, "personal_links", "issued",
                          (json_int_t)issued[k], "spent", (json_int_t)spent[k]));
        }
        send_json_steal(req, 200, json_pack("{s:i, s:i, s:o}", "fiscal_year", atoi(s->fy), "k",
                                            K_ANONYMITY, "instruments", ins));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "ความคืบหน้า");
    strbuf_printf(&p, "<main><h1>ความคืบหน้า ปีงบประมาณ %s</h1>\n", s->fy);
    year_nav(&p, req, s);
    for (int k = 0; k < 2; k++) {
        long need = min_sample(s, k);
        strbuf_printf(&p, "<section id=\"progress-%s\"><h2>%s</h2>", INSTRUMENTS[k], LIST_TH[k]);
        strbuf_printf(&p, "<p class=\"pr\">ได้รับคำตอบ <strong>%ld</strong> จากขั้นต่ำ %ld %s</p>", total[k],
                      need, total[k] >= need ? "(ครบตามจำนวนขั้นต่ำแล้ว)" : "(ยังไม่ครบ)");
        long pct = need > 0 ? (total[k] >= need ? 100 : total[k] * 100 / need) : 100;
        strbuf_printf(&p, "<progress max=\"100\" value=\"%ld\">%ld%%</progress>", pct, pct);
        if (issued[k] > 0)
            strbuf_printf(&p, "<p>ลิงก์ส่วนบุคคล: ออกแล้ว %ld ใช้ตอบแล้ว %ld</p>", issued[k], spent[k]);
        strbuf_puts(&p, "<table><thead><tr><th>วันที่</th><th>จำนวนคำตอบ</th></tr></thead><tbody>");
        for (int i = 0; i < n; i++) {
            if (PQgetvalue(res, i, 0)[0] != 'd' || strcmp(PQgetvalue(res, i, 1), INSTRUMENTS[k]))
                continue;
            long c = atol(PQgetvalue(res, i, 3));
            strbuf_printf(&p, "<tr><td>%s</td><td>", PQgetvalue(res, i, 2));
            if (c >= K_ANONYMITY)
                strbuf_printf(&p, "%ld", c);
            else
                strbuf_printf(&p, "น้อยกว่า %d", K_ANONYMITY);
            strbuf_puts(&p, "</td></tr>");
        }
        strbuf_puts(&p, "</tbody></table></section>\n");
    }
    strbuf_printf(&p, "<p class=\"nt\">วันที่มีคำตอบน้อยกว่า %d รายการจะไม่แสดงจำนวน เพื่อไม่ให้ระบุตัวผู้ตอบได้ "
                      "และระบบไม่เก็บว่าใครตอบหรือไม่ตอบ</p></main>\n",
                  K_ANONYMITY);
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void progress_go(struct http_request *req, struct setup *s)
{
    const char *p[2] = {s->agency_id, s->fy};
    if (!http_db_exec(req, STMT_PROGRESS, 2, p, NULL, progress_done))
        http_respond_unavailable(req, "database unavailable");
}

static void progress_then(struct http_request *req, const struct admin_user *u)
{
    resolve(req, u, false, progress_go);
}

void handle_admin_progress(struct http_request *req)
{
    admin_with_user(req, false, progress_then);
}
