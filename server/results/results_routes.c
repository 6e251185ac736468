/* The results routes: scores and the OIT entry, the printable report, improvement measures and
 * the exports. All need a signed-in administrator; what each sees is scoped by its handler. */
#include "app/routes.h"
#include "results_handlers.h"

const struct route results_routes[] = {
    ROUTE_ADMIN_GET("/admin/results", admin_results),
    ROUTE_ADMIN_POST("/admin/oit", admin_oit),
    ROUTE_ADMIN_GET("/admin/report", admin_report),
    ROUTE_ADMIN_POST("/admin/measures", admin_measures),
    ROUTE_ADMIN_GET("/admin/report.pdf", admin_report_pdf),
    ROUTE_ADMIN_GET("/admin/report.docx", admin_report_docx),
    ROUTE_ADMIN_POST("/admin/report/texts", admin_report_texts),
    ROUTE_ADMIN_GET("/admin/export", admin_export),
    ROUTE_ADMIN_GET("/admin/export-manifest", admin_export_manifest),
    ROUTE_ADMIN_GET("/admin/export-key", admin_export_key),
    ROUTE_ADMIN_GET("/admin/export-raw", admin_export_raw),
    ROUTE_ADMIN_GET("/admin/history", admin_history),
    ROUTE_ADMIN_POST("/admin/history", admin_history_save),
    ROUTE_ADMIN_GET("/admin/history/delete", admin_history_delete_confirm),
    ROUTE_ADMIN_POST("/admin/history/delete", admin_history_delete),
    ROUTE_ADMIN_UPLOAD("/admin/history/upload", admin_history_upload),
    ROUTE_ADMIN_GET("/admin/history/import", admin_history_import_page),
    ROUTE_ADMIN_UPLOAD("/admin/history/import", admin_history_import),
    ROUTE_ADMIN_GET("/admin/history/template", admin_history_template),
    ROUTE_ADMIN_POST("/admin/history/publish", admin_history_publish),
};
const size_t results_routes_count = sizeof results_routes / sizeof results_routes[0];
