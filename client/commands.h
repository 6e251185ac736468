/* itactl's command table: every command (name, usage, one-line and full help, what it needs, its
 * handler) in one place. itactl.c dispatches from it, and `itactl --help`, each command's --help
 * and the usage lines of its errors are generated from it. */
#ifndef ITA_COMMANDS_H
#define ITA_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Options given before the command (itactl --help). */
struct itactl_global {
    const char *url;        /* --url or ITACTL_URL */
    const char *cacert;     /* --cacert or ITACTL_CACERT; NULL = the system trust store */
    int timeout_s;          /* --timeout, seconds per connect/read/write */
    bool timeout_given;     /* --timeout was given; otherwise slow commands wait longer */
    const char *token_file; /* --token-file; NULL = ITACTL_TOKEN_FILE or ITACTL_TOKEN */
};

/* What a command needs; also the section of itactl --help it is listed in. */
enum itactl_needs {
    NEEDS_NOTHING, /* works offline */
    NEEDS_SERVER,  /* the server (--url, --cacert, --timeout), no token */
    NEEDS_TOKEN,   /* the server's administration API with an API token */
};

struct itactl_cmd;
struct api_conn;
struct admin_args;

/* A command's handler. argv[0] is the command's first word; the handler reads its arguments from
 * after the command words (itactl_cmd_words). Returns itactl's exit status (enum itactl_exit). */
typedef int (*itactl_run)(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                          char **argv);

/* An administration operation (admin_ops.h), run on already validated arguments. */
typedef int (*admin_op)(const struct api_conn *c, const struct admin_args *a);

/* The option rules of a command whose arguments admin_parse() reads (cmd_admin.c). */
struct admin_spec {
    unsigned allowed;  /* OPT() bits of the options it takes */
    unsigned required; /* OPT() bits of the options it needs */
    bool agency;       /* needs --code or --agency */
    bool json;         /* takes --json */
    const char *file;  /* name of its positional argument, NULL = none */
    admin_op op;       /* what it does */
};

struct itactl_cmd {
    const char *name; /* first word */
    const char *verb; /* second word; a word starting with "--" is instead a flag, anywhere among
                         the arguments, that selects this variant (export --raw); NULL = none */
    enum itactl_needs needs;
    bool slow;              /* large upload or download: longer default timeout (no --timeout) */
    const char *usage;      /* the arguments after the command words */
    const char *summary;    /* one line for itactl --help */
    const char *help;       /* --help text after the usage; NULL = the handler prints its own */
    itactl_run run;         /* the handler */
    struct admin_spec spec; /* for run == cmd_admin: its options and operation */
};

/* How many words name cmd (1 or 2; a selecting flag does not count). */
int itactl_cmd_words(const struct itactl_cmd *cmd);

enum itactl_find {
    FIND_OK,      /* *found is the command */
    FIND_GROUP,   /* argv[0] names commands with verbs, argv[1] is none of them (or absent) */
    FIND_UNKNOWN, /* argv[0] names no command */
};

/* The first command of the table whose first word is name, or NULL. */
const struct itactl_cmd *itactl_cmd_first(const char *name);

/* Finds the command named by argv's first word(s). */
enum itactl_find itactl_cmd_find(int argc, char **argv, const struct itactl_cmd **found);

/* "  itactl NAME [VERB] USAGE\n". */
void itactl_cmd_print_synopsis(FILE *f, const struct itactl_cmd *cmd);

/* The --help of cmd, or with cmd NULL the list of group's commands. */
void itactl_cmd_print_help(FILE *f, const struct itactl_cmd *cmd, const char *group);

/* The usage error of a command: "itactl NAME [VERB]: err", then its synopsis (when known). */
void itactl_cmd_usage_error(const struct itactl_cmd *cmd, const char *group, const char *err);

/* itactl --help: global options, then every command of the table with its summary. */
void itactl_print_usage(FILE *f);

/* Runs argv (argv[0] the command word) with the table: --help, the group and unknown-command
 * errors, then the command's handler. Returns itactl's exit status. */
int itactl_dispatch(const struct itactl_global *g, int argc, char **argv);

/* True when argv[0] names a command that needs nothing (itactl runs it before global options). */
bool itactl_is_offline(int argc, char **argv);

/* Opens the API connection for cmd: the global options, with a longer default timeout for slow
 * commands. Returns ITACTL_OK or ITACTL_USAGE (message written to stderr); always pair with
 * api_conn_close(). */
int itactl_conn_open(const struct itactl_cmd *cmd, const struct itactl_global *g,
                     struct api_conn *c);

#endif
