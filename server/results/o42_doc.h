/* The O42 report as a printable document (issue #17): the agency's analysis of its ITA result of
 * one fiscal year, published in the next year as OIT item O42, section by section as the seed
 * report (a city municipality's report on its 2565 result) has them:
 *
 *   title block (year, agency) · วัตถุประสงค์ · ประโยชน์ที่คาดว่าจะได้รับ · หลักการพื้นฐาน (the three
 *   tools and their ten indicators) · the year's grade or tier table · ผลการประเมิน (total and
 *   rating) · the indicators ranked high to low with the highest and lowest score · the weighted
 *   table · the history chart of earlier years · the IIT, EIT and OIT analyses with NACC's
 *   suggestion per weak question · the ten indicators with their tools · the three classes
 *   (urgent < 90, develop 90 to < 95, keep >= 95) with each indicator's description · the
 *   measures table · the coming year's timetable · the coordinator paragraph · the coming year's
 *   OIT responsibility table (item, title, what must be published, responsible units).
 *
 * The result is either computed by the system from the year's responses (per-question scores:
 * the weak questions are found from them) or only stored in agency_result (an entered or imported
 * past result such as the seed's: no per-question scores; the analyses then list the questions
 * the clerk keeps, by default those of the version that carry a NACC suggestion).
 *
 * Pure C over plain structs (no database, no event loop): o42_routes.c fills struct o42_in from
 * its statement's row and runs o42_build() and the writers on the CPU pool. */
#ifndef ITA_O42_DOC_H
#define ITA_O42_DOC_H

#include "doc.h"
#include "instrument.h"
#include "results_charts.h"
#include "results_page.h"
#include "scoring.h"

#include <stdbool.h>
#include <stddef.h>

/* The year's figures, from either source. */
struct o42_figures {
    bool computed;                                /* from responses (per-question scores in res) */
    const struct ita_result *res;                 /* computed: the scores; NULL when stored */
    struct ita_value indicator[ITA_N_INDICATORS]; /* indicator[n - 1] is indicator n */
    struct ita_value tool[ITA_N_INSTRUMENTS];     /* IIT, EIT, OIT */
    struct ita_value weighted[ITA_N_INSTRUMENTS]; /* tool * weight / 100, as printed */
    struct ita_value total;
    char rating[64]; /* the grade or tier, "" when none */
};

/* A clerk's text for one question's suggestion ("" : the question is left out). */
struct o42_suggestion {
    char *code; /* "i20", "e12" */
    char *text;
};

/* One row of the coming year's timetable. */
struct o42_step {
    char *step, *period, *method;
};

/* The clerk's overrides of the editable texts; a NULL list (has_* false) means "the version's
 * default". Owned; freed by o42_texts_clear(). */
struct o42_texts {
    bool has_objectives, has_benefits, has_coordinator, has_timetable;
    char *objectives; /* one item per line */
    char *benefits;   /* one item per line */
    char *coordinator;
    struct o42_step *timetable;
    size_t n_timetable;
    struct o42_suggestion *suggestions;
    size_t n_suggestions;
};
/* Parses the texts statement's JSON ({"objectives": text|null, "benefits": ..., "coordinator":
 * ..., "timetable": [{"step","period","method"}]|null, "suggestions": {"i20": "...", ...}}); NULL
 * or "" gives no overrides. */
void o42_texts_parse(struct o42_texts *t, const char *json);
void o42_texts_clear(struct o42_texts *t);

/* One unit responsible for an OIT item of the coming year. */
struct o42_assignment {
    char *item_code; /* "O1" */
    char *unit;      /* the unit's Thai name */
};

struct o42_in {
    const struct ita_version *v; /* the year's version (or, for a stored past year without one,
                                    the version the report is published under) */
    int year;                    /* the result's fiscal year */
    const char *agency_name;
    struct o42_figures fig;
    const struct results_history_row *history; /* earlier years, oldest first */
    size_t n_history;
    const struct results_measure *measures;
    size_t n_measures;
    const struct o42_texts *texts;
    const struct ita_version *next_v; /* the coming year's version, NULL when not in the system */
    const struct o42_assignment *assignments; /* of the coming year, any order */
    size_t n_assignments;
};

/* The figures of a stored result (agency_result): tools and indicators as published, the total
 * and rating as stored (rating computed from rules when empty). The weighted parts are the tool
 * scores times the weights rounded half-up to hundredths, except that a part exactly half a
 * hundredth (its tool score was itself rounded, so either way is possible) is rounded down when
 * rounding up would make the parts add up to more than the published total: the seed's EIT 95.65
 * x 30 % prints 28.69, its parts adding up to 95.82. */
void o42_figures_stored(struct o42_figures *f, const struct ita_rules *rules, double total,
                        const struct ita_value tool[ITA_N_INSTRUMENTS],
                        const struct ita_value indicator[ITA_N_INDICATORS], const char *rating);
/* The figures of a computed result (the scoring engine's summary; rated: the rating is shown). */
void o42_figures_computed(struct o42_figures *f, const struct ita_result *res, bool rated);

/* The questions an analysis of instrument k (ITA_IIT or ITA_EIT) lists, in questionnaire order,
 * and the suggestion printed for each: the clerk's text when stored (an empty one leaves the
 * question out), else the question's NACC default. Computed results: the up to three lowest
 * questions of the instrument's lowest indicator when it is below 95, plus any the clerk kept;
 * stored results: the questions the clerk kept, else those of the version that carry a default.
 * Writes up to max question pointers to out; returns how many. */
size_t o42_weak_questions(const struct o42_in *in, enum ita_instrument k,
                          const struct ita_question **out, size_t max);
/* The suggestion printed for q: the clerk's text, else the version's default, else "". */
const char *o42_suggestion_for(const struct o42_in *in, const struct ita_question *q);

/* The document. */
struct doc *o42_build(const struct o42_in *in);

/* text with every "{agency}" replaced by agency (malloc'd). */
char *o42_fill_agency(const char *text, const char *agency);

#endif
