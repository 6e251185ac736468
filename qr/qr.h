/* QR codes for survey links (libqrencode) written as SVG or PNG (libpng), and the printable A4
 * poster plus website snippet for a public link (cairo + pango, so Thai text is shaped by a real
 * text engine and set in a Thai font). Used by itactl now and by the web admin later; no sockets,
 * no database. Every function that writes a file reports failure with a message naming it. */
#ifndef ITA_QR_H
#define ITA_QR_H

#include <stddef.h>

#define QR_QUIET_ZONE 4 /* modules of white border on every side (ISO/IEC 18004 minimum) */

struct qr_code {
    int width;              /* modules per side, without the quiet zone */
    unsigned char *modules; /* width * width bytes, row by row; 1 = dark */
};

/* Encodes text (UTF-8, byte mode) at error-correction level M or higher, the smallest version
 * that fits. Returns 0, or -1 with a message in err. Free with qr_free. */
int qr_make(const char *text, struct qr_code *out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void qr_free(struct qr_code *q);

/* SVG document of the code with its quiet zone, module_px user units per module, crisp edges.
 * Caller frees. */
char *qr_svg(const struct qr_code *q, int module_px);
/* Grey-scale PNG, module_px pixels per module, with the quiet zone. */
int qr_png(const struct qr_code *q, int module_px, const char *path, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* What a poster says. */
struct poster {
    const char *agency_th;  /* agency name, Thai */
    int fiscal_year;        /* Buddhist Era */
    const char *instrument; /* "EIT" or "IIT" */
    const char *url;        /* the public link the code carries and the poster prints */
};

/* A4 portrait poster as PDF (vector) or PNG at dpi dots per inch (300 for print). */
int poster_pdf(const struct poster *p, const char *path, char *err, size_t errlen)
    __attribute__((warn_unused_result));
int poster_png(const struct poster *p, int dpi, const char *path, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* The same in memory: *out (caller frees) holds the PDF (dpi ignored) or the PNG file bytes. */
enum poster_format { POSTER_PDF, POSTER_PNG };
int poster_render(const struct poster *p, enum poster_format fmt, int dpi, unsigned char **out,
                  size_t *len, char *err, size_t errlen) __attribute__((warn_unused_result));
/* The QR code alone as a PNG file in memory (caller frees *out). */
int qr_png_mem(const struct qr_code *q, int module_px, unsigned char **out, size_t *len, char *err,
               size_t errlen) __attribute__((warn_unused_result));

/* Releases the font machinery's process-wide caches (pango, cairo, fontconfig); call once before
 * exit in tools, so leak checkers see only real leaks. No poster function may run afterwards. */
void poster_cleanup(void);

/* HTML to paste into the agency's website: the code as inline SVG inside a link, with the Thai
 * instruction. Caller frees; NULL with err if the URL cannot be encoded. */
char *poster_html_snippet(const struct poster *p, char *err, size_t errlen);

#endif
