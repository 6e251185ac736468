/* Tests for the texts the OIT work and the O42 report start from (issue #17): each OIT item's
 * องค์ประกอบด้านข้อมูล ("requirements_th") and หน่วยงานรับผิดชอบ ("units_th"), each question's
 * NACC suggestion ("suggestion_th") and the version's "report" defaults. The 2566 file against
 * strings copied by hand from the seed document (the 2565 ITA report of เทศบาลนครนครปฐม);
 * malformed values against the loader's Thai messages; the canonical JSON round trip; and the
 * replacement rule, for which these texts are corrections that never change a stored answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instrument.h"

static char *path_of(int year)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%d.json", ITA_INSTRUMENTS_DIR, year);
    return strdup(path);
}

static struct ita_version *load_year(int year)
{
    char *path = path_of(year);
    char *err = NULL;
    struct ita_version *v = ita_version_load_file(path, &err);
    free(path);
    if (!v) {
        print_error("%s\n", err);
        free(err);
        fail();
    }
    return v;
}

static const struct ita_oit_item *item(const struct ita_version *v, const char *code)
{
    const struct ita_oit_item *it = ita_version_find_oit_item(v, code);
    if (!it)
        fail_msg("no OIT item %s", code);
    return it;
}

static void assert_texts(char *const *got, size_t n_got, const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    for (size_t i = 0; i < n && i < n_got; i++)
        if (strcmp(got[i], want[i]) != 0)
            fail_msg("entry %zu:\ngot:  %s\nwant: %s", i, got[i], want[i]);
    assert_int_equal(n_got, n);
}

/* ---------------------------------------------------------------------------------------------
 * The 2566 data. */

/* O14 and O42 as the seed prints them: one string per bullet, the footnote as its own string. */
static const char *const O14_REQ[] = {
    "แสดงคู่มือหรือแนวทางการปฏิบัติงานที่เจ้าหน้าที่ของหน่วยงานใช้ยึดถือปฏิบัติให้เป็นมาตรฐานเดียวกัน*",
    "มีข้อมูลรายละเอียดของการปฏิบัติงาน อย่างน้อยประกอบด้วย (1) เป็นคู่มือปฏิบัติการกิจใด (2) "
    "สำหรับเจ้าหน้าที่หรือพนักงานตำแหน่งใด (3) กำหนดวิธีการขั้นตอนการปฏิบัติอย่างไร",
    "จะต้องมียังน้อย 1 คู่มือ",
    "* กรณีมีองค์กรกลางที่มีหน้าที่กำหนดมาตรฐานการปฏิบัติในเรื่องนั้น "
    "หน่วยงานสามารถนำข้อมูลดังกล่าวเผยแพร่บนเว็บไซต์ของหน่วยงานได้",
    NULL};
static const char *const O42_REQ[] = {
    "แสดงการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ในปี พ.ศ. "
    "2565",
    "มีข้อมูลรายละเอียดการวิเคราะห์ อย่างน้อยประกอบด้วย (1) "
    "ประเด็นที่เป็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน (2) ประเด็นที่จะต้องพัฒนาให้ดีขึ้น "
    "ที่มีความสอดคล้องกับผลการประเมินฯ",
    "มีการกำหนดแนวทางการนำผลการวิเคราะห์ไปสู่การปฏิบัติหรือมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและ"
    "ความโปร่งใสภายในหน่วยงานให้ดีขึ้นซึ่งสอดคล้องตามผลการวิเคราะห์ผลการประเมินฯ "
    "โดยมีรายละเอียดต่างๆ อย่างน้อยประกอบด้วย (1) การกำหนดผู้รับผิดชอบหรือผู้ที่เกี่ยวข้อง (2) "
    "การกำหนดขั้นตอนหรือวิธีการปฏิบัติ (3) การกำหนดแนวทางการกำกับติดตามให้นำไปสู่การปฏิบัติและการ"
    "รายงานผล",
    NULL};

static void test_2566_items(void **state)
{
    (void)state;
    struct ita_version *v = load_year(2566);
    assert_int_equal(v->n_oit_items, 43);
    for (size_t i = 0; i < v->n_oit_items; i++) {
        const struct ita_oit_item *it = &v->oit_items[i];
        if (it->n_requirements == 0 || it->n_units == 0)
            fail_msg("%s has %zu requirements and %zu units", it->code, it->n_requirements,
                     it->n_units);
        for (size_t k = 0; k < it->n_units; k++)
            if (strstr(it->units_th[k], "เทศบาลนคร"))
                fail_msg("%s names the municipality as a unit: %s", it->code, it->units_th[k]);
    }
    const struct ita_oit_item *o14 = item(v, "O14");
    assert_texts(o14->requirements_th, o14->n_requirements, O14_REQ);
    assert_texts(o14->units_th, o14->n_units, (const char *const[]){"ทุกหน่วยงาน", NULL});
    const struct ita_oit_item *o42 = item(v, "O42");
    assert_texts(o42->requirements_th, o42->n_requirements, O42_REQ);
    assert_texts(o42->units_th, o42->n_units, (const char *const[]){"กองวิชาการและแผนงาน", NULL});
    /* a unit's sub-units stay with it; two units are two entries */
    const struct ita_oit_item *o27 = item(v, "O27");
    assert_texts(o27->units_th, o27->n_units,
                 (const char *const[]){"สำนักปลัดเทศบาล (ศูนย์ดำรงธรรม, ศูนย์รับเรื่องร้องเรียน)", NULL});
    const struct ita_oit_item *o28 = item(v, "O28");
    assert_texts(o28->units_th, o28->n_units,
                 (const char *const[]){"สำนักปลัดเทศบาล (ศูนย์รับเรื่องร้องเรียน)",
                                       "กองวิชาการและแผนงาน (ช่องทางเว็บไซต์)", NULL});
    /* the seed's "๐11" is item O11 */
    assert_string_equal(item(v, "O12")->requirements_th[0],
                        "แสดงรายงานผลความก้าวหน้าในการดำเนินงานตามแผนดำเนินงานประจำปีในข้อ O11");
    ita_version_free(v);
}

static void test_2566_suggestions(void **state)
{
    (void)state;
    struct ita_version *v = load_year(2566);
    static const char I20[] = "หน่วยงานควรระบุขั้นตอนและแนวทางในการขอยืมทรัพย์สินของทางราชการตาม"
                              "ประเภทงานด้านต่าง ๆ ไว้อย่างชัดเจนในคู่มือมาตรฐานการปฏิบัติงาน";
    const struct ita_question *i20 = ita_version_find_question(v, "i20");
    assert_non_null(i20->suggestion_th);
    assert_memory_equal(i20->suggestion_th, I20, sizeof I20 - 1);
    /* the seed's E12 (improving procedures) is e13 here, by meaning */
    static const char *const with[] = {"i20", "i23", "i24", "e13", "e14", "e15"};
    size_t n = 0;
    for (size_t i = 0; i < v->n_questions; i++)
        n += v->question_list[i]->suggestion_th != NULL;
    assert_int_equal(n, sizeof with / sizeof with[0]);
    for (size_t i = 0; i < sizeof with / sizeof with[0]; i++)
        assert_non_null(ita_version_find_question(v, with[i])->suggestion_th);
    assert_non_null(strstr(ita_version_find_question(v, "e13")->suggestion_th,
                           "การพัฒนาขั้นตอนการดำเนินงานของหน่วยงาน"));
    assert_non_null(strstr(ita_version_find_question(v, "e15")->suggestion_th, "(อ้างอิงจาก O43)"));
    ita_version_free(v);
}

static void test_report_defaults(void **state)
{
    (void)state;
    for (int year = 2566; year <= 2570; year++) {
        struct ita_version *v = load_year(year);
        const struct ita_report_defaults *r = &v->report;
        assert_int_equal(r->n_objectives, 3);
        assert_int_equal(r->n_benefits, 4);
        assert_int_equal(r->n_timetable, 7);
        assert_string_equal(r->objectives_th[0],
                            "เพื่อประเมินผลระดับคุณธรรมและความโปร่งใสในการดำเนินงานของ{agency} "
                            "โดยใช้ตัวชี้วัดที่สำนักงาน ป.ป.ช. พัฒนาขึ้นมา");
        assert_string_equal(r->benefits_th[0],
                            "{agency}มีความตระหนักในเรื่องคุณธรรมและความโปร่งใสในการดำเนินงานมากยิ่งขึ้น");
        assert_string_equal(r->coordinator_th,
                            "{agency} ได้มอบหมายให้กองวิชาการและแผนงาน เป็นผู้รับผิดชอบหลักในการ"
                            "กำหนดขั้นตอนวิธีปฏิบัติ การกำกับติดตามให้นำไปสู่การปฏิบัติและการรายงาน"
                            "ผลการกำหนดขั้นตอน ระยะเวลา และวิธีปฏิบัติ ดังต่อไปนี้");
        assert_string_equal(r->timetable[0].step_th, "เตรียมการ");
        assert_string_equal(r->timetable[2].step_th, "ดำเนินการ (ต่อ)");
        assert_string_equal(r->timetable[6].period_th, "ตลอดปีงบประมาณ");
        /* the timetable is of the version's year: September before it to October of it */
        char want[64];
        snprintf(want, sizeof want, "ก.ย. %d – ม.ค. %d", year - 1, year);
        assert_string_equal(r->timetable[0].period_th, want);
        snprintf(want, sizeof want, "ก.ย. - ต.ค. %d", year);
        assert_string_equal(r->timetable[5].period_th, want);
        assert_non_null(strstr(r->timetable[0].method_th, "\n2. ศึกษาเกณฑ์"));
        /* the municipality is named only through the placeholder */
        char *all[3 + 4 + 1 + 7] = {NULL};
        size_t n = 0;
        for (size_t i = 0; i < r->n_objectives; i++)
            all[n++] = r->objectives_th[i];
        for (size_t i = 0; i < r->n_benefits; i++)
            all[n++] = r->benefits_th[i];
        all[n++] = r->coordinator_th;
        for (size_t i = 0; i < r->n_timetable; i++)
            all[n++] = r->timetable[i].method_th;
        for (size_t i = 0; i < n; i++)
            if (strstr(all[i], "เทศบาลนคร"))
                fail_msg("%d: names the municipality: %s", year, all[i]);
        /* later years have no NACC text of their own (yet) */
        if (year > 2566) {
            for (size_t i = 0; i < v->n_oit_items; i++)
                assert_int_equal(v->oit_items[i].n_requirements + v->oit_items[i].n_units, 0);
            for (size_t i = 0; i < v->n_questions; i++)
                assert_null(v->question_list[i]->suggestion_th);
        }
        ita_version_free(v);
    }
}

static void test_fill_agency(void **state)
{
    (void)state;
    char *s = ita_fill_agency("{agency} ได้มอบหมาย ... ของ{agency}", "เทศบาลตำบลบางเลน");
    assert_string_equal(s, "เทศบาลตำบลบางเลน ได้มอบหมาย ... ของเทศบาลตำบลบางเลน");
    free(s);
    s = ita_fill_agency("ไม่มีตัวแทน {agenc", "x");
    assert_string_equal(s, "ไม่มีตัวแทน {agenc");
    free(s);
}

/* ---------------------------------------------------------------------------------------------
 * Canonical JSON and the replacement rule. */

static void test_round_trip(void **state)
{
    (void)state;
    struct ita_version *v = load_year(2566);
    char *json = ita_version_to_json(v);
    char *err = NULL;
    struct ita_version *again = ita_version_load_string(json, strlen(json), "canonical", &err);
    if (!again)
        fail_msg("%s", err);
    const struct ita_oit_item *o14 = item(again, "O14");
    assert_texts(o14->requirements_th, o14->n_requirements, O14_REQ);
    assert_texts(item(again, "O28")->units_th, item(again, "O28")->n_units,
                 (const char *const[]){"สำนักปลัดเทศบาล (ศูนย์รับเรื่องร้องเรียน)",
                                       "กองวิชาการและแผนงาน (ช่องทางเว็บไซต์)", NULL});
    assert_string_equal(ita_version_find_question(again, "i20")->suggestion_th,
                        ita_version_find_question(v, "i20")->suggestion_th);
    assert_int_equal(again->report.n_timetable, v->report.n_timetable);
    for (size_t i = 0; i < v->report.n_timetable; i++) {
        assert_string_equal(again->report.timetable[i].step_th, v->report.timetable[i].step_th);
        assert_string_equal(again->report.timetable[i].period_th, v->report.timetable[i].period_th);
        assert_string_equal(again->report.timetable[i].method_th, v->report.timetable[i].method_th);
    }
    assert_int_equal(again->report.n_objectives, v->report.n_objectives);
    for (size_t i = 0; i < v->report.n_objectives; i++)
        assert_string_equal(again->report.objectives_th[i], v->report.objectives_th[i]);
    assert_int_equal(again->report.n_benefits, v->report.n_benefits);
    for (size_t i = 0; i < v->report.n_benefits; i++)
        assert_string_equal(again->report.benefits_th[i], v->report.benefits_th[i]);
    assert_string_equal(again->report.coordinator_th, v->report.coordinator_th);
    char *json2 = ita_version_to_json(again);
    assert_string_equal(json, json2);
    free(json2);
    free(json);
    ita_version_free(again);
    ita_version_free(v);
}

/* The 2566 file as a JSON tree (the caller decrefs it). */
static json_t *tree_2566(void)
{
    char *path = path_of(2566);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    free(path);
    assert_non_null(root);
    return root;
}

static struct ita_version *load_tree(json_t *root, char **err)
{
    char *text = json_dumps(root, 0);
    assert_non_null(text);
    struct ita_version *v = ita_version_load_string(text, strlen(text), "2566.json", err);
    free(text);
    return v;
}

/* Removes the texts of issue #17 from the tree: what a running system stored before them. */
static void strip_texts(json_t *root)
{
    json_object_del(root, "report");
    size_t i, k;
    json_t *it, *ins, *q;
    json_array_foreach(json_object_get(json_object_get(root, "oit"), "items"), i, it)
    {
        json_object_del(it, "requirements_th");
        json_object_del(it, "units_th");
    }
    json_array_foreach(json_object_get(root, "instruments"), i, ins)
    {
        json_array_foreach(json_object_get(ins, "questions"), k, q)
            json_object_del(q, "suggestion_th");
    }
}

static void test_can_replace(void **state)
{
    (void)state;
    static const bool ALL[ITA_N_INSTRUMENTS] = {true, true, true};
    char *err = NULL, *why = NULL;
    struct ita_version *full = load_year(2566);
    json_t *root = tree_2566();
    strip_texts(root);
    struct ita_version *bare = load_tree(root, &err);
    if (!bare)
        fail_msg("%s", err);
    assert_int_equal(item(bare, "O14")->n_requirements, 0);
    assert_null(bare->report.coordinator_th);
    /* adding the texts over a version with answers everywhere, and taking them away again */
    if (!ita_version_can_replace(bare, full, ALL, &why))
        fail_msg("%s", why);
    if (!ita_version_can_replace(full, bare, ALL, &why))
        fail_msg("%s", why);
    /* the JSON of the two differs, so that loading one over the other is a correction */
    char *a = ita_version_to_json(bare), *b = ita_version_to_json(full);
    assert_string_not_equal(a, b);
    free(a);
    free(b);
    ita_version_free(bare);
    json_decref(root);
    /* edited texts and units are corrections too */
    root = tree_2566();
    json_t *o1 = json_array_get(json_object_get(json_object_get(root, "oit"), "items"), 0);
    json_array_set_new(json_object_get(o1, "units_th"), 0, json_string("กองยุทธศาสตร์"));
    json_array_append_new(json_object_get(o1, "requirements_th"), json_string("ข้อเพิ่มเติม"));
    json_object_set_new(json_object_get(root, "report"), "coordinator_th",
                        json_string("{agency} มอบหมายให้สำนักปลัด"));
    struct ita_version *edited = load_tree(root, &err);
    if (!edited)
        fail_msg("%s", err);
    if (!ita_version_can_replace(full, edited, ALL, &why))
        fail_msg("%s", why);
    ita_version_free(edited);
    json_decref(root);
    ita_version_free(full);
}

/* ---------------------------------------------------------------------------------------------
 * Malformed values. */

enum where { ITEM_O1, QUESTION_I1, REPORT, ROOT };

struct bad_case {
    enum where where;
    const char *key;
    const char *value; /* JSON text of the value set at key */
    const char *want;  /* the whole error message */
};

static const struct bad_case BAD[] = {
    {ITEM_O1, "requirements_th", "\"แสดงแผนผัง\"",
     "2566.json: oit.items[0] (O1): \"requirements_th\" ต้องเป็นอาร์เรย์ของข้อความ แต่พบข้อความ"},
    {ITEM_O1, "requirements_th", "[]",
     "2566.json: oit.items[0] (O1): \"requirements_th\" มี 0 ข้อ แต่ข้อ OIT หนึ่งข้อมีองค์ประกอบได้ "
     "1 ถึง 40 ข้อ (ถ้าไม่มีให้ลบคีย์นี้ออก)"},
    {ITEM_O1, "requirements_th", "[\"แสดงแผนผัง\", 3, \"\", \" ก\"]",
     "2566.json: oit.items[0] (O1).requirements_th[1]: ต้องเป็นข้อความ แต่พบจำนวนเต็ม\n"
     "2566.json: oit.items[0] (O1).requirements_th[2]: ต้องไม่ว่าง\n"
     "2566.json: oit.items[0] (O1).requirements_th[3]: "
     "ขึ้นต้นหรือลงท้ายด้วยช่องว่างหรือการขึ้นบรรทัดใหม่ ให้ลบออก"},
    {ITEM_O1, "units_th", "[\"สำนักปลัดเทศบาล\", \"กองคลัง\", \"สำนักปลัดเทศบาล\"]",
     "2566.json: oit.items[0] (O1).units_th[2]: หน่วยงาน 'สำนักปลัดเทศบาล' ซ้ำกับ units_th[0]"},
    {ITEM_O1, "units_th", "[\"กองคลัง\\nกองช่าง\"]",
     "2566.json: oit.items[0] (O1).units_th[0]: ชื่อหน่วยงานต้องอยู่ในบรรทัดเดียว"},
    {ITEM_O1, "units_th", NULL, /* 201 characters: set by the test */
     "2566.json: oit.items[0] (O1).units_th[0]: ชื่อหน่วยงานยาว 201 ตัวอักษร เกินกำหนด 200 ตัวอักษร"},
    {ITEM_O1, "unit_th", "[\"กองคลัง\"]",
     "2566.json: oit.items[0] (O1): ไม่รู้จักคีย์ \"unit_th\" (คีย์ที่ใช้ได้ตรงนี้: code, "
     "sub_indicator, title_th, verified, source, requirements_th, units_th)"},
    {QUESTION_I1, "suggestion_th", "5",
     "2566.json: instruments[0].questions[0] (i1): \"suggestion_th\" ต้องเป็นข้อความ แต่พบจำนวนเต็ม"},
    {QUESTION_I1, "suggestion_th", "\"ควรให้{agncy}ปรับปรุง\"",
     "2566.json: instruments[0].questions[0] (i1): \"suggestion_th\" มี \"{agncy}\" ซึ่งไม่ใช่ตัวแทน"
     "ที่รู้จัก: ใช้ได้เฉพาะ {agency} (แทนชื่อหน่วยงาน)"},
    {ROOT, "report", "[]", "2566.json: report: ต้องเป็นออบเจกต์ {...} แต่พบอาร์เรย์ [...]"},
    {ROOT, "report", "{}",
     "2566.json: report: ว่าง: ใส่ \"objectives_th\", \"benefits_th\", \"timetable\" หรือ "
     "\"coordinator_th\" หรือลบ \"report\" ออก"},
    {REPORT, "objective_th", "[\"เพื่อ\"]",
     "2566.json: report: ไม่รู้จักคีย์ \"objective_th\" (คีย์ที่ใช้ได้ตรงนี้: objectives_th, "
     "benefits_th, timetable, coordinator_th)"},
    {REPORT, "benefits_th", "[\"ประชาชนของ{agency}\", \"เจ้าหน้าที่ของ{หน่วยงาน}\"]",
     "2566.json: report.benefits_th[1]: มี \"{หน่วยงาน}\" ซึ่งไม่ใช่ตัวแทนที่รู้จัก: ใช้ได้เฉพาะ {agency} "
     "(แทนชื่อหน่วยงาน)"},
    {REPORT, "timetable", "[{\"step_th\": \"เตรียมการ\", \"method_th\": \"\", \"when\": 1}, 7]",
     "2566.json: report.timetable[0]: ไม่รู้จักคีย์ \"when\" (คีย์ที่ใช้ได้ตรงนี้: step_th, "
     "period_th, method_th)\n"
     "2566.json: report.timetable[0]: ขาด \"period_th\"\n"
     "2566.json: report.timetable[0]: \"method_th\" ต้องไม่ว่าง\n"
     "2566.json: report.timetable[1]: ต้องเป็นออบเจกต์ {...} แต่พบจำนวนเต็ม"},
    {REPORT, "coordinator_th", "[\"ย่อหน้า\"]",
     "2566.json: report: \"coordinator_th\" ต้องเป็นข้อความ แต่พบอาร์เรย์ [...]"},
};

static void test_malformed(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof BAD / sizeof BAD[0]; c++) {
        const struct bad_case *b = &BAD[c];
        json_t *root = tree_2566();
        json_t *val;
        if (b->value) {
            json_error_t jerr;
            val = json_loads(b->value, JSON_DECODE_ANY, &jerr);
            if (!val)
                fail_msg("case %zu: %s", c, jerr.text);
        } else {
            char name[1024] = "";
            for (int i = 0; i < 201; i++)
                strcat(name, "ก");
            val = json_pack("[s]", name);
        }
        json_t *obj = root;
        if (b->where == ITEM_O1)
            obj = json_array_get(json_object_get(json_object_get(root, "oit"), "items"), 0);
        else if (b->where == QUESTION_I1)
            obj = json_array_get(
                json_object_get(json_array_get(json_object_get(root, "instruments"), 0),
                                "questions"),
                0);
        else if (b->where == REPORT)
            obj = json_object_get(root, "report");
        json_object_set_new(obj, b->key, val);
        char *err = NULL;
        struct ita_version *v = load_tree(root, &err);
        if (v)
            fail_msg("case %zu (%s) loaded", c, b->key);
        if (strcmp(err, b->want) != 0)
            fail_msg("case %zu:\ngot:  %s\nwant: %s", c, err, b->want);
        free(err);
        json_decref(root);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2566_items),      cmocka_unit_test(test_2566_suggestions),
        cmocka_unit_test(test_report_defaults), cmocka_unit_test(test_fill_agency),
        cmocka_unit_test(test_round_trip),      cmocka_unit_test(test_can_replace),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
