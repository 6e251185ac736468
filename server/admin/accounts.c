/* Accounts: every administrator's own API tokens for itactl (/admin/tokens: created here and
 * shown once, revoked here; the database keeps only their HMAC), and, for system administrators,
 * the administrator accounts (/admin/users: create a system or agency administrator with a
 * generated password shown once — argon2id on the CPU pool — and disable one, which ends its
 * sessions and tokens at once). Every change is written to audit_log. */
#include "admin_setup.h"
#include "admin_handlers.h"
#include "admin_sql.h"
#include "log.h"
#include "survey/pages.h"
#include "app/req_job.h"
#include "secret.h"
#include "server.h"
#include "xalloc.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- API tokens ---- */

static void tokens_listed(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    int n = PQntuples(r->res);
    if (s->u->api) {
        json_t *arr = json_array();
        for (int i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:b, s:s}", "id",
                                                 atoll(PQgetvalue(r->res, i, 0)), "name",
                                                 PQgetvalue(r->res, i, 1), "created",
                                                 PQgetvalue(r->res, i, 2), "revoked",
                                                 PQgetvalue(r->res, i, 3)[0] == 't', "last_used",
                                                 PQgetvalue(r->res, i, 4)));
        setup_send_json(req, 200, json_pack("{s:o}", "tokens", arr));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "โทเค็นสำหรับ itactl");
    const char *fresh = s->page;
    if (fresh) {
        strbuf_puts(&p, "<section class=\"ok\" role=\"status\"><h2>โทเค็นใหม่ (แสดงครั้งเดียว)</h2>"
                        "<p>คัดลอกไปเก็บในไฟล์ที่มีแต่ท่านอ่านได้ แล้วใช้กับ itactl --token-file ไฟล์นั้น "
                        "ระบบเก็บเฉพาะค่าแฮช จึงแสดงซ้ำไม่ได้</p><p><code id=\"new-token\">");
        strbuf_html_escape(&p, fresh);
        strbuf_puts(&p, "</code></p></section>\n");
    }
    strbuf_puts(&p, "<form method=\"post\" action=\"/admin/tokens/new\" id=\"token-form\">");
    setup_csrf_field(&p, req, s);
    strbuf_puts(&p, "<p><label for=\"token-name\">ชื่อโทเค็น (เช่น เครื่องของฝ่ายแผน)</label>"
                    "<input id=\"token-name\" name=\"name\" required maxlength=\"100\"></p>"
                    "<button type=\"submit\">สร้างโทเค็น</button></form>\n"
                    "<table id=\"tokens\"><thead><tr><th>ชื่อ</th><th>สร้างเมื่อ</th><th>ใช้ล่าสุด</th>"
                    "<th>สถานะ</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        strbuf_puts(&p, "<tr><td>");
        strbuf_html_escape(&p, PQgetvalue(r->res, i, 1));
        strbuf_printf(&p, "</td><td>%s</td><td>%s</td><td>", PQgetvalue(r->res, i, 2),
                      PQgetvalue(r->res, i, 4)[0] ? PQgetvalue(r->res, i, 4) : "-");
        if (PQgetvalue(r->res, i, 3)[0] == 't') {
            strbuf_puts(&p, "ยกเลิกแล้ว");
        } else {
            strbuf_puts(&p, "<form method=\"post\" action=\"/admin/tokens/revoke\" class=\"inline\">");
            setup_csrf_field(&p, req, s);
            strbuf_printf(&p, "<input type=\"hidden\" name=\"id\" value=\"%s\">"
                              "<button type=\"submit\">ยกเลิก</button></form>",
                          PQgetvalue(r->res, i, 0));
        }
        strbuf_puts(&p, "</td></tr>\n");
    }
    strbuf_puts(&p, "</tbody></table>\n");
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void tokens_list(struct http_request *req, struct setup *s)
{
    char uid[16];
    snprintf(uid, sizeof uid, "%d", s->u->id);
    const char *p[1] = {uid};
    http_db(req, &sql_tokens_list, p, NULL, tokens_listed);
}

void admin_tokens(struct http_request *req, const struct admin_user *u)
{
    tokens_list(req, setup_new(req, u));
}

static void token_created(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    log_info("event=api_token_created w=%d admin=%d token=%s", req->worker->id, s->u->id,
             PQgetvalue(r->res, 0, 0));
    if (s->u->api) {
        setup_send_json(req, 201, json_pack("{s:I, s:s}", "id", atoll(PQgetvalue(r->res, 0, 0)),
                                            "token", (const char *)s->page));
        return;
    }
    tokens_list(req, s); /* the list, with the new token shown once on top */
}

void admin_tokens_new(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u);
    const char *name = setup_param(req, s, "name");
    if (!name || !*name || strlen(name) > 300) {
        setup_fail(req, s, 400, "กรุณาตั้งชื่อโทเค็น (ไม่เกิน 100 ตัวอักษร) เพื่อให้จำได้ว่าใช้ที่ใด");
        return;
    }
    char *token = arena_alloc(&req->arena, API_TOKEN_CHARS + 2);
    if (!secret_random_b64url(32, token)) {
        http_respond_unavailable(req, "no random bytes");
        return;
    }
    unsigned char h[TOKEN_HASH_BYTES];
    secret_hmac(&req->worker->srv->secret, "api-token", token, strlen(token), h);
    char hex[2 + 2 * TOKEN_HASH_BYTES + 1] = "\\x", uid[16];
    secret_hex(h, TOKEN_HASH_BYTES, hex + 2);
    snprintf(uid, sizeof uid, "%d", u->id);
    s->page = token;
    const char *p[3] = {hex, uid, name};
    http_db(req, &sql_token_create, p, NULL, token_created);
}

static void token_revoked(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    if (atol(PQgetvalue(r->res, 0, 0)) != 1) {
        setup_fail(req, s, 404, "ไม่พบโทเค็นนี้ในบัญชีของท่าน");
        return;
    }
    if (s->u->api) {
        setup_send_json(req, 200, json_pack("{s:b}", "revoked", 1));
        return;
    }
    setup_redirect(req, "/admin/tokens");
}

void admin_tokens_revoke(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u);
    const char *id = setup_param(req, s, "id");
    if (!setup_digits(id, 9)) {
        setup_fail(req, s, 404, "ไม่พบโทเค็นนี้ในบัญชีของท่าน");
        return;
    }
    char uid[16];
    snprintf(uid, sizeof uid, "%d", u->id);
    const char *p[2] = {id, uid};
    http_db(req, &sql_token_revoke, p, NULL, token_revoked);
}

/* ---- administrator accounts (system administrators only) ---- */

/* A new account: what the page shows once (request arena). */
struct new_user {
    const char *email;
    char password[32];
};

static bool only_system(struct http_request *req, struct setup *s)
{
    if (s->u->system)
        return true;
    setup_fail(req, s, 403, "เฉพาะผู้ดูแลระบบเท่านั้นที่จัดการบัญชีผู้ดูแลได้");
    return false;
}

static void users_listed(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    int n = PQntuples(r->res);
    if (s->u->api) {
        json_t *arr = json_array();
        for (int i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:b, s:b}", "id",
                                                 atoll(PQgetvalue(r->res, i, 0)), "email",
                                                 PQgetvalue(r->res, i, 1), "role",
                                                 PQgetvalue(r->res, i, 2), "agency_code",
                                                 PQgetvalue(r->res, i, 3), "disabled",
                                                 PQgetvalue(r->res, i, 5)[0] == 't', "locked",
                                                 PQgetvalue(r->res, i, 6)[0] == 't'));
        setup_send_json(req, 200, json_pack("{s:o}", "users", arr));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "บัญชีผู้ดูแล");
    const struct new_user *nu = s->page;
    if (nu) {
        strbuf_puts(&p, "<section class=\"ok\" role=\"status\"><h2>สร้างบัญชีแล้ว</h2><p>อีเมล <strong>");
        strbuf_html_escape(&p, nu->email);
        strbuf_puts(&p, "</strong> รหัสผ่าน (แสดงครั้งเดียว ส่งให้เจ้าของบัญชีทางช่องทางที่ปลอดภัย): "
                        "<code id=\"new-password\">");
        strbuf_html_escape(&p, nu->password);
        strbuf_puts(&p, "</code></p></section>\n");
    }
    strbuf_puts(&p, "<form method=\"post\" action=\"/admin/users/new\" id=\"user-form\">");
    setup_csrf_field(&p, req, s);
    strbuf_puts(&p, "<p><label for=\"user-email\">อีเมล</label><input type=\"email\" id=\"user-email\" "
                    "name=\"email\" required maxlength=\"200\"></p>"
                    "<p><label for=\"user-agency\">รหัสหน่วยงาน (ผู้ดูแลหน่วยงาน) "
                    "เว้นว่างเพื่อสร้างผู้ดูแลระบบ</label><input id=\"user-agency\" name=\"agency_code\" "
                    "maxlength=\"64\"></p><button type=\"submit\">สร้างบัญชี</button></form>\n"
                    "<table id=\"users\"><thead><tr><th>อีเมล</th><th>บทบาท</th><th>หน่วยงาน</th>"
                    "<th>สถานะ</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        strbuf_puts(&p, "<tr><td>");
        strbuf_html_escape(&p, PQgetvalue(r->res, i, 1));
        strbuf_printf(&p, "</td><td>%s</td><td>",
                      strcmp(PQgetvalue(r->res, i, 2), "system") ? "ผู้ดูแลหน่วยงาน" : "ผู้ดูแลระบบ");
        strbuf_html_escape(&p, PQgetvalue(r->res, i, 4));
        strbuf_puts(&p, "</td><td>");
        if (PQgetvalue(r->res, i, 5)[0] == 't') {
            strbuf_puts(&p, "ปิดใช้งานแล้ว");
        } else {
            if (PQgetvalue(r->res, i, 6)[0] == 't')
                strbuf_puts(&p, "ถูกล็อกชั่วคราว ");
            if (atoi(PQgetvalue(r->res, i, 0)) != s->u->id) {
                strbuf_puts(&p, "<form method=\"post\" action=\"/admin/users/disable\" class=\"inline\">");
                setup_csrf_field(&p, req, s);
                strbuf_printf(&p, "<input type=\"hidden\" name=\"id\" value=\"%s\">"
                                  "<button type=\"submit\">ปิดใช้งาน</button></form>",
                              PQgetvalue(r->res, i, 0));
            } else {
                strbuf_puts(&p, "บัญชีของท่าน");
            }
        }
        strbuf_puts(&p, "</td></tr>\n");
    }
    strbuf_puts(&p, "</tbody></table>\n");
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void users_list(struct http_request *req, struct setup *s)
{
    http_db(req, &sql_users_list, NULL, NULL, users_listed);
}

void admin_users(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u);
    if (only_system(req, s))
        users_list(req, s);
}

/* Hashing the new password on the CPU pool. */
struct pw_hash {
    char password[32];
    char hash[crypto_pwhash_STRBYTES];
    int rc;
};

static void pw_hash_free(void *data)
{
    sodium_memzero(data, sizeof(struct pw_hash));
    free(data);
}

static void pw_hash_work(void *data)
{
    struct pw_hash *h = data;
    h->rc = crypto_pwhash_str(h->hash, h->password, strlen(h->password),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

static void user_created(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    struct new_user *nu = s->page;
    if (!r->ok) {
        if (r->sqlstate && !strcmp(r->sqlstate, "23505")) {
            setup_fail(req, s, 409, "มีบัญชีที่ใช้อีเมลนี้อยู่แล้ว");
            return;
        }
        if (r->sqlstate && !strcmp(r->sqlstate, "23514")) {
            setup_fail(req, s, 400, "อีเมลไม่ถูกต้อง");
            return;
        }
        setup_db_failed(req, s, r);
        return;
    }
    if (PQntuples(r->res) != 1) {
        setup_fail(req, s, 422, "ไม่พบหน่วยงานรหัสนี้");
        return;
    }
    log_info("event=admin_created w=%d admin=%d user=%s", req->worker->id, s->u->id,
             PQgetvalue(r->res, 0, 0));
    if (s->u->api) {
        setup_send_json(req, 201, json_pack("{s:I, s:s, s:s}", "id", atoll(PQgetvalue(r->res, 0, 0)),
                                            "email", nu->email, "password", nu->password));
        return;
    }
    users_list(req, s);
}

static void pw_hashed(struct http_request *req, void *data)
{
    struct pw_hash *h = data;
    struct setup *s = req->handler_state;
    struct new_user *nu = s->page;
    if (h->rc != 0) {
        http_respond_unavailable(req, "out of memory for password hashing");
        return;
    }
    char uid[16];
    snprintf(uid, sizeof uid, "%d", s->u->id);
    const char *code = setup_param(req, s, "agency_code");
    const char *p[4] = {nu->email, code ? code : "", h->hash, uid};
    http_db(req, &sql_user_create, p, NULL, user_created);
}

void admin_users_new(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u);
    if (!only_system(req, s))
        return;
    const char *email = setup_param(req, s, "email");
    size_t n = email ? strlen(email) : 0;
    const char *at = email ? strchr(email, '@') : NULL;
    if (n < 3 || n > 200 || !at || at == email || !at[1] || strpbrk(email, " \t\r\n")) {
        setup_fail(req, s, 400, "กรุณากรอกอีเมลให้ถูกต้อง เช่น planning@example.go.th");
        return;
    }
    struct new_user *nu = arena_alloc(&req->arena, sizeof *nu);
    char *lower = arena_strndup(&req->arena, email, n);
    for (char *c = lower; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    nu->email = lower;
    struct pw_hash *h = xcalloc(1, sizeof *h);
    if (!secret_random_b64url(15, h->password)) {
        free(h);
        http_respond_unavailable(req, "no random bytes");
        return;
    }
    memcpy(nu->password, h->password, sizeof nu->password);
    s->page = nu;
    req_job_start(req, h, pw_hash_work, pw_hashed, pw_hash_free);
}

static void user_disabled(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    if (atol(PQgetvalue(r->res, 0, 0)) != 1) {
        setup_fail(req, s, 404, "ไม่พบบัญชีนี้ (หรือเป็นบัญชีของท่านเอง)");
        return;
    }
    if (s->u->api) {
        setup_send_json(req, 200, json_pack("{s:b}", "disabled", 1));
        return;
    }
    setup_redirect(req, "/admin/users");
}

void admin_users_disable(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u);
    if (!only_system(req, s))
        return;
    const char *id = setup_param(req, s, "id");
    if (!setup_digits(id, 9)) {
        setup_fail(req, s, 404, "ไม่พบบัญชีนี้");
        return;
    }
    char uid[16];
    snprintf(uid, sizeof uid, "%d", u->id);
    const char *p[2] = {id, uid};
    http_db(req, &sql_user_disable, p, NULL, user_disabled);
}

