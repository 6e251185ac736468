/* `itactl qr` and `itactl poster`: QR codes, printable posters and the website snippet for a
 * survey link, made locally (no server needed). */
#ifndef ITA_CMD_QR_H
#define ITA_CMD_QR_H

#include "commands.h"

/* Handlers of the command table; argv[0] is "qr" or "poster". Exit status: 0 done, 1 could not
 * write or encode, 2 usage. */
int cmd_qr_run(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc, char **argv);
int cmd_poster_run(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                   char **argv);

#endif
