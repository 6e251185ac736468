/* Accounts: every administrator's own API tokens for itactl (/admin/tokens: created here and
 * shown once, revoked here; the database keeps only their HMAC) and own password (/admin/password:
 * the current one and the new one twice; the other sessions end), and the administrator accounts
 * (/admin/users, paged and searched on the server): a system administrator manages every account,
 * an agency administrator the agency accounts of the own agency. Creating one (the role an
 * explicit choice; a generated password shown once), disabling one after a confirmation page (its
 * sessions and tokens end at once), enabling it again, unlocking one locked by failed sign-ins and
 * setting a new password after a confirmation page (shown once). Passwords are hashed and checked
 * with argon2id on the CPU pool, never on the event loop. Every change is written to audit_log.
 * The HTML is in accounts_view.c; every database answer comes back to step(). */
#include "admin_setup.h"
#include "admin_handlers.h"
#include "admin_sql.h"
#include "accounts_view.h"
#include "agency_list.h"
#include "app/list_view.h"
#include "session_internal.h"
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

#define MIN_PASSWORD_CHARS 10
#define NOT_FOUND "ไม่พบบัญชีนี้ในขอบเขตของท่าน (หรือเป็นบัญชีของท่านเอง)"

/* Switching an account (disable, enable, unlock): its statement, what the list then says, and
 * the JSON key of API answers. */
struct user_switch {
    const struct db_statement *stmt;
    const char *done;     /* ?done= of the list afterwards */
    const char *json_key; /* {"<json_key>": true} for API tokens */
    const char *not_done; /* 404 when nothing changed */
};

static const struct user_switch USER_DISABLE = {&sql_user_disable, "disabled", "disabled",
                                                NOT_FOUND " หรือปิดใช้งานอยู่แล้ว"};
static const struct user_switch USER_ENABLE = {&sql_user_enable, "enabled", "enabled",
                                               NOT_FOUND " หรือใช้งานอยู่แล้ว"};
static const struct user_switch USER_UNLOCK = {&sql_user_unlock, "unlocked", "unlocked",
                                               NOT_FOUND " หรือไม่ได้ถูกล็อกอยู่"};

/* What the list says after a switch (?done=). */
static const struct {
    const char *done, *text;
} DONE_TEXT[] = {
    {"disabled", "ปิดใช้งานบัญชีแล้ว เจ้าของบัญชีถูกออกจากระบบ"},
    {"enabled", "เปิดใช้งานบัญชีอีกครั้งแล้ว เจ้าของบัญชีเข้าสู่ระบบด้วยรหัสผ่านเดิมได้"},
    {"unlocked", "ปลดล็อกบัญชีแล้ว เจ้าของบัญชีเข้าสู่ระบบได้ทันที"},
};

/* A request of these pages (request arena, in setup's page). */
struct accounts {
    enum {
        ACC_TOKENS_LIST,  /* → the tokens page */
        ACC_TOKEN_CREATE, /* → the tokens page with the new token */
        ACC_TOKEN_REVOKE, /* → back to the tokens */
        ACC_USERS_LIST,   /* → the accounts page */
        ACC_USER_CREATE,  /* → the accounts page with the new account or why not */
        ACC_USER_SWITCH,  /* → back to the accounts */
        ACC_USER_CONFIRM, /* → the confirmation page of disabling or a new password */
        ACC_USER_RESET,   /* → the new password, shown once */
        ACC_OWN_HASH,     /* → check the current password on the CPU pool */
        ACC_OWN_FAILED,   /* → the password page: the current password was wrong */
        ACC_OWN_SET,      /* → the password page saying it is done */
    } state;
    const char *fresh_token;            /* a token just created, shown once */
    struct accounts_new_user *new_user; /* an account just created, shown once */
    char password[32];                  /* its password, or a reset one */
    const struct user_switch *sw;
    const char *role; /* of an account being created: "agency" or "system" */
    bool reset;       /* the confirmation page is of a new password (else of disabling) */
    int status;       /* of the accounts page */
    char uid[16];     /* the signed-in administrator's id */
    char pattern[2 * ACCOUNTS_SEARCH_MAX + 3], offset[16], limit[8];
    struct list_filter filters[4];      /* q, role, agency, state: kept in every link of the list */
    char keep[SESSION_HASH_PARAM_SIZE]; /* the session kept by a password change */
    struct accounts_users_view view;
};

static struct accounts *accounts_new(struct http_request *req, const struct admin_user *u)
{
    char keep[SESSION_HASH_PARAM_SIZE];
    snprintf(keep, sizeof keep, "%s", session_hash_param(req)); /* before setup_new replaces it */
    struct setup *s = setup_new(req, u, NULL, 0); /* its own callback, not setup_run */
    struct accounts *a = arena_alloc(&req->arena, sizeof *a);
    memset(a, 0, sizeof *a);
    snprintf(a->uid, sizeof a->uid, "%d", u->id);
    memcpy(a->keep, keep, sizeof keep);
    a->status = 200;
    s->page = a;
    return a;
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

static const char *const SORT_KEYS[] = ACCOUNTS_SORT_KEYS;

/* The list's state (search, filters, sort, page) into a->view, read from the query (from_query)
 * or, for the action pages that carry it, from the form with the query as fallback; a refused
 * value: its default, and view.list_error says why. */
static void read_list_state(struct http_request *req, struct setup *s, struct accounts *a,
                            bool from_query)
{
    struct accounts_users_view *v = &a->view;
#define PARAM(name) (from_query ? admin_query_str(req, name) : setup_param(req, s, name))
    const char *why = NULL;
    v->q = list_view_search(&req->arena, a->new_user ? a->new_user->email : PARAM("q"));
    const char *role = PARAM("role"), *agency = PARAM("agency"), *state = PARAM("state");
    v->role = v->agency = v->state = "";
    if (role && *role) {
        if (!strcmp(role, "system") || !strcmp(role, "agency"))
            v->role = role;
        else
            why = "ไม่รู้จักบทบาทที่เลือก กรุณาเลือกจากรายการ";
    }
    if (agency && *agency) {
        const char *code = list_view_search(&req->arena, agency);
        if (!*code || ita_agency_code_valid(code))
            v->agency = code;
        else
            why = "รหัสหน่วยงานไม่ถูกต้อง: ใช้ได้เฉพาะ A-Z a-z 0-9 . _ - (ไม่เกิน 64 ตัว)";
    }
    if (state && *state) {
        if (!strcmp(state, "active") || !strcmp(state, "disabled") || !strcmp(state, "locked"))
            v->state = state;
        else
            why = "ไม่รู้จักสถานะที่เลือก กรุณาเลือกจากรายการ";
    }
    if (!s->u->system) /* an agency administrator's accounts are all of the own agency */
        v->role = v->agency = "";
    const char *sort;
    bool desc;
    if (list_view_parse_sort(PARAM("sort"), PARAM("dir"), SORT_KEYS, &sort, &desc) != 0)
        why = "ไม่รู้จักการเรียงลำดับที่ขอ จึงเรียงตามอีเมล";
    long page = 1;
    const char *page_s = PARAM("page"), *off_s = PARAM("offset");
    if (page_s && *page_s) {
        if (list_view_parse_page(page_s, &page) != 0)
            why = "เลขหน้าไม่ถูกต้อง จึงแสดงหน้าแรก";
    } else if (off_s && *off_s) { /* API clients page by offset */
        long off = admin_query_int(req, "offset");
        page = off > 0 ? off / ACCOUNTS_PAGE_SIZE + 1 : 1;
    }
#undef PARAM
    if (a->new_user) /* the list searched for a new account: its first page, unfiltered */
        v->role = v->agency = v->state = "", page = 1;
    v->list_error = why;
    a->filters[0] = (struct list_filter){"q", a->new_user ? "" : v->q};
    a->filters[1] = (struct list_filter){"role", v->role};
    a->filters[2] = (struct list_filter){"agency", v->agency};
    a->filters[3] = (struct list_filter){"state", v->state};
    v->lv = (struct list_view){.path = "/admin/users",
                               .filters = a->filters,
                               .n_filters = 4,
                               .default_sort = SORT_KEYS[0],
                               .sort = sort,
                               .desc = desc,
                               .page = page,
                               .per_page = ACCOUNTS_PAGE_SIZE};
    v->offset = list_view_offset(&v->lv);
}

/* The accounts page of the query's search, filters, sort and page, with a->view's messages;
 * after an account was made, the list searched for it (so it is seen at once among thousands). */
static void list_users(struct http_request *req, struct setup *s, struct accounts *a)
{
    struct accounts_users_view *v = &a->view;
    read_list_state(req, s, a, true);
    if (a->new_user)
        a->filters[0].value = v->q; /* the links of the page keep the search for it */
    v->csrf = setup_csrf(req, s);
    v->system = s->u->system;
    v->own_agency = s->u->agency_name;
    v->self_id = s->u->id;
    v->shown = a->new_user;
    const char *done = admin_query_str(req, "done");
    for (size_t k = 0; done && !v->notice && k < sizeof DONE_TEXT / sizeof *DONE_TEXT; k++)
        if (!strcmp(done, DONE_TEXT[k].done))
            v->notice = DONE_TEXT[k].text;
    if (!accounts_like_pattern(v->q, a->pattern, sizeof a->pattern))
        abort(); /* cut to ACCOUNTS_SEARCH_MAX by list_view_search */
    if (v->list_error && a->status == 200)
        a->status = 400;
    snprintf(a->offset, sizeof a->offset, "%ld", v->offset);
    snprintf(a->limit, sizeof a->limit, "%d", ACCOUNTS_PAGE_SIZE);
    const char *p[USERS_PAGE_NPARAMS];
    p[USERS_PAGE_P_SYSTEM] = s->sys;
    p[USERS_PAGE_P_AGENCY] = s->uagency;
    p[USERS_PAGE_P_PATTERN] = a->pattern;
    p[USERS_PAGE_P_OFFSET] = a->offset;
    p[USERS_PAGE_P_LIMIT] = a->limit;
    p[USERS_PAGE_P_ROLE] = v->role;
    p[USERS_PAGE_P_AGENCY_CODE] = v->agency;
    p[USERS_PAGE_P_STATE] = v->state;
    p[USERS_PAGE_P_SORT] = v->lv.sort;
    p[USERS_PAGE_P_DESC] = v->lv.desc ? "true" : "false";
    run(req, a, ACC_USERS_LIST, &sql_users_page, p);
}

/* The create form refused: the message on the accounts page with what was typed (JSON for API
 * tokens). */
static void create_refused(struct http_request *req, struct setup *s, struct accounts *a,
                           int status, const char *msg, long reenable_id)
{
    if (s->u->api) {
        setup_fail(req, s, status, msg);
        return;
    }
    a->status = status;
    a->new_user = NULL;
    a->view.error = msg;
    a->view.reenable_id = reenable_id;
    a->view.f_email = setup_param(req, s, "email");
    a->view.f_role = setup_param(req, s, "role");
    a->view.f_code = setup_param(req, s, "agency_code");
    list_users(req, s, a);
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
    {"id", USERS_PAGE_ID, J_INT},
    {"email", USERS_PAGE_EMAIL, J_TEXT},
    {"role", USERS_PAGE_ROLE, J_TEXT},
    {"agency_code", USERS_PAGE_AGENCY_CODE, J_TEXT},
    {"disabled", USERS_PAGE_DISABLED, J_BOOL},
    {"locked", USERS_PAGE_LOCKED, J_BOOL},
    {"locked_until", USERS_PAGE_LOCKED_UNTIL, J_TEXT},
    {"last_signin", USERS_PAGE_LAST_SIGNIN, J_TEXT},
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

/* A page of these handlers: the frame titled title, then the body view wrote. */
static void send_page(struct http_request *req, struct setup *s, int status, const char *title,
                      struct strbuf *body)
{
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, title);
    strbuf_append(&p, body->data ? body->data : "", body->len);
    strbuf_free(body);
    page_frame_finish(&p);
    admin_send_page(req, status, &p);
}

static void tokens_page(struct http_request *req, struct setup *s, const struct accounts *a,
                        const PGresult *res)
{
    if (s->u->api) {
        setup_send_json(
            req, 200, rows_json(res, "tokens", TOKEN_JSON, sizeof TOKEN_JSON / sizeof *TOKEN_JSON));
        return;
    }
    struct strbuf b;
    strbuf_init(&b);
    accounts_view_tokens(&b, setup_csrf(req, s), a->fresh_token, res);
    send_page(req, s, 200, "โทเค็นเชื่อมต่อโปรแกรม (itactl)", &b);
}

static void users_page(struct http_request *req, struct setup *s, const struct accounts *a,
                       const PGresult *res)
{
    if (s->u->api) {
        json_t *doc = rows_json(res, "users", USER_JSON, sizeof USER_JSON / sizeof *USER_JSON);
        json_object_set_new(doc, "total",
                            json_integer(PQntuples(res) ? db_int(res, 0, USERS_PAGE_TOTAL) : 0));
        json_object_set_new(doc, "offset", json_integer(a->view.offset));
        json_object_set_new(doc, "page", json_integer(a->view.lv.page));
        if (a->view.list_error) {
            json_decref(doc);
            setup_fail(req, s, 400, a->view.list_error);
            return;
        }
        setup_send_json(req, 200, doc);
        return;
    }
    struct strbuf b;
    strbuf_init(&b);
    accounts_view_users(&b, &a->view, res);
    send_page(req, s, a->status, "บัญชีผู้ดูแล", &b);
}

/* ---- the database's answers ---- */

static void own_check(struct http_request *req, struct setup *s, struct accounts *a,
                      const PGresult *res);
static void password_page(struct http_request *req, struct setup *s, int status, const char *error,
                          bool done);

static void created(struct http_request *req, struct setup *s, struct accounts *a,
                    const PGresult *res)
{
    if (db_int(res, 0, USER_CREATE_ID) > 0) {
        log_info("event=admin_created w=%d admin=%d user=%s", req->worker->id, s->u->id,
                 db_text(res, 0, USER_CREATE_ID));
        if (s->u->api) {
            setup_send_json(req, 201,
                            json_pack("{s:I, s:s, s:s}", "id", db_int(res, 0, USER_CREATE_ID),
                                      "email", a->new_user->email, "password",
                                      a->new_user->password));
            return;
        }
        list_users(req, s, a);
        return;
    }
    long existing = db_int(res, 0, USER_CREATE_EXISTING_ID);
    if (db_bool(res, 0, USER_CREATE_EXISTING) && existing > 0 &&
        db_bool(res, 0, USER_CREATE_EXISTING_DISABLED))
        create_refused(req, s, a, 409,
                       "อีเมลนี้เป็นของบัญชีที่ถูกปิดใช้งานไว้ จึงสร้างซ้ำไม่ได้ "
                       "ท่านเปิดใช้งานบัญชีเดิมอีกครั้งได้ (เจ้าของใช้รหัสผ่านเดิม "
                       "หรือตั้งรหัสผ่านใหม่ให้หลังเปิดใช้งาน)",
                       existing);
    else if (db_bool(res, 0, USER_CREATE_EXISTING))
        create_refused(req, s, a, 409,
                       existing > 0 ? "มีบัญชีที่ใช้อีเมลนี้อยู่แล้ว ค้นหาบัญชีนี้ในรายการด้านล่าง"
                                    : "มีบัญชีที่ใช้อีเมลนี้อยู่แล้วในหน่วยงานอื่นหรือเป็นผู้ดูแลระบบ "
                                      "กรุณาใช้อีเมลอื่น หรือติดต่อผู้ดูแลระบบ",
                       0);
    else if (!db_bool(res, 0, USER_CREATE_AGENCY_FOUND))
        create_refused(req, s, a, 422, "ไม่พบหน่วยงานรหัสนี้ ตรวจรหัสหน่วยงานได้ที่หน้าหน่วยงาน", 0);
    else
        setup_fail(req, s, 403, "เฉพาะผู้ดูแลระบบเท่านั้นที่สร้างผู้ดูแลระบบได้");
}

static void step(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    struct accounts *a = s->page;
    if (!r->ok) {
        if (a->state == ACC_USER_CREATE && r->sqlstate && !strcmp(r->sqlstate, "23514"))
            create_refused(req, s, a, 400, "อีเมลไม่ถูกต้อง กรุณากรอกเช่น planning@example.go.th", 0);
        else
            setup_db_failed(req, s, r);
        return;
    }
    switch (a->state) {
    case ACC_TOKENS_LIST:
        tokens_page(req, s, a, r->res);
        return;
    case ACC_USERS_LIST:
        users_page(req, s, a, r->res);
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
    case ACC_TOKEN_REVOKE:
        if (db_int(r->res, 0, TOKEN_REVOKE_COUNT) != 1) {
            setup_fail(req, s, 404, "ไม่พบโทเค็นนี้ในบัญชีของท่าน");
            return;
        }
        if (s->u->api) {
            setup_send_json(req, 200, json_pack("{s:b}", "revoked", 1));
            return;
        }
        setup_redirect(req, "/admin/tokens");
        return;
    case ACC_USER_CREATE:
        created(req, s, a, r->res);
        return;
    case ACC_USER_SWITCH:
        if (db_int(r->res, 0, USER_SWITCH_COUNT) != 1) {
            setup_fail(req, s, 404, a->sw->not_done);
            return;
        }
        log_info("event=admin_%s w=%d admin=%d user=%s", a->sw->done, req->worker->id, s->u->id,
                 setup_param(req, s, "id"));
        if (s->u->api) {
            setup_send_json(req, 200, json_pack("{s:b}", a->sw->json_key, 1));
            return;
        }
        { /* back to the list as it was (its state came with the form) */
            read_list_state(req, s, a, false);
            struct strbuf to;
            strbuf_init(&to);
            list_view_url(&to, &a->view.lv);
            strbuf_printf(&to, "%sdone=%s", strchr(to.data, '?') ? "&" : "?", a->sw->done);
            const char *where = arena_strndup(&req->arena, to.data, to.len);
            strbuf_free(&to);
            setup_redirect(req, where);
        }
        return;
    case ACC_USER_CONFIRM: {
        if (PQntuples(r->res) != 1) {
            setup_fail(req, s, 404, NOT_FOUND);
            return;
        }
        if (db_bool(r->res, 0, USER_ONE_DISABLED)) {
            setup_fail(req, s, 409,
                       a->reset ? "บัญชีนี้ปิดใช้งานอยู่ เปิดใช้งานอีกครั้งก่อนตั้งรหัสผ่านใหม่" : "บัญชีนี้ปิดใช้งานอยู่แล้ว");
            return;
        }
        struct strbuf b;
        strbuf_init(&b);
        read_list_state(req, s, a, false);
        accounts_view_confirm(&b, setup_csrf(req, s), a->reset, r->res, &a->view.lv);
        send_page(req, s, 200, a->reset ? "ยืนยันการตั้งรหัสผ่านใหม่" : "ยืนยันการปิดใช้งานบัญชี", &b);
        return;
    }
    case ACC_USER_RESET: {
        if (PQntuples(r->res) != 1) {
            setup_fail(req, s, 404, NOT_FOUND " หรือปิดใช้งานอยู่");
            return;
        }
        log_info("event=admin_password_reset w=%d admin=%d user=%s", req->worker->id, s->u->id,
                 setup_param(req, s, "id"));
        if (s->u->api) {
            setup_send_json(req, 200,
                            json_pack("{s:s, s:s}", "email", db_text(r->res, 0, USER_RESET_EMAIL),
                                      "password", a->password));
            return;
        }
        struct strbuf b;
        strbuf_init(&b);
        read_list_state(req, s, a, false);
        accounts_view_reset_done(&b, db_text(r->res, 0, USER_RESET_EMAIL), a->password,
                                 &a->view.lv);
        send_page(req, s, 200, "ตั้งรหัสผ่านใหม่แล้ว", &b);
        return;
    }
    case ACC_OWN_HASH:
        own_check(req, s, a, r->res);
        return;
    case ACC_OWN_FAILED:
        password_page(req, s, 400,
                      "รหัสผ่านปัจจุบันไม่ถูกต้อง กรุณาลองอีกครั้ง (ถ้าผิดครบ 5 ครั้ง "
                      "บัญชีจะถูกล็อก 15 นาที)",
                      false);
        return;
    case ACC_OWN_SET:
        if (db_int(r->res, 0, OWN_PASSWORD_SET_COUNT) != 1) {
            setup_fail(req, s, 404, "ไม่พบบัญชีของท่าน");
            return;
        }
        log_info("event=admin_password_changed w=%d admin=%d", req->worker->id, s->u->id);
        password_page(req, s, 200, NULL, true);
        return;
    }
    abort();
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
    struct setup *s = req->handler_state;
    const char *id = setup_param(req, s, "id");
    if (!setup_digits(id, 9)) {
        setup_fail(req, s, 404, "ไม่พบโทเค็นนี้ในบัญชีของท่าน");
        return;
    }
    const char *p[TOKEN_REVOKE_NPARAMS];
    p[TOKEN_REVOKE_P_ID] = id;
    p[TOKEN_REVOKE_P_USER] = a->uid;
    run(req, a, ACC_TOKEN_REVOKE, &sql_token_revoke, p);
}

/* ---- administrator accounts ---- */

void admin_users(struct http_request *req, const struct admin_user *u)
{
    struct accounts *a = accounts_new(req, u);
    list_users(req, req->handler_state, a);
}

/* A new password generated and hashed on the CPU pool (creating an account, a reset). */
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

/* Generates a password into a->password and hashes it on the CPU pool, then finish(). */
static void pw_generate(struct http_request *req, struct accounts *a, req_job_finish finish)
{
    struct pw_hash *h = xcalloc(1, sizeof *h);
    if (!secret_random_b64url(15, h->password)) {
        free(h);
        http_respond_unavailable(req, "no random bytes");
        return;
    }
    memcpy(a->password, h->password, sizeof a->password);
    /* argon2id in the password lane, like sign-ins: it never holds up results or exports */
    req_job_start_lane(req, CPU_LANE_PASSWORD, h, pw_hash_work, finish, pw_hash_free, NULL);
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
    p[USER_CREATE_P_ROLE] = a->role;
    p[USER_CREATE_P_AGENCY_CODE] = code && s->u->system ? code : "";
    p[USER_CREATE_P_PASSWORD_HASH] = h->hash;
    p[USER_CREATE_P_ADMIN] = a->uid;
    p[USER_CREATE_P_SYSTEM] = s->sys;
    p[USER_CREATE_P_AGENCY] = s->uagency;
    run(req, a, ACC_USER_CREATE, &sql_user_create, p);
}

/* The role a create form asks for, "agency" or "system", or NULL with a->view.error set. API
 * tokens may leave it out with an agency code (an agency administrator, as before); a blank
 * agency code never makes a system administrator. */
static const char *chosen_role(struct http_request *req, struct setup *s, const char **why)
{
    const char *role = setup_param(req, s, "role");
    const char *code = setup_param(req, s, "agency_code");
    bool has_code = code && *code;
    if (!s->u->system) {
        if (role && *role && strcmp(role, "agency")) {
            *why = "ผู้ดูแลหน่วยงานเพิ่มได้เฉพาะผู้ดูแลหน่วยงานของหน่วยงานตนเอง";
            return NULL;
        }
        return "agency";
    }
    if ((!role || !*role) && has_code && s->u->api)
        return "agency";
    if (!role || (strcmp(role, "agency") && strcmp(role, "system"))) {
        *why = "กรุณาเลือกบทบาทของบัญชีใหม่: ผู้ดูแลหน่วยงาน หรือผู้ดูแลระบบระดับประเทศ";
        return NULL;
    }
    if (!strcmp(role, "agency") && !has_code) {
        *why = "กรุณากรอกรหัสหน่วยงานของผู้ดูแลหน่วยงาน";
        return NULL;
    }
    if (!strcmp(role, "system") && has_code) {
        *why = "ผู้ดูแลระบบระดับประเทศไม่มีหน่วยงาน กรุณาลบรหัสหน่วยงาน "
               "หรือเลือกบทบาทผู้ดูแลหน่วยงาน";
        return NULL;
    }
    return role;
}

void admin_users_new(struct http_request *req, const struct admin_user *u)
{
    struct accounts *a = accounts_new(req, u);
    struct setup *s = req->handler_state;
    const char *email = setup_param(req, s, "email");
    size_t n = email ? strlen(email) : 0;
    const char *at = email ? strchr(email, '@') : NULL;
    if (n < 3 || n > 200 || !at || at == email || !at[1] || strpbrk(email, " \t\r\n")) {
        create_refused(req, s, a, 400, "กรุณากรอกอีเมลให้ถูกต้อง เช่น planning@example.go.th", 0);
        return;
    }
    const char *why = NULL;
    const char *role = chosen_role(req, s, &why);
    if (!role) {
        if (!u->system) {
            setup_fail(req, s, 403, why);
            return;
        }
        create_refused(req, s, a, 400, why, 0);
        return;
    }
    a->role = role;
    struct accounts_new_user *nu = arena_alloc(&req->arena, sizeof *nu);
    char *lower = arena_strndup(&req->arena, email, n);
    for (char *c = lower; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    nu->email = lower;
    nu->password = a->password;
    a->new_user = nu;
    pw_generate(req, a, pw_hashed);
}

/* The id the form or query names, or NULL after answering 404. */
static const char *account_id(struct http_request *req, struct setup *s)
{
    const char *id = setup_param(req, s, "id");
    if (setup_digits(id, 9))
        return id;
    setup_fail(req, s, 404, NOT_FOUND);
    return NULL;
}

/* Runs a switch (disable, enable, unlock) on the account the form names. */
static void user_switch(struct http_request *req, const struct admin_user *u,
                        const struct user_switch *sw)
{
    struct accounts *a = accounts_new(req, u);
    struct setup *s = req->handler_state;
    const char *id = account_id(req, s);
    if (!id)
        return;
    a->sw = sw;
    const char *p[USER_SWITCH_NPARAMS];
    p[USER_SWITCH_P_USER] = id;
    p[USER_SWITCH_P_ADMIN] = a->uid;
    p[USER_SWITCH_P_SYSTEM] = s->sys;
    p[USER_SWITCH_P_AGENCY] = s->uagency;
    run(req, a, ACC_USER_SWITCH, sw->stmt, p);
}

void admin_users_disable(struct http_request *req, const struct admin_user *u)
{
    user_switch(req, u, &USER_DISABLE);
}

void admin_users_enable(struct http_request *req, const struct admin_user *u)
{
    user_switch(req, u, &USER_ENABLE);
}

void admin_users_unlock(struct http_request *req, const struct admin_user *u)
{
    user_switch(req, u, &USER_UNLOCK);
}

/* The confirmation page of disabling the account (reset false) or of a new password for it. */
static void confirm(struct http_request *req, const struct admin_user *u, bool reset)
{
    struct accounts *a = accounts_new(req, u);
    struct setup *s = req->handler_state;
    const char *id = account_id(req, s);
    if (!id)
        return;
    a->reset = reset;
    const char *p[USER_ONE_NPARAMS];
    p[USER_ONE_P_ID] = id;
    p[USER_ONE_P_ADMIN] = a->uid;
    p[USER_ONE_P_SYSTEM] = s->sys;
    p[USER_ONE_P_AGENCY] = s->uagency;
    run(req, a, ACC_USER_CONFIRM, &sql_user_one, p);
}

void admin_users_disable_confirm(struct http_request *req, const struct admin_user *u)
{
    confirm(req, u, false);
}

void admin_users_reset_confirm(struct http_request *req, const struct admin_user *u)
{
    confirm(req, u, true);
}

static void reset_hashed(struct http_request *req, void *data)
{
    struct pw_hash *h = data;
    struct setup *s = req->handler_state;
    struct accounts *a = s->page;
    if (h->rc != 0) {
        http_respond_unavailable(req, "out of memory for password hashing");
        return;
    }
    const char *p[USER_RESET_NPARAMS];
    p[USER_RESET_P_USER] = setup_param(req, s, "id");
    p[USER_RESET_P_ADMIN] = a->uid;
    p[USER_RESET_P_SYSTEM] = s->sys;
    p[USER_RESET_P_AGENCY] = s->uagency;
    p[USER_RESET_P_HASH] = h->hash;
    run(req, a, ACC_USER_RESET, &sql_user_reset, p);
}

void admin_users_reset(struct http_request *req, const struct admin_user *u)
{
    struct accounts *a = accounts_new(req, u);
    if (account_id(req, req->handler_state))
        pw_generate(req, a, reset_hashed);
}

/* ---- one's own password ---- */

static void password_page(struct http_request *req, struct setup *s, int status, const char *error,
                          bool done)
{
    if (s->u->api) {
        if (error)
            setup_fail(req, s, status, error);
        else
            setup_send_json(req, status, json_pack("{s:b}", "changed", done));
        return;
    }
    struct strbuf b;
    strbuf_init(&b);
    accounts_view_password(&b, setup_csrf(req, s), error, done);
    send_page(req, s, status, "เปลี่ยนรหัสผ่านของท่าน", &b);
}

void admin_password(struct http_request *req, const struct admin_user *u)
{
    accounts_new(req, u);
    password_page(req, req->handler_state, 200, NULL, false);
}

/* The current password checked against the stored hash and the new one hashed, on the CPU
 * pool. */
struct own_pw {
    char current[256], fresh[256];
    char stored[crypto_pwhash_STRBYTES], hash[crypto_pwhash_STRBYTES];
    bool ok; /* the current password is right */
    int rc;  /* hashing the new one: 0 */
};

static void own_pw_free(void *data)
{
    sodium_memzero(data, sizeof(struct own_pw));
    free(data);
}

static void own_pw_work(void *data)
{
    struct own_pw *j = data;
    j->ok = crypto_pwhash_str_verify(j->stored, j->current, strlen(j->current)) == 0;
    j->rc = j->ok ? crypto_pwhash_str(j->hash, j->fresh, strlen(j->fresh),
                                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                      crypto_pwhash_MEMLIMIT_INTERACTIVE)
                  : -1;
    sodium_memzero(j->current, sizeof j->current);
    sodium_memzero(j->fresh, sizeof j->fresh);
}

static void own_pw_done(struct http_request *req, void *data)
{
    struct own_pw *j = data;
    struct setup *s = req->handler_state;
    struct accounts *a = s->page;
    if (!j->ok) { /* counted like a failed sign-in */
        log_info("event=admin_password_change_refused w=%d admin=%d", req->worker->id, s->u->id);
        const char *p[ADMIN_LOGIN_FAIL_NPARAMS];
        p[ADMIN_LOGIN_FAIL_P_USER] = a->uid;
        run(req, a, ACC_OWN_FAILED, &sql_admin_login_fail, p);
        return;
    }
    if (j->rc != 0) {
        http_respond_unavailable(req, "out of memory for password hashing");
        return;
    }
    const char *p[OWN_PASSWORD_SET_NPARAMS];
    p[OWN_PASSWORD_SET_P_USER] = a->uid;
    p[OWN_PASSWORD_SET_P_HASH] = arena_sprintf(&req->arena, "%s", j->hash);
    p[OWN_PASSWORD_SET_P_KEEP] = a->keep;
    run(req, a, ACC_OWN_SET, &sql_own_password_set, p);
}

static void own_check(struct http_request *req, struct setup *s, struct accounts *a,
                      const PGresult *res)
{
    (void)a;
    if (PQntuples(res) != 1) {
        setup_fail(req, s, 404, "ไม่พบบัญชีของท่าน");
        return;
    }
    if (db_bool(res, 0, OWN_PASSWORD_LOCKED)) {
        password_page(req, s, 403,
                      "บัญชีของท่านถูกล็อกชั่วคราวเพราะใส่รหัสผ่านผิดหลายครั้ง "
                      "ลองใหม่หลัง 15 นาที หรือขอให้ผู้ดูแลปลดล็อกให้",
                      false);
        return;
    }
    struct own_pw *j = xcalloc(1, sizeof *j);
    snprintf(j->current, sizeof j->current, "%s", setup_param(req, s, "current"));
    snprintf(j->fresh, sizeof j->fresh, "%s", setup_param(req, s, "new"));
    snprintf(j->stored, sizeof j->stored, "%s", db_text(res, 0, OWN_PASSWORD_HASH));
    req_job_start_lane(req, CPU_LANE_PASSWORD, j, own_pw_work, own_pw_done, own_pw_free, NULL);
}

void admin_password_save(struct http_request *req, const struct admin_user *u)
{
    struct accounts *a = accounts_new(req, u);
    struct setup *s = req->handler_state;
    const char *current = setup_param(req, s, "current");
    const char *fresh = setup_param(req, s, "new");
    const char *again = setup_param(req, s, "again");
    const char *error = NULL;
    if (!current || !*current || !fresh || !*fresh || !again || !*again)
        error = "กรุณากรอกรหัสผ่านปัจจุบัน และรหัสผ่านใหม่สองครั้ง";
    else if (strlen(current) >= 256 || strlen(fresh) >= 256)
        error = "รหัสผ่านยาวเกินไป (ไม่เกิน 80 ตัวอักษร)";
    else if (strcmp(fresh, again))
        error = "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน กรุณาพิมพ์ใหม่";
    else if (accounts_utf8_chars(fresh) < MIN_PASSWORD_CHARS)
        error = "รหัสผ่านใหม่ต้องยาวอย่างน้อย 10 ตัวอักษร";
    else if (!strcmp(fresh, current))
        error = "รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านปัจจุบัน";
    if (error) {
        password_page(req, s, 400, error, false);
        return;
    }
    const char *p[OWN_PASSWORD_NPARAMS];
    p[OWN_PASSWORD_P_USER] = a->uid;
    run(req, a, ACC_OWN_HASH, &sql_own_password, p);
}
