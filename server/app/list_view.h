/* What a long list page shares (the agency list, the accounts list, the national dashboard):
 * its state kept in the URL, parsed back from the query, and written as HTML. Pure functions over
 * strbuf: no request, no database.
 *
 * A list's URL is PATH?<filters in order>&sort=KEY&dir=asc|desc&page=N: a filter whose value is
 * NULL or "" is left out, page 1 and the list's default sort are left out too, so the plain PATH is
 * the list as it first opens. Values are percent-encoded (list_view_url_encode) and the whole URL
 * HTML-escaped when written into an attribute (href="...&amp;...").
 *
 * Using it on a page:
 *   struct list_filter f[] = {{"q", q}, {"kind", kind}};
 *   struct list_view v = {"/admin/agencies", f, 2, "code", sort, desc, page, 50, total};
 *   list_view_parse_page(admin_query_str(req, "page"), &page)       -- -1: a Thai message
 *   list_view_parse_sort(sort_param, dir_param, KEYS, &key, &desc)   -- -1: a Thai message
 *   <th> heads:  list_view_sort_th(o, &v, "name", "ชื่อหน่วยงาน")
 *   the pager:   list_view_pager(o, &v, "agencies-pager", "หน้าของรายการหน่วยงาน")
 *   the form:    list_view_select(...) per filter, list_view_keep_sort(o, &v) before the button
 * The CSS of .lv-* (pager, sortable heads, filter form, scrollable table region) is in
 * page_frame.c's administration style. */
#ifndef ITA_LIST_VIEW_H
#define ITA_LIST_VIEW_H

#include "arena.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

#define LIST_VIEW_WINDOW 2         /* page numbers shown each side of the current one */
#define LIST_VIEW_SEARCH_MAX 100   /* bytes of a search, at most */
#define LIST_VIEW_PAGE_MAX 1000000 /* a page number beyond this is refused */

/* One URL parameter every link of the list keeps (a search or a filter). */
struct list_filter {
    const char *name;  /* the parameter's name, URL-safe ASCII */
    const char *value; /* as typed; NULL or "": not in the URL */
};

struct list_view {
    const char *path;                  /* the page, "/admin/agencies" */
    const struct list_filter *filters; /* kept in every link, in this order */
    size_t n_filters;
    const char *default_sort; /* the sort the list opens with (ascending); left out of URLs */
    const char *sort;         /* the sort key in force */
    bool desc;                /* descending */
    long page;                /* shown, from 1 */
    long per_page;            /* rows per page (> 0) */
    long total;               /* rows matching the filters */
};

/* How many pages the total makes (at least 1). */
long list_view_pages(const struct list_view *v);
/* The first row of the page as an SQL OFFSET ((page - 1) * per_page). */
long list_view_offset(const struct list_view *v);

/* The numbers of the page window around page (of pages): [*from, *to], at most
 * 2 * LIST_VIEW_WINDOW + 1 numbers, shifted inward at either end so the window keeps its width
 * when there are enough pages. */
void list_view_window(long page, long pages, long *from, long *to);

/* s percent-encoded for a query string (unreserved characters kept, UTF-8 bytes as %XX). */
void list_view_url_encode(struct strbuf *o, const char *s);
/* The list's URL for sort (NULL: the one in force), desc and page, HTML-escaped for an
 * attribute. */
void list_view_href(struct strbuf *o, const struct list_view *v, const char *sort, bool desc,
                    long page);
/* The list's URL as it stands (sort, page) for a Location header: not HTML-escaped. */
void list_view_url(struct strbuf *o, const struct list_view *v);
/* Hidden fields carrying the list as it stands (filters, sort, page) through a form, so that the
 * page the form answers can come back to it (read them back like the list's query). */
void list_view_hidden_state(struct strbuf *o, const struct list_view *v);

/* n with a comma every three digits ("8,300") into out (at least 32 bytes). */
void list_view_group_digits(long n, char *out, size_t size);

/* page= of the query: NULL or "" is page 1; digits from 1 to LIST_VIEW_PAGE_MAX into *page.
 * Returns -1 (*page 1) for anything else. */
int list_view_parse_page(const char *s, long *page) __attribute__((warn_unused_result));
/* sort= and dir= of the query: sort NULL or "" is the default (keys[0]); otherwise one of keys
 * (NULL-terminated) into *key; dir NULL, "" or "asc" ascending, "desc" descending. Returns -1
 * (*key keys[0], ascending) for anything else. */
int list_view_parse_sort(const char *sort, const char *dir, const char *const *keys,
                         const char **key, bool *desc) __attribute__((warn_unused_result));
/* A search as typed, cleaned for use (in the arena): tabs and line breaks become spaces, spaces
 * around it are dropped, and a search longer than LIST_VIEW_SEARCH_MAX bytes is cut at a
 * character boundary. Never NULL ("" for none). */
char *list_view_search(struct arena *a, const char *q);
/* The ILIKE pattern finding q anywhere ("%q%" with \, % and _ escaped by a backslash) into out;
 * "" when q is empty. False (out "") when q is longer than LIST_VIEW_SEARCH_MAX or out (at least
 * 2 * LIST_VIEW_SEARCH_MAX + 3 bytes) is too small. */
bool list_view_like_pattern(const char *q, char *out, size_t size);

/* A column head that sorts: <th scope="col" aria-sort=...><a href=...>label</a></th>; the link
 * of the column in force turns its direction around, another column's sorts ascending; page 1. */
void list_view_sort_th(struct strbuf *o, const struct list_view *v, const char *key,
                       const char *label);
/* The same for a list of cards (no table): a link that sorts by key, the one in force marked
 * aria-current="true" with its direction in words for screen readers. */
void list_view_sort_link(struct strbuf *o, const struct list_view *v, const char *key,
                         const char *label);
/* The pager: nothing when one page holds everything; otherwise a <nav aria-label=label id=id>
 * with first, previous, the window of numbers (the current one aria-current="page"), next,
 * last. */
void list_view_pager(struct strbuf *o, const struct list_view *v, const char *id,
                     const char *label);

/* A labelled <select> of the filter form: the option "" (all_label) first, then values[i]
 * shown as labels[i] (labels NULL: the values), chosen selected. All text escaped. */
void list_view_select(struct strbuf *o, const char *id, const char *name, const char *label,
                      const char *all_label, const char *const *values, const char *const *labels,
                      size_t n, const char *chosen);
/* The hidden sort= and dir= fields that keep the sort in force when the filter form is sent
 * (nothing for the default sort). */
void list_view_keep_sort(struct strbuf *o, const struct list_view *v);

#endif
