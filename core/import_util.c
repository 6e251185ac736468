/* Shared pieces of the CSV importers: the clerk's error list, header aliases, text cleaning,
 * a string map for duplicate detection and PostgreSQL text-array literals. */
#include "import_util.h"

#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ita_import_error_add(struct ita_import_errors *e, struct arena *a, unsigned long line,
                          const char *column, const char *fmt, ...)
{
    e->total++;
    if (e->n == ITA_IMPORT_MAX_ERRORS)
        return;
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    struct ita_import_error *it = &e->items[e->n++];
    it->line = line;
    it->column = arena_strndup(a, column ? column : "", column ? strlen(column) : 0);
    it->reason = arena_strndup(a, reason, strlen(reason));
}

/* Writes the comparison form of a header into out (cap bytes); false if it does not fit. */
static bool header_key(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s; s++) {
        char c = *s;
        if (c == ' ' || c == '\t' || c == '-' || c == '_' || c == '.' || c == '\r' || c == '\n')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (n + 1 >= cap)
            return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return true;
}

int ita_header_field(const char *header, const struct ita_header_spec *specs, size_t n_specs)
{
    char key[256], alias[256];
    if (!header_key(header, key, sizeof key))
        return -1; /* longer than any alias */
    for (size_t i = 0; i < n_specs; i++)
        for (const char *const *a = specs[i].aliases; *a; a++)
            if (header_key(*a, alias, sizeof alias) && strcmp(key, alias) == 0)
                return specs[i].field;
    return -1;
}

/* Bytes of white space at s (n available), 0 if none; *drop says it is removed outright. */
static size_t space_at(const unsigned char *s, size_t n, bool *drop)
{
    *drop = false;
    if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) /* U+00A0 NO-BREAK SPACE */
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x8B) { /* U+200B ZERO WIDTH SPACE */
        *drop = true;
        return 3;
    }
    return 0;
}

char *ita_text_clean(struct arena *a, const char *s, size_t len)
{
    char *out = arena_alloc(a, len + 1);
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0, i = 0;
    bool pending_space = false;
    while (i < len) {
        bool drop;
        size_t k = space_at(p + i, len - i, &drop);
        if (k > 0) {
            pending_space = pending_space || (!drop && n > 0);
            i += k;
            continue;
        }
        if (pending_space)
            out[n++] = ' ';
        pending_space = false;
        out[n++] = (char)p[i++];
    }
    out[n] = '\0';
    return out;
}

bool ita_text_blank(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        bool drop;
        size_t k = space_at(p + i, len - i, &drop);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

const char *ita_text_excerpt(struct arena *a, const char *s, size_t max_chars)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max_chars)
            return arena_sprintf(a, "%.*s…", (int)i, s);
    }
    return s;
}

size_t ita_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

bool ita_has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            return true;
    return false;
}

void ita_ascii_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

void ita_strmap_init(struct ita_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void ita_strmap_free(struct ita_strmap *m)
{
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}

/* FNV-1a, 64 bits. */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* Slot holding key, or the empty slot where it would go. */
static size_t find_slot(const struct ita_strmap *m, const char *key)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)hash_str(key) & mask;
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & mask;
    return i;
}

static void grow(struct ita_strmap *m)
{
    struct ita_strmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = xcalloc(m->cap, sizeof *m->keys);
    m->values = xcalloc(m->cap, sizeof *m->values);
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.keys[i])
            continue;
        size_t j = find_slot(m, old.keys[i]);
        m->keys[j] = old.keys[i];
        m->values[j] = old.values[i];
    }
    free(old.keys);
    free(old.values);
}

bool ita_strmap_has(const struct ita_strmap *m, const char *key)
{
    return m->cap > 0 && m->keys[find_slot(m, key)] != NULL;
}

bool ita_strmap_add(struct ita_strmap *m, const char *key, unsigned long value, unsigned long *old)
{
    if ((m->n + 1) * 2 > m->cap) /* load factor at most one half */
        grow(m);
    size_t i = find_slot(m, key);
    if (m->keys[i]) {
        if (old)
            *old = m->values[i];
        return false;
    }
    m->keys[i] = key;
    m->values[i] = value;
    m->n++;
    return true;
}

void ita_pg_array_begin(struct strbuf *b)
{
    strbuf_append(b, "{", 1);
}

void ita_pg_array_add(struct strbuf *b, const char *s)
{
    if (b->len > 0 && b->data[b->len - 1] != '{')
        strbuf_append(b, ",", 1);
    if (!s) {
        strbuf_append(b, "NULL", 4);
        return;
    }
    strbuf_append(b, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        if (*s != '"' && *s != '\\')
            continue;
        strbuf_append(b, run, (size_t)(s - run));
        strbuf_append(b, "\\", 1);
        run = s; /* the quote or backslash itself goes out with the next run */
    }
    strbuf_append(b, run, (size_t)(s - run));
    strbuf_append(b, "\"", 1);
}

void ita_pg_array_end(struct strbuf *b)
{
    strbuf_append(b, "}", 1);
}

void ita_pg_arrays_of_rows(const void *rows, size_t n_rows, size_t row_size, const size_t *offsets,
                           struct strbuf *const *cols, size_t n_cols)
{
    for (size_t c = 0; c < n_cols; c++) {
        ita_pg_array_begin(cols[c]);
        for (size_t r = 0; r < n_rows; r++) {
            const char *row = (const char *)rows + r * row_size;
            const char *value;
            memcpy(&value, row + offsets[c], sizeof value);
            ita_pg_array_add(cols[c], value);
        }
        ita_pg_array_end(cols[c]);
    }
}

bool ita_csv_record_blank(const struct ita_csv_record *rec)
{
    for (size_t i = 0; i < rec->n; i++)
        if (!ita_text_blank(rec->fields[i].data, rec->fields[i].len))
            return false;
    return true;
}
