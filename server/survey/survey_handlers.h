/* The handlers of survey/ that its route table (survey_routes.c) names. */
#ifndef ITA_SURVEY_HANDLERS_H
#define ITA_SURVEY_HANDLERS_H

#include "net/http.h"

struct admin_user;

void handle_public_get(struct http_request *req);
void handle_public_post(struct http_request *req);
void handle_personal_get(struct http_request *req);
void handle_personal_post(struct http_request *req);

#endif
