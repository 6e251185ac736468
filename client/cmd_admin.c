/* itactl's administration commands (see cmd_admin.h): argument parsing and validation by each
 * command's admin_spec in the command table (every mistake is a usage error before anything is
 * sent), then the operation in admin_ops.c. */
#include "cmd_admin.h"

#include "admin_ops.h"
#include "api_client.h"
#include "thai_date.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    const struct itactl_cmd *c = itactl_cmd_first(word);
    return c && c->run == cmd_admin;
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
    if (!cmd_admin_is_command(argv[0])) {
        snprintf(err, errlen, "unknown command '%s'", argv[0]);
        return ADMIN_PARSE_USAGE;
    }
    if (itactl_cmd_find(argc, argv, &a->cmd) == FIND_OK) {
        *next = itactl_cmd_words(a->cmd);
        return ADMIN_PARSE_OK;
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
    if (!strcmp(arg, "--json") && a->cmd->spec.json) {
        a->json = true;
        return ADMIN_PARSE_OK;
    }
    const struct opt_def *d = find_opt(arg, &value);
    if (!d || !(a->cmd->spec.allowed & OPT(d->id))) {
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
    const struct admin_spec *c = &a->cmd->spec;
    if (c->agency && !a->opt[AO_CODE] == !a->opt[AO_AGENCY]) {
        snprintf(err, errlen, "name the agency with either --code CODE or --agency ID");
        return ADMIN_PARSE_USAGE;
    }
    /* The fiscal year defaults to the current one (Thailand's time). */
    static char current_fy[8]; /* outlives the call: a->opt borrows it */
    if ((c->allowed & OPT(AO_FY)) && !a->opt[AO_FY]) {
        snprintf(current_fy, sizeof current_fy, "%d", ita_fiscal_year_now());
        a->opt[AO_FY] = current_fy;
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
        } else if (a->cmd->spec.file && !a->file) {
            a->file = arg;
        } else {
            snprintf(err, errlen, "unexpected argument '%s'", arg);
            return ADMIN_PARSE_USAGE;
        }
    }
    return check_complete(a, err, errlen);
}

int cmd_admin(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc, char **argv)
{
    struct admin_args a;
    char err[512];
    switch (admin_parse(argc, argv, &a, err, sizeof err)) {
    case ADMIN_PARSE_HELP:
        itactl_cmd_print_help(stdout, a.cmd, a.group);
        return ITACTL_OK;
    case ADMIN_PARSE_USAGE:
        itactl_cmd_usage_error(a.cmd, argv[0], err);
        return ITACTL_USAGE;
    case ADMIN_PARSE_OK:
        break;
    }
    /* a server that answers before reading a whole upload must not kill us with SIGPIPE */
    signal(SIGPIPE, SIG_IGN);
    struct api_conn c;
    int rc = itactl_conn_open(a.cmd, g, &c);
    if (rc == ITACTL_OK)
        rc = a.cmd->spec.op(&c, &a);
    api_conn_close(&c);
    return rc;
}
