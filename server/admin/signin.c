/* Administrator sign-in: the login page, the password check (argon2id on the CPU pool, never on
 * the event loop), lockout after repeated failures, a new session on success, the signed-in home
 * page and sign-out. Sessions themselves (cookie, API tokens, CSRF) are in session.c; the HTML in
 * signin_view.c. */
#include "admin_session.h"
#include "admin_handlers.h"
#include "admin_sql.h"
#include "session_internal.h"
#include "signin_view.h"
#include "app/req_job.h"
#include "db/db_row.h"
#include "log.h"
#include "app/page_frame.h"
#include "secret.h"
#include "server.h"
#include "strbuf.h"
#include "xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOGIN_FORM_KEY "admin-login"
#define BAD_LOGIN "อีเมลหรือรหัสผ่านไม่ถูกต้อง"

/* A password check on the CPU pool: owns copies of what it needs (see app/req_job.h). */
struct pw_job {
    char password[256];
    char hash[crypto_pwhash_STRBYTES];
    bool have_user; /* false: verify against a dummy hash to take the same time */
    bool ok;        /* result */
};

/* A sign-in in progress (request arena, req->handler_state). */
struct login {
    enum { LOGIN_LOOKUP, LOGIN_RECORD } state;
    const char *password;   /* the posted form's (request arena) */
    const char *email;      /* the posted form's, shown again after a failure */
    int user_id;            /* 0: no such account */
    bool locked;            /* locked or disabled: never signed in */
    char session_token[64]; /* the new session's token; "" after a failure */
    char hash_param[SESSION_HASH_PARAM_SIZE];
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

/* The login page; after a failed attempt `email` (or NULL) is typed in again for the person. */
static void login_page(struct http_request *req, int status, const char *message, const char *email)
{
    char token[FORM_TOKEN_CHARS + 1];
    if (!form_token_make(&req->worker->srv->secret, LOGIN_FORM_KEY, (int64_t)time(NULL), token,
                         sizeof token)) {
        http_respond_unavailable(req, "no random bytes");
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    signin_view_login(&p, token, message, email);
    admin_send_page(req, status, &p);
}

/* A wrong password, an unknown address, a locked or disabled account: one answer for all. */
static void failed_page(struct http_request *req, const char *email)
{
    char msg[400];
    signin_view_failed(time(NULL), msg, sizeof msg);
    login_page(req, 401, msg, email);
}

/* ---- login ---- */

static void step(struct http_request *req, const struct db_result *r);

static void pw_run(void *data)
{
    struct pw_job *j = data;
    const char *h = j->have_user ? j->hash : dummy_hash();
    j->ok = crypto_pwhash_str_verify(h, j->password, strlen(j->password)) == 0 && j->have_user;
    sodium_memzero(j->password, sizeof j->password);
}

static void pw_free(void *data)
{
    sodium_memzero(data, sizeof(struct pw_job));
    free(data);
}

/* The password checked: open a session, or count the failure. */
static void pw_checked(struct http_request *req, void *data)
{
    const struct pw_job *j = data;
    struct login *in = req->handler_state;
    char uid[16];
    snprintf(uid, sizeof uid, "%d", in->user_id);
    in->state = LOGIN_RECORD;
    if (j->ok && !in->locked) {
        if (!secret_random_b64url(SESSION_TOKEN_BYTES, in->session_token)) {
            http_respond_unavailable(req, "no random bytes");
            return;
        }
        session_token_hash(req->worker->srv, "session", in->session_token, in->hash_param);
        const char *p[ADMIN_LOGIN_OK_NPARAMS];
        p[ADMIN_LOGIN_OK_P_USER] = uid;
        p[ADMIN_LOGIN_OK_P_TOKEN_HASH] = in->hash_param;
        http_db(req, &sql_admin_login_ok, p, NULL, step);
        return;
    }
    if (in->user_id > 0) {
        const char *p[ADMIN_LOGIN_FAIL_NPARAMS];
        p[ADMIN_LOGIN_FAIL_P_USER] = uid;
        in->session_token[0] = '\0';
        http_db(req, &sql_admin_login_fail, p, NULL, step);
        return;
    }
    failed_page(req, in->email);
}

static void signins_busy(struct http_request *req)
{
    http_respond_unavailable(req, "too many sign-ins at once");
}

/* The account looked up (or not): check the password on the CPU pool either way. */
static void check_password(struct http_request *req, struct login *in, const PGresult *res)
{
    struct pw_job *j = xcalloc(1, sizeof *j);
    snprintf(j->password, sizeof j->password, "%s", in->password);
    if (PQntuples(res) == 1) {
        in->user_id = (int)db_int(res, 0, ADMIN_BY_EMAIL_ID);
        snprintf(j->hash, sizeof j->hash, "%s", db_text(res, 0, ADMIN_BY_EMAIL_PASSWORD_HASH));
        in->locked =
            db_bool(res, 0, ADMIN_BY_EMAIL_LOCKED) || db_bool(res, 0, ADMIN_BY_EMAIL_DISABLED);
        j->have_user = true;
    }
    req_job_start_or(req, j, pw_run, pw_checked, pw_free, signins_busy);
}

static void step(struct http_request *req, const struct db_result *r)
{
    struct login *in = req->handler_state;
    if (http_db_failed(req, r))
        return;
    switch (in->state) {
    case LOGIN_LOOKUP:
        check_password(req, in, r->res);
        return;
    case LOGIN_RECORD:
        if (in->session_token[0]) {
            char c[200];
            snprintf(c, sizeof c,
                     SESSION_COOKIE "=%s; Path=/admin; Secure; HttpOnly; SameSite=Strict; "
                                    "Max-Age=28800",
                     in->session_token);
            http_add_header(req, "Set-Cookie", c);
            log_info("event=admin_login w=%d user=%d", req->worker->id, in->user_id);
            session_redirect(req, "/admin/");
            return;
        }
        log_info("event=admin_login_failed w=%d user=%d", req->worker->id, in->user_id);
        failed_page(req, in->email);
        return;
    }
    abort();
}

void handle_admin_login_get(struct http_request *req)
{
    login_page(req, 200, NULL, NULL);
}

void handle_admin_login_post(struct http_request *req)
{
    if (!http_same_origin(req, false)) {
        http_respond_error(req, 403, "cross-site form posts are refused");
        return;
    }
    const struct form_data *f = session_read_form(req);
    unsigned char nonce[TOKEN_HASH_BYTES];
    if (!f || form_token_check(&req->worker->srv->secret, LOGIN_FORM_KEY, form_get(f, "f"),
                               (int64_t)time(NULL), 3600, nonce) != FORM_TOKEN_OK) {
        login_page(req, 400, "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาลองอีกครั้ง",
                   f && form_get(f, "email") && strlen(form_get(f, "email")) <= 254
                       ? form_get(f, "email")
                       : NULL);
        return;
    }
    const char *email = form_get(f, "email");
    const char *password = form_get(f, "password");
    if (!email || !password || !*email || !*password || strlen(password) >= 256 ||
        strlen(email) > 254) {
        login_page(req, 401, BAD_LOGIN, email && strlen(email) <= 254 ? email : NULL);
        return;
    }
    struct login *in = arena_alloc(&req->arena, sizeof *in);
    *in = (struct login){.state = LOGIN_LOOKUP, .password = password, .email = email};
    req->handler_state = in;
    const char *p[ADMIN_BY_EMAIL_NPARAMS];
    p[ADMIN_BY_EMAIL_P_EMAIL] = email;
    http_db(req, &sql_admin_by_email, p, NULL, step);
}

/* ---- signed in ---- */

void admin_home(struct http_request *req, const struct admin_user *u)
{
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, u, "ระบบผู้ดูแล ITA");
    signin_view_home(&p, u);
    page_frame_finish(&p);
    admin_send_page(req, 200, &p);
}

static void logged_out(struct http_request *req, const struct db_result *r)
{
    if (http_db_failed(req, r))
        return;
    http_add_header(req, "Set-Cookie",
                    SESSION_COOKIE "=; Path=/admin; Secure; HttpOnly; "
                                   "SameSite=Strict; Max-Age=0");
    session_redirect(req, "/admin/login");
}

void admin_logout(struct http_request *req, const struct admin_user *u)
{
    (void)u;
    const char *p[SESSION_REVOKE_NPARAMS];
    p[SESSION_REVOKE_P_TOKEN_HASH] = session_hash_param(req);
    http_db(req, &sql_session_revoke, p, NULL, logged_out);
}
