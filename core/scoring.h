/* The ITA scoring engine: from per-field answer counts (and OIT audit marks) to field, question,
 * indicator, group (IIT/EIT/OIT) and weighted total scores, grade, pass, the seed report's
 * indicator classes, the weakest questions per indicator, and the what-if "how much must one
 * indicator rise to reach grade X". Pure computation over plain structs: no I/O.
 *
 * Precision: every score is kept in full double precision; nothing is rounded until a figure is
 * shown, through ita_round_hundredths()/ita_format_2dp(). Comparisons with thresholds (grade,
 * pass, class) use the unrounded value, allowing only ITA_SCORE_EPSILON for binary floating-point
 * noise (see ita_at_least()).
 *
 * Ownership: ita_score() returns a result the caller frees with ita_result_free(); the result
 * borrows the version, which must outlive it. Error messages (`char **err`) are set only on
 * failure and freed by the caller with free(). */
#ifndef ITA_SCORING_H
#define ITA_SCORING_H

#include "instrument.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A score less than this many points below a threshold counts as reaching it (and one this close
 * below a display half-way point rounds up). Double arithmetic over the engine's few dozen
 * operations on values <= 100 errs by less than 1e-12 points, so the tolerance absorbs binary
 * noise: 84.995 stored as 84.99499999999999744, or a total that is exactly 85 computed as
 * 84.99999999999999. The price: a score that is genuinely, not by rounding noise, less than 1e-9
 * below a threshold is also treated as reaching it; that needs a coincidence in the ninth decimal,
 * whereas totals exactly on a threshold are common. */
#define ITA_SCORE_EPSILON 1e-9

#define ITA_FMT_SIZE 32 /* buffer size for ita_format_2dp() and ita_format_2dp_up() */

/* The three groups use enum ita_instrument: ITA_IIT (indicators 1-5), ITA_EIT (6-8), ITA_OIT
 * (9-10). Weights in percent of the total: */
#define ITA_WEIGHT_IIT 30
#define ITA_WEIGHT_EIT 30
#define ITA_WEIGHT_OIT 40

enum ita_grade {
    ITA_GRADE_NONE = 0, /* no grade: the total is partial or undefined */
    ITA_GRADE_AA,       /* >= 95 */
    ITA_GRADE_A,        /* >= 85, the pass mark */
    ITA_GRADE_B,        /* >= 75 */
    ITA_GRADE_C,        /* >= 65 */
    ITA_GRADE_D,        /* >= 55 */
    ITA_GRADE_E,        /* >= 50 */
    ITA_GRADE_F,        /* below 50 */
};
#define ITA_PASS_MARK 85.0

/* The seed report's analysis of indicators, on the unrounded score. */
enum ita_class {
    ITA_CLASS_URGENT = 0,  /* < 90: weakness to fix urgently */
    ITA_CLASS_DEVELOP = 1, /* 90 to < 95: to develop further */
    ITA_CLASS_KEEP = 2,    /* >= 95: keep the standard */
};

enum ita_total_state {
    ITA_TOTAL_NONE = 0,     /* no group score at all */
    ITA_TOTAL_PARTIAL = 1,  /* some group (typically OIT) undefined: no grade */
    ITA_TOTAL_COMPLETE = 2, /* all three groups defined */
};

/* A score that may be undefined (no answers); an undefined score is never treated as 0. */
struct ita_value {
    double value; /* points 0..100; meaningless when !defined */
    bool defined;
};

/* Everything computed from the ten indicator scores. */
struct ita_summary {
    struct ita_value indicator[ITA_N_INDICATORS]; /* indicator[n - 1] is indicator n */
    struct ita_value group[ITA_N_INSTRUMENTS];    /* plain mean of the group's indicators;
                                                     defined only if all of them are */
    struct ita_value weighted[ITA_N_INSTRUMENTS]; /* group * weight / 100 */
    enum ita_total_state state;
    double total;         /* sum of the defined weighted parts; the ITA score when complete */
    int total_max;        /* sum of the defined groups' weights: 100 when complete, e.g. 60
                             without OIT */
    enum ita_grade grade; /* ITA_GRADE_NONE unless complete */
    bool pass;            /* complete and total >= 85 */
};

/* Answers to one field: how many respondents chose each level (level 0 first, in the order of
 * the field's scale; polarity is applied by the engine). Levels beyond the scale must be 0. */
struct ita_field_counts {
    uint64_t at_level[ITA_MAX_LEVELS]; /* respondents who chose level l */
};

/* The auditor's mark for one OIT item. */
enum ita_oit_mark {
    ITA_OIT_NOT_ASSESSED = 0,
    ITA_OIT_NOT_MET = 1, /* scores 0 */
    ITA_OIT_MET = 2,     /* scores 100 */
};

struct ita_score_input {
    const struct ita_field_counts *fields; /* [n_fields] by ita_field.index; NULL: no answers */
    size_t n_fields;                       /* version->n_fields, or 0 with NULL */
    const enum ita_oit_mark *oit;          /* [n_oit] by ita_oit_item.index; NULL: no audit */
    size_t n_oit;                          /* version->n_oit_items, or 0 with NULL */
};

struct ita_result {
    const struct ita_version *version; /* borrowed */
    uint64_t *field_answers;           /* [n_fields] respondents who answered each field */
    struct ita_value *field;           /* [n_fields] mean points of the answers */
    struct ita_value *question;        /* [n_questions] mean of its fields; defined only if all
                                          its fields are */
    size_t oit_items[2];               /* items of indicator 9 ([0]) and 10 ([1]) */
    size_t oit_assessed[2];            /* of which assessed */
    size_t oit_met[2];                 /* of which met */
    struct ita_summary summary;        /* indicators: mean of their questions (defined only if
                                          all are); 9 and 10: 100 * met / items, defined only
                                          when every item is assessed */
};

/* Score one agency's answers with its fiscal year's version. Returns NULL with *err set when the
 * input does not fit the version (wrong number of fields or items, answers at a level the field's
 * scale does not have, counts too large to add up). */
struct ita_result *ita_score(const struct ita_version *v, const struct ita_score_input *in,
                             char **err) ITA_WUR;
void ita_result_free(struct ita_result *r);

/* Keeps idx[0..n) as the indexes of the (at most) `max` lowest values seen so far, lowest first,
 * ties in the order they were offered: offers index i (values[i].value, which must be defined)
 * and returns the new count. idx has room for max elements. */
size_t ita_lowest_insert(size_t *idx, size_t n, size_t max, size_t i,
                         const struct ita_value *values);
/* The up to `max` defined questions of `indicator` (1..8) with the lowest scores, lowest first
 * (ties keep questionnaire order). Fills out[] and returns how many were written. */
size_t ita_lowest_questions(const struct ita_result *r, int indicator, size_t max,
                            const struct ita_question **out);

/* Group means, weighted parts, total, grade and pass from ten indicator scores (undefined ones
 * allowed). Returns -1 if a defined score is not a finite number in 0..100. */
int ita_summarise(const struct ita_value indicator[ITA_N_INDICATORS],
                  struct ita_summary *out) ITA_WUR;

/* v >= threshold, tolerating ITA_SCORE_EPSILON of floating-point noise. */
bool ita_at_least(double v, double threshold);
enum ita_grade ita_grade_of(double total);    /* on the unrounded total; never ITA_GRADE_NONE */
double ita_grade_minimum(enum ita_grade g);   /* 95, 85, 75, 65, 55, 50, 0; -1 for NONE */
const char *ita_grade_name(enum ita_grade g); /* "AA" ... "F", "-" for NONE */
/* Parse "AA", "A", ... "F" (case-insensitive); -1 if not a grade. */
int ita_grade_parse(const char *s, enum ita_grade *out) ITA_WUR;

enum ita_class ita_classify(double indicator_score);
const char *ita_class_name(enum ita_class c);    /* "urgent", "develop", "keep" */
const char *ita_class_name_th(enum ita_class c); /* the seed report's wording */

/* What-if: the smallest rise of one indicator, all others unchanged, that brings the total to
 * the target grade. Computed in closed form: the total is sum(w_i * s_i) with w_i = 0.06 for
 * indicators 1-5, 0.10 for 6-8 and 0.20 for 9-10, so the rise is (minimum - total) / w_i. */
enum ita_whatif_state {
    ITA_WHATIF_REACHED = 0,     /* the total already reaches the target */
    ITA_WHATIF_RAISE = 1,       /* raising this indicator by `increase` reaches it */
    ITA_WHATIF_UNREACHABLE = 2, /* this indicator alone cannot: it would need > 100 */
};
struct ita_whatif {
    enum ita_whatif_state state; /* reached, raise or unreachable */
    double increase;             /* points to add (exact, unrounded); 0 when REACHED */
    double new_score; /* the indicator's score after the rise; for UNREACHABLE the score that
                         would be needed */
};
/* Returns -1 if any indicator is undefined or invalid, or target is ITA_GRADE_NONE. */
int ita_whatif(const struct ita_value indicator[ITA_N_INDICATORS], enum ita_grade target,
               struct ita_whatif out[ITA_N_INDICATORS]) ITA_WUR;

/* Display rounding, half-up to 2 decimals, in integer hundredths. A value within
 * ITA_SCORE_EPSILON below a half-way point counts as on it, so a value that is mathematically
 * x.xx5 rounds up even when binary floating point stores it a little below (84.995 -> 85.00).
 * Negative values round symmetrically (half away from zero). |v| must be below 1e12. */
int64_t ita_round_hundredths(double v);
/* Smallest number of hundredths >= v, with the same tolerance (an exact 2.73 stays 2.73). */
int64_t ita_ceil_hundredths(double v);
/* Write ita_round_hundredths(v) / ita_ceil_hundredths(v) as "85.00"; returns buf. */
char *ita_format_2dp(double v, char buf[ITA_FMT_SIZE]);
char *ita_format_2dp_up(double v, char buf[ITA_FMT_SIZE]);

#endif
