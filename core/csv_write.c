/* The CSV writer for exports: BOM, CRLF, RFC 4180 quoting and the formula-injection guard
 * described in csv_write.h. */
#include "csv_write.h"

#include <string.h>

void ita_csv_write_bom(struct strbuf *out)
{
    strbuf_append(out, "\xEF\xBB\xBF", 3);
}

/* Sign, digits with at most one point and at least one digit, optional exponent; nothing else. */
static bool plain_number(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    bool point = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    for (; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '.' && !point)
            point = true;
        else
            break;
    }
    if (digits == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exp_digits = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            exp_digits++;
        if (exp_digits == 0)
            return false;
    }
    return i == len;
}

bool ita_csv_needs_formula_guard(const char *s, size_t len)
{
    if (len == 0)
        return false;
    switch (s[0]) {
    case '=':
    case '@':
    case '\t':
    case '\r':
        return true;
    case '+':
    case '-':
        return !plain_number(s, len);
    default:
        return false;
    }
}

static bool needs_quotes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return true;
    return false;
}

void ita_csv_write_field(struct strbuf *out, bool first, const char *s, size_t len)
{
    if (!first)
        strbuf_append(out, ",", 1);
    bool guard = ita_csv_needs_formula_guard(s, len);
    if (!needs_quotes(s, len)) {
        if (guard)
            strbuf_append(out, "'", 1);
        strbuf_append(out, s, len);
        return;
    }
    strbuf_append(out, guard ? "\"'" : "\"", guard ? 2 : 1);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '"')
            continue;
        strbuf_append(out, s + run, i + 1 - run); /* up to and including the quote */
        strbuf_append(out, "\"", 1);              /* which is doubled */
        run = i + 1;
    }
    strbuf_append(out, s + run, len - run);
    strbuf_append(out, "\"", 1);
}

void ita_csv_write_str(struct strbuf *out, bool first, const char *s)
{
    ita_csv_write_field(out, first, s ? s : "", s ? strlen(s) : 0);
}

void ita_csv_end_row(struct strbuf *out)
{
    strbuf_append(out, "\r\n", 2);
}

void ita_csv_write_row(struct strbuf *out, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ita_csv_write_str(out, i == 0, fields[i]);
    ita_csv_end_row(out);
}
