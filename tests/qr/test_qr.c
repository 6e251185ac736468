/* QR codes and posters checked with real decoders: every PNG and SVG code and the code on the
 * PDF and PNG posters is read back with zbarimg (after rasterising SVG with rsvg-convert and PDF
 * with pdftoppm) and must give the exact URL; the poster is not blank, uses a Thai font, and the
 * website snippet links the URL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "qr.h"
#include "testlib.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const urls[] = {
    "https://localhost:8443/s/5FvBDHw-OXkCMONtm1eaNA",
    "https://ita.example.go.th/t/a39O_D6XRy0rfmEYC5IX1SrfvEA7bUUn",
    "https://itas.nacc.go.th/go/eit/" /* a long one: 300 characters */
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAA"
    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
    "BBBBBB"
    "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC",
};

/* Decodes the one QR code in an image file with zbarimg; the text, or "" when none. */
static const char *decode(const char *path)
{
    static char out[4096];
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "zbarimg --raw -q '%s' 2>/dev/null", path);
    int rc = t_run_capture(cmd, out, sizeof out);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '\n')
        out[--n] = '\0';
    return rc == 0 ? out : "";
}

static void test_png_and_svg_decode(void **state)
{
    const char *dir = t_tmpdir("qr");
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        struct qr_code q;
        char err[256], png[512], svg[512], svgpng[512], cmd[1536];
        assert_int_equal(qr_make(urls[i], &q, err, sizeof err), 0);
        assert_true(q.width >= 21 && (q.width - 17) % 4 == 0); /* a valid QR version size */
        snprintf(png, sizeof png, "%s/code%zu.png", dir, i);
        assert_int_equal(qr_png(&q, 6, png, err, sizeof err), 0);
        assert_string_equal(decode(png), urls[i]);
        char *text = qr_svg(&q, 6);
        snprintf(svg, sizeof svg, "%s/code%zu.svg", dir, i);
        FILE *f = fopen(svg, "w");
        fputs(text, f);
        fclose(f);
        free(text);
        snprintf(svgpng, sizeof svgpng, "%s/code%zu-svg.png", dir, i);
        snprintf(cmd, sizeof cmd, "rsvg-convert -o '%s' '%s'", svgpng, svg);
        assert_int_equal(system(cmd), 0);
        assert_string_equal(decode(svgpng), urls[i]);
        qr_free(&q);
    }
    /* nothing to encode, and something too long for any QR code */
    struct qr_code q;
    char err[256];
    assert_int_equal(qr_make("", &q, err, sizeof err), -1);
    char *huge = malloc(8000);
    memset(huge, 'x', 7999);
    huge[7999] = '\0';
    assert_int_equal(qr_make(huge, &q, err, sizeof err), -1);
    assert_non_null(strstr(err, "too long"));
    free(huge);
    assert_int_equal(qr_png(&(struct qr_code){0}, 4, "/nonexistent/dir/x.png", err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "/nonexistent/dir/x.png"));
}

/* Fraction of pixels that are not white in an 8-bit RGB(A) or grey PNG. */
static double ink(const char *path)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_file(&img, path));
    img.format = PNG_FORMAT_GRAY;
    unsigned char *buf = malloc(PNG_IMAGE_SIZE(img));
    assert_true(png_image_finish_read(&img, NULL, buf, 0, NULL));
    size_t dark = 0, n = (size_t)img.width * img.height;
    for (size_t i = 0; i < n; i++)
        dark += buf[i] < 200;
    free(buf);
    return (double)dark / (double)n;
}

static void test_posters(void **state)
{
    const char *dir = t_tmpdir("poster");
    struct poster p = {
        .agency_th = "องค์การบริหารส่วนตำบลหนองงูเหลือม อำเภอเมืองนครราชสีมา จังหวัดนครราชสีมา",
        .fiscal_year = 2566,
        .instrument = "EIT",
        .url = urls[0],
    };
    char err[256], pdf[512], png[512], cmd[1536], out[4096];
    snprintf(pdf, sizeof pdf, "%s/poster.pdf", dir);
    snprintf(png, sizeof png, "%s/poster.png", dir);
    assert_int_equal(poster_pdf(&p, pdf, err, sizeof err), 0);
    assert_int_equal(poster_png(&p, 150, png, err, sizeof err), 0);
    /* the PNG poster: A4 at 150 dpi, the code readable, ink but not a black page */
    assert_string_equal(decode(png), urls[0]);
    double k = ink(png);
    assert_true(k > 0.05 && k < 0.6);
    /* the PDF poster: one A4 page, a Thai font embedded, the code readable when printed */
    snprintf(cmd, sizeof cmd, "pdfinfo '%s'", pdf);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    assert_non_null(strstr(out, "Pages:           1"));
    assert_non_null(strstr(out, "595.276 x 841.89 pts (A4)"));
    snprintf(cmd, sizeof cmd, "pdffonts '%s'", pdf);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    assert_true(strstr(out, "Sarabun") || strstr(out, "NotoSansThai") || strstr(out, "Loma") ||
                strstr(out, "Garuda") || strstr(out, "Norasi"));
    snprintf(cmd, sizeof cmd, "pdftoppm -r 150 -png -singlefile '%s' '%s/from-pdf'", pdf, dir);
    assert_int_equal(system(cmd), 0);
    char frompdf[512];
    snprintf(frompdf, sizeof frompdf, "%s/from-pdf.png", dir);
    assert_string_equal(decode(frompdf), urls[0]);
    /* the text of the PDF carries the agency and the Buddhist-Era year */
    snprintf(cmd, sizeof cmd, "pdftotext '%s' -", pdf);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    assert_non_null(strstr(out, "2566"));
    assert_non_null(strstr(out, "องค์การบริหารส่วนตำบล")); /* text extraction follows line breaks */
    /* the snippet for the website */
    struct poster ps = p;
    ps.url = "https://x.example/s/a?b=1&c=2";
    char *html = poster_html_snippet(&ps, err, sizeof err);
    assert_non_null(html);
    assert_non_null(strstr(html, "href=\"https://x.example/s/a?b=1&amp;c=2\""));
    assert_non_null(strstr(html, "<svg"));
    free(html);
    /* bad dpi is refused with a message */
    assert_int_equal(poster_png(&p, 5, png, err, sizeof err), -1);
    assert_non_null(strstr(err, "dpi"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_and_svg_decode),
        cmocka_unit_test(test_posters),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    poster_cleanup();
    return rc;
}
