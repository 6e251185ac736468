/* Tests for the respondent pages rendered from the real 2566 instrument file: structure (one
 * fieldset per question, labelled radios), page weight, escaping, kept answers and Thai errors,
 * the CSP hashes, the status pages; and the string buffer they are built with. With
 * ITA_PAGES_PREVIEW_DIR set, the IIT and EIT pages are also written there for a look in a browser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/page_frame.h"
#include "survey/pages.h"
#include "strbuf.h"
#include "survey_fixture.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_LIMIT (60 * 1024)

/* ---- small text helpers ---- */

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

/* Value of attribute `name` inside the tag that starts at `tag` (up to its '>'), copied into out;
 * false when the tag has no such attribute. */
static bool attr(const char *tag, const char *name, char *out, size_t outlen)
{
    const char *end = strchr(tag, '>');
    char pat[64];
    snprintf(pat, sizeof pat, " %s=\"", name);
    const char *p = strstr(tag, pat);
    if (!p || !end || p > end)
        return false;
    p += strlen(pat);
    const char *q = strchr(p, '"');
    assert_non_null(q);
    assert_true((size_t)(q - p) < outlen);
    memcpy(out, p, (size_t)(q - p));
    out[q - p] = '\0';
    return true;
}

/* Text between `open` (first occurrence at or after from) and the next `close`, as a new string. */
static char *between(const char *from, const char *open, const char *close)
{
    const char *p = strstr(from, open);
    assert_non_null(p);
    p += strlen(open);
    const char *q = strstr(p, close);
    assert_non_null(q);
    char *s = malloc((size_t)(q - p) + 1);
    memcpy(s, p, (size_t)(q - p));
    s[q - p] = '\0';
    return s;
}

/* text as it must appear in the page */
static char *escaped(const char *text)
{
    struct strbuf b;
    strbuf_init(&b);
    strbuf_html_escape(&b, text);
    return strbuf_detach(&b);
}

static size_t first_slot(enum ita_instrument k)
{
    return k == ITA_IIT ? 0 : fx_version->surveys[ITA_IIT].n_fields;
}

static char *render_form(enum ita_instrument k, const char *agency, const int *answers,
                         bool show_errors)
{
    struct form_view fv = {
        .v = fx_version,
        .instrument = k,
        .agency_name_th = agency,
        .action = "/s/AbC123",
        .form_token = "tok.en-value_1",
        .answers = answers,
        .show_errors = show_errors,
        .notice_th = NULL,
        .k = 5,
    };
    struct strbuf b;
    strbuf_init(&b);
    pages_form(&b, &fv);
    assert_int_equal(strlen(b.data), b.len);
    return strbuf_detach(&b);
}

/* No reference to another origin: no scheme, no protocol-relative URL, no fetched resource. */
static void assert_self_contained(const char *page)
{
    assert_null(strstr(page, "http:"));
    assert_null(strstr(page, "https:"));
    assert_null(strstr(page, "//"));
    assert_null(strstr(page, "url("));
    assert_null(strstr(page, "@import"));
    assert_null(strstr(page, " src="));
    assert_null(strstr(page, "<link"));
    for (const char *p = strstr(page, " href=\""); p; p = strstr(p + 1, " href=\""))
        assert_int_equal(p[7], '#');
}

static void assert_head(const char *page)
{
    assert_true(strncmp(page, "<!doctype html>\n<html lang=\"th\">", 32) == 0);
    assert_non_null(strstr(page, "<meta charset=\"utf-8\">"));
    assert_non_null(
        strstr(page, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    assert_non_null(strstr(page, "<title>"));
    assert_int_equal(count(page, "<style>"), 1);
    assert_int_equal(count(page, "<html"), 1);
    assert_non_null(strstr(page, "</html>\n"));
}

/* ---- the form ---- */

static void check_form_structure(enum ita_instrument k, size_t expect_questions,
                                 size_t expect_fields)
{
    const struct ita_survey *s = &fx_version->surveys[k];
    assert_int_equal(s->n_questions, expect_questions);
    assert_int_equal(s->n_fields, expect_fields);
    char *page = render_form(k, "เทศบาลนครนครปฐม", NULL, false);
    size_t len = strlen(page);
    printf("%s form page: %zu bytes (limit %d)\n", ita_instrument_code(k), len, PAGE_LIMIT);
    assert_true(len < PAGE_LIMIT);

    assert_head(page);
    assert_self_contained(page);
    assert_non_null(strstr(page, "<h1>"));
    assert_non_null(strstr(page, s->name_th));
    assert_non_null(strstr(page, "<p>เทศบาลนครนครปฐม</p>"));
    assert_non_null(strstr(page, "ปีงบประมาณ พ.ศ. 2566"));
    /* novalidate: the server's Thai messages, not the browser's; data-keep (IIT only): the page
     * script keeps unsent answers in this browser */
    assert_non_null(strstr(page, k == ITA_IIT ? "<form id=\"sf\" method=\"post\" novalidate "
                                                "data-keep=\"1\" action=\"/s/AbC123\">"
                                              : "<form id=\"sf\" method=\"post\" novalidate "
                                                "action=\"/s/AbC123\">"));
    assert_true((strstr(page, "id=\"kn\"") != NULL) == (k == ITA_IIT));
    assert_non_null(strstr(page, "<input type=\"hidden\" name=\"f\" value=\"tok.en-value_1\">"));
    assert_non_null(strstr(page, "<button type=\"submit\" id=\"sb\">ส่งคำตอบ</button>"));
    /* the privacy notice says what is kept and what is not */
    assert_non_null(strstr(page, "<h2>ประกาศความเป็นส่วนตัว</h2>"));
    const char *kept[] = {"เฉพาะคำตอบที่ท่านเลือก",
                          "ไม่เก็บชื่อ",
                          "อีเมล",
                          "เบอร์โทรศัพท์",
                          "ที่อยู่ไอพี",
                          "ข้อมูลอุปกรณ์",
                          "วันเวลาที่ท่านส่ง",
                          "กลุ่มละอย่างน้อย 5 คน",
                          "แสดงหลังปิดรับ",
                          "รู้ได้ว่าลิงก์นั้นใช้ตอบแล้วหรือยัง",
                          "ไม่รู้ว่าท่านตอบอย่างไร",
                          "สมัครใจ",
                          "ภาพรวม"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        assert_non_null(strstr(page, kept[i]));
    /* nothing is marked before anything is answered */
    assert_null(strstr(page, " checked"));
    assert_null(strstr(page, "id=\"es\""));
    assert_null(strstr(page, "กรุณาตอบข้อนี้"));
    assert_null(strstr(page, "aria-invalid"));

    /* one question fieldset per question, its legend first, in order, under its indicator */
    assert_int_equal(count(page, "<fieldset id=\"q-"), s->n_questions);
    size_t sub_groups = 0;
    const char *cursor = page;
    for (size_t i = 0; i < s->n_questions; i++) {
        const struct ita_question *q = &s->questions[i];
        char want[128];
        snprintf(want, sizeof want, "<fieldset id=\"q-%s\" class=\"q\"%s", q->code,
                 q->n_fields == 1 ? " role=\"radiogroup\"" : "");
        const char *fs = strstr(cursor, want);
        assert_non_null(fs);
        char heading[512];
        snprintf(heading, sizeof heading, "<h2>ตัวชี้วัดที่ %d %s</h2>", q->indicator,
                 fx_version->indicators[q->indicator - 1].name_th);
        const char *h = strstr(page, heading);
        assert_non_null(h);
        assert_true(h < fs);
        const char *legend = strchr(fs, '>') + 1;
        /* described by its note, if it has one */
        snprintf(want, sizeof want, " aria-describedby=\"nt-%s\">", q->code);
        assert_int_equal(strncmp(legend - strlen(want), want, strlen(want)) == 0,
                         q->note_th != NULL);
        snprintf(want, sizeof want, "\n<legend><span class=\"n\">ข้อ %s</span> ", q->code + 1);
        assert_true(strncmp(legend, want, strlen(want)) == 0);
        char *text = escaped(q->text_th);
        assert_true(strncmp(legend + strlen(want), text, strlen(text)) == 0);
        free(text);
        if (q->note_th) {
            char *note = escaped(q->note_th);
            snprintf(heading, sizeof heading,
                     "</legend>\n<p class=\"nt\" id=\"nt-%s\">หมายเหตุ: %s</p>", q->code, note);
            assert_non_null(strstr(legend, heading));
            assert_true(strstr(legend, heading) < strstr(legend, "<label"));
            free(note);
        }
        if (q->n_fields > 1)
            sub_groups += q->n_fields;
        cursor = legend;
    }
    /* a legend for each question and for each sub-item group, and nowhere else */
    assert_int_equal(count(page, "<legend"), s->n_questions + sub_groups);
    assert_int_equal(count(page, "<fieldset"), s->n_questions + sub_groups);
    assert_int_equal(count(page, "</fieldset>"), s->n_questions + sub_groups);
    assert_int_equal(count(page, "<fieldset class=\"s\" role=\"radiogroup\">"), sub_groups);

    /* every radio: name = field code, id = code-level, value = level, required, and exactly one
     * label for= that id whose text is the scale's label of that level */
    size_t levels_total = 0;
    for (size_t i = 0; i < s->n_questions; i++)
        for (size_t j = 0; j < s->questions[i].n_fields; j++)
            levels_total += (size_t)fx_version->scales[s->questions[i].fields[j].scale].levels;
    assert_int_equal(count(page, "<input type=\"radio\""), levels_total);
    assert_int_equal(count(page, "<label for=\""), levels_total);
    size_t seen = 0;
    for (const char *p = strstr(page, "<input type=\"radio\""); p;
         p = strstr(p + 1, "<input type=\"radio\"")) {
        char name[64], id[80], value[8], want_id[80];
        assert_true(attr(p, "name", name, sizeof name));
        assert_true(attr(p, "id", id, sizeof id));
        assert_true(attr(p, "value", value, sizeof value));
        const struct ita_field *f = ita_version_find_field(fx_version, name);
        assert_non_null(f);
        assert_int_equal(fx_version->question_list[f->question]->instrument, k);
        int level = atoi(value);
        assert_true(level >= 0 && level < fx_version->scales[f->scale].levels);
        snprintf(want_id, sizeof want_id, "%s-%d", name, level);
        assert_string_equal(id, want_id);
        const char *tag_end = strchr(p, '>');
        const char *req = strstr(p, " required");
        assert_true(req && req < tag_end);
        /* the label for this id: exactly one in the page, and it encloses this radio */
        char for_attr[100];
        snprintf(for_attr, sizeof for_attr, "<label for=\"%s\">", id);
        assert_int_equal(count(page, for_attr), 1);
        const char *lab = strstr(page, for_attr);
        assert_true(lab + strlen(for_attr) == p);
        char *text = between(tag_end, ">", "</label>");
        char *label = escaped(fx_version->scales[f->scale].labels_th[level]);
        assert_string_equal(text, label);
        free(label);
        free(text);
        seen++;
    }
    assert_int_equal(seen, levels_total);
    /* per field: exactly `levels` radios, values 0..levels-1 in scale order */
    for (size_t i = 0; i < s->n_questions; i++) {
        for (size_t j = 0; j < s->questions[i].n_fields; j++) {
            const struct ita_field *f = &s->questions[i].fields[j];
            char want[80];
            snprintf(want, sizeof want, " name=\"%s\" ", f->code);
            assert_int_equal(count(page, want), (size_t)fx_version->scales[f->scale].levels);
            const char *prev = page;
            for (int l = 0; l < fx_version->scales[f->scale].levels; l++) {
                snprintf(want, sizeof want, " id=\"%s-%d\" value=\"%d\"", f->code, l, l);
                const char *at = strstr(page, want);
                assert_non_null(at);
                assert_true(at > prev);
                prev = at;
            }
        }
    }
    free(page);
}

static void test_iit_form(void **state)
{
    check_form_structure(ITA_IIT, 30, 51);
}

static void test_eit_form(void **state)
{
    check_form_structure(ITA_EIT, 15, 19);
}

static void test_escaping(void **state)
{
    struct form_view fv = {
        .v = fx_version,
        .instrument = ITA_EIT,
        .agency_name_th = "<script>alert('x')</script> & \"co\"",
        .action = "/s/a\"><b>",
        .form_token = "t\"<i>",
        .answers = NULL,
        .show_errors = false,
        .notice_th = "<b>หมดเวลา</b>",
    };
    struct strbuf b;
    strbuf_init(&b);
    pages_form(&b, &fv);
    const char *page = b.data;
    assert_null(strstr(page, "<script>alert"));
    assert_null(strstr(page, "<b>"));
    assert_null(strstr(page, "<i>"));
    assert_int_equal(count(page, "<script>"), 1); /* our own, at the end */
    assert_int_equal(count(page, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                                 "&quot;co&quot;"),
                     2); /* title, header */
    assert_non_null(strstr(page, "action=\"/s/a&quot;&gt;&lt;b&gt;\""));
    assert_non_null(strstr(page, "value=\"t&quot;&lt;i&gt;\""));
    assert_non_null(strstr(page, "<p class=\"nc\" role=\"status\">&lt;b&gt;หมดเวลา&lt;/b&gt;</p>"));
    strbuf_free(&b);

    struct status_view sv = {PAGE_THANKS, "<img src=x>", 2566, NULL};
    strbuf_init(&b);
    pages_status(&b, &sv);
    assert_null(strstr(b.data, "<img"));
    assert_non_null(strstr(b.data, "&lt;img src=x&gt;"));
    strbuf_free(&b);
}

/* All answered but i2 (one field) and i3.2 (one sub-item of three). */
static void test_errors_and_kept_answers(void **state)
{
    const struct ita_survey *s = &fx_version->surveys[ITA_IIT];
    int *answers = malloc(s->n_fields * sizeof *answers);
    for (size_t i = 0; i < s->n_fields; i++) {
        const struct ita_field *f = fx_version->field_list[first_slot(ITA_IIT) + i];
        answers[i] = (int)(i % (size_t)fx_version->scales[f->scale].levels);
    }
    const struct ita_field *i2 = ita_version_find_field(fx_version, "i2.1");
    const struct ita_field *i32 = ita_version_find_field(fx_version, "i3.2");
    assert_non_null(i2);
    assert_non_null(i32);
    assert_null(ita_version_find_field(fx_version, "i2.2")); /* i2 has one field */
    answers[i2->index] = -1;
    answers[i32->index] = -1;

    char *page = render_form(ITA_IIT, "อบต. ทดสอบ", answers, true);
    assert_true(strlen(page) < PAGE_LIMIT);
    /* the summary: role=alert, the count, a link to each question with a gap, nothing else */
    assert_non_null(strstr(page, "<div id=\"es\" class=\"es\" role=\"alert\" tabindex=\"-1\">"));
    assert_non_null(strstr(page, "<h2>ยังตอบไม่ครบ 2 ข้อ</h2>"));
    assert_int_equal(count(page, "<li><a href=\"#q-"), 2);
    assert_non_null(strstr(page, "<li><a href=\"#q-i2\">ข้อ 2</a></li>"));
    assert_non_null(strstr(page, "<li><a href=\"#q-i3\">ข้อ 3</a></li>"));
    /* a message beside exactly those two questions, wired to their groups */
    assert_int_equal(count(page, "กรุณาตอบข้อนี้"), 2);
    assert_int_equal(count(page, "<p class=\"er\" id=\"er-"), 2);
    assert_non_null(strstr(page, "<p class=\"er\" id=\"er-i2\">กรุณาตอบข้อนี้</p>"));
    assert_non_null(
        strstr(page, "<p class=\"er\" id=\"er-i3\">กรุณาตอบข้อนี้ (ยังไม่ได้ตอบข้อย่อย 3.2)</p>"));
    assert_non_null(strstr(page, "<fieldset id=\"q-i2\" class=\"q x\" role=\"radiogroup\" "
                                 "aria-invalid=\"true\" aria-describedby=\"er-i2\">"));
    assert_non_null(
        strstr(page, "<fieldset id=\"q-i3\" class=\"q x\" aria-describedby=\"er-i3\">"));
    assert_int_equal(count(page, "aria-invalid=\"true\""), 2);
    char *i3 = between(page, "<fieldset id=\"q-i3\"", "<fieldset id=\"q-i4\"");
    assert_int_equal(count(i3, "<fieldset class=\"s\" role=\"radiogroup\">"), 2);
    const char *bad =
        strstr(i3, "<fieldset class=\"s x\" role=\"radiogroup\" aria-invalid=\"true\" "
                   "aria-describedby=\"er-i3\">\n<legend>3.2 ");
    assert_non_null(bad);
    free(i3);
    assert_int_equal(count(page, "class=\"q x\""), 2);
    /* every given answer kept, and only those */
    assert_int_equal(count(page, " checked>"), s->n_fields - 2);
    for (const char *p = strstr(page, " checked>"); p; p = strstr(p + 1, " checked>")) {
        const char *tag = p;
        while (strncmp(tag, "<input", 6) != 0)
            tag--;
        char name[64], value[8];
        assert_true(attr(tag, "name", name, sizeof name));
        assert_true(attr(tag, "value", value, sizeof value));
        const struct ita_field *f = ita_version_find_field(fx_version, name);
        assert_non_null(f);
        assert_int_equal(answers[f->index], atoi(value));
    }
    assert_null(strstr(page, "name=\"i2.1\" id=\"i2.1-0\" value=\"0\" required checked"));
    free(page);

    /* everything answered: errors on but nothing to show */
    answers[i2->index] = 0;
    answers[i32->index] = 3;
    page = render_form(ITA_IIT, "อบต. ทดสอบ", answers, true);
    assert_null(strstr(page, "id=\"es\""));
    assert_null(strstr(page, "กรุณาตอบข้อนี้"));
    assert_int_equal(count(page, " checked>"), s->n_fields);
    free(page);
    free(answers);

    /* the heaviest page: IIT with every question marked */
    page = render_form(ITA_IIT, "อบต. ทดสอบ", NULL, true);
    printf("IIT form page with every question marked unanswered: %zu bytes\n", strlen(page));
    assert_true(strlen(page) < PAGE_LIMIT);
    assert_int_equal(count(page, "กรุณาตอบข้อนี้"), s->n_questions);
    free(page);

    /* nothing answered (EIT): every question listed, every group invalid */
    const struct ita_survey *e = &fx_version->surveys[ITA_EIT];
    page = render_form(ITA_EIT, "อบต. ทดสอบ", NULL, true);
    assert_non_null(strstr(page, "<h2>ยังตอบไม่ครบ 15 ข้อ</h2>"));
    assert_int_equal(count(page, "<li><a href=\"#q-"), e->n_questions);
    assert_int_equal(count(page, "กรุณาตอบข้อนี้"), e->n_questions);
    assert_null(strstr(page, " checked"));
    size_t groups = 0;
    for (size_t i = 0; i < e->n_questions; i++)
        groups += e->questions[i].n_fields;
    assert_int_equal(count(page, "aria-invalid=\"true\""), groups);
    assert_true(strlen(page) < PAGE_LIMIT);
    free(page);
}

/* ---- CSP ---- */

static void sha256_b64(const char *text, char out[64])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    assert_int_equal(EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL), 1);
    assert_int_equal(n, 32);
    assert_int_equal(EVP_EncodeBlock((unsigned char *)out, md, (int)n), 44);
}

static void *csp_thread(void *arg)
{
    return (void *)page_frame_csp();
}

static void test_csp(void **state)
{
    char *page = render_form(ITA_IIT, "ทดสอบ", NULL, false);
    char *style = between(page, "<style>", "</style>");
    char *script = between(page, "<script>", "</script>");
    assert_true(strlen(style) > 100);
    assert_true(strlen(script) > 50);
    /* the administration's pages add a second stylesheet, allowed by its own hash */
    struct strbuf ab;
    strbuf_init(&ab);
    page_frame_begin(&ab, "ทดสอบ");
    page_frame_finish(&ab);
    assert_int_equal(count(ab.data, "<style>"), 2);
    char *admin_style = between(strstr(ab.data, "</style>"), "<style>", "</style>");
    assert_true(strlen(admin_style) > 100);
    char hs[64], ha[64], hj[64], want[512];
    sha256_b64(style, hs);
    sha256_b64(admin_style, ha);
    sha256_b64(script, hj);
    free(admin_style);
    strbuf_free(&ab);
    snprintf(want, sizeof want,
             "default-src 'none'; style-src 'sha256-%s' 'sha256-%s'; script-src 'sha256-%s'; "
             "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
             hs, ha, hj);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, csp_thread, NULL), 0);
    const char *csp = page_frame_csp();
    for (int i = 0; i < 4; i++) {
        void *r = NULL;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_ptr_equal(r, csp);
    }
    assert_string_equal(csp, want);
    printf("CSP: %s\n", csp);
    /* no inline style attributes or event handlers, which the hashes would not allow */
    assert_null(strstr(page, " style="));
    assert_null(strstr(page, " onclick="));
    assert_null(strstr(page, " onchange="));
    assert_int_equal(count(page, "<script"), 1);

    /* the status pages carry the same stylesheet (so the same hash) and no other inline code */
    struct strbuf b;
    strbuf_init(&b);
    struct status_view sv = {PAGE_NOT_FOUND, NULL, 0, NULL};
    pages_status(&b, &sv);
    char *st = between(b.data, "<style>", "</style>");
    assert_string_equal(st, style);
    assert_null(strstr(b.data, "<script"));
    assert_null(strstr(b.data, " style="));
    free(st);
    strbuf_free(&b);
    free(style);
    free(script);
    free(page);
}

/* ---- status pages ---- */

static void test_status_pages(void **state)
{
    static const struct {
        enum page_kind kind;
        int code;
        const char *heading;
    } cases[] = {
        {PAGE_THANKS, 200, "ขอบคุณที่ตอบแบบสำรวจ"},
        {PAGE_ALREADY_ANSWERED, 409, "ลิงก์นี้ใช้ตอบแบบสำรวจแล้ว"},
        {PAGE_NOT_OPEN, 403, "แบบสำรวจยังไม่เปิดรับคำตอบ"},
        {PAGE_CLOSED, 410, "แบบสำรวจปิดรับคำตอบแล้ว"},
        {PAGE_REVOKED, 410, "ลิงก์นี้ถูกยกเลิกแล้ว"},
        {PAGE_NOT_FOUND, 404, "ไม่พบแบบสำรวจตามลิงก์นี้"},
        {PAGE_RATE_LIMITED, 429, "มีการส่งข้อมูลถี่เกินไป"},
        {PAGE_UNAVAILABLE, 503, "ระบบขัดข้องชั่วคราว"},
        {PAGE_BAD_REQUEST, 400, "ข้อมูลที่ส่งมาไม่ถูกต้อง"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(pages_status_code(cases[i].kind), cases[i].code);
        for (int known = 0; known < 2; known++) {
            struct status_view sv = {
                .kind = cases[i].kind,
                .agency_name_th = known ? "เทศบาลนครนครปฐม" : NULL,
                .fiscal_year = known ? 2566 : 0,
                .when_th = known ? "1 ตุลาคม 2566" : NULL,
            };
            struct strbuf b;
            strbuf_init(&b);
            pages_status(&b, &sv);
            const char *page = b.data;
            assert_head(page);
            assert_self_contained(page);
            char want[256];
            snprintf(want, sizeof want, "<title>%s</title>", cases[i].heading);
            assert_non_null(strstr(page, want));
            snprintf(want, sizeof want, "<h1>%s</h1>", cases[i].heading);
            assert_non_null(strstr(page, want));
            assert_int_equal(count(page, "<h1>"), 1);
            assert_int_equal(count(page, "<p>"), known ? 4 : 3); /* agency, ITA line, 2 texts */
            assert_true(b.len < 8 * 1024);
            if (known) {
                assert_non_null(strstr(page, "<p>เทศบาลนครนครปฐม</p>"));
                assert_non_null(strstr(page, "ปีงบประมาณ พ.ศ. 2566"));
            } else {
                assert_null(strstr(page, "ปีงบประมาณ"));
            }
            bool dated = known && (cases[i].kind == PAGE_NOT_OPEN || cases[i].kind == PAGE_CLOSED);
            assert_int_equal(strstr(page, "1 ตุลาคม 2566") != NULL, dated);
            strbuf_free(&b);
        }
    }
    /* what to do next, where it matters */
    struct strbuf b;
    strbuf_init(&b);
    struct status_view nf = {PAGE_NOT_FOUND, NULL, 0, NULL};
    pages_status(&b, &nf);
    assert_non_null(strstr(b.data, "สแกนคิวอาร์โค้ดใหม่"));
    strbuf_free(&b);
    struct status_view un = {PAGE_UNAVAILABLE, NULL, 0, NULL};
    pages_status(&b, &un);
    assert_non_null(strstr(b.data, "ปุ่มย้อนกลับ"));
    strbuf_free(&b);
    struct status_view rl = {PAGE_RATE_LIMITED, NULL, 0, NULL};
    pages_status(&b, &rl);
    assert_non_null(strstr(b.data, "โปรดรอสักครู่"));
    strbuf_free(&b);
}

/* ---- strbuf ---- */

static void test_strbuf(void **state)
{
    struct strbuf b;
    strbuf_init(&b);
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    strbuf_puts(&b, "ab");
    strbuf_append(&b, "c\0d", 3);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "abc\0d", 6);
    strbuf_free(&b);
    assert_null(b.data);
    strbuf_free(&b); /* twice is fine */

    /* appending after free works again; printf longer than its probe buffer */
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    strbuf_printf(&b, "%s|%d|%s", "ก", 42, big);
    assert_int_equal(b.len, strlen("ก|42|") + 999);
    assert_int_equal(b.data[b.len], '\0');
    assert_true(b.cap > b.len);
    strbuf_printf(&b, "%zu", (size_t)7);
    assert_int_equal(b.data[b.len - 1], '7');
    char *s = strbuf_detach(&b);
    assert_int_equal(strlen(s), strlen("ก|42|") + 1000);
    free(s);
    assert_null(b.data);
    s = strbuf_detach(&b);
    assert_string_equal(s, "");
    free(s);

    strbuf_init(&b);
    strbuf_puts(&b, "");
    strbuf_html_escape(&b, "a&b<c>d\"e'fไทย");
    assert_string_equal(b.data, "a&amp;b&lt;c&gt;d&quot;e&#39;fไทย");
    strbuf_free(&b);
    strbuf_init(&b);
    strbuf_html_escape(&b, "");
    strbuf_html_escape(&b, "&&");
    assert_string_equal(b.data, "&amp;&amp;");
    strbuf_free(&b);

    /* many small appends grow the buffer and keep it terminated */
    strbuf_init(&b);
    for (int i = 0; i < 10000; i++)
        strbuf_append(&b, "0123456789", 10);
    assert_int_equal(b.len, 100000);
    assert_int_equal(strlen(b.data), 100000);
    strbuf_free(&b);
}

/* ---- preview files for a browser ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_preview(void **state)
{
    const char *dir = getenv("ITA_PAGES_PREVIEW_DIR");
    if (!dir || !*dir)
        skip();
    char *page = render_form(ITA_IIT, "เทศบาลนครนครปฐม", NULL, false);
    write_file(dir, "iit.html", page);
    free(page);
    page = render_form(ITA_EIT, "เทศบาลนครนครปฐม", NULL, false);
    write_file(dir, "eit.html", page);
    free(page);
    const struct ita_survey *s = &fx_version->surveys[ITA_IIT];
    int *answers = malloc(s->n_fields * sizeof *answers);
    for (size_t i = 0; i < s->n_fields; i++)
        answers[i] = i < 6 ? (int)(i % 2) : -1;
    answers[1] = -1;
    page = render_form(ITA_IIT, "เทศบาลนครนครปฐม", answers, true);
    write_file(dir, "iit-errors.html", page);
    free(page);
    free(answers);
    struct strbuf b;
    strbuf_init(&b);
    struct status_view sv = {PAGE_THANKS, "เทศบาลนครนครปฐม", 2566, NULL};
    pages_status(&b, &sv);
    write_file(dir, "thanks.html", b.data);
    strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_iit_form),
        cmocka_unit_test(test_eit_form),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_errors_and_kept_answers),
        cmocka_unit_test(test_csp),
        cmocka_unit_test(test_status_pages),
        cmocka_unit_test(test_preview),
    };
    return cmocka_run_group_tests(tests, fx_version_setup, fx_version_teardown);
}
