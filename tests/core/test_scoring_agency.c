/* Tests for core/scoring.c from raw answer counts: a small agency computed by hand, its
 * undefined parts, input errors, and the 2566 file's polarity seen through the engine (all at
 * level 0, all best, OIT items). Expected values are worked out by hand in the comments. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instrument.h"
#include "scoring.h"
#include "scoring_support.h"
#include "notes_2566.h"

static const char small_version[] =
    "{\"format\": \"ita-instruments/1\", \"fiscal_year\": 2566, \"title_th\": \"ทดสอบ\","
    " \"weights\": {\"IIT\": 30, \"EIT\": 30, \"OIT\": 40, \"verified\": true},"
    " \"rating\": {\"verified\": true, \"levels\": ["
    "   {\"name_th\": \"AA\", \"total_min\": 95, \"pass\": true},"
    "   {\"name_th\": \"A\", \"total_min\": 85, \"pass\": true},"
    "   {\"name_th\": \"B\", \"total_min\": 75, \"pass\": false},"
    "   {\"name_th\": \"C\", \"total_min\": 65, \"pass\": false},"
    "   {\"name_th\": \"D\", \"total_min\": 55, \"pass\": false},"
    "   {\"name_th\": \"E\", \"total_min\": 50, \"pass\": false},"
    "   {\"name_th\": \"F\", \"total_min\": 0, \"pass\": false}]},"
    " \"point_maps\": {\"P4\": {\"points\": [0, \"100/3\", \"200/3\", 100], \"verified\": false},"
    "                  \"P2\": {\"points\": [0, 100], \"verified\": false}},"
    " \"scales\": {\"L4\": {\"labels_th\": [\"น้อยที่สุดหรือไม่มีเลย\", \"น้อย\", \"มาก\","
    "                                      \"มากที่สุด\"], \"point_map\": \"P4\", \"verified\": true},"
    "             \"YN\": {\"labels_th\": [\"ไม่มี\", \"มี\"], \"point_map\": \"P2\","
    "                      \"verified\": true}},"
    " \"indicators\": [{\"number\": 1, \"name_th\": \"ก\"}, {\"number\": 2, \"name_th\": \"ข\"},"
    "   {\"number\": 3, \"name_th\": \"ค\"}, {\"number\": 4, \"name_th\": \"ง\"},"
    "   {\"number\": 5, \"name_th\": \"จ\"}, {\"number\": 6, \"name_th\": \"ฉ\"},"
    "   {\"number\": 7, \"name_th\": \"ช\"}, {\"number\": 8, \"name_th\": \"ซ\"},"
    "   {\"number\": 9, \"name_th\": \"ฌ\"}, {\"number\": 10, \"name_th\": \"ญ\"}],"
    " \"instruments\": ["
    "  {\"code\": \"IIT\", \"name_th\": \"ภายใน\", \"questions\": ["
    "   {\"code\": \"q1\", \"indicator\": 1, \"text_th\": \"หนึ่ง\", \"verified\": true,"
    "    \"scale\": \"L4\", \"fields\": ["
    "     {\"code\": \"q1.1\", \"label_th\": \"ดี\", \"polarity\": \"positive\"},"
    "     {\"code\": \"q1.2\", \"label_th\": \"ไม่ดี\", \"polarity\": \"negative\"}]},"
    "   {\"code\": \"q2\", \"indicator\": 1, \"text_th\": \"สอง\", \"verified\": true,"
    "    \"scale\": \"YN\", \"polarity\": \"negative\", \"fields\": ["
    "     {\"code\": \"q2.1\", \"label_th\": \"เงิน\"}, {\"code\": \"q2.2\", \"label_th\": \"ของ\"},"
    "     {\"code\": \"q2.3\", \"label_th\": \"อื่น\"}]},"
    "   {\"code\": \"q3\", \"indicator\": 2, \"text_th\": \"สาม\", \"verified\": true,"
    "    \"fields\": [{\"code\": \"q3.1\", \"scale\": \"L4\", \"polarity\": \"negative\"}]},"
    "   {\"code\": \"q4\", \"indicator\": 3, \"text_th\": \"สี่\", \"verified\": true,"
    "    \"fields\": [{\"code\": \"q4.1\", \"scale\": \"L4\", \"polarity\": \"positive\"}]},"
    "   {\"code\": \"q5\", \"indicator\": 4, \"text_th\": \"ห้า\", \"verified\": true,"
    "    \"fields\": [{\"code\": \"q5.1\", \"scale\": \"L4\", \"polarity\": \"positive\"}]},"
    "   {\"code\": \"q6\", \"indicator\": 5, \"text_th\": \"หก\", \"verified\": true,"
    "    \"scale\": \"YN\", \"polarity\": \"positive\", \"fields\": ["
    "     {\"code\": \"q6.1\", \"label_th\": \"ทบทวน\"}, {\"code\": \"q6.2\", \"label_th\": "
    "\"แผน\"}]}"
    "  ]},"
    "  {\"code\": \"EIT\", \"name_th\": \"ภายนอก\", \"questions\": ["
    "   {\"code\": \"q7\", \"indicator\": 6, \"text_th\": \"เจ็ด\", \"verified\": false,"
    "    \"fields\": [{\"code\": \"q7.1\", \"scale\": \"YN\", \"polarity\": \"negative\"}]},"
    "   {\"code\": \"q8\", \"indicator\": 7, \"text_th\": \"แปด\", \"verified\": false,"
    "    \"fields\": [{\"code\": \"q8.1\", \"scale\": \"L4\", \"polarity\": \"positive\"}]},"
    "   {\"code\": \"q9\", \"indicator\": 8, \"text_th\": \"เก้า\", \"verified\": false,"
    "    \"fields\": [{\"code\": \"q9.1\", \"scale\": \"L4\", \"polarity\": \"positive\"}]},"
    "   {\"code\": \"q10\", \"indicator\": 8, \"text_th\": \"สิบ\", \"verified\": false,"
    "    \"fields\": [{\"code\": \"q10.1\", \"scale\": \"L4\", \"polarity\": \"negative\"}]}"
    "  ]}],"
    " \"oit\": {\"sub_indicators\": [{\"code\": \"9.1\", \"indicator\": 9, \"name_th\": \"ก\"},"
    "                               {\"code\": \"10.1\", \"indicator\": 10, \"name_th\": \"ข\"}],"
    "         \"items\": [{\"code\": \"A1\", \"sub_indicator\": \"9.1\", \"title_th\": \"ก\", "
    "\"verified\": true},"
    "                   {\"code\": \"A2\", \"sub_indicator\": \"9.1\", \"title_th\": \"ข\", "
    "\"verified\": true},"
    "                   {\"code\": \"A3\", \"sub_indicator\": \"9.1\", \"title_th\": \"ค\", "
    "\"verified\": true},"
    "                   {\"code\": \"B1\", \"sub_indicator\": \"10.1\", \"title_th\": \"ง\", "
    "\"verified\": true},"
    "                   {\"code\": \"B2\", \"sub_indicator\": \"10.1\", \"title_th\": \"จ\", "
    "\"verified\": true}]}}";

static struct ita_version *load_small(void)
{
    char *err = NULL;
    struct ita_version *v =
        ita_version_load_string(small_version, strlen(small_version), "small", &err);
    if (!v) {
        print_error("%s\n", err);
        free(err);
        fail();
    }
    return v;
}

static void set_counts(const struct ita_version *v, struct ita_field_counts *c, const char *code,
                       uint64_t l0, uint64_t l1, uint64_t l2, uint64_t l3)
{
    const struct ita_field *f = ita_version_find_field(v, code);
    assert_non_null(f);
    memset(&c[f->index], 0, sizeof c[f->index]);
    c[f->index].at_level[0] = l0;
    c[f->index].at_level[1] = l1;
    c[f->index].at_level[2] = l2;
    c[f->index].at_level[3] = l3;
}

static double question_score(const struct ita_result *r, const char *code)
{
    const struct ita_question *q = ita_version_find_question(r->version, code);
    assert_non_null(q);
    assert_true(r->question[q->index].defined);
    return r->question[q->index].value;
}

static double field_score_of(const struct ita_result *r, const char *code)
{
    const struct ita_field *f = ita_version_find_field(r->version, code);
    assert_non_null(f);
    assert_true(r->field[f->index].defined);
    return r->field[f->index].value;
}

/* Six IIT respondents, four EIT respondents, OIT A1 A2 met, A3 not met, B1 B2 met. */
static void small_agency_counts(const struct ita_version *v, struct ita_field_counts *c,
                                enum ita_oit_mark *oit)
{
    set_counts(v, c, "q1.1", 1, 1, 2, 2);
    set_counts(v, c, "q1.2", 3, 2, 1, 0);
    set_counts(v, c, "q2.1", 6, 0, 0, 0);
    set_counts(v, c, "q2.2", 5, 1, 0, 0);
    set_counts(v, c, "q2.3", 4, 2, 0, 0);
    set_counts(v, c, "q3.1", 0, 0, 3, 3);
    set_counts(v, c, "q4.1", 0, 0, 0, 6);
    set_counts(v, c, "q5.1", 0, 6, 0, 0);
    set_counts(v, c, "q6.1", 1, 5, 0, 0);
    set_counts(v, c, "q6.2", 3, 3, 0, 0);
    set_counts(v, c, "q7.1", 3, 1, 0, 0);
    set_counts(v, c, "q8.1", 0, 1, 1, 2);
    set_counts(v, c, "q9.1", 0, 0, 2, 2);
    set_counts(v, c, "q10.1", 2, 2, 0, 0);
    static const enum ita_oit_mark marks[5] = {ITA_OIT_MET, ITA_OIT_MET, ITA_OIT_NOT_MET,
                                               ITA_OIT_MET, ITA_OIT_MET};
    memcpy(oit, marks, sizeof marks);
}

static void test_small_agency_by_hand(void **state)
{
    struct ita_version *v = load_small();
    struct ita_field_counts c[14];
    enum ita_oit_mark oit[5];
    char *err = NULL;
    assert_int_equal(v->n_fields, 14);
    assert_int_equal(v->n_oit_items, 5);
    small_agency_counts(v, c, oit);
    struct ita_score_input in = {c, v->n_fields, oit, v->n_oit_items};
    struct ita_result *r = ita_score(v, &in, &err);
    assert_non_null(r);
    const struct ita_summary *s = &r->summary;

    /* q1.1 positive, counts 1,1,2,2: (0 + 100/3 + 2*200/3 + 2*100) / 6 = (1100/3) / 6 = 550/9 */
    assert_close(field_score_of(r, "q1.1"), 550.0 / 9.0, "q1.1");
    /* q1.2 negative, level 0 earns 100: (3*100 + 2*200/3 + 1*100/3 + 0) / 6 = (1400/3) / 6 =
     * 700/9 */
    assert_close(field_score_of(r, "q1.2"), 700.0 / 9.0, "q1.2");
    /* q1 = (550/9 + 700/9) / 2 = 625/9 = 69.44 */
    assert_close(question_score(r, "q1"), 625.0 / 9.0, "q1");
    /* q2 yes/no negative (ไม่มี = level 0 = 100): q2.1 6 of 6 -> 100; q2.2 5 of 6 -> 250/3;
     * q2.3 4 of 6 -> 200/3; q2 = (100 + 250/3 + 200/3) / 3 = 250/3 */
    assert_close(field_score_of(r, "q2.1"), 100.0, "q2.1");
    assert_close(field_score_of(r, "q2.2"), 250.0 / 3.0, "q2.2");
    assert_close(question_score(r, "q2"), 250.0 / 3.0, "q2");
    /* Indicator 1 = (625/9 + 250/3) / 2 = (625/9 + 750/9) / 2 = 1375/18 = 76.39 */
    assert_close(s->indicator[0].value, 1375.0 / 18.0, "indicator 1");
    assert_2dp(s->indicator[0].value, "76.39");
    /* Indicator 2 = q3 negative, counts 0,0,3,3: levels 2 and 3 earn 100/3 and 0:
     * (3 * 100/3) / 6 = 50/3. Computed exactly (integers, one division): equal to the double
     * nearest 50/3. */
    assert_true(s->indicator[1].value == 50.0 / 3.0);
    /* Indicator 3 = q4: all at the top level = 100. Indicator 4 = q5: all at level 1 = 100/3. */
    assert_true(s->indicator[2].value == 100.0);
    assert_true(s->indicator[3].value == 100.0 / 3.0);
    /* Indicator 5 = q6 yes/no positive (มี = 100): q6.1 5 of 6 -> 250/3; q6.2 3 of 6 -> 50;
     * q6 = (250/3 + 50) / 2 = 200/3 */
    assert_close(s->indicator[4].value, 200.0 / 3.0, "indicator 5");
    /* IIT = (1375/18 + 50/3 + 100 + 100/3 + 200/3) / 5 = (1375 + 300 + 1800 + 600 + 1200)/18/5
     *     = 5275/90 = 1055/18 = 58.61 */
    assert_close(s->group[ITA_IIT].value, 1055.0 / 18.0, "IIT");
    assert_2dp(s->group[ITA_IIT].value, "58.61");

    /* EIT, four respondents.
     * Indicator 6 = q7 yes/no negative, 3 ไม่มี 1 มี: 300/4 = 75.
     * Indicator 7 = q8 positive, counts 0,1,1,2: (100/3 + 200/3 + 200) / 4 = 300/4 = 75.
     * Indicator 8 = mean of q9 (positive 0,0,2,2: (400/3 + 200)/4 = 250/3) and q10 (negative
     * 2,2,0,0: (2*100 + 2*200/3)/4 = 250/3) = 250/3.
     * EIT = (75 + 75 + 250/3) / 3 = 700/9 = 77.78 */
    assert_close(s->indicator[5].value, 75.0, "indicator 6");
    assert_close(s->indicator[6].value, 75.0, "indicator 7");
    assert_close(s->indicator[7].value, 250.0 / 3.0, "indicator 8");
    assert_close(s->group[ITA_EIT].value, 700.0 / 9.0, "EIT");
    assert_2dp(s->group[ITA_EIT].value, "77.78");

    /* OIT: indicator 9 = 2 of 3 items met = 200/3; indicator 10 = 2 of 2 = 100;
     * OIT = (200/3 + 100) / 2 = 250/3 = 83.33 */
    assert_int_equal(r->oit_items[0], 3);
    assert_int_equal(r->oit_met[0], 2);
    assert_close(s->indicator[8].value, 200.0 / 3.0, "indicator 9");
    assert_close(s->indicator[9].value, 100.0, "indicator 10");
    assert_close(s->group[ITA_OIT].value, 250.0 / 3.0, "OIT");

    /* Total = 0.3 * 1055/18 + 0.3 * 700/9 + 0.4 * 250/3 = 1055/60 + 70/3 + 100/3
     *       = 1055/60 + 3400/60 = 4455/60 = 74.25: grade C, not passed. */
    assert_int_equal(s->state, ITA_TOTAL_COMPLETE);
    assert_close(s->total, 74.25, "total");
    assert_2dp(s->total, "74.25");
    assert_string_equal(ita_rating_name(s->rules, s->rating), "C");
    assert_false(s->pass);

    /* Weakest questions: indicator 1 has q1 (69.44) below q2 (83.33); indicator 8 has q9 and
     * q10 exactly tied at 250/3 and keeps questionnaire order. */
    const struct ita_question *low[3];
    assert_int_equal(ita_lowest_questions(r, 1, 3, low), 2);
    assert_string_equal(low[0]->code, "q1");
    assert_string_equal(low[1]->code, "q2");
    assert_int_equal(ita_lowest_questions(r, 1, 1, low), 1);
    assert_string_equal(low[0]->code, "q1");
    assert_int_equal(ita_lowest_questions(r, 8, 3, low), 2);
    assert_string_equal(low[0]->code, "q9");
    assert_string_equal(low[1]->code, "q10");
    assert_int_equal(ita_lowest_questions(r, 9, 3, low), 0); /* OIT has no questions */
    ita_result_free(r);
    ita_version_free(v);
}

static void test_small_agency_undefined_parts(void **state)
{
    struct ita_version *v = load_small();
    struct ita_field_counts c[14];
    enum ita_oit_mark oit[5];
    char *err = NULL;
    small_agency_counts(v, c, oit);

    /* No EIT respondents: indicators 6-8 are undefined (never 0), EIT is undefined, and the
     * total is partial: 0.3 * 1055/18 + 0.4 * 250/3 = 17.5833 + 33.3333 = 50.9167 of 70. */
    set_counts(v, c, "q7.1", 0, 0, 0, 0);
    set_counts(v, c, "q8.1", 0, 0, 0, 0);
    set_counts(v, c, "q9.1", 0, 0, 0, 0);
    set_counts(v, c, "q10.1", 0, 0, 0, 0);
    struct ita_score_input in = {c, v->n_fields, oit, v->n_oit_items};
    struct ita_result *r = ita_score(v, &in, &err);
    assert_non_null(r);
    for (int i = 5; i < 8; i++)
        assert_false(r->summary.indicator[i].defined);
    assert_false(r->summary.group[ITA_EIT].defined);
    assert_int_equal(r->summary.state, ITA_TOTAL_PARTIAL);
    assert_int_equal(r->summary.total_max, 70);
    assert_close(r->summary.total, 1055.0 / 60.0 + 100.0 / 3.0, "partial total");
    assert_int_equal(r->summary.rating, -1);
    ita_result_free(r);

    /* One field of q1 without answers: q1 and indicator 1 are undefined (a question needs all
     * its fields), so IIT is undefined too. */
    small_agency_counts(v, c, oit);
    set_counts(v, c, "q1.2", 0, 0, 0, 0);
    r = ita_score(v, &in, &err);
    assert_non_null(r);
    assert_false(r->question[ita_version_find_question(v, "q1")->index].defined);
    assert_true(r->question[ita_version_find_question(v, "q2")->index].defined);
    assert_false(r->summary.indicator[0].defined);
    assert_false(r->summary.group[ITA_IIT].defined);
    ita_result_free(r);

    /* OIT not audited (no marks), or one item of indicator 9 not assessed: that indicator is
     * undefined; indicator 10 is still 100 when both its items are met. */
    small_agency_counts(v, c, oit);
    struct ita_score_input no_oit = {c, v->n_fields, NULL, 0};
    r = ita_score(v, &no_oit, &err);
    assert_non_null(r);
    assert_false(r->summary.indicator[8].defined);
    assert_false(r->summary.indicator[9].defined);
    assert_int_equal(r->summary.state, ITA_TOTAL_PARTIAL);
    assert_int_equal(r->summary.total_max, 60);
    ita_result_free(r);
    oit[2] = ITA_OIT_NOT_ASSESSED;
    r = ita_score(v, &in, &err);
    assert_non_null(r);
    assert_false(r->summary.indicator[8].defined);
    assert_true(r->summary.indicator[9].defined);
    assert_close(r->summary.indicator[9].value, 100.0, "indicator 10");
    ita_result_free(r);

    /* No answers at all. */
    struct ita_score_input nothing = {NULL, 0, NULL, 0};
    r = ita_score(v, &nothing, &err);
    assert_non_null(r);
    for (int i = 0; i < ITA_N_INDICATORS; i++)
        assert_false(r->summary.indicator[i].defined);
    assert_int_equal(r->summary.state, ITA_TOTAL_NONE);
    ita_result_free(r);
    ita_version_free(v);
}

static void test_score_input_errors(void **state)
{
    struct ita_version *v = load_small();
    struct ita_field_counts c[14];
    enum ita_oit_mark oit[5];
    char *err = NULL;
    small_agency_counts(v, c, oit);

    /* An answer at level 2 of a yes/no field. */
    set_counts(v, c, "q2.2", 1, 1, 1, 0);
    struct ita_score_input in = {c, v->n_fields, oit, v->n_oit_items};
    assert_null(ita_score(v, &in, &err));
    assert_string_equal(err, "field q2.2: 1 answers at level 2, but its scale 'YN' has levels 0 "
                             "to 1");
    free(err);
    small_agency_counts(v, c, oit);

    struct ita_score_input short_in = {c, 13, oit, v->n_oit_items};
    assert_null(ita_score(v, &short_in, &err));
    assert_string_equal(err, "answer counts for 13 fields, but fiscal year 2566 has 14");
    free(err);

    struct ita_score_input short_oit = {c, v->n_fields, oit, 4};
    assert_null(ita_score(v, &short_oit, &err));
    assert_string_equal(err, "OIT marks for 4 items, but fiscal year 2566 has 5");
    free(err);

    c[0].at_level[0] = UINT64_MAX;
    c[0].at_level[1] = 1;
    assert_null(ita_score(v, &in, &err));
    assert_string_equal(err, "field q1.1: answer counts too large to add up");
    free(err);
    ita_version_free(v);
}

/* ---------------------------------------------------------------------------------------------
 * The shipped 2566 version through the engine. */

static struct ita_version *load_2566(void)
{
    char *err = NULL;
    struct ita_version *v = ita_version_load_file(ITA_INSTRUMENTS_DIR "/2566.json", &err);
    if (!v) {
        print_error("%s\n", err);
        free(err);
        fail();
    }
    return v;
}

static void test_2566_everyone_answers_level_0(void **state)
{
    /* Ten IIT and ten EIT respondents all choose level 0 (น้อยที่สุดหรือไม่มีเลย, or ไม่มี).
     * Positive fields score 0 and negative ones 100, so by instruments.md:
     * ind 1: i1 0, i2 0, i3 0, i4 100, i5 100, i6 100 (YN negative)            -> 300/6 = 50
     * ind 2: i7 0, i8 0, i9 100, i10 100, i11 (0 + 100)/2 = 50, i12 0          -> 250/6
     * ind 3: i13 0, i14 0, i15 0, i16 100, i17 100, i18 100                     -> 50
     * ind 4: i19 100, i20 0, i21 0, i22 100, i23 0, i24 0                       -> 200/6
     * ind 5: i25 0, i26 0 (YN positive: ไม่มี = 0), i27 0, i28 0, i29 0, i30 0  -> 0
     * ind 6: e1 0, e2 0, e3 0, e4 100 (negative), e5 0                          -> 20
     * ind 7: e6-e10 all positive                                                 -> 0
     * ind 8: e11-e15 all positive                                                -> 0 */
    struct ita_version *v = load_2566();
    struct ita_field_counts *c = calloc(v->n_fields, sizeof *c);
    char *err = NULL;
    assert_non_null(c);
    for (size_t i = 0; i < v->n_fields; i++)
        c[i].at_level[0] = 10;
    struct ita_score_input in = {c, v->n_fields, NULL, 0};
    struct ita_result *r = ita_score(v, &in, &err);
    assert_non_null(r);
    static const double want[8] = {50.0, 250.0 / 6.0, 50.0, 200.0 / 6.0, 0.0, 20.0, 0.0, 0.0};
    for (int i = 0; i < 8; i++) {
        char what[32];
        snprintf(what, sizeof what, "indicator %d", i + 1);
        assert_true(r->summary.indicator[i].defined);
        assert_close(r->summary.indicator[i].value, want[i], what);
    }
    ita_result_free(r);
    free(c);
    ita_version_free(v);
}

static void test_2566_best_answers_score_100(void **state)
{
    /* Everyone picks the best answer as instruments.md defines it: the bottom level for the
     * reverse-scored fields it lists, the top level for all others. Every indicator is then 100,
     * which fails if the file's polarity differs from the notes anywhere. */
    struct ita_version *v = load_2566();
    struct ita_field_counts *c = calloc(v->n_fields, sizeof *c);
    char *err = NULL;
    assert_non_null(c);
    for (size_t i = 0; i < v->n_fields; i++) {
        const struct ita_field *f = v->field_list[i];
        bool neg = false;
        for (size_t k = 0; notes_2566_negative[k]; k++)
            if (strcmp(notes_2566_negative[k], f->code) == 0)
                neg = true;
        int levels = v->scales[f->scale].levels;
        c[i].at_level[neg ? 0 : levels - 1] = 7;
    }
    struct ita_score_input in = {c, v->n_fields, NULL, 0};
    struct ita_result *r = ita_score(v, &in, &err);
    assert_non_null(r);
    for (int i = 0; i < 8; i++)
        assert_true(r->summary.indicator[i].value == 100.0);
    assert_true(r->summary.group[ITA_IIT].value == 100.0);
    assert_true(r->summary.group[ITA_EIT].value == 100.0);
    ita_result_free(r);
    free(c);
    ita_version_free(v);
}

static void test_2566_oit_items(void **state)
{
    /* O1-O30 belong to indicator 9, O31-O43 to indicator 10 (the seed's OIT list). Failing
     * O30 and O31 alone: indicator 9 = 29/30 * 100 = 96.67, indicator 10 = 12/13 * 100 = 92.31,
     * OIT = (290/3 + 1200/13) / 2 = (3770 + 3600) / 78 = 7370/78 = 94.49. */
    struct ita_version *v = load_2566();
    enum ita_oit_mark *m = calloc(v->n_oit_items, sizeof *m);
    char *err = NULL;
    assert_non_null(m);
    assert_int_equal(v->n_oit_items, 43);
    for (size_t i = 0; i < v->n_oit_items; i++)
        m[i] = ITA_OIT_MET;
    m[ita_version_find_oit_item(v, "O30")->index] = ITA_OIT_NOT_MET;
    m[ita_version_find_oit_item(v, "O31")->index] = ITA_OIT_NOT_MET;
    struct ita_score_input in = {NULL, 0, m, v->n_oit_items};
    struct ita_result *r = ita_score(v, &in, &err);
    assert_non_null(r);
    assert_int_equal(r->oit_items[0], 30);
    assert_int_equal(r->oit_items[1], 13);
    assert_close(r->summary.indicator[8].value, 290.0 / 3.0, "indicator 9");
    assert_close(r->summary.indicator[9].value, 1200.0 / 13.0, "indicator 10");
    assert_close(r->summary.group[ITA_OIT].value, 7370.0 / 78.0, "OIT");
    assert_2dp(r->summary.group[ITA_OIT].value, "94.49");
    ita_result_free(r);
    free(m);
    ita_version_free(v);
}

/* ---------------------------------------------------------------------------------------------
 * What-if. */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_agency_by_hand),
        cmocka_unit_test(test_small_agency_undefined_parts),
        cmocka_unit_test(test_score_input_errors),
        cmocka_unit_test(test_2566_everyone_answers_level_0),
        cmocka_unit_test(test_2566_best_answers_score_100),
        cmocka_unit_test(test_2566_oit_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
