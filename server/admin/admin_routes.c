/* The administrator pages' routes: sign-in, agencies, accounts, and setting up a fiscal year.
 * Every entry but the login page asks the dispatcher for a signed-in administrator. */
#include "app/routes.h"
#include "admin_handlers.h"

const struct route admin_routes[] = {
    {.method = HTTP_GET, .path = "/admin/login", .handler = handle_admin_login_get, .name = "admin_login_form"},
    {.method = HTTP_POST, .path = "/admin/login", .handler = handle_admin_login_post, .name = "admin_login"},
    {.method = HTTP_GET, .path = "/admin/", .access = ROUTE_ADMIN, .admin = admin_home, .name = "admin_home"},
    {.method = HTTP_POST, .path = "/admin/logout", .access = ROUTE_ADMIN_FORM, .admin = admin_logout, .name = "admin_logout"},
    {.method = HTTP_GET, .path = "/admin/agencies", .access = ROUTE_ADMIN, .admin = admin_agencies, .name = "admin_agencies"},
    {.method = HTTP_GET, .path = "/admin/agency", .access = ROUTE_ADMIN, .admin = admin_agency, .name = "admin_agency"},
    {.method = HTTP_GET, .path = "/admin/qr", .access = ROUTE_ADMIN, .admin = admin_qr, .name = "admin_qr"},
    {.method = HTTP_GET, .path = "/admin/tokens", .access = ROUTE_ADMIN, .admin = admin_tokens, .name = "admin_tokens"},
    {.method = HTTP_POST, .path = "/admin/tokens/new", .access = ROUTE_ADMIN_FORM, .admin = admin_tokens_new, .name = "admin_tokens_new"},
    {.method = HTTP_POST, .path = "/admin/tokens/revoke", .access = ROUTE_ADMIN_FORM, .admin = admin_tokens_revoke, .name = "admin_tokens_revoke"},
    {.method = HTTP_GET, .path = "/admin/users", .access = ROUTE_ADMIN, .admin = admin_users, .name = "admin_users"},
    {.method = HTTP_POST, .path = "/admin/users/new", .access = ROUTE_ADMIN_FORM, .admin = admin_users_new, .name = "admin_users_new"},
    {.method = HTTP_POST, .path = "/admin/users/disable", .access = ROUTE_ADMIN_FORM, .admin = admin_users_disable, .name = "admin_users_disable"},
    {.method = HTTP_POST, .path = "/admin/agencies/import", .access = ROUTE_ADMIN_FORM, .admin = admin_agencies_import, .upload = true, .name = "admin_agencies_import"},
    {.method = HTTP_POST, .path = "/admin/agency/save", .access = ROUTE_ADMIN_FORM, .admin = admin_agency_save, .name = "admin_agency_save"},
    {.method = HTTP_GET, .path = "/admin/year", .access = ROUTE_ADMIN, .admin = admin_year, .name = "admin_year"},
    {.method = HTTP_POST, .path = "/admin/year", .access = ROUTE_ADMIN_FORM, .admin = admin_year_save, .name = "admin_year_save"},
    {.method = HTTP_GET, .path = "/admin/contacts", .access = ROUTE_ADMIN, .admin = admin_contacts, .name = "admin_contacts"},
    {.method = HTTP_POST, .path = "/admin/contacts/import", .access = ROUTE_ADMIN_FORM, .admin = admin_contacts_import, .upload = true, .name = "admin_contacts_import"},
    {.method = HTTP_POST, .path = "/admin/contacts/purge", .access = ROUTE_ADMIN_FORM, .admin = admin_contacts_purge, .name = "admin_contacts_purge"},
    {.method = HTTP_POST, .path = "/admin/links/issue", .access = ROUTE_ADMIN_FORM, .admin = admin_links_issue, .name = "admin_links_issue"},
    {.method = HTTP_GET, .path = "/admin/links/mailmerge", .access = ROUTE_ADMIN, .admin = admin_links_mailmerge, .name = "admin_links_mailmerge"},
    {.method = HTTP_POST, .path = "/admin/links/reissue", .access = ROUTE_ADMIN_FORM, .admin = admin_links_reissue, .name = "admin_links_reissue"},
    {.method = HTTP_GET, .path = "/admin/progress", .access = ROUTE_ADMIN, .admin = admin_progress, .name = "admin_progress"},
};
const size_t admin_routes_count = sizeof admin_routes / sizeof admin_routes[0];
