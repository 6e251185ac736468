/* Administrator sign-in: the login page, password check (argon2id on the CPU pool, never on the
 * event loop), lockout after repeated failures, sessions in an HttpOnly/Secure/SameSite=Strict
 * cookie holding a random token (the database keeps only its HMAC), CSRF tokens derived from the
 * session, the signed-in home page and sign-out. */
#include "admin_session.h"
#include "admin_handlers.h"
#include "admin_sql.h"
#include "cpu_pool.h"
#include "net/form_parse.h"
#include "net/http.h"
#include "log.h"
#include "survey/pages.h"
#include "secret.h"
#include "server.h"
#include "strbuf.h"
#include "xalloc.h"

#include <event2/buffer.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SESSION_COOKIE "ita_admin"
#define SESSION_TOKEN_BYTES 32
#define LOGIN_FORM_KEY "admin-login"

/* A password check on the CPU pool: owns copies of what it needs (see cpu_pool.h). */
struct pw_job {
    struct http_request *req; /* NULL once the request is gone */
    struct cpu_job *handle;   /* the pool's handle, for cancelling */
    char password[256];
    char hash[crypto_pwhash_STRBYTES];
    bool have_user;           /* false: verify against a dummy hash to take the same time */
    bool ok;                  /* result */
};

struct admin_req {
    enum { AD_LOGIN_LOOKUP, AD_LOGIN_RECORD, AD_SESSION } state;
    admin_then then;          /* what to do once the session is known */
    struct admin_user user;   /* the signed-in administrator (AD_SESSION) */
    const struct form_data *form; /* the posted form, CSRF-checked */
    const struct multipart_data *multipart; /* the same when posted as multipart, else NULL */
    int user_id;
    bool locked;
    struct pw_job *job;       /* in flight */
    char session_token[64];   /* new session (login) or the cookie's (others) */
    char hash_param[2 + 2 * TOKEN_HASH_BYTES + 1];
    bool posting;
    bool api;                 /* API token instead of a session cookie */
};

static const char *dummy_hash(void)
{
    static char h[crypto_pwhash_STRBYTES];
    static bool made;
    if (!made) { /* computed once per process, before workers start (admin_init) */
        if (crypto_pwhash_str(h, "not a password", 14, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            abort();
        made = true;
    }
    return h;
}

int admin_init(void)
{
    if (sodium_init() < 0)
        return -1;
    dummy_hash();
    return 0;
}

static void send_html(struct http_request *req, int status, struct strbuf *page)
{
    http_add_header(req, "Content-Security-Policy", pages_csp());
    http_add_header(req, "Referrer-Policy", "same-origin");
    http_respond(req, status, "text/html; charset=utf-8", page->data, page->len);
    strbuf_free(page);
}

static void redirect(struct http_request *req, const char *to)
{
    http_add_header(req, "Location", to);
    http_respond(req, 303, "text/plain; charset=utf-8", "", 0);
}

static void login_page(struct http_request *req, int status, const char *message)
{
    char token[FORM_TOKEN_CHARS + 1];
    if (!form_token_make(&req->worker->srv->secret, LOGIN_FORM_KEY, (int64_t)time(NULL), token,
                         sizeof token)) {
        http_respond_unavailable(req, "no random bytes");
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    pages_begin(&p, "เข้าสู่ระบบผู้ดูแล");
    if (message) {
        strbuf_puts(&p, "<div class=\"es\" role=\"alert\"><p>");
        strbuf_html_escape(&p, message);
        strbuf_puts(&p, "</p></div>\n");
    }
    strbuf_printf(&p,
                  "<form class=\"f\" method=\"post\" action=\"/admin/login\" id=\"login\">\n"
                  "<input type=\"hidden\" name=\"f\" value=\"%s\">\n"
                  "<label for=\"email\">อีเมล</label>\n"
                  "<input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"username\" required>\n"
                  "<label for=\"password\">รหัสผ่าน</label>\n"
                  "<input type=\"password\" id=\"password\" name=\"password\" "
                  "autocomplete=\"current-password\" required>\n"
                  "<button type=\"submit\">เข้าสู่ระบบ</button>\n</form>\n"
                  "<p class=\"nt\">ถ้าใส่รหัสผ่านผิด 5 ครั้ง บัญชีจะถูกล็อกไว้ 15 นาที</p>\n",
                  token);
    pages_finish(&p);
    send_html(req, status, &p);
}

/* The value of cookie `name` in the request, copied into the arena; NULL when absent. */
static const char *cookie(struct http_request *req, const char *name)
{
    const struct http_header *h = http_head_find(&req->head, "cookie");
    if (!h)
        return NULL;
    size_t nl = strlen(name);
    const char *p = h->value, *end = h->value + h->value_len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == ';'))
            p++;
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *stop = semi ? semi : end;
        if ((size_t)(stop - p) > nl && memcmp(p, name, nl) == 0 && p[nl] == '=')
            return arena_strndup(&req->arena, p + nl + 1, (size_t)(stop - p - (ptrdiff_t)nl - 1));
        p = stop;
    }
    return NULL;
}

static void hash_param(const struct server *srv, const char *label, const char *token, char *out)
{
    unsigned char h[TOKEN_HASH_BYTES];
    secret_hmac(&srv->secret, label, token, strlen(token), h);
    memcpy(out, "\\x", 2);
    secret_hex(h, TOKEN_HASH_BYTES, out + 2);
}

/* The per-session CSRF token: HMAC of the session token, never stored. */
static void csrf_of(const struct server *srv, const char *session, char out[40])
{
    unsigned char h[TOKEN_HASH_BYTES];
    secret_hmac(&srv->secret, "csrf", session, strlen(session), h);
    secret_hex(h, 16, out);
}

static const struct form_data *read_form(struct http_request *req)
{
    struct form_data *f = arena_alloc(&req->arena, sizeof *f);
    const char *body = (const char *)evbuffer_pullup(req->body, -1);
    const char *why;
    if (form_parse(body ? body : "", evbuffer_get_length(req->body), &req->arena, f, &why) != 0)
        return NULL;
    return f;
}

/* A browser's multipart form (file upload): its text fields become the form. */
static const struct multipart_data *read_multipart(struct http_request *req)
{
    const struct http_header *h = http_head_find(&req->head, "content-type");
    if (!h || !multipart_is(h->value, h->value_len))
        return NULL;
    struct multipart_data *m = arena_alloc(&req->arena, sizeof *m);
    const char *body = (const char *)evbuffer_pullup(req->body, -1);
    const char *why;
    if (multipart_parse(h->value, h->value_len, body ? body : "", evbuffer_get_length(req->body),
                        &req->arena, m, &why) != 0) {
        log_info("event=bad_upload w=%d reason=\"%s\"", req->worker->id, why);
        return NULL;
    }
    return m;
}

static struct admin_req *admin_of(struct http_request *req)
{
    return req->handler_state;
}

static void step(struct http_request *req, const struct db_result *r);

static void run(struct http_request *req, const struct db_statement *stmt, const char *const *params)
{
    http_db(req, stmt, params, NULL, step);
}

/* A query parameter, decoded (request arena), or NULL. */
const char *admin_query_str(struct http_request *req, const char *name)
{
    if (!req->query)
        return NULL;
    struct form_data *f = arena_alloc(&req->arena, sizeof *f);
    const char *why;
    if (form_parse(req->query, strlen(req->query), &req->arena, f, &why) != 0)
        return NULL;
    return form_get(f, name);
}

/* Positive integer query parameter, or -1 when absent or malformed. */
long admin_query_int(struct http_request *req, const char *name)
{
    const char *v = admin_query_str(req, name);
    if (!v || !*v || strlen(v) > 9 || strspn(v, "0123456789") != strlen(v))
        return -1;
    return strtol(v, NULL, 10);
}

/* Scope parameters for the statements: $system, $agency. */
void admin_scope(const struct admin_user *u, char sys[8], char agency[16])
{
    snprintf(sys, 8, "%s", u->system ? "true" : "false");
    snprintf(agency, 16, "%d", u->agency_id);
}

/* The address respondents use: public_url, else this request's host. */
const char *admin_public_base(struct http_request *req)
{
    const char *cfg = req->worker->srv->cfg.public_url;
    if (cfg[0])
        return cfg;
    const struct http_header *h = http_head_find(&req->head, "host");
    return arena_sprintf(&req->arena, "https://%.*s", h ? (int)h->value_len : 9,
                         h ? h->value : "localhost");
}

/* ---- login ---- */

static void pw_run(void *arg)
{
    struct pw_job *j = arg;
    const char *h = j->have_user ? j->hash : dummy_hash();
    j->ok = crypto_pwhash_str_verify(h, j->password, strlen(j->password)) == 0 && j->have_user;
    sodium_memzero(j->password, sizeof j->password);
}

static void pw_done(void *arg, bool cancelled)
{
    struct pw_job *j = arg;
    struct http_request *req = j->req;
    bool ok = j->ok;
    sodium_memzero(j, sizeof *j);
    free(j);
    if (cancelled || !req)
        return;
    struct admin_req *ad = admin_of(req);
    ad->job = NULL;
    char uid[16];
    snprintf(uid, sizeof uid, "%d", ad->user_id);
    ad->state = AD_LOGIN_RECORD;
    if (ok && !ad->locked) {
        if (!secret_random_b64url(SESSION_TOKEN_BYTES, ad->session_token)) {
            http_respond_unavailable(req, "no random bytes");
            return;
        }
        hash_param(req->worker->srv, "session", ad->session_token, ad->hash_param);
        const char *p[2] = {uid, ad->hash_param};
        run(req, &sql_admin_login_ok, p);
        return;
    }
    if (ad->user_id > 0) {
        const char *p[1] = {uid};
        ad->session_token[0] = '\0';
        run(req, &sql_admin_login_fail, p);
        return;
    }
    login_page(req, 401, "อีเมลหรือรหัสผ่านไม่ถูกต้อง");
}

/* The request went away while its password was being checked. */
static void on_request_gone(struct http_request *req)
{
    struct admin_req *ad = admin_of(req);
    if (ad && ad->job) {
        ad->job->req = NULL;
        cpu_job_cancel(ad->job->handle);
        ad->job = NULL;
    }
}

void handle_admin_login_get(struct http_request *req)
{
    login_page(req, 200, NULL);
}

void handle_admin_login_post(struct http_request *req)
{
    if (!http_same_origin(req, false)) {
        http_respond_error(req, 403, "cross-site form posts are refused");
        return;
    }
    const struct form_data *f = read_form(req);
    unsigned char nonce[TOKEN_HASH_BYTES];
    if (!f || form_token_check(&req->worker->srv->secret, LOGIN_FORM_KEY, form_get(f, "f"),
                               (int64_t)time(NULL), 3600, nonce) != FORM_TOKEN_OK) {
        login_page(req, 400, "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาลองอีกครั้ง");
        return;
    }
    const char *email = form_get(f, "email");
    const char *password = form_get(f, "password");
    if (!email || !password || !*email || !*password || strlen(password) >= 256 ||
        strlen(email) > 254) {
        login_page(req, 401, "อีเมลหรือรหัสผ่านไม่ถูกต้อง");
        return;
    }
    struct admin_req *ad = arena_alloc(&req->arena, sizeof *ad);
    memset(ad, 0, sizeof *ad);
    ad->state = AD_LOGIN_LOOKUP;
    req->handler_state = ad;
    struct pw_job *j = xcalloc(1, sizeof *j);
    j->req = req;
    snprintf(j->password, sizeof j->password, "%s", password);
    ad->job = j;
    const char *p[1] = {email};
    run(req, &sql_admin_by_email, p);
}

/* ---- sessions ---- */

void admin_csrf_token(struct http_request *req, const struct admin_user *u, char out[40])
{
    csrf_of(req->worker->srv, u->session_token, out);
}

const struct form_data *admin_form(struct http_request *req)
{
    return admin_of(req)->form;
}

const struct multipart_file *admin_upload(struct http_request *req, const char *name)
{
    const struct admin_req *ad = admin_of(req);
    return ad->multipart ? multipart_file(ad->multipart, name) : NULL;
}

void admin_send_page(struct http_request *req, int status, struct strbuf *page)
{
    send_html(req, status, page);
}

void admin_page_begin(struct strbuf *p, struct http_request *req, const struct admin_user *u,
                      const char *title)
{
    char csrf[40];
    admin_csrf_token(req, u, csrf);
    pages_begin(p, title);
    strbuf_puts(p, "<nav><p id=\"who\">เข้าสู่ระบบในชื่อ <strong>");
    strbuf_html_escape(p, u->email);
    strbuf_puts(p, "</strong> (");
    strbuf_puts(p, u->system ? "ผู้ดูแลระบบ ทุกหน่วยงาน" : "ผู้ดูแลหน่วยงาน ");
    if (!u->system)
        strbuf_html_escape(p, u->agency_name);
    strbuf_printf(p, ") · <a href=\"/admin/\">หน้าแรก</a> · <a href=\"/admin/agencies\">หน่วยงาน</a></p>"
                     "<form method=\"post\" action=\"/admin/logout\" id=\"logout\">"
                     "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                     "<button type=\"submit\">ออกจากระบบ</button></form></nav>\n",
                  csrf);
}

void admin_home(struct http_request *req, const struct admin_user *u)
{
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, u, "ระบบผู้ดูแล ITA");
    strbuf_puts(&p, "<ul id=\"home\">");
    if (u->system)
        strbuf_puts(&p, "<li><a href=\"/admin/agencies\">หน่วยงานทั้งหมด: เพิ่ม นำเข้า ตั้งค่าปีงบประมาณ "
                        "ลิงก์ คิวอาร์โค้ดและโปสเตอร์</a></li>"
                        "<li><a href=\"/admin/users\">บัญชีผู้ดูแล</a></li>");
    else
        strbuf_printf(&p, "<li><a href=\"/admin/agency?id=%d\">หน่วยงานของท่าน: ตั้งค่าปีงบประมาณ รายชื่อ "
                          "ลิงก์ส่วนบุคคล คิวอาร์โค้ดและโปสเตอร์ ความคืบหน้า ผลคะแนน</a></li>",
                      u->agency_id);
    strbuf_puts(&p, "<li><a href=\"/admin/tokens\">โทเค็นสำหรับโปรแกรม itactl</a></li></ul>\n");
    pages_finish(&p);
    send_html(req, 200, &p);
}

static void logout_done(struct http_request *req, const struct db_result *r)
{
    if (!r->ok) {
        http_respond_unavailable(req, "database unavailable");
        return;
    }
    http_add_header(req, "Set-Cookie", SESSION_COOKIE "=; Path=/admin; Secure; HttpOnly; "
                                       "SameSite=Strict; Max-Age=0");
    redirect(req, "/admin/login");
}

void admin_logout(struct http_request *req, const struct admin_user *u)
{
    struct admin_req *ad = admin_of(req);
    const char *p[1] = {ad->hash_param};
    http_db(req, &sql_session_revoke, p, NULL, logout_done);
}

/* The token of "Authorization: Bearer <token>" (request arena), or NULL without that header. */
static const char *bearer(struct http_request *req)
{
    const struct http_header *h = http_head_find(&req->head, "authorization");
    if (!h)
        return NULL;
    if (h->value_len < 7 || strncasecmp(h->value, "Bearer ", 7) != 0)
        return "";
    return arena_strndup(&req->arena, h->value + 7, h->value_len - 7);
}

bool admin_is_api(struct http_request *req)
{
    const char *b = bearer(req);
    return b && *b;
}

static bool is_form_body(struct http_request *req)
{
    const struct http_header *h = http_head_find(&req->head, "content-type");
    return h && h->value_len >= 33 &&
           strncasecmp(h->value, "application/x-www-form-urlencoded", 33) == 0;
}

void admin_send_json(struct http_request *req, int status, json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    if (!text) {
        http_respond_error(req, 500, "cannot encode JSON");
        return;
    }
    http_add_header(req, "Cache-Control", "no-store");
    http_respond(req, status, "application/json; charset=utf-8", text, strlen(text));
    free(text);
}

void admin_send_json_error(struct http_request *req, int status, const char *message)
{
    json_t *doc = json_pack("{s:s, s:i}", "error", message, "status", status);
    if (!doc)
        abort();
    admin_send_json(req, status, doc);
    json_decref(doc);
}

/* An API request: the token must be an issued, unrevoked API token of an enabled user. */
static void with_api_token(struct http_request *req, const char *tok, bool posting,
                           admin_then then)
{
    if (!secret_is_b64url(tok, API_TOKEN_CHARS)) {
        http_add_header(req, "WWW-Authenticate", "Bearer realm=\"ita\"");
        admin_send_json_error(req, 401, "missing or malformed API token (Authorization: Bearer "
                                        "<token>, as issued on the web admin's API tokens page)");
        return;
    }
    struct admin_req *ad = arena_alloc(&req->arena, sizeof *ad);
    memset(ad, 0, sizeof *ad);
    ad->posting = posting;
    ad->then = then;
    ad->api = true;
    hash_param(req->worker->srv, "api-token", tok, ad->hash_param);
    req->handler_state = ad;
    if (posting && is_form_body(req)) {
        ad->form = read_form(req);
        if (!ad->form) {
            admin_send_json_error(req, 400, "malformed form body");
            return;
        }
    }
    ad->state = AD_SESSION;
    const char *p[1] = {ad->hash_param};
    run(req, &sql_api_token_user, p);
}

void admin_with_user(struct http_request *req, bool posting, admin_then then)
{
    const char *api = bearer(req);
    if (api) {
        with_api_token(req, api, posting, then);
        return;
    }
    const char *tok = cookie(req, SESSION_COOKIE);
    if (!tok || !secret_is_b64url(tok, 43)) {
        redirect(req, "/admin/login");
        return;
    }
    struct admin_req *ad = arena_alloc(&req->arena, sizeof *ad);
    memset(ad, 0, sizeof *ad);
    ad->posting = posting;
    ad->then = then;
    snprintf(ad->session_token, sizeof ad->session_token, "%s", tok);
    hash_param(req->worker->srv, "session", tok, ad->hash_param);
    req->handler_state = ad;
    if (posting) {
        /* every administrator form: same-origin post carrying the session's CSRF token */
        ad->multipart = read_multipart(req);
        const struct form_data *f = ad->multipart ? &ad->multipart->fields : read_form(req);
        char want[40];
        csrf_of(req->worker->srv, tok, want);
        const char *got = f ? form_get(f, "csrf") : NULL;
        if (!http_same_origin(req, false) || !got || strlen(got) != strlen(want) ||
            sodium_memcmp(got, want, strlen(want)) != 0) {
            http_respond_error(req, 403, "missing or wrong CSRF token");
            return;
        }
        ad->form = f;
    }
    ad->state = AD_SESSION;
    const char *p[1] = {ad->hash_param};
    run(req, &sql_session_user, p);
}

static void step(struct http_request *req, const struct db_result *r)
{
    struct admin_req *ad = admin_of(req);
    if (!r->ok) {
        if (ad->job) {
            ad->job->req = NULL; /* never submitted: free it here */
            free(ad->job);
            ad->job = NULL;
        }
        http_respond_unavailable(req, "database unavailable");
        return;
    }
    switch (ad->state) {
    case AD_LOGIN_LOOKUP: {
        struct pw_job *j = ad->job;
        if (PQntuples(r->res) == 1) {
            ad->user_id = atoi(PQgetvalue(r->res, 0, 0));
            snprintf(j->hash, sizeof j->hash, "%s", PQgetvalue(r->res, 0, 1));
            ad->locked = PQgetvalue(r->res, 0, 2)[0] == 't' || PQgetvalue(r->res, 0, 3)[0] == 't';
            j->have_user = true;
        }
        j->handle = cpu_job_submit(req->worker->srv->cpu, req->worker->base, pw_run, pw_done, j);
        if (!j->handle) {
            free(j);
            ad->job = NULL;
            http_respond_unavailable(req, "too many sign-ins at once");
            return;
        }
        req->on_gone = on_request_gone;
        return;
    }
    case AD_LOGIN_RECORD:
        if (ad->session_token[0]) {
            char c[200];
            snprintf(c, sizeof c, SESSION_COOKIE "=%s; Path=/admin; Secure; HttpOnly; SameSite=Strict; "
                     "Max-Age=28800", ad->session_token);
            http_add_header(req, "Set-Cookie", c);
            log_info("event=admin_login w=%d user=%d", req->worker->id, ad->user_id);
            redirect(req, "/admin/");
            return;
        }
        log_info("event=admin_login_failed w=%d user=%d", req->worker->id, ad->user_id);
        login_page(req, 401, "อีเมลหรือรหัสผ่านไม่ถูกต้อง");
        return;
    case AD_SESSION: {
        if (PQntuples(r->res) != 1) {
            if (ad->api) {
                http_add_header(req, "WWW-Authenticate", "Bearer realm=\"ita\"");
                admin_send_json_error(req, 401, "API token unknown or revoked");
            } else {
                redirect(req, "/admin/login");
            }
            return;
        }
        struct admin_user *u = &ad->user;
        u->id = atoi(PQgetvalue(r->res, 0, 0));
        u->email = arena_strndup(&req->arena, PQgetvalue(r->res, 0, 1), (size_t)PQgetlength(r->res, 0, 1));
        u->system = strcmp(PQgetvalue(r->res, 0, 2), "system") == 0;
        u->agency_name = arena_strndup(&req->arena, PQgetvalue(r->res, 0, 3), (size_t)PQgetlength(r->res, 0, 3));
        u->agency_id = PQgetisnull(r->res, 0, 4) ? 0 : atoi(PQgetvalue(r->res, 0, 4));
        u->session_token = ad->session_token;
        u->api = ad->api;
        ad->then(req, u);
        return;
    }
    }
    abort();
}
