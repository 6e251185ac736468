/* Private to the instrument_load*.c files: the loader's state and the checked JSON readers the
 * parts of the loader use. A reader that finds a problem records it through ita_ld_fail() as
 * "<source>: <json path>: <what to fix, in Thai>" and returns -1; its caller goes on with the
 * checks that do not depend on that value, so that one load reports every independent error
 * (ld->errs keeps the first MAX_ERRORS). A part stops only where later checks would be
 * meaningless (e.g. the value is not an object), and must not report consequences of an error
 * already recorded (see the *_unread flags). */
#ifndef ITA_INSTRUMENT_LOAD_H
#define ITA_INSTRUMENT_LOAD_H

#include "instrument_priv.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct loader {
    const char *source;     /* file name used in messages */
    struct ita_errors errs; /* every error found so far (errs.source == source) */
    struct ita_version *v;  /* the version being built (owned until handed to the caller) */
    size_t scales_cap;      /* allocated length of v->scales */
    bool point_maps_unread; /* "point_maps" is missing, not an object or empty: scales do not
                               look their point map up (that would only repeat the error) */
    bool scales_unread;     /* "scales" is missing or not an object: named scales are not
                               looked up */
    bool survey_read[ITA_N_SURVEYS]; /* the "questions" of IIT / EIT were read */
    size_t survey_at[ITA_N_SURVEYS]; /* where IIT / EIT are in "instruments", for paths */
};

/* Records an error at `path` (NULL or "" for the file as a whole) in ld->errs; returns -1. */
int ita_ld_fail(struct loader *ld, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Jansson's JSON syntax error text (json_error_t.text) in Thai; the caller frees it. */
char *ita_ld_json_syntax_th(const char *text);
/* "อาร์เรย์ [...]", "ข้อความ", ...: what a JSON value is, for messages ("แต่พบ%s"). */
const char *ita_ld_json_kind(const json_t *j);
/* Rejects keys outside `allowed` (NULL-terminated) so that typos do not pass silently; each
 * unknown key is an error of its own. */
ITA_WUR int ita_ld_check_keys(struct loader *ld, json_t *obj, const char *path,
                              const char *const *allowed);
ITA_WUR int ita_ld_need_object(struct loader *ld, json_t *j, const char *path);
/* A required top-level part of the version (`key` of root) that must be a JSON_OBJECT or a
 * JSON_ARRAY, into *out (borrowed from root). */
ITA_WUR int ita_ld_get_part(struct loader *ld, json_t *root, const char *key, json_type type,
                            json_t **out);

/* A required array member and the words that explain it when it is wrong:
 * "ขาด \"<key>\"<hint>", "\"<key>\" ต้องเป็น<type> แต่พบ..." and
 * "\"<key>\" มี <n> <entries> แต่<holder> <min> ถึง <max> <unit>". */
struct ita_ld_array {
    const char *key;
    const char *hint; /* "" or ": what to write" */
    const char *type; /* "อาร์เรย์ [...]", "อาร์เรย์ของข้อความ" */
    const char *entries; /* what one entry is counted as: "ค่า", "ป้าย", "รายการ" */
    const char *holder; /* who may have how many: "มาตรวัดมีได้", "ต้องมี" */
    int min, max;     /* entries allowed */
    const char *unit; /* after max: "ระดับ", "ข้อ", "รายการ" */
};
/* The array `a->key` of obj into *out (borrowed from obj) and its length into *n. */
ITA_WUR int ita_ld_get_array(struct loader *ld, json_t *obj, const char *path,
                             const struct ita_ld_array *a, json_t **out, size_t *n);
/* A text value into *out (owned by the caller; NULL when absent and not required). */
ITA_WUR int ita_ld_get_text(struct loader *ld, json_t *obj, const char *path, const char *key,
                            bool required, char **out);
/* Checks a text value s[0..len) found at `path` (non-empty, at most MAX_TEXT_BYTES, no control
 * characters but newline, no surrounding spaces); `key` names it in the message, NULL when the
 * path already ends at the value ("requirements_th[2]"). */
ITA_WUR int ita_ld_check_text(struct loader *ld, const char *path, const char *key, const char *s,
                              size_t len);
ITA_WUR int ita_ld_get_bool(struct loader *ld, json_t *obj, const char *path, const char *key,
                            bool *out);
ITA_WUR int ita_ld_get_int(struct loader *ld, json_t *obj, const char *path, const char *key,
                           int min, int max, int *out);
/* A code (1-32 characters from A-Z a-z 0-9 . _ + -) into *out (owned by the caller). */
ITA_WUR int ita_ld_get_code(struct loader *ld, json_t *obj, const char *path, const char *key,
                            char **out);
/* "scale": the name of one of the first n_named scales, or an inline scale object named after
 * owner_code (added to ld->v->scales; owner_code is NULL when the owner's code could not be
 * read); *out is its index. Returns -1 when there is no usable scale: an error is recorded
 * unless "scales" itself could not be read (already reported). */
ITA_WUR int ita_ld_resolve_scale(struct loader *ld, const char *path, json_t *j,
                                 const char *owner_code, size_t n_named, size_t *out);

/* A points value (0..100): an integer, or a string "33.33" or "100/3". */
ITA_WUR int ita_ld_points(struct loader *ld, json_t *j, const char *path, struct ita_rational *out);

/* "weights" and "rating" (instrument_load_rules.c). */
ITA_WUR int ita_ld_rules(struct loader *ld, json_t *root);

/* The parts read by instrument_load_survey.c, in the order ita_version_load_string() calls them
 * after the point maps and scales. Each returns -1 when it recorded an error; the loader calls
 * every part all the same. */
ITA_WUR int ita_ld_indicators(struct loader *ld, json_t *root);
ITA_WUR int ita_ld_instruments(struct loader *ld, json_t *root);
ITA_WUR int ita_ld_oit(struct loader *ld, json_t *root);
ITA_WUR int ita_ld_sample_rules(struct loader *ld, json_t *root);
/* The optional texts of instrument_load_texts.c: a question's "suggestion_th", an OIT item's
 * "requirements_th" and "units_th", and the version's "report" (the O42 report's defaults). */
ITA_WUR int ita_ld_question_texts(struct loader *ld, json_t *j, const char *path,
                                  struct ita_question *q);
ITA_WUR int ita_ld_oit_item_texts(struct loader *ld, json_t *j, const char *path,
                                  struct ita_oit_item *it);
ITA_WUR int ita_ld_report(struct loader *ld, json_t *root);
/* Cross-checks and the global question and field indexes once every part has been read (also
 * after errors: it skips what an earlier error makes unknowable). */
ITA_WUR int ita_ld_finish(struct loader *ld);

#endif
