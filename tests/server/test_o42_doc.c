/* The O42 report's document (server/results/o42_doc.c) from the seed's stored FY2565 result with
 * the FY2566 instrument: the weighted parts as the seed prints them (27.13 / 28.69 / 40.00, adding
 * up to 95.82), the indicators ranked, the three classes, the clerk's texts over the version's
 * defaults, the weak questions of a stored result, and the OIT table's units (assigned, else the
 * version's suggestion, marked). Plain text through doc_text(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "results/o42_doc.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ita_version *v2566;

static int setup(void **state)
{
    (void)state;
    char path[1024];
    const char *src = getenv("ITA_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/instruments/2566.json", src ? src : ".");
    char *err = NULL;
    v2566 = ita_version_load_file(path, &err);
    if (!v2566) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ita_version_free(v2566);
    return 0;
}

/* The seed's FY2565 figures as stored in agency_result. */
static void seed_figures(struct o42_figures *f)
{
    static const double ind[ITA_N_INDICATORS] = {94.56, 88.13, 90.81, 88.09, 90.53,
                                                 96.03, 96.20, 94.74, 100,   100};
    struct ita_value iv[ITA_N_INDICATORS],
        tool[ITA_N_INSTRUMENTS] = {{90.42, true}, {95.65, true}, {100, true}};
    for (int k = 0; k < ITA_N_INDICATORS; k++)
        iv[k] = (struct ita_value){ind[k], true};
    o42_figures_stored(f, &v2566->rules, 95.82, tool, iv, "");
}

static char *text_of(const struct o42_in *in)
{
    struct doc *d = o42_build(in);
    struct strbuf b;
    strbuf_init(&b);
    doc_text(d, &b);
    doc_free(d);
    char *s = xstrdup(b.data);
    strbuf_free(&b);
    return s;
}

static void weighted_parts_as_published(void **state)
{
    (void)state;
    struct o42_figures f;
    seed_figures(&f);
    char b[ITA_FMT_SIZE];
    assert_string_equal(ita_format_2dp(f.weighted[ITA_IIT].value, b), "27.13");
    assert_string_equal(ita_format_2dp(f.weighted[ITA_EIT].value, b), "28.69");
    assert_string_equal(ita_format_2dp(f.weighted[ITA_OIT].value, b), "40.00");
    assert_string_equal(f.rating, "AA"); /* computed from the 2566 rules: not stored */
    /* a total that the rounded-up part adds up to keeps it: 28.70 */
    struct ita_value tool[ITA_N_INSTRUMENTS] = {{90.42, true}, {95.65, true}, {100, true}};
    o42_figures_stored(&f, &v2566->rules, 95.83, tool, f.indicator, "A");
    assert_string_equal(ita_format_2dp(f.weighted[ITA_EIT].value, b), "28.70");
    assert_string_equal(f.rating, "A"); /* the stored rating wins */
}

static void seed_sections(void **state)
{
    (void)state;
    struct o42_in in = {
        .v = v2566, .year = 2565, .agency_name = "เทศบาลนครนครปฐม", .next_v = v2566};
    seed_figures(&in.fig);
    struct results_history_row h[1] = {{.year = 2564, .total = 91.5, .rating = "A"}};
    in.history = h;
    in.n_history = 1;
    char *t = text_of(&in);
    const char *want[] = {
        "ประจำปีงบประมาณ พ.ศ. 2565",
        "เทศบาลนครนครปฐม",
        "วัตถุประสงค์",
        "ประโยชน์ที่คาดว่าจะได้รับ",
        "หลักการพื้นฐาน",
        "ตัวชี้วัดที่ 10 การป้องกันการทุจริต",
        "95 – 100 | AA",
        "85 – 94 | A",
        "0 – 49 | F",
        "ระดับผลการประเมินอยู่ในระดับ AA",
        "1 | การเปิดเผยข้อมูล | 100.00",
        "10 | การใช้ทรัพย์สินของราชการ | 88.09",
        "คะแนนสูงสุด 100.00 คะแนน คะแนนต่ำสุด 88.09 คะแนน",
        "| 30 | 90.42 | 27.13",
        "| 30 | 95.65 | 28.69",
        "| 40 | 100.00 | 40.00",
        "รวม | 100 |  | 95.82",
        "พ.ศ. 2564 - 2565",
        "2564: 91.50 A",
        "2565: 95.82 AA",
        "(Internal Integrity and Transparency Assessment : IIT)",
        "ข้อเสนอแนะจากสำนักงาน ป.ป.ช. สำหรับการประเมินตามแบบวัด (EIT)",
        "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ ที่ดีเยี่ยม",
        "ควรพัฒนาและปรับปรุงการดำเนินการตามตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ",
        "ได้คะแนนผลการประเมินตามแบบวัด (OIT) ที่ดีเยี่ยม",
        "กรอบการประเมิน 10 ตัวชี้วัด เชื่อมโยงกับ 3 เครื่องมือ",
        "น้อยกว่าร้อยละ 90.00 มีจำนวน 2 ตัวชี้วัด",
        "แต่ไม่ถึงร้อยละ 95.00 มีจำนวน 4 ตัวชี้วัด",
        "ตั้งแต่ร้อยละ 95.00 ขึ้นไป มีจำนวน 4 ตัวชี้วัด",
        "ตัวชี้วัดที่ 2 การใช้งบประมาณ คะแนนเฉลี่ยร้อยละ 88.13",
        "ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ คะแนนเฉลี่ยร้อยละ 88.09",
        "มาตรการในการส่งเสริมและพัฒนา",
        "ขั้นตอน | ระยะเวลา | วิธีปฏิบัติ",
        "ข้อ | ข้อมูล | องค์ประกอบด้านข้อมูล | หน่วยงานรับผิดชอบ",
        "ตัวชี้วัดย่อยที่ 9.1",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(t, want[i]))
            fail_msg("missing \"%s\" in:\n%s", want[i], t);
    /* ranked high to low: 100 (9), 100 (10), then 96.20 before 96.03 */
    assert_true(strstr(t, "2 | การป้องกันการทุจริต | 100.00") <
                strstr(t, "3 | ประสิทธิภาพการสื่อสาร | 96.20"));
    /* the urgent class lists the two indicators below 90, then the measures, then develop */
    const char *urgent = strstr(t, "การวิเคราะห์ประเด็นจุดอ่อน");
    const char *develop = strstr(t, "การวิเคราะห์ประเด็นที่ต้องพัฒนา");
    assert_non_null(urgent);
    assert_non_null(develop);
    assert_true(strstr(urgent, "คะแนนเฉลี่ยร้อยละ 88.13") < develop);
    assert_true(strstr(urgent, "มาตรการในการส่งเสริมและพัฒนา") < develop);
    assert_true(strstr(develop, "ตัวชี้วัดที่ 3 การใช้อำนาจ คะแนนเฉลี่ยร้อยละ 90.81") != NULL);
    free(t);
}

static void clerk_texts_and_units(void **state)
{
    (void)state;
    struct o42_in in = {
        .v = v2566, .year = 2565, .agency_name = "เทศบาลตำบลทดสอบ", .next_v = v2566};
    seed_figures(&in.fig);
    struct o42_texts tx;
    o42_texts_parse(&tx, "{\"objectives\": \"เพื่อทดสอบ {agency}\\n\\nเพื่อข้อสอง\","
                         " \"benefits\": null, \"coordinator\": \"{agency} มอบหมายกองคลัง\","
                         " \"timetable\": [{\"step\": \"เตรียมการ\", \"period\": \"ต.ค. 2566\","
                         " \"method\": \"ประชุม\"}],"
                         " \"suggestions\": {\"i3\": \"ข้อเสนอข้อสาม\", \"e2\": \"\"}}");
    in.texts = &tx;
    struct o42_assignment as[2] = {{"O1", "สำนักปลัดเทศบาล"}, {"O1", "กองช่าง"}};
    in.assignments = as;
    in.n_assignments = 2;
    char *t = text_of(&in);
    assert_non_null(strstr(t, "1. เพื่อทดสอบ เทศบาลตำบลทดสอบ"));
    assert_non_null(strstr(t, "2. เพื่อข้อสอง")); /* the empty line is no item */
    assert_non_null(strstr(t, "เทศบาลตำบลทดสอบ มอบหมายกองคลัง"));
    assert_non_null(strstr(t, "เตรียมการ | ต.ค. 2566 | ประชุม"));
    /* a stored result: the IIT analysis lists the question the clerk kept, with the text */
    assert_non_null(strstr(t, "I3 ข้อเสนอข้อสาม"));
    /* O1 with its two assigned units; the item's title from the version */
    char o1[512];
    snprintf(o1, sizeof o1, "O1 | %s |", v2566->oit_items[0].title_th);
    const char *row = strstr(t, o1);
    assert_non_null(row);
    const char *end = strstr(row, "\nO2 |");
    assert_non_null(strstr(row, "สำนักปลัดเทศบาล\nกองช่าง"));
    assert_true(strstr(row, "กองช่าง") < (end ? end : row + strlen(row)));
    /* every item of the next year is listed */
    for (size_t i = 0; i < v2566->n_oit_items; i++) {
        char code[16];
        snprintf(code, sizeof code, "\n%s | ", v2566->oit_items[i].code);
        if (!strstr(t, code))
            fail_msg("OIT item %s missing", v2566->oit_items[i].code);
    }
    free(t);

    /* weak questions: the clerk's "" leaves e2 out; an IIT question kept */
    const struct ita_question *q[64];
    size_t n = o42_weak_questions(&in, ITA_EIT, q, 64);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(q[i]->code, "e2");
    n = o42_weak_questions(&in, ITA_IIT, q, 64);
    assert_int_equal(n, 1);
    assert_string_equal(q[0]->code, "i3");
    o42_texts_clear(&tx);

    /* no next year's version: the OIT table says so */
    in.texts = NULL;
    in.next_v = NULL;
    t = text_of(&in);
    assert_non_null(strstr(t, "ยังไม่มีแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ของปีงบประมาณ พ.ศ. 2566"));
    free(t);
}

static void stored_defaults_are_the_questions_with_suggestions(void **state)
{
    (void)state;
    struct o42_in in = {.v = v2566, .year = 2565, .agency_name = "ก"};
    seed_figures(&in.fig);
    const struct ita_question *q[64];
    size_t n = o42_weak_questions(&in, ITA_IIT, q, 64);
    size_t expect = 0;
    for (size_t i = 0; i < v2566->n_questions; i++) {
        const struct ita_question *x = v2566->question_list[i];
        expect += ita_indicator_instrument(x->indicator) == ITA_IIT && x->suggestion_th &&
                  x->suggestion_th[0];
    }
    assert_int_equal(n, expect);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(o42_suggestion_for(&in, q[i]), q[i]->suggestion_th);
}

/* FY2567's tiers: each with its range (two tiers share 85 - 94, told apart by the tools'
 * minimum) and the tools' minimums. */
static void tiered_rating_table(void **state)
{
    (void)state;
    char path[1024], *err = NULL;
    const char *src = getenv("ITA_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/instruments/2567.json", src ? src : ".");
    struct ita_version *v = ita_version_load_file(path, &err);
    assert_non_null(v);
    struct o42_in in = {.v = v, .year = 2567, .agency_name = "ก"};
    seed_figures(&in.fig);
    char *t = text_of(&in);
    const char *want[] = {"เกณฑ์ระดับการประเมิน มี 5 ระดับ",
                          "95 – 100 | ผ่านดีเยี่ยม | IIT ≥ 95, EIT ≥ 95, OIT ≥ 95",
                          "85 – 94 | ผ่านดี | IIT ≥ 85, EIT ≥ 85, OIT ≥ 85",
                          "85 – 94 | ผ่าน | –",
                          "70 – 84 | ต้องปรับปรุง | –",
                          "0 – 69 | ต้องปรับปรุงโดยด่วน | –"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(t, want[i]))
            fail_msg("missing \"%s\"", want[i]);
    free(t);
    ita_version_free(v);
}

static void fill_agency(void **state)
{
    (void)state;
    char *s = o42_fill_agency("{agency} และ {agency}", "อบต.ก");
    assert_string_equal(s, "อบต.ก และ อบต.ก");
    free(s);
    s = o42_fill_agency("ไม่มี", "x");
    assert_string_equal(s, "ไม่มี");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weighted_parts_as_published),
        cmocka_unit_test(seed_sections),
        cmocka_unit_test(clerk_texts_and_units),
        cmocka_unit_test(stored_defaults_are_the_questions_with_suggestions),
        cmocka_unit_test(tiered_rating_table),
        cmocka_unit_test(fill_agency),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
