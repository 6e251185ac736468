/* Instrument versions: one fiscal year's IIT and EIT questionnaires (questions, answer fields,
 * scales, polarity, point maps) and its OIT item list, loaded from the documented JSON file format
 * (instruments/README.md), validated, written back as canonical JSON, and checked for whether a
 * new version may replace one that already has responses.
 *
 * Ownership: a struct ita_version and everything reachable from it is owned by the version and
 * freed by ita_version_free(); callers never free its strings or arrays. Functions returning
 * `char *` return memory the caller frees with free(). Error messages (`char **err`) are set only
 * on failure, to a string the caller frees with free(). */
#ifndef ITA_INSTRUMENT_H
#define ITA_INSTRUMENT_H

#include "sample_rule.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ITA_WUR __attribute__((warn_unused_result))

#define ITA_MIN_LEVELS 2                    /* fewest answer levels a scale may have */
#define ITA_MAX_LEVELS 10                   /* most answer levels a scale may have */
#define ITA_N_INDICATORS 10                 /* indicators 1..10 */
#define ITA_FORMAT_NAME "ita-instruments/1" /* value of the file's "format" key */

/* The three assessment instruments. IIT and EIT are questionnaires described by a version file;
 * OIT is the auditor's website check, described by the version's "oit" item list. */
enum ita_instrument {
    ITA_IIT = 0,
    ITA_EIT = 1,
    ITA_OIT = 2,
};
#define ITA_N_INSTRUMENTS 3
#define ITA_N_SURVEYS 2 /* IIT and EIT */

enum ita_polarity {
    ITA_POSITIVE = 0, /* the highest level (levels - 1) is best */
    ITA_NEGATIVE = 1, /* reverse-scored: level 0 is best; points mirror the point map */
};

/* An exact non-negative rational number of points. */
struct ita_rational {
    int64_t num; /* numerator, >= 0 */
    int64_t den; /* denominator, >= 1, lowest terms with num */
};

/* Points per answer level, written for a positive field: level 0 first, non-decreasing. */
struct ita_point_map {
    char *name; /* key in "point_maps" */
    int levels; /* number of levels, ITA_MIN_LEVELS..ITA_MAX_LEVELS */
    struct ita_rational points[ITA_MAX_LEVELS]; /* points at each level, 0..100 */
    int64_t common_den;                         /* lcm of the denominators, <= 1000000 */
    int64_t weight[ITA_MAX_LEVELS];             /* points[l] * common_den, an exact integer */
    bool verified;                              /* confirmed against a primary source */
    char *note;                                 /* where the values come from; NULL if none */
};

/* An answer scale: the label of each level as shown to respondents. */
struct ita_scale {
    char *name;                      /* key in "scales", or the code of the question or field
                                        that defined it inline */
    int levels;                      /* number of levels */
    char *labels_th[ITA_MAX_LEVELS]; /* Thai label of level 0..levels-1 */
    size_t point_map;                /* index into ita_version.point_maps */
    bool verified;                   /* labels confirmed against a primary source */
    char *note;                      /* provenance note; NULL if none */
};

/* One answer slot (sub-item) of a question. */
struct ita_field {
    char *code;                 /* unique in the version, e.g. "i4.2" */
    char *label_th;             /* sub-item text; NULL when the question has a single field */
    char *label_en;             /* English gloss; NULL if none */
    size_t scale;               /* index into ita_version.scales */
    enum ita_polarity polarity; /* which end of the scale is best */
    size_t index;               /* position among all fields of the version (IIT then EIT) */
    size_t question;            /* ita_question.index of the question it belongs to */
};

struct ita_question {
    char *code;                     /* unique in the version, e.g. "i4" */
    enum ita_instrument instrument; /* ITA_IIT or ITA_EIT */
    int indicator;                  /* 1..5 for IIT, 6..8 for EIT */
    char *text_th;                  /* question text as shown */
    char *text_en;                  /* English gloss; NULL if none */
    char *note_th;                  /* note shown under the question; NULL if none */
    bool note_verified;             /* note text confirmed (meaningful only with note_th) */
    bool verified;                  /* question text and sub-item labels confirmed */
    char *source;                   /* provenance note for administrators; NULL if none */
    char *suggestion_th;      /* NULL: none. NACC's suggestion when the question scores low: the
                                 default the O42 report shows, which the clerk may edit */
    struct ita_field *fields; /* n_fields answer fields, in display order */
    size_t n_fields;          /* >= 1 */
    size_t index;             /* position among all questions of the version */
};

/* One questionnaire (IIT or EIT) of the version. */
struct ita_survey {
    enum ita_instrument kind; /* ITA_IIT or ITA_EIT */
    char *name_th; /* e.g. แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน */
    char *name_en; /* NULL if none */
    struct ita_question *questions; /* [n_questions], in display order */
    size_t n_questions;             /* >= 1 */
    size_t n_fields;                /* total answer fields of this survey */
};

struct ita_indicator {
    int number;                     /* 1..10 */
    enum ita_instrument instrument; /* fixed: 1-5 IIT, 6-8 EIT, 9-10 OIT */
    char *name_th;                  /* e.g. การปฏิบัติหน้าที่ */
    char *name_en;                  /* NULL if none */
};

/* OIT sub-indicator (e.g. 9.1) and item (e.g. O1); items score 100 (met) or 0. */
struct ita_oit_sub {
    char *code;    /* e.g. "9.1" */
    int indicator; /* 9 or 10 */
    char *name_th; /* e.g. ข้อมูลพื้นฐาน */
};
struct ita_oit_item {
    char *code;             /* e.g. "O1", unique */
    size_t sub;             /* index into ita_version.oit_subs */
    int indicator;          /* 9 or 10 (that of its sub-indicator) */
    char *title_th;         /* what must be disclosed */
    size_t index;           /* position in ita_version.oit_items */
    bool verified;          /* title confirmed against a primary source */
    char *source;           /* provenance note; NULL if none */
    char **requirements_th; /* องค์ประกอบด้านข้อมูล: what the published page must show, one
                               string per bullet ("(1) ..." sub-points inside it; a string
                               starting with "*" is the footnote of the bullets above it);
                               NULL when the file has none */
    size_t n_requirements;  /* 0 when absent */
    char **units_th; /* หน่วยงานรับผิดชอบ: internal unit names suggested as responsible,
                        e.g. "กองวิชาการและแผนงาน", "ทุกหน่วยงาน"; NULL when none */
    size_t n_units;  /* 0 when absent */
};

#define ITA_MAX_RATING_LEVELS 12 /* most levels a rating may have */

/* One level of the year's rating, best first: the AA-F grades (up to fiscal year 2566) or the
 * tiers from 2567 (ผ่านดีเยี่ยม ... ต้องปรับปรุงโดยด่วน). An agency gets the first level whose
 * total_min the total reaches and, when has_tool_min, each of IIT, EIT and OIT its tool_min. */
struct ita_rating_level {
    char *name_th;                                   /* "AA", "ผ่านดี" */
    char *name_en;                                   /* NULL if none */
    struct ita_rational total_min;                   /* 0..100; the last level's is 0 */
    bool has_tool_min;                               /* tool_min applies */
    struct ita_rational tool_min[ITA_N_INSTRUMENTS]; /* [ITA_IIT], [ITA_EIT], [ITA_OIT] */
    bool pass;                                       /* counts as passing the assessment */
};

/* What turns the ten indicator scores into a total and a rating in one fiscal year: the file's
 * "weights" and "rating" (instruments/README.md). */
struct ita_rules {
    int weight[ITA_N_INSTRUMENTS]; /* percent of the total per tool, summing to 100 */
    bool weights_verified;         /* confirmed against a primary source */
    char *weights_source;          /* provenance; NULL if none */
    struct ita_rating_level levels[ITA_MAX_RATING_LEVELS]; /* [n_levels], best first */
    size_t n_levels;                                       /* 2..ITA_MAX_RATING_LEVELS */
    bool tiered;          /* some level has tool minimums (the rule from 2567) */
    bool rating_verified; /* confirmed against a primary source */
    char *rating_source;  /* provenance; NULL if none */
};

/* The placeholder that the report's default texts write for the agency's name; the report
 * replaces it (ita_fill_agency). */
#define ITA_AGENCY_PLACEHOLDER "{agency}"

/* One row of the coming year's timetable (ขั้นตอน / ระยะเวลา / วิธีปฏิบัติ). */
struct ita_timetable_row {
    char *step_th; /* ขั้นตอน, e.g. "เตรียมการ"; a step carried on from the row above is
                      written "ดำเนินการ (ต่อ)" */
    char *period_th; /* ระยะเวลา as written, e.g. "ก.ย. 2565 – ม.ค. 2566", "ตลอดปีงบประมาณ" */
    char *method_th; /* วิธีปฏิบัติ; numbered points "1. ..." on lines of their own ('\n') */
};

/* The O42 report's default texts for the year (the file's "report"): what the clerk starts
 * from and may edit. Texts may hold ITA_AGENCY_PLACEHOLDER. Every member is empty (0 / NULL)
 * when the file does not give it. */
struct ita_report_defaults {
    char **objectives_th; /* วัตถุประสงค์: one paragraph each, unnumbered (the report numbers
                             them 1., 2., ...) */
    size_t n_objectives;
    char **benefits_th; /* ประโยชน์ที่คาดว่าจะได้รับ: as objectives_th */
    size_t n_benefits;
    struct ita_timetable_row *timetable; /* [n_timetable] in display order */
    size_t n_timetable;
    char *coordinator_th; /* the paragraph introducing who coordinates the work and the
                             timetable ("{agency} ได้มอบหมายให้กองวิชาการและแผนงาน ..."); NULL if
                             none */
};

struct ita_version {
    int fiscal_year;                  /* Buddhist Era, e.g. 2566 */
    char *title_th;                   /* shown to administrators */
    char *note;                       /* administrator's note; NULL if none */
    struct ita_point_map *point_maps; /* [n_point_maps] in file order */
    size_t n_point_maps;
    struct ita_scale *scales; /* [n_scales]: named scales first, then inline ones in file
                                 order */
    size_t n_scales;
    struct ita_indicator indicators[ITA_N_INDICATORS]; /* indicators[n - 1] is indicator n */
    struct ita_survey surveys[ITA_N_SURVEYS];          /* surveys[ITA_IIT], surveys[ITA_EIT] */
    size_t n_questions;                                /* all questions, IIT then EIT */
    size_t n_fields;                                   /* all fields, IIT then EIT */
    const struct ita_question **question_list;         /* [n_questions] by ita_question.index */
    const struct ita_field **field_list;               /* [n_fields] by ita_field.index */
    bool has_oit;                                      /* the file has an "oit" section */
    struct ita_oit_sub *oit_subs;                      /* [n_oit_subs] in file order */
    size_t n_oit_subs;
    struct ita_oit_item *oit_items; /* [n_oit_items] in file order */
    size_t n_oit_items;
    struct ita_sample_rule sample_rules[ITA_N_SURVEYS]; /* [ITA_IIT], [ITA_EIT]: the file's
                                                           "sample_rule" or the defaults */
    struct ita_rules rules;                             /* weights and rating */
    struct ita_report_defaults report;                  /* the O42 report's default texts */
};

/* Load and validate a version file. On failure returns NULL and sets *err to a message in Thai
 * that may hold several lines, one per problem found (at most 50, then a line "… และอีก N ข้อ"),
 * each naming the file and the JSON path, e.g. "2566.json: instruments[0].questions[3].fields[1]
 * (i4.2): ไม่มีมาตรวัด 'L6' ใน "scales" (ที่มี: L4, YN)". A file that is not JSON (the message
 * gives line and column), not an object or not of format ITA_FORMAT_NAME gives that one line. */
struct ita_version *ita_version_load_file(const char *path, char **err) ITA_WUR;
/* The same from memory; `source` names the text in messages. */
struct ita_version *ita_version_load_string(const char *text, size_t len, const char *source,
                                            char **err) ITA_WUR;
void ita_version_free(struct ita_version *v);

/* Canonical JSON of a loaded version: fixed key order, two-space indent, UTF-8 text, every
 * field's scale and polarity written out, inline scales moved into "scales", points written as
 * integers, short decimals ("33.33") or fractions ("100/3"). Loading the result gives an equal
 * version, and serialising that gives the same bytes. */
char *ita_version_to_json(const struct ita_version *v);

/* May `new_v` replace `old_v` (the same fiscal year) given which instruments already have stored
 * responses (has_responses[ITA_IIT], [ITA_EIT], [ITA_OIT])? Text, notes, label wording,
 * verification flags and display order may always change, and so may the OIT items'
 * requirements and units, the questions' suggestions and the report's default texts. For an
 * instrument with responses, the question and field codes, each question's indicator, each field's
 * question, number of levels, polarity and points per level must stay the same (for OIT: the item
 * codes and their indicators). Returns true when allowed (and sets *why to NULL); false with *why
 * set to an English and Thai explanation listing every conflicting change. */
bool ita_version_can_replace(const struct ita_version *old_v, const struct ita_version *new_v,
                             const bool has_responses[ITA_N_INSTRUMENTS], char **why) ITA_WUR;

/* Lookups by code; NULL when absent. Pointers stay owned by the version. */
const struct ita_question *ita_version_find_question(const struct ita_version *v, const char *code);
const struct ita_field *ita_version_find_field(const struct ita_version *v, const char *code);
const struct ita_oit_item *ita_version_find_oit_item(const struct ita_version *v, const char *code);

/* Points a respondent's answer at `level` earns in field `f`, polarity applied. */
struct ita_rational ita_field_points(const struct ita_version *v, const struct ita_field *f,
                                     int level);
double ita_rational_value(struct ita_rational r);

/* How many items of the version are not confirmed (verified false: questions, notes, scales,
 * point maps, OIT items, weights, rating), for the administrators' warning. */
size_t ita_version_unverified(const struct ita_version *v);

/* `text` with every ITA_AGENCY_PLACEHOLDER replaced by `agency_name`; the caller frees it. */
char *ita_fill_agency(const char *text, const char *agency_name);

/* "IIT", "EIT", "OIT". */
const char *ita_instrument_code(enum ita_instrument k);
/* Which instrument indicator `number` (1..10) belongs to; -1 outside 1..10. */
int ita_indicator_instrument(int number);

#endif
