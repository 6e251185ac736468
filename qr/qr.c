/* QR encoding and the SVG/PNG writers (see qr.h). */
#include "qr.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <png.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int qr_make(const char *text, struct qr_code *out, char *err, size_t errlen)
{
    out->width = 0;
    out->modules = NULL;
    if (!text || !*text) {
        snprintf(err, errlen, "nothing to encode: the link is empty");
        return -1;
    }
    QRcode *c = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!c) {
        snprintf(err, errlen, "cannot make a QR code of %zu bytes: %s", strlen(text),
                 errno == ERANGE ? "too long for a QR code" : strerror(errno));
        return -1;
    }
    out->width = c->width;
    out->modules = xmalloc((size_t)c->width * (size_t)c->width);
    for (int i = 0; i < c->width * c->width; i++)
        out->modules[i] = c->data[i] & 1; /* bit 0 is the module colour */
    QRcode_free(c);
    return 0;
}

void qr_free(struct qr_code *q)
{
    free(q->modules);
    q->modules = NULL;
    q->width = 0;
}

char *qr_svg(const struct qr_code *q, int module_px)
{
    int side = (q->width + 2 * QR_QUIET_ZONE) * module_px;
    struct strbuf b;
    strbuf_init(&b);
    strbuf_printf(&b,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                  "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" role=\"img\">"
                  "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                  side, side, q->width + 2 * QR_QUIET_ZONE, q->width + 2 * QR_QUIET_ZONE, side,
                  side);
    /* one path of horizontal runs, in module units (the viewBox scales them) */
    for (int y = 0; y < q->width; y++) {
        int x = 0;
        while (x < q->width) {
            if (!q->modules[y * q->width + x]) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < q->width && q->modules[y * q->width + x + run])
                run++;
            strbuf_printf(&b, "M%d %dh%dv1h-%dz", x + QR_QUIET_ZONE, y + QR_QUIET_ZONE, run, run);
            x += run;
        }
    }
    strbuf_puts(&b, "\"/></svg>\n");
    return strbuf_detach(&b);
}

int qr_png_mem(const struct qr_code *q, int module_px, unsigned char **out, size_t *len, char *err,
               size_t errlen)
{
    int side = (q->width + 2 * QR_QUIET_ZONE) * module_px;
    unsigned char *px = xmalloc((size_t)side * (size_t)side);
    for (int py = 0; py < side; py++) {
        int my = py / module_px - QR_QUIET_ZONE;
        for (int x = 0; x < side; x++) {
            int mx = x / module_px - QR_QUIET_ZONE;
            bool dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
                        q->modules[my * q->width + mx];
            px[(size_t)py * (size_t)side + (size_t)x] = dark ? 0 : 255;
        }
    }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)side;
    img.height = (png_uint_32)side;
    img.format = PNG_FORMAT_GRAY;
    png_alloc_size_t size = 0;
    int rc = -1;
    if (png_image_write_to_memory(&img, NULL, &size, 0, px, 0, NULL)) {
        *out = xmalloc(size);
        if (png_image_write_to_memory(&img, *out, &size, 0, px, 0, NULL)) {
            *len = size;
            rc = 0;
        } else {
            free(*out);
            *out = NULL;
        }
    }
    if (rc != 0)
        snprintf(err, errlen, "cannot encode the QR code as PNG: %s", img.message);
    png_image_free(&img);
    free(px);
    return rc;
}

int qr_png(const struct qr_code *q, int module_px, const char *path, char *err, size_t errlen)
{
    int side = (q->width + 2 * QR_QUIET_ZONE) * module_px;
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = xmalloc((size_t)side);
    volatile int rc = -1; /* survives libpng's longjmp */
    if (!png || !info)
        goto out;
    if (setjmp(png_jmpbuf(png)))
        goto out;
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int py = 0; py < side; py++) {
        int my = py / module_px - QR_QUIET_ZONE;
        for (int px = 0; px < side; px++) {
            int mx = px / module_px - QR_QUIET_ZONE;
            bool dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
                        q->modules[my * q->width + mx];
            row[px] = dark ? 0 : 255;
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    rc = 0;
out:
    if (rc != 0)
        snprintf(err, errlen, "cannot write the PNG image %s", path);
    png_destroy_write_struct(&png, &info);
    free(row);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        rc = -1;
    }
    return rc;
}
