/* The OIT work routes: internal units, the year's overview of who publishes which OIT item by
 * when, one item's page and the responsibility table as CSV. All need a signed-in administrator;
 * the agency is resolved within its scope by each handler (oit_work_req.c). */
#include "app/routes.h"
#include "oit_work_handlers.h"

const struct route oit_work_routes[] = {
    ROUTE_ADMIN_GET("/admin/units", admin_units),
    ROUTE_ADMIN_POST("/admin/units", admin_units_post),
    ROUTE_ADMIN_GET("/admin/oit-work", admin_oit_work),
    ROUTE_ADMIN_GET("/admin/oit-work.csv", admin_oit_work_csv),
    ROUTE_ADMIN_POST("/admin/oit-work/copy", admin_oit_work_copy),
    ROUTE_ADMIN_POST("/admin/oit-work/suggested", admin_oit_work_suggested),
    ROUTE_ADMIN_GET("/admin/oit-work/item", admin_oit_work_item),
    ROUTE_ADMIN_POST("/admin/oit-work/item", admin_oit_work_item_post),
};
const size_t oit_work_routes_count = sizeof oit_work_routes / sizeof oit_work_routes[0];
