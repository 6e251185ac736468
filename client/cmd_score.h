/* `itactl score`: the what-if calculator clerks use to plan next year's measures. Works without
 * a server: from ten indicator scores (on the command line, or one agency per line of a CSV file)
 * it prints group means, weighted parts, total, grade and the indicator classes, and with
 * --target the smallest rise of each single indicator that reaches a grade.
 *
 * Exit status: 0 done; 1 bad input data (a score that is not a number in 0..100, an unreadable
 * file, rejected CSV rows: valid rows are still written); 2 wrong usage. */
#ifndef ITA_CMD_SCORE_H
#define ITA_CMD_SCORE_H

#include <stdio.h>

/* argv[0] is "score". Writes results to stdout and messages to stderr. */
int cmd_score(int argc, char **argv);

/* The same with explicit streams (for tests and embedding). Streams are borrowed. */
int cmd_score_run(int argc, char **argv, FILE *out, FILE *err);

#endif
