/* itactl's administration commands over the server's JSON API (docs/api.md): agencies, a fiscal
 * year's window and populations, contact lists, personal links and their mail merge, QR codes and
 * posters made by the server, progress. Argument parsing is exposed for tests. */
#ifndef ITA_CMD_ADMIN_H
#define ITA_CMD_ADMIN_H

#include "commands.h"

#include <stdbool.h>
#include <stddef.h>

/* True when word names administration commands whose arguments admin_parse() reads: agencies,
 * year, contacts, links, progress, fetch-qr. */
bool cmd_admin_is_command(const char *word);

/* The handler (commands.h) of those commands: parses argv (argv[0] the command word), opens the
 * API connection and runs cmd->spec.op. Returns itactl's exit status (0 done, 1 the server
 * answered with an error, 2 usage, 3 unreachable or untrusted). */
int cmd_admin(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc, char **argv);

#define OPT(id) (1u << (id)) /* the bit of an admin_opt in admin_spec.allowed / .required */

enum admin_opt {
    AO_CODE,       /* --code: agency code */
    AO_AGENCY,     /* --agency: agency id */
    AO_FY,         /* --fy: fiscal year, Buddhist Era */
    AO_INSTRUMENT, /* --instrument: IIT or EIT (normalised to upper case) */
    AO_PAGE,       /* --page: 0-based page of a list */
    AO_OUTPUT,     /* -o / --output: file to write, "-" for standard output */
    AO_OPENS,      /* --opens: YYYY-MM-DD */
    AO_CLOSES,     /* --closes: YYYY-MM-DD, closing day included */
    AO_STAFF,      /* --staff: staff with at least a year of service */
    AO_EIT,        /* --eit: outside stakeholders (EIT population) */
    AO_CONTACT,    /* --contact: contact id */
    AO_LINK,       /* --link: link id */
    AO_FORMAT,     /* --format: png, svg, pdf, poster-png, html */
    AO__COUNT
};

struct admin_args {
    const struct itactl_cmd *cmd; /* the command found, NULL when only the group is known */
    const char *group;            /* the command word (argv[0]) */
    const char *opt[AO__COUNT];   /* option values, borrowed from argv (NULL = not given) */
    char instrument[4];           /* AO_INSTRUMENT in upper case; opt[AO_INSTRUMENT] points here */
    bool json;                    /* --json: print the server's JSON as it came */
    const char *file;             /* the positional FILE (uploads) */
};

enum admin_parse_result {
    ADMIN_PARSE_OK,    /* a is complete and valid */
    ADMIN_PARSE_HELP,  /* --help: print itactl_cmd_print_help(stdout, a->cmd, a->group) */
    ADMIN_PARSE_USAGE, /* err says what is wrong; exit 2 */
};

/* Parses and validates argv (argv[0] the command word) into a. */
enum admin_parse_result admin_parse(int argc, char **argv, struct admin_args *a, char *err,
                                    size_t errlen);

#endif
