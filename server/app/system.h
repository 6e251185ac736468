/* Operational endpoint (system.c): /healthz. */
#ifndef ITA_SYSTEM_H
#define ITA_SYSTEM_H

#include "net/http.h"

void handle_healthz(struct http_request *req);
/* GET /: the Thai landing page (respondents use their link; staff sign in). */
void handle_home(struct http_request *req);
/* The Thai page for a path no route takes: status 404, or 405 (http_app.not_found). */
void app_not_found(struct http_request *req, int status, const char *allow);
/* The Thai page of any other error for a browser (http_app.error_page); `message` goes to the
 * log only. */
void app_error_page(struct http_request *req, int status, const char *message);
/* The same words as plain text, for a client that does not ask for HTML (itactl, curl):
 * "<status> <Thai heading>: <what to do>", then the English message as the technical detail. */
void app_error_plain(struct http_request *req, int status, const char *message);

#endif
