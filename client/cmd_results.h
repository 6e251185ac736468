/* itactl's results commands (cmd_results.c): OIT marks, an agency's scores, exports with their
 * signed manifests, the raw export, verify and the report. */
#ifndef ITA_CMD_RESULTS_H
#define ITA_CMD_RESULTS_H

#include "commands.h"

/* The handlers (itactl_run, commands.h) results_NAME for each NAME below; argv[0] is the command
 * word:
 *   oit_set     one OIT item of an agency's year
 *   oit_import  OIT marks of many agencies from a CSV file, one request per agency-year
 *   scores      an agency's scores, as the server shows them
 *   export      results saved with FILE.manifest.json
 *   export_raw  the anonymous responses, streamed into FILE
 *   verify      FILE against MANIFEST: SHA-256 and Ed25519 signature checked here
 *   report      the printable Thai report */
/* clang-format off */
#define RESULTS_COMMANDS(X)                                                                        \
    X(oit_set) X(oit_import) X(scores) X(export) X(export_raw) X(verify) X(report)
/* clang-format on */

#define RESULTS_DECLARE(name)                                                                      \
    int results_##name(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,      \
                       char **argv);
RESULTS_COMMANDS(RESULTS_DECLARE)
#undef RESULTS_DECLARE

#endif
