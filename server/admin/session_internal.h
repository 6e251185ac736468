/* What sign-in (signin.c) shares with the session machinery (session.c) and nobody else uses:
 * the cookie's name, token hashing, form reading and the redirect. */
#ifndef ITA_ADMIN_SESSION_INTERNAL_H
#define ITA_ADMIN_SESSION_INTERNAL_H

#include <libpq-fe.h>

#include "net/form_parse.h"
#include "net/http.h"
#include "secret.h"

#define SESSION_COOKIE "ita_admin"
#define SESSION_TOKEN_BYTES 32

struct server;

/* A token's HMAC under label ("session", "api-token") as a bytea parameter: "\x" and hex. */
#define SESSION_HASH_PARAM_SIZE (2 + 2 * TOKEN_HASH_BYTES + 1)
void session_token_hash(const struct server *srv, const char *label, const char *token,
                        char out[SESSION_HASH_PARAM_SIZE]);

/* The urlencoded request body as a form (request arena), or NULL when malformed. */
const struct form_data *session_read_form(struct http_request *req);

/* The session cookie's value, and the token of "Authorization: Bearer <token>" ("" for another
 * scheme), in the request arena; NULL when the header is absent. */
const char *session_cookie(struct http_request *req);
const char *session_bearer(struct http_request *req);

/* The administrator of a sql_session_user / sql_api_token_user row (row 0 of res) into u; the
 * strings in the request arena. The session token and the API flag are the caller's to set. */
struct admin_user;
void session_user_read(struct http_request *req, const PGresult *res, struct admin_user *u);

/* The 401 texts of the API (itactl shows them as they are), and the 400 of an unreadable form. */
#define SESSION_API_TOKEN_MALFORMED                                                                                                                                                        \
    "ไม่มีโทเค็น API หรือรูปแบบไม่ถูกต้อง (ส่งในส่วนหัว Authorization: Bearer <โทเค็น> " \
    "ตามที่ออกให้ในหน้าโทเค็น API ของระบบผู้ดูแล)"
#define SESSION_API_TOKEN_UNKNOWN "ไม่รู้จักโทเค็น API นี้ หรือโทเค็นถูกยกเลิกแล้ว"
#define SESSION_FORM_MALFORMED "อ่านข้อมูลแบบฟอร์มที่ส่งมาไม่ได้ (รูปแบบไม่ถูกต้อง) ยังไม่ได้บันทึกสิ่งใด"

/* Answers 303 to `to`. */
void session_redirect(struct http_request *req, const char *to);

/* The signed-in session's token HMAC parameter (for sign-out), while its handler runs. */
const char *session_hash_param(struct http_request *req);

#endif
