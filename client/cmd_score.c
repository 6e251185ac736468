/* `itactl score`: group means, weighted parts, total, rating and indicator classes from ten
 * indicator scores given on the command line or in a CSV file of many agencies, plus the what-if
 * rise per indicator (and, for the tiered rating, per tool) for a target level. The weights and
 * the rating come from the fiscal year's instrument file. Needs no server; all arithmetic is
 * core/scoring.c. */
#include "cmd_score.h"

#include "arena.h"
#include "build_config.h"
#include "thai_date.h"
#include "import_util.h"
#include "scoring.h"
#include "xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LINE_BYTES 65536 /* longest CSV line accepted */
#define MAX_AGENCY_BYTES 64  /* longest agency code */
#define N_COLUMNS (1 + ITA_N_INDICATORS)

/* Indicator names as printed in NACC's reports (the seed report), for display only. */
static const char *const indicator_en[ITA_N_INDICATORS] = {
    "Performance of duties",   "Use of budget",          "Use of authority",
    "Use of state property",   "Anti-corruption",        "Quality of operations",
    "Effective communication", "Improving work systems", "Information disclosure",
    "Corruption prevention",
};
static const char *const indicator_th[ITA_N_INDICATORS] = {
    "การปฏิบัติหน้าที่",        "การใช้งบประมาณ",    "การใช้อำนาจ",        "การใช้ทรัพย์สินของราชการ",
    "การแก้ไขปัญหาการทุจริต", "คุณภาพการดำเนินงาน", "ประสิทธิภาพการสื่อสาร", "การปรับปรุงระบบการทำงาน",
    "การเปิดเผยข้อมูล",      "การป้องกันการทุจริต",
};

struct options {
    const char *csv;                      /* --csv FILE, or NULL */
    const char *target_name;              /* --target LEVEL, or NULL */
    int target;                           /* its index in the year's rating; -1 without */
    int fy;                               /* --fy YEAR, default the current fiscal year */
    const char *instruments;              /* --instruments DIR or file, or NULL */
    const char *scores[ITA_N_INDICATORS]; /* the positional scores (borrowed from argv) */
    int n_scores;                         /* how many positional arguments */
    bool help;                            /* --help / -h */
};

static void usage(FILE *f)
{
    fputs("usage: itactl score I1 I2 I3 I4 I5 I6 I7 I8 I9 I10 [--fy YEAR] [--target LEVEL]\n"
          "       itactl score --csv FILE [--fy YEAR] [--target LEVEL]\n"
          "\n"
          "Computes the ITA group means (IIT = indicators 1-5, EIT = 6-8, OIT = 9-10), weighted\n"
          "parts, total, rating and the class of each indicator from ten indicator scores from\n"
          "0 to 100, with the weights and rating of fiscal year YEAR's instrument file: AA-F up\n"
          "to 2566; from 2567 the tiers ผ่านดีเยี่ยม / ผ่านดี / ผ่าน / ต้องปรับปรุง /\n"
          "ต้องปรับปรุงโดยด่วน, which also need each tool at a minimum. Write - for a score that\n"
          "is not known yet: a total without all three groups is partial and gets no rating.\n"
          "\n"
          "  --fy YEAR       the fiscal year (Buddhist Era); default the current one\n"
          "  --instruments P the instrument file, or the folder holding YEAR.json (default:\n"
          "                  $ITA_INSTRUMENTS_DIR, else the instruments/ folder of the build)\n"
          "  --target LEVEL  also show, for each indicator alone, the smallest rise that earns\n"
          "                  LEVEL (a level of the year's rating: AA ... F, or ผ่านดี, or its\n"
          "                  English name such as \"good pass\")\n"
          "  --csv FILE      read agencies from FILE (- for standard input): a header line\n"
          "                  agency,I1,I2,...,I10 then one agency per line; an empty cell is a\n"
          "                  score not known yet. Writes CSV, one line per agency (the rating in\n"
          "                  its own cell, and the tools that keep it from the next level in\n"
          "                  blocked_by); rejected rows are reported on standard error with their\n"
          "                  line number.\n",
          f);
}

/* ---------------------------------------------------------------------------------------------
 * Arguments. */

/* When argv[*i] is option name, as "--name VALUE" or "--name=VALUE": *val is its value (*i
 * advanced past it) and the result 1. 0 when argv[*i] is another word; -1 when the value is
 * missing, or empty and nonempty is set (message to err: the option "needs" what). */
static int option_value(int argc, char **argv, int *i, const char *name, const char *needs,
                        bool nonempty, const char **val, FILE *err)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
    } else if (*i + 1 < argc) {
        *val = argv[++*i];
    } else {
        *val = NULL;
    }
    if (!*val || (nonempty && **val == '\0')) {
        fprintf(err, "itactl score: %s needs %s\n", name, needs);
        return -1;
    }
    return 1;
}

ITA_WUR static int parse_args(int argc, char **argv, struct options *o, FILE *err)
{
    memset(o, 0, sizeof *o);
    o->target = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            o->help = true;
            continue;
        }
        int got =
            option_value(argc, argv, &i, "--target",
                         "a level of the year's rating (AA ... F, ผ่านดี ...)", true, &val, err);
        if (got < 0)
            return -1;
        if (got) {
            o->target_name = val;
            continue;
        }
        got = option_value(argc, argv, &i, "--fy", "a fiscal year such as 2570", true, &val, err);
        if (got < 0)
            return -1;
        if (got) {
            char *end;
            long y = strtol(val, &end, 10);
            if (*end != '\0' || y < 2550 || y > 2700) {
                fprintf(err,
                        "itactl score: --fy '%s' is not a fiscal year; write the Buddhist Era "
                        "year, such as 2570\n",
                        val);
                return -1;
            }
            o->fy = (int)y;
            continue;
        }
        got = option_value(argc, argv, &i, "--instruments", "a file or folder", true, &val, err);
        if (got < 0)
            return -1;
        if (got) {
            o->instruments = val;
            continue;
        }
        got = option_value(argc, argv, &i, "--csv", "a file name (- for standard input)", true,
                           &val, err);
        if (got < 0)
            return -1;
        if (got) {
            o->csv = val;
            continue;
        }
        if (a[0] == '-' && a[1] == '-') {
            fprintf(err, "itactl score: unknown option '%s'\n", a);
            return -1;
        }
        if (o->n_scores == ITA_N_INDICATORS) {
            fprintf(err, "itactl score: more than %d indicator scores given ('%s')\n",
                    ITA_N_INDICATORS, a);
            return -1;
        }
        o->scores[o->n_scores++] = a;
    }
    if (o->help)
        return 0;
    if (o->csv && o->n_scores > 0) {
        fprintf(err, "itactl score: give either ten scores or --csv FILE, not both\n");
        return -1;
    }
    if (!o->csv && o->n_scores != ITA_N_INDICATORS) {
        fprintf(err, "itactl score: expected %d indicator scores, got %d\n", ITA_N_INDICATORS,
                o->n_scores);
        return -1;
    }
    return 0;
}

/* A score: digits with an optional decimal part, 0..100. The value is the correctly rounded
 * double of the decimal (the digits as an integer below 2^53, divided once by an exact power of
 * ten), independent of the C locale. `unknown` (NULL for none) is the text meaning "not known".
 * On error writes the reason into why[] and returns -1. */
ITA_WUR static int parse_score(const char *s, size_t len, const char *unknown,
                               struct ita_value *out, char *why, size_t why_size)
{
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3,  1e4,  1e5, 1e6,
                                   1e7, 1e8, 1e9, 1e10, 1e11, 1e12};
    out->defined = false;
    out->value = 0.0;
    if (unknown && len == strlen(unknown) && memcmp(s, unknown, len) == 0)
        return 0;
    uint64_t digits = 0;
    int int_digits = 0, frac_digits = 0;
    bool seen_dot = false, leading = true;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '.' && !seen_dot) {
            seen_dot = true;
            continue;
        }
        if (c < '0' || c > '9')
            goto bad;
        if (seen_dot) {
            if (++frac_digits > 12)
                goto bad;
        } else {
            if (leading && c == '0')
                continue;
            leading = false;
            if (++int_digits > 3)
                goto range;
        }
        digits = digits * 10 + (uint64_t)(c - '0');
    }
    if (len == 0 || (seen_dot && frac_digits == 0) || (seen_dot && len == 1) ||
        (seen_dot && s[0] == '.'))
        goto bad;
    out->value = (double)digits / pow10[frac_digits];
    if (out->value > 100.0)
        goto range;
    out->defined = true;
    return 0;
bad:
    snprintf(why, why_size, "'%.*s' is not a score: write a number from 0 to 100 such as 94.56%s",
             (int)len, s,
             unknown ? (unknown[0] ? ", or - if not known"
                                   : ", or leave the cell empty if "
                                     "not known")
                     : "");
    return -1;
range:
    snprintf(why, why_size, "'%.*s' is above 100", (int)len, s);
    return -1;
}

/* ---------------------------------------------------------------------------------------------
 * Human-readable output. */

static const char *fmt_value(struct ita_value v, char buf[ITA_FMT_SIZE])
{
    if (!v.defined)
        return "-";
    return ita_format_2dp(v.value, buf);
}

/* "EIT 84.20 < 85.00" for every tool below the level's minimum, joined by sep; returns whether
 * any. */
static bool write_blockers(FILE *out, const struct ita_summary *s, int level, const char *sep)
{
    char b1[ITA_FMT_SIZE], b2[ITA_FMT_SIZE];
    bool any = false;
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        double min;
        if (ita_tool_short(s->rules, level, s, (enum ita_instrument)g, &min) <= 0)
            continue;
        fprintf(out, "%s%s %s < %s", any ? sep : "", ita_instrument_code((enum ita_instrument)g),
                ita_format_2dp(s->group[g].value, b1), ita_format_2dp(min, b2));
        any = true;
    }
    return any;
}

/* For the tiered rating: what each tool must gain for every better level that needs tool
 * minimums ("the smallest rise per tool to reach ผ่านดี and ผ่านดีเยี่ยม"). */
static void print_tool_plans(FILE *out, const struct ita_summary *s)
{
    const struct ita_rules *r = s->rules;
    char b1[ITA_FMT_SIZE], b2[ITA_FMT_SIZE];
    for (int level = 0; level < s->rating; level++) {
        struct ita_tool_plan p;
        if (!r->levels[level].has_tool_min || ita_tool_plan(s, level, &p) < 0)
            continue;
        fprintf(out, "\nTo reach %s (ถึงระดับ %s):\n", r->levels[level].name_th,
                r->levels[level].name_th);
        if (!p.possible) {
            fputs("  not reachable: a tool would need more than 100.\n", out);
            continue;
        }
        for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
            if (p.to_minimum[g] <= 0)
                continue;
            fprintf(out, "  %s +%s (to %s)\n", ita_instrument_code((enum ita_instrument)g),
                    ita_format_2dp_up(p.to_minimum[g], b1),
                    ita_format_2dp_up(s->group[g].value + p.to_minimum[g], b2));
        }
        if (p.total_gap > 0) {
            fprintf(out, "  and the total still lacks %s: one of",
                    ita_format_2dp_up(p.total_gap, b1));
            bool first = true;
            for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
                if (!p.alone_possible[g])
                    continue;
                fprintf(out, "%s %s +%s more", first ? "" : " or",
                        ita_instrument_code((enum ita_instrument)g),
                        ita_format_2dp_up(p.alone[g], b2));
                first = false;
            }
            fputs("\n", out);
        }
    }
}

static void print_summary(FILE *out, const struct ita_summary *s)
{
    static const char *const ranges[ITA_N_INSTRUMENTS] = {"1-5", "6-8", "9-10"};
    const int *weights = s->rules->weight;
    char b1[ITA_FMT_SIZE], b2[ITA_FMT_SIZE];

    fprintf(out, "%-30s %7s  %-8s %s\n", "Indicator", "Score", "Class", "ตัวชี้วัด");
    for (int i = 0; i < ITA_N_INDICATORS; i++) {
        struct ita_value v = s->indicator[i];
        const char *cls = v.defined ? ita_class_name(ita_classify(v.value)) : "-";
        fprintf(out, "%2d %-27s %7s  %-8s %s\n", i + 1, indicator_en[i], fmt_value(v, b1), cls,
                indicator_th[i]);
    }
    fprintf(out, "\n%-6s %-10s %7s %7s %9s\n", "Group", "Indicators", "Mean", "Weight", "Weighted");
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        fprintf(out, "%-6s %-10s %7s %6d%% %9s\n", ita_instrument_code((enum ita_instrument)g),
                ranges[g], fmt_value(s->group[g], b1), weights[g], fmt_value(s->weighted[g], b2));
    }
    switch (s->state) {
    case ITA_TOTAL_COMPLETE:
        fprintf(out, "%-33s %9s  %s %s, %s\n", "Total", ita_format_2dp(s->total, b1),
                s->rules->tiered ? "rating" : "grade", ita_rating_name(s->rules, s->rating),
                s->pass ? "pass" : "not passed");
        if (s->blocked >= 0) {
            fputs("  ", out);
            write_blockers(out, s, s->blocked, ", ");
            fprintf(out, ": %s, ไม่ถึง%s\n", ita_rating_name(s->rules, s->rating),
                    ita_rating_name(s->rules, s->blocked));
        }
        break;
    case ITA_TOTAL_PARTIAL: {
        char missing[32] = "";
        for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
            if (!s->group[g].defined) {
                size_t used = strlen(missing);
                snprintf(missing + used, sizeof missing - used, "%s%s", used ? ", " : "",
                         ita_instrument_code((enum ita_instrument)g));
            }
        }
        fprintf(out, "%-33s %9s  partial: out of %d, %s missing; no rating\n", "Total",
                ita_format_2dp(s->total, b1), s->total_max, missing);
        break;
    }
    case ITA_TOTAL_NONE:
        fprintf(out, "%-33s %9s  no group has all its indicators; no rating\n", "Total", "-");
        break;
    }
    fprintf(out, "\nClasses: urgent < 90 (%s), develop 90 to < 95 (%s), keep >= 95 (%s).\n",
            ita_class_name_th(ITA_CLASS_URGENT), ita_class_name_th(ITA_CLASS_DEVELOP),
            ita_class_name_th(ITA_CLASS_KEEP));
    fputs("Figures are rounded half-up to 2 decimals for display only; means, total, rating and\n"
          "classes use the unrounded values.\n",
          out);
    if (s->state == ITA_TOTAL_COMPLETE && s->rules->tiered)
        print_tool_plans(out, s);
}

static void print_target(FILE *out, const struct ita_value ind[ITA_N_INDICATORS],
                         const struct ita_summary *s, int target)
{
    char b1[ITA_FMT_SIZE], b2[ITA_FMT_SIZE], b3[ITA_FMT_SIZE];
    const struct ita_rating_level *lv = &s->rules->levels[target];
    struct ita_whatif w[ITA_N_INDICATORS];

    fprintf(out, "\nTarget %s (total >= %s", lv->name_th,
            ita_format_2dp(ita_rational_value(lv->total_min), b1));
    if (lv->has_tool_min)
        fprintf(out, "; IIT, EIT and OIT each >= %s",
                ita_format_2dp(ita_rational_value(lv->tool_min[0]), b1));
    fputs("):\n", out);
    if (ita_whatif(s->rules, ind, target, w) < 0) {
        fputs("  needs all ten indicator scores.\n", out);
        return;
    }
    if (s->rating <= target) {
        fprintf(out, "  the scores already earn %s; no rise needed.\n",
                ita_rating_name(s->rules, s->rating));
        return;
    }
    fprintf(out, "  smallest rise of one indicator alone (the others unchanged):\n");
    fprintf(out, "%-30s %7s %8s %8s\n", "Indicator", "Now", "Rise", "Becomes");
    for (int i = 0; i < ITA_N_INDICATORS; i++) {
        if (w[i].state == ITA_WHATIF_BLOCKED) {
            fprintf(out,
                    "%2d %-27s %7s  not by this indicator alone: another tool is below %s's "
                    "minimum\n",
                    i + 1, indicator_en[i], ita_format_2dp(ind[i].value, b1), lv->name_th);
        } else if (w[i].state == ITA_WHATIF_UNREACHABLE) {
            fprintf(out, "%2d %-27s %7s  not reachable by this indicator alone (would need %s)\n",
                    i + 1, indicator_en[i], ita_format_2dp(ind[i].value, b1),
                    ita_format_2dp_up(w[i].new_score, b2));
        } else {
            char rise[ITA_FMT_SIZE + 1];
            snprintf(rise, sizeof rise, "+%s", ita_format_2dp_up(w[i].increase, b2));
            fprintf(out, "%2d %-27s %7s %8s %8s\n", i + 1, indicator_en[i],
                    ita_format_2dp(ind[i].value, b1), rise, ita_format_2dp_up(w[i].new_score, b3));
        }
    }
    fputs("Rises are exact values rounded up to 0.01, so that each one reaches the level.\n", out);
}

static int run_args(const struct options *o, const struct ita_rules *rules, FILE *out, FILE *err)
{
    struct ita_value ind[ITA_N_INDICATORS];
    struct ita_summary s;
    char why[160];
    for (int i = 0; i < ITA_N_INDICATORS; i++) {
        if (parse_score(o->scores[i], strlen(o->scores[i]), "-", &ind[i], why, sizeof why) < 0) {
            fprintf(err, "itactl score: indicator %d: %s\n", i + 1, why);
            return 1;
        }
    }
    if (ita_summarise(rules, ind, &s) < 0) {
        /* parse_score admits only finite values in 0..100 */
        fputs("itactl score: internal error: score out of range after parsing\n", err);
        abort();
    }
    print_summary(out, &s);
    if (o->target >= 0)
        print_target(out, ind, &s, o->target);
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * CSV: simple RFC 4180 cells (optionally "quoted", "" for a quote), one record per line. */

struct line {
    char *buf;    /* the line without its terminator, NUL-terminated */
    size_t len;   /* bytes in buf */
    size_t cap;   /* allocated */
    bool nul;     /* the line contained a NUL byte */
    bool toolong; /* the line exceeded MAX_LINE_BYTES (the rest was skipped) */
};

/* Read one line; returns false at end of file with nothing read. */
ITA_WUR static bool read_line(FILE *f, struct line *l)
{
    int c;
    bool any = false;
    l->len = 0;
    l->nul = false;
    l->toolong = false;
    for (;;) {
        c = fgetc(f);
        if (c == EOF)
            break;
        any = true;
        if (c == '\n')
            break;
        if (c == '\0')
            l->nul = true;
        if (l->len >= MAX_LINE_BYTES) {
            l->toolong = true;
            continue;
        }
        if (l->len + 2 > l->cap) {
            l->cap = l->cap ? l->cap * 2 : 256;
            l->buf = xreallocarray(l->buf, l->cap, 1);
        }
        l->buf[l->len++] = (char)c;
    }
    if (l->len > 0 && l->buf[l->len - 1] == '\r')
        l->len--;
    if (!l->buf) {
        l->cap = 1;
        l->buf = xmalloc(1);
    }
    l->buf[l->len] = '\0';
    return any;
}

struct cell {
    char *text; /* unquoted, trimmed cell text, owned */
    size_t len;
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Split a line into at most max cells; returns the cell count, or -1 with why[] set. Cells past
 * max are counted but not stored. */
ITA_WUR static int split_cells(const char *s, size_t len, struct cell *cells, int max, char *why,
                               size_t why_size)
{
    size_t i = 0;
    int n = 0;
    for (;;) {
        char *text = xmalloc(len + 1);
        size_t tl = 0;
        while (i < len && is_space(s[i]))
            i++;
        if (i < len && s[i] == '"') {
            i++;
            bool closed = false;
            while (i < len) {
                if (s[i] == '"') {
                    if (i + 1 < len && s[i + 1] == '"') {
                        text[tl++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    closed = true;
                    break;
                }
                text[tl++] = s[i++];
            }
            while (i < len && is_space(s[i]))
                i++;
            if (!closed || (i < len && s[i] != ',')) {
                snprintf(why, why_size, "cell %d: %s", n + 1,
                         closed ? "text after the closing quote"
                                : "quoted cell is not closed on this line");
                free(text);
                goto fail;
            }
        } else {
            while (i < len && s[i] != ',') {
                if (s[i] == '"') {
                    snprintf(why, why_size,
                             "cell %d: a quote inside an unquoted cell; quote the whole cell",
                             n + 1);
                    free(text);
                    goto fail;
                }
                text[tl++] = s[i++];
            }
            while (tl > 0 && is_space(text[tl - 1]))
                tl--;
        }
        text[tl] = '\0';
        if (n < max) {
            cells[n].text = text;
            cells[n].len = tl;
        } else {
            free(text);
        }
        n++;
        if (i >= len)
            break;
        i++; /* the comma */
    }
    return n;
fail:
    for (int k = 0; k < n && k < max; k++)
        free(cells[k].text);
    return -1;
}

static void free_cells(struct cell *cells, int n)
{
    for (int k = 0; k < n && k < N_COLUMNS; k++)
        free(cells[k].text);
}

/* The agency codes seen, each with the line of its first appearance (the map borrows the codes
 * from the arena). */
struct seen {
    struct ita_strmap lines;
    struct arena codes;
};

static void seen_init(struct seen *t)
{
    ita_strmap_init(&t->lines);
    arena_init(&t->codes, 16384);
}

/* Returns 0 if added, or the earlier line number if the code was already there. */
static long seen_add(struct seen *t, const char *s, long line)
{
    unsigned long first = 0;
    if (ita_strmap_add(&t->lines, arena_strndup(&t->codes, s, strlen(s)), (unsigned long)line,
                       &first))
        return 0;
    return (long)first;
}

static void seen_free(struct seen *t)
{
    ita_strmap_free(&t->lines);
    arena_reset(&t->codes);
}

static void csv_write_text(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL && !is_space(s[0])) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void csv_write_value(FILE *out, struct ita_value v)
{
    char b[ITA_FMT_SIZE];
    fputc(',', out);
    if (v.defined)
        fputs(ita_format_2dp(v.value, b), out);
}

static bool header_cell_ok(const struct cell *c, int col)
{
    if (col == 0)
        return strcasecmp(c->text, "agency") == 0 || strcasecmp(c->text, "agency_code") == 0 ||
               strcasecmp(c->text, "code") == 0;
    char want[8];
    snprintf(want, sizeof want, "I%d", col);
    return strcasecmp(c->text, want) == 0;
}

static void csv_write_header(FILE *out, const struct options *o, const struct ita_rules *rules)
{
    fputs("agency,iit,eit,oit,iit_weighted,eit_weighted,oit_weighted,total,status,rating,pass,"
          "blocked_by",
          out);
    if (o->target >= 0)
        for (int i = 1; i <= ITA_N_INDICATORS; i++) {
            fprintf(out, ",rise_i%d_to_", i);
            csv_write_text(out, rules->levels[o->target].name_th);
        }
    fputc('\n', out);
}

static void csv_write_row(FILE *out, const struct options *o, const char *agency,
                          const struct ita_value ind[ITA_N_INDICATORS], const struct ita_summary *s)
{
    char b[ITA_FMT_SIZE];
    csv_write_text(out, agency);
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++)
        csv_write_value(out, s->group[g]);
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++)
        csv_write_value(out, s->weighted[g]);
    switch (s->state) {
    case ITA_TOTAL_COMPLETE:
        fprintf(out, ",%s,complete,", ita_format_2dp(s->total, b));
        csv_write_text(out, ita_rating_name(s->rules, s->rating));
        fprintf(out, ",%s,", s->pass ? "yes" : "no");
        if (s->blocked >= 0)
            write_blockers(out, s, s->blocked, "; ");
        break;
    case ITA_TOTAL_PARTIAL:
        fprintf(out, ",%s,partial_of_%d,,,", ita_format_2dp(s->total, b), s->total_max);
        break;
    case ITA_TOTAL_NONE:
        fputs(",,undefined,,,", out);
        break;
    }
    if (o->target >= 0) {
        struct ita_whatif w[ITA_N_INDICATORS];
        bool ok = ita_whatif(s->rules, ind, o->target, w) == 0;
        for (int i = 0; i < ITA_N_INDICATORS; i++) {
            fputc(',', out);
            if (!ok)
                continue; /* needs all ten scores: leave the cells empty */
            if (w[i].state == ITA_WHATIF_UNREACHABLE)
                fputs("unreachable", out);
            else if (w[i].state == ITA_WHATIF_BLOCKED)
                fputs("blocked", out);
            else
                fputs(ita_format_2dp_up(w[i].increase, b), out);
        }
    }
    fputc('\n', out);
}

static int run_csv(const struct options *o, const struct ita_rules *rules, FILE *out, FILE *err)
{
    const char *name = strcmp(o->csv, "-") == 0 ? "<stdin>" : o->csv;
    FILE *f = strcmp(o->csv, "-") == 0 ? stdin : fopen(o->csv, "rb");
    struct line l = {0};
    struct seen seen;
    seen_init(&seen);
    struct cell cells[N_COLUMNS];
    char why[256];
    long lineno = 0, rejected = 0;
    bool header = false;
    int rc = 1;

    if (!f) {
        fprintf(err, "itactl score: %s: cannot open: %s\n", name, strerror(errno));
        return 1;
    }
    while (read_line(f, &l)) {
        lineno++;
        char *s = l.buf;
        size_t len = l.len;
        if (lineno == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            len -= 3;
        }
        if (l.nul || l.toolong) {
            fprintf(err, "%s:%ld: %s; row rejected\n", name, lineno,
                    l.nul ? "contains a NUL byte" : "line longer than 65536 bytes");
            if (!header)
                goto out;
            rejected++;
            continue;
        }
        size_t k = 0;
        while (k < len && is_space(s[k]))
            k++;
        if (k == len)
            continue; /* blank line */
        int n = split_cells(s, len, cells, N_COLUMNS, why, sizeof why);
        if (n < 0) {
            fprintf(err, "%s:%ld: %s; row rejected\n", name, lineno, why);
            if (!header)
                goto out;
            rejected++;
            continue;
        }
        if (!header) {
            bool ok = n == N_COLUMNS;
            for (int c = 0; ok && c < N_COLUMNS; c++)
                ok = header_cell_ok(&cells[c], c);
            free_cells(cells, n);
            if (!ok) {
                fprintf(err,
                        "%s:%ld: the first line must be the header agency,I1,I2,I3,I4,I5,I6,"
                        "I7,I8,I9,I10\n",
                        name, lineno);
                goto out;
            }
            header = true;
            csv_write_header(out, o, rules);
            continue;
        }
        if (n != N_COLUMNS) {
            fprintf(err, "%s:%ld: %d cells; expected %d (agency code and I1..I10); row rejected\n",
                    name, lineno, n, N_COLUMNS);
            free_cells(cells, n);
            rejected++;
            continue;
        }
        struct ita_value ind[ITA_N_INDICATORS];
        bool bad = false;
        const char *agency = cells[0].text;
        if (cells[0].len == 0) {
            fprintf(err, "%s:%ld: the agency code is empty; row rejected\n", name, lineno);
            bad = true;
        } else if (cells[0].len > MAX_AGENCY_BYTES) {
            fprintf(err, "%s:%ld: the agency code is longer than %d bytes; row rejected\n", name,
                    lineno, MAX_AGENCY_BYTES);
            bad = true;
        }
        for (size_t c = 0; !bad && c < cells[0].len; c++) {
            unsigned char ch = (unsigned char)agency[c];
            if (ch < 0x20 || ch == 0x7f) {
                fprintf(err,
                        "%s:%ld: the agency code contains a control character; row "
                        "rejected\n",
                        name, lineno);
                bad = true;
            }
        }
        for (int i = 0; !bad && i < ITA_N_INDICATORS; i++) {
            if (parse_score(cells[i + 1].text, cells[i + 1].len, "", &ind[i], why, sizeof why) <
                0) {
                fprintf(err, "%s:%ld: I%d: %s; row rejected\n", name, lineno, i + 1, why);
                bad = true;
            }
        }
        if (!bad) {
            long first = seen_add(&seen, agency, lineno);
            if (first != 0) {
                fprintf(err, "%s:%ld: agency '%s' already appeared on line %ld; row rejected\n",
                        name, lineno, agency, first);
                bad = true;
            }
        }
        if (bad) {
            rejected++;
        } else {
            struct ita_summary sum;
            if (ita_summarise(rules, ind, &sum) < 0) {
                fputs("itactl score: internal error: score out of range after parsing\n", err);
                abort();
            }
            csv_write_row(out, o, agency, ind, &sum);
        }
        free_cells(cells, n);
    }
    if (ferror(f)) {
        fprintf(err, "%s: read error: %s\n", name, strerror(errno));
        goto out;
    }
    if (!header) {
        fprintf(err, "%s: empty; the first line must be the header agency,I1,...,I10\n", name);
        goto out;
    }
    if (rejected > 0) {
        fprintf(err, "%s: %ld row%s rejected\n", name, rejected, rejected == 1 ? "" : "s");
        goto out;
    }
    rc = 0;
out:
    if (f != stdin)
        fclose(f);
    free(l.buf);
    seen_free(&seen);
    return rc;
}

/* The fiscal year's instrument file: --instruments FILE, or YEAR.json in --instruments DIR,
 * $ITA_INSTRUMENTS_DIR or the build's instruments/ folder. NULL with the reason on err. */
static struct ita_version *load_year(struct options *o, FILE *err)
{
    if (o->fy == 0)
        o->fy = ita_fiscal_year_now();
    const char *dir = o->instruments;
    if (!dir)
        dir = getenv("ITA_INSTRUMENTS_DIR");
    if (!dir || !*dir)
        dir = ITA_DEFAULT_INSTRUMENTS_DIR;
    size_t n = strlen(dir);
    char *path = n > 5 && strcmp(dir + n - 5, ".json") == 0 ? xstrdup(dir)
                                                            : xasprintf("%s/%d.json", dir, o->fy);
    char *why = NULL;
    struct ita_version *v = ita_version_load_file(path, &why);
    if (!v) {
        fprintf(err,
                "itactl score: no weights and rating for fiscal year %d: %s\n"
                "(give the year's instrument file with --instruments FILE, or --fy YEAR)\n",
                o->fy, why);
    } else if (v->fiscal_year != o->fy && o->instruments && strcmp(path, dir) == 0) {
        o->fy = v->fiscal_year; /* an explicit file names its own year */
    } else if (v->fiscal_year != o->fy) {
        fprintf(err, "itactl score: %s is fiscal year %d, not %d\n", path, v->fiscal_year, o->fy);
        ita_version_free(v);
        v = NULL;
    }
    free(why);
    free(path);
    return v;
}

int cmd_score_run(int argc, char **argv, FILE *out, FILE *err)
{
    struct options o;
    int rc;
    if (parse_args(argc, argv, &o, err) < 0) {
        fputs("Try 'itactl score --help'.\n", err);
        return 2;
    }
    if (o.help) {
        usage(out);
        return 0;
    }
    struct ita_version *v = load_year(&o, err);
    if (!v)
        return 1;
    if (o.target_name) {
        o.target = ita_rating_parse(&v->rules, o.target_name);
        if (o.target < 0) {
            fprintf(err,
                    "itactl score: --target '%s' is not a level of fiscal year %d's rating; use",
                    o.target_name, v->fiscal_year);
            for (size_t i = 0; i < v->rules.n_levels; i++)
                fprintf(err, "%s %s", i ? "," : "", v->rules.levels[i].name_th);
            fputs("\nTry 'itactl score --help'.\n", err);
            ita_version_free(v);
            return 2;
        }
    }
    rc = o.csv ? run_csv(&o, &v->rules, out, err) : run_args(&o, &v->rules, out, err);
    ita_version_free(v);
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(err, "itactl score: cannot write the output: %s\n", strerror(errno));
        return 1;
    }
    return rc;
}

int cmd_score(int argc, char **argv)
{
    return cmd_score_run(argc, argv, stdout, stderr);
}
