/* Invitations and reminders sent by the real itad through a real SMTP relay
 * (tests/support/smtp_sink.py: STARTTLS required, AUTH, a test CA) from the real database:
 *   - 1,000 invitations of a staff list, the server killed with SIGKILL five times while sending
 *     and started again: every message valid MIME with Thai intact, one distinct working link
 *     each, every contact reached, and how many were delivered twice (the crash window) counted
 *     and printed, with the rate of messages per second;
 *   - the relay down: invitations deferred (with the relay's absence as the reason), then sent
 *     when it is back; an address the relay refuses: that one failed with the relay's 550 reply
 *     and listed for the clerk, the rest sent; the corrected address gets a new link (the old one
 *     no longer opens the form) and a new invitation;
 *   - a reminder round: reminders reach exactly the contacts whose link is unused, the round's
 *     counts are stored sealed, and what the clerk's API shows is counts only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mail_fixture.h"
#include "secret.h"
#include "strbuf.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct t_server srv;
static struct mf_relay relay;
static int port;
static char conninfo[512], dir[400], bearer[160];
static char page[1 << 22];
static const char *extra[24];
static char a_smtp[128], a_ca[600], a_pw[600], a_public[128], a_secret[600], a_refuse[500];
static struct secret secret;

static int api(const char *method, const char *path, const char *ctype, const char *body)
{
    struct t_http_req r = {.method = method,
                           .path = path,
                           .header = bearer,
                           .ctype = ctype ? ctype : "application/x-www-form-urlencoded",
                           .body = body,
                           .body_len = body ? strlen(body) : 0,
                           .timeout_ms = 60000};
    return t_http(port, &r, page, sizeof page);
}

static const char *value(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *value(const char *fmt, ...)
{
    char q[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    const char *v = t_db_value(conninfo, q);
    return v ? v : "(none)";
}

static void start_itad(void)
{
    t_server_start(&srv, port, conninfo, extra);
}

static void run_itad_cmd(const char *args, char *out, size_t outlen)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' --database-url='%s' %s 2>&1", t_env("ITA_ITAD"), conninfo,
             args);
    int rc = t_run_capture(cmd, out, outlen);
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", args, out);
    assert_int_equal(rc, 0);
}

/* Today + offset days in Thailand (YYYY-MM-DD) into out. */
static void day(int offset, char out[16])
{
    snprintf(out, 16, "%s",
             value("SELECT to_char((now() AT TIME ZONE 'Asia/Bangkok')::date + %d, 'YYYY-MM-DD')",
                   offset));
}

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_mail_e2e"));
    snprintf(dir, sizeof dir, "%s", t_tmpdir("mail"));
    lf_make_certs(dir);
    char cert[500], key[500], out[4096];
    snprintf(cert, sizeof cert, "%s/srv.pem", dir);
    snprintf(key, sizeof key, "%s/srv.key", dir);
    snprintf(a_refuse, sizeof a_refuse, "%s/refuse.txt", dir);
    FILE *f = fopen(a_refuse, "w");
    assert_non_null(f);
    fputs("nobody@example.go.th\n", f);
    fclose(f);
    char pwfile[500];
    snprintf(pwfile, sizeof pwfile, "%s/smtp-password", dir);
    f = fopen(pwfile, "w");
    assert_non_null(f);
    fputs("relay-pass\n", f);
    fclose(f);
    const char *opts[] = {"--auth", "ita:relay-pass", "--refuse", a_refuse, NULL};
    mf_start(&relay, dir, "relay", cert, key, opts);
    /* one secret for every start of itad: the links of the first run must work after a restart */
    char secret_path[500];
    snprintf(secret_path, sizeof secret_path, "%s/secret", dir);
    f = fopen(secret_path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 48; i++)
        fputc((i * 73 + 11) & 0xff, f);
    fclose(f);
    char err[256];
    assert_int_equal(secret_load(&secret, secret_path, err, sizeof err), 0);
    snprintf(a_smtp, sizeof a_smtp, "--smtp-url=smtp://127.0.0.1:%d", relay.port);
    snprintf(a_ca, sizeof a_ca, "--smtp-cacert=%s/ca.pem", dir);
    snprintf(a_pw, sizeof a_pw, "--smtp-password-file=%s", pwfile);
    snprintf(a_public, sizeof a_public, "--public-url=https://localhost:%d", port);
    snprintf(a_secret, sizeof a_secret, "--secret-file=%s", secret_path);
    const char *args[] = {"--workers=2",
                          "--link-check=false",
                          a_smtp,
                          a_ca,
                          "--smtp-user=ita",
                          a_pw,
                          "--mail-from=ita@example.go.th",
                          a_public,
                          a_secret,
                          "--mail-poll-s=1",
                          "--mail-retry-s=1",
                          "--mail-per-minute=1000000",
                          "--rollup-interval-ms=200",
                          NULL};
    memcpy(extra, args, sizeof args);
    start_itad();
    char path[600], a[800];
    snprintf(path, sizeof path, "%s/instruments/2566.json", t_env("ITA_SOURCE_DIR"));
    snprintf(a, sizeof a, "--load-instruments '%s'", path);
    run_itad_cmd(a, out, sizeof out);
    run_itad_cmd("--create-admin sys@example.go.th", out, sizeof out);
    snprintf(a, sizeof a, "%s --create-api-token sys@example.go.th", a_secret);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' --database-url='%s' %s 2>/dev/null", t_env("ITA_ITAD"),
             conninfo, a);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %.*s", (int)strcspn(out, "\n"), out);
    return 0;
}

static int teardown(void **state)
{
    int rc = t_server_stop(&srv, SIGTERM, 15000);
    mf_free(&relay);
    return rc == 0 ? 0 : -1;
}

/* An agency `code` with fiscal year 2566 open from yesterday for 30 days and an IIT list of n
 * contacts whose addresses are <prefix>NNNN@example.go.th (address i = bad replaced by bad). */
static void agency_with_list(const char *code, const char *prefix, int n, int bad,
                             const char *bad_addr)
{
    char q[512], form[512], m1[16], p30[16];
    snprintf(q, sizeof q,
             "INSERT INTO agency (code, name_th) VALUES ('%s', 'เทศบาลตำบลทดสอบอีเมล %s') "
             "RETURNING id",
             code, code);
    assert_non_null(t_db_value(conninfo, q));
    day(-1, m1);
    day(30, p30);
    snprintf(form, sizeof form,
             "code=%s&fy=2566&opens_on=%s&closes_on=%s&staff_population=%d&eit_population=100",
             code, m1, p30, n);
    assert_int_equal(api("POST", "/admin/year", NULL, form), 200);
    struct strbuf csv;
    strbuf_init(&csv);
    strbuf_puts(&csv, "ชื่อ-นามสกุล,อีเมล,วันที่เริ่มปฏิบัติงาน\n");
    for (int i = 0; i < n; i++) {
        if (i == bad)
            strbuf_printf(&csv, "บุคลากร ลำดับ %04d,%s,2010-01-01\n", i, bad_addr);
        else
            strbuf_printf(&csv, "บุคลากร ลำดับ %04d,%s%04d@example.go.th,2010-01-01\n", i, prefix, i);
    }
    char path[160];
    snprintf(path, sizeof path, "/admin/contacts/import?code=%s&fy=2566&instrument=IIT", code);
    assert_int_equal(api("POST", path, "text/csv", csv.data), 200);
    strbuf_free(&csv);
}

static long outbox(const char *code, const char *state)
{
    return atol(value("SELECT count(*) FROM mail_outbox o JOIN contact c ON c.id = o.contact_id"
                      " JOIN agency a ON a.id = c.agency_id WHERE a.code = '%s' AND o.state = '%s'",
                      code, state));
}

static bool wait_for(const char *code, const char *state, long n, int timeout_ms)
{
    long long deadline = t_now_ms() + timeout_ms;
    while (t_now_ms() < deadline) {
        if (outbox(code, state) >= n)
            return true;
        usleep(100000);
    }
    fprintf(stderr, "waited for %ld %s of %s: %ld\n", n, state, code, outbox(code, state));
    return false;
}

static void test_thousand_invitations_across_a_kill(void **state)
{
    const int N = 1000;
    agency_with_list("MAIL1", "staff", N, -1, NULL);
    int before = mf_count(&relay);
    long long t0 = t_now_ms();
    assert_int_equal(api("POST", "/admin/mail/send", NULL, "code=MAIL1&fy=2566&instrument=IIT"),
                     200);
    assert_non_null(strstr(page, "\"queued\":1000"));
    /* issued and queued together; pressing again queues nobody twice */
    assert_int_equal(api("POST", "/admin/mail/send", NULL, "code=MAIL1&fy=2566&instrument=IIT"),
                     200);
    assert_non_null(strstr(page, "\"queued\":0"));
    /* five kills, each while invitations are being sent; after each, how many the relay holds
     * that the outbox does not record as sent: those are in the crash window and will go again */
    long window = 0, first_sent = 0;
    long long t1 = 0;
    for (int k = 1; k <= 5; k++) {
        assert_true(wait_for("MAIL1", "sent", 150L * k, 120000));
        if (k == 1) {
            t1 = t_now_ms();
            first_sent = outbox("MAIL1", "sent");
        }
        assert_int_equal(t_server_stop(&srv, SIGKILL, 5000), 128 + SIGKILL);
        long delivered = mf_count(&relay) - before;
        long recorded = outbox("MAIL1", "sent");
        long w = delivered - (recorded + window);
        printf("# kill %d: the relay holds %ld, the outbox records %ld sent: %ld in the crash "
               "window\n",
               k, delivered, recorded, w);
        assert_true(w >= 0 && w <= 1); /* one message in flight at a time */
        window += w;
        start_itad();
    }
    long long t_restart = t_now_ms();
    long sent_at_restart = outbox("MAIL1", "sent");
    assert_true(wait_for("MAIL1", "sent", N, 120000));
    long long t2 = t_now_ms();
    assert_string_equal(value("SELECT count(*) FROM mail_outbox WHERE state <> 'sent'"), "0");
    json_t *c = mf_check(relay.maildir);
    long messages = (long)json_integer_value(json_object_get(c, "messages"));
    json_t *invalid = json_object_get(c, "invalid");
    if (json_array_size(invalid) > 0)
        fprintf(stderr, "first invalid: %s\n", json_string_value(json_array_get(invalid, 0)));
    assert_int_equal(json_array_size(invalid), 0);
    assert_int_equal(json_integer_value(json_object_get(c, "links_distinct")), N);
    json_t *rcpt = json_object_get(c, "recipients");
    assert_int_equal(json_object_size(rcpt), N);
    long twice = messages - N;
    long repeated_ids = (long)json_integer_value(json_object_get(c, "message_ids_repeated"));
    printf("# 1000 invitations across 5 kills: %ld messages in all, %ld delivered twice (the same "
           "Message-ID both times: %ld), %ld in the crash windows\n",
           messages, twice, repeated_ids, window);
    printf("# rate: %.0f messages/s from pressing send (links issued, 1000 queued) to the first "
           "kill, %.0f after the last restart (STARTTLS + AUTH, one kept connection)\n",
           first_sent * 1000.0 / (double)(t1 - t0 > 0 ? t1 - t0 : 1),
           (N - sent_at_restart) * 1000.0 / (double)(t2 - t_restart > 0 ? t2 - t_restart : 1));
    /* exactly the messages of the crash windows went twice, and they are recognisable */
    assert_int_equal(twice, window);
    assert_int_equal(repeated_ids, twice);
    /* the subject is Thai and names the agency; every link is a working personal link */
    const char *subject = json_string_value(json_array_get(json_object_get(c, "subjects"), 0));
    assert_non_null(subject);
    assert_non_null(strstr(subject, "เทศบาลตำบลทดสอบอีเมล MAIL1"));
    json_t *links = json_object_get(c, "links");
    for (size_t i = 0; i < json_array_size(links); i += 97) {
        const char *l = strstr(json_string_value(json_array_get(links, i)), "/t/");
        assert_non_null(l);
        struct t_http_req r = {.method = "GET", .path = l, .timeout_ms = 30000};
        assert_int_equal(t_http(port, &r, page, sizeof page), 200);
        assert_non_null(strstr(page, "เทศบาลตำบลทดสอบอีเมล MAIL1"));
    }
    json_decref(c);
    /* the outbox never holds a link: no column of it can */
    assert_string_equal(value("SELECT count(*) FROM mail_outbox WHERE last_reply LIKE '%%/t/%%'"),
                        "0");
}

static void test_relay_down_then_up_and_a_refused_address(void **state)
{
    agency_with_list("MAIL2", "down", 5, 2, "nobody@example.go.th");
    mf_stop(&relay);
    assert_int_equal(api("POST", "/admin/mail/send", NULL, "code=MAIL2&fy=2566&instrument=IIT"),
                     200);
    assert_non_null(strstr(page, "\"queued\":5"));
    assert_true(wait_for("MAIL2", "deferred", 1, 30000));
    assert_int_equal(outbox("MAIL2", "sent"), 0);
    /* the reason is the relay's absence, in Thai */
    const char *why = value("SELECT last_reply FROM mail_outbox WHERE state = 'deferred' LIMIT 1");
    printf("# deferred while the relay is down: %s\n", why);
    assert_true(strlen(why) > 0);
    mf_restart(&relay);
    assert_true(wait_for("MAIL2", "sent", 4, 60000));
    assert_true(wait_for("MAIL2", "failed", 1, 30000));
    assert_int_equal(outbox("MAIL2", "sent"), 4);
    assert_non_null(
        strstr(value("SELECT last_reply FROM mail_outbox WHERE state = 'failed'"), "550"));
    /* the clerk's page lists the refused address by name, with the relay's answer */
    assert_int_equal(api("GET", "/admin/mail?code=MAIL2&fy=2566&instrument=IIT", NULL, NULL), 200);
    assert_non_null(strstr(page, "\"sent\":4"));
    assert_non_null(strstr(page, "\"failed\":1"));
    assert_non_null(strstr(page, "nobody@example.go.th"));
    assert_null(strstr(page, "/t/"));
    /* the correction: a new address, a new link, a new invitation; the old link is gone */
    const char *id = value("SELECT c.id FROM contact c JOIN agency a ON a.id = c.agency_id"
                           " WHERE a.code = 'MAIL2' AND c.email = 'nobody@example.go.th'");
    char contact[24], old_tok[PERSONAL_TOKEN_CHARS + 1], form[512], path[64];
    snprintf(contact, sizeof contact, "%s", id);
    secret_contact_token(&secret, atoll(contact), 1, old_tok);
    snprintf(form, sizeof form,
             "contact=%s&name=%s&email=fixed0002@example.go.th&unit=&phone=&started_on=1/1/2553",
             contact, "%E0%B8%9A%E0%B8%B8%E0%B8%84%E0%B8%A5%E0%B8%B2%E0%B8%81%E0%B8%A3");
    assert_int_equal(api("POST", "/admin/contacts/edit", NULL, form), 200);
    assert_string_equal(value("SELECT link_generation FROM contact WHERE id = %s", contact), "2");
    assert_true(wait_for("MAIL2", "sent", 5, 30000));
    json_t *c = mf_check(relay.maildir);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "recipients"),
                                                        "fixed0002@example.go.th")),
                     1);
    json_decref(c);
    snprintf(path, sizeof path, "/t/%s", old_tok);
    struct t_http_req r = {.method = "GET", .path = path, .timeout_ms = 30000};
    int old = t_http(port, &r, page, sizeof page);
    assert_true(old == 403 || old == 404 || old == 410);
    char new_tok[PERSONAL_TOKEN_CHARS + 1];
    secret_contact_token(&secret, atoll(contact), 2, new_tok);
    snprintf(path, sizeof path, "/t/%s", new_tok);
    assert_int_equal(t_http(port, &r, page, sizeof page), 200);
    /* the failed list no longer names the corrected contact */
    assert_int_equal(api("GET", "/admin/mail?code=MAIL2&fy=2566&instrument=IIT", NULL, NULL), 200);
    assert_null(strstr(page, "nobody@example.go.th"));
}

/* Marks contact id's current link spent, as a submitted form does. */
static void answer(const char *id_value)
{
    char id[24], tok[PERSONAL_TOKEN_CHARS + 1], hex[2 * TOKEN_HASH_BYTES + 1];
    snprintf(id, sizeof id, "%s", id_value); /* value()'s buffer is reused below */
    unsigned char h[TOKEN_HASH_BYTES];
    int gen = atoi(value("SELECT link_generation FROM contact WHERE id = %s", id));
    secret_contact_token(&secret, atoll(id), gen, tok);
    secret_hmac(&secret, SECRET_LABEL_TOKEN, tok, strlen(tok), h);
    secret_hex(h, sizeof h, hex);
    assert_string_equal(value("UPDATE personal_token SET spent = true WHERE token_hash = "
                              "'\\x%s' AND NOT spent RETURNING 1",
                              hex),
                        "1");
}

static void test_reminders_reach_exactly_who_has_not_answered(void **state)
{
    agency_with_list("MAIL3", "rem", 10, -1, NULL);
    assert_int_equal(api("POST", "/admin/mail/send", NULL, "code=MAIL3&fy=2566&instrument=IIT"),
                     200);
    assert_true(wait_for("MAIL3", "sent", 10, 60000));
    /* four answer (every third contact and the last) */
    static const int answered[] = {0, 3, 6, 9};
    for (size_t i = 0; i < sizeof answered / sizeof answered[0]; i++) {
        char q[64];
        snprintf(q, sizeof q, "rem%04d@example.go.th", answered[i]);
        answer(value("SELECT id FROM contact WHERE email = '%s'", q));
    }
    json_t *before = mf_check(relay.maildir);
    json_t *rb = json_deep_copy(json_object_get(before, "recipients"));
    json_decref(before);
    /* a reminder day outside the window is refused; today is taken */
    char today[16], far[16], form[256];
    day(0, today);
    day(90, far);
    snprintf(form, sizeof form, "code=MAIL3&fy=2566&instrument=IIT&r1=%s&r2=&r3=", far);
    assert_int_equal(api("POST", "/admin/mail/reminders", NULL, form), 422);
    snprintf(form, sizeof form, "code=MAIL3&fy=2566&instrument=IIT&r1=%s&r2=&r3=", today);
    assert_int_equal(api("POST", "/admin/mail/reminders", NULL, form), 200);
    long long deadline = t_now_ms() + 60000;
    while (t_now_ms() < deadline &&
           strcmp(value("SELECT state FROM reminder_round r JOIN agency a ON a.id = r.agency_id"
                        " WHERE a.code = 'MAIL3'"),
                  "done") != 0)
        usleep(100000);
    assert_string_equal(value("SELECT state FROM reminder_round r JOIN agency a ON a.id = "
                              "r.agency_id WHERE a.code = 'MAIL3'"),
                        "done");
    json_t *after = mf_check(relay.maildir);
    json_t *ra = json_object_get(after, "recipients");
    assert_int_equal(json_array_size(json_object_get(after, "invalid")), 0);
    int reminded = 0;
    for (int i = 0; i < 10; i++) {
        char addr[64];
        snprintf(addr, sizeof addr, "rem%04d@example.go.th", i);
        long d = (long)json_integer_value(json_object_get(ra, addr)) -
                 (long)json_integer_value(json_object_get(rb, addr));
        bool has_answered = i % 3 == 0;
        assert_int_equal(d, has_answered ? 0 : 1);
        reminded += (int)d;
    }
    assert_int_equal(reminded, 6);
    json_decref(after);
    json_decref(rb);
    /* the round's counts are sealed in the database and opened for the clerk as totals only */
    assert_string_equal(value("SELECT length(sealed_counts) FROM reminder_round r JOIN agency a"
                              " ON a.id = r.agency_id WHERE a.code = 'MAIL3'"),
                        "48");
    assert_int_equal(api("GET", "/admin/mail?code=MAIL3&fy=2566&instrument=IIT", NULL, NULL), 200);
    assert_non_null(strstr(page, "\"sent\":6"));
    assert_non_null(strstr(page, "\"answered\":4"));
    for (int i = 0; i < 10; i++) {
        char addr[64];
        snprintf(addr, sizeof addr, "rem%04d", i);
        assert_null(strstr(page, addr)); /* no person named: nothing failed */
    }
    assert_null(strstr(page, "/t/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thousand_invitations_across_a_kill),
        cmocka_unit_test(test_relay_down_then_up_and_a_refused_address),
        cmocka_unit_test(test_reminders_reach_exactly_who_has_not_answered),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
