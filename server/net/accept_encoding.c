/* Accept-Encoding read for one decision: gzip or identity (accept_encoding.h). Elements are split
 * at commas; each is a coding name, then parameters after semicolons, of which only q counts. */
#include "accept_encoding.h"

#include <string.h>
#include <strings.h>

static bool ows(char c)
{
    return c == ' ' || c == '\t';
}

/* The weight "0", "0.5", "1", "1.000" (at most three decimals) in thousandths; -1 when malformed.
 */
static int read_q(const char *s, size_t n)
{
    if (n == 0 || (s[0] != '0' && s[0] != '1'))
        return -1;
    int q = (s[0] - '0') * 1000;
    if (n == 1)
        return q;
    if (s[1] != '.' || n > 5)
        return -1;
    int scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        q += (s[i] - '0') * scale;
    }
    return q > 1000 ? -1 : q;
}

/* The weight of one element's parameters (text after the coding name): 1000 without q. */
static int element_q(const char *p, const char *end)
{
    int q = 1000;
    while (p < end) {
        /* p is at ';' */
        p++;
        while (p < end && ows(*p))
            p++;
        const char *name = p;
        while (p < end && *p != '=' && *p != ';' && !ows(*p))
            p++;
        size_t name_len = (size_t)(p - name);
        while (p < end && ows(*p))
            p++;
        if (p == end || *p != '=')
            return -1; /* a parameter without a value */
        p++;
        while (p < end && ows(*p))
            p++;
        const char *val = p;
        while (p < end && *p != ';' && !ows(*p))
            p++;
        size_t val_len = (size_t)(p - val);
        while (p < end && ows(*p))
            p++;
        if (p < end && *p != ';')
            return -1;
        if (name_len == 1 && (name[0] == 'q' || name[0] == 'Q'))
            q = read_q(val, val_len);
    }
    return q;
}

static bool named(const char *s, size_t n, const char *want)
{
    return n == strlen(want) && strncasecmp(s, want, n) == 0;
}

bool accept_encoding_gzip(const char *value, size_t len)
{
    int q_gzip = -2, q_star = -2, q_identity = -2; /* -2: not named */
    const char *p = value, *end = value ? value + len : NULL;
    while (p && p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e_end = comma ? comma : end;
        while (p < e_end && ows(*p))
            p++;
        const char *name = p;
        while (p < e_end && *p != ';' && !ows(*p))
            p++;
        size_t name_len = (size_t)(p - name);
        while (p < e_end && ows(*p))
            p++;
        int q = p < e_end && *p != ';' ? -1 : element_q(p, e_end);
        if (q < 0)
            q = 0;
        if (named(name, name_len, "gzip") || named(name, name_len, "x-gzip"))
            q_gzip = q_gzip == -2 || q < q_gzip ? q : q_gzip; /* named twice: the lower */
        else if (named(name, name_len, "*"))
            q_star = q;
        else if (named(name, name_len, "identity"))
            q_identity = q;
        p = comma ? comma + 1 : end;
    }
    int q = q_gzip != -2 ? q_gzip : q_star;
    if (q <= 0)
        return false;
    return q_identity == -2 || q >= q_identity;
}
