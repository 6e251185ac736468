/* A reader of PostgreSQL one-dimensional array literals written from the documented grammar
 * (section 8.15.6 "Array Input and Output Syntax"), independent of core/import_util.c, so that
 * the tests check the writer's escaping by reading its output back. Header-only, test use. */
#ifndef ITA_TEST_PG_ARRAY_PARSE_H
#define ITA_TEST_PG_ARRAY_PARSE_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PG_ARRAY_MAX 64

struct pg_array {
    char *items[PG_ARRAY_MAX]; /* malloc'd; NULL for an SQL NULL */
    size_t n;
};

static inline void pg_array_free(struct pg_array *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->items[i]);
    a->n = 0;
}

/* Reads one element at *p: a quoted string with backslash escapes, or an unquoted word
 * (NULL, case-insensitive, is the null value). Returns false on a malformed element. */
static inline bool pg_array_element(const char **p, char **out)
{
    const char *s = *p;
    size_t cap = strlen(s) + 1, n = 0;
    char *v = malloc(cap);
    if (!v)
        return false;
    if (*s == '"') {
        for (s++; *s && *s != '"'; s++) {
            if (*s == '\\') {
                s++;
                if (!*s)
                    break;
            }
            v[n++] = *s;
        }
        if (*s != '"') {
            free(v);
            return false;
        }
        s++;
        v[n] = '\0';
        *out = v;
    } else {
        while (*s && *s != ',' && *s != '}' && *s != '"' && *s != '{' && *s != '\\')
            v[n++] = *s++;
        v[n] = '\0';
        if (n == 4 && strncasecmp(v, "NULL", 4) == 0) {
            free(v);
            *out = NULL;
        } else if (n == 0) {
            free(v);
            return false;
        } else {
            *out = v;
        }
    }
    *p = s;
    return true;
}

/* Parses "{e1,e2,...}" into *a; false on any syntax error. */
static inline bool pg_array_parse(const char *s, struct pg_array *a)
{
    a->n = 0;
    if (*s++ != '{')
        return false;
    if (*s == '}')
        return s[1] == '\0';
    for (;;) {
        if (a->n == PG_ARRAY_MAX || !pg_array_element(&s, &a->items[a->n]))
            return false;
        a->n++;
        if (*s == '}')
            return s[1] == '\0';
        if (*s++ != ',')
            return false;
    }
}

#endif
