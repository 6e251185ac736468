/* Accounts: every administrator's own API tokens for itactl (/admin/tokens: created here and
 * shown once, revoked here; the database keeps only their HMAC), and, for system administrators,
 * the administrator accounts (/admin/users: create a system or agency administrator with a
 * generated password shown once — argon2id on the CPU pool — and disable one, which ends its
 * sessions and tokens at once). Every change is written to audit_log. The HTML is in
 * accounts_view.c; every database answer comes back to step(). */
#include "admin_setup.h"
#include "admin_handlers.h"
#include "admin_sql.h"
#include "accounts_view.h"
#include "db/db_row.h"
#include "log.h"
#include "app/page_frame.h"
#include "app/req_job.h"
#include "secret.h"
#include "server.h"
#include "xalloc.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Revoking a token and disabling an account take the same parameters and answer alike. */
_Static_assert((int)TOKEN_REVOKE_P_ID == (int)USER_DISABLE_P_USER &&
                   (int)TOKEN_REVOKE_P_USER == (int)USER_DISABLE_P_ADMIN &&
                   (int)TOKEN_REVOKE_NPARAMS == (int)USER_DISABLE_NPARAMS &&
                   (int)TOKEN_REVOKE_COUNT == (int)USER_DISABLE_COUNT,
               "token_revoke and user_disable are run alike");

/* Switching off one row the administrator names by id: a token of one's own, or an account. */
struct switch_off {
    const struct db_statement *stmt; /* $1 id, $2 the administrator → count */
    const char *bad_id;              /* the 404 message for a malformed id */
    const char *not_found;           /* the 404 message when nothing was switched off */
    const char *json_key;            /* {"<json_key>": true} for API tokens */
    const char *back;                /* the page browsers are sent back to */
};

static const struct switch_off TOKEN_REVOKE = {&sql_token_revoke, "ไม่พบโทเค็นนี้ในบัญชีของท่าน",
                                               "ไม่พบโทเค็นนี้ในบัญชีของท่าน", "revoked", "/admin/tokens"};
static const struct switch_off USER_DISABLE = {
    &sql_user_disable, "ไม่พบบัญชีนี้", "ไม่พบบัญชีนี้ (หรือเป็นบัญชีของท่านเอง)", "disabled", "/admin/users"};

/* A request of these pages (request arena, in setup's page). */
struct accounts {
    enum {
        ACC_TOKENS_LIST,  /* → the tokens page */
        ACC_TOKEN_CREATE, /* → the tokens page with the new token */
        ACC_SWITCH_OFF,   /* → back to the list */
        ACC_USERS_LIST,   /* → the accounts page */
        ACC_USER_CREATE,  /* → the accounts page with the new account */
    } state;
    const char *fresh_token;            /* a token just created, shown once */
    struct accounts_new_user *new_user; /* an account just created, shown once */
    char password[32];                  /* its password */
    const struct switch_off *off;
    char uid[16]; /* the signed-in administrator's id */
};

static struct accounts *accounts_new(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u, NULL, 0); /* its own callback, not setup_run */
    struct accounts *a = arena_alloc(&req->arena, sizeof *a);
    memset(a, 0, sizeof *a);
    snprintf(a->uid, sizeof a->uid, "%d", u->id);
    s->page = a;
    return a;
}

static bool only_system(struct http_request *req, struct setup *s)
{
    if (s->u->system)
        return true;
    setup_fail(req, s, 403, "เฉพาะผู้ดูแลระบบเท่านั้นที่จัดการบัญชีผู้ดูแลได้");
    return false;
}

static void step(struct http_request *req, const struct db_result *r);

static void run(struct http_request *req, struct accounts *a, int state,
                const struct db_statement *stmt, const char *const *params)
{
    a->state = state;
    http_db(req, stmt, params, NULL, step);
}

static void list_tokens(struct http_request *req, struct accounts *a)
{
    const char *p[TOKENS_LIST_NPARAMS];
    p[TOKENS_LIST_P_USER] = a->uid;
    run(req, a, ACC_TOKENS_LIST, &sql_tokens_list, p);
}

static void list_users(struct http_request *req, struct accounts *a)
{
    run(req, a, ACC_USERS_LIST, &sql_users_list, NULL);
}

/* ---- pages ---- */

/* A listed column in JSON: its key, column and kind (integer, text or boolean). */
struct json_col {
    const char *key;
    int col;
    enum { J_INT, J_TEXT, J_BOOL } kind;
};

static const struct json_col TOKEN_JSON[] = {
    {"id", TOKENS_LIST_ID, J_INT},
    {"name", TOKENS_LIST_NAME, J_TEXT},
    {"created", TOKENS_LIST_CREATED, J_TEXT},
    {"revoked", TOKENS_LIST_REVOKED, J_BOOL},
    {"last_used", TOKENS_LIST_LAST_USED, J_TEXT},
};
static const struct json_col USER_JSON[] = {
    {"id", USERS_LIST_ID, J_INT},
    {"email", USERS_LIST_EMAIL, J_TEXT},
    {"role", USERS_LIST_ROLE, J_TEXT},
    {"agency_code", USERS_LIST_AGENCY_CODE, J_TEXT},
    {"disabled", USERS_LIST_DISABLED, J_BOOL},
    {"locked", USERS_LIST_LOCKED, J_BOOL},
};

/* {"<name>": [one object per row, keys in the order of cols]} */
static json_t *rows_json(const PGresult *res, const char *name, const struct json_col *cols,
                         size_t ncols)
{
    json_t *arr = json_array();
    for (int i = 0; i < PQntuples(res); i++) {
        json_t *o = json_object();
        for (size_t c = 0; c < ncols; c++) {
            int col = cols[c].col;
            json_object_set_new(o, cols[c].key,
                                cols[c].kind == J_INT    ? json_integer(db_int(res, i, col))
                                : cols[c].kind == J_BOOL ? json_boolean(db_bool(res, i, col))
                                                         : json_string(db_text(res, i, col)));
        }
        json_array_append_new(arr, o);
    }
    return json_pack("{s:o}", name, arr);
}

/* The tokens page (ACC_TOKENS_LIST) or the accounts page (ACC_USERS_LIST): JSON for API tokens. */
static void list_page(struct http_request *req, struct setup *s, const struct accounts *a,
                      const PGresult *res)
{
    bool users = a->state == ACC_USERS_LIST;
    if (s->u->api) {
        setup_send_json(
            req, 200,
            users ? rows_json(res, "users", USER_JSON, sizeof USER_JSON / sizeof *USER_JSON)
                  : rows_json(res, "tokens", TOKEN_JSON, sizeof TOKEN_JSON / sizeof *TOKEN_JSON));
        return;
    }
    char csrf[40];
    admin_csrf_token(req, s->u, csrf);
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, users ? "บัญชีผู้ดูแล" : "โทเค็นสำหรับ itactl");
    if (users)
        accounts_view_users(&p, csrf, a->new_user, s->u->id, res);
    else
        accounts_view_tokens(&p, csrf, a->fresh_token, res);
    page_frame_finish(&p);
    admin_send_page(req, 200, &p);
}

/* ---- the database's answers ---- */

static bool user_create_refused(struct http_request *req, struct setup *s,
                                const struct db_result *r)
{
    if (r->sqlstate && !strcmp(r->sqlstate, "23505")) {
        setup_fail(req, s, 409, "มีบัญชีที่ใช้อีเมลนี้อยู่แล้ว");
        return true;
    }
    if (r->sqlstate && !strcmp(r->sqlstate, "23514")) {
        setup_fail(req, s, 400, "อีเมลไม่ถูกต้อง");
        return true;
    }
    return false;
}

static void step(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    struct accounts *a = s->page;
    if (!r->ok) {
        if (a->state != ACC_USER_CREATE || !user_create_refused(req, s, r))
            setup_db_failed(req, s, r);
        return;
    }
    switch (a->state) {
    case ACC_TOKENS_LIST:
    case ACC_USERS_LIST:
        list_page(req, s, a, r->res);
        return;
    case ACC_TOKEN_CREATE:
        log_info("event=api_token_created w=%d admin=%d token=%s", req->worker->id, s->u->id,
                 db_text(r->res, 0, TOKEN_CREATE_ID));
        if (s->u->api) {
            setup_send_json(req, 201,
                            json_pack("{s:I, s:s}", "id", db_int(r->res, 0, TOKEN_CREATE_ID),
                                      "token", a->fresh_token));
            return;
        }
        list_tokens(req, a); /* the list, with the new token shown once on top */
        return;
    case ACC_SWITCH_OFF:
        if (db_int(r->res, 0, TOKEN_REVOKE_COUNT) != 1) {
            setup_fail(req, s, 404, a->off->not_found);
            return;
        }
        if (s->u->api) {
            setup_send_json(req, 200, json_pack("{s:b}", a->off->json_key, 1));
            return;
        }
        setup_redirect(req, a->off->back);
        return;
    case ACC_USER_CREATE:
        if (PQntuples(r->res) != 1) {
            setup_fail(req, s, 422, "ไม่พบหน่วยงานรหัสนี้");
            return;
        }
        log_info("event=admin_created w=%d admin=%d user=%s", req->worker->id, s->u->id,
                 db_text(r->res, 0, USER_CREATE_ID));
        if (s->u->api) {
            setup_send_json(req, 201,
                            json_pack("{s:I, s:s, s:s}", "id", db_int(r->res, 0, USER_CREATE_ID),
                                      "email", a->new_user->email, "password",
                                      a->new_user->password));
            return;
        }
        list_users(req, a);
        return;
    }
    abort();
}

/* Switches off the row whose id the form names (k: a token of one's own, or an account). */
static void switch_off(struct http_request *req, struct setup *s, struct accounts *a,
                       const struct switch_off *k)
{
    const char *id = setup_param(req, s, "id");
    if (!setup_digits(id, 9)) {
        setup_fail(req, s, 404, k->bad_id);
        return;
    }
    a->off = k;
    const char *p[TOKEN_REVOKE_NPARAMS];
    p[TOKEN_REVOKE_P_ID] = id;
    p[TOKEN_REVOKE_P_USER] = a->uid;
    run(req, a, ACC_SWITCH_OFF, k->stmt, p);
}

/* ---- API tokens ---- */

void admin_tokens(struct http_request *req, const struct admin_user *u)
{
    list_tokens(req, accounts_new(req, u));
}

void admin_tokens_new(struct http_request *req, const struct admin_user *u)
{
    struct accounts *a = accounts_new(req, u);
    struct setup *s = req->handler_state;
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
    char hex[2 + 2 * TOKEN_HASH_BYTES + 1] = "\\x";
    secret_hex(h, TOKEN_HASH_BYTES, hex + 2);
    a->fresh_token = token;
    const char *p[TOKEN_CREATE_NPARAMS];
    p[TOKEN_CREATE_P_HASH] = hex;
    p[TOKEN_CREATE_P_USER] = a->uid;
    p[TOKEN_CREATE_P_NAME] = name;
    run(req, a, ACC_TOKEN_CREATE, &sql_token_create, p);
}

void admin_tokens_revoke(struct http_request *req, const struct admin_user *u)
{
    struct accounts *a = accounts_new(req, u);
    switch_off(req, req->handler_state, a, &TOKEN_REVOKE);
}

/* ---- administrator accounts (system administrators only) ---- */

void admin_users(struct http_request *req, const struct admin_user *u)
{
    struct accounts *a = accounts_new(req, u);
    if (only_system(req, req->handler_state))
        list_users(req, a);
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
    h->rc =
        crypto_pwhash_str(h->hash, h->password, strlen(h->password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

static void pw_hashed(struct http_request *req, void *data)
{
    struct pw_hash *h = data;
    struct setup *s = req->handler_state;
    struct accounts *a = s->page;
    if (h->rc != 0) {
        http_respond_unavailable(req, "out of memory for password hashing");
        return;
    }
    const char *code = setup_param(req, s, "agency_code");
    const char *p[USER_CREATE_NPARAMS];
    p[USER_CREATE_P_EMAIL] = a->new_user->email;
    p[USER_CREATE_P_AGENCY_CODE] = code ? code : "";
    p[USER_CREATE_P_PASSWORD_HASH] = h->hash;
    p[USER_CREATE_P_ADMIN] = a->uid;
    run(req, a, ACC_USER_CREATE, &sql_user_create, p);
}

void admin_users_new(struct http_request *req, const struct admin_user *u)
{
    struct accounts *a = accounts_new(req, u);
    struct setup *s = req->handler_state;
    if (!only_system(req, s))
        return;
    const char *email = setup_param(req, s, "email");
    size_t n = email ? strlen(email) : 0;
    const char *at = email ? strchr(email, '@') : NULL;
    if (n < 3 || n > 200 || !at || at == email || !at[1] || strpbrk(email, " \t\r\n")) {
        setup_fail(req, s, 400, "กรุณากรอกอีเมลให้ถูกต้อง เช่น planning@example.go.th");
        return;
    }
    struct accounts_new_user *nu = arena_alloc(&req->arena, sizeof *nu);
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
    memcpy(a->password, h->password, sizeof a->password);
    nu->password = a->password;
    a->new_user = nu;
    req_job_start(req, h, pw_hash_work, pw_hashed, pw_hash_free);
}

void admin_users_disable(struct http_request *req, const struct admin_user *u)
{
    struct accounts *a = accounts_new(req, u);
    if (only_system(req, req->handler_state))
        switch_off(req, req->handler_state, a, &USER_DISABLE);
}
