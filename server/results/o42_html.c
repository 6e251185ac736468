/* A struct doc as the body of an HTML page (o42_texts.h): the O42 report of a year that is only
 * stored as a past result, shown on /admin/report with its forms. Every text escaped. */
#include "o42_texts.h"
#include "results_html.h"

#include <stdio.h>
#include <string.h>

/* text with each '\n' as <br> */
static void lines(struct strbuf *o, const char *text)
{
    for (const char *p = text ? text : ""; *p;) {
        size_t n = strcspn(p, "\n");
        char buf[4096];
        while (n) {
            size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
            memcpy(buf, p, k);
            buf[k] = '\0';
            results_html_esc(o, buf);
            p += k;
            n -= k;
        }
        if (*p == '\n') {
            strbuf_puts(o, "<br>");
            p++;
        }
    }
}

static void table(struct strbuf *o, const struct doc_table *t)
{
    strbuf_puts(o, "<div class=\"tw\"><table>");
    if (t->caption) {
        strbuf_puts(o, "<caption>");
        results_html_esc(o, t->caption);
        strbuf_puts(o, "</caption>");
    }
    strbuf_puts(o, "<thead><tr>");
    for (size_t c = 0; c < t->n_cols; c++) {
        strbuf_puts(o, "<th scope=\"col\">");
        results_html_esc(o, t->head[c]);
        strbuf_puts(o, "</th>");
    }
    strbuf_puts(o, "</tr></thead><tbody>\n");
    for (size_t r = 0; r < t->n_rows; r++) {
        strbuf_puts(o, t->bold_last_row && r + 1 == t->n_rows ? "<tr class=\"total\">" : "<tr>");
        for (size_t c = 0; c < t->n_cols; c++) {
            strbuf_puts(o, t->numeric[c] ? "<td class=\"n\">" : "<td>");
            lines(o, doc_table_cell(t, r, c));
            strbuf_puts(o, "</td>");
        }
        strbuf_puts(o, "</tr>\n");
    }
    strbuf_puts(o, "</tbody></table></div>\n");
}

void o42_doc_html(struct strbuf *o, const struct doc *d)
{
    bool in_list = false, title = false;
    for (size_t i = 0; i < d->n; i++) {
        const struct doc_block *b = &d->blocks[i];
        if (in_list && b->kind != DOC_BULLET) {
            strbuf_puts(o, "</ul>\n");
            in_list = false;
        }
        if (title && b->kind != DOC_TITLE) {
            strbuf_puts(o, "</h1>\n");
            title = false;
        }
        switch (b->kind) {
        case DOC_TITLE:
            strbuf_puts(o, title ? "<br>" : "<h1>");
            title = true;
            results_html_esc(o, b->text);
            break;
        case DOC_HEADING:
            strbuf_printf(o, "<h%d>", b->level + 1);
            results_html_esc(o, b->text);
            strbuf_printf(o, "</h%d>\n", b->level + 1);
            break;
        case DOC_PARAGRAPH:
            strbuf_puts(o, "<p>");
            lines(o, b->text);
            strbuf_puts(o, "</p>\n");
            break;
        case DOC_BULLET:
            if (!in_list)
                strbuf_puts(o, "<ul>\n");
            in_list = true;
            strbuf_puts(o, "<li>");
            lines(o, b->text);
            strbuf_puts(o, "</li>\n");
            break;
        case DOC_TABLE:
            table(o, b->table);
            break;
        case DOC_BARS: {
            /* the chart as its figures */
            const struct doc_bars *c = b->bars;
            strbuf_puts(o, "<div class=\"tw\"><table><thead><tr><th scope=\"col\">ปี</th>"
                           "<th scope=\"col\">คะแนนและระดับ</th></tr></thead><tbody>\n");
            for (size_t k = 0; k < c->n; k++) {
                strbuf_puts(o, "<tr><td>");
                results_html_esc(o, c->bars[k].label);
                strbuf_puts(o, "</td><td>");
                results_html_esc(o, c->bars[k].value_text);
                strbuf_puts(o, "</td></tr>\n");
            }
            strbuf_puts(o, "</tbody></table></div>\n");
            break;
        }
        case DOC_PAGE_BREAK:
            break;
        }
    }
    if (in_list)
        strbuf_puts(o, "</ul>\n");
    if (title)
        strbuf_puts(o, "</h1>\n");
}
