/* itactl's one command table (see commands.h): every command with its usage, help and handler,
 * the lookup by command words, the help and usage texts generated from it, and the dispatch that
 * itactl.c calls. */
#include "commands.h"

#include "admin_ops.h"
#include "api_client.h"
#include "build_config.h"
#include "cmd_admin.h"
#include "cmd_national.h"
#include "cmd_qr.h"
#include "cmd_results.h"
#include "cmd_score.h"

#include <string.h>

#define SLOW_TIMEOUT_S                                                                             \
    600 /* uploads of 100,000 rows, their mail merge, exports; unless --timeout */

#define AGENCY_OPTS (OPT(AO_CODE) | OPT(AO_AGENCY))
/* The admin_spec of a command read by admin_parse: allowed and required options, whether it names
 * an agency, takes --json, its positional argument, and its operation. */
#define ADMIN(allowed, required, agency, json, file, op)                                           \
    .run = cmd_admin, .spec = {allowed, required, agency, json, file, op}

/* ---- the small handlers ---- */

static int run_healthz(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                       char **argv)
{
    struct https_target t;
    char err[512];
    if (https_parse_url(g->url, &t, err, sizeof err) != 0) {
        fprintf(stderr, "itactl: %s\n", err);
        return ITACTL_USAGE;
    }
    struct https_response r;
    if (https_request(&t, g->cacert, "GET", "/healthz", NULL, NULL, 0, g->timeout_s, &r, err,
                      sizeof err) != 0) {
        fprintf(stderr, "itactl: %s\n", err);
        return ITACTL_UNREACHABLE;
    }
    fputs(r.body, stdout);
    int rc = r.status == 200 ? ITACTL_OK : ITACTL_SERVER_ERROR;
    if (rc)
        fprintf(stderr, "itactl: server answered %d\n", r.status);
    https_response_free(&r);
    return rc;
}

static int run_version(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                       char **argv)
{
    printf("itactl %s\n", ITA_VERSION);
    return ITACTL_OK;
}

static int run_score(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                     char **argv)
{
    return cmd_score(argc, argv);
}

static const struct itactl_cmd commands[] = {
    /* ---- offline ---- */
    {"score", NULL, NEEDS_NOTHING, false,
     "I1 .. I10 [--target GRADE] | score --csv FILE [--target GRADE]",
     "ITA what-if from indicator scores (itactl score --help for details)", NULL, .run = run_score},
    {"qr", NULL, NEEDS_NOTHING, false, "URL [--png FILE] [--svg FILE] [--module-px N]",
     "QR code of a survey link",
     "Writes the QR code of URL (error correction M, 4-module quiet zone) as PNG and/or\n"
     "SVG; N pixels per module (default 10).\n",
     .run = cmd_qr_run},
    {"poster", NULL, NEEDS_NOTHING, false,
     "--url URL --agency NAME --year YEAR [--instrument EIT|IIT]\n"
     "                [--pdf FILE] [--png FILE] [--dpi N] [--html FILE]",
     "A4 poster and website snippet of a survey link",
     "Writes an A4 poster (PDF, and/or PNG at N dpi, default 300) with the agency's Thai\n"
     "name, the fiscal year (Buddhist Era), a Thai instruction, the QR code and the link;\n"
     "--html writes a snippet to paste into the agency website.\n",
     .run = cmd_poster_run},
    {"version", NULL, NEEDS_NOTHING, false, "", "print the client version",
     "Prints the client version.\n", .run = run_version},
    /* ---- the server, no token ---- */
    {"healthz", NULL, NEEDS_SERVER, false, "",
     "ask the server whether it can serve (exit 0 when healthy)",
     "Prints the server's health answer; exit 0 when it can serve, 1 when it answers that it\n"
     "cannot.\n",
     .run = run_healthz},
    /* ---- administration ---- */
    {"agencies", "list", NEEDS_TOKEN, false, "[--page N] [--json]",
     "the agencies this token may see",
     "Lists the agencies this token may see (all pages, or only page N of 100).\n"
     "--json prints each page's answer as the server sent it, one document per line.\n",
     ADMIN(OPT(AO_PAGE), 0, false, true, NULL, op_agencies_list)},
    {"agencies", "import", NEEDS_TOKEN, true, "FILE.csv [--json]",
     "create or update agencies from a CSV file",
     "Creates or updates agencies from a CSV file (columns as in README, \"Lists\"; UTF-8 with or\n"
     "without BOM, or Windows-874 as Thai Excel saves it). System administrators only.\n"
     "Any bad row: every error is listed and nothing is imported. FILE.csv may be - (stdin).\n",
     ADMIN(0, 0, false, true, "FILE.csv", op_agencies_import)},
    {"history", "import", NEEDS_TOKEN, true, "FILE.csv [--json]",
     "past ITA results of many agencies from a CSV file",
     "Stores agencies' published ITA results of earlier years (columns as in README, \"Past\n"
     "results\", with an agency code column; UTF-8 with or without BOM, or Windows-874).\n"
     "System administrators only. Any bad row: every error is listed and nothing is stored.\n"
     "FILE.csv may be - (stdin).\n",
     ADMIN(0, 0, false, true, "FILE.csv", op_history_import)},
    {"year", "show", NEEDS_TOKEN, false, "(--code C | --agency ID) [--fy YEAR] [--json]",
     "an agency's fiscal year: window, populations, public links",
     "Shows an agency's fiscal year: survey window, populations, minimum samples and the ids\n"
     "and addresses of its public IIT and EIT links (ids for fetch-qr).\n",
     ADMIN(AGENCY_OPTS | OPT(AO_FY), OPT(AO_FY), true, true, NULL, op_year_show)},
    {"year", "set", NEEDS_TOKEN, false,
     "(--code C | --agency ID) [--fy YEAR] --opens YYYY-MM-DD --closes YYYY-MM-DD\n"
     "                  [--staff N] [--eit N] [--json]",
     "set up or change an agency's fiscal year",
     "Sets up or changes an agency's fiscal year: the survey window (Thailand time, closing\n"
     "day included), staff with at least a year of service (--staff) and the number of outside\n"
     "stakeholders (--eit), from which the minimum samples follow; a population not given\n"
     "keeps its current value. The first time it creates the year's public IIT and EIT links;\n"
     "later it moves their window.\n",
     ADMIN(AGENCY_OPTS | OPT(AO_FY) | OPT(AO_OPENS) | OPT(AO_CLOSES) | OPT(AO_STAFF) | OPT(AO_EIT),
           OPT(AO_FY) | OPT(AO_OPENS) | OPT(AO_CLOSES), true, true, NULL, op_year_set)},
    {"contacts", "import", NEEDS_TOKEN, true,
     "(--code C | --agency ID) [--fy YEAR] --instrument IIT|EIT FILE.csv [--json]",
     "upload a staff (IIT) or outside-stakeholder (EIT) list",
     "Uploads a staff (IIT) or outside-stakeholder (EIT) list: columns name, e-mail, phone,\n"
     "unit, start date, headers in Thai or English; UTF-8 (with or without BOM) or Windows-874.\n"
     "Any bad row: every error is listed (line, column, reason) and nothing is imported.\n"
     "Importing the same list again adds no duplicates. FILE.csv may be - (stdin).\n",
     ADMIN(AGENCY_OPTS | OPT(AO_FY) | OPT(AO_INSTRUMENT), OPT(AO_FY) | OPT(AO_INSTRUMENT), true,
           true, "FILE.csv", op_contacts_import)},
    {"contacts", "list", NEEDS_TOKEN, false,
     "(--code C | --agency ID) [--fy YEAR] --instrument IIT|EIT [--page N] [--json]",
     "the contacts of a list and whether each has a personal link",
     "Lists the contacts of a list and whether each has a personal link (all pages, or only\n"
     "page N). --json prints each page's answer as sent, one document per line.\n",
     ADMIN(AGENCY_OPTS | OPT(AO_FY) | OPT(AO_INSTRUMENT) | OPT(AO_PAGE),
           OPT(AO_FY) | OPT(AO_INSTRUMENT), true, true, NULL, op_contacts_list)},
    {"contacts", "purge", NEEDS_TOKEN, false, "(--code C | --agency ID) [--fy YEAR] [--json]",
     "delete the year's contact lists (PDPA) after the survey window",
     "Deletes the year's contact lists (PDPA) once the survey window has closed; responses\n"
     "are not touched. The server refuses (409) while the window is open, and logs the purge.\n",
     ADMIN(AGENCY_OPTS | OPT(AO_FY), OPT(AO_FY), true, true, NULL, op_contacts_purge)},
    {"links", "issue", NEEDS_TOKEN, false,
     "(--code C | --agency ID) [--fy YEAR] --instrument IIT|EIT [--json]",
     "personal links for the contacts that have none",
     "Gives every contact of the list that has no personal link one.\n",
     ADMIN(AGENCY_OPTS | OPT(AO_FY) | OPT(AO_INSTRUMENT), OPT(AO_FY) | OPT(AO_INSTRUMENT), true,
           true, NULL, op_links_issue)},
    {"links", "export", NEEDS_TOKEN, true,
     "(--code C | --agency ID) [--fy YEAR] --instrument IIT|EIT -o FILE.csv",
     "the mail-merge CSV of personal links",
     "Saves the mail-merge CSV (name, e-mail, phone, unit, personal link; UTF-8 with BOM, which\n"
     "Excel opens with Thai intact) byte for byte as the server sent it. The file holds personal\n"
     "data: it is created readable by you only. -o - writes to standard output.\n",
     ADMIN(AGENCY_OPTS | OPT(AO_FY) | OPT(AO_INSTRUMENT) | OPT(AO_OUTPUT),
           OPT(AO_FY) | OPT(AO_INSTRUMENT) | OPT(AO_OUTPUT), true, false, NULL, op_links_export)},
    {"links", "reissue", NEEDS_TOKEN, false, "--contact ID [--json]",
     "a new personal link for one contact",
     "Gives one contact a new personal link (ids from contacts list); the old link stops "
     "working.\n",
     ADMIN(OPT(AO_CONTACT), OPT(AO_CONTACT), false, true, NULL, op_links_reissue)},
    {"mail", "send", NEEDS_TOKEN, false,
     "(--code C | --agency ID) [--fy YEAR] --instrument IIT|EIT [--json]",
     "the server e-mails each contact's personal link",
     "Issues personal links to the contacts of the list that have none and queues one e-mail\n"
     "invitation per contact with an address whose current link has none yet; the server sends\n"
     "them itself (README \"Invitations by e-mail\"). Nobody gets an invitation twice.\n",
     ADMIN(AGENCY_OPTS | OPT(AO_FY) | OPT(AO_INSTRUMENT), OPT(AO_FY) | OPT(AO_INSTRUMENT), true,
           true, NULL, op_mail_send)},
    {"mail", "status", NEEDS_TOKEN, false,
     "(--code C | --agency ID) [--fy YEAR] --instrument IIT|EIT [--json]",
     "how the list's invitations and reminders stand (counts only)",
     "The delivery mode, counts (contacts, with an address, waiting, sent, refused, links used),\n"
     "the reminder rounds and the addresses the relay refused. Never a link.\n",
     ADMIN(AGENCY_OPTS | OPT(AO_FY) | OPT(AO_INSTRUMENT), OPT(AO_FY) | OPT(AO_INSTRUMENT), true,
           true, NULL, op_mail_status)},
    {"progress", NULL, NEEDS_TOKEN, false, "(--code C | --agency ID) [--fy YEAR] [--json]",
     "responses against the minimum sample, per day, link uptake",
     "Responses per instrument against the minimum sample, per day, and personal-link uptake\n"
     "(how many spent, never who). Days with fewer than k responses are not shown; k is the\n"
     "server's configured results_min_responses, and the output says which.\n",
     ADMIN(AGENCY_OPTS | OPT(AO_FY), OPT(AO_FY), true, true, NULL, op_progress)},
    {"national", NULL, NEEDS_TOKEN, true,
     "[--fy YEAR] [--state STATE] [--search TEXT] [--kind TYPE] [--parent CODE]\n"
     "                [--rating RATING] [--sort COLUMN] [--dir asc|desc] [--format csv|json]\n"
     "                [--keys en|th] [-o FILE]",
     "every agency of a fiscal year: progress, OIT, published result (system administrators)",
     "The national view as CSV (English column keys unless --keys th) or JSON, every row that\n"
     "passes the filters, in the order asked. STATE: low14 (below a minimum with 14 days left\n"
     "or fewer), below, reached, unset, open, closed, published. COLUMN: code, name, kind,\n"
     "parent, iit, eit, days, oit, score, rating. TYPE: an agency type's key or Thai name.\n",
     .run = cmd_national},
    {"fetch-qr", NULL, NEEDS_TOKEN, true, "--link ID --format png|svg|pdf|poster-png|html -o FILE",
     "a public link's QR code, poster or website snippet, made by the server",
     "Saves what the server makes for a public link (ids from year show): its QR code (png,\n"
     "svg), the A4 poster (pdf, poster-png) or the website snippet (html). The qr and poster\n"
     "commands make the same locally, without a server.\n",
     ADMIN(OPT(AO_LINK) | OPT(AO_FORMAT) | OPT(AO_OUTPUT),
           OPT(AO_LINK) | OPT(AO_FORMAT) | OPT(AO_OUTPUT), false, false, NULL, op_fetch_qr)},
    /* ---- results ---- */
    {"oit", "set", NEEDS_TOKEN, false,
     "--agency ID [--fy YEAR] --item O1 --met yes|no|none\n"
     "                 [--url URL] [--note TEXT] [--json]",
     "mark one OIT item of an agency's year",
     "Records whether an agency meets one OIT item in a fiscal year: --met yes, no, or none\n"
     "(not assessed yet; also 1/0, met/not-met, ผ่าน/ไม่ผ่าน), with the page that shows it\n"
     "(--url) and a note.\n",
     .run = results_oit_set},
    {"oit", "import", NEEDS_TOKEN, true, "FILE", "OIT marks of many agencies from a CSV file",
     "CSV: agency,fiscal_year,item,met,url,note (many agencies; a header line is optional).\n"
     "met is yes/no/1/0/ผ่าน/ไม่ผ่าน or empty. Rows are sent per agency and year, in file order.\n",
     .run = results_oit_import},
    {"scores", NULL, NEEDS_TOKEN, false, "--agency ID [--fy YEAR] [--json]",
     "an agency's scores (none from fewer than results_min_responses responses)",
     "Prints an agency's responses, indicator scores, group means, total and rating. An\n"
     "instrument's scores are shown only from the server's configured results_min_responses\n"
     "responses on (k-anonymity); itactl has no number of its own for it.\n",
     .run = results_scores},
    {"export", "--raw", NEEDS_TOKEN, true, "--fy YEAR [--agency ID] [--instrument IIT|EIT] -o FILE",
     "the anonymous responses (CSV, streamed; an interrupted transfer leaves no file)",
     "Saves the anonymous responses as CSV, streamed into a temporary file next to FILE and\n"
     "renamed into place once the last chunk has arrived: an interrupted transfer leaves no\n"
     "file.\n",
     .run = results_export_raw},
    {"export", NULL, NEEDS_TOKEN, true,
     "--fy YEAR [--agency ID] [--kind aggregates|questions]\n"
     "                [--format csv|json] -o FILE",
     "the results and FILE.manifest.json (signed)",
     "Saves the aggregate (or per-question) results as CSV or JSON, and next to them\n"
     "FILE.manifest.json, the server's signed manifest (itactl verify checks it). Scores of an\n"
     "instrument with fewer than the server's configured results_min_responses responses are\n"
     "left out. itactl export --raw --help: the anonymous responses themselves.\n",
     .run = results_export},
    {"verify", NULL, NEEDS_TOKEN, false, "FILE MANIFEST [--key HEX | --key-file FILE]",
     "check a file against its signed manifest",
     "Checks FILE against MANIFEST: its SHA-256 and the Ed25519 signature over the canonical\n"
     "payload, with the key given (no server needed), else the server's /admin/export-key.\n",
     .run = results_verify},
    {"report", NULL, NEEDS_TOKEN, true, "--agency ID [--fy YEAR] -o FILE.html",
     "the printable Thai report", "Saves an agency's printable Thai report (HTML).\n",
     .run = results_report},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static bool is_flag_variant(const struct itactl_cmd *c)
{
    return c->verb && c->verb[0] == '-';
}

int itactl_cmd_words(const struct itactl_cmd *cmd)
{
    return cmd->verb && !is_flag_variant(cmd) ? 2 : 1;
}

static bool has_arg(int argc, char **argv, const char *word)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], word))
            return true;
    return false;
}

const struct itactl_cmd *itactl_cmd_first(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

enum itactl_find itactl_cmd_find(int argc, char **argv, const struct itactl_cmd **found)
{
    bool known = false;
    *found = NULL;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const struct itactl_cmd *c = &commands[i];
        if (strcmp(c->name, argv[0]) != 0)
            continue;
        known = true;
        bool match = !c->verb || (is_flag_variant(c) ? has_arg(argc, argv, c->verb)
                                                     : argc > 1 && !strcmp(c->verb, argv[1]));
        if (match) {
            *found = c;
            return FIND_OK;
        }
    }
    return known ? FIND_GROUP : FIND_UNKNOWN;
}

/* "NAME" or "NAME VERB", as in messages. */
static void print_words(FILE *f, const struct itactl_cmd *cmd)
{
    fprintf(f, "%s%s%s", cmd->name, cmd->verb ? " " : "", cmd->verb ? cmd->verb : "");
}

void itactl_cmd_print_synopsis(FILE *f, const struct itactl_cmd *cmd)
{
    fputs("  itactl ", f);
    print_words(f, cmd);
    fprintf(f, "%s%s\n", cmd->usage[0] ? " " : "", cmd->usage);
}

void itactl_cmd_print_help(FILE *f, const struct itactl_cmd *cmd, const char *group)
{
    fprintf(f, "usage:\n");
    if (cmd) {
        itactl_cmd_print_synopsis(f, cmd);
        fprintf(f, "\n%s", cmd->help);
    } else {
        for (size_t i = 0; i < NCOMMANDS; i++)
            if (!strcmp(commands[i].name, group))
                itactl_cmd_print_synopsis(f, &commands[i]);
        fprintf(f, "\nitactl %s SUBCOMMAND --help explains each.\n", group);
    }
    if (!cmd || cmd->needs != NEEDS_NOTHING)
        fprintf(f,
                "\nGlobal options go before the command: itactl [--url URL] [--cacert FILE]\n"
                "[--token-file FILE] [--timeout S] %s ...; itactl --help explains them.\n",
                group);
}

void itactl_cmd_usage_error(const struct itactl_cmd *cmd, const char *group, const char *err)
{
    fputs("itactl ", stderr);
    if (cmd)
        print_words(stderr, cmd);
    else
        fputs(group, stderr);
    fprintf(stderr, ": %s\n", err);
    if (cmd) {
        fprintf(stderr, "usage:\n");
        itactl_cmd_print_synopsis(stderr, cmd);
    }
}

void itactl_print_usage(FILE *f)
{
    static const char *const section[] = {
        [NEEDS_NOTHING] = "Commands that need no server:\n",
        [NEEDS_SERVER] = "Commands that ask the server (no token needed):\n",
        [NEEDS_TOKEN] = "Administration over the server's JSON API (an API token is needed; "
                        "--json prints\nthe server's answer as it came):\n",
    };
    fprintf(f,
            "usage: itactl [--url https://HOST:PORT] [--cacert FILE] [--timeout SECONDS]\n"
            "              [--token-file FILE] COMMAND\n"
            "\n"
            "Every command has --help (itactl COMMAND --help) explaining it. --fy YEAR (Buddhist\n"
            "Era) defaults to the current fiscal year, from 1 October (Thailand time).\n");
    for (int s = NEEDS_NOTHING; s <= NEEDS_TOKEN; s++) {
        fprintf(f, "\n%s", section[s]);
        for (size_t i = 0; i < NCOMMANDS; i++) {
            if (commands[i].needs != (enum itactl_needs)s)
                continue;
            itactl_cmd_print_synopsis(f, &commands[i]);
            fprintf(f, "      %s\n", commands[i].summary);
        }
    }
    fprintf(f,
            "\n"
            "The API token never goes on the command line (ps would show it): --token-file FILE,\n"
            "else the file named by ITACTL_TOKEN_FILE, else ITACTL_TOKEN itself. Tokens are made\n"
            "on the web admin's API tokens page (/admin/tokens) or by itad --create-api-token.\n"
            "Environment: ITACTL_URL, ITACTL_CACERT (defaults for --url and --cacert).\n"
            "Exit status: 0 success, 1 the server answered with an error (or its answer could\n"
            "not be used or saved), 2 usage error (also: no token, unreadable input file),\n"
            "3 the server could not be reached or its certificate was not trusted.\n");
}

static bool is_help(const char *s)
{
    return !strcmp(s, "--help") || !strcmp(s, "-h");
}

int itactl_dispatch(const struct itactl_global *g, int argc, char **argv)
{
    const struct itactl_cmd *cmd;
    switch (itactl_cmd_find(argc, argv, &cmd)) {
    case FIND_UNKNOWN:
        fprintf(stderr, "itactl: unknown command '%s' (see itactl --help)\n", argv[0]);
        return ITACTL_USAGE;
    case FIND_GROUP:
        if (argc > 1 && is_help(argv[1])) {
            itactl_cmd_print_help(stdout, NULL, argv[0]);
            return ITACTL_OK;
        }
        char err[512];
        if (argc < 2)
            snprintf(err, sizeof err, "which one? (itactl %s --help lists them)", argv[0]);
        else
            snprintf(err, sizeof err, "unknown subcommand '%s' (itactl %s --help lists them)",
                     argv[1], argv[0]);
        itactl_cmd_usage_error(NULL, argv[0], err);
        return ITACTL_USAGE;
    case FIND_OK:
        break;
    }
    if (cmd->help) {
        for (int i = itactl_cmd_words(cmd); i < argc; i++) {
            if (is_help(argv[i])) {
                itactl_cmd_print_help(stdout, cmd, argv[0]);
                return ITACTL_OK;
            }
        }
    }
    return cmd->run(cmd, g, argc, argv);
}

bool itactl_is_offline(int argc, char **argv)
{
    const struct itactl_cmd *cmd;
    return argc > 0 && itactl_cmd_find(argc, argv, &cmd) == FIND_OK && cmd->needs == NEEDS_NOTHING;
}

int itactl_conn_open(const struct itactl_cmd *cmd, const struct itactl_global *g,
                     struct api_conn *c)
{
    int timeout = g->timeout_s;
    if (cmd->slow && !g->timeout_given && timeout < SLOW_TIMEOUT_S)
        timeout = SLOW_TIMEOUT_S;
    return api_conn_open(c, g->url, g->cacert, timeout, g->token_file, stderr);
}
