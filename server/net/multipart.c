/* multipart/form-data parser (see multipart.h). Only what browsers send: CRLF line ends, a
 * Content-Disposition of form-data with a quoted name (and filename for files), optional
 * Content-Type; the preamble and epilogue are ignored. */
#define _GNU_SOURCE /* memmem */
#include "multipart.h"
#include "text_encoding.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#define MAX_BOUNDARY 70 /* RFC 2046 */
#define MAX_PART_HEAD 4096

bool multipart_is(const char *ct, size_t len)
{
    return len >= 19 && strncasecmp(ct, "multipart/form-data", 19) == 0 &&
           (len == 19 || ct[19] == ';' || ct[19] == ' ');
}

/* Copies the boundary parameter into out ("--" + boundary). Returns its length or 0. */
static size_t boundary_of(const char *ct, size_t len, char out[MAX_BOUNDARY + 3])
{
    const char *end = ct + len;
    for (const char *p = ct; p + 9 <= end; p++) {
        if (strncasecmp(p, "boundary=", 9) != 0 || (p > ct && p[-1] != ';' && p[-1] != ' '))
            continue;
        p += 9;
        const char *s = p, *e;
        if (p < end && *p == '"') {
            s = p + 1;
            e = memchr(s, '"', (size_t)(end - s));
            if (!e)
                return 0;
        } else {
            e = s;
            while (e < end && *e != ';' && *e != ' ')
                e++;
        }
        size_t n = (size_t)(e - s);
        if (n == 0 || n > MAX_BOUNDARY)
            return 0;
        out[0] = out[1] = '-';
        memcpy(out + 2, s, n);
        out[n + 2] = '\0';
        return n + 2;
    }
    return 0;
}

/* The value of param="..." in a Content-Disposition line [p, end), copied into the arena, or
 * NULL when absent. */
static const char *disposition_param(struct arena *a, const char *p, const char *end,
                                     const char *param)
{
    size_t pl = strlen(param);
    for (const char *q = p; q + pl + 2 <= end; q++) {
        if (strncasecmp(q, param, pl) != 0 || q[pl] != '=' || q[pl + 1] != '"' ||
            (q > p && q[-1] != ' ' && q[-1] != ';'))
            continue;
        const char *s = q + pl + 2;
        const char *e = memchr(s, '"', (size_t)(end - s));
        if (!e)
            return NULL;
        return arena_strndup(a, s, (size_t)(e - s));
    }
    return NULL;
}

/* Reads the part head [p, end): sets *name and *filename (NULL when not a file). */
static int part_head(struct arena *a, const char *p, const char *end, const char **name,
                     const char **filename, const char **why)
{
    *name = *filename = NULL;
    while (p < end) {
        const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
        const char *le = eol ? eol : end;
        if ((size_t)(le - p) > 20 && strncasecmp(p, "content-disposition:", 20) == 0) {
            const char *v = p + 20;
            while (v < le && *v == ' ')
                v++;
            if ((size_t)(le - v) < 9 || strncasecmp(v, "form-data", 9) != 0) {
                *why = "part is not form-data";
                return -1;
            }
            *name = disposition_param(a, v + 9, le, "name");
            *filename = disposition_param(a, v + 9, le, "filename");
        }
        p = eol ? eol + 2 : end;
    }
    if (!*name) {
        *why = "part without a name";
        return -1;
    }
    return 0;
}

int multipart_parse(const char *ct, size_t ct_len, const char *body, size_t len, struct arena *a,
                    struct multipart_data *out, const char **why)
{
    char delim[MAX_BOUNDARY + 3];
    memset(out, 0, sizeof *out);
    size_t dl = boundary_of(ct, ct_len, delim);
    if (!multipart_is(ct, ct_len) || dl == 0) {
        *why = "not multipart/form-data with a boundary";
        return -1;
    }
    const char *end = body + len;
    const char *p = memmem(body, len, delim, dl);
    if (!p) {
        *why = "no boundary delimiter in the body";
        return -1;
    }
    for (;;) {
        p += dl;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return 0; /* close delimiter; the epilogue is ignored */
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
            *why = "boundary line not ended by CRLF";
            return -1;
        }
        p += 2;
        size_t room = (size_t)(end - p) < MAX_PART_HEAD + 4 ? (size_t)(end - p) : MAX_PART_HEAD + 4;
        const char *he = memmem(p, room, "\r\n\r\n", 4);
        if (!he) {
            *why = "part head too long or truncated";
            return -1;
        }
        const char *name, *filename;
        if (part_head(a, p, he + 2, &name, &filename, why) != 0)
            return -1;
        const char *data = he + 4;
        /* the data ends at CRLF + delimiter */
        const char *next = NULL;
        for (const char *s = data; s < end;) {
            const char *m = memmem(s, (size_t)(end - s), delim, dl);
            if (!m)
                break;
            if (m - data >= 2 && m[-2] == '\r' && m[-1] == '\n') {
                next = m;
                break;
            }
            s = m + 1;
        }
        if (!next) {
            *why = "body ends inside a part (truncated upload?)";
            return -1;
        }
        size_t dlen = (size_t)(next - 2 - data);
        if (filename) {
            if (out->nfiles == MULTIPART_MAX_FILES) {
                *why = "too many files";
                return -1;
            }
            out->files[out->nfiles++] = (struct multipart_file){name, filename, data, dlen};
        } else {
            if (memchr(data, '\0', dlen) || !ita_utf8_valid(data, dlen)) {
                *why = "NUL byte or bytes that are not UTF-8 in a text field";
                return -1;
            }
            if (out->fields.n == FORM_MAX_PAIRS) {
                *why = "too many fields";
                return -1;
            }
            out->fields.pairs[out->fields.n++] =
                (struct form_pair){name, arena_strndup(a, data, dlen)};
        }
        p = next;
    }
}

const struct multipart_file *multipart_file(const struct multipart_data *m, const char *name)
{
    for (size_t i = 0; i < m->nfiles; i++)
        if (strcmp(m->files[i].name, name) == 0)
            return &m->files[i];
    return NULL;
}
