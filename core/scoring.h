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
 * (9-10). Their weights and the rating come from the fiscal year's instrument file
 * (struct ita_rules): 30/30/40 and AA-F up to 2566, the tiers with per-tool minimums from 2567. */

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
    double total;  /* sum of the defined weighted parts; the ITA score when complete */
    int total_max; /* sum of the defined groups' weights: 100 when complete, e.g. 60 without
                      OIT */
    const struct ita_rules *rules; /* borrowed: the year's weights and rating */
    int rating;                    /* index into rules->levels; -1 unless complete */
    int blocked; /* -1, or the level just above `rating` whose total minimum the total reaches
                    but whose minimum some tool misses (ita_tool_short says which) */
    bool pass;   /* complete and the rating level passes */
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

/* Group means, weighted parts, total, rating and pass from ten indicator scores (undefined ones
 * allowed) with the year's rules (borrowed by out). Returns -1 if a defined score is not a finite
 * number in 0..100. */
int ita_summarise(const struct ita_rules *rules, const struct ita_value indicator[ITA_N_INDICATORS],
                  struct ita_summary *out) ITA_WUR;

/* v >= threshold, tolerating ITA_SCORE_EPSILON of floating-point noise. */
bool ita_at_least(double v, double threshold);
/* The level a complete set of tool scores earns: the first whose total minimum the total reaches
 * and, if it has them, whose tool minimums each tool reaches. Never -1 for a valid rules. */
int ita_rate(const struct ita_rules *r, double total, const double tool[ITA_N_INSTRUMENTS]);
/* The Thai name of a level ("AA", "ผ่านดี"); "-" for -1. */
const char *ita_rating_name(const struct ita_rules *r, int level);
/* The level named s (its Thai name, or its English name ignoring case); -1 if none. */
int ita_rating_parse(const struct ita_rules *r, const char *s);
/* How many points tool g lacks for level's tool minimum (0 when it has none or g reaches it);
 * the minimum itself into *min when min is not NULL (0 when none). Needs s->group[g] defined. */
double ita_tool_short(const struct ita_rules *r, int level, const struct ita_summary *s,
                      enum ita_instrument g, double *min);

enum ita_class ita_classify(double indicator_score);
const char *ita_class_name(enum ita_class c);    /* "urgent", "develop", "keep" */
const char *ita_class_name_th(enum ita_class c); /* the seed report's wording */

/* What-if: the smallest rise of one indicator, all others unchanged, that earns the target level
 * or a better one. Closed form: one point more on indicator i of tool g adds w_g / n_g / 100 to
 * the total (w_g the tool's weight, n_g its number of indicators) and 1 / n_g to the tool, so the
 * rise is the larger of (total_min - total) * 100 * n_g / w_g and, if the level has tool
 * minimums, (tool_min_g - tool_g) * n_g. */
enum ita_whatif_state {
    ITA_WHATIF_REACHED = 0,     /* the scores already earn the target */
    ITA_WHATIF_RAISE = 1,       /* raising this indicator by `increase` earns it */
    ITA_WHATIF_UNREACHABLE = 2, /* this indicator alone cannot: it would need > 100 */
    ITA_WHATIF_BLOCKED = 3,     /* another tool is below the level's tool minimum */
};
struct ita_whatif {
    enum ita_whatif_state state; /* reached, raise, unreachable or blocked */
    double increase;             /* points to add (exact, unrounded); 0 when REACHED/BLOCKED */
    double new_score; /* the indicator's score after the rise; for UNREACHABLE the score that
                         would be needed */
};
/* Returns -1 if any indicator is undefined or invalid, or target is not a level of rules. */
int ita_whatif(const struct ita_rules *rules, const struct ita_value indicator[ITA_N_INDICATORS],
               int target, struct ita_whatif out[ITA_N_INDICATORS]) ITA_WUR;

/* The tools' path to a level (the what-if per tool of the tiered rating): first every tool
 * rises to the level's tool minimum (`to_minimum`, 0 when it already has it); if the total then
 * still lacks `total_gap` points, any one tool can cover it by rising `alone[g]` more (or it
 * cannot, `alone_possible[g]` false, when that would pass 100). */
struct ita_tool_plan {
    bool reached;                           /* the scores already earn the level */
    double to_minimum[ITA_N_INSTRUMENTS];   /* rise to the level's tool minimum */
    double total_gap;                       /* total points still missing after that */
    double alone[ITA_N_INSTRUMENTS];        /* rise of tool g alone covering total_gap */
    bool alone_possible[ITA_N_INSTRUMENTS]; /* tool g stays within 100 doing so */
    bool possible;                          /* some way within 100 exists */
};
/* Returns -1 unless s is complete and level is a level of s->rules. */
int ita_tool_plan(const struct ita_summary *s, int level, struct ita_tool_plan *out) ITA_WUR;

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
