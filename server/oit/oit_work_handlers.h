/* The handlers of oit/ that its route table (oit_work_routes.c) names. */
#ifndef ITA_OIT_WORK_HANDLERS_H
#define ITA_OIT_WORK_HANDLERS_H

#include "net/http.h"

struct admin_user;

/* units.c: an agency's internal units */
void admin_units(struct http_request *req, const struct admin_user *u);
void admin_units_post(struct http_request *req, const struct admin_user *u);
/* oit_work.c: the year's overview, copying last year, the suggested units, the CSV */
void admin_oit_work(struct http_request *req, const struct admin_user *u);
void admin_oit_work_csv(struct http_request *req, const struct admin_user *u);
void admin_oit_work_copy(struct http_request *req, const struct admin_user *u);
void admin_oit_work_suggested(struct http_request *req, const struct admin_user *u);
/* oit_work_item.c: one item */
void admin_oit_work_item(struct http_request *req, const struct admin_user *u);
void admin_oit_work_item_post(struct http_request *req, const struct admin_user *u);

#endif
