/* Private to instrument_load.c and instrument_load_survey.c: the loader's state and the checked
 * JSON readers both halves of the loader use. Every reader reports the first problem through
 * ita_ld_fail() as "<source>: <json path>: <what to fix>" and returns -1. */
#ifndef ITA_INSTRUMENT_LOAD_H
#define ITA_INSTRUMENT_LOAD_H

#include "instrument_priv.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct loader {
    const char *source;    /* file name used in messages */
    char *err;             /* first error message, owned until handed to the caller */
    struct ita_version *v; /* the version being built (owned until handed to the caller) */
    size_t scales_cap;     /* allocated length of v->scales */
};

/* Records the first error (later ones are dropped); returns -1. */
int ita_ld_fail(struct loader *ld, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "an object", "a string", ...: what a JSON value is, for messages. */
const char *ita_ld_json_kind(const json_t *j);
/* Rejects keys outside `allowed` (NULL-terminated) so that typos do not pass silently. */
ITA_WUR int ita_ld_check_keys(struct loader *ld, json_t *obj, const char *path,
                              const char *const *allowed);
ITA_WUR int ita_ld_need_object(struct loader *ld, json_t *j, const char *path);
/* A required top-level part of the version (`key` of root) that must be a JSON_OBJECT or a
 * JSON_ARRAY, into *out (borrowed from root). */
ITA_WUR int ita_ld_get_part(struct loader *ld, json_t *root, const char *key, json_type type,
                            json_t **out);

/* A required array member and the words that explain it when it is wrong:
 * "\"<key>\" is missing<hint>", "\"<key>\" must be <type>, not ..." and
 * "\"<key>\" has <n> <entries>; <holder> has <min> to <max><unit>". */
struct ita_ld_array {
    const char *key;
    const char *hint;    /* "" or ": what to write" */
    const char *type;    /* "an array", "an array of strings" */
    const char *entries; /* what the entries are called: "values", "entries" */
    const char *holder;  /* what has them: "a scale", "a question" */
    int min, max;        /* entries allowed */
    const char *unit;    /* after max: "" or " levels" */
};
/* The array `a->key` of obj into *out (borrowed from obj) and its length into *n. */
ITA_WUR int ita_ld_get_array(struct loader *ld, json_t *obj, const char *path,
                             const struct ita_ld_array *a, json_t **out, size_t *n);
/* A text value into *out (owned by the caller; NULL when absent and not required). */
ITA_WUR int ita_ld_get_text(struct loader *ld, json_t *obj, const char *path, const char *key,
                            bool required, char **out);
ITA_WUR int ita_ld_get_bool(struct loader *ld, json_t *obj, const char *path, const char *key,
                            bool *out);
ITA_WUR int ita_ld_get_int(struct loader *ld, json_t *obj, const char *path, const char *key,
                           int min, int max, int *out);
/* A code (1-32 characters from A-Z a-z 0-9 . _ + -) into *out (owned by the caller). */
ITA_WUR int ita_ld_get_code(struct loader *ld, json_t *obj, const char *path, const char *key,
                            char **out);
/* "scale": the name of one of the first n_named scales, or an inline scale object named after
 * owner_code (added to ld->v->scales); *out is its index. */
ITA_WUR int ita_ld_resolve_scale(struct loader *ld, const char *path, json_t *j,
                                 const char *owner_code, size_t n_named, size_t *out);

/* A points value (0..100): an integer, or a string "33.33" or "100/3". */
ITA_WUR int ita_ld_points(struct loader *ld, json_t *j, const char *path, struct ita_rational *out);

/* "weights" and "rating" (instrument_load_rules.c). */
ITA_WUR int ita_ld_rules(struct loader *ld, json_t *root);

/* The parts read by instrument_load_survey.c, in the order ita_version_load_string() calls them
 * after the point maps and scales. */
ITA_WUR int ita_ld_indicators(struct loader *ld, json_t *root);
ITA_WUR int ita_ld_instruments(struct loader *ld, json_t *root);
ITA_WUR int ita_ld_oit(struct loader *ld, json_t *root);
ITA_WUR int ita_ld_sample_rules(struct loader *ld, json_t *root);
/* Cross-checks and the global question and field indexes once every part has been read. */
ITA_WUR int ita_ld_finish(struct loader *ld);

#endif
