/* Administrator sessions: who is signed in (an HttpOnly/Secure/SameSite=Strict cookie holding a
 * random token, or an API token for itactl; the database keeps only their HMAC), CSRF tokens
 * derived from the session, the posted form and upload, query helpers, JSON answers and the page
 * frame every administrator page uses. The login page and password check are in signin.c. */
#include "admin_session.h"
#include "admin_sql.h"
#include "session_internal.h"
#include "session_head.h"
#include "db/db_row.h"
#include "log.h"
#include "app/page_frame.h"
#include "secret.h"
#include "server.h"
#include "strbuf.h"

#include <event2/buffer.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

_Static_assert((int)SESSION_USER_NCOLS == (int)API_TOKEN_USER_NCOLS &&
                   (int)SESSION_USER_EMAIL == (int)API_TOKEN_USER_EMAIL &&
                   (int)SESSION_USER_ROLE == (int)API_TOKEN_USER_ROLE &&
                   (int)SESSION_USER_AGENCY_NAME == (int)API_TOKEN_USER_AGENCY_NAME &&
                   (int)SESSION_USER_AGENCY_ID == (int)API_TOKEN_USER_AGENCY_ID,
               "session_user and api_token_user are read alike");

/* The state of a signed-in request while its handler runs (req->handler_state). */
struct admin_req {
    admin_then then;                        /* what to do once the administrator is known */
    struct admin_user user;                 /* the signed-in administrator */
    const struct form_data *form;           /* the posted form, CSRF-checked */
    const struct multipart_data *multipart; /* the same when posted as multipart, else NULL */
    char session_token[64];                 /* the cookie's token ("" for API tokens) */
    char hash_param[SESSION_HASH_PARAM_SIZE];
    bool api; /* API token instead of a session cookie */
};

static struct admin_req *admin_of(struct http_request *req)
{
    return req->handler_state;
}

void session_token_hash(const struct server *srv, const char *label, const char *token,
                        char out[SESSION_HASH_PARAM_SIZE])
{
    unsigned char h[TOKEN_HASH_BYTES];
    secret_hmac(&srv->secret, label, token, strlen(token), h);
    memcpy(out, "\\x", 2);
    secret_hex(h, TOKEN_HASH_BYTES, out + 2);
}

const char *session_hash_param(struct http_request *req)
{
    return admin_of(req)->hash_param;
}

void session_redirect(struct http_request *req, const char *to)
{
    http_add_header(req, "Location", to);
    http_respond(req, 303, "text/plain; charset=utf-8", "", 0);
}

const struct form_data *session_read_form(struct http_request *req)
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

const char *session_cookie(struct http_request *req)
{
    return cookie(req, SESSION_COOKIE);
}

const char *session_bearer(struct http_request *req)
{
    return bearer(req);
}

static bool is_form_body(struct http_request *req)
{
    const struct http_header *h = http_head_find(&req->head, "content-type");
    return h && h->value_len >= 33 &&
           strncasecmp(h->value, "application/x-www-form-urlencoded", 33) == 0;
}

/* The per-session CSRF token: HMAC of the session token, never stored. */
static void csrf_of(const struct server *srv, const char *session, char out[40])
{
    unsigned char h[TOKEN_HASH_BYTES];
    secret_hmac(&srv->secret, "csrf", session, strlen(session), h);
    secret_hex(h, 16, out);
}

/* ---- what handlers use ---- */

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

const char *admin_query_typed(struct http_request *req, const char *name)
{
    const char *v = admin_query_str(req, name);
    if (!v)
        return "";
    while (*v == ' ')
        v++;
    size_t n = strlen(v);
    while (n > 0 && v[n - 1] == ' ')
        n--;
    return arena_strndup(&req->arena, v, n);
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

bool admin_is_api(struct http_request *req)
{
    const char *b = bearer(req);
    return b && *b;
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

void admin_send_page(struct http_request *req, int status, struct strbuf *page)
{
    http_add_header(req, "Content-Security-Policy", page_frame_csp());
    http_add_header(req, "Referrer-Policy", "same-origin");
    http_respond(req, status, "text/html; charset=utf-8", page->data, page->len);
    strbuf_free(page);
}

void admin_page_begin(struct strbuf *p, struct http_request *req, const struct admin_user *u,
                      const char *title)
{
    char csrf[40];
    admin_csrf_token(req, u, csrf);
    page_frame_begin(p, title);
    strbuf_puts(p, "<nav><p id=\"who\">เข้าสู่ระบบในชื่อ <strong>");
    strbuf_html_escape(p, u->email);
    strbuf_puts(p, "</strong> (");
    strbuf_puts(p, u->system ? "ผู้ดูแลระบบ ทุกหน่วยงาน" : "ผู้ดูแลหน่วยงาน ");
    if (!u->system)
        strbuf_html_escape(p, u->agency_name);
    strbuf_printf(p,
                  ") · <a href=\"/admin/\">หน้าแรก</a> · <a href=\"/admin/agencies\">หน่วยงาน</a>%s"
                  "</p><form method=\"post\" action=\"/admin/logout\" id=\"logout\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                  "<button type=\"submit\">ออกจากระบบ</button></form></nav>\n",
                  u->system ? " · <a href=\"/admin/instruments\">แบบวัด</a>" : "", csrf);
}

void admin_page_unverified(struct strbuf *p, const struct admin_user *u, int fiscal_year, long n)
{
    if (n <= 0)
        return;
    strbuf_printf(p,
                  "<p class=\"nc\" id=\"unverified-notice\">ข้อมูลแบบวัดปี %d บางรายการ (%ld รายการ) "
                  "ยังไม่ได้ยืนยันกับคู่มือของสำนักงาน ป.ป.ช. เช่น ข้อความคำถามหรือคะแนนของแต่ละระดับ "
                  "คะแนนที่คำนวณได้จึงอาจเปลี่ยนเมื่อแก้ไขให้ตรงกับคู่มือ ",
                  fiscal_year, n);
    if (u->system)
        strbuf_printf(p,
                      "ดูรายการและวิธีแก้ไขได้ที่ <a href=\"/admin/instruments#fy-%d\">"
                      "หน้าแบบวัดแต่ละปีงบประมาณ</a></p>\n",
                      fiscal_year);
    else
        strbuf_puts(p, "ผู้ดูแลระบบตรวจสอบและแก้ไขได้ที่หน้าแบบวัดแต่ละปีงบประมาณ</p>\n");
}

/* ---- sign-in of every administrator request ---- */

void session_user_read(struct http_request *req, const PGresult *res, struct admin_user *u)
{
    u->id = (int)db_int(res, 0, SESSION_USER_ID);
    u->email = arena_strndup(&req->arena, db_text(res, 0, SESSION_USER_EMAIL),
                             (size_t)db_len(res, 0, SESSION_USER_EMAIL));
    u->system = strcmp(db_text(res, 0, SESSION_USER_ROLE), "system") == 0;
    u->agency_name = arena_strndup(&req->arena, db_text(res, 0, SESSION_USER_AGENCY_NAME),
                                   (size_t)db_len(res, 0, SESSION_USER_AGENCY_NAME));
    u->agency_id =
        db_null(res, 0, SESSION_USER_AGENCY_ID) ? 0 : (int)db_int(res, 0, SESSION_USER_AGENCY_ID);
}

static void user_found(struct http_request *req, const struct db_result *r)
{
    struct admin_req *ad = admin_of(req);
    if (http_db_failed(req, r))
        return;
    if (PQntuples(r->res) != 1) {
        if (ad->api) {
            http_add_header(req, "WWW-Authenticate", "Bearer realm=\"ita\"");
            admin_send_json_error(req, 401, SESSION_API_TOKEN_UNKNOWN);
        } else {
            session_redirect(req, "/admin/login");
        }
        return;
    }
    struct admin_user *u = &ad->user;
    session_user_read(req, r->res, u);
    u->session_token = ad->session_token;
    u->api = ad->api;
    ad->then(req, u);
}

/* Looks the administrator up with statement st, unless the check of the request's head
 * (session_head.c) found them already with the same token. */
static void lookup_user(struct http_request *req, struct admin_req *ad,
                        const struct db_statement *st)
{
    if (admin_head_user(req, ad->api, ad->hash_param, &ad->user)) {
        ad->user.session_token = ad->session_token;
        ad->user.api = ad->api;
        ad->then(req, &ad->user);
        return;
    }
    const char *p[] = {ad->hash_param};
    http_db(req, st, p, NULL, user_found);
}

/* The request's state, looking up the administrator by the HMAC of token under label. */
static struct admin_req *admin_req_new(struct http_request *req, admin_then then, const char *label,
                                       const char *token)
{
    struct admin_req *ad = arena_alloc(&req->arena, sizeof *ad);
    *ad = (struct admin_req){.then = then};
    session_token_hash(req->worker->srv, label, token, ad->hash_param);
    req->handler_state = ad;
    return ad;
}

/* An API request: the token must be an issued, unrevoked API token of an enabled user. */
static void with_api_token(struct http_request *req, const char *tok, bool posting, admin_then then)
{
    if (!secret_is_b64url(tok, API_TOKEN_CHARS)) {
        http_add_header(req, "WWW-Authenticate", "Bearer realm=\"ita\"");
        admin_send_json_error(req, 401, SESSION_API_TOKEN_MALFORMED);
        return;
    }
    struct admin_req *ad = admin_req_new(req, then, "api-token", tok);
    ad->api = true;
    if (posting && is_form_body(req)) {
        ad->form = session_read_form(req);
        if (!ad->form) {
            admin_send_json_error(req, 400, SESSION_FORM_MALFORMED);
            return;
        }
    }
    lookup_user(req, ad, &sql_api_token_user);
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
        session_redirect(req, "/admin/login");
        return;
    }
    struct admin_req *ad = admin_req_new(req, then, "session", tok);
    snprintf(ad->session_token, sizeof ad->session_token, "%s", tok);
    if (posting) {
        /* every administrator form: same-origin post carrying the session's CSRF token */
        ad->multipart = read_multipart(req);
        const struct form_data *f = ad->multipart ? &ad->multipart->fields : session_read_form(req);
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
    lookup_user(req, ad, &sql_session_user);
}
