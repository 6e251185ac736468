/* Growable string buffer: amortised doubling, a NUL always after the content, and HTML
 * escaping for text that comes from data (agency names, instrument texts, tokens). */
#include "strbuf.h"

#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRBUF_MIN_CAP 64

void strbuf_init(struct strbuf *b)
{
    b->cap = STRBUF_MIN_CAP;
    b->len = 0;
    b->data = xmalloc(b->cap);
    b->data[0] = '\0';
}

void strbuf_free(struct strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

/* Makes room for `extra` more content bytes plus the NUL. */
static void reserve(struct strbuf *b, size_t extra)
{
    if (extra >= (size_t)-1 - b->len) {
        fprintf(stderr, "fatal: string buffer size overflow\n");
        abort();
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap < STRBUF_MIN_CAP ? STRBUF_MIN_CAP : b->cap;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    b->data = xreallocarray(b->data, cap, 1);
    b->cap = cap;
    b->data[b->len] = '\0';
}

void strbuf_append(struct strbuf *b, const void *p, size_t len)
{
    reserve(b, len);
    if (len == 0)
        return;
    memcpy(b->data + b->len, p, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
    strbuf_append(b, s, strlen(s));
}

void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    char probe[256];
    int n = vsnprintf(probe, sizeof probe, fmt, ap);
    if (n < 0) {
        va_end(again);
        fprintf(stderr, "fatal: strbuf_printf: bad format '%s'\n", fmt);
        abort();
    }
    if ((size_t)n < sizeof probe) {
        va_end(again);
        strbuf_append(b, probe, (size_t)n);
        return;
    }
    reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
    va_end(again);
    b->len += (size_t)n;
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void strbuf_html_escape(struct strbuf *b, const char *text)
{
    const char *run = text;
    for (const char *p = text; *p; p++) {
        const char *ref;
        switch (*p) {
        case '&':
            ref = "&amp;";
            break;
        case '<':
            ref = "&lt;";
            break;
        case '>':
            ref = "&gt;";
            break;
        case '"':
            ref = "&quot;";
            break;
        case '\'':
            ref = "&#39;";
            break;
        default:
            continue;
        }
        strbuf_append(b, run, (size_t)(p - run));
        strbuf_puts(b, ref);
        run = p + 1;
    }
    strbuf_puts(b, run);
}

char *strbuf_detach(struct strbuf *b)
{
    char *s = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return s;
}
