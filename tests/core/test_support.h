/* Helpers the core tests share: reading a CSV fixture, checking one entry of an importer's error
 * list, comparing an optional string and checking a PostgreSQL array literal. Include after
 * <cmocka.h>. Every helper is static inline so that each test executable takes only what it
 * uses. */
#ifndef ITA_TEST_SUPPORT_H
#define ITA_TEST_SUPPORT_H

#include "import_util.h"
#include "pg_array_parse.h"

#include <stdio.h>
#include <stdlib.h>

/* Reads tests/fixtures/csv/<name> into a malloc'd buffer (the caller frees it). */
static inline char *read_fixture(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/csv/%s", ITA_FIXTURES_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

/* Error i of an import is at `line`, about `column` (as written; "" for the row or file), with
 * exactly this Thai reason. */
static inline void assert_import_err(const struct ita_import_errors *e, size_t i,
                                     unsigned long line, const char *column, const char *reason)
{
    assert_true(i < e->n);
    assert_int_equal(e->items[i].line, line);
    assert_string_equal(e->items[i].column, column);
    assert_string_equal(e->items[i].reason, reason);
}

/* The import found exactly one error, as given. */
static inline void assert_only_import_err(const struct ita_import_errors *e, unsigned long line,
                                          const char *column, const char *reason)
{
    assert_int_equal(e->total, 1);
    assert_int_equal(e->n, 1);
    assert_import_err(e, 0, line, column, reason);
}

/* got equals want, or both are NULL. */
static inline void assert_str_or_null(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got, want);
}

/* Reads array literal `lit` (with the independent reader of pg_array_parse.h) and compares it
 * with want[0..n). */
static inline void assert_pg_array(const char *lit, const char *const *want, size_t n)
{
    struct pg_array a = {0};
    if (!pg_array_parse(lit, &a))
        fail_msg("not an array literal: %s", lit);
    assert_int_equal(a.n, n);
    for (size_t i = 0; i < n; i++)
        assert_str_or_null(a.items[i], want[i]);
    pg_array_free(&a);
}

#endif
