/* The handlers of results/ that its route table (results_routes.c) names. */
#ifndef ITA_RESULTS_HANDLERS_H
#define ITA_RESULTS_HANDLERS_H

#include "net/http.h"

struct admin_user;

void admin_results(struct http_request *req, const struct admin_user *u);
void admin_oit(struct http_request *req, const struct admin_user *u);
void admin_report(struct http_request *req, const struct admin_user *u);
void admin_measures(struct http_request *req, const struct admin_user *u);
/* o42_routes.c: the O42 report as PDF and DOCX, and its editable texts */
void admin_report_pdf(struct http_request *req, const struct admin_user *u);
void admin_report_docx(struct http_request *req, const struct admin_user *u);
void admin_report_texts(struct http_request *req, const struct admin_user *u);
/* /admin/report of a year without an instrument version: the O42 report of its stored past
 * result (agency_result) with the forms; 404 when none is stored. The request's handler state is
 * replaced. posted_texts, form_error: a refused texts save, shown again (422) with its message. */
/* /admin/report for agency and year again after a refused O42 texts save (results_views.c):
 * the typed texts (o42_texts_parse JSON) and the reason, answered 422 on the report page. */
void results_report_again(struct http_request *req, const struct admin_user *u, long agency,
                          long year, const char *posted_texts, const char *form_error);
void o42_report_stored(struct http_request *req, const struct admin_user *u, long agency, long year,
                       const char *posted_texts, const char *form_error);
void admin_export(struct http_request *req, const struct admin_user *u);
void admin_export_manifest(struct http_request *req, const struct admin_user *u);
void admin_export_key(struct http_request *req, const struct admin_user *u);
void admin_export_raw(struct http_request *req, const struct admin_user *u);
/* history.c: an agency's ITA results of earlier years */
void admin_history(struct http_request *req, const struct admin_user *u);
void admin_history_save(struct http_request *req, const struct admin_user *u);
void admin_history_delete_confirm(struct http_request *req, const struct admin_user *u);
void admin_history_delete(struct http_request *req, const struct admin_user *u);
void admin_history_upload(struct http_request *req, const struct admin_user *u);
void admin_history_import_page(struct http_request *req, const struct admin_user *u);
void admin_history_import(struct http_request *req, const struct admin_user *u);
void admin_history_template(struct http_request *req, const struct admin_user *u);
void admin_history_publish(struct http_request *req, const struct admin_user *u);

#endif
