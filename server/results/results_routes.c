/* The results routes: scores and the OIT entry, the printable report, improvement measures and
 * the exports. All need a signed-in administrator; what each sees is scoped by its handler. */
#include "app/routes.h"
#include "results_handlers.h"

const struct route results_routes[] = {
    {.method = HTTP_GET, .path = "/admin/results", .access = ROUTE_ADMIN, .admin = admin_results, .name = "admin_results"},
    {.method = HTTP_POST, .path = "/admin/oit", .access = ROUTE_ADMIN_FORM, .admin = admin_oit, .name = "admin_oit"},
    {.method = HTTP_GET, .path = "/admin/report", .access = ROUTE_ADMIN, .admin = admin_report, .name = "admin_report"},
    {.method = HTTP_POST, .path = "/admin/measures", .access = ROUTE_ADMIN_FORM, .admin = admin_measures, .name = "admin_measures"},
    {.method = HTTP_GET, .path = "/admin/export", .access = ROUTE_ADMIN, .admin = admin_export, .name = "admin_export"},
    {.method = HTTP_GET, .path = "/admin/export-manifest", .access = ROUTE_ADMIN, .admin = admin_export_manifest, .name = "admin_export_manifest"},
    {.method = HTTP_GET, .path = "/admin/export-key", .access = ROUTE_ADMIN, .admin = admin_export_key, .name = "admin_export_key"},
    {.method = HTTP_GET, .path = "/admin/export-raw", .access = ROUTE_ADMIN, .admin = admin_export_raw, .name = "admin_export_raw"},
};
const size_t results_routes_count = sizeof results_routes / sizeof results_routes[0];
