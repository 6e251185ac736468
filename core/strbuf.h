/* A growable, always NUL-terminated byte string for building responses (HTML pages, CSV, JSON).
 * Memory comes from xalloc.h: running out of memory aborts, so appending never fails.
 *
 * Ownership: the buffer owns data until strbuf_free() or strbuf_detach(). Either leaves the
 * buffer holding no memory (data NULL, len 0), so nothing leaks if the owner stops there; appending
 * to it afterwards works and allocates again. Call strbuf_init() before first use. */
#ifndef ITA_STRBUF_H
#define ITA_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *data; /* len bytes of content followed by a NUL; NULL only after free/detach */
    size_t len; /* content length in bytes, excluding the NUL */
    size_t cap; /* bytes allocated at data, including room for the NUL */
};

void strbuf_init(struct strbuf *b);
/* Frees the content; b then holds no memory. Safe to call twice. */
void strbuf_free(struct strbuf *b);
/* Appends len bytes from p (which may contain NUL bytes). */
void strbuf_append(struct strbuf *b, const void *p, size_t len);
/* Appends the NUL-terminated string s. */
void strbuf_puts(struct strbuf *b, const char *s);
/* Appends printf-formatted text. */
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with a va_list (which it consumes, as vprintf does). */
void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Appends text with the HTML special characters & < > " ' replaced by character references, so
 * the result is safe both as element content and inside a quoted attribute value. */
void strbuf_html_escape(struct strbuf *b, const char *text);
/* Returns the content, never NULL (the caller frees it with free()); b then holds no memory. */
char *strbuf_detach(struct strbuf *b);

#endif
