/* An agency's published ITA results of earlier fiscal years, as an administrator types them into
 * the history form or uploads them as CSV (one agency's file, or a system administrator's file
 * for many agencies): the third column spec of the list importer (list_import.h), plus the checks
 * the form shares with it. Headers, Thai or English, any order, unknown columns ignored:
 *   agency      รหัสหน่วยงาน, รหัส, agency, agency code, code   (many agencies: required)
 *   year        ปีงบประมาณ, ปี, fiscal year, year                  (required)
 *   total       คะแนนรวม, คะแนน ITA, total, score                 (required)
 *   iit eit oit IIT, EIT, OIT (also คะแนน IIT ...)                   (optional)
 *   indicators  ตัวชี้วัด 1 … ตัวชี้วัด 10 (or ตัวชี้วัดที่ n, indicator n)  (optional, all or none)
 *   rating      ผลการประเมิน, ระดับผล, ระดับผลการประเมิน, rating, grade, tier (required)
 * A year is ITA_RESULT_FIRST_YEAR..rules.last_year; a score 0-100 with at most two decimals
 * ("85", "85.5", "85.50"), kept as "85.50"; the rating is AA A B C D E F up to
 * ITA_RESULT_LAST_GRADE_YEAR and a tier name after it: the level names of the year's instrument
 * when it is loaded (rules.tiers), else the five of ITA_RESULT_TIERS. An agency and year twice in
 * a file is an error pointing at the first line; an agency code must be one the caller knows.
 *
 * ALL OR NOTHING: when errors.total > 0 the caller stores nothing and shows the errors;
 * ita_result_list_pg_arrays() refuses such a list. Pure C: no I/O. */
#ifndef ITA_RESULT_IMPORT_H
#define ITA_RESULT_IMPORT_H

#include "arena.h"
#include "import_util.h"
#include "strbuf.h"
#include "text_encoding.h"

#include <stdbool.h>
#include <stddef.h>

#define ITA_RESULT_FIRST_YEAR 2557      /* the first ITA year a result may be recorded for */
#define ITA_RESULT_LAST_GRADE_YEAR 2566 /* the last year rated AA ... F */
#define ITA_RESULT_N_INDICATORS 10
#define ITA_RESULT_N_GRADES 7
#define ITA_RESULT_N_TIERS 5

extern const char *const ITA_RESULT_GRADES[ITA_RESULT_N_GRADES]; /* "AA" ... "F" */
extern const char *const ITA_RESULT_TIERS[ITA_RESULT_N_TIERS]; /* ผ่านดีเยี่ยม ... ต้องปรับปรุงโดยด่วน */

/* The rating level names of one fiscal year's loaded instrument (from 2567), best first. */
struct ita_result_tiers {
    int fiscal_year;
    const char *const *names; /* [n_names], borrowed */
    size_t n_names;
};

/* What a row is checked against. */
struct ita_result_rules {
    int last_year;                        /* latest fiscal year accepted (the current one - 1) */
    const struct ita_result_tiers *tiers; /* [n_tiers] years whose instrument is loaded; borrowed */
    size_t n_tiers;
};

/* The fields of the form, in the order they are checked; also the importer's columns after the
 * agency code. */
enum ita_result_field {
    ITA_RF_YEAR,
    ITA_RF_TOTAL,
    ITA_RF_IIT,
    ITA_RF_EIT,
    ITA_RF_OIT,
    ITA_RF_IND1, /* ITA_RF_IND1 + n - 1 is indicator n */
    ITA_RF_RATING = ITA_RF_IND1 + ITA_RESULT_N_INDICATORS,
    ITA_RF_COUNT,
};

/* One year's result as checked. Strings are owned by the list's (or the caller's) arena. */
struct ita_result_row {
    const char *agency_code; /* NULL in one agency's file and in the form */
    const char *year;        /* "2565" */
    int fiscal_year;
    const char *total;                              /* "85.50" */
    const char *tool[3];                            /* IIT, EIT, OIT; NULL when not given */
    const char *indicator[ITA_RESULT_N_INDICATORS]; /* all NULL or none */
    const char *indicators;                         /* "{1.00,...}" or NULL */
    const char *rating; /* as the year names it ("AA", "ผ่านดี") */
    unsigned long line; /* where the row starts in the file */
};

/* The names a rating of fiscal year fy may take (best first) into *names; returns their count. */
size_t ita_result_ratings(const struct ita_result_rules *r, int fy, const char *const **names);

/* The single-value checks: NULL when fine (the kept value in *out), else a Thai reason (static or
 * in `a`). A year must be digits within the rules; a score 0-100 with up to two decimals; a
 * rating one of ita_result_ratings() (letters of a grade in any case). */
const char *ita_result_check_year(struct arena *a, const struct ita_result_rules *r, const char *s,
                                  int *out);
const char *ita_result_check_score(struct arena *a, const char *s, const char **out);
const char *ita_result_check_rating(struct arena *a, const struct ita_result_rules *r, int fy,
                                    const char *s, const char **out);

/* The form: in[f] as typed (NULL or blank = not given). Fills err[f] with a Thai reason per bad
 * field (the indicators' all-or-none error on ITA_RF_IND1) and, when there is none, *out.
 * Returns the number of bad fields. */
int ita_result_form_check(struct arena *a, const struct ita_result_rules *r,
                          const char *const in[ITA_RF_COUNT], const char *err[ITA_RF_COUNT],
                          struct ita_result_row *out);

struct ita_result_import_options {
    struct ita_result_rules rules;
    const char *only_code;          /* one agency's file: its code (a code column, when given,
                                       must name it); NULL for a many-agency file */
    const struct ita_strmap *codes; /* many agencies: the codes the administrator may name
                                       (borrowed) */
};

struct ita_result_list {
    struct ita_result_row *rows; /* accepted rows in file order (owned array) */
    size_t n_rows;
    size_t cap_rows;
    size_t rows_read;                /* non-blank data rows read */
    enum ita_text_encoding encoding; /* how the file was saved */
    struct ita_import_errors errors; /* errors.total > 0: import nothing */
    struct ita_strmap keys;          /* agency and year → line first seen (internal) */
    const struct ita_result_import_options *opt; /* borrowed while parsing */
    int indicators_given;                        /* of the row being read (internal) */
    struct arena arena;                          /* owns every string above */
};

/* Parses and checks an uploaded file into *out (released with ita_result_list_free() in every
 * case). Returns 0 when it may be imported, -1 when out->errors lists at least one error. */
int ita_result_list_parse(const void *bytes, size_t len,
                          const struct ita_result_import_options *opt, struct ita_result_list *out)
    __attribute__((warn_unused_result));
void ita_result_list_free(struct ita_result_list *l);

#define ITA_RESULT_PG_COLS 8 /* agency code, year, total, iit, eit, oit, indicators, rating */
/* Appends ITA_RESULT_PG_COLS PostgreSQL text[] literals, element i of each being row i (the
 * indicators element is itself a numeric[] literal, or NULL). Returns -1 and appends nothing when
 * the list has errors. */
int ita_result_list_pg_arrays(const struct ita_result_list *l,
                              struct strbuf *const cols[ITA_RESULT_PG_COLS])
    __attribute__((warn_unused_result));

/* The CSV template: Thai headers and one example row (UTF-8 with BOM, CRLF); with_code adds the
 * agency code column first (the many-agency file) with `code` as the example. */
void ita_result_template(struct strbuf *out, bool with_code, const char *code);

#endif
