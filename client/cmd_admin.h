/* itactl's administration commands over the server's JSON API (docs/api.md): agencies, a fiscal
 * year's window and populations, contact lists, personal links and their mail merge, QR codes and
 * posters made by the server, progress. Argument parsing is exposed for tests. */
#ifndef ITA_CMD_ADMIN_H
#define ITA_CMD_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Options given before the command (itactl --help). */
struct admin_global {
    const char *url;        /* --url or ITACTL_URL */
    const char *cacert;     /* --cacert or ITACTL_CACERT; NULL = the system trust store */
    int timeout_s;          /* --timeout, seconds per connect/read/write */
    bool timeout_given;     /* --timeout was given; otherwise uploads and exports wait longer */
    const char *token_file; /* --token-file; NULL = ITACTL_TOKEN_FILE or ITACTL_TOKEN */
};

/* True when word is an administration command: agencies, year, contacts, links, progress,
 * fetch-qr. */
bool cmd_admin_is_command(const char *word);

/* Runs one administration command; argv[0] is the command word. Returns itactl's exit status
 * (0 done, 1 the server answered with an error, 2 usage, 3 unreachable or untrusted). */
int cmd_admin(const struct admin_global *g, int argc, char **argv);

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

struct admin_cmd; /* one entry of the command table (cmd_admin.c) */

struct admin_args {
    const struct admin_cmd *cmd; /* the command found, NULL when only the group is known */
    const char *group;           /* the command word (argv[0]) */
    const char *opt[AO__COUNT];  /* option values, borrowed from argv (NULL = not given) */
    char instrument[4];          /* AO_INSTRUMENT in upper case; opt[AO_INSTRUMENT] points here */
    bool json;                   /* --json: print the server's JSON as it came */
    const char *file;            /* the positional FILE (uploads) */
};

enum admin_parse_result {
    ADMIN_PARSE_OK,    /* a is complete and valid */
    ADMIN_PARSE_HELP,  /* --help: print admin_print_help(stdout, a), exit 0 */
    ADMIN_PARSE_USAGE, /* err says what is wrong; exit 2 */
};

/* Parses and validates argv (argv[0] the command word) into a. */
enum admin_parse_result admin_parse(int argc, char **argv, struct admin_args *a, char *err,
                                    size_t errlen);

/* The help of a->cmd, or the list of a->group's commands when no command was found. */
void admin_print_help(FILE *f, const struct admin_args *a);

/* The usage lines for itactl --help (one per command). */
void admin_print_summary(FILE *f);

#endif
