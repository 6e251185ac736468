/* The administrator pages' routes: sign-in, agencies, accounts, setting up a fiscal year, and
 * the instrument versions. Every entry but the login page asks the dispatcher for a signed-in
 * administrator. */
#include "app/routes.h"
#include "admin_handlers.h"

const struct route admin_routes[] = {
    ROUTE_OPEN(HTTP_GET, "/admin/login", handle_admin_login_get, "admin_login_form"),
    ROUTE_OPEN(HTTP_POST, "/admin/login", handle_admin_login_post, "admin_login"),
    ROUTE_ADMIN_GET("/admin/", admin_home),
    ROUTE_ADMIN_POST("/admin/logout", admin_logout),
    ROUTE_ADMIN_GET("/admin/agencies", admin_agencies),
    ROUTE_ADMIN_GET("/admin/agency", admin_agency),
    ROUTE_ADMIN_GET("/admin/qr", admin_qr),
    ROUTE_ADMIN_GET("/admin/tokens", admin_tokens),
    ROUTE_ADMIN_POST("/admin/tokens/new", admin_tokens_new),
    ROUTE_ADMIN_POST("/admin/tokens/revoke", admin_tokens_revoke),
    ROUTE_ADMIN_GET("/admin/users", admin_users),
    ROUTE_ADMIN_POST("/admin/users/new", admin_users_new),
    ROUTE_ADMIN_POST("/admin/users/disable", admin_users_disable),
    ROUTE_ADMIN_GET("/admin/users/disable", admin_users_disable_confirm),
    ROUTE_ADMIN_POST("/admin/users/enable", admin_users_enable),
    ROUTE_ADMIN_POST("/admin/users/unlock", admin_users_unlock),
    ROUTE_ADMIN_GET("/admin/users/reset", admin_users_reset_confirm),
    ROUTE_ADMIN_POST("/admin/users/reset", admin_users_reset),
    ROUTE_ADMIN_GET("/admin/password", admin_password),
    ROUTE_ADMIN_POST("/admin/password", admin_password_save),
    ROUTE_ADMIN_UPLOAD("/admin/agencies/import", admin_agencies_import),
    ROUTE_ADMIN_POST("/admin/agency/save", admin_agency_save),
    ROUTE_ADMIN_GET("/admin/year", admin_year),
    ROUTE_ADMIN_POST("/admin/year", admin_year_save),
    ROUTE_ADMIN_GET("/admin/year/preview", admin_year_preview),
    ROUTE_ADMIN_POST("/admin/year/preview", admin_year_preview_check),
    ROUTE_ADMIN_GET("/admin/contacts", admin_contacts),
    ROUTE_ADMIN_UPLOAD("/admin/contacts/import", admin_contacts_import),
    ROUTE_ADMIN_POST("/admin/contacts/purge", admin_contacts_purge),
    ROUTE_ADMIN_POST("/admin/links/issue", admin_links_issue),
    ROUTE_ADMIN_GET("/admin/links/mailmerge", admin_links_mailmerge),
    ROUTE_ADMIN_GET("/admin/links/reissue", admin_links_reissue_confirm),
    ROUTE_ADMIN_POST("/admin/links/reissue", admin_links_reissue),
    ROUTE_ADMIN_GET("/admin/progress", admin_progress),
    ROUTE_ADMIN_GET("/admin/audit", admin_audit),
    /* instrument versions: system administrators only */
    ROUTE_ADMIN_GET("/admin/instruments", admin_instruments),
    ROUTE_ADMIN_UPLOAD("/admin/instruments/upload", admin_instruments_upload),
    ROUTE_ADMIN_GET("/admin/instruments/draft", admin_instrument_draft),
    ROUTE_ADMIN_GET("/admin/instruments/publish", admin_instrument_publish_confirm),
    ROUTE_ADMIN_POST("/admin/instruments/publish", admin_instrument_publish),
    ROUTE_ADMIN_POST("/admin/instruments/discard", admin_instrument_discard),
    ROUTE_ADMIN_GET("/admin/instruments/preview", admin_instrument_preview),
    ROUTE_ADMIN_POST("/admin/instruments/preview", admin_instrument_preview_check),
};
const size_t admin_routes_count = sizeof admin_routes / sizeof admin_routes[0];
