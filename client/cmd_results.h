/* itactl's results commands (cmd_results.c): OIT marks, an agency's scores, exports with their
 * signed manifests, the raw export, verify and the report. Each is a handler of the command table
 * (commands.h); argv[0] is the command word. */
#ifndef ITA_CMD_RESULTS_H
#define ITA_CMD_RESULTS_H

#include "commands.h"

/* oit set: one OIT item of an agency's year. */
int results_oit_set(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                    char **argv);
/* oit import FILE: OIT marks of many agencies from a CSV file, one request per agency-year. */
int results_oit_import(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                       char **argv);
/* scores: an agency's scores, as the server shows them. */
int results_scores(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                   char **argv);
/* export: results saved with FILE.manifest.json. */
int results_export(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                   char **argv);
/* export --raw: the anonymous responses, streamed into FILE. */
int results_export_raw(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                       char **argv);
/* verify FILE MANIFEST: SHA-256 and Ed25519 signature checked here, not by the server. */
int results_verify(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                   char **argv);
/* report: the printable Thai report. */
int results_report(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                   char **argv);

#endif
