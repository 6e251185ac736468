/* /admin/mail/template?agency=&fy=&instrument=&kind=invite|reminder: the agency's own wording of
 * the invitation or the reminder of one instrument (mail_template), or the server's default
 * (mail/mail_message.h) when it has none. The page shows the subject and body with their
 * placeholders, a preview filled with the agency's name, the year, the window's last day and an
 * example link (never a real one), and saves (POST) after mail_template_check; a refused save
 * shows the Thai reason with the typed text kept (422). "ใช้ข้อความมาตรฐาน" (reset=1) deletes the
 * agency's row. Every save is audited. */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "mail/mail_message.h"
#include "mail_admin_sql.h"
#include "setup_view.h"
#include "db/db_row.h"
#include "log.h"
#include "server.h"
#include "thai_date.h"

#include <stdlib.h>
#include <string.h>

/* ---- statements ---- */

/* sql_mail_template_get: $1 agency, $2 instrument, $3 kind → the agency's template, if any */
enum {
    MAIL_TEMPLATE_GET_P_AGENCY,
    MAIL_TEMPLATE_GET_P_INSTRUMENT,
    MAIL_TEMPLATE_GET_P_KIND,
    MAIL_TEMPLATE_GET_NPARAMS
};
enum { MAIL_TEMPLATE_GET_SUBJECT, MAIL_TEMPLATE_GET_BODY, MAIL_TEMPLATE_GET_NCOLS };
DB_STATEMENT(mail_template_get, MAIL_TEMPLATE_GET,
             "SELECT subject, body FROM mail_template"
             " WHERE agency_id = $1::int AND instrument = $2 AND kind = $3");

/* sql_mail_template_set: $1 agency, $2 instrument, $3 kind, $4 subject, $5 body (both NULL:
 * back to the default), $6 admin, $7 fiscal year (of the audit row) → no rows */
enum {
    MAIL_TEMPLATE_SET_P_AGENCY,
    MAIL_TEMPLATE_SET_P_INSTRUMENT,
    MAIL_TEMPLATE_SET_P_KIND,
    MAIL_TEMPLATE_SET_P_SUBJECT,
    MAIL_TEMPLATE_SET_P_BODY,
    MAIL_TEMPLATE_SET_P_ADMIN,
    MAIL_TEMPLATE_SET_P_YEAR,
    MAIL_TEMPLATE_SET_NPARAMS
};
enum { MAIL_TEMPLATE_SET_NCOLS };
DB_STATEMENT(mail_template_set, MAIL_TEMPLATE_SET,
             "WITH d AS (DELETE FROM mail_template WHERE agency_id = $1::int AND instrument = $2"
             "  AND kind = $3 AND $4::text IS NULL RETURNING 1),"
             " u AS (INSERT INTO mail_template (agency_id, instrument, kind, subject, body)"
             "  SELECT $1::int, $2::ita_instrument, $3, $4, $5 WHERE $4::text IS NOT NULL"
             "  ON CONFLICT (agency_id, instrument, kind) DO UPDATE"
             "  SET subject = excluded.subject, body = excluded.body, updated_at = now()"
             "  RETURNING 1)"
             " INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
             " VALUES ($6::int, 'mail_template_set', $1::int, $7::smallint,"
             " jsonb_build_object('instrument', $2::text, 'kind', $3::text,"
             " 'default', $4::text IS NULL))");

const struct db_statement *const mail_template_statements[] = {&sql_mail_template_get,
                                                               &sql_mail_template_set};
const size_t mail_template_statements_count =
    sizeof mail_template_statements / sizeof mail_template_statements[0];

/* ---- the page ---- */

enum template_state {
    TEMPLATE_RESOLVED = SETUP_RESOLVED, /* the agency, year and list are known */
    TEMPLATE_READ,                      /* sql_mail_template_get answered */
    TEMPLATE_SAVED,                     /* sql_mail_template_set answered */
};

/* Request arena. */
struct template_page {
    enum mail_kind kind;
    const char *kind_param; /* "invite" or "reminder" */
    const char *subject, *body;
    bool is_default; /* the server's wording (no row) */
    bool saved;      /* came back from saving */
    const char *error;
    const char *csrf;
};

static const char *kind_th(enum mail_kind k)
{
    return k == MAIL_INVITE ? "คำเชิญ" : "คำเตือน";
}

static void view(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct template_page *t = model;
    const char *in = SETUP_INSTRUMENTS[s->instrument];
    setup_view_nav(p, s);
    if (t->error) {
        strbuf_puts(p, "<p class=\"er\" id=\"form-error\" role=\"alert\">");
        strbuf_html_escape(p, t->error);
        strbuf_puts(p, "</p>\n");
    } else if (t->saved) {
        strbuf_puts(p, "<p id=\"notice\" role=\"status\">บันทึกข้อความแล้ว</p>\n");
    }
    strbuf_printf(p,
                  "<p><a href=\"/admin/mail/template?agency=%s&amp;fy=%s&amp;instrument=%s&amp;"
                  "kind=invite\"%s>ข้อความคำเชิญ</a> · <a href=\"/admin/mail/template?agency=%s&amp;"
                  "fy=%s&amp;instrument=%s&amp;kind=reminder\"%s>ข้อความคำเตือน</a> · "
                  "<a href=\"/admin/mail?agency=%s&amp;fy=%s&amp;instrument=%s\">"
                  "กลับไปหน้าส่งลิงก์ทางอีเมล</a></p>\n",
                  s->agency_id, s->fy, in, t->kind == MAIL_INVITE ? " aria-current=\"page\"" : "",
                  s->agency_id, s->fy, in, t->kind == MAIL_REMINDER ? " aria-current=\"page\"" : "",
                  s->agency_id, s->fy, in);
    strbuf_printf(p,
                  "<p id=\"template-state\">%s</p>\n"
                  "<p>ใส่ได้: <code>{agency}</code> ชื่อหน่วยงาน, <code>{year}</code> ปีงบประมาณ, "
                  "<code>{deadline}</code> วันสุดท้ายที่ตอบได้, <code>{link}</code> "
                  "ลิงก์ส่วนบุคคล (ต้องมีในเนื้อความ) ข้อความไม่ควรมีชื่อผู้รับ: "
                  "ลิงก์เป็นข้อมูลส่วนบุคคลเพียงอย่างเดียวในอีเมล</p>\n",
                  t->is_default ? "ใช้ข้อความมาตรฐานของระบบอยู่" : "ใช้ข้อความของหน่วยงานอยู่");
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/mail/template\" id=\"template-form\">");
    setup_view_csrf(p, t->csrf);
    setup_view_hidden_scope(p, s, s->instrument);
    strbuf_printf(p, "<input type=\"hidden\" name=\"kind\" value=\"%s\">", t->kind_param);
    const char *inv = t->error ? " aria-describedby=\"form-error\"" : "";
    strbuf_printf(p,
                  "<p><label for=\"subject\">หัวเรื่อง</label><input type=\"text\" id=\"subject\" "
                  "name=\"subject\" maxlength=\"%d\" required%s value=\"",
                  MAIL_SUBJECT_MAX, inv);
    strbuf_html_escape(p, t->subject);
    strbuf_printf(
        p,
        "\"></p><p><label for=\"body\">เนื้อความ</label><textarea id=\"body\" name=\"body\" "
        "rows=\"14\" maxlength=\"%d\" required%s>",
        MAIL_BODY_MAX, inv);
    strbuf_html_escape(p, t->body);
    strbuf_puts(p, "</textarea></p><button type=\"submit\">บันทึกข้อความ</button></form>\n");
    if (!t->is_default) {
        strbuf_puts(p, "<form method=\"post\" action=\"/admin/mail/template\" id=\"reset-form\">");
        setup_view_csrf(p, t->csrf);
        setup_view_hidden_scope(p, s, s->instrument);
        strbuf_printf(
            p,
            "<input type=\"hidden\" name=\"kind\" value=\"%s\">"
            "<input type=\"hidden\" name=\"reset\" value=\"1\">"
            "<button type=\"submit\" class=\"sec\">ใช้ข้อความมาตรฐานของระบบ</button></form>\n",
            t->kind_param);
    }
    if (t->error)
        return;
    /* the preview, filled as a message would be (with an example link) */
    char deadline[ITA_THAI_DATE_SIZE];
    if (!ita_thai_date_short(s->closes_on, deadline, sizeof deadline))
        snprintf(deadline, sizeof deadline, "วันปิดรับคำตอบ");
    struct mail_fields f = {.agency_th = s->name,
                            .fiscal_year = atoi(s->fy),
                            .deadline_th = deadline,
                            .link = "https://ita.example.go.th/t/ตัวอย่างลิงก์ส่วนบุคคล"};
    struct strbuf subj, body;
    strbuf_init(&subj);
    strbuf_init(&body);
    mail_render(t->subject, &f, &subj);
    mail_render(t->body, &f, &body);
    strbuf_printf(p,
                  "<h2 id=\"preview-title\">ตัวอย่าง%sที่ผู้รับจะเห็น</h2>"
                  "<div id=\"preview\" class=\"card\"><p><strong>",
                  kind_th(t->kind));
    strbuf_html_escape(p, subj.data);
    strbuf_puts(p, "</strong></p><p>");
    /* the body's lines as the recipient sees them, wrapped to the screen (the link too) */
    for (char *line = body.data; line;) { /* body is ours: its line ends are cut in place */
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        strbuf_html_escape(p, line);
        if (nl)
            strbuf_puts(p, "<br>");
        line = nl ? nl + 1 : NULL;
    }
    strbuf_puts(p, "</p></div>\n");
    strbuf_free(&subj);
    strbuf_free(&body);
}

static struct template_page *page_for(struct http_request *req, struct setup *s)
{
    struct template_page *t = arena_alloc(&req->arena, sizeof *t);
    memset(t, 0, sizeof *t);
    const char *k = setup_param(req, s, "kind");
    t->kind = k && strcmp(k, "reminder") == 0 ? MAIL_REMINDER : MAIL_INVITE;
    t->kind_param = t->kind == MAIL_REMINDER ? "reminder" : "invite";
    s->page = t;
    return t;
}

static void answer(struct http_request *req, struct setup *s, int status)
{
    struct template_page *t = s->page;
    t->csrf = setup_csrf(req, s);
    const char *title =
        arena_sprintf(&req->arena, "ข้อความ%s %s", kind_th(t->kind), SETUP_LIST_TH[s->instrument]);
    if (status != 200) {
        if (s->u->api) {
            setup_fail(req, s, status, t->error);
            return;
        }
        struct strbuf p;
        setup_page_begin(&p, req, s, title);
        view(&p, s, t);
        setup_send_page(req, status, &p);
        return;
    }
    setup_answer(req, s,
                 json_pack("{s:s, s:s, s:s, s:b}", "kind", t->kind_param, "subject", t->subject,
                           "body", t->body, "default", t->is_default),
                 title, view, t);
}

static void template_ask(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct template_page *t = s->page ? s->page : page_for(req, s);
    const char *p[MAIL_TEMPLATE_GET_NPARAMS];
    p[MAIL_TEMPLATE_GET_P_AGENCY] = s->agency_id;
    p[MAIL_TEMPLATE_GET_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[MAIL_TEMPLATE_GET_P_KIND] = t->kind_param;
    setup_run(req, s, &sql_mail_template_get, p, TEMPLATE_READ);
}

static void template_read(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct template_page *t = s->page;
    t->saved = admin_query_int(req, "saved") > 0;
    if (PQntuples(r->res) == 1) {
        t->subject = arena_strndup(&req->arena, db_text(r->res, 0, MAIL_TEMPLATE_GET_SUBJECT),
                                   (size_t)db_len(r->res, 0, MAIL_TEMPLATE_GET_SUBJECT));
        t->body = arena_strndup(&req->arena, db_text(r->res, 0, MAIL_TEMPLATE_GET_BODY),
                                (size_t)db_len(r->res, 0, MAIL_TEMPLATE_GET_BODY));
    } else {
        t->is_default = true;
        t->subject = mail_default_subject(t->kind, SETUP_INSTRUMENTS[s->instrument]);
        t->body = mail_default_body(t->kind, SETUP_INSTRUMENTS[s->instrument]);
    }
    answer(req, s, 200);
}

void admin_mail_template(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {
        [TEMPLATE_RESOLVED] = template_ask, [TEMPLATE_READ] = template_read};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}

/* ---- POST ---- */

static void save_resolved(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct template_page *t = page_for(req, s);
    bool reset = setup_param(req, s, "reset") != NULL;
    const char *subject = setup_param(req, s, "subject");
    const char *body = setup_param(req, s, "body");
    t->subject = subject ? subject : "";
    t->body = body ? body : "";
    if (!reset) {
        char err[512];
        if (mail_template_check(t->subject, t->body, err, sizeof err) != 0) {
            t->error = arena_strndup(&req->arena, err, strlen(err));
            answer(req, s, 422);
            return;
        }
    }
    const char *p[MAIL_TEMPLATE_SET_NPARAMS];
    p[MAIL_TEMPLATE_SET_P_AGENCY] = s->agency_id;
    p[MAIL_TEMPLATE_SET_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[MAIL_TEMPLATE_SET_P_KIND] = t->kind_param;
    p[MAIL_TEMPLATE_SET_P_SUBJECT] = reset ? NULL : t->subject;
    p[MAIL_TEMPLATE_SET_P_BODY] = reset ? NULL : t->body;
    p[MAIL_TEMPLATE_SET_P_ADMIN] = s->admin;
    p[MAIL_TEMPLATE_SET_P_YEAR] = s->fy;
    log_info("event=mail_template_set w=%d admin=%d agency=%s instrument=%s kind=%s reset=%d",
             req->worker->id, s->u->id, s->agency_id, SETUP_INSTRUMENTS[s->instrument],
             t->kind_param, reset);
    setup_run(req, s, &sql_mail_template_set, p, TEMPLATE_SAVED);
}

static void save_done(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct template_page *t = s->page;
    if (s->u->api) {
        setup_send_json(req, 200, json_pack("{s:b}", "saved", 1));
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena,
                                      "/admin/mail/template?agency=%s&fy=%s&instrument=%s&kind=%s"
                                      "&saved=1",
                                      s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument],
                                      t->kind_param));
}

void admin_mail_template_save(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {
        [TEMPLATE_RESOLVED] = save_resolved, [TEMPLATE_SAVED] = save_done};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}
