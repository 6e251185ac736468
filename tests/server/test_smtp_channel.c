/* The SMTP channel (server/mail/smtp_channel.c) against a real relay (tests/support/smtp_sink.py,
 * STARTTLS required, a test CA): a message sent and read back by Python's e-mail parser, EHLO with
 * the sender's domain; AUTH with a password file (none, missing file, wrong password); a refused
 * recipient (550 at RCPT TO) is MAIL_REFUSED with the relay's reply; a 4xx at RCPT TO, a stopped
 * relay, an untrusted certificate and a relay without STARTTLS are MAIL_DEFERRED with a Thai
 * reason; the same channel sends again once the relay is back, also when it restarted while the
 * channel idled; smtps://; and 500 messages over one connection, timed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "mail/mail_channel.h"
#include "mail/mail_message.h"
#include "mail_fixture.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static char dir[300];
static char ca[400], cert[400], key[400];

static void setup_certs(void)
{
    snprintf(dir, sizeof dir, "%s", t_tmpdir("smtp_channel"));
    lf_make_certs(dir);
    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    snprintf(cert, sizeof cert, "%s/srv.pem", dir);
    snprintf(key, sizeof key, "%s/srv.key", dir);
}

static void cfg_set(struct config *c, const char *k, const char *v)
{
    char err[512];
    if (config_set(c, k, v, "test", err, sizeof err) != 0)
        fail_msg("config %s: %s", k, err);
}

/* A configuration for the relay at port with scheme "smtp" or "smtps". */
static void make_cfg(struct config *c, int port, const char *cacert)
{
    config_defaults(c);
    char url[100];
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
    cfg_set(c, "smtp_url", url);
    cfg_set(c, "smtp_cacert", cacert);
    cfg_set(c, "mail_from", "ita@agency.go.th");
    cfg_set(c, "smtp_timeout_ms", "5000");
}

/* A message to `to` whose link ends in token. */
static void make_message(struct strbuf *msg, const char *to, const char *token, int n)
{
    struct mail_fields f = {
        .agency_th = "เทศบาลตำบลบ้านใหม่", .fiscal_year = 2570, .deadline_th = "31 ม.ค. 2570"};
    char link[200], mid[100];
    snprintf(link, sizeof link, "https://ita.example.go.th/t/%s", token);
    snprintf(mid, sizeof mid, "ita.%d.1@agency.go.th", n);
    f.link = link;
    struct strbuf s, b;
    strbuf_init(&s);
    strbuf_init(&b);
    mail_render(mail_default_subject(MAIL_INVITE, "EIT"), &f, &s);
    mail_render(mail_default_body(MAIL_INVITE, "EIT"), &f, &b);
    struct mail_envelope e = {.from_addr = "ita@agency.go.th",
                              .from_name = "ระบบประเมิน ITA",
                              .to = to,
                              .message_id = mid,
                              .date = time(NULL)};
    char err[256];
    if (mail_build(&e, s.data, b.data, msg, err, sizeof err) != 0)
        fail_msg("mail_build: %s", err);
    strbuf_free(&s);
    strbuf_free(&b);
}

static void send_one(const struct mail_channel_ops *ops, void *ch, const char *to,
                     const char *token, int n, struct mail_send_result *r)
{
    struct strbuf msg;
    strbuf_init(&msg);
    make_message(&msg, to, token, n);
    struct mail_outgoing m = {.to = to, .data = msg.data, .len = msg.len};
    memset(r, 0x5a, sizeof *r);
    ops->send(ch, &m, r);
    assert_non_null(memchr(r->reply, '\0', sizeof r->reply));
    strbuf_free(&msg);
}

/* A good message handed to the channel with another envelope recipient. */
static void send_to(void *ch, const char *to, struct mail_send_result *r)
{
    struct strbuf msg;
    strbuf_init(&msg);
    make_message(&msg, "x@example.org", "tokenX", 99);
    struct mail_outgoing m = {.to = to, .data = msg.data, .len = msg.len};
    memset(r, 0x5a, sizeof *r);
    smtp_channel.send(ch, &m, r);
    strbuf_free(&msg);
}

static void *open_ok(const struct config *c)
{
    char err[512] = "";
    void *ch = smtp_channel.open(c, err, sizeof err);
    if (!ch)
        fail_msg("open: %s", err);
    return ch;
}

static void test_send_refuse_defer_restart(void **state)
{
    (void)state;
    char refuse[500], defer[500];
    snprintf(refuse, sizeof refuse, "%s/refuse.txt", dir);
    snprintf(defer, sizeof defer, "%s/defer.txt", dir);
    FILE *f = fopen(refuse, "w");
    fputs("nobody@example.org\n", f);
    fclose(f);
    f = fopen(defer, "w");
    fputs("busy@example.org\n", f);
    fclose(f);
    const char *opts[] = {"--refuse", refuse, "--defer", defer, NULL};
    struct mf_relay relay;
    mf_start(&relay, dir, "main", cert, key, opts);
    struct config c;
    make_cfg(&c, relay.port, ca);
    void *ch = open_ok(&c);
    assert_string_equal(smtp_channel.name, "smtp");

    struct mail_send_result r;
    send_one(&smtp_channel, ch, "person@example.org", "tokenA1", 1, &r);
    if (r.status != MAIL_SENT)
        fail_msg("not sent: %d %s", r.code, r.reply);
    assert_int_equal(r.code, 250);
    assert_non_null(strstr(r.reply, "250 2.0.0 OK queued as 00000001"));
    assert_int_equal(mf_count(&relay), 1);
    /* EHLO names the sender's domain, not this machine */
    char ehlo[600], out[200];
    snprintf(ehlo, sizeof ehlo, "cat '%s/.ehlo'", relay.maildir);
    assert_int_equal(t_run_capture(ehlo, out, sizeof out), 0);
    assert_string_equal(out, "agency.go.th\n");

    send_one(&smtp_channel, ch, "nobody@example.org", "tokenB2", 2, &r);
    assert_int_equal(r.status, MAIL_REFUSED);
    assert_int_equal(r.code, 550);
    assert_non_null(strstr(r.reply, "550 5.1.1 <nobody@example.org>: Recipient address rejected"));
    assert_non_null(strstr(r.reply, "ไม่รับผู้รับนี้"));

    send_one(&smtp_channel, ch, "busy@example.org", "tokenC3", 3, &r);
    assert_int_equal(r.status, MAIL_DEFERRED);
    assert_int_equal(r.code, 450);
    assert_non_null(strstr(r.reply, "450 4.2.1 <busy@example.org>"));
    assert_non_null(strstr(r.reply, "ขอให้ส่งใหม่ภายหลัง"));

    /* an address that would inject a command is never handed to the relay */
    const char *unusable[] = {"x@example.org\r\nRCPT TO:<y@example.org>", "x y@example.org",
                              "no-at-sign", ""};
    for (size_t i = 0; i < sizeof unusable / sizeof unusable[0]; i++) {
        send_to(ch, unusable[i], &r);
        assert_int_equal(r.status, MAIL_REFUSED);
        assert_int_equal(r.code, 0);
        assert_non_null(strstr(r.reply, "ที่อยู่อีเมลผู้รับใช้ไม่ได้"));
    }

    send_one(&smtp_channel, ch, "second@example.org", "tokenE5", 5, &r);
    assert_int_equal(r.status, MAIL_SENT);
    assert_int_equal(mf_count(&relay), 2);

    /* the relay goes away: deferred, with the Thai reason */
    mf_stop(&relay);
    send_one(&smtp_channel, ch, "third@example.org", "tokenF6", 6, &r);
    assert_int_equal(r.status, MAIL_DEFERRED);
    assert_int_equal(r.code, 0);
    if (!strstr(r.reply, "เชื่อมต่อเซิร์ฟเวอร์อีเมลไม่ได้"))
        fail_msg("reply: %s", r.reply);

    /* it comes back on the same port: the same channel sends again */
    mf_restart(&relay);
    send_one(&smtp_channel, ch, "third@example.org", "tokenF6", 6, &r);
    if (r.status != MAIL_SENT)
        fail_msg("not sent after the restart: %d %s", r.code, r.reply);
    assert_int_equal(mf_count(&relay), 3);

    /* the relay restarts while the channel idles on its kept connection: the dead connection is
     * noticed and the message goes on a new one, not deferred */
    mf_stop(&relay);
    mf_restart(&relay);
    send_one(&smtp_channel, ch, "fourth@example.org", "tokenG7", 7, &r);
    if (r.status != MAIL_SENT)
        fail_msg("not sent over a new connection: %d %s", r.code, r.reply);
    assert_int_equal(mf_count(&relay), 4);
    smtp_channel.close(ch);

    json_t *j = mf_check(relay.maildir);
    char *dump = json_dumps(j, 0);
    assert_int_equal(json_integer_value(json_object_get(j, "messages")), 4);
    if (json_array_size(json_object_get(j, "invalid")) != 0)
        fail_msg("%s", dump);
    json_t *rc = json_object_get(j, "recipients");
    assert_int_equal(json_object_size(rc), 4);
    assert_int_equal(json_integer_value(json_object_get(rc, "person@example.org")), 1);
    assert_int_equal(json_integer_value(json_object_get(rc, "third@example.org")), 1);
    assert_null(json_object_get(rc, "nobody@example.org"));
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "links"), 0)),
                        "https://ita.example.go.th/t/tokenA1");
    assert_non_null(strstr(json_string_value(json_array_get(json_object_get(j, "subjects"), 0)),
                           "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก"));
    free(dump);
    json_decref(j);
    config_free(&c);
    mf_free(&relay);
}

static void test_auth(void **state)
{
    (void)state;
    const char *opts[] = {"--auth", "ita-sender:s3cret pass", NULL};
    struct mf_relay relay;
    mf_start(&relay, dir, "auth", cert, key, opts);
    char pwfile[500];
    snprintf(pwfile, sizeof pwfile, "%s/smtp_password", dir);
    FILE *f = fopen(pwfile, "w");
    fputs("s3cret pass\nsecond line ignored\n", f);
    fclose(f);

    struct config c;
    make_cfg(&c, relay.port, ca);
    /* no AUTH: the relay wants it */
    void *ch = open_ok(&c);
    struct mail_send_result r;
    send_one(&smtp_channel, ch, "person@example.org", "tokenAuth0", 1, &r);
    assert_int_equal(r.status, MAIL_DEFERRED);
    assert_int_equal(r.code, 530);
    assert_non_null(strstr(r.reply, "ต้องให้ยืนยันตัวตน"));
    smtp_channel.close(ch);

    cfg_set(&c, "smtp_user", "ita-sender");
    char err[512] = "";
    assert_null(smtp_channel.open(&c, err, sizeof err)); /* a user but no password file */
    assert_non_null(strstr(err, "smtp_password_file"));
    cfg_set(&c, "smtp_password_file", "/nonexistent/smtp_password");
    err[0] = '\0';
    assert_null(smtp_channel.open(&c, err, sizeof err));
    assert_non_null(strstr(err, "อ่านไฟล์รหัสผ่าน"));

    cfg_set(&c, "smtp_password_file", pwfile);
    ch = open_ok(&c);
    send_one(&smtp_channel, ch, "person@example.org", "tokenAuth1", 1, &r);
    if (r.status != MAIL_SENT)
        fail_msg("not sent with AUTH: %d %s", r.code, r.reply);
    send_one(&smtp_channel, ch, "person2@example.org", "tokenAuth2", 2, &r);
    assert_int_equal(r.status, MAIL_SENT);
    smtp_channel.close(ch);
    assert_int_equal(mf_count(&relay), 2);

    /* a wrong password: deferred (the clerk's administrator fixes the configuration) */
    f = fopen(pwfile, "w");
    fputs("wrong\n", f);
    fclose(f);
    ch = open_ok(&c);
    send_one(&smtp_channel, ch, "person@example.org", "tokenAuth3", 3, &r);
    assert_int_equal(r.status, MAIL_DEFERRED);
    assert_int_equal(r.code, 535);
    assert_non_null(strstr(r.reply, "ชื่อผู้ใช้หรือรหัสผ่าน"));
    smtp_channel.close(ch);
    assert_int_equal(mf_count(&relay), 2);
    config_free(&c);
    mf_free(&relay);
}

static void test_tls_modes(void **state)
{
    (void)state;
    /* a relay whose certificate is self-signed: nobody trusts it */
    char other[500], ocert[600], okey[600];
    snprintf(other, sizeof other, "%s/other", dir);
    mkdir(other, 0755);
    t_make_cert(other, "untrusted relay");
    snprintf(ocert, sizeof ocert, "%s/cert.pem", other);
    snprintf(okey, sizeof okey, "%s/key.pem", other);
    struct mf_relay relay;
    mf_start(&relay, dir, "untrusted", ocert, okey, NULL);
    struct config c;
    make_cfg(&c, relay.port, ca);
    void *ch = open_ok(&c);
    struct mail_send_result r;
    send_one(&smtp_channel, ch, "person@example.org", "tokenU1", 1, &r);
    assert_int_equal(r.status, MAIL_DEFERRED);
    if (!strstr(r.reply, "ใบรับรองของเซิร์ฟเวอร์อีเมลไม่ผ่านการตรวจสอบ"))
        fail_msg("reply: %s", r.reply);
    smtp_channel.close(ch);
    assert_int_equal(mf_count(&relay), 0);
    config_free(&c);
    mf_free(&relay);

    /* a relay that offers no STARTTLS: nothing goes in clear */
    const char *opts[] = {"--no-tls", NULL};
    mf_start(&relay, dir, "clear", cert, key, opts);
    make_cfg(&c, relay.port, ca);
    ch = open_ok(&c);
    send_one(&smtp_channel, ch, "person@example.org", "tokenC1", 1, &r);
    assert_int_equal(r.status, MAIL_DEFERRED);
    if (!strstr(r.reply, "ไม่รองรับการเข้ารหัส (STARTTLS)"))
        fail_msg("reply: %s", r.reply);
    smtp_channel.close(ch);
    assert_int_equal(mf_count(&relay), 0);
    config_free(&c);
    mf_free(&relay);

    /* smtps://: TLS from the first byte */
    const char *implicit[] = {"--implicit-tls", NULL};
    mf_start(&relay, dir, "smtps", cert, key, implicit);
    make_cfg(&c, relay.port, ca);
    char url[100];
    snprintf(url, sizeof url, "smtps://127.0.0.1:%d", relay.port);
    cfg_set(&c, "smtp_url", url);
    ch = open_ok(&c);
    send_one(&smtp_channel, ch, "person@example.org", "tokenS1", 1, &r);
    if (r.status != MAIL_SENT)
        fail_msg("smtps: %d %s", r.code, r.reply);
    smtp_channel.close(ch);
    assert_int_equal(mf_count(&relay), 1);
    config_free(&c);
    mf_free(&relay);

    /* configuration the channel cannot use */
    config_defaults(&c);
    char err[512] = "";
    assert_null(smtp_channel.open(&c, err, sizeof err));
    assert_non_null(strstr(err, "smtp_url"));
    config_free(&c);
}

static void test_throughput(void **state)
{
    (void)state;
    enum { N = 500 };
    struct mf_relay relay;
    mf_start(&relay, dir, "many", cert, key, NULL);
    struct config c;
    make_cfg(&c, relay.port, ca);
    void *ch = open_ok(&c);
    /* the messages are built beforehand: this measures the channel and the relay */
    struct strbuf *msgs = calloc(N, sizeof *msgs);
    char to[N][40];
    for (int i = 0; i < N; i++) {
        char token[40];
        snprintf(to[i], sizeof to[i], "p%03d@example.org", i);
        snprintf(token, sizeof token, "tok%04dXYZ", i);
        strbuf_init(&msgs[i]);
        make_message(&msgs[i], to[i], token, i + 1);
    }
    long long t0 = t_now_ms();
    for (int i = 0; i < N; i++) {
        struct mail_outgoing m = {.to = to[i], .data = msgs[i].data, .len = msgs[i].len};
        struct mail_send_result r;
        smtp_channel.send(ch, &m, &r);
        if (r.status != MAIL_SENT)
            fail_msg("message %d: %d %s", i, r.code, r.reply);
    }
    long long ms = t_now_ms() - t0;
    printf("smtp_channel: %d messages over one channel in %lld ms: %.0f messages/s\n", N, ms,
           ms > 0 ? N * 1000.0 / (double)ms : 0.0);
    smtp_channel.close(ch);
    assert_int_equal(mf_connections(&relay), 1); /* one connection kept for all of them */
    for (int i = 0; i < N; i++)
        strbuf_free(&msgs[i]);
    free(msgs);

    json_t *j = mf_check(relay.maildir);
    assert_int_equal(json_integer_value(json_object_get(j, "messages")), N);
    assert_int_equal(json_array_size(json_object_get(j, "invalid")), 0);
    assert_int_equal(json_object_size(json_object_get(j, "recipients")), N);
    assert_int_equal(json_integer_value(json_object_get(j, "links_distinct")), N);
    assert_int_equal(json_integer_value(json_object_get(j, "message_ids_repeated")), 0);
    json_decref(j);
    config_free(&c);
    mf_free(&relay);
}

int main(void)
{
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    setup_certs();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_send_refuse_defer_restart),
        cmocka_unit_test(test_auth),
        cmocka_unit_test(test_tls_modes),
        cmocka_unit_test(test_throughput),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
