/* The handlers of results/ that its route table (results_routes.c) names. */
#ifndef ITA_RESULTS_HANDLERS_H
#define ITA_RESULTS_HANDLERS_H

#include "net/http.h"

struct admin_user;

void admin_results(struct http_request *req, const struct admin_user *u);
void admin_oit(struct http_request *req, const struct admin_user *u);
void admin_report(struct http_request *req, const struct admin_user *u);
void admin_measures(struct http_request *req, const struct admin_user *u);
void admin_export(struct http_request *req, const struct admin_user *u);
void admin_export_manifest(struct http_request *req, const struct admin_user *u);
void admin_export_key(struct http_request *req, const struct admin_user *u);
void admin_export_raw(struct http_request *req, const struct admin_user *u);

#endif
