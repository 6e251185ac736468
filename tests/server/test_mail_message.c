/* The e-mail message writer (server/mail/mail_message.c): the default Thai templates pass the
 * check and keep the promises (anonymous answers, a personal single-use link, the deadline, no
 * name); every error of mail_template_check; placeholders filled; unusable addresses refused; and
 * a built message read back by Python's e-mail parser (tests/support/mail_check.py): the Thai
 * subject and From name decoded exactly, the link once in both parts, lines within 78 characters,
 * the Message-ID as given, the HTML part escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mail/mail_message.h"
#include "mail_fixture.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const instruments[] = {"IIT", "EIT"};

static void test_defaults(void **state)
{
    (void)state;
    char err[512];
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 2; i++) {
            enum mail_kind kind = k ? MAIL_REMINDER : MAIL_INVITE;
            const char *s = mail_default_subject(kind, instruments[i]);
            const char *b = mail_default_body(kind, instruments[i]);
            err[0] = '\0';
            if (mail_template_check(s, b, err, sizeof err) != 0)
                fail_msg("default %d %s: %s", k, instruments[i], err);
            const char *who = i ? "ภายนอก" : "ภายใน";
            assert_non_null(strstr(s, who));
            assert_non_null(strstr(b, who));
            assert_non_null(strstr(b, "{link}"));
            assert_non_null(strstr(b, "{deadline}"));
            assert_non_null(strstr(b, "{agency}"));
            assert_non_null(strstr(b, "ไม่ระบุตัวตน"));    /* anonymous */
            assert_non_null(strstr(b, "ครั้งเดียว"));      /* single use */
            assert_non_null(strstr(b, "อย่าส่งต่อ"));      /* do not forward */
            assert_non_null(strstr(b, "ผู้ใดตอบอย่างไร")); /* who answered what: nobody sees */
            assert_null(strstr(b, "{name}"));
            assert_null(strstr(s, "{link}"));
            if (kind == MAIL_REMINDER)
                assert_non_null(strstr(b, "อีกครั้ง"));
            else
                assert_non_null(strstr(s, "ขอเชิญ"));
        }
    /* four distinct texts */
    assert_string_not_equal(mail_default_body(MAIL_INVITE, "IIT"),
                            mail_default_body(MAIL_INVITE, "EIT"));
    assert_string_not_equal(mail_default_body(MAIL_INVITE, "IIT"),
                            mail_default_body(MAIL_REMINDER, "IIT"));
}

static void expect_error(const char *subject, const char *body, const char *part)
{
    char err[512] = "";
    if (mail_template_check(subject, body, err, sizeof err) != -1)
        fail_msg("accepted: subject \"%s\" body \"%s\"", subject, body);
    if (!strstr(err, part))
        fail_msg("error \"%s\" does not say \"%s\"", err, part);
}

static void test_check_errors(void **state)
{
    (void)state;
    const char *body = "เชิญตอบที่ {link} ภายใน {deadline}";
    expect_error("\xff\xfe", body, "UTF-8");
    expect_error("ok", "เชิญ \xe0\xb8 {link}", "UTF-8"); /* a cut Thai sequence */
    expect_error("ok", "\xc0\xaf {link}", "UTF-8");     /* an overlong '/' */
    expect_error("ok", "\xed\xa0\x80 {link}", "UTF-8"); /* a surrogate */
    expect_error("เชิญตอบ {name}", body, "{name}");
    expect_error("เชิญตอบ", "เรียน {name} ตอบที่ {link}", "{name}");
    expect_error("เชิญตอบ", "เรียน {ชื่อ} ตอบที่ {link}", "{ชื่อ}");
    expect_error("เชิญตอบ", "ตอบภายใน {deadline}", "{link}");
    expect_error("เชิญตอบ", "ตอบที่ {link} หรือ {link}", "ครั้งเดียว");
    expect_error("ลิงก์ {link}", body, "หัวเรื่องต้องไม่มี {link}");
    expect_error("บรรทัดหนึ่ง\r\nBcc: x@example.org", body, "บรรทัดเดียว");
    expect_error("บรรทัดหนึ่ง\nสอง", body, "บรรทัดเดียว");
    expect_error("", body, "หัวเรื่อง");
    expect_error("  ", body, "หัวเรื่อง");

    /* lengths counted in characters, not bytes: 200 Thai characters pass, 201 do not */
    char subject[1024] = "", longer[1100];
    for (int i = 0; i < MAIL_SUBJECT_MAX; i++)
        strcat(subject, "ก");
    char err[512];
    assert_int_equal(mail_template_check(subject, body, err, sizeof err), 0);
    snprintf(longer, sizeof longer, "%sก", subject);
    expect_error(longer, body, "เกิน");
    size_t blen = 3 * (MAIL_BODY_MAX + 1) + 16;
    char *big = malloc(blen);
    char *q = big + sprintf(big, "{link}");
    for (int i = 0; i < MAIL_BODY_MAX - 6; i++)
        q += sprintf(q, "ก");
    assert_int_equal(mail_template_check("หัวเรื่อง", big, err, sizeof err), 0);
    strcat(big, "ก");
    expect_error("หัวเรื่อง", big, "เกิน");
    free(big);

    /* braces that name nothing are plain text */
    assert_int_equal(mail_template_check("ปี {year}", "a { b } {} {link} x{", err, sizeof err), 0);
}

static void test_render(void **state)
{
    (void)state;
    struct mail_fields f = {.agency_th = "เทศบาลตำบลบ้านใหม่",
                            .fiscal_year = 2570,
                            .deadline_th = "31 ม.ค. 2570",
                            .link = "https://ita.example.go.th/t/AbC-123_x"};
    struct strbuf out;
    strbuf_init(&out);
    mail_render("{agency} ปี {year} ถึง {deadline}: {link} {unknown} {x", &f, &out);
    assert_string_equal(out.data, "เทศบาลตำบลบ้านใหม่ ปี 2570 ถึง 31 ม.ค. 2570: "
                                  "https://ita.example.go.th/t/AbC-123_x {unknown} {x");
    strbuf_free(&out);
    strbuf_init(&out);
    mail_render(mail_default_body(MAIL_INVITE, "EIT"), &f, &out);
    assert_null(strchr(out.data, '{'));
    assert_non_null(strstr(out.data, "เทศบาลตำบลบ้านใหม่"));
    assert_non_null(strstr(out.data, "31 ม.ค. 2570"));
    assert_non_null(strstr(out.data, "2570"));
    assert_non_null(strstr(out.data, "https://ita.example.go.th/t/AbC-123_x"));
    strbuf_free(&out);
}

static void test_bad_addresses(void **state)
{
    (void)state;
    const char *bad[] = {"a@b\r\nBcc: c@d", "a b@c.th", "ab.c.th", "", "@c.th", "a@",
                         "<a@b.th>",        "ก@b.th",   "a@b@c"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct mail_envelope e = {.from_addr = "ita@agency.go.th",
                                  .from_name = "",
                                  .to = bad[i],
                                  .message_id = "ita.1.1@agency.go.th",
                                  .date = 0};
        struct strbuf out;
        strbuf_init(&out);
        char err[512] = "";
        if (mail_build(&e, "หัวเรื่อง", "เนื้อความ", &out, err, sizeof err) != -1)
            fail_msg("address \"%s\" accepted", bad[i]);
        assert_non_null(strstr(err, "ที่อยู่อีเมลผู้รับ"));
        e.to = "person@example.org";
        e.from_addr = bad[i];
        err[0] = '\0';
        assert_int_equal(mail_build(&e, "หัวเรื่อง", "เนื้อความ", &out, err, sizeof err), -1);
        assert_non_null(strstr(err, "ผู้ส่ง"));
        strbuf_free(&out);
    }
    struct mail_envelope e = {
        .from_addr = "ita@agency.go.th", .to = "p@example.org", .message_id = "no-at-sign"};
    struct strbuf out;
    strbuf_init(&out);
    char err[512] = "";
    assert_int_equal(mail_build(&e, "s", "b", &out, err, sizeof err), -1);
    strbuf_free(&out);
}

/* The decoded HTML part of a built message. */
static char *html_part(const char *msg)
{
    const char *p = strstr(msg, "Content-Type: text/html; charset=UTF-8\r\n");
    assert_non_null(p);
    p = strstr(p, "\r\n\r\n");
    assert_non_null(p);
    p += 4;
    const char *end = strstr(p, "--=_ita_");
    assert_non_null(end);
    size_t cap = (size_t)(end - p);
    unsigned char *bin = malloc(cap + 1);
    size_t n = 0;
    assert_int_equal(sodium_base642bin(bin, cap, p, (size_t)(end - p), "\r\n", &n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    bin[n] = '\0';
    return (char *)bin;
}

static void test_build_read_back(void **state)
{
    (void)state;
    const char *dir = t_tmpdir("mail_message");
    char maildir[600], path[700];
    snprintf(maildir, sizeof maildir, "%s/mail", dir);
    assert_int_equal(mkdir(maildir, 0755), 0);

    /* a long agency name, with characters HTML must escape, forces the subject to fold */
    struct mail_fields f = {.agency_th = "องค์การบริหารส่วนจังหวัดพระนครศรีอยุธยา <สำนักปลัด & กองคลัง>",
                            .fiscal_year = 2570,
                            .deadline_th = "31 ม.ค. 2570",
                            .link = "https://ita.example.go.th/t/Zx9-token_ABCdef0123456789"};
    struct strbuf subject, body, msg;
    strbuf_init(&subject);
    strbuf_init(&body);
    strbuf_init(&msg);
    mail_render(mail_default_subject(MAIL_INVITE, "IIT"), &f, &subject);
    mail_render(mail_default_body(MAIL_INVITE, "IIT"), &f, &body);
    struct mail_envelope e = {.from_addr = "ita@agency.go.th",
                              .from_name = "ระบบประเมิน ITA องค์การบริหารส่วนจังหวัดพระนครศรีอยุธยา",
                              .to = "person@example.org",
                              .message_id = "ita.42.7@agency.go.th",
                              .date = 1796563920}; /* 2026-12-06 13:32 UTC */
    char err[512] = "";
    if (mail_build(&e, subject.data, body.data, &msg, err, sizeof err) != 0)
        fail_msg("mail_build: %s", err);

    /* the raw message: CRLF lines within 78 characters, the headers the header promises */
    const char *p = msg.data;
    while (*p) {
        const char *nl = strstr(p, "\r\n");
        assert_non_null(nl);
        if (nl - p > 78)
            fail_msg("a line of %d characters: %.*s", (int)(nl - p), (int)(nl - p), p);
        assert_null(memchr(p, '\n', (size_t)(nl - p)));
        p = nl + 2;
    }
    assert_non_null(strstr(msg.data, "\r\nDate: Sun, 6 Dec 2026 20:32:00 +0700\r\n"));
    assert_non_null(strstr(msg.data, "\r\nSubject: =?UTF-8?B?"));
    assert_non_null(strstr(msg.data, "\r\n =?UTF-8?B?")); /* folded */
    assert_non_null(strstr(msg.data, "\r\nAuto-Submitted: auto-generated\r\n"));
    assert_null(strstr(msg.data, "List-Unsubscribe"));
    assert_null(strstr(msg.data, "ระบบ")); /* no raw 8-bit text anywhere */

    /* the HTML part: Thai, escaped, paragraphs, the link clickable */
    char *html = html_part(msg.data);
    assert_non_null(strstr(html, "<html lang=\"th\">"));
    assert_non_null(strstr(html, "&lt;สำนักปลัด &amp; กองคลัง&gt;"));
    assert_null(strstr(html, "<สำนักปลัด"));
    assert_non_null(strstr(html,
                           "<a href=\"https://ita.example.go.th/t/Zx9-token_ABCdef0123456789\">"
                           "https://ita.example.go.th/t/Zx9-token_ABCdef0123456789</a>"));
    assert_non_null(strstr(html, "<p>"));
    free(html);

    /* a link with Thai or a full stop written right after it: neither is part of the href */
    struct strbuf tight;
    strbuf_init(&tight);
    assert_int_equal(mail_build(&e, "ทดสอบ",
                                "ตอบที่ https://ita.example.go.th/t/Ab-1_zภายในวันนี้ "
                                "หรือ (https://ita.example.go.th/t/Cd2). <b>",
                                &tight, err, sizeof err),
                     0);
    html = html_part(tight.data);
    assert_non_null(strstr(html, "<a href=\"https://ita.example.go.th/t/Ab-1_z\">"
                                 "https://ita.example.go.th/t/Ab-1_z</a>ภายในวันนี้"));
    assert_non_null(strstr(html, "(<a href=\"https://ita.example.go.th/t/Cd2\">"
                                 "https://ita.example.go.th/t/Cd2</a>). &lt;b&gt;"));
    free(html);
    strbuf_free(&tight);

    snprintf(path, sizeof path, "%s/00000001.eml", maildir);
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    fprintf(out, "X-Envelope-To: %s\r\n", e.to);
    fwrite(msg.data, 1, msg.len, out);
    fclose(out);

    json_t *j = mf_check(maildir);
    char *dump = json_dumps(j, 0);
    assert_int_equal(json_integer_value(json_object_get(j, "messages")), 1);
    if (json_array_size(json_object_get(j, "invalid")) != 0)
        fail_msg("mail_check.py: %s", dump);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "subjects"), 0)),
                        subject.data);
    char from[400];
    snprintf(from, sizeof from, "%s <%s>", e.from_name, e.from_addr);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "froms"), 0)), from);
    json_t *links = json_object_get(j, "links");
    assert_int_equal(json_array_size(links), 1);
    assert_string_equal(json_string_value(json_array_get(links, 0)), f.link);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "message_ids"), 0)),
                        e.message_id);
    assert_int_equal(json_integer_value(json_object_get(j, "message_ids_repeated")), 0);
    free(dump);
    json_decref(j);

    /* the checker is not blind: a message without the HTML part's link is invalid */
    struct strbuf bad;
    strbuf_init(&bad);
    assert_int_equal(mail_build(&e, subject.data, "ไม่มีลิงก์", &bad, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/00000002.eml", maildir);
    out = fopen(path, "wb");
    fprintf(out, "X-Envelope-To: %s\r\n", e.to);
    fwrite(bad.data, 1, bad.len, out);
    fclose(out);
    j = mf_check(maildir);
    assert_int_equal(json_array_size(json_object_get(j, "invalid")), 1);
    assert_int_equal(json_integer_value(json_object_get(j, "message_ids_repeated")), 1);
    json_decref(j);
    strbuf_free(&bad);

    strbuf_free(&subject);
    strbuf_free(&body);
    strbuf_free(&msg);
}

/* Encoded words never split a UTF-8 sequence and never pass 78 columns, whatever the mix of
 * one-, two-, three- and four-byte characters; the subject decodes back byte for byte. */
static void test_subject_words(void **state)
{
    (void)state;
    const char *dir = t_tmpdir("mail_words");
    char maildir[600], path[700];
    snprintf(maildir, sizeof maildir, "%s/mail", dir);
    assert_int_equal(mkdir(maildir, 0755), 0);
    const char *subjects[] = {
        "a", "ก", "ITA ปี 2570 ดีมาก é ü 😀 ก่ข้ค๊ง๋ ๆ",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaa ก"};
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
        struct mail_envelope e = {.from_addr = "ita@agency.go.th",
                                  .from_name = "",
                                  .to = "p@example.org",
                                  .message_id = "ita.1.1@agency.go.th",
                                  .date = 0};
        struct strbuf msg;
        strbuf_init(&msg);
        char err[256];
        assert_int_equal(
            mail_build(&e, subjects[i], "ทดสอบ https://x.th/t/abc", &msg, err, sizeof err), 0);
        snprintf(path, sizeof path, "%s/%08zu.eml", maildir, i + 1);
        FILE *out = fopen(path, "wb");
        fprintf(out, "X-Envelope-To: p@example.org\r\n");
        fwrite(msg.data, 1, msg.len, out);
        fclose(out);
        strbuf_free(&msg);
        json_t *j = mf_check(maildir);
        const char *got = json_string_value(json_array_get(json_object_get(j, "subjects"), 0));
        assert_non_null(got);
        assert_string_equal(got, subjects[i]);
        json_t *inv = json_object_get(j, "invalid");
        for (size_t k = 0; k < json_array_size(inv); k++) {
            const char *why = json_string_value(json_array_get(inv, k));
            if (!strstr(why, "not Thai")) /* "a" alone has no Thai, and says so */
                fail_msg("%s", why);
        }
        json_decref(j);
        unlink(path); /* each read back alone, so that subjects[0] is this one */
    }
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),        cmocka_unit_test(test_check_errors),
        cmocka_unit_test(test_render),          cmocka_unit_test(test_bad_addresses),
        cmocka_unit_test(test_build_read_back), cmocka_unit_test(test_subject_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
