/* The sign-in of an administrator request checked from its head, before its body is read (see
 * session_head.h): the same token rules and lookups as session.c's admin_with_user, so a stranger
 * cannot make the server hold a 60 MiB upload in memory, plus the cap on uploads read at once.
 * The administrator found is kept for admin_with_user, which then does not look it up again. */
#include "session_head.h"
#include "admin_sql.h"
#include "session_internal.h"
#include "app/page_frame.h"
#include "db/db_row.h"
#include "log.h"
#include "secret.h"
#include "server.h"
#include "strbuf.h"

#include <string.h>

/* What the check found (req->head_state). */
struct head_check {
    bool api;                                 /* an API token, not a session cookie */
    bool verified;                            /* user holds the administrator of the token */
    char hash_param[SESSION_HASH_PARAM_SIZE]; /* the token's HMAC, as the lookups take it */
    struct admin_user user;
};

/* 401 for an API token the server does not take, with the words admin_with_user uses. */
static void refuse_token(struct http_request *req, bool malformed)
{
    http_add_header(req, "WWW-Authenticate", "Bearer realm=\"ita\"");
    admin_send_json_error(req, 401,
                          malformed ? SESSION_API_TOKEN_MALFORMED : SESSION_API_TOKEN_UNKNOWN);
}

/* 503: every upload slot is taken; the file was not read, so nothing is stored. */
static void uploads_busy(struct http_request *req, bool api)
{
    static const char msg[] = "ขณะนี้มีการส่งไฟล์เข้าระบบพร้อมกันหลายรายการ "
                              "โปรดรอสักครู่แล้วส่งไฟล์อีกครั้ง ไฟล์นี้ยังไม่ได้บันทึก";
    http_add_header(req, "Retry-After", "10");
    if (api) {
        admin_send_json_error(req, 503, msg);
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    page_frame_begin(&p, "ระบบกำลังรับไฟล์อื่นอยู่");
    strbuf_printf(&p,
                  "<p>%s</p>\n<p class=\"nt\">รหัสข้อผิดพลาด 503</p>\n"
                  "<p><a href=\"/admin/\">ไปหน้าหลักของผู้ดูแล</a></p>\n",
                  msg);
    page_frame_finish(&p);
    admin_send_page(req, 503, &p);
}

static void head_user_found(struct http_request *req, const struct db_result *r)
{
    struct head_check *hc = req->head_state;
    if (http_db_failed(req, r))
        return;
    if (PQntuples(r->res) != 1) {
        if (hc->api)
            refuse_token(req, false);
        else
            session_redirect(req, "/admin/login");
        return;
    }
    session_user_read(req, r->res, &hc->user);
    hc->verified = true;
    if (!http_upload_slot(req)) {
        uploads_busy(req, hc->api);
        return;
    }
    http_read_body(req);
}

void admin_check_head(struct http_request *req, bool posting)
{
    struct head_check *hc = arena_alloc(&req->arena, sizeof *hc);
    *hc = (struct head_check){0};
    req->head_state = hc;
    const struct server *srv = req->worker->srv;
    const char *p[1] = {hc->hash_param};
    _Static_assert(SESSION_USER_NPARAMS == 1 && API_TOKEN_USER_NPARAMS == 1,
                   "both lookups take the token's hash alone");
    const char *tok = session_bearer(req);
    if (tok) {
        hc->api = true;
        if (!secret_is_b64url(tok, API_TOKEN_CHARS)) {
            refuse_token(req, true);
            return;
        }
        session_token_hash(srv, "api-token", tok, hc->hash_param);
        http_db(req, &sql_api_token_user, p, NULL, head_user_found);
        return;
    }
    tok = session_cookie(req);
    if (!tok || !secret_is_b64url(tok, 43)) {
        session_redirect(req, "/admin/login");
        return;
    }
    if (posting && !http_same_origin(req, false)) {
        /* the CSRF token is in the body, but a post from another origin fails its check anyway */
        http_respond_error(req, 403, "missing or wrong CSRF token");
        return;
    }
    session_token_hash(srv, "session", tok, hc->hash_param);
    http_db(req, &sql_session_user, p, NULL, head_user_found);
}

bool admin_head_user(struct http_request *req, bool api, const char *hash_param,
                     struct admin_user *out)
{
    const struct head_check *hc = req->head_state;
    if (!hc || !hc->verified || hc->api != api || strcmp(hc->hash_param, hash_param) != 0)
        return false;
    *out = hc->user;
    return true;
}
