/* application/x-www-form-urlencoded per the WHATWG URL standard, minus its leniency: malformed
 * percent escapes are errors here, not literal text, because every legitimate sender is our own
 * form and anything else is tampering or a bug worth a clear 400. */
#include "form_parse.h"
#include "text_encoding.h"

#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) into the arena; NULL with *why on error. */
static const char *decode(const char *s, size_t n, struct arena *a, const char **why)
{
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            out[o++] = ' ';
        } else if (c == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                *why = "malformed percent escape";
                return NULL;
            }
            char d = (char)(hi * 16 + lo);
            if (d == '\0') {
                *why = "NUL byte in form data";
                return NULL;
            }
            out[o++] = d;
            i += 2;
        } else if (c == '\0') {
            *why = "NUL byte in form data";
            return NULL;
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    if (!ita_utf8_valid(out, o)) {
        *why = "form data is not valid UTF-8";
        return NULL;
    }
    return out;
}

int form_parse(const char *body, size_t len, struct arena *a, struct form_data *out,
               const char **why)
{
    out->n = 0;
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(body + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - body) : len;
        if (end > i) {
            const char *piece = body + i;
            size_t plen = end - i;
            const char *eq = memchr(piece, '=', plen);
            if (!eq) {
                *why = "form field without '='";
                return -1;
            }
            if (out->n == FORM_MAX_PAIRS) {
                *why = "too many form fields";
                return -1;
            }
            const char *name = decode(piece, (size_t)(eq - piece), a, why);
            if (!name)
                return -1;
            const char *value = decode(eq + 1, plen - (size_t)(eq - piece) - 1, a, why);
            if (!value)
                return -1;
            out->pairs[out->n].name = name;
            out->pairs[out->n].value = value;
            out->n++;
        }
        i = end + 1;
    }
    return 0;
}

const char *form_get(const struct form_data *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->pairs[i].name, name) == 0)
            return f->pairs[i].value;
    return NULL;
}

size_t form_count(const struct form_data *f, const char *name)
{
    size_t c = 0;
    for (size_t i = 0; i < f->n; i++)
        c += strcmp(f->pairs[i].name, name) == 0;
    return c;
}
