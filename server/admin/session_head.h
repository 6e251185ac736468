/* The sign-in of an administrator request checked from its head alone, before any byte of its
 * body is read (app/routes.c runs it from the network layer's before_body hook): who is not
 * signed in is answered at once, and the body of a large upload is read only within the
 * process's max_uploads. Implemented in session_head.c. */
#ifndef ITA_ADMIN_SESSION_HEAD_H
#define ITA_ADMIN_SESSION_HEAD_H

#include "admin_session.h"
#include "net/http.h"

#include <stdbool.h>

/* Checks the API token (Authorization: Bearer) or else the session cookie of req's head, as
 * admin_with_user will (posting: a browser's post must come from our own origin), then lets the
 * body be read (http_read_body). Otherwise answers as admin_with_user would, without reading the
 * body: 401 JSON (API token missing, malformed, unknown or revoked), 303 to /admin/login (no
 * valid session), 403 (a browser's post from another origin); and 503 with Retry-After, in Thai
 * (JSON for API tokens, a page for browsers), when the body is an upload and max_uploads are
 * being read already. */
void admin_check_head(struct http_request *req, bool posting);

/* For admin_with_user: true when the head check verified this request's administrator with the
 * token whose hash parameter is hash_param (an API token when api); *out gets the administrator
 * (strings in the request arena; session_token and api are the caller's to set). */
bool admin_head_user(struct http_request *req, bool api, const char *hash_param,
                     struct admin_user *out);

#endif
