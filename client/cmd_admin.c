/* itactl's administration commands (see cmd_admin.h): the command table, argument parsing and
 * validation (every mistake is a usage error before anything is sent), help texts, dispatch to
 * the operations in admin_ops.c. */
#include "cmd_admin.h"

#include "admin_ops.h"
#include "api_client.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OPT(id) (1u << (id))
#define AGENCY_OPTS (OPT(AO_CODE) | OPT(AO_AGENCY))
#define SLOW_TIMEOUT_S 600 /* uploads of 100,000 rows and their mail merge, unless --timeout */

struct admin_cmd {
    const char *group; /* first word */
    const char *verb;  /* second word, NULL for one-word commands */
    unsigned allowed;  /* OPT() bits of the options it takes */
    unsigned required; /* OPT() bits of the options it needs */
    bool agency;       /* needs --code or --agency */
    bool json;         /* takes --json */
    const char *file;  /* name of its positional argument, NULL = none */
    bool slow;         /* large upload or download: longer default timeout */
    admin_op run;
    const char *synopsis; /* options after the command words */
    const char *help;     /* what it does, for --help */
};

static const struct admin_cmd commands[] = {
    {"agencies", "list", OPT(AO_PAGE), 0, false, true, NULL, false, op_agencies_list,
     "[--page N] [--json]",
     "Lists the agencies this token may see (all pages, or only page N of 100).\n"
     "--json prints each page's answer as the server sent it, one document per line.\n"},
    {"agencies", "import", 0, 0, false, true, "FILE.csv", true, op_agencies_import,
     "FILE.csv [--json]",
     "Creates or updates agencies from a CSV file (columns as in README, \"Lists\"; UTF-8 with or\n"
     "without BOM, or Windows-874 as Thai Excel saves it). System administrators only.\n"
     "Any bad row: every error is listed and nothing is imported. FILE.csv may be - (stdin).\n"},
    {"year", "show", AGENCY_OPTS | OPT(AO_FY), OPT(AO_FY), true, true, NULL, false, op_year_show,
     "(--code C | --agency ID) --fy YEAR [--json]",
     "Shows an agency's fiscal year: survey window, populations, minimum samples and the ids\n"
     "and addresses of its public IIT and EIT links (ids for fetch-qr).\n"},
    {"year", "set",
     AGENCY_OPTS | OPT(AO_FY) | OPT(AO_OPENS) | OPT(AO_CLOSES) | OPT(AO_STAFF) | OPT(AO_EIT),
     OPT(AO_FY) | OPT(AO_OPENS) | OPT(AO_CLOSES), true, true, NULL, false, op_year_set,
     "(--code C | --agency ID) --fy YEAR --opens YYYY-MM-DD --closes YYYY-MM-DD\n"
     "                  [--staff N] [--eit N] [--json]",
     "Sets up or changes an agency's fiscal year: the survey window (Thailand time, closing\n"
     "day included), staff with at least a year of service (--staff) and the number of outside\n"
     "stakeholders (--eit), from which the minimum samples follow; a population not given\n"
     "keeps its current value. The first time it creates the year's public IIT and EIT links;\n"
     "later it moves their window.\n"},
    {"contacts", "import", AGENCY_OPTS | OPT(AO_FY) | OPT(AO_INSTRUMENT),
     OPT(AO_FY) | OPT(AO_INSTRUMENT), true, true, "FILE.csv", true, op_contacts_import,
     "(--code C | --agency ID) --fy YEAR --instrument IIT|EIT FILE.csv [--json]",
     "Uploads a staff (IIT) or outside-stakeholder (EIT) list: columns name, e-mail, phone,\n"
     "unit, start date, headers in Thai or English; UTF-8 (with or without BOM) or Windows-874.\n"
     "Any bad row: every error is listed (line, column, reason) and nothing is imported.\n"
     "Importing the same list again adds no duplicates. FILE.csv may be - (stdin).\n"},
    {"contacts", "list", AGENCY_OPTS | OPT(AO_FY) | OPT(AO_INSTRUMENT) | OPT(AO_PAGE),
     OPT(AO_FY) | OPT(AO_INSTRUMENT), true, true, NULL, false, op_contacts_list,
     "(--code C | --agency ID) --fy YEAR --instrument IIT|EIT [--page N] [--json]",
     "Lists the contacts of a list and whether each has a personal link (all pages, or only\n"
     "page N). --json prints each page's answer as sent, one document per line.\n"},
    {"contacts", "purge", AGENCY_OPTS | OPT(AO_FY), OPT(AO_FY), true, true, NULL, false,
     op_contacts_purge, "(--code C | --agency ID) --fy YEAR [--json]",
     "Deletes the year's contact lists (PDPA) once the survey window has closed; responses\n"
     "are not touched. The server refuses (409) while the window is open, and logs the purge.\n"},
    {"links", "issue", AGENCY_OPTS | OPT(AO_FY) | OPT(AO_INSTRUMENT),
     OPT(AO_FY) | OPT(AO_INSTRUMENT), true, true, NULL, false, op_links_issue,
     "(--code C | --agency ID) --fy YEAR --instrument IIT|EIT [--json]",
     "Gives every contact of the list that has no personal link one.\n"},
    {"links", "export", AGENCY_OPTS | OPT(AO_FY) | OPT(AO_INSTRUMENT) | OPT(AO_OUTPUT),
     OPT(AO_FY) | OPT(AO_INSTRUMENT) | OPT(AO_OUTPUT), true, false, NULL, true, op_links_export,
     "(--code C | --agency ID) --fy YEAR --instrument IIT|EIT -o FILE.csv",
     "Saves the mail-merge CSV (name, e-mail, phone, unit, personal link; UTF-8 with BOM, which\n"
     "Excel opens with Thai intact) byte for byte as the server sent it. The file holds personal\n"
     "data: it is created readable by you only. -o - writes to standard output.\n"},
    {"links", "reissue", OPT(AO_CONTACT), OPT(AO_CONTACT), false, true, NULL, false,
     op_links_reissue, "--contact ID [--json]",
     "Gives one contact a new personal link (ids from contacts list); the old link stops "
     "working.\n"},
    {"progress", NULL, AGENCY_OPTS | OPT(AO_FY), OPT(AO_FY), true, true, NULL, false, op_progress,
     "(--code C | --agency ID) --fy YEAR [--json]",
     "Responses per instrument against the minimum sample, per day, and personal-link uptake\n"
     "(how many spent, never who). Days with fewer than k responses are not shown.\n"},
    {"fetch-qr", NULL, OPT(AO_LINK) | OPT(AO_FORMAT) | OPT(AO_OUTPUT),
     OPT(AO_LINK) | OPT(AO_FORMAT) | OPT(AO_OUTPUT), false, false, NULL, true, op_fetch_qr,
     "--link ID --format png|svg|pdf|poster-png|html -o FILE",
     "Saves what the server makes for a public link (ids from year show): its QR code (png,\n"
     "svg), the A4 poster (pdf, poster-png) or the website snippet (html). The qr and poster\n"
     "commands make the same locally, without a server.\n"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

struct opt_def {
    const char *name;  /* long name */
    const char *alias; /* short or other name, NULL = none */
    enum admin_opt id;
};

static const struct opt_def opt_defs[] = {
    {"--code", NULL, AO_CODE},       {"--agency", NULL, AO_AGENCY},
    {"--fy", NULL, AO_FY},           {"--instrument", NULL, AO_INSTRUMENT},
    {"--page", NULL, AO_PAGE},       {"--output", "-o", AO_OUTPUT},
    {"--opens", NULL, AO_OPENS},     {"--closes", NULL, AO_CLOSES},
    {"--staff", NULL, AO_STAFF},     {"--eit", NULL, AO_EIT},
    {"--contact", NULL, AO_CONTACT}, {"--link", NULL, AO_LINK},
    {"--format", NULL, AO_FORMAT},
};

bool cmd_admin_is_command(const char *word)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].group, word))
            return true;
    return false;
}

static const char *opt_name(enum admin_opt id)
{
    for (size_t i = 0; i < sizeof opt_defs / sizeof opt_defs[0]; i++)
        if (opt_defs[i].id == id)
            return opt_defs[i].name;
    return "?";
}

/* Digits only, at most max_digits, value <= max. */
static bool parse_count(const char *s, int max_digits, long long max, long long *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > (size_t)max_digits || strspn(s, "0123456789") != n)
        return false;
    *out = strtoll(s, NULL, 10);
    return *out <= max;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DD, a real Gregorian date; year < 2400 (a Buddhist-Era year here is a mistake). */
static bool check_date(const char *s, char *err, size_t errlen, const char *name)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, m = 0, d = 0;
    bool shape = strlen(s) == 10 && s[4] == '-' && s[7] == '-' && strspn(s, "0123456789") == 4 &&
                 isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) &&
                 isdigit((unsigned char)s[8]) && isdigit((unsigned char)s[9]);
    if (shape) {
        y = atoi(s);
        m = atoi(s + 5);
        d = atoi(s + 8);
    }
    if (shape && y >= 2400) {
        snprintf(err, errlen,
                 "%s %s: dates are Gregorian (YYYY-MM-DD, e.g. %04d-%.5s), not Buddhist Era", name,
                 s, y - 543, s + 5);
        return false;
    }
    if (!shape || y < 1900 || m < 1 || m > 12 || d < 1 ||
        d > days[m - 1] + (m == 2 && leap(y) ? 1 : 0)) {
        snprintf(err, errlen, "%s %s: not a valid date (YYYY-MM-DD)", name, s);
        return false;
    }
    return true;
}

static bool check_fy(const char *s, char *err, size_t errlen)
{
    long long y;
    if (!parse_count(s, 4, 9999, &y)) {
        snprintf(err, errlen, "--fy %s: the fiscal year is a Buddhist-Era year such as 2567", s);
        return false;
    }
    if (y >= 1900 && y < 2400) {
        snprintf(err, errlen,
                 "--fy %s: the fiscal year is in the Buddhist Era (fiscal year %lld is %lld)", s, y,
                 y + 543);
        return false;
    }
    if (y < 2500 || y > 2700) {
        snprintf(err, errlen, "--fy %s: expected a Buddhist-Era year between 2500 and 2700", s);
        return false;
    }
    return true;
}

/* Checks one option's value (and normalises the instrument into a). */
static bool check_value(struct admin_args *a, enum admin_opt id, const char *v, char *err,
                        size_t errlen)
{
    long long n;
    const char *name = opt_name(id);
    switch (id) {
    case AO_FY:
        return check_fy(v, err, errlen);
    case AO_INSTRUMENT:
        if (strcasecmp(v, "IIT") != 0 && strcasecmp(v, "EIT") != 0) {
            snprintf(err, errlen,
                     "--instrument %s: must be IIT (staff) or EIT (outside stakeholders)", v);
            return false;
        }
        for (int i = 0; i < 3; i++)
            a->instrument[i] = (char)toupper((unsigned char)v[i]);
        a->instrument[3] = '\0';
        return true;
    case AO_OPENS:
    case AO_CLOSES:
        return check_date(v, err, errlen, name);
    case AO_AGENCY:
    case AO_CONTACT:
    case AO_LINK:
        if (!parse_count(v, 18, 999999999999999999LL, &n) || n == 0) {
            snprintf(err, errlen, "%s %s: must be a positive number (an id)", name, v);
            return false;
        }
        return true;
    case AO_PAGE:
    case AO_STAFF:
    case AO_EIT:
        if (!parse_count(v, 9, 100000000, &n)) {
            snprintf(err, errlen, "%s %s: must be a whole number from 0 to 100000000", name, v);
            return false;
        }
        return true;
    case AO_FORMAT:
        if (strcmp(v, "png") && strcmp(v, "svg") && strcmp(v, "pdf") && strcmp(v, "poster-png") &&
            strcmp(v, "html")) {
            snprintf(err, errlen, "--format %s: must be png, svg, pdf, poster-png or html", v);
            return false;
        }
        return true;
    case AO_CODE:
    case AO_OUTPUT:
        if (v[0] == '\0') {
            snprintf(err, errlen, "%s must not be empty", name);
            return false;
        }
        return true;
    case AO__COUNT:
        break;
    }
    abort(); /* every option is handled above */
}

/* Finds the option definition of arg ("--fy" or "--fy=2567"); *inline_value receives the part
 * after '=' (or NULL). */
static const struct opt_def *find_opt(const char *arg, const char **inline_value)
{
    const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
    *inline_value = eq ? eq + 1 : NULL;
    for (size_t i = 0; i < sizeof opt_defs / sizeof opt_defs[0]; i++) {
        const struct opt_def *d = &opt_defs[i];
        if ((strlen(d->name) == n && !strncmp(arg, d->name, n)) ||
            (d->alias && strlen(d->alias) == n && !strncmp(arg, d->alias, n)))
            return d;
    }
    return NULL;
}

static bool is_help(const char *s)
{
    return !strcmp(s, "--help") || !strcmp(s, "-h");
}

/* Finds the command from the first one or two words; *next is the index after them. */
static enum admin_parse_result find_command(int argc, char **argv, struct admin_args *a, int *next,
                                            char *err, size_t errlen)
{
    bool has_verbs = false;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].group, argv[0]) != 0)
            continue;
        if (!commands[i].verb) {
            a->cmd = &commands[i];
            *next = 1;
            return ADMIN_PARSE_OK;
        }
        has_verbs = true;
        if (argc > 1 && !strcmp(commands[i].verb, argv[1])) {
            a->cmd = &commands[i];
            *next = 2;
            return ADMIN_PARSE_OK;
        }
    }
    if (!has_verbs) {
        snprintf(err, errlen, "unknown command '%s'", argv[0]);
        return ADMIN_PARSE_USAGE;
    }
    if (argc > 1 && is_help(argv[1]))
        return ADMIN_PARSE_HELP;
    if (argc < 2)
        snprintf(err, errlen, "which one? (itactl %s --help lists them)", argv[0]);
    else
        snprintf(err, errlen, "unknown subcommand '%s' (itactl %s --help lists them)", argv[1],
                 argv[0]);
    return ADMIN_PARSE_USAGE;
}

/* One option at argv[*i] (advancing *i past its value). */
static enum admin_parse_result parse_option(int argc, char **argv, int *i, struct admin_args *a,
                                            char *err, size_t errlen)
{
    const char *arg = argv[*i], *value;
    if (!strcmp(arg, "--json") && a->cmd->json) {
        a->json = true;
        return ADMIN_PARSE_OK;
    }
    const struct opt_def *d = find_opt(arg, &value);
    if (!d || !(a->cmd->allowed & OPT(d->id))) {
        snprintf(err, errlen, "unknown option %s", arg);
        return ADMIN_PARSE_USAGE;
    }
    if (!value) {
        if (*i + 1 >= argc) {
            snprintf(err, errlen, "%s needs a value", arg);
            return ADMIN_PARSE_USAGE;
        }
        value = argv[++*i];
    }
    if (a->opt[d->id]) {
        snprintf(err, errlen, "%s given twice", d->name);
        return ADMIN_PARSE_USAGE;
    }
    if (!check_value(a, d->id, value, err, errlen))
        return ADMIN_PARSE_USAGE;
    a->opt[d->id] = d->id == AO_INSTRUMENT ? a->instrument : value;
    return ADMIN_PARSE_OK;
}

/* What must be there once every argument has been read. */
static enum admin_parse_result check_complete(struct admin_args *a, char *err, size_t errlen)
{
    const struct admin_cmd *c = a->cmd;
    if (c->agency && !a->opt[AO_CODE] == !a->opt[AO_AGENCY]) {
        snprintf(err, errlen, "name the agency with either --code CODE or --agency ID");
        return ADMIN_PARSE_USAGE;
    }
    for (int id = 0; id < AO__COUNT; id++) {
        if ((c->required & OPT(id)) && !a->opt[id]) {
            snprintf(err, errlen, "%s is required", opt_name((enum admin_opt)id));
            return ADMIN_PARSE_USAGE;
        }
    }
    if (c->file && !a->file) {
        snprintf(err, errlen, "%s is required", c->file);
        return ADMIN_PARSE_USAGE;
    }
    if (a->opt[AO_OPENS] && a->opt[AO_CLOSES] && strcmp(a->opt[AO_CLOSES], a->opt[AO_OPENS]) < 0) {
        snprintf(err, errlen, "--closes %s is before --opens %s", a->opt[AO_CLOSES],
                 a->opt[AO_OPENS]);
        return ADMIN_PARSE_USAGE;
    }
    return ADMIN_PARSE_OK;
}

enum admin_parse_result admin_parse(int argc, char **argv, struct admin_args *a, char *err,
                                    size_t errlen)
{
    memset(a, 0, sizeof *a);
    err[0] = '\0';
    a->group = argv[0];
    int i;
    enum admin_parse_result r = find_command(argc, argv, a, &i, err, errlen);
    if (r != ADMIN_PARSE_OK)
        return r;
    for (int j = i; j < argc; j++)
        if (is_help(argv[j]))
            return ADMIN_PARSE_HELP;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] == '-' && arg[1] != '\0') {
            r = parse_option(argc, argv, &i, a, err, errlen);
            if (r != ADMIN_PARSE_OK)
                return r;
        } else if (a->cmd->file && !a->file) {
            a->file = arg;
        } else {
            snprintf(err, errlen, "unexpected argument '%s'", arg);
            return ADMIN_PARSE_USAGE;
        }
    }
    return check_complete(a, err, errlen);
}

static void print_synopsis(FILE *f, const struct admin_cmd *c)
{
    fprintf(f, "  itactl %s%s%s %s\n", c->group, c->verb ? " " : "", c->verb ? c->verb : "",
            c->synopsis);
}

void admin_print_help(FILE *f, const struct admin_args *a)
{
    if (a->cmd) {
        fprintf(f, "usage:\n");
        print_synopsis(f, a->cmd);
        fprintf(f, "\n%s", a->cmd->help);
    } else {
        fprintf(f, "usage:\n");
        for (size_t i = 0; i < NCOMMANDS; i++)
            if (!strcmp(commands[i].group, a->group))
                print_synopsis(f, &commands[i]);
        fprintf(f, "\nitactl %s SUBCOMMAND --help explains each.\n", a->group);
    }
    fprintf(f,
            "\nGlobal options go before the command: itactl [--url URL] [--cacert FILE]\n"
            "[--token-file FILE] [--timeout S] %s ...; itactl --help explains them.\n",
            a->group);
}

void admin_print_summary(FILE *f)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        print_synopsis(f, &commands[i]);
}

int cmd_admin(const struct admin_global *g, int argc, char **argv)
{
    struct admin_args a;
    char err[512];
    switch (admin_parse(argc, argv, &a, err, sizeof err)) {
    case ADMIN_PARSE_HELP:
        admin_print_help(stdout, &a);
        return ITACTL_OK;
    case ADMIN_PARSE_USAGE:
        fprintf(stderr, "itactl %s%s%s: %s\n", argv[0], a.cmd && a.cmd->verb ? " " : "",
                a.cmd && a.cmd->verb ? a.cmd->verb : "", err);
        if (a.cmd) {
            fprintf(stderr, "usage:\n");
            print_synopsis(stderr, a.cmd);
        }
        return ITACTL_USAGE;
    case ADMIN_PARSE_OK:
        break;
    }
    /* a server that answers before reading a whole upload must not kill us with SIGPIPE */
    signal(SIGPIPE, SIG_IGN);
    int timeout = g->timeout_s;
    if (a.cmd->slow && !g->timeout_given && timeout < SLOW_TIMEOUT_S)
        timeout = SLOW_TIMEOUT_S;
    struct api_conn c;
    int rc = api_conn_open(&c, g->url, g->cacert, timeout, g->token_file, stderr);
    if (rc == ITACTL_OK)
        rc = a.cmd->run(&c, &a);
    api_conn_close(&c);
    return rc;
}
