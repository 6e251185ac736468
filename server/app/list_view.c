/* Paging, sorting and filtering of long list pages kept in the URL, and their HTML: the
 * numbered pager, sortable column heads with aria-sort, the filter form's selects (see
 * list_view.h). */
#include "list_view.h"

#include <stdio.h>
#include <string.h>

long list_view_pages(const struct list_view *v)
{
    long per = v->per_page > 0 ? v->per_page : 1;
    long pages = v->total > 0 ? (v->total + per - 1) / per : 1;
    return pages;
}

long list_view_offset(const struct list_view *v)
{
    return (v->page > 1 ? v->page - 1 : 0) * (v->per_page > 0 ? v->per_page : 1);
}

void list_view_window(long page, long pages, long *from, long *to)
{
    if (pages < 1)
        pages = 1;
    if (page < 1)
        page = 1;
    if (page > pages)
        page = pages;
    long lo = page - LIST_VIEW_WINDOW, hi = page + LIST_VIEW_WINDOW;
    if (lo < 1) {
        hi += 1 - lo;
        lo = 1;
    }
    if (hi > pages) {
        lo -= hi - pages;
        hi = pages;
    }
    *from = lo < 1 ? 1 : lo;
    *to = hi;
}

void list_view_url_encode(struct strbuf *o, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            *c == '-' || *c == '.' || *c == '_' || *c == '~')
            strbuf_append(o, c, 1);
        else
            strbuf_printf(o, "%%%02X", *c);
    }
}

/* The URL with `amp` between parameters ("&amp;" in HTML, "&" in a header). */
static void url(struct strbuf *o, const struct list_view *v, const char *sort, bool desc, long page,
                const char *amp, bool escape_path)
{
    if (!sort)
        sort = v->sort;
    if (escape_path)
        strbuf_html_escape(o, v->path);
    else
        strbuf_puts(o, v->path);
    const char *sep = "?";
    for (size_t i = 0; i < v->n_filters; i++) {
        const struct list_filter *f = &v->filters[i];
        if (!f->value || !*f->value)
            continue;
        strbuf_printf(o, "%s%s=", sep, f->name);
        list_view_url_encode(o, f->value); /* only [A-Za-z0-9%._~-]: nothing to HTML-escape */
        sep = amp;
    }
    bool default_sort = !sort || (v->default_sort && !strcmp(sort, v->default_sort) && !desc);
    if (!default_sort) {
        strbuf_printf(o, "%ssort=", sep);
        list_view_url_encode(o, sort);
        sep = amp;
        if (desc)
            strbuf_printf(o, "%sdir=desc", sep);
    }
    if (page > 1)
        strbuf_printf(o, "%spage=%ld", sep, page);
}

void list_view_href(struct strbuf *o, const struct list_view *v, const char *sort, bool desc,
                    long page)
{
    url(o, v, sort, desc, page, "&amp;", true);
}

void list_view_url(struct strbuf *o, const struct list_view *v)
{
    url(o, v, NULL, v->desc, v->page, "&", false);
}

void list_view_hidden_state(struct strbuf *o, const struct list_view *v)
{
    for (size_t i = 0; i < v->n_filters; i++) {
        const struct list_filter *f = &v->filters[i];
        if (!f->value || !*f->value)
            continue;
        strbuf_printf(o, "<input type=\"hidden\" name=\"%s\" value=\"", f->name);
        strbuf_html_escape(o, f->value);
        strbuf_puts(o, "\">");
    }
    list_view_keep_sort(o, v);
    if (v->page > 1)
        strbuf_printf(o, "<input type=\"hidden\" name=\"page\" value=\"%ld\">", v->page);
}

void list_view_group_digits(long n, char *out, size_t size)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%ld", n < 0 ? -n : n);
    size_t o = 0;
    if (size == 0)
        return;
    if (n < 0 && o + 1 < size)
        out[o++] = '-';
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

int list_view_parse_page(const char *s, long *page)
{
    *page = 1;
    if (!s || !*s)
        return 0;
    long v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9' || c - s >= 7)
            return -1;
        v = v * 10 + (*c - '0');
    }
    if (v < 1 || v > LIST_VIEW_PAGE_MAX)
        return -1;
    *page = v;
    return 0;
}

int list_view_parse_sort(const char *sort, const char *dir, const char *const *keys,
                         const char **key, bool *desc)
{
    *key = keys[0];
    *desc = false;
    bool d;
    if (!dir || !*dir || !strcmp(dir, "asc"))
        d = false;
    else if (!strcmp(dir, "desc"))
        d = true;
    else
        return -1;
    if (!sort || !*sort) {
        *desc = d;
        return 0;
    }
    for (size_t i = 0; keys[i]; i++)
        if (!strcmp(sort, keys[i])) {
            *key = keys[i];
            *desc = d;
            return 0;
        }
    return -1;
}

char *list_view_search(struct arena *a, const char *q)
{
    size_t n = q ? strlen(q) : 0;
    while (n > LIST_VIEW_SEARCH_MAX || (n > 0 && ((unsigned char)q[n] & 0xC0) == 0x80))
        n--; /* cut at a character boundary */
    char *typed = arena_strndup(a, q ? q : "", n);
    for (char *c = typed; *c; c++)
        if (*c == '\t' || *c == '\r' || *c == '\n')
            *c = ' ';
    while (*typed == ' ')
        typed++;
    for (size_t k = strlen(typed); k > 0 && typed[k - 1] == ' '; k--)
        typed[k - 1] = '\0';
    return typed;
}

bool list_view_like_pattern(const char *q, char *out, size_t size)
{
    size_t n = strlen(q);
    if (size > 0)
        out[0] = '\0';
    if (n > LIST_VIEW_SEARCH_MAX || size < 2 * n + 3)
        return false;
    if (n == 0)
        return true;
    size_t o = 0;
    out[o++] = '%';
    for (const char *c = q; *c; c++) {
        if (*c == '\\' || *c == '%' || *c == '_')
            out[o++] = '\\';
        out[o++] = *c;
    }
    out[o++] = '%';
    out[o] = '\0';
    return true;
}

void list_view_sort_th(struct strbuf *o, const struct list_view *v, const char *key,
                       const char *label)
{
    bool current = v->sort && !strcmp(v->sort, key);
    strbuf_puts(o, "<th scope=\"col\"");
    if (current)
        strbuf_printf(o, " aria-sort=\"%s\"", v->desc ? "descending" : "ascending");
    strbuf_puts(o, "><a class=\"lv-sort\" href=\"");
    list_view_href(o, v, key, current && !v->desc, 1);
    strbuf_puts(o, "\">");
    strbuf_html_escape(o, label);
    /* the arrow is decoration; aria-sort tells the state */
    strbuf_printf(o, "<span aria-hidden=\"true\">%s</span></a></th>",
                  !current  ? " ↕"
                  : v->desc ? " ▼"
                            : " ▲");
}

void list_view_sort_link(struct strbuf *o, const struct list_view *v, const char *key,
                         const char *label)
{
    bool current = v->sort && !strcmp(v->sort, key);
    strbuf_puts(o, "<a class=\"lv-sort\" href=\"");
    list_view_href(o, v, key, current && !v->desc, 1);
    strbuf_puts(o, "\"");
    if (current)
        strbuf_puts(o, " aria-current=\"true\"");
    strbuf_puts(o, ">");
    strbuf_html_escape(o, label);
    if (current)
        strbuf_printf(
            o, "<span class=\"lv-sr\"> (เรียงอยู่ %s)</span><span aria-hidden=\"true\">%s</span>",
            v->desc ? "จากมากไปน้อย" : "จากน้อยไปมาก", v->desc ? " ▼" : " ▲");
    strbuf_puts(o, "</a>");
}

/* One item of the pager: a link to page n, or the current page. */
static void pager_link(struct strbuf *o, const struct list_view *v, long n, const char *text,
                       const char *rel, const char *aria)
{
    strbuf_puts(o, "<li><a href=\"");
    list_view_href(o, v, NULL, v->desc, n);
    strbuf_puts(o, "\"");
    if (rel)
        strbuf_printf(o, " rel=\"%s\"", rel);
    if (aria)
        strbuf_printf(o, " aria-label=\"%s\"", aria);
    if (n == v->page && !rel && !aria)
        strbuf_puts(o, " aria-current=\"page\"");
    strbuf_printf(o, ">%s</a></li>", text);
}

void list_view_pager(struct strbuf *o, const struct list_view *v, const char *id, const char *label)
{
    long pages = list_view_pages(v);
    if (pages <= 1)
        return;
    long page = v->page < 1 ? 1 : v->page > pages ? pages : v->page;
    char num[32], aria[96];
    strbuf_printf(o, "<nav class=\"lv-pager\" id=\"%s\" aria-label=\"", id);
    strbuf_html_escape(o, label);
    strbuf_puts(o, "\"><ul>");
    if (page > 1) {
        pager_link(o, v, 1, "หน้าแรก", "first", NULL);
        pager_link(o, v, page - 1, "ก่อนหน้า", "prev", NULL);
    }
    long from, to;
    list_view_window(page, pages, &from, &to);
    if (from > 1)
        strbuf_puts(o, "<li aria-hidden=\"true\">…</li>");
    for (long n = from; n <= to; n++) {
        list_view_group_digits(n, num, sizeof num);
        snprintf(aria, sizeof aria, "หน้า %s", num);
        pager_link(o, v, n, num, NULL, n == page ? NULL : aria);
    }
    if (to < pages)
        strbuf_puts(o, "<li aria-hidden=\"true\">…</li>");
    if (page < pages) {
        pager_link(o, v, page + 1, "ถัดไป", "next", NULL);
        list_view_group_digits(pages, num, sizeof num);
        snprintf(aria, sizeof aria, "หน้าสุดท้าย (หน้า %s)", num);
        pager_link(o, v, pages, "หน้าสุดท้าย", "last", aria);
    }
    list_view_group_digits(pages, num, sizeof num);
    strbuf_printf(o, "</ul><p>หน้า %ld จาก %s</p></nav>\n", page, num);
}

void list_view_select(struct strbuf *o, const char *id, const char *name, const char *label,
                      const char *all_label, const char *const *values, const char *const *labels,
                      size_t n, const char *chosen)
{
    strbuf_printf(o, "<p><label for=\"%s\">", id);
    strbuf_html_escape(o, label);
    strbuf_printf(o, "</label><select id=\"%s\" name=\"%s\"><option value=\"\">", id, name);
    strbuf_html_escape(o, all_label);
    strbuf_puts(o, "</option>");
    for (size_t i = 0; i < n; i++) {
        strbuf_puts(o, "<option value=\"");
        strbuf_html_escape(o, values[i]);
        strbuf_puts(o, "\"");
        if (chosen && !strcmp(chosen, values[i]))
            strbuf_puts(o, " selected");
        strbuf_puts(o, ">");
        strbuf_html_escape(o, labels ? labels[i] : values[i]);
        strbuf_puts(o, "</option>");
    }
    strbuf_puts(o, "</select></p>");
}

void list_view_keep_sort(struct strbuf *o, const struct list_view *v)
{
    if (!v->sort || (v->default_sort && !strcmp(v->sort, v->default_sort) && !v->desc))
        return;
    strbuf_puts(o, "<input type=\"hidden\" name=\"sort\" value=\"");
    strbuf_html_escape(o, v->sort);
    strbuf_puts(o, "\">");
    if (v->desc)
        strbuf_puts(o, "<input type=\"hidden\" name=\"dir\" value=\"desc\">");
}
