/* The administration operations behind itactl's commands: each makes its API request(s) from
 * already validated arguments and prints the answer, for a person (aligned tables, Thai text as
 * is) or, with --json, exactly as the server sent it. */
#ifndef ITA_ADMIN_OPS_H
#define ITA_ADMIN_OPS_H

#include "api_client.h"
#include "cmd_admin.h"

/* Every operation is an admin_op (commands.h) and returns itactl's exit status (enum itactl_exit).
 */
int op_agencies_list(const struct api_conn *c, const struct admin_args *a);
int op_agencies_import(const struct api_conn *c, const struct admin_args *a);
int op_year_show(const struct api_conn *c, const struct admin_args *a);
int op_year_set(const struct api_conn *c, const struct admin_args *a);
int op_contacts_import(const struct api_conn *c, const struct admin_args *a);
int op_contacts_list(const struct api_conn *c, const struct admin_args *a);
int op_contacts_purge(const struct api_conn *c, const struct admin_args *a);
int op_links_issue(const struct api_conn *c, const struct admin_args *a);
int op_links_export(const struct api_conn *c, const struct admin_args *a);
int op_links_reissue(const struct api_conn *c, const struct admin_args *a);
int op_progress(const struct api_conn *c, const struct admin_args *a);
int op_fetch_qr(const struct api_conn *c, const struct admin_args *a);

#endif
