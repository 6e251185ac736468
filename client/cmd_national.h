/* itactl national (cmd_national.c): the national view of a fiscal year (GET /admin/national,
 * docs/api.md) as CSV or JSON with the same filters and sort as the web page, every row. */
#ifndef ITA_CMD_NATIONAL_H
#define ITA_CMD_NATIONAL_H

#include "commands.h"

/* The handler (commands.h): argv[0] is "national". */
int cmd_national(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                 char **argv);

#endif
