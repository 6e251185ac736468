/* /admin/mail: a contact list's links sent by the server (README "Invitations by e-mail").
 * The page shows counts only (contacts, invitations waiting, sent, failed, and how many of the
 * list's links were used) and never a link; the addresses the relay refused are listed by name
 * so that the clerk can correct them (a corrected address gets a new link and a new invitation,
 * contacts.c). Forms: the delivery mode of the list (/admin/mail/mode), sending the invitations
 * (/admin/mail/send: links issued to whoever has none, then one invitation per contact with an
 * address), and up to three reminder days within the survey window (/admin/mail/reminders). A
 * reminder round's totals are read from its sealed counts (mail/mail_sealed.h). The HTML is in
 * mail_admin_view.c. */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "links.h"
#include "mail/mail_sealed.h"
#include "mail_admin_sql.h"
#include "mail_admin_view.h"
#include "db/db_row.h"
#include "log.h"
#include "server.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum mail_state {
    MAIL_RESOLVED = SETUP_RESOLVED, /* the agency, year and list are known */
    MAIL_COUNTED,                   /* sql_mail_status answered */
    MAIL_ROUNDS_READ,               /* sql_mail_rounds answered */
    MAIL_FAILED_READ,               /* sql_mail_failed answered */
    /* POST /admin/mail/send */
    MAIL_LISTED, /* the contacts without a link were listed */
    MAIL_HASHED, /* their token hashes were derived */
    MAIL_ISSUED, /* their links were stored */
    MAIL_QUEUED, /* sql_mail_queue answered */
    MAIL_SAVED,  /* a mode or the reminder days were saved */
};

static const char *param_or(struct http_request *req, const struct setup *s, const char *name)
{
    const char *v = setup_param(req, s, name);
    return v ? v : "";
}

static struct mail_page *page_new(struct http_request *req, struct setup *s)
{
    struct mail_page *m = arena_alloc(&req->arena, sizeof *m);
    memset(m, 0, sizeof *m);
    m->smtp_on = req->worker->srv->cfg.smtp_url[0] != '\0';
    s->page = m;
    return m;
}

/* ---- GET /admin/mail (and a refused form's page) ---- */

static void mail_count(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (!s->page) {
        struct mail_page *m = page_new(req, s);
        m->queued = atol(param_or(req, s, "queued"));
        m->notice = param_or(req, s, "saved")[0] != '\0';
        for (int i = 0; i < 3; i++)
            m->typed[i] = NULL;
    }
    const char *p[MAIL_LIST_NPARAMS] = {s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]};
    setup_run(req, s, &sql_mail_status, p, MAIL_COUNTED);
}

static void mail_counted(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct mail_page *m = s->page;
    static const int cols[MAIL_COUNT_N] = {
        MAIL_STATUS_CONTACTS, MAIL_STATUS_WITH_EMAIL, MAIL_STATUS_WITH_LINK, MAIL_STATUS_UNSENT,
        MAIL_STATUS_WAITING,  MAIL_STATUS_SENT,       MAIL_STATUS_FAILED,    MAIL_STATUS_ANSWERED};
    for (int i = 0; i < MAIL_COUNT_N; i++)
        m->count[i] = (long)db_int(r->res, 0, cols[i]);
    const char *p[MAIL_LIST_NPARAMS] = {s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]};
    setup_run(req, s, &sql_mail_rounds, p, MAIL_ROUNDS_READ);
}

static const char *arena_col(struct http_request *req, const PGresult *res, int row, int col)
{
    return arena_strndup(&req->arena, db_text(res, row, col), (size_t)db_len(res, row, col));
}

static void mail_rounds_read(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct mail_page *m = s->page;
    const struct secret *sec = &req->worker->srv->secret;
    for (int i = 0; i < PQntuples(r->res); i++) {
        int k = (int)db_int(r->res, i, MAIL_ROUNDS_ROUND) - 1;
        if (k < 0 || k > 2)
            continue;
        struct mail_round_view *v = &m->rounds[k];
        v->exists = true;
        v->send_on = arena_col(req, r->res, i, MAIL_ROUNDS_SEND_ON);
        v->state = arena_col(req, r->res, i, MAIL_ROUNDS_STATE);
        v->finished_on = arena_col(req, r->res, i, MAIL_ROUNDS_FINISHED_AT);
        const char *hex = db_text(r->res, i, MAIL_ROUNDS_SEALED);
        unsigned char bin[MAIL_SEALED_BYTES];
        size_t len = 0;
        if (strlen(hex) > 2 &&
            sodium_hex2bin(bin, sizeof bin, hex + 2, strlen(hex + 2), NULL, &len, NULL) != 0)
            len = 0;
        struct mail_round_counts c;
        if (mail_counts_open(sec, bin, len, &c)) {
            v->sent = c.sent;
            v->failed = c.failed;
        }
    }
    const char *p[MAIL_LIST_NPARAMS] = {s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]};
    setup_run(req, s, &sql_mail_failed, p, MAIL_FAILED_READ);
}

static json_t *mail_json(const struct setup *s, const struct mail_page *m)
{
    json_t *rounds = json_array();
    for (int k = 0; k < 3; k++) {
        const struct mail_round_view *v = &m->rounds[k];
        if (v->exists)
            json_array_append_new(rounds, json_pack("{s:i, s:s, s:s, s:i, s:i}", "round", k + 1,
                                                    "send_on", v->send_on, "state", v->state,
                                                    "sent", v->sent, "failed", v->failed));
    }
    json_t *failed = json_array();
    for (size_t i = 0; i < m->nfailed; i++)
        json_array_append_new(failed,
                              json_pack("{s:s, s:s, s:s, s:s}", "contact", m->failed[i].contact,
                                        "name", m->failed[i].name, "email", m->failed[i].email,
                                        "reply", m->failed[i].reply));
    return json_pack("{s:s, s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:b}",
                     "instrument", SETUP_INSTRUMENTS[s->instrument], "delivery",
                     s->private_delivery[s->instrument] ? "private" : "mailmerge", "counts",
                     "contacts", (json_int_t)m->count[MAIL_COUNT_CONTACTS], "with_email",
                     (json_int_t)m->count[MAIL_COUNT_WITH_EMAIL], "with_link",
                     (json_int_t)m->count[MAIL_COUNT_WITH_LINK], "unsent",
                     (json_int_t)m->count[MAIL_COUNT_UNSENT], "queued",
                     (json_int_t)m->count[MAIL_COUNT_WAITING], "sent",
                     (json_int_t)m->count[MAIL_COUNT_SENT], "failed",
                     (json_int_t)m->count[MAIL_COUNT_FAILED], "answered",
                     (json_int_t)m->count[MAIL_COUNT_ANSWERED], "reminders", rounds, "failed",
                     failed, "smtp_configured", m->smtp_on);
}

static void mail_failed_read(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct mail_page *m = s->page;
    int n = PQntuples(r->res);
    m->failed = arena_alloc(&req->arena, sizeof *m->failed * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        m->failed[m->nfailed++] =
            (struct mail_failed_row){arena_col(req, r->res, i, MAIL_FAILED_CONTACT),
                                     arena_col(req, r->res, i, MAIL_FAILED_NAME),
                                     arena_col(req, r->res, i, MAIL_FAILED_UNIT),
                                     arena_col(req, r->res, i, MAIL_FAILED_EMAIL),
                                     arena_col(req, r->res, i, MAIL_FAILED_REPLY),
                                     arena_col(req, r->res, i, MAIL_FAILED_AT)};
    m->csrf = setup_csrf(req, s);
    const char *title =
        arena_sprintf(&req->arena, "ส่งลิงก์ทางอีเมล: %s", SETUP_LIST_TH[s->instrument]);
    if (m->error) { /* a refused form: the page again with the message and what was typed */
        if (s->u->api) {
            setup_fail(req, s, 422, m->error);
            return;
        }
        struct strbuf p;
        setup_page_begin(&p, req, s, title);
        mail_admin_view(&p, s, m);
        setup_send_page(req, 422, &p);
        return;
    }
    setup_answer(req, s, mail_json(s, m), title, mail_admin_view, m);
}

static const setup_step page_steps[] = {
    [MAIL_RESOLVED] = mail_count,
    [MAIL_COUNTED] = mail_counted,
    [MAIL_ROUNDS_READ] = mail_rounds_read,
    [MAIL_FAILED_READ] = mail_failed_read,
};

void admin_mail(struct http_request *req, const struct admin_user *u)
{
    setup_resolve(req, u, true, SETUP_STEPS(page_steps));
}

/* Back to the page after a change. */
static void back_to_page(struct http_request *req, struct setup *s, const char *extra)
{
    setup_redirect(req,
                   arena_sprintf(&req->arena, "/admin/mail?agency=%s&fy=%s&instrument=%s%s",
                                 s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], extra));
}

static void saved(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (s->u->api) {
        setup_send_json(req, 200, json_pack("{s:b}", "saved", 1));
        return;
    }
    back_to_page(req, s, "&saved=1");
}

/* A refused form: the page with msg (typed values are in the page model already). */
static void refuse(struct http_request *req, struct setup *s, const char *msg)
{
    struct mail_page *m = s->page ? s->page : page_new(req, s);
    m->error = msg;
    mail_count(req, s, NULL);
}

/* ---- POST /admin/mail/mode ---- */

static void mode_resolved(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const char *d = param_or(req, s, "delivery");
    struct mail_page *m = page_new(req, s);
    if (strcmp(d, "private") != 0 && strcmp(d, "mailmerge") != 0) {
        refuse(req, s, "ต้องเลือกวิธีส่งลิงก์: ระบบส่งทางอีเมลเอง หรือไฟล์จดหมายเวียน");
        return;
    }
    if (strcmp(d, "mailmerge") == 0 && strcmp(param_or(req, s, "confirm"), "1") != 0) {
        m->mode_error = true;
        refuse(req, s, "ต้องทำเครื่องหมายยืนยันว่าเข้าใจผลของไฟล์จดหมายเวียนก่อน จึงจะเปลี่ยนวิธีส่งได้");
        return;
    }
    const char *p[MAIL_MODE_SET_NPARAMS];
    p[MAIL_LIST_P_AGENCY] = s->agency_id;
    p[MAIL_LIST_P_YEAR] = s->fy;
    p[MAIL_LIST_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[MAIL_MODE_SET_P_DELIVERY] = d;
    p[MAIL_MODE_SET_P_ADMIN] = s->admin;
    log_info("event=mail_delivery_set w=%d admin=%d agency=%s fy=%s instrument=%s delivery=%s",
             req->worker->id, s->u->id, s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], d);
    setup_run(req, s, &sql_mail_mode_set, p, MAIL_SAVED);
}

void admin_mail_mode(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[MAIL_RESOLVED] = mode_resolved,
                                       [MAIL_COUNTED] = mail_counted,
                                       [MAIL_ROUNDS_READ] = mail_rounds_read,
                                       [MAIL_FAILED_READ] = mail_failed_read,
                                       [MAIL_SAVED] = saved};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}

/* ---- POST /admin/mail/send ---- */

static void send_resolved(struct http_request *req, struct setup *s, const struct db_result *r)
{
    page_new(req, s);
    if (req->worker->srv->cfg.smtp_url[0] == '\0') {
        refuse(req, s,
               "เซิร์ฟเวอร์นี้ยังไม่ได้ตั้งค่าการส่งอีเมล (smtp_url) จึงส่งคำเชิญไม่ได้ "
               "กรุณาแจ้งผู้ดูแลระบบ");
        return;
    }
    if (s->closed) {
        refuse(req, s, "ปิดรับคำตอบของปีงบประมาณนี้แล้ว จึงไม่ส่งคำเชิญ");
        return;
    }
    links_issue_list(req, s, MAIL_LISTED);
}

static void send_listed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    links_issue_hash(req, s, r, MAIL_HASHED);
}

static void send_hashed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    links_issue_store(req, s, MAIL_ISSUED);
}

static void send_issued(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const char *p[MAIL_QUEUE_NPARAMS];
    p[MAIL_LIST_P_AGENCY] = s->agency_id;
    p[MAIL_LIST_P_YEAR] = s->fy;
    p[MAIL_LIST_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[MAIL_QUEUE_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_mail_queue, p, MAIL_QUEUED);
}

static void send_queued(struct http_request *req, struct setup *s, const struct db_result *r)
{
    long n = (long)db_int(r->res, 0, MAIL_QUEUE_QUEUED);
    log_info("event=mail_invites_queued w=%d admin=%d agency=%s fy=%s instrument=%s n=%ld",
             req->worker->id, s->u->id, s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], n);
    if (s->u->api) {
        setup_send_json(req, 200, json_pack("{s:I}", "queued", (json_int_t)n));
        return;
    }
    back_to_page(req, s, arena_sprintf(&req->arena, "&queued=%ld", n));
}

void admin_mail_send(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {
        [MAIL_RESOLVED] = send_resolved,       [MAIL_COUNTED] = mail_counted,
        [MAIL_ROUNDS_READ] = mail_rounds_read, [MAIL_FAILED_READ] = mail_failed_read,
        [MAIL_LISTED] = send_listed,           [MAIL_HASHED] = send_hashed,
        [MAIL_ISSUED] = send_issued,           [MAIL_QUEUED] = send_queued};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}

/* ---- POST /admin/mail/reminders ---- */

/* True when v is "" or a YYYY-MM-DD day. */
static bool day_or_empty(const char *v)
{
    if (!v[0])
        return true;
    if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
            return false;
    int mo = atoi(v + 5), d = atoi(v + 8);
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

static void reminders_resolved(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct mail_page *m = page_new(req, s);
    static const char *const names[3] = {"r1", "r2", "r3"};
    const char *prev = "";
    for (int k = 0; k < 3; k++)
        m->typed[k] = param_or(req, s, names[k]);
    m->reminder_form = true;
    if (!s->year_set) {
        refuse(req, s, "ต้องตั้งค่าปีงบประมาณ (ช่วงเวลารับคำตอบ) ก่อน จึงจะกำหนดวันส่งคำเตือนได้");
        return;
    }
    for (int k = 0; k < 3; k++) {
        const char *d = m->typed[k];
        if (!day_or_empty(d)) {
            refuse(req, s, arena_sprintf(&req->arena, "วันส่งคำเตือนครั้งที่ %d ไม่ใช่วันที่ที่ถูกต้อง", k + 1));
            return;
        }
        if (!d[0])
            continue;
        if (strcmp(d, s->opens_on) < 0 || strcmp(d, s->closes_on) > 0) {
            refuse(req, s,
                   arena_sprintf(&req->arena,
                                 "วันส่งคำเตือนครั้งที่ %d ต้องอยู่ในช่วงรับคำตอบ "
                                 "(ตั้งแต่วันเปิดถึงวันปิดรับคำตอบ)",
                                 k + 1));
            return;
        }
        if (prev[0] && strcmp(d, prev) <= 0) {
            refuse(req, s,
                   arena_sprintf(&req->arena, "วันส่งคำเตือนครั้งที่ %d ต้องอยู่หลังครั้งก่อนหน้า", k + 1));
            return;
        }
        prev = d;
    }
    struct strbuf days;
    strbuf_init(&days);
    strbuf_printf(&days, "{\"%s\",\"%s\",\"%s\"}", m->typed[0], m->typed[1], m->typed[2]);
    const char *p[MAIL_ROUNDS_SET_NPARAMS];
    p[MAIL_LIST_P_AGENCY] = s->agency_id;
    p[MAIL_LIST_P_YEAR] = s->fy;
    p[MAIL_LIST_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[MAIL_ROUNDS_SET_P_DAYS] = arena_strndup(&req->arena, days.data, days.len);
    p[MAIL_ROUNDS_SET_P_ADMIN] = s->admin;
    strbuf_free(&days);
    setup_run(req, s, &sql_mail_rounds_set, p, MAIL_SAVED);
}

void admin_mail_reminders(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[MAIL_RESOLVED] = reminders_resolved,
                                       [MAIL_COUNTED] = mail_counted,
                                       [MAIL_ROUNDS_READ] = mail_rounds_read,
                                       [MAIL_FAILED_READ] = mail_failed_read,
                                       [MAIL_SAVED] = saved};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}
