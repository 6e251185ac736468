/* The handlers of admin/ that its route table (admin_routes.c) names. */
#ifndef ITA_ADMIN_HANDLERS_H
#define ITA_ADMIN_HANDLERS_H

#include "net/http.h"

struct admin_user;

void handle_admin_login_get(struct http_request *req);
void handle_admin_login_post(struct http_request *req);
void admin_home(struct http_request *req, const struct admin_user *u);
void admin_logout(struct http_request *req, const struct admin_user *u);
void admin_agencies(struct http_request *req, const struct admin_user *u);
void admin_agency(struct http_request *req, const struct admin_user *u);
void admin_qr(struct http_request *req, const struct admin_user *u);
void admin_tokens(struct http_request *req, const struct admin_user *u);
void admin_tokens_new(struct http_request *req, const struct admin_user *u);
void admin_tokens_revoke(struct http_request *req, const struct admin_user *u);
void admin_users(struct http_request *req, const struct admin_user *u);
void admin_users_new(struct http_request *req, const struct admin_user *u);
void admin_users_disable(struct http_request *req, const struct admin_user *u);
void admin_users_disable_confirm(struct http_request *req, const struct admin_user *u);
void admin_users_enable(struct http_request *req, const struct admin_user *u);
void admin_users_unlock(struct http_request *req, const struct admin_user *u);
void admin_users_reset_confirm(struct http_request *req, const struct admin_user *u);
void admin_users_reset(struct http_request *req, const struct admin_user *u);
void admin_password(struct http_request *req, const struct admin_user *u);
void admin_password_save(struct http_request *req, const struct admin_user *u);
void admin_agencies_import(struct http_request *req, const struct admin_user *u);
void admin_agency_save(struct http_request *req, const struct admin_user *u);
void admin_year(struct http_request *req, const struct admin_user *u);
void admin_year_save(struct http_request *req, const struct admin_user *u);
void admin_contacts(struct http_request *req, const struct admin_user *u);
void admin_contacts_import(struct http_request *req, const struct admin_user *u);
void admin_contacts_purge(struct http_request *req, const struct admin_user *u);
void admin_contacts_template(struct http_request *req, const struct admin_user *u);
void admin_contacts_edit_form(struct http_request *req, const struct admin_user *u);
void admin_contacts_edit(struct http_request *req, const struct admin_user *u);
void admin_contacts_delete_confirm(struct http_request *req, const struct admin_user *u);
void admin_contacts_delete(struct http_request *req, const struct admin_user *u);
void admin_links_issue(struct http_request *req, const struct admin_user *u);
void admin_links_mailmerge(struct http_request *req, const struct admin_user *u);
void admin_links_slips(struct http_request *req, const struct admin_user *u);
void admin_links_reissue(struct http_request *req, const struct admin_user *u);
void admin_links_reissue_confirm(struct http_request *req, const struct admin_user *u);
void admin_progress(struct http_request *req, const struct admin_user *u);
void admin_mail(struct http_request *req, const struct admin_user *u);
void admin_mail_mode(struct http_request *req, const struct admin_user *u);
void admin_mail_send(struct http_request *req, const struct admin_user *u);
void admin_mail_reminders(struct http_request *req, const struct admin_user *u);
void admin_mail_template(struct http_request *req, const struct admin_user *u);
void admin_mail_template_save(struct http_request *req, const struct admin_user *u);
void admin_audit(struct http_request *req, const struct admin_user *u);
void admin_national(struct http_request *req, const struct admin_user *u);
void admin_instruments(struct http_request *req, const struct admin_user *u);
void admin_instruments_upload(struct http_request *req, const struct admin_user *u);
void admin_instrument_draft(struct http_request *req, const struct admin_user *u);
void admin_instrument_publish_confirm(struct http_request *req, const struct admin_user *u);
void admin_instrument_publish(struct http_request *req, const struct admin_user *u);
void admin_instrument_discard(struct http_request *req, const struct admin_user *u);
void admin_instrument_preview(struct http_request *req, const struct admin_user *u);
void admin_instrument_preview_check(struct http_request *req, const struct admin_user *u);
void admin_year_preview(struct http_request *req, const struct admin_user *u);
void admin_year_preview_check(struct http_request *req, const struct admin_user *u);

#endif
