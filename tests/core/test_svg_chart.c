/* Tests of core/svg_chart: the SVG is parsed back with a small strict XML reader (elements,
 * double-quoted attributes, the five entities and numeric references; anything else fails), then
 * every bar's data-value and label, the bars' lengths and the reference lines' positions against
 * the scale, the accessibility attributes, escaping, and the empty / zero / 100 / over-the-scale
 * / missing edge cases are checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "svg_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a minimal strict XML reader ---- */

struct xattr {
    char *name, *value; /* value with references decoded */
};

struct xnode {
    char *name;
    struct xattr attr[32];
    int nattr;
    char text[2048]; /* direct text content, decoded */
    struct xnode *kid[512];
    int nkid;
};

static void xfree(struct xnode *n)
{
    if (!n)
        return;
    for (int i = 0; i < n->nkid; i++)
        xfree(n->kid[i]);
    for (int i = 0; i < n->nattr; i++) {
        free(n->attr[i].name);
        free(n->attr[i].value);
    }
    free(n->name);
    free(n);
}

/* Decodes one reference at *p (after '&') into out; false if it is not one XML knows. */
static bool decode_ref(const char **p, char *out, size_t *len, size_t cap)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
    for (size_t i = 0; i < 5; i++) {
        size_t n = strlen(named[i].name);
        if (strncmp(*p, named[i].name, n) == 0) {
            if (*len + 1 >= cap)
                return false;
            out[(*len)++] = named[i].c;
            *p += n;
            return true;
        }
    }
    if (**p != '#')
        return false;
    char *end;
    long cp = (*p)[1] == 'x' ? strtol(*p + 2, &end, 16) : strtol(*p + 1, &end, 10);
    if (*end != ';' || cp <= 0 || cp > 0x7F)
        return false; /* the writer only references ASCII */
    if (*len + 1 >= cap)
        return false;
    out[(*len)++] = (char)cp;
    *p = end + 1;
    return true;
}

/* Text up to `stop`, decoded; false on a raw '<' or '&' that is not a reference. */
static bool read_text(const char **p, char stop, char *out, size_t cap)
{
    size_t len = strlen(out);
    while (**p && **p != stop) {
        if (**p == '<' && stop != '<')
            return false;
        if (**p == '&') {
            (*p)++;
            if (!decode_ref(p, out, &len, cap))
                return false;
            continue;
        }
        if (len + 1 >= cap)
            return false;
        out[len++] = *(*p)++;
    }
    out[len] = '\0';
    return true;
}

static struct xnode *parse_element(const char **p)
{
    if (**p != '<')
        return NULL;
    (*p)++;
    size_t n = strcspn(*p, " />");
    if (n == 0)
        return NULL;
    struct xnode *e = calloc(1, sizeof *e);
    e->name = strndup(*p, n);
    *p += n;
    for (;;) {
        while (**p == ' ')
            (*p)++;
        if (**p == '/' && (*p)[1] == '>') {
            *p += 2;
            return e;
        }
        if (**p == '>') {
            (*p)++;
            break;
        }
        size_t an = strcspn(*p, "= />");
        if (an == 0 || (*p)[an] != '=' || (*p)[an + 1] != '"' || e->nattr == 32)
            goto bad;
        struct xattr *a = &e->attr[e->nattr++];
        a->name = strndup(*p, an);
        *p += an + 2;
        char buf[2048] = "";
        if (!read_text(p, '"', buf, sizeof buf) || **p != '"')
            goto bad;
        (*p)++;
        a->value = strdup(buf);
        for (int i = 0; i < e->nattr - 1; i++)
            if (strcmp(e->attr[i].name, a->name) == 0)
                goto bad; /* duplicate attribute */
    }
    for (;;) {
        if (!read_text(p, '<', e->text, sizeof e->text))
            goto bad;
        if (**p != '<')
            goto bad; /* unclosed */
        if ((*p)[1] == '/') {
            size_t cn = strlen(e->name);
            if (strncmp(*p + 2, e->name, cn) != 0 || (*p)[2 + cn] != '>')
                goto bad;
            *p += 3 + cn;
            return e;
        }
        if (e->nkid == 512)
            goto bad;
        struct xnode *k = parse_element(p);
        if (!k)
            goto bad;
        e->kid[e->nkid++] = k;
    }
bad:
    xfree(e);
    return NULL;
}

/* The whole text must be exactly one element. */
static struct xnode *parse(const char *s)
{
    const char *p = s;
    struct xnode *root = parse_element(&p);
    if (root && *p != '\0') {
        xfree(root);
        return NULL;
    }
    return root;
}

static const char *attr(const struct xnode *n, const char *name)
{
    for (int i = 0; i < n->nattr; i++)
        if (strcmp(n->attr[i].name, name) == 0)
            return n->attr[i].value;
    return NULL;
}

static double num(const struct xnode *n, const char *name)
{
    const char *v = attr(n, name);
    assert_non_null(v);
    char *end;
    double d = strtod(v, &end);
    assert_true(*end == '\0');
    return d;
}

static bool has_class(const struct xnode *n, const char *cls)
{
    const char *c = attr(n, "class");
    if (!c)
        return false;
    size_t l = strlen(cls);
    for (const char *p = c; (p = strstr(p, cls)); p += l)
        if ((p == c || p[-1] == ' ') && (p[l] == '\0' || p[l] == ' '))
            return true;
    return false;
}

/* Every node with class cls under n, in document order. */
static int find_all(const struct xnode *n, const char *cls, const struct xnode **out, int max)
{
    int found = 0;
    if (has_class(n, cls) && found < max)
        out[found++] = n;
    for (int i = 0; i < n->nkid; i++)
        found += find_all(n->kid[i], cls, out + found, max - found);
    return found;
}

static const struct xnode *find(const struct xnode *n, const char *cls)
{
    const struct xnode *one[1];
    return find_all(n, cls, one, 1) ? one[0] : NULL;
}

static const struct xnode *child(const struct xnode *n, const char *name)
{
    for (int i = 0; i < n->nkid; i++)
        if (strcmp(n->kid[i]->name, name) == 0)
            return n->kid[i];
    return NULL;
}

/* All text under n, children included, in order. */
static void all_text(const struct xnode *n, char *out, size_t cap)
{
    size_t have = strlen(out), add = strlen(n->text);
    if (add > cap - have - 1)
        add = cap - have - 1;
    memcpy(out + have, n->text, add);
    out[have + add] = '\0';
    for (int i = 0; i < n->nkid; i++)
        all_text(n->kid[i], out, cap);
}

static struct xnode *render(void (*fn)(struct strbuf *, const struct svg_chart *),
                            const struct svg_chart *c)
{
    struct strbuf b;
    strbuf_init(&b);
    fn(&b, c);
    struct xnode *root = parse(b.data);
    if (!root)
        fprintf(stderr, "not well-formed: %s\n", b.data);
    strbuf_free(&b);
    assert_non_null(root);
    return root;
}

/* ---- the tests ---- */

static const double indicator[10] = {95.82, 88.1234, 90, 94.999, 100, 0, 85, 72.5, 99.99, 61.07};

static void hbar_values_labels_scale(void **state)
{
    (void)state;
    struct svg_bar bars[10];
    char labels[10][64];
    memset(bars, 0, sizeof bars);
    for (int i = 0; i < 10; i++) {
        snprintf(labels[i], sizeof labels[i], "ตัวชี้วัดที่ %d", i + 1);
        bars[i].label = labels[i];
        bars[i].value = indicator[i];
    }
    struct svg_ref_line lines[] = {{85, NULL}, {95, "ผ่านดีเยี่ยม 95"}};
    struct svg_band bands[] = {{0, 90, "เร่งแก้ไข", "svgc-urgent"},
                               {90, 95, "พัฒนา", "svgc-develop"},
                               {95, 100, "รักษา", "svgc-keep"}};
    struct svg_chart c = {.id = "x",
                          .title = "คะแนน",
                          .desc = "คำอธิบาย",
                          .described_by = "indicators",
                          .min = 0,
                          .max = 100,
                          .decimals = 2,
                          .bars = bars,
                          .n_bars = 10,
                          .lines = lines,
                          .n_lines = 2,
                          .bands = bands,
                          .n_bands = 3};
    struct xnode *svg = render(svg_chart_hbar, &c);
    /* accessible and scalable */
    assert_string_equal(svg->name, "svg");
    assert_string_equal(attr(svg, "role"), "img");
    assert_string_equal(attr(svg, "width"), "100%");
    assert_string_equal(attr(svg, "aria-describedby"), "indicators");
    assert_string_equal(attr(svg, "id"), "x");
    assert_non_null(attr(svg, "viewBox"));
    assert_true(strncmp(attr(svg, "viewBox"), "0 0 400 ", 8) == 0);
    assert_string_equal(svg->kid[0]->name, "title");
    assert_string_equal(svg->kid[0]->text, "คะแนน");
    assert_string_equal(svg->kid[1]->name, "desc");
    assert_string_equal(svg->kid[1]->text, "คำอธิบาย");
    assert_true(num(svg, "font-size") >= 14);

    const struct xnode *plot = find(svg, "svgc-plot");
    assert_non_null(plot);
    double min = num(plot, "data-min"), max = num(plot, "data-max");
    double x0 = num(plot, "data-x0"), x1 = num(plot, "data-x1");
    assert_true(min == 0 && max == 100 && x1 > x0);

    const struct xnode *rows[16];
    assert_int_equal(find_all(svg, "svgc-row", rows, 16), 10);
    for (int i = 0; i < 10; i++) {
        /* the exact figure, the label, the bar's length, the figure written as text */
        assert_true(num(rows[i], "data-value") == indicator[i]);
        assert_string_equal(attr(rows[i], "data-label"), labels[i]);
        const struct xnode *bar = find(rows[i], "svgc-bar");
        assert_non_null(bar);
        assert_true(num(bar, "data-value") == indicator[i]);
        assert_true(fabs(num(bar, "x") - x0) < 0.006);
        assert_true(fabs(num(bar, "width") - (indicator[i] - min) / (max - min) * (x1 - x0)) <
                    0.006);
        const struct xnode *label = find(rows[i], "svgc-label");
        assert_string_equal(label->text, labels[i]);
        char want[32];
        snprintf(want, sizeof want, "%.2f", indicator[i]);
        assert_string_equal(find(rows[i], "svgc-value")->text, want);
    }
    /* rows do not overlap: each starts below the one before */
    for (int i = 1; i < 10; i++)
        assert_true(num(find(rows[i], "svgc-bar"), "y") >=
                    num(find(rows[i - 1], "svgc-bar"), "y") +
                        num(find(rows[i - 1], "svgc-bar"), "height"));

    /* reference lines at their value on the scale, with their labels */
    const struct xnode *refs[4];
    assert_int_equal(find_all(svg, "svgc-ref", refs, 4), 2);
    const double rv[2] = {85, 95};
    for (int i = 0; i < 2; i++) {
        double x = x0 + (rv[i] - min) / (max - min) * (x1 - x0);
        assert_true(num(refs[i], "data-value") == rv[i]);
        assert_true(fabs(num(refs[i], "x1") - x) < 0.006);
        assert_true(fabs(num(refs[i], "x2") - x) < 0.006);
    }
    const struct xnode *rl[4];
    assert_int_equal(find_all(svg, "svgc-reflabel", rl, 4), 2);
    assert_string_equal(rl[0]->text, "85");
    assert_string_equal(rl[1]->text, "ผ่านดีเยี่ยม 95");

    /* bands span their part of the scale; their meaning is written in the legend */
    const struct xnode *bd[4];
    assert_int_equal(find_all(svg, "svgc-band", bd, 4), 3);
    for (int i = 0; i < 3; i++) {
        assert_true(has_class(bd[i], bands[i].css_class));
        assert_true(fabs(num(bd[i], "x") - (x0 + bands[i].from / 100 * (x1 - x0))) < 0.006);
        assert_true(fabs(num(bd[i], "width") - (bands[i].to - bands[i].from) / 100 * (x1 - x0)) <
                    0.006);
    }
    const struct xnode *lg[4];
    assert_int_equal(find_all(svg, "svgc-legend", lg, 4), 3);
    assert_string_equal(child(lg[0], "text")->text, "เร่งแก้ไข");
    xfree(svg);
}

static void escaping(void **state)
{
    (void)state;
    const char *evil = "<script>alert('x')</script> & \"q\"";
    struct svg_bar bars[] = {{.label = evil, .value = 1, .note = "a<b", .value_text = "1 & 2"},
                             {.label = "bad \xff\xfe utf8 \x01 ctl", .value = 2}};
    struct svg_ref_line line = {1.5, "<85>"};
    struct svg_chart c = {.id = "a\"b",
                          .title = "T <&> 'q'",
                          .desc = "d&d",
                          .described_by = "t\" onload=\"x",
                          .bars = bars,
                          .n_bars = 2,
                          .lines = &line,
                          .n_lines = 1};
    struct strbuf b;
    strbuf_init(&b);
    svg_chart_hbar(&b, &c);
    assert_null(strstr(b.data, "<script"));
    assert_null(strstr(b.data, "\xff"));
    assert_null(strstr(b.data, "\x01"));
    struct xnode *svg = parse(b.data);
    assert_non_null(svg);
    assert_string_equal(attr(svg, "id"), "a\"b");
    assert_string_equal(attr(svg, "aria-describedby"), "t\" onload=\"x");
    assert_null(attr(svg, "onload"));
    assert_string_equal(child(svg, "title")->text, "T <&> 'q'");
    assert_string_equal(child(svg, "desc")->text, "d&d");
    const struct xnode *rows[2];
    assert_int_equal(find_all(svg, "svgc-row", rows, 2), 2);
    assert_string_equal(attr(rows[0], "data-label"), evil);
    char text[512] = "";
    all_text(find(rows[0], "svgc-label"), text, sizeof text);
    assert_non_null(strstr(text, evil));
    assert_non_null(strstr(text, "a<b"));
    assert_string_equal(find(rows[0], "svgc-value")->text, "1 & 2");
    /* invalid UTF-8 and control characters become U+FFFD */
    assert_string_equal(attr(rows[1], "data-label"),
                        "bad \xEF\xBF\xBD\xEF\xBF\xBD utf8 \xEF\xBF\xBD ctl");
    assert_string_equal(find(svg, "svgc-reflabel")->text, "<85>");
    xfree(svg);
    strbuf_free(&b);

    /* escape on its own: truncated sequences, overlong forms, surrogates */
    strbuf_init(&b);
    svg_chart_escape(&b, "\xE0\xB8");       /* truncated Thai character */
    svg_chart_escape(&b, "|\xC0\xAF|");     /* overlong '/' */
    svg_chart_escape(&b, "|\xED\xA0\x80|"); /* surrogate */
    svg_chart_escape(&b, "|ก|\t");
    assert_string_equal(b.data, "\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD|"
                                "|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD||ก|\t");
    svg_chart_escape(&b, NULL);
    strbuf_free(&b);
}

static void edges(void **state)
{
    (void)state;
    /* no bars at all: still a well-formed, titled image */
    struct svg_chart empty = {.title = "ว่าง", .min = 0, .max = 100};
    struct xnode *svg = render(svg_chart_hbar, &empty);
    assert_string_equal(attr(svg, "role"), "img");
    assert_null(find(svg, "svgc-row"));
    xfree(svg);
    svg = render(svg_chart_columns, &empty);
    assert_null(find(svg, "svgc-col"));
    xfree(svg);
    struct svg_chart no_scale = {.title = "ว่าง"};
    svg = render(svg_chart_counts, &no_scale);
    assert_true(num(find(svg, "svgc-plot"), "data-max") == 1);
    xfree(svg);

    /* zero, 100, above the scale, below it, missing */
    struct svg_bar bars[] = {{.label = "ศูนย์", .value = 0},
                             {.label = "เต็ม", .value = 100},
                             {.label = "เกิน", .value = 130.5},
                             {.label = "ต่ำ", .value = -3},
                             {.label = "ไม่มี", .missing = true}};
    struct svg_chart c = {.title = "t", .min = 0, .max = 100, .bars = bars, .n_bars = 5};
    svg = render(svg_chart_hbar, &c);
    const struct xnode *plot = find(svg, "svgc-plot");
    double x0 = num(plot, "data-x0"), x1 = num(plot, "data-x1");
    const struct xnode *rows[5];
    assert_int_equal(find_all(svg, "svgc-row", rows, 5), 5);
    assert_true(num(find(rows[0], "svgc-bar"), "width") == 0);
    assert_string_equal(find(rows[0], "svgc-value")->text, "0");
    assert_true(fabs(num(find(rows[1], "svgc-bar"), "width") - (x1 - x0)) < 0.006);
    /* over the scale: the bar stops at its end, the exact figure is kept and written */
    assert_true(fabs(num(find(rows[2], "svgc-bar"), "width") - (x1 - x0)) < 0.006);
    assert_true(num(rows[2], "data-value") == 130.5);
    assert_string_equal(find(rows[2], "svgc-value")->text, "130");
    assert_true(num(find(rows[3], "svgc-bar"), "width") == 0);
    assert_true(num(rows[3], "data-value") == -3);
    /* missing: no bar, no figure, said in words */
    assert_null(find(rows[4], "svgc-bar"));
    assert_null(attr(rows[4], "data-value"));
    assert_string_equal(find(rows[4], "svgc-none")->text, "ไม่มีข้อมูล");
    xfree(svg);

    /* a bad scale (max <= min) falls back to 0 .. a round number above everything */
    struct svg_chart bad = {.title = "t", .min = 50, .max = 50, .bars = bars, .n_bars = 3};
    svg = render(svg_chart_hbar, &bad);
    plot = find(svg, "svgc-plot");
    assert_true(num(plot, "data-min") == 0 && num(plot, "data-max") == 200);
    xfree(svg);
}

static void counts_and_targets(void **state)
{
    (void)state;
    struct svg_bar bars[] = {{.label = "มากที่สุด", .value = 37, .value_text = "37 (74%)"},
                             {.label = "น้อย", .value = 13},
                             {.label = "ไม่มีเลย", .value = 0}};
    struct svg_chart c = {.title = "คำตอบ", .bars = bars, .n_bars = 3};
    struct xnode *svg = render(svg_chart_counts, &c);
    assert_true(has_class(svg, "svgc-counts"));
    const struct xnode *plot = find(svg, "svgc-plot");
    assert_true(num(plot, "data-min") == 0 && num(plot, "data-max") == 50);
    const struct xnode *rows[3];
    assert_int_equal(find_all(svg, "svgc-row", rows, 3), 3);
    assert_string_equal(find(rows[0], "svgc-value")->text, "37 (74%)");
    assert_string_equal(find(rows[1], "svgc-value")->text, "13"); /* integers by default */
    assert_string_equal(find(rows[2], "svgc-value")->text, "0");
    double x0 = num(plot, "data-x0"), x1 = num(plot, "data-x1");
    assert_true(fabs(num(find(rows[0], "svgc-bar"), "width") - 37.0 / 50 * (x1 - x0)) < 0.006);
    xfree(svg);

    /* progress: responses toward a minimum, the target marked where the scale puts it */
    struct svg_bar prog[] = {
        {.label = "IIT", .value = 12, .has_target = true, .target = 25, .target_text = "ขั้นต่ำ 25"},
        {.label = "EIT", .value = 31, .has_target = true, .target = 30, .target_text = "ขั้นต่ำ 30"}};
    struct svg_chart p = {.title = "ความคืบหน้า", .bars = prog, .n_bars = 2};
    svg = render(svg_chart_counts, &p);
    plot = find(svg, "svgc-plot");
    assert_true(num(plot, "data-max") == 50);
    x0 = num(plot, "data-x0"), x1 = num(plot, "data-x1");
    const struct xnode *t[2];
    assert_int_equal(find_all(svg, "svgc-target", t, 2), 2);
    assert_true(num(t[0], "data-value") == 25);
    assert_true(fabs(num(t[0], "x1") - (x0 + 25.0 / 50 * (x1 - x0))) < 0.006);
    assert_int_equal(find_all(svg, "svgc-row", rows, 2), 2);
    assert_true(num(rows[1], "data-target") == 30);
    char text[256] = "";
    all_text(find(rows[0], "svgc-label"), text, sizeof text);
    assert_non_null(strstr(text, "ขั้นต่ำ 25"));
    xfree(svg);
}

static void columns_over_years(void **state)
{
    (void)state;
    struct svg_bar years[] = {{.label = "2561", .value = 86.12, .note = "A"},
                              {.label = "2562", .missing = true},
                              {.label = "2566", .value = 96.02, .note = "AA"},
                              {.label = "2567", .value = 59.47, .note = "ต้องปรับปรุง\nโดยด่วน"}};
    struct svg_ref_line pass = {85, NULL};
    struct svg_chart c = {.title = "ย้อนหลัง",
                          .min = 0,
                          .max = 100,
                          .decimals = 2,
                          .bars = years,
                          .n_bars = 4,
                          .lines = &pass,
                          .n_lines = 1,
                          .line = true};
    struct xnode *svg = render(svg_chart_columns, &c);
    const struct xnode *plot = find(svg, "svgc-plot");
    double base = num(plot, "data-y0"), top = num(plot, "data-y1");
    assert_true(base > top);
    const struct xnode *cols[4];
    assert_int_equal(find_all(svg, "svgc-col", cols, 4), 4);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(attr(cols[i], "data-label"), years[i].label);
        assert_string_equal(find(cols[i], "svgc-label")->text, years[i].label);
        if (years[i].missing) {
            assert_null(attr(cols[i], "data-value"));
            assert_null(find(cols[i], "svgc-bar"));
            continue;
        }
        const struct xnode *bar = find(cols[i], "svgc-bar");
        assert_true(num(cols[i], "data-value") == years[i].value);
        double h = years[i].value / 100 * (base - top);
        assert_true(fabs(num(bar, "height") - h) < 0.006);
        assert_true(fabs(num(bar, "y") + num(bar, "height") - base) < 0.006);
        char want[16];
        snprintf(want, sizeof want, "%.2f", years[i].value);
        assert_string_equal(find(cols[i], "svgc-value")->text, want);
    }
    /* the grade under the year; a two-line note gives two lines */
    assert_string_equal(find(cols[0], "svgc-note")->text, "A");
    const struct xnode *notes[2];
    assert_int_equal(find_all(cols[3], "svgc-note", notes, 2), 2);
    assert_string_equal(notes[0]->text, "ต้องปรับปรุง");
    assert_string_equal(notes[1]->text, "โดยด่วน");
    /* the reference line is horizontal at 85 on the scale */
    const struct xnode *ref = find(svg, "svgc-ref");
    double y = base - 85.0 / 100 * (base - top);
    assert_true(fabs(num(ref, "y1") - y) < 0.006 && fabs(num(ref, "y2") - y) < 0.006);
    assert_non_null(find(svg, "svgc-line"));
    xfree(svg);
}

static void numbers(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(svg_chart_number(95.82, buf), "95.82");
    assert_string_equal(svg_chart_number(85, buf), "85");
    assert_string_equal(svg_chart_number(0, buf), "0");
    assert_string_equal(svg_chart_number(-0.0, buf), "0");
    assert_string_equal(svg_chart_number(100, buf), "100");
    assert_string_equal(svg_chart_number(NAN, buf), "0");
    double third = 100.0 / 3;
    assert_true(strtod(svg_chart_number(third, buf), NULL) == third);
    assert_true(strtod(svg_chart_number(0.1 + 0.2, buf), NULL) == 0.1 + 0.2);
    assert_true(strtod(svg_chart_number(1e300, buf), NULL) == 1e300);
    assert_true(svg_chart_nice_max(0) == 1);
    assert_true(svg_chart_nice_max(-5) == 1);
    assert_true(svg_chart_nice_max(1) == 1);
    assert_true(svg_chart_nice_max(3) == 5);
    assert_true(svg_chart_nice_max(20) == 20);
    assert_true(svg_chart_nice_max(21) == 25);
    assert_true(svg_chart_nice_max(37) == 50);
    assert_true(svg_chart_nice_max(100) == 100);
    assert_true(svg_chart_nice_max(101) == 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hbar_values_labels_scale),
        cmocka_unit_test(escaping),
        cmocka_unit_test(edges),
        cmocka_unit_test(counts_and_targets),
        cmocka_unit_test(columns_over_years),
        cmocka_unit_test(numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
