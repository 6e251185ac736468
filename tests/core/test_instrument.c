/* Tests for core/instrument.c: the shipped 2566 version (counts, indicators, polarity, notes,
 * verification flags, OIT mapping, canonical form), the six-level 2567 fixture, rejection of
 * malformed files with their exact messages, and the rule for replacing a version that already
 * has responses. */
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
#include "xalloc.h"
#include "notes_2566.h"

#define FILE_2566 ITA_INSTRUMENTS_DIR "/2566.json"
#define FILE_2567 ITA_FIXTURES_DIR "/instrument-2567-six-level.json"

static struct ita_version *must_load(const char *path)
{
    char *err = NULL;
    struct ita_version *v = ita_version_load_file(path, &err);
    if (!v) {
        print_error("%s\n", err);
        free(err);
        fail();
    }
    return v;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 20, len = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        size_t n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
        if (len == cap) {
            cap *= 2;
            buf = xreallocarray(buf, cap + 1, 1);
        }
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static size_t list_len(const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return n;
}

/* ---------------------------------------------------------------------------------------------
 * The 2566 version. */

static void test_2566_counts(void **state)
{
    struct ita_version *v = must_load(FILE_2566);
    assert_int_equal(v->fiscal_year, 2566);
    assert_int_equal(v->surveys[ITA_IIT].n_questions, 30);
    assert_int_equal(v->surveys[ITA_IIT].n_fields, 51);
    assert_int_equal(v->surveys[ITA_EIT].n_questions, 15);
    assert_int_equal(v->surveys[ITA_EIT].n_fields, 19);
    assert_int_equal(v->n_questions, 45);
    assert_int_equal(v->n_fields, 70);

    /* i1..i30 in order, six per indicator 1-5; e1..e15, five per indicator 6-8. */
    for (int i = 0; i < 30; i++) {
        char code[8];
        snprintf(code, sizeof code, "i%d", i + 1);
        const struct ita_question *q = &v->surveys[ITA_IIT].questions[i];
        assert_string_equal(q->code, code);
        assert_int_equal(q->indicator, 1 + i / 6);
        assert_int_equal(q->instrument, ITA_IIT);
        assert_true(q->verified);
    }
    for (int i = 0; i < 15; i++) {
        char code[8];
        snprintf(code, sizeof code, "e%d", i + 1);
        const struct ita_question *q = &v->surveys[ITA_EIT].questions[i];
        assert_string_equal(q->code, code);
        assert_int_equal(q->indicator, 6 + i / 5);
        assert_int_equal(q->instrument, ITA_EIT);
        assert_false(q->verified); /* EIT wording is unverified [R] */
        assert_non_null(q->source);
    }

    /* Sub-item counts per question (instruments.md). */
    static const int iit_fields[30] = {2, 1, 3, 3, 3, 3, 1, 2, 1, 1, 2, 3, 1, 1, 1,
                                       1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 2, 1, 3, 1, 4};
    static const int eit_fields[15] = {2, 1, 1, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    for (int i = 0; i < 30; i++)
        assert_int_equal(v->surveys[ITA_IIT].questions[i].n_fields, iit_fields[i]);
    for (int i = 0; i < 15; i++)
        assert_int_equal(v->surveys[ITA_EIT].questions[i].n_fields, eit_fields[i]);

    /* Indicator names from the seed report. */
    assert_string_equal(v->indicators[0].name_th, "การปฏิบัติหน้าที่");
    assert_string_equal(v->indicators[3].name_th, "การใช้ทรัพย์สินของราชการ");
    assert_string_equal(v->indicators[7].name_th, "การปรับปรุงระบบการทำงาน");
    assert_string_equal(v->indicators[9].name_th, "การป้องกันการทุจริต");
    ita_version_free(v);
}

static void test_2566_polarity(void **state)
{
    /* instruments.md: reverse-scored i9, i10, i11(2), i16, i17, i18(1-3), i19, i22 (L4-), i4, i5,
     * i6 (YN-, มี = 0); EIT: e4 negative. Yes/no: i4-i6, i26 (positive), e4, e8, e10 (positive). */
    static const char *const yes_no[] = {"i4.1", "i4.2", "i4.3", "i5.1",  "i5.2",  "i5.3",
                                         "i6.1", "i6.2", "i6.3", "i26.1", "i26.2", "e4.1",
                                         "e4.2", "e4.3", "e8.1", "e10.1", NULL};
    struct ita_version *v = must_load(FILE_2566);
    size_t n_negative = 0, n_yes_no = 0;
    for (size_t i = 0; i < v->n_fields; i++) {
        const struct ita_field *f = v->field_list[i];
        const struct ita_scale *s = &v->scales[f->scale];
        bool want_negative = in_list(notes_2566_negative, f->code);
        bool want_yes_no = in_list(yes_no, f->code);
        if ((f->polarity == ITA_NEGATIVE) != want_negative) {
            print_error("field %s: polarity %s\n", f->code,
                        f->polarity == ITA_NEGATIVE ? "negative" : "positive");
            fail();
        }
        if ((s->levels == 2) != want_yes_no) {
            print_error("field %s: %d levels\n", f->code, s->levels);
            fail();
        }
        if (!want_yes_no)
            assert_int_equal(s->levels, 4);
        n_negative += f->polarity == ITA_NEGATIVE;
        n_yes_no += s->levels == 2;
    }
    assert_int_equal(n_negative, list_len(notes_2566_negative));
    assert_int_equal(n_yes_no, list_len(yes_no));

    /* The scales: L4 from น้อยที่สุดหรือไม่มีเลย to มากที่สุด; YN level 0 = ไม่มี. */
    const struct ita_field *i9 = ita_version_find_field(v, "i9.1");
    assert_non_null(i9);
    const struct ita_scale *l4 = &v->scales[i9->scale];
    assert_string_equal(l4->labels_th[0], "น้อยที่สุดหรือไม่มีเลย");
    assert_string_equal(l4->labels_th[3], "มากที่สุด");
    const struct ita_scale *yn = &v->scales[ita_version_find_field(v, "i26.1")->scale];
    assert_string_equal(yn->labels_th[0], "ไม่มี");
    assert_string_equal(yn->labels_th[1], "มี");

    /* Point map: exact thirds, 100/3 and 200/3; reverse-scored fields mirror it. */
    const struct ita_point_map *p4 = &v->point_maps[l4->point_map];
    assert_int_equal(p4->levels, 4);
    assert_int_equal(p4->points[1].num, 100);
    assert_int_equal(p4->points[1].den, 3);
    assert_int_equal(p4->points[2].num, 200);
    assert_int_equal(p4->points[2].den, 3);
    assert_false(p4->verified);
    struct ita_rational r = ita_field_points(v, i9, 0);
    assert_int_equal(r.num, 100);
    assert_int_equal(r.den, 1);
    r = ita_field_points(v, i9, 1);
    assert_int_equal(r.num, 200);
    assert_int_equal(r.den, 3);
    r = ita_field_points(v, ita_version_find_field(v, "i1.1"), 1);
    assert_int_equal(r.num, 100);
    assert_int_equal(r.den, 3);
    r = ita_field_points(v, ita_version_find_field(v, "i26.1"), 1);
    assert_int_equal(r.num, 100);
    r = ita_field_points(v, ita_version_find_field(v, "i4.1"), 1);
    assert_int_equal(r.num, 0);
    ita_version_free(v);
}

static void test_2566_texts_and_notes(void **state)
{
    static const char *const with_note[] = {"i4", "i27", "i28", "i29", NULL};
    struct ita_version *v = must_load(FILE_2566);
    for (size_t i = 0; i < v->n_questions; i++) {
        const struct ita_question *q = v->question_list[i];
        assert_true((q->note_th != NULL) == in_list(with_note, q->code));
    }
    const struct ita_question *i4 = ita_version_find_question(v, "i4");
    assert_string_equal(i4->text_th, "บุคลากรในหน่วยงานของท่าน มีการเรียกรับสิ่งดังต่อไปนี้ "
                                     "จากผู้มาติดต่อ เพื่อแลกกับการปฏิบัติงาน การอนุมัติ อนุญาต "
                                     "หรือให้บริการ หรือไม่");
    assert_string_equal(i4->note_th, "เป็นการเรียกรับที่นอกเหนือจากที่กฎหมายกำหนดให้รับได้ "
                                     "เช่น ค่าธรรมเนียม ค่าบริการ ค่าปรับ เป็นต้น");
    assert_true(i4->note_verified);
    assert_string_equal(i4->fields[2].label_th,
                        "ประโยชน์อื่น ๆ ที่อาจคำนวณเป็นเงินได้ เช่น การลดราคา การรับความบันเทิง "
                        "เป็นต้น");
    const struct ita_question *i27 = ita_version_find_question(v, "i27");
    /* The notes of i27-i29 as on the replica of the form (its quotation marks differ). */
    assert_string_equal(i27->note_th, "หากท่านเห็นว่าหน่วยงานของท่านไม่มีปัญหาการทุจริตให้ตอบ “มากที่สุด”");
    assert_true(i27->note_verified);
    assert_string_equal(ita_version_find_question(v, "i28")->note_th,
                        "หากหน่วยงานของท่านไม่มีการทุจริต จึงทำให้ไม่มีการลงโทษทางวินัย ให้ตอบ \"มากที่สุด\"");
    const struct ita_question *i29 = ita_version_find_question(v, "i29");
    assert_string_equal(i29->note_th,
                        "ฝ่ายตรวจสอบภายใน หมายถึง ส่วนงานตรวจสอบภายในของหน่วยงาน ฝ่ายตรวจสอบภายนอก "
                        "หมายถึง หน่วยงานที่มีอำนาจหน้าที่ตรวจสอบการดำเนินงานของหน่วยงานภาครัฐ เช่น "
                        "สำนักงานการตรวจเงินแผ่นดิน สำนักงาน ป.ป.ช. สำนักงาน ป.ป.ท. เป็นต้น");
    assert_true(i29->note_verified);
    const struct ita_question *i30 = ita_version_find_question(v, "i30");
    assert_string_equal(i30->fields[3].label_th, "มั่นใจว่าจะปลอดภัยและไม่มีผลกระทบต่อตนเอง");
    assert_null(ita_version_find_question(v, "i2")->fields[0].label_th);
    ita_version_free(v);
}

static void test_2566_oit_mapping(void **state)
{
    /* The seed report's OIT list: 9.1 O1-O10, 9.2 O11-O18, 9.3 O19-O22, 9.4 O23-O26,
     * 9.5 O27-O30 (indicator 9); 10.1 O31-O38, 10.2 O39-O43 (indicator 10). */
    static const struct {
        int first, last;
        const char *sub;
        int indicator;
    } ranges[] = {{1, 10, "9.1", 9},  {11, 18, "9.2", 9},   {19, 22, "9.3", 9},  {23, 26, "9.4", 9},
                  {27, 30, "9.5", 9}, {31, 38, "10.1", 10}, {39, 43, "10.2", 10}};
    struct ita_version *v = must_load(FILE_2566);
    assert_true(v->has_oit);
    assert_int_equal(v->n_oit_items, 43);
    assert_int_equal(v->n_oit_subs, 7);
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        for (int n = ranges[r].first; n <= ranges[r].last; n++) {
            char code[8];
            snprintf(code, sizeof code, "O%d", n);
            const struct ita_oit_item *it = ita_version_find_oit_item(v, code);
            assert_non_null(it);
            assert_int_equal(it->indicator, ranges[r].indicator);
            assert_string_equal(v->oit_subs[it->sub].code, ranges[r].sub);
        }
    }
    assert_string_equal(ita_version_find_oit_item(v, "O31")->title_th,
                        "นโยบายไม่รับของขวัญ (No Gift Policy)");
    ita_version_free(v);
}

static void test_2566_is_canonical(void **state)
{
    /* The shipped file is in canonical form: serialising what was loaded gives its bytes. */
    struct ita_version *v = must_load(FILE_2566);
    char *text = read_all(FILE_2566);
    char *json = ita_version_to_json(v);
    assert_string_equal(json, text);
    free(json);
    free(text);
    ita_version_free(v);
}

/* ---------------------------------------------------------------------------------------------
 * The six-level fixture. */

static void test_2567_six_level_fixture(void **state)
{
    struct ita_version *v = must_load(FILE_2567);
    assert_int_equal(v->fiscal_year, 2567);
    assert_int_equal(v->surveys[ITA_IIT].n_questions, 15);
    assert_int_equal(v->surveys[ITA_EIT].n_questions, 9);
    assert_int_equal(v->n_fields, 24);
    assert_false(v->has_oit);

    /* Per-question six-level labels: i1 and i2 have scales of their own. */
    const struct ita_field *i1 = ita_version_find_field(v, "i1.1");
    const struct ita_field *i2 = ita_version_find_field(v, "i2.1");
    assert_non_null(i1);
    assert_non_null(i2);
    assert_true(i1->scale != i2->scale);
    assert_int_equal(v->scales[i1->scale].levels, 6);
    assert_string_equal(v->scales[i1->scale].name, "i1");
    assert_string_equal(v->scales[i1->scale].labels_th[0], "ไม่เป็นไปตามที่กำหนด");
    assert_string_equal(v->scales[i1->scale].labels_th[5], "มากที่สุด");
    assert_string_equal(v->scales[i2->scale].labels_th[0], "เจ้าหน้าที่ทุกคนปฏิบัติงานอย่างไม่เท่าเทียม");
    /* i5 (false disbursement) is negative: its level 0 is the best answer. */
    const struct ita_field *i5 = ita_version_find_field(v, "i5.1");
    assert_int_equal(i5->polarity, ITA_NEGATIVE);
    assert_string_equal(v->scales[i5->scale].labels_th[0], "ไม่มีเจ้าหน้าที่คนใดที่มีการเบิกจ่ายเป็นเท็จ");
    /* Points: positive level 3 = 60; negative level 3 mirrors to level 2 = 40; level 0 = 100. */
    struct ita_rational r = ita_field_points(v, i1, 3);
    assert_int_equal(r.num, 60);
    r = ita_field_points(v, i5, 3);
    assert_int_equal(r.num, 40);
    r = ita_field_points(v, i5, 0);
    assert_int_equal(r.num, 100);
    /* Never/ever items, and agreement scale for the rest of EIT. */
    const struct ita_field *e3 = ita_version_find_field(v, "e3.1");
    assert_int_equal(v->scales[e3->scale].levels, 2);
    assert_string_equal(v->scales[e3->scale].labels_th[0], "ไม่เคย");
    assert_string_equal(v->scales[e3->scale].labels_th[1], "เคย");
    assert_int_equal(e3->polarity, ITA_NEGATIVE);
    const struct ita_field *e1 = ita_version_find_field(v, "e1.1");
    assert_string_equal(v->scales[e1->scale].labels_th[5], "เห็นด้วยอย่างยิ่ง");
    /* A frequency scale (i12). */
    const struct ita_field *i12 = ita_version_find_field(v, "i12.1");
    assert_string_equal(v->scales[i12->scale].labels_th[0], "ไม่เคย");
    assert_string_equal(v->scales[i12->scale].labels_th[5], "เป็นประจำ");

    /* Canonical form: inline scales become named ones; loading it back gives the same JSON. */
    char *json = ita_version_to_json(v);
    char *err = NULL;
    struct ita_version *again = ita_version_load_string(json, strlen(json), "canonical", &err);
    assert_non_null(again);
    char *json2 = ita_version_to_json(again);
    assert_string_equal(json, json2);
    assert_int_equal(again->n_scales, v->n_scales);
    free(json);
    free(json2);
    ita_version_free(again);
    ita_version_free(v);
}

/* ---------------------------------------------------------------------------------------------
 * Malformed versions: a change applied to the 2566 file, and the exact message expected. */

typedef void (*mutate_fn)(json_t *root);

static json_t *iit_question(json_t *root, size_t i)
{
    return json_array_get(
        json_object_get(json_array_get(json_object_get(root, "instruments"), 0), "questions"), i);
}

static json_t *iit_field(json_t *root, size_t q, size_t f)
{
    return json_array_get(json_object_get(iit_question(root, q), "fields"), f);
}

static char *mutated_text(const char *path, mutate_fn fn)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    assert_non_null(root);
    fn(root);
    char *text = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    assert_non_null(text);
    return text;
}

static void expect_rejected(mutate_fn fn, const char *want)
{
    char *text = mutated_text(FILE_2566, fn);
    char *err = NULL;
    struct ita_version *v = ita_version_load_string(text, strlen(text), "2566.json", &err);
    free(text);
    if (v) {
        ita_version_free(v);
        print_error("accepted; expected: %s\n", want);
        fail();
    }
    assert_non_null(err);
    if (strcmp(err, want) != 0) {
        print_error("got:  %s\nwant: %s\n", err, want);
        free(err);
        fail();
    }
    free(err);
}

static void m_undefined_scale(json_t *root)
{
    json_object_set_new(iit_field(root, 3, 1), "scale", json_string("L6"));
}
static void m_no_polarity(json_t *root)
{
    json_object_del(iit_field(root, 8, 0), "polarity");
}
static void m_bad_polarity(json_t *root)
{
    json_object_set_new(iit_field(root, 8, 0), "polarity", json_string("reverse"));
}
static void m_real_points(json_t *root)
{
    json_t *pts =
        json_object_get(json_object_get(json_object_get(root, "point_maps"), "P4"), "points");
    json_array_set_new(pts, 1, json_real(33.33));
}
static void m_decreasing_points(json_t *root)
{
    json_t *pts =
        json_object_get(json_object_get(json_object_get(root, "point_maps"), "P4"), "points");
    json_array_set_new(pts, 2, json_integer(20));
}
static void m_bad_fraction(json_t *root)
{
    json_t *pts =
        json_object_get(json_object_get(json_object_get(root, "point_maps"), "P4"), "points");
    json_array_set_new(pts, 1, json_string("100/0"));
}
static void m_points_over_100(json_t *root)
{
    json_t *pts =
        json_object_get(json_object_get(json_object_get(root, "point_maps"), "P4"), "points");
    json_array_set_new(pts, 3, json_string("301/3"));
}
static void m_duplicate_field(json_t *root)
{
    json_object_set_new(iit_field(root, 0, 1), "code", json_string("i1.1"));
}
static void m_duplicate_question(json_t *root)
{
    json_object_set_new(iit_question(root, 5), "code", json_string("i4"));
}
static void m_wrong_indicator(json_t *root)
{
    json_object_set_new(iit_question(root, 6), "indicator", json_integer(6));
}
static void m_unknown_key(json_t *root)
{
    json_object_set_new(iit_question(root, 1), "txt", json_string("x"));
}
static void m_missing_verified(json_t *root)
{
    json_object_del(iit_question(root, 1), "verified");
}
static void m_missing_label(json_t *root)
{
    json_object_del(iit_field(root, 0, 1), "label_th");
}
static void m_labels_vs_points(json_t *root)
{
    json_t *labels =
        json_object_get(json_object_get(json_object_get(root, "scales"), "L4"), "labels_th");
    json_array_append_new(labels, json_string("มากที่สุดจริง ๆ"));
}
static void m_eleven_levels(json_t *root)
{
    json_t *pts =
        json_object_get(json_object_get(json_object_get(root, "point_maps"), "P4"), "points");
    json_array_clear(pts);
    for (int i = 0; i <= 10; i++)
        json_array_append_new(pts, json_integer(i * 10));
}
static void m_format(json_t *root)
{
    json_object_set_new(root, "format", json_string("ita-instruments/2"));
}
static void m_year(json_t *root)
{
    json_object_set_new(root, "fiscal_year", json_integer(1566));
}
static void m_no_questions_for_indicator_3(json_t *root)
{
    json_t *qs =
        json_object_get(json_array_get(json_object_get(root, "instruments"), 0), "questions");
    for (size_t i = json_array_size(qs); i-- > 0;)
        if (json_integer_value(json_object_get(json_array_get(qs, i), "indicator")) == 3)
            json_array_remove(qs, i);
}
static void m_oit_unknown_sub(json_t *root)
{
    json_t *item = json_array_get(json_object_get(json_object_get(root, "oit"), "items"), 4);
    json_object_set_new(item, "sub_indicator", json_string("9.9"));
}
static void m_missing_eit(json_t *root)
{
    json_array_remove(json_object_get(root, "instruments"), 1);
}
static void m_trailing_space(json_t *root)
{
    json_object_set_new(iit_question(root, 1), "text_th", json_string("ข้อความ "));
}
static void m_duplicate_label(json_t *root)
{
    json_t *labels =
        json_object_get(json_object_get(json_object_get(root, "scales"), "L4"), "labels_th");
    json_array_set_new(labels, 1, json_string("มาก"));
}
static void m_inline_scale_clash(json_t *root)
{
    /* An inline scale on question i2 is named "i2"; a named scale "i2" already exists. */
    json_t *scales = json_object_get(root, "scales");
    json_object_set(scales, "i2", json_object_get(scales, "L4"));
    json_t *inl = json_deep_copy(json_object_get(scales, "L4"));
    json_object_set_new(iit_question(root, 1), "scale", inl);
    json_object_del(iit_field(root, 1, 0), "scale");
}

static void m_sample_rule(json_t *root)
{
    json_t *rules = json_object_get(root, "sample_rule");
    if (!rules) {
        rules = json_object();
        json_object_set_new(root, "sample_rule", rules);
    }
    json_object_set_new(rules, "IIT", json_pack("{s:i, s:f}", "minimum", 25, "percent", 1.234));
    json_object_set_new(rules, "EIT", json_pack("{s:i}", "percent", 10));
}

static void test_malformed_messages(void **state)
{
    expect_rejected(m_undefined_scale,
                    "2566.json: instruments[0].questions[3].fields[1] (i4.2): ไม่มีมาตรวัด 'L6' ใน "
                    "\"scales\" (ที่มี: L4, YN, NEVER_EVER)");
    expect_rejected(m_no_polarity,
                    "2566.json: instruments[0].questions[8].fields[0] (i9.1): ไม่ได้กำหนดทิศทางการ"
                    "ให้คะแนน: ใส่ \"polarity\" (\"positive\" หรือ \"negative\") ที่ข้อย่อยหรือที่"
                    "คำถาม");
    expect_rejected(m_bad_polarity,
                    "2566.json: instruments[0].questions[8].fields[0] (i9.1): \"polarity\" เป็น "
                    "'reverse' ให้เขียน \"positive\" (ระดับสูงสุดดีที่สุด) หรือ \"negative\" "
                    "(ให้คะแนนกลับด้าน: ระดับ 0 ดีที่สุด)");
    expect_rejected(m_real_points,
                    "2566.json: point_maps.P4.points[1]: 33.329999999999998 เป็นตัวเลขทศนิยมที่"
                    "คอมพิวเตอร์เก็บได้เพียงค่าประมาณ ให้เขียนคะแนนที่มีเศษเป็นข้อความ เช่น "
                    "\"100/3\" หรือ \"33.33\" เพื่อให้ค่าตรงทุกหลัก");
    expect_rejected(m_decreasing_points,
                    "2566.json: point_maps.P4: คะแนนต้องไม่ลดลงจากระดับ 0 ขึ้นไป แต่ระดับ 1 ได้ "
                    "100/3 และระดับ 2 ได้ 20 (ข้อย่อยที่ให้คะแนนกลับด้านให้ใช้ \"polarity\": "
                    "\"negative\" แทน)");
    expect_rejected(m_bad_fraction,
                    "2566.json: point_maps.P4.points[1]: \"100/0\" ไม่ใช่ค่าคะแนน: เขียนเป็น"
                    "จำนวนเต็ม (25) ทศนิยมไม่เกิน 6 ตำแหน่ง (\"33.33\") หรือเศษส่วน (\"100/3\" "
                    "ตัวส่วนไม่เกิน 1000000)");
    expect_rejected(m_points_over_100,
                    "2566.json: point_maps.P4.points[3]: \"301/3\" คะแนนเกิน 100");
    expect_rejected(m_duplicate_field,
                    "2566.json: instruments[0].questions[0].fields[1] (i1.1): รหัสข้อย่อย "
                    "'i1.1' ซ้ำกับ instruments[0].questions[0].fields[0]");
    expect_rejected(m_duplicate_question, "2566.json: instruments[0].questions[5] (i4): รหัสคำถาม "
                                          "'i4' ซ้ำกับ instruments[0].questions[3]");
    expect_rejected(m_wrong_indicator,
                    "2566.json: instruments[0].questions[6] (i7): ตัวชี้วัดที่ 6 เป็นของ EIT "
                    "แต่คำถามของ IIT ใช้ตัวชี้วัดที่ 1-5");
    expect_rejected(m_unknown_key,
                    "2566.json: instruments[0].questions[1] (i2): ไม่รู้จักคีย์ \"txt\" (คีย์ที่"
                    "ใช้ได้ตรงนี้: code, indicator, text_th, text_en, note_th, note_verified, "
                    "verified, source, scale, polarity, fields, suggestion_th)");
    expect_rejected(m_missing_verified, "2566.json: instruments[0].questions[1] (i2): ขาด "
                                        "\"verified\" (ใส่ true หรือ false)");
    expect_rejected(m_missing_label,
                    "2566.json: instruments[0].questions[0].fields[1] (i1.2): ขาด \"label_th\": "
                    "คำถามที่มีหลายข้อย่อยต้องมีข้อความของข้อย่อยทุกข้อ");
    expect_rejected(m_labels_vs_points,
                    "2566.json: scales.L4: มีป้ายคำตอบ 5 ระดับ แต่ตารางคะแนน 'P4' มี 4 ระดับ");
    expect_rejected(m_eleven_levels, "2566.json: point_maps.P4: \"points\" มี 11 ค่า แต่มาตรวัด"
                                     "มีได้ 2 ถึง 10 ระดับ");
    expect_rejected(m_format, "2566.json: format: เป็น 'ita-instruments/2' แต่โปรแกรมนี้อ่านได้"
                              "เฉพาะ \"ita-instruments/1\" (ไม่ได้ตรวจส่วนอื่นต่อ)");
    expect_rejected(m_year, "2566.json: \"fiscal_year\" เป็น 1566 แต่ต้องอยู่ระหว่าง 2550 ถึง 2700");
    expect_rejected(m_no_questions_for_indicator_3,
                    "2566.json: instruments[0] (IIT): ตัวชี้วัดที่ 3 (การใช้อำนาจ) ไม่มีคำถามเลย");
    expect_rejected(m_oit_unknown_sub,
                    "2566.json: oit.items[4] (O5): ไม่มีตัวชี้วัดย่อย '9.9' ใน "
                    "oit.sub_indicators (ที่มี: 9.1, 9.2, 9.3, 9.4, 9.5, 10.1, 10.2)");
    expect_rejected(m_missing_eit, "2566.json: instruments: ไม่มีแบบวัด EIT: ไฟล์ต้องมีทั้ง IIT และ EIT");
    expect_rejected(m_trailing_space,
                    "2566.json: instruments[0].questions[1] (i2): \"text_th\" ขึ้นต้นหรือลงท้าย"
                    "ด้วยช่องว่างหรือการขึ้นบรรทัดใหม่ ให้ลบออก");
    expect_rejected(m_duplicate_label,
                    "2566.json: scales.L4: ระดับ 1 และระดับ 2 ใช้ป้ายคำตอบเดียวกัน 'มาก'");
    expect_rejected(m_inline_scale_clash,
                    "2566.json: instruments[0].questions[1] (i2): มาตรวัดที่เขียนไว้ในคำถามหรือ"
                    "ข้อย่อยจะได้ชื่อตามรหัสของคำถามหรือข้อย่อยนั้น คือ 'i2' แต่มีมาตรวัดชื่อนี้"
                    "อยู่แล้ว ให้เปลี่ยนชื่อมาตรวัดนั้น");
    expect_rejected(m_sample_rule,
                    "2566.json: sample_rule.IIT: \"percent\" ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100 "
                    "มีทศนิยมไม่เกินสองตำแหน่ง\n"
                    "2566.json: sample_rule.EIT: ขาด \"minimum\" (จำนวนเต็มตั้งแต่ 0 ถึง 1000000)");
}

/* Three independent mistakes in different parts: all three are reported, in file order, each
 * with its path. */
static void m_three_mistakes(json_t *root)
{
    m_real_points(root);
    m_missing_verified(root);
    m_undefined_scale(root);
}
/* A wrong format stops the check: the other mistakes are not reported. */
/* The weights and the rating. */
static void m_weights_99(json_t *root)
{
    json_object_set_new(json_object_get(root, "weights"), "OIT", json_integer(39));
}
static json_t *level(json_t *root, size_t i)
{
    return json_array_get(json_object_get(json_object_get(root, "rating"), "levels"), i);
}
static void m_levels_unordered(json_t *root)
{
    json_object_set_new(level(root, 2), "total_min", json_integer(90)); /* B above A's 85 */
}
static void m_last_level_not_zero(json_t *root)
{
    json_object_set_new(level(root, 6), "total_min", json_integer(1));
}
static void m_level_hidden(json_t *root)
{
    json_object_set_new(level(root, 1), "total_min", json_integer(95)); /* A same as AA */
}
static void m_pass_after_fail(json_t *root)
{
    json_object_set_new(level(root, 2), "pass", json_true());
    json_object_set_new(level(root, 1), "pass", json_false());
}
static void m_tool_min_bad(json_t *root)
{
    json_t *t = json_object();
    json_object_set_new(t, "IIT", json_integer(85));
    json_object_set_new(t, "EIT", json_string("84.5"));
    json_object_set_new(level(root, 0), "tool_min", t);
}
static void m_no_rating(json_t *root)
{
    json_object_del(root, "rating");
}

static void test_rules_malformed(void **state)
{
    (void)state;
    expect_rejected(m_weights_99,
                    "2566.json: weights: น้ำหนัก IIT 30 + EIT 30 + OIT 39 รวมได้ 99; ต้องรวมกันได้ 100 "
                    "(ร้อยละ)");
    expect_rejected(m_levels_unordered,
                    "2566.json: rating.levels[2] (B): \"total_min\" สูงกว่าระดับก่อนหน้า (A); "
                    "เรียงระดับจากดีที่สุดลงมา โดยคะแนนรวมขั้นต่ำไม่เพิ่มขึ้น");
    expect_rejected(m_last_level_not_zero,
                    "2566.json: rating.levels[6] (F): ระดับสุดท้ายต้องมี \"total_min\": 0 และไม่มี "
                    "\"tool_min\" เพื่อให้ทุกคะแนนได้ระดับ");
    expect_rejected(m_level_hidden, "2566.json: rating.levels[1] (A): ไม่มีทางได้ระดับนี้: ระดับ"
                                    "ก่อนหน้า (AA) มีคะแนนรวมขั้นต่ำเท่ากันและไม่มีเกณฑ์รายเครื่องมือ");
    expect_rejected(m_pass_after_fail, "2566.json: rating.levels[2] (B): ระดับที่ผ่าน (\"pass\": "
                                       "true) ต้องมาก่อนระดับที่ไม่ผ่าน (A)");
    /* a tool's minimum left out */
    char *text = mutated_text(FILE_2566, m_tool_min_bad);
    char *err = NULL;
    struct ita_version *v = ita_version_load_string(text, strlen(text), "2566.json", &err);
    free(text);
    assert_null(v);
    assert_string_equal(err, "2566.json: rating.levels[0].tool_min: ไม่มี \"OIT\": ใส่เกณฑ์ขั้นต่ำ"
                             "ของทั้ง IIT, EIT และ OIT");
    free(err);
    text = mutated_text(FILE_2566, m_no_rating);
    v = ita_version_load_string(text, strlen(text), "2566.json", &err);
    free(text);
    assert_null(v);
    assert_string_equal(err, "2566.json: ขาด \"rating\"");
    free(err);
}

static void m_format_and_more(json_t *root)
{
    m_format(root);
    m_real_points(root);
    m_undefined_scale(root);
}
/* Every IIT and EIT field (51 + 19) with a wrong polarity: the first 50 are listed. */
static void m_seventy_mistakes(json_t *root)
{
    json_t *insts = json_object_get(root, "instruments");
    for (size_t k = 0; k < json_array_size(insts); k++) {
        json_t *qs = json_object_get(json_array_get(insts, k), "questions");
        for (size_t q = 0; q < json_array_size(qs); q++) {
            json_t *fs = json_object_get(json_array_get(qs, q), "fields");
            for (size_t f = 0; f < json_array_size(fs); f++)
                json_object_set_new(json_array_get(fs, f), "polarity", json_string("reverse"));
        }
    }
}
/* Scales cannot be read: the fields that name them do not each repeat it. */
static void m_no_scales(json_t *root)
{
    json_object_del(root, "scales");
}

static void test_all_errors_reported(void **state)
{
    expect_rejected(m_three_mistakes,
                    "2566.json: point_maps.P4.points[1]: 33.329999999999998 เป็นตัวเลขทศนิยมที่"
                    "คอมพิวเตอร์เก็บได้เพียงค่าประมาณ ให้เขียนคะแนนที่มีเศษเป็นข้อความ เช่น "
                    "\"100/3\" หรือ \"33.33\" เพื่อให้ค่าตรงทุกหลัก\n"
                    "2566.json: instruments[0].questions[1] (i2): ขาด \"verified\" (ใส่ true หรือ "
                    "false)\n"
                    "2566.json: instruments[0].questions[3].fields[1] (i4.2): ไม่มีมาตรวัด 'L6' ใน "
                    "\"scales\" (ที่มี: L4, YN, NEVER_EVER)");
    expect_rejected(m_format_and_more,
                    "2566.json: format: เป็น 'ita-instruments/2' แต่โปรแกรมนี้อ่านได้เฉพาะ "
                    "\"ita-instruments/1\" (ไม่ได้ตรวจส่วนอื่นต่อ)");
    expect_rejected(m_no_scales, "2566.json: ขาด \"scales\"");

    char *text = mutated_text(FILE_2566, m_seventy_mistakes);
    char *err = NULL;
    struct ita_version *v = ita_version_load_string(text, strlen(text), "2566.json", &err);
    free(text);
    assert_null(v);
    size_t lines = 1;
    for (const char *c = err; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 51);
    assert_non_null(strstr(err, "2566.json: instruments[0].questions[0].fields[0] (i1.1): "
                                "\"polarity\" เป็น 'reverse' "));
    assert_null(strstr(err, "instruments[1]")); /* EIT's come after the first 50 */
    const char *last = strrchr(err, '\n') + 1;
    assert_string_equal(last, "… และอีก 20 ข้อ");
    free(err);
}

static void test_malformed_files(void **state)
{
    char *err = NULL;
    struct ita_version *v;

    v = ita_version_load_file(ITA_FIXTURES_DIR "/bad-syntax.json", &err);
    assert_null(v);
    assert_string_equal(err, ITA_FIXTURES_DIR "/bad-syntax.json: บรรทัด 4 คอลัมน์ 14: ไม่ใช่ JSON "
                                              "ที่ถูกต้อง: ต้องมี ',' หรือ '}' ก่อน \"point_maps\" "
                                              "(มักเกิดจากลืมใส่ ',' คั่นระหว่างรายการ)");
    free(err);

    v = ita_version_load_file(ITA_FIXTURES_DIR "/bad-duplicate-key.json", &err);
    assert_null(v);
    assert_string_equal(err, ITA_FIXTURES_DIR "/bad-duplicate-key.json: บรรทัด 3 คอลัมน์ 36: "
                                              "ไม่ใช่ JSON ที่ถูกต้อง: คีย์ \"fiscal_year\" ซ้ำใน"
                                              "ออบเจกต์เดียวกัน");
    free(err);

    v = ita_version_load_file(ITA_FIXTURES_DIR "/does-not-exist.json", &err);
    assert_null(v);
    assert_string_equal(err, ITA_FIXTURES_DIR "/does-not-exist.json: เปิดไฟล์ไม่ได้ (No such file "
                                              "or directory)");
    free(err);

    static const struct {
        const char *text, *want;
    } bad[] = {
        {"[1, 2]", "x.json: ทั้งไฟล์ต้องเป็นออบเจกต์ {...} แต่พบอาร์เรย์ [...]"},
        {"", "x.json: บรรทัด 1 คอลัมน์ 0: ไม่ใช่ JSON ที่ถูกต้อง: ไฟล์ว่างเปล่า"},
        {"{\"format\": \"ita-instruments/1\",}",
         "x.json: บรรทัด 1 คอลัมน์ 32: ไม่ใช่ JSON ที่ถูกต้อง: ต้องมีชื่อคีย์ในเครื่องหมายคำพูด "
         "\"...\" หรือ '}' แต่พบ '}' (ถ้ามี ',' เกินหลังรายการสุดท้ายให้ลบออก)"},
        {"{\"format\": ita}", "x.json: บรรทัด 1 คอลัมน์ 14: ไม่ใช่ JSON ที่ถูกต้อง: 'ita' ไม่ใช่ค่า "
                              "JSON (ข้อความต้องอยู่ในเครื่องหมายคำพูด \"...\" ค่าจริงหรือเท็จเขียน "
                              "true หรือ false)"},
        {"{\"format\": \"ita-instruments/1\"", "x.json: บรรทัด 1 คอลัมน์ 30: ไม่ใช่ JSON ที่ถูกต้อง: "
                                               "ไฟล์จบก่อนปิดออบเจกต์ด้วย '}'"},
        {"{\"fiscal_year\": 2566}",
         "x.json: ขาด \"format\": ไฟล์แบบวัดต้องขึ้นต้นด้วย \"format\": \"ita-instruments/1\" "
         "(ไม่ได้ตรวจส่วนอื่นต่อ)"},
        {"{\"format\": \"ita-instruments/1\", \"fiscal_year\": \"2566\", \"extra\": 1}",
         "x.json: ไม่รู้จักคีย์ \"extra\" (คีย์ที่ใช้ได้ตรงนี้: format, fiscal_year, title_th, "
         "note, weights, rating, point_maps, scales, indicators, instruments, oit, "
         "sample_rule, report)\n"
         "x.json: \"fiscal_year\" ต้องเป็นจำนวนเต็ม แต่พบข้อความ\n"
         "x.json: ขาด \"title_th\"\n"
         "x.json: ขาด \"weights\"\n"
         "x.json: ขาด \"rating\"\n"
         "x.json: ขาด \"point_maps\"\n"
         "x.json: ขาด \"scales\"\n"
         "x.json: ขาด \"indicators\"\n"
         "x.json: ขาด \"instruments\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = ita_version_load_string(bad[i].text, strlen(bad[i].text), "x.json", &err);
        assert_null(v);
        if (strcmp(err, bad[i].want) != 0)
            fail_msg("%s:\ngot:  %s\nwant: %s", bad[i].text, err, bad[i].want);
        free(err);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Replacing a version. */

static struct ita_version *load_mutated(mutate_fn fn)
{
    char *text = mutated_text(FILE_2566, fn);
    char *err = NULL;
    struct ita_version *v = ita_version_load_string(text, strlen(text), "new.json", &err);
    free(text);
    if (!v) {
        print_error("%s\n", err);
        free(err);
        fail();
    }
    return v;
}

static void r_text_only(json_t *root)
{
    json_t *q = iit_question(root, 19);
    json_object_set_new(q, "text_th", json_string("ข้อความที่แก้ไขแล้ว"));
    json_object_set_new(q, "note_th", json_string("หมายเหตุใหม่"));
    json_object_set_new(q, "note_verified", json_false());
    json_object_set_new(json_object_get(json_object_get(root, "scales"), "L4"), "verified",
                        json_false());
    /* Display order may change too: swap i1 and i2. */
    json_t *qs =
        json_object_get(json_array_get(json_object_get(root, "instruments"), 0), "questions");
    json_t *first = json_incref(json_array_get(qs, 0));
    json_array_remove(qs, 0);
    json_array_insert_new(qs, 1, first);
}
static void r_polarity(json_t *root)
{
    json_object_set_new(iit_field(root, 8, 0), "polarity", json_string("positive"));
}
static void r_points(json_t *root)
{
    json_t *pts =
        json_object_get(json_object_get(json_object_get(root, "point_maps"), "P4"), "points");
    json_array_set_new(pts, 0, json_integer(25));
    json_array_set_new(pts, 1, json_integer(50));
    json_array_set_new(pts, 2, json_integer(75));
}
static void r_remove_field(json_t *root)
{
    json_array_remove(json_object_get(iit_question(root, 29), "fields"), 3);
}
static void r_move_question(json_t *root)
{
    json_object_set_new(iit_question(root, 23), "indicator", json_integer(5));
}
static void r_levels(json_t *root)
{
    json_object_set_new(iit_field(root, 8, 0), "scale", json_string("YN"));
}
static void r_eit_only(json_t *root)
{
    json_t *e = json_array_get(
        json_object_get(json_array_get(json_object_get(root, "instruments"), 1), "questions"), 3);
    json_object_set_new(json_array_get(json_object_get(e, "fields"), 0), "polarity",
                        json_string("positive"));
}
static void r_year(json_t *root)
{
    json_object_set_new(root, "fiscal_year", json_integer(2567));
}
static void r_oit(json_t *root)
{
    json_t *item = json_array_get(json_object_get(json_object_get(root, "oit"), "items"), 29);
    json_object_set_new(item, "sub_indicator", json_string("10.1"));
}

static const bool NONE[ITA_N_INSTRUMENTS] = {false, false, false};
static const bool IIT_ONLY[ITA_N_INSTRUMENTS] = {true, false, false};
static const bool ALL[ITA_N_INSTRUMENTS] = {true, true, true};

/* One change to the 2566 version and what the rule must say about it. */
struct replace_case {
    mutate_fn mutate;
    const bool *allowed_with; /* responses with which the change is allowed; NULL: not checked */
    const bool *refused_with; /* responses with which it is refused; NULL: never refused */
    const char *why;          /* the whole refusal message; NULL: not checked */
    const char *says[5];      /* lines the refusal message contains (NULL-terminated) */
};

static const struct replace_case REPLACE_CASES[] = {
    /* Text, notes, flags and order: allowed even with responses everywhere. */
    {r_text_only, ALL, NULL, NULL, {NULL}},
    /* Polarity of i9.1: refused once IIT has responses, allowed before. */
    {r_polarity,
     NONE,
     IIT_ONLY,
     "Refused: fiscal year 2566 IIT already has stored responses, and the new version "
     "would change what they mean:\n"
     "  - field i9.1 changes polarity from negative (reverse-scored) to positive\n"
     "Only texts, notes, labels, verification flags and display order may change once "
     "responses exist; load the changed instrument as a new fiscal year's version "
     "instead.\n"
     "ไม่อนุญาต: แบบวัด IIT ปีงบประมาณ 2566 มีคำตอบบันทึกไว้แล้ว "
     "และฉบับใหม่จะเปลี่ยนความหมายของคำตอบเหล่านั้น:\n"
     "  - ข้อย่อย i9.1 เปลี่ยนทิศทางการให้คะแนนจากกลับด้าน (ลบ)เป็นปกติ (บวก)\n"
     "เมื่อมีคำตอบแล้ว แก้ไขได้เฉพาะข้อความ หมายเหตุ ป้ายคำตอบ สถานะการยืนยัน "
     "และลำดับการแสดงผลเท่านั้น\n",
     {NULL}},
    /* The point map: refused with responses (every L4 field of IIT and EIT is listed, up to
     * 20, then a count), allowed without. 40 IIT fields (51 less 11 yes/no) and 14 EIT fields
     * (19 less 5 yes/no) use L4: 54 conflicts, 20 listed. */
    {r_points,
     NONE,
     ALL,
     NULL,
     {"  - field i1.1 changes the points of level 0 from 0 to 25\n",
      "  - ข้อย่อย i1.1 เปลี่ยนคะแนนของระดับ 0 จาก 0 เป็น 25\n", "  ... and 34 more\n",
      "  ... และอีก 34 รายการ\n", "fiscal year 2566 IIT, EIT already has"}},
    {r_remove_field,
     NULL,
     IIT_ONLY,
     NULL,
     {"  - field i30.4 of question i30 is missing from the new version\n",
      "  - ฉบับใหม่ไม่มีข้อย่อย i30.4 ของคำถาม i30\n", NULL}},
    {r_move_question,
     NULL,
     IIT_ONLY,
     NULL,
     {"  - question i24 moves from indicator 4 to indicator 5\n", NULL}},
    {r_levels,
     NULL,
     IIT_ONLY,
     NULL,
     {"  - field i9.1 has 4 answer levels; the new version has 2\n", NULL}},
    /* An EIT change matters only when EIT has responses. */
    {r_eit_only,
     IIT_ONLY,
     ALL,
     NULL,
     {"fiscal year 2566 EIT already has", "field e4.1 changes polarity", NULL}},
    /* OIT item O30 moved from indicator 9 to 10. */
    {r_oit,
     IIT_ONLY,
     ALL,
     NULL,
     {"  - OIT item O30 moves from indicator 9 to indicator 10\n", NULL}},
    /* Another fiscal year is never a replacement. */
    {r_year,
     NULL,
     NONE,
     "Refused: the new version is for fiscal year 2567, not 2566; load "
     "it as a version of its own year.\n"
     "ไม่อนุญาต: ฉบับใหม่เป็นของปีงบประมาณ 2567 ไม่ใช่ 2566 "
     "ให้นำเข้าเป็นฉบับของปีนั้นแทน\n",
     {NULL}},
};

static void test_replacement_rule(void **state)
{
    (void)state;
    struct ita_version *old_v = must_load(FILE_2566);
    for (size_t c = 0; c < sizeof REPLACE_CASES / sizeof REPLACE_CASES[0]; c++) {
        const struct replace_case *rc = &REPLACE_CASES[c];
        struct ita_version *nv = load_mutated(rc->mutate);
        char *why = NULL;
        if (rc->allowed_with) {
            assert_true(ita_version_can_replace(old_v, nv, rc->allowed_with, &why));
            assert_null(why);
        }
        if (rc->refused_with) {
            assert_false(ita_version_can_replace(old_v, nv, rc->refused_with, &why));
            if (rc->why)
                assert_string_equal(why, rc->why);
            for (size_t k = 0; k < 5 && rc->says[k]; k++)
                assert_non_null(strstr(why, rc->says[k]));
            free(why);
        }
        ita_version_free(nv);
    }
    ita_version_free(old_v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2566_counts),          cmocka_unit_test(test_2566_polarity),
        cmocka_unit_test(test_2566_texts_and_notes), cmocka_unit_test(test_2566_oit_mapping),
        cmocka_unit_test(test_2566_is_canonical),    cmocka_unit_test(test_2567_six_level_fixture),
        cmocka_unit_test(test_malformed_messages),   cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_malformed_files),      cmocka_unit_test(test_replacement_rule),
        cmocka_unit_test(test_rules_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
