/* The administration operations behind itactl's commands: each makes its API request(s) from
 * already validated arguments and prints the answer, for a person (aligned tables, Thai text as
 * is) or, with --json, exactly as the server sent it. */
#ifndef ITA_ADMIN_OPS_H
#define ITA_ADMIN_OPS_H

#include "api_client.h"
#include "cmd_admin.h"

/* The operations, op_NAME for each NAME below (the command "agencies list" runs
 * op_agencies_list, and so on). Each is an admin_op (commands.h): it returns itactl's exit
 * status (enum itactl_exit). */
/* clang-format off */
#define ADMIN_OPS(X)                                                                               \
    X(agencies_list) X(agencies_import) X(year_show) X(year_set) X(contacts_import)                \
    X(contacts_list) X(contacts_purge) X(links_issue) X(links_export) X(links_reissue) X(mail_send) X(mail_status)            \
    X(progress) X(fetch_qr) X(history_import)
/* clang-format on */

#define ADMIN_OP_DECLARE(name) int op_##name(const struct api_conn *c, const struct admin_args *a);
ADMIN_OPS(ADMIN_OP_DECLARE)
#undef ADMIN_OP_DECLARE

#endif
