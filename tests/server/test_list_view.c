/* The list pages' shared parts (server/app/list_view.c), without a server: the page window at
 * the start, middle and end of 166 pages, page counts, URLs keeping every filter percent-encoded
 * and HTML-escaped (default sort and page 1 left out), the parsing of page= sort= dir= (anything
 * else refused), the ILIKE pattern, and the HTML of a sortable head and of the pager. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/list_view.h"

#include <string.h>

static void test_window(void **state)
{
    (void)state;
    long from, to;
    list_view_window(1, 166, &from, &to);
    assert_int_equal(from, 1);
    assert_int_equal(to, 5);
    list_view_window(2, 166, &from, &to);
    assert_int_equal(from, 1);
    assert_int_equal(to, 5);
    list_view_window(80, 166, &from, &to);
    assert_int_equal(from, 78);
    assert_int_equal(to, 82);
    list_view_window(166, 166, &from, &to);
    assert_int_equal(from, 162);
    assert_int_equal(to, 166);
    list_view_window(165, 166, &from, &to);
    assert_int_equal(from, 162);
    assert_int_equal(to, 166);
    list_view_window(2, 3, &from, &to);
    assert_int_equal(from, 1);
    assert_int_equal(to, 3);
    list_view_window(1, 1, &from, &to);
    assert_int_equal(from, 1);
    assert_int_equal(to, 1);
    list_view_window(999, 3, &from, &to); /* a page past the end: the last window */
    assert_int_equal(from, 1);
    assert_int_equal(to, 3);
}

static void test_pages(void **state)
{
    (void)state;
    struct list_view v = {.path = "/x", .per_page = 50, .total = 8300, .page = 3};
    assert_int_equal(list_view_pages(&v), 166);
    assert_int_equal(list_view_offset(&v), 100);
    v.total = 8301;
    assert_int_equal(list_view_pages(&v), 167);
    v.total = 0;
    assert_int_equal(list_view_pages(&v), 1);
    v.total = 50;
    assert_int_equal(list_view_pages(&v), 1);
}

static void test_href(void **state)
{
    (void)state;
    struct list_filter f[] = {{"q", "เทศ 100%&a"}, {"kind", ""}, {"parent", "P-1"}};
    struct list_view v = {"/admin/agencies", f, 3, "code", "code", false, 1, 50, 8300};
    struct strbuf o;
    strbuf_init(&o);
    list_view_href(&o, &v, NULL, false, 1);
    assert_string_equal(
        o.data, "/admin/agencies?q=%E0%B9%80%E0%B8%97%E0%B8%A8%20100%25%26a&amp;parent=P-1");
    o.len = 0;
    list_view_href(&o, &v, "name", true, 7);
    assert_string_equal(o.data,
                        "/admin/agencies?q=%E0%B9%80%E0%B8%97%E0%B8%A8%20100%25%26a&amp;parent=P-1"
                        "&amp;sort=name&amp;dir=desc&amp;page=7");
    o.len = 0;
    struct list_view bare = {"/admin/users", NULL, 0, "email", "email", false, 1, 50, 10};
    list_view_href(&o, &bare, NULL, false, 1);
    assert_string_equal(o.data, "/admin/users");
    o.len = 0;
    list_view_href(&o, &bare, "email", true, 2); /* the default key descending is not default */
    assert_string_equal(o.data, "/admin/users?sort=email&amp;dir=desc&amp;page=2");
    strbuf_free(&o);
}

static void test_parse(void **state)
{
    (void)state;
    long page;
    assert_int_equal(list_view_parse_page(NULL, &page), 0);
    assert_int_equal(page, 1);
    assert_int_equal(list_view_parse_page("", &page), 0);
    assert_int_equal(page, 1);
    assert_int_equal(list_view_parse_page("166", &page), 0);
    assert_int_equal(page, 166);
    assert_int_equal(list_view_parse_page("0", &page), -1);
    assert_int_equal(page, 1);
    assert_int_equal(list_view_parse_page("-2", &page), -1);
    assert_int_equal(list_view_parse_page("2x", &page), -1);
    assert_int_equal(list_view_parse_page("99999999999999999999", &page), -1);
    assert_int_equal(list_view_parse_page("1000001", &page), -1);
    assert_int_equal(list_view_parse_page("1000000", &page), 0);

    static const char *const keys[] = {"code", "name", "kind", NULL};
    const char *key;
    bool desc;
    assert_int_equal(list_view_parse_sort(NULL, NULL, keys, &key, &desc), 0);
    assert_string_equal(key, "code");
    assert_false(desc);
    assert_int_equal(list_view_parse_sort("kind", "desc", keys, &key, &desc), 0);
    assert_string_equal(key, "kind");
    assert_true(desc);
    assert_int_equal(list_view_parse_sort("name", "asc", keys, &key, &desc), 0);
    assert_string_equal(key, "name");
    assert_false(desc);
    assert_int_equal(list_view_parse_sort("name;drop", NULL, keys, &key, &desc), -1);
    assert_string_equal(key, "code");
    assert_int_equal(list_view_parse_sort("name", "down", keys, &key, &desc), -1);
    assert_false(desc);
}

static void test_like(void **state)
{
    (void)state;
    char out[2 * LIST_VIEW_SEARCH_MAX + 3];
    assert_true(list_view_like_pattern("", out, sizeof out));
    assert_string_equal(out, "");
    assert_true(list_view_like_pattern("a_b%c\\", out, sizeof out));
    assert_string_equal(out, "%a\\_b\\%c\\\\%");
    char q[LIST_VIEW_SEARCH_MAX + 2];
    memset(q, 'x', sizeof q - 1);
    q[sizeof q - 1] = '\0';
    assert_false(list_view_like_pattern(q, out, sizeof out));
    assert_string_equal(out, "");
}

static void test_search(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 4096);
    assert_string_equal(list_view_search(&a, NULL), "");
    assert_string_equal(list_view_search(&a, "  เทศบาล\tตำบล \r\n"), "เทศบาล ตำบล");
    /* 40 Thai letters are 120 bytes: cut to 33 whole letters (99 bytes), never inside one */
    char q[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(q, "ก");
    const char *cut = list_view_search(&a, q);
    assert_int_equal(strlen(cut), 99);
    arena_reset(&a);
}

static void test_group_digits(void **state)
{
    (void)state;
    char out[32];
    list_view_group_digits(8300, out, sizeof out);
    assert_string_equal(out, "8,300");
    list_view_group_digits(999, out, sizeof out);
    assert_string_equal(out, "999");
    list_view_group_digits(1234567, out, sizeof out);
    assert_string_equal(out, "1,234,567");
}

static void test_sort_th(void **state)
{
    (void)state;
    struct list_filter f[] = {{"kind", "เทศบาลตำบล"}};
    struct list_view v = {"/a", f, 1, "code", "name", false, 4, 50, 8300};
    struct strbuf o;
    strbuf_init(&o);
    list_view_sort_th(&o, &v, "name", "ชื่อ");
    /* the column in force: ascending now, its link turns it around, back to page 1 */
    assert_non_null(strstr(o.data, "aria-sort=\"ascending\""));
    assert_non_null(strstr(o.data, "href=\"/a?kind=%E0%B9%80"));
    assert_non_null(strstr(o.data, "&amp;sort=name&amp;dir=desc\""));
    assert_null(strstr(o.data, "page="));
    o.len = 0;
    list_view_sort_th(&o, &v, "kind", "ประเภท<>");
    assert_null(strstr(o.data, "aria-sort"));
    assert_non_null(strstr(o.data, "sort=kind\""));
    assert_non_null(strstr(o.data, "ประเภท&lt;&gt;"));
    o.len = 0;
    v.desc = true;
    list_view_sort_th(&o, &v, "name", "ชื่อ");
    assert_non_null(strstr(o.data, "aria-sort=\"descending\""));
    assert_non_null(strstr(o.data, "sort=name\""));
    strbuf_free(&o);
}

static void test_pager(void **state)
{
    (void)state;
    struct list_view v = {"/a", NULL, 0, "code", "code", false, 80, 50, 8300};
    struct strbuf o;
    strbuf_init(&o);
    list_view_pager(&o, &v, "pg1", "หน้า");
    assert_non_null(strstr(o.data, "<nav class=\"lv-pager\" id=\"pg1\" aria-label=\"หน้า\">"));
    assert_non_null(strstr(o.data, "href=\"/a\" rel=\"first\""));
    assert_non_null(strstr(o.data, "href=\"/a?page=79\" rel=\"prev\""));
    assert_non_null(strstr(o.data, "href=\"/a?page=80\" aria-current=\"page\">80<"));
    assert_non_null(strstr(o.data, "href=\"/a?page=78\" aria-label=\"หน้า 78\">78<"));
    assert_non_null(strstr(o.data, "href=\"/a?page=82\""));
    assert_null(strstr(o.data, "page=77\" aria"));
    assert_null(strstr(o.data, "page=83\" aria"));
    assert_non_null(strstr(o.data, "href=\"/a?page=81\" rel=\"next\""));
    assert_non_null(strstr(o.data, "href=\"/a?page=166\" rel=\"last\""));
    assert_non_null(strstr(o.data, "หน้า 80 จาก 166"));
    /* the first page: no first and previous; the last: no next and last */
    o.len = 0;
    v.page = 1;
    list_view_pager(&o, &v, "p", "หน้า");
    assert_null(strstr(o.data, "rel=\"prev\""));
    assert_non_null(strstr(o.data, "rel=\"next\""));
    o.len = 0;
    v.page = 166;
    list_view_pager(&o, &v, "p", "หน้า");
    assert_null(strstr(o.data, "rel=\"next\""));
    assert_non_null(strstr(o.data, "href=\"/a?page=162\""));
    /* one page: no pager at all */
    o.len = 0;
    v.total = 12;
    v.page = 1;
    list_view_pager(&o, &v, "p", "หน้า");
    assert_int_equal(o.len, 0);
    strbuf_free(&o);
}

static void test_select(void **state)
{
    (void)state;
    static const char *const values[] = {"a", "b\""};
    struct strbuf o;
    strbuf_init(&o);
    list_view_select(&o, "f-kind", "kind", "ประเภท", "ทุกประเภท", values, NULL, 2, "b\"");
    assert_non_null(strstr(o.data, "<label for=\"f-kind\">ประเภท</label>"));
    assert_non_null(strstr(o.data, "<option value=\"\">ทุกประเภท</option>"));
    assert_non_null(strstr(o.data, "<option value=\"b&quot;\" selected>"));
    assert_null(strstr(o.data, "\"a\" selected"));
    o.len = 0;
    struct list_view v = {"/a", NULL, 0, "code", "code", false, 1, 50, 1};
    list_view_keep_sort(&o, &v);
    assert_int_equal(o.len, 0);
    v.sort = "name";
    v.desc = true;
    list_view_keep_sort(&o, &v);
    assert_non_null(strstr(o.data, "name=\"sort\" value=\"name\""));
    assert_non_null(strstr(o.data, "name=\"dir\" value=\"desc\""));
    strbuf_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window),  cmocka_unit_test(test_pages),
        cmocka_unit_test(test_href),    cmocka_unit_test(test_parse),
        cmocka_unit_test(test_like),    cmocka_unit_test(test_group_digits),
        cmocka_unit_test(test_sort_th), cmocka_unit_test(test_pager),
        cmocka_unit_test(test_select),  cmocka_unit_test(test_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
