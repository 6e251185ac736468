/* Strict parser for application/x-www-form-urlencoded bodies (what an HTML form posts). Pure:
 * unit-tested and fuzzable. Names and values are percent-decoded into the caller's arena. */
#ifndef ITA_FORM_PARSE_H
#define ITA_FORM_PARSE_H

#include "arena.h"

#include <stddef.h>

#define FORM_MAX_PAIRS 512

struct form_pair {
    const char *name;  /* decoded, NUL-terminated, in the arena */
    const char *value; /* decoded, NUL-terminated, in the arena */
};

struct form_data {
    struct form_pair pairs[FORM_MAX_PAIRS];
    size_t n;
};

/* Parses body[0..len). Returns 0, or -1 with a static English reason in *why (bad percent escape,
 * NUL byte, bytes that are not UTF-8, too many fields, name without '='). Empty pieces
 * ("a=1&&b=2") are skipped. */
int form_parse(const char *body, size_t len, struct arena *a, struct form_data *out,
               const char **why) __attribute__((warn_unused_result));

/* The value of the first pair called name, or NULL. */
const char *form_get(const struct form_data *f, const char *name);
/* How many pairs are called name. */
size_t form_count(const struct form_data *f, const char *name);

#endif
