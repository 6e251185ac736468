/* The pure parts behind the instrument pages: the unconfirmed items of a version (the 2566 file's
 * known list, keys the format may add later, document order), messages split into lines, what
 * publishing would do (new year, unchanged, correction, refusal in Thai), the respondents' answer
 * check the preview shares (survey_answers_read) and the preview's CSRF field on the form page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "admin/instrument_review.h"
#include "digest.h"
#include "survey/answers.h"
#include "survey/pages.h"
#include "survey_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *canonical(const struct ita_version *v, char sha[65])
{
    char *json = ita_version_to_json(v);
    sha256_hex(json, strlen(json), sha);
    return json;
}

static void test_unverified_2566(void **state)
{
    struct ita_version *v = fx_load_version();
    assert_non_null(v);
    char sha[65];
    char *json = canonical(v, sha);
    struct review r = {0};
    assert_int_equal(review_unverified(&r, json, strlen(json)), 0);
    /* instruments/README.md: the two point maps, the ไม่เคย/เคย answers of e4 and every EIT
     * question (the note of i29 is now the replica's text, confirmed) */
    assert_int_equal(r.n_items, 2 + 1 + 15);
    assert_string_equal(r.items[0].what_th, "ตารางคะแนน P2");
    assert_string_equal(r.items[0].path, "point_maps.P2");
    assert_string_equal(r.items[1].what_th, "ตารางคะแนน P4");
    assert_non_null(r.items[1].source);
    assert_string_equal(r.items[2].path, "scales.NEVER_EVER");
    assert_string_equal(r.items[2].what_th, "ชุดคำตอบ NEVER_EVER");
    for (int e = 1; e <= 15; e++) {
        char want[64];
        snprintf(want, sizeof want, "คำถาม e%d (EIT)", e);
        assert_string_equal(r.items[2 + e].what_th, want);
    }
    review_free(&r);
    free(json);
    ita_version_free(v);
}

static void test_unverified_future_keys(void **state)
{
    /* parts the format gains later are found by the same rule, named in Thai */
    static const char doc[] =
        "{\"rating\": {\"verified\": false, \"source\": \"seed report\"},"
        " \"weights\": {\"IIT\": 30, \"verified\": false},"
        " \"oit\": {\"items\": [{\"code\": \"O1\", \"verified\": true},"
        "  {\"code\": \"O2\", \"verified\": false, \"source\": \"list\"}]},"
        " \"scales\": {\"i7\": {\"verified\": false}, \"YN\": {\"verified\": true}},"
        " \"extra\": [{\"deep\": {\"verified\": false}}]}";
    struct review r = {0};
    assert_int_equal(review_unverified(&r, doc, strlen(doc)), 0);
    assert_int_equal(r.n_items, 5);
    assert_string_equal(r.items[0].what_th, "ชุดคำตอบ i7");
    assert_string_equal(r.items[1].what_th, "ข้อ OIT O2");
    assert_string_equal(r.items[1].path, "oit.items[1]");
    assert_string_equal(r.items[1].source, "list");
    assert_string_equal(r.items[2].what_th, "รายการ deep"); /* an unknown part: by its path */
    assert_string_equal(r.items[2].path, "extra[0].deep");
    assert_string_equal(r.items[3].what_th, "เกณฑ์ระดับผลการประเมิน");
    assert_string_equal(r.items[4].what_th, "น้ำหนักคะแนน");
    review_free(&r);
    assert_int_equal(review_unverified(&r, "[1]", 3), -1);
    assert_int_equal(review_unverified(&r, "{", 1), -1);
    review_free(&r);
}

static void test_split_lines(void **state)
{
    size_t n;
    struct review_line *l =
        review_split_lines("a.json: x[0]: one\n\n  - two \r\n- three\nfour", &n);
    assert_int_equal(n, 4);
    assert_string_equal(l[0].text, "a.json: x[0]: one");
    assert_false(l[0].bullet);
    assert_string_equal(l[1].text, "two");
    assert_true(l[1].bullet);
    assert_string_equal(l[2].text, "three");
    assert_string_equal(l[3].text, "four");
    review_lines_free(l, n);
    l = review_split_lines(NULL, &n);
    assert_int_equal(n, 0);
    review_lines_free(l, n);
}

/* The 2566 file with the first `from` replaced by `to`, loaded. */
static struct ita_version *edited(const char *from, const char *to)
{
    char path[1024];
    assert_true(fx_instrument_path(path, sizeof path));
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[1 << 19], out[1 << 19];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, from);
    assert_non_null(at);
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    char *err = NULL;
    struct ita_version *v = ita_version_load_string(out, strlen(out), "edited", &err);
    assert_non_null(v);
    return v;
}

static void test_decide(void **state)
{
    struct ita_version *v = fx_load_version();
    char sha[65], sha2[65], sha3[65];
    char *stored = canonical(v, sha);
    bool none[ITA_N_INSTRUMENTS] = {false, false, false};
    bool iit[ITA_N_INSTRUMENTS] = {true, false, false};
    struct review r = {0};
    review_decide(&r, v, sha, NULL, 0, NULL, none);
    assert_int_equal(r.outcome, REVIEW_NEW_YEAR);
    review_decide(&r, v, sha, stored, strlen(stored), sha, iit);
    assert_int_equal(r.outcome, REVIEW_UNCHANGED);
    /* wording: a correction even with answers */
    struct ita_version *w = edited("\"text_th\": \"", "\"text_th\": \"(แก้) ");
    free(canonical(w, sha2));
    review_decide(&r, w, sha2, stored, strlen(stored), sha, iit);
    assert_int_equal(r.outcome, REVIEW_CORRECTION);
    /* polarity: refused while IIT has answers, said in Thai only, the conflict as a list item */
    struct ita_version *p = edited("\"polarity\": \"negative\"", "\"polarity\": \"positive\"");
    free(canonical(p, sha3));
    review_decide(&r, p, sha3, stored, strlen(stored), sha, none);
    assert_int_equal(r.outcome, REVIEW_CORRECTION);
    review_decide(&r, p, sha3, stored, strlen(stored), sha, iit);
    assert_int_equal(r.outcome, REVIEW_REFUSED);
    assert_true(r.n_lines >= 3);
    assert_non_null(strstr(r.lines[0].text, "ไม่อนุญาต"));
    size_t bullets = 0;
    for (size_t i = 0; i < r.n_lines; i++) {
        assert_null(strstr(r.lines[i].text, "Refused"));
        if (r.lines[i].bullet) {
            bullets++;
            assert_non_null(strstr(r.lines[i].text, "เปลี่ยนทิศทางการให้คะแนน"));
        }
    }
    assert_int_equal(bullets, 1);
    review_free(&r);
    /* a stored document that no longer loads */
    review_decide(&r, v, sha, "{}", 2, "x", none);
    assert_int_equal(r.outcome, REVIEW_STORED_BROKEN);
    assert_true(r.n_lines >= 1);
    review_free(&r);
    ita_version_free(p);
    ita_version_free(w);
    ita_version_free(v);
    free(stored);
}

static void test_answers_read(void **state)
{
    struct ita_version *v = fx_load_version();
    const struct ita_survey *s = &v->surveys[ITA_EIT];
    size_t first = v->surveys[ITA_IIT].n_fields;
    static struct form_data form;
    form.n = 0;
    form.pairs[form.n++] = (struct form_pair){"f", "tok"};
    form.pairs[form.n++] = (struct form_pair){"csrf", "abc"};
    for (size_t i = 0; i < s->n_fields; i++)
        form.pairs[form.n++] = (struct form_pair){v->field_list[first + i]->code, "1"};
    int answers[64];
    /* the preview skips its CSRF field; a respondent's form must not carry one */
    assert_int_equal(survey_answers_read(v, ITA_EIT, &form, "csrf", answers), 0);
    assert_int_equal(answers[0], 1);
    assert_int_equal(survey_answers_read(v, ITA_EIT, &form, NULL, answers), -1);
    form.pairs[1] = (struct form_pair){"f", "tok"};
    form.n--; /* the last field left out */
    assert_int_equal(survey_answers_read(v, ITA_EIT, &form, NULL, answers), 1);
    assert_int_equal(answers[s->n_fields - 1], -1);
    form.pairs[2].value = "9"; /* outside the scale */
    assert_int_equal(survey_answers_read(v, ITA_EIT, &form, NULL, answers), -1);
    form.pairs[2].value = "1";
    form.pairs[2].name = v->field_list[0]->code; /* an IIT field in the EIT form */
    assert_int_equal(survey_answers_read(v, ITA_EIT, &form, NULL, answers), -1);
    ita_version_free(v);
}

static void test_form_csrf_field(void **state)
{
    struct ita_version *v = fx_load_version();
    struct form_view fv = {.v = v,
                           .instrument = ITA_EIT,
                           .agency_name_th = "หน่วยงานตัวอย่าง",
                           .action = "/admin/instruments/preview?draft=1&instrument=EIT",
                           .form_token = "preview",
                           .notice_th = "ตัวอย่าง — คำตอบจะไม่ถูกบันทึก",
                           .k = 5};
    struct strbuf b;
    strbuf_init(&b);
    pages_form(&b, &fv);
    assert_null(strstr(b.data, "name=\"csrf\""));
    strbuf_free(&b);
    fv.csrf = "0123abcd";
    strbuf_init(&b);
    pages_form(&b, &fv);
    assert_non_null(strstr(b.data, "<input type=\"hidden\" name=\"csrf\" value=\"0123abcd\">"));
    assert_non_null(
        strstr(b.data, "action=\"/admin/instruments/preview?draft=1&amp;instrument=EIT\""));
    assert_non_null(strstr(b.data, "<p class=\"nc\" role=\"status\">ตัวอย่าง — คำตอบจะไม่ถูกบันทึก</p>"));
    strbuf_free(&b);
    ita_version_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unverified_2566), cmocka_unit_test(test_unverified_future_keys),
        cmocka_unit_test(test_split_lines),     cmocka_unit_test(test_decide),
        cmocka_unit_test(test_answers_read),    cmocka_unit_test(test_form_csrf_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
