/* itactl's results commands (cmd_results.c): oit set/import, scores, export, verify, report. */
#ifndef ITA_CMD_RESULTS_H
#define ITA_CMD_RESULTS_H

#include "cmd_admin.h"

#include <stdbool.h>
#include <stdio.h>

/* True for oit, scores, export, verify and report. */
bool cmd_results_is_command(const char *word);
/* Runs one; argv[0] is the command word. Returns itactl's exit status. */
int cmd_results(const struct admin_global *g, int argc, char **argv);
/* Usage lines for itactl --help. */
void cmd_results_print_summary(FILE *f);

#endif
