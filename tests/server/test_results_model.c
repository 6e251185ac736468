/* Preliminary results without a server (server/results/results_model.c): an agency is rated only
 * once IIT and EIT are shown with at least their minimum samples (the rule's minimum while a
 * population is not entered) and every OIT item is assessed; until then the minimums not met
 * are named (Thai for people, short English for programs) and the aggregates CSV/JSON carry no
 * rating, pass or block. Column names in Thai or English; questions numbered as the form does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "results/results_model.h"
#include "strbuf.h"
#include "testlib.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ita_version *v;

static int setup(void **state)
{
    char path[512], *err = NULL;
    snprintf(path, sizeof path, "%s/instruments/2566.json", t_env("ITA_SOURCE_DIR"));
    v = ita_version_load_file(path, &err);
    return v ? 0 : -1;
}

static int teardown(void **state)
{
    ita_version_free(v);
    return 0;
}

/* A tally of instrument k: n answers, every field at level 0 (valid on every scale). */
static char *tally(enum ita_instrument k, int n)
{
    struct strbuf b;
    strbuf_init(&b);
    strbuf_puts(&b, "{");
    for (size_t f = 0; f < v->surveys[k].n_fields; f++)
        for (int l = 0; l < 10; l++)
            strbuf_printf(&b, "%s%d", f || l ? "," : "", l == 0 ? n : 0);
    strbuf_puts(&b, "}");
    return strbuf_detach(&b);
}

/* An agency with n answers per instrument (sealed), populations pop (-1: not entered), the
 * first n_oit OIT items assessed, computed with k = 5. */
static void agency(struct results_agency *a, int n, long pop, bool sealed, size_t n_oit)
{
    memset(a, 0, sizeof *a);
    a->id = 1;
    a->code = xstrdup("X1");
    a->name_th = xstrdup("เทศบาลทดสอบ");
    a->last_day = xstrdup("");
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        a->responses[k] = (uint64_t)n;
        a->tally[k] = tally((enum ita_instrument)k, n);
        a->sealed[k] = sealed;
        a->population[k] = pop;
    }
    a->oit = xcalloc(v->n_oit_items, sizeof *a->oit);
    for (size_t i = 0; i < n_oit; i++) {
        struct results_oit_entry *e = &a->oit[a->n_oit++];
        e->code = xstrdup(v->oit_items[i].code);
        e->met = true;
        e->url = xstrdup("");
        e->note = xstrdup("");
        e->at = xstrdup("2026-12-06 13:32");
        e->by = xstrdup("");
    }
    char *err = NULL;
    assert_int_equal(results_compute(v, a, 5, &err), 0);
}

static char *unmet(const struct results_agency *a, bool thai)
{
    struct strbuf b;
    strbuf_init(&b);
    results_unmet(&b, v, a, 5, thai);
    return strbuf_detach(&b);
}

static void test_preliminary_until_minimums(void **state)
{
    struct results_agency a;
    char want[1024];
    /* 6 answers, populations not entered: the rule's minimums 25 and 30 apply */
    agency(&a, 6, -1, true, v->n_oit_items);
    assert_false(a.rated);
    assert_int_equal(a.min_sample[ITA_IIT], 25);
    assert_int_equal(a.min_sample[ITA_EIT], 30);
    assert_int_equal(a.res->summary.state, ITA_TOTAL_COMPLETE); /* a total, but no rating */
    char *s = unmet(&a, false);
    assert_string_equal(s, "IIT 6/25; EIT 6/30");
    free(s);
    s = unmet(&a, true);
    snprintf(want, sizeof want,
             "IIT 6 จาก 25 คำตอบขั้นต่ำ (ตามเกณฑ์ขั้นต่ำ เพราะยังไม่ได้กรอกจำนวนบุคลากร); "
             "EIT 6 จาก 30 คำตอบขั้นต่ำ (ตามเกณฑ์ขั้นต่ำ เพราะยังไม่ได้กรอกจำนวนผู้มีส่วนได้ส่วนเสียภายนอก "
             "เมื่อกรอกแล้วต้องได้ร้อยละ 10 ของจำนวนนั้น แต่ไม่น้อยกว่า 30 และ 400 เมื่อเกิน 4000)");
    assert_string_equal(s, want);
    free(s);
    results_agency_clear(&a);
    /* populations of 6: everyone answered, but one OIT item is not assessed */
    agency(&a, 6, 6, true, v->n_oit_items - 1);
    assert_false(a.rated);
    assert_true(a.sample_reached[ITA_IIT] && a.sample_reached[ITA_EIT]);
    s = unmet(&a, true);
    snprintf(want, sizeof want, "OIT ตรวจแล้ว %zu จาก %zu ข้อ", v->n_oit_items - 1, v->n_oit_items);
    assert_string_equal(s, want);
    free(s);
    results_agency_clear(&a);
    /* the window still open */
    agency(&a, 30, -1, false, v->n_oit_items);
    assert_false(a.rated);
    s = unmet(&a, false);
    assert_string_equal(s, "IIT 30/25 open; EIT 30/30 open");
    free(s);
    s = unmet(&a, true);
    assert_non_null(strstr(s, "IIT ยังเปิดรับคำตอบ: 30 จาก 25 คำตอบขั้นต่ำ"));
    free(s);
    results_agency_clear(&a);
    /* every minimum met: rated, nothing missing */
    agency(&a, 6, 6, true, v->n_oit_items);
    assert_true(a.rated);
    s = unmet(&a, true);
    assert_string_equal(s, "");
    free(s);
    results_agency_clear(&a);
}

/* The cell of column `name` in the first data row of a CSV (no quoted commas in these rows). */
static void cell(const char *csv, const char *name, char *out, size_t len)
{
    const char *head = csv + 3; /* after the BOM */
    const char *row = strstr(head, "\r\n") + 2;
    int col = 0;
    const char *p = head;
    size_t nl = strlen(name);
    while (!(strncmp(p, name, nl) == 0 && (p[nl] == ',' || p[nl] == '\r'))) {
        p = strchr(p, ',');
        assert_non_null(p);
        p++, col++;
    }
    for (int i = 0; i < col; i++)
        row = strchr(row, ',') + 1;
    size_t n = strcspn(row, ",\r");
    snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), row);
}

static void test_aggregates_without_rating(void **state)
{
    struct results_agency a[2];
    agency(&a[0], 6, -1, true, v->n_oit_items); /* preliminary */
    agency(&a[1], 6, 6, true, v->n_oit_items);  /* rated */
    char c[512];
    struct strbuf b;
    strbuf_init(&b);
    results_write_aggregates_csv(&b, v, &a[0], 1, 5, false);
    assert_memory_equal(b.data,
                        "\xEF\xBB\xBF"
                        "fiscal_year,agency_code,",
                        3 + 24);
    cell(b.data, "rating", c, sizeof c);
    assert_string_equal(c, "");
    cell(b.data, "pass", c, sizeof c);
    assert_string_equal(c, "");
    cell(b.data, "preliminary", c, sizeof c);
    assert_string_equal(c, "yes");
    cell(b.data, "minimums_not_met", c, sizeof c);
    assert_string_equal(c, "IIT 6/25; EIT 6/30");
    cell(b.data, "eit_min_sample", c, sizeof c);
    assert_string_equal(c, "30"); /* the rule's minimum, also without a population */
    strbuf_free(&b);
    strbuf_init(&b);
    results_write_aggregates_csv(&b, v, &a[0], 1, 5, true);
    assert_memory_equal(b.data,
                        "\xEF\xBB\xBF"
                        "ปีงบประมาณ,รหัสหน่วยงาน,",
                        strlen("\xEF\xBB\xBF"
                               "ปีงบประมาณ,รหัสหน่วยงาน,"));
    cell(b.data, "ระดับผลการประเมิน", c, sizeof c);
    assert_string_equal(c, "");
    cell(b.data, "ผลเบื้องต้น", c, sizeof c);
    assert_string_equal(c, "ใช่");
    cell(b.data, "IIT ถึงขั้นต่ำ", c, sizeof c);
    assert_string_equal(c, "ไม่ถึง");
    strbuf_free(&b);
    strbuf_init(&b);
    results_write_aggregates_csv(&b, v, &a[1], 1, 5, true);
    cell(b.data, "ระดับผลการประเมิน", c, sizeof c);
    assert_string_equal(c, ita_rating_name(&v->rules, a[1].res->summary.rating));
    assert_true(c[0] != '\0');
    cell(b.data, "ผลเบื้องต้น", c, sizeof c);
    assert_string_equal(c, "ไม่ใช่");
    cell(b.data, "IIT ถึงขั้นต่ำ", c, sizeof c);
    assert_string_equal(c, "ถึง");
    strbuf_free(&b);
    strbuf_init(&b);
    results_write_aggregates_json(&b, v, a, 2, 5);
    const char *first = strstr(b.data, "\"code\": \"X1\"");
    const char *second = strstr(first + 1, "\"code\": \"X1\"");
    assert_non_null(second);
    const char *p =
        strstr(first, "\"preliminary\": true, \"minimums_not_met\": \"IIT 6/25; EIT 6/30\","
                      " \"rating\": null, \"pass\": null, \"blocked\": null");
    assert_true(p && p < second);
    assert_non_null(
        strstr(second, "\"preliminary\": false, \"minimums_not_met\": null, \"rating\": \""));
    assert_non_null(strstr(first, "\"min_sample\": 30, \"min_sample_from_population\": false"));
    strbuf_free(&b);
    results_agency_clear(&a[0]);
    results_agency_clear(&a[1]);
}

static void test_questions_numbered_as_the_form(void **state)
{
    assert_string_equal(results_code_number("i10"), "10");
    assert_string_equal(results_code_number("e4.1"), "4.1");
    assert_string_equal(results_code_number("O12"), "12");
    assert_string_equal(results_code_number("x"), "x");
    struct results_agency a;
    agency(&a, 6, 6, true, v->n_oit_items);
    struct strbuf b;
    strbuf_init(&b);
    results_write_questions_csv(&b, v, &a, true);
    assert_non_null(
        strstr(b.data, "ปีงบประมาณ,รหัสหน่วยงาน,แบบวัด,ตัวชี้วัดที่,ข้อ,จำนวนผู้ตอบ,คะแนน,คำถาม\r\n"));
    assert_non_null(strstr(b.data, ",IIT,1,ข้อ 1,6,"));
    assert_null(strstr(b.data, ",i1,"));
    strbuf_free(&b);
    strbuf_init(&b);
    results_write_questions_csv(&b, v, &a, false);
    assert_non_null(strstr(b.data, ",IIT,1,i1,6,"));
    strbuf_free(&b);
    results_agency_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_preliminary_until_minimums),
        cmocka_unit_test(test_aggregates_without_rating),
        cmocka_unit_test(test_questions_numbered_as_the_form),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
