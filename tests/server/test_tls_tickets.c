/* Session tickets with keys derived from the server secret (server/net/tls.c), over in-memory
 * handshakes between an OpenSSL client and the server's own SSL_CTX: a ticket from one context
 * resumes on another with the same secret (another worker, a reloaded context, another server)
 * and not with another secret; the key window on a controlled clock (current, previous with a
 * fresh ticket, next for clock skew; older: full handshake); TLS 1.2 without tickets unless
 * allowed; no early data; resumption off. Also times the key derivation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "net/tls.h"
#include "secret.h"
#include "testlib.h"

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PERIOD 3600

static char cert[300], key[300];
static struct secret secret_a, secret_b;
static int64_t fake_now;

static int64_t clock_fake(void)
{
    return fake_now;
}

static int group_setup(void **state)
{
    const char *dir = t_tmpdir("tickets");
    t_make_cert(dir, "first");
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    secret_a.len = secret_b.len = 48;
    assert_int_equal(RAND_bytes(secret_a.key, 48), 1);
    assert_int_equal(RAND_bytes(secret_b.key, 48), 1);
    fake_now = time(NULL);
    return 0;
}

/* A server context as itad builds it, with tickets from `s` (rotate_s 0: none). */
static SSL_CTX *server_ctx(const struct secret *s, int rotate_s, bool tls12)
{
    char err[512];
    SSL_CTX *ctx = tls_server_ctx_new(cert, key, err, sizeof err);
    if (!ctx)
        fail_msg("%s", err);
    assert_int_equal(tls_ctx_use_tickets(ctx, s, rotate_s, tls12, err, sizeof err), 0);
    tls_tickets_set_clock(ctx, clock_fake);
    return ctx;
}

static SSL_SESSION *last_session; /* the newest ticket the client received */
static uint64_t client_options;   /* extra SSL_OP_* for the next handshakes */
static int tickets_received;

static int new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(last_session);
    last_session = sess; /* returning 1 keeps the reference */
    tickets_received++;
    return 1;
}

static SSL_CTX *client_ctx(int max_proto)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, new_session_cb);
    if (max_proto)
        SSL_CTX_set_max_proto_version(ctx, max_proto);
    SSL_CTX_set_options(ctx, client_options);
    return ctx;
}

struct outcome {
    bool reused;
    int tickets; /* tickets the client received on this connection */
    int group;   /* the key-exchange group, 0 when there was no (EC)DHE */
};

/* One connection over a memory BIO pair: handshake (resuming `resume` when set), one byte of
 * application data each way so that the client reads the tickets sent after the handshake. */
static struct outcome handshake(SSL_CTX *sctx, int max_proto, SSL_SESSION *resume)
{
    SSL_CTX *cctx = client_ctx(max_proto);
    SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
    BIO *bc, *bs;
    assert_int_equal(BIO_new_bio_pair(&bc, 0, &bs, 0), 1);
    SSL_set_bio(c, bc, bc);
    SSL_set_bio(s, bs, bs);
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    if (resume) {
        /* a copy: OpenSSL's client marks a TLS 1.3 session used once not resumable, and the
         * tests offer some tickets more than once */
        SSL_SESSION *copy = SSL_SESSION_dup(resume);
        assert_int_equal(SSL_set_session(c, copy), 1);
        SSL_SESSION_free(copy);
    }
    SSL_SESSION_free(last_session);
    last_session = NULL;
    tickets_received = 0;
    bool cdone = false, sdone = false;
    for (int i = 0; i < 100 && !(cdone && sdone); i++) {
        if (!cdone) {
            int rc = SSL_do_handshake(c);
            if (rc == 1)
                cdone = true;
            else if (SSL_get_error(c, rc) != SSL_ERROR_WANT_READ)
                fail_msg("client handshake failed");
        }
        if (!sdone) {
            int rc = SSL_do_handshake(s);
            if (rc == 1)
                sdone = true;
            else if (SSL_get_error(s, rc) != SSL_ERROR_WANT_READ)
                fail_msg("server handshake failed");
        }
    }
    assert_true(cdone && sdone);
    char b = 0;
    assert_int_equal(SSL_write(s, "s", 1), 1);
    assert_int_equal(SSL_read(c, &b, 1), 1);
    assert_int_equal(SSL_write(c, "c", 1), 1);
    assert_int_equal(SSL_read(s, &b, 1), 1);
    struct outcome o = {.reused = SSL_session_reused(c) == 1,
                        .tickets = tickets_received,
                        .group = SSL_get_negotiated_group(s)};
    assert_int_equal(SSL_session_reused(s), SSL_session_reused(c));
    /* a client that closes without close_notify marks its session not resumable (OpenSSL) */
    SSL_shutdown(c);
    SSL_free(c);
    SSL_free(s);
    SSL_CTX_free(cctx);
    return o;
}

/* The rotation period named in a ticket's key name (its first 8 bytes, big-endian). */
static uint64_t ticket_period(const SSL_SESSION *sess)
{
    const unsigned char *t = NULL;
    size_t len = 0;
    SSL_SESSION_get0_ticket(sess, &t, &len);
    assert_true(len > 16 + 16 + 32);
    uint64_t p = 0;
    for (int i = 0; i < 8; i++)
        p = (p << 8) | t[i];
    return p;
}

static SSL_SESSION *take_session(void)
{
    SSL_SESSION *s = last_session;
    last_session = NULL;
    assert_non_null(s);
    return s;
}

static void test_derivation(void **state)
{
    SSL_CTX *a1 = server_ctx(&secret_a, PERIOD, false), *a2 = server_ctx(&secret_a, PERIOD, false);
    SSL_CTX *b = server_ctx(&secret_b, PERIOD, false);
    struct tls_ticket_key k1, k2, k3, kb;
    memset(&k3, 0, sizeof k3);
    tls_ticket_key_derive(a1, 490000, &k1);
    tls_ticket_key_derive(a2, 490000, &k2);
    tls_ticket_key_derive(a1, 490001, &k3);
    tls_ticket_key_derive(b, 490000, &kb);
    /* two contexts with one secret: the same keys (workers, reloads, replicas) */
    assert_memory_equal(&k1, &k2, sizeof k1);
    /* the name carries the period, then a tag derived with the keys */
    static const unsigned char p490000[8] = {0, 0, 0, 0, 0, 0x07, 0x7a, 0x10};
    assert_memory_equal(k1.name, p490000, 8);
    assert_memory_not_equal(k1.aes, k3.aes, 32);
    assert_memory_not_equal(k1.mac, k3.mac, 32);
    assert_memory_not_equal(k1.name + 8, k3.name + 8, 8);
    assert_memory_not_equal(k1.aes, k1.mac, 32);
    /* another secret: other keys, another tag under the same period */
    assert_memory_not_equal(k1.aes, kb.aes, 32);
    assert_memory_not_equal(k1.name + 8, kb.name + 8, 8);
    assert_memory_equal(k1.name, kb.name, 8);
    /* what deriving a period's keys costs (the callback derives on every ticket it seals or
     * opens, with no cache and no lock) */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const int n = 20000;
    for (int i = 0; i < n; i++)
        tls_ticket_key_derive(a1, (uint64_t)i, &k3);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3);
    /* the callback's path: the thread's cache of the last two periods */
    struct tls_ticket_key c1;
    tls_ticket_key(a1, 490000, &c1);
    assert_memory_equal(&c1, &k1, sizeof c1);
    tls_ticket_key(b, 490000, &c1); /* the same period under another secret is not mixed up */
    assert_memory_equal(&c1, &kb, sizeof c1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++)
        tls_ticket_key(a1, 490000 + (uint64_t)(i & 1), &k3);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double cached =
        ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3);
    printf("ticket keys of a period: derived %.2f us, from the thread's cache %.3f us (%d each)\n",
           us / n, cached / n, n);
    SSL_CTX_free(a1);
    SSL_CTX_free(a2);
    SSL_CTX_free(b);
}

/* A ticket sealed by one context opens on another with the same secret, not with another. */
static void test_resume_across_contexts(void **state)
{
    SSL_CTX *a1 = server_ctx(&secret_a, PERIOD, false), *a2 = server_ctx(&secret_a, PERIOD, false);
    SSL_CTX *b = server_ctx(&secret_b, PERIOD, false);
    struct outcome o = handshake(a1, 0, NULL);
    assert_false(o.reused);
    assert_int_equal(o.tickets, 1); /* one ticket per handshake */
    SSL_SESSION *sess = take_session();
    assert_int_equal(SSL_SESSION_get_protocol_version(sess), TLS1_3_VERSION);
    assert_int_equal(SSL_SESSION_get_max_early_data(sess), 0);            /* no 0-RTT offered */
    assert_int_equal(SSL_SESSION_get_ticket_lifetime_hint(sess), PERIOD); /* one period */
    assert_int_equal(ticket_period(sess), (uint64_t)fake_now / PERIOD);
    o = handshake(a1, 0, sess);
    assert_true(o.reused);
    o = handshake(a2, 0, sess); /* another worker's or a reloaded context, another replica */
    assert_true(o.reused);
    assert_int_equal(o.tickets, 1); /* a resumed connection brings a fresh ticket */
    SSL_SESSION_free(take_session());
    /* a resumption still does an ECDHE exchange, even for a client that would do without: a
     * stolen ticket key (or secret) reads no recorded TLS 1.3 traffic */
    client_options = SSL_OP_ALLOW_NO_DHE_KEX;
    o = handshake(a2, 0, sess);
    client_options = 0;
    assert_true(o.reused);
    assert_int_not_equal(o.group, 0);
    o = handshake(b, 0, sess); /* another secret: a full handshake, and a ticket of its own */
    assert_false(o.reused);
    assert_int_equal(o.tickets, 1);
    SSL_SESSION_free(take_session());
    SSL_SESSION_free(sess);
    SSL_CTX_free(a1);
    SSL_CTX_free(a2);
    SSL_CTX_free(b);
}

/* The key window on a controlled clock: current and previous period resume (the previous one
 * with a fresh ticket under the current key), the next one too (a replica whose clock is ahead
 * sealed it), anything older or further ahead gets a full handshake. */
static void test_rotation_window(void **state)
{
    SSL_CTX *ctx = server_ctx(&secret_a, PERIOD, false);
    const int64_t base = (time(NULL) / PERIOD) * PERIOD + 10;
    const uint64_t p = (uint64_t)base / PERIOD;
    fake_now = base;
    assert_false(handshake(ctx, 0, NULL).reused);
    SSL_SESSION *t0 = take_session();
    assert_int_equal(ticket_period(t0), p);

    fake_now = base + PERIOD - 20; /* the same period, late */
    struct outcome o = handshake(ctx, 0, t0);
    assert_true(o.reused);
    assert_int_equal(o.tickets, 1); /* TLS 1.3: every resumption brings a fresh ticket */
    SSL_SESSION *same = take_session();
    assert_int_equal(ticket_period(same), p);
    SSL_SESSION_free(same);

    fake_now = base + PERIOD; /* the next period: still opens, and the new ticket is current */
    o = handshake(ctx, 0, t0);
    assert_true(o.reused);
    assert_int_equal(o.tickets, 1);
    SSL_SESSION *t1 = take_session();
    assert_int_equal(ticket_period(t1), p + 1);

    fake_now = base + 2 * PERIOD; /* two periods on: t0's key is gone, t1's still valid */
    assert_false(handshake(ctx, 0, t0).reused);
    SSL_SESSION_free(take_session());
    assert_true(handshake(ctx, 0, t1).reused);
    SSL_SESSION_free(take_session());

    fake_now = base - PERIOD; /* this server's clock a period behind the one that sealed t0 */
    assert_true(handshake(ctx, 0, t0).reused);
    SSL_SESSION_free(take_session());
    fake_now = base - 2 * PERIOD; /* two periods behind: too far ahead to trust */
    assert_false(handshake(ctx, 0, t0).reused);
    SSL_SESSION_free(take_session());

    fake_now = time(NULL);
    SSL_SESSION_free(t0);
    SSL_SESSION_free(t1);
    SSL_CTX_free(ctx);
}

/* TLS 1.2: no ticket (and so no resumption) unless tls_tickets_tls12 allows it. */
static void test_tls12(void **state)
{
    SSL_CTX *off = server_ctx(&secret_a, PERIOD, false), *on = server_ctx(&secret_a, PERIOD, true);
    struct outcome o = handshake(off, TLS1_2_VERSION, NULL);
    assert_false(o.reused);
    if (last_session) { /* a session without a ticket cannot resume anywhere */
        SSL_SESSION *s = take_session();
        const unsigned char *t;
        size_t len = 1;
        SSL_SESSION_get0_ticket(s, &t, &len);
        assert_int_equal(len, 0);
        assert_false(handshake(off, TLS1_2_VERSION, s).reused);
        SSL_SESSION_free(s);
        SSL_SESSION_free(last_session);
        last_session = NULL;
    }
    o = handshake(on, TLS1_2_VERSION, NULL);
    SSL_SESSION *s = take_session();
    assert_int_equal(SSL_SESSION_get_protocol_version(s), TLS1_2_VERSION);
    assert_true(handshake(on, TLS1_2_VERSION, s).reused);
    /* the same TLS 1.2 ticket on a server that does not allow them: a full handshake */
    assert_false(handshake(off, TLS1_2_VERSION, s).reused);
    SSL_SESSION_free(s);
    SSL_SESSION_free(last_session);
    last_session = NULL;
    SSL_CTX_free(off);
    SSL_CTX_free(on);
}

/* tls_ticket_rotate_s = 0: no ticket at all, every connection a full handshake. */
static void test_off(void **state)
{
    SSL_CTX *ctx = server_ctx(&secret_a, 0, false);
    struct outcome o = handshake(ctx, 0, NULL);
    assert_false(o.reused);
    assert_int_equal(o.tickets, 0);
    SSL_CTX_free(ctx);
    /* a ticket from a server with tickets on opens nowhere on this one */
    SSL_CTX *on = server_ctx(&secret_a, PERIOD, false);
    handshake(on, 0, NULL);
    SSL_SESSION *s = take_session();
    ctx = server_ctx(&secret_a, 0, false);
    assert_false(handshake(ctx, 0, s).reused);
    SSL_SESSION_free(s);
    SSL_CTX_free(ctx);
    SSL_CTX_free(on);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derivation),
        cmocka_unit_test(test_resume_across_contexts),
        cmocka_unit_test(test_rotation_window),
        cmocka_unit_test(test_tls12),
        cmocka_unit_test(test_off),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
