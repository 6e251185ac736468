/* Building the server's SSL_CTX from configuration. Called at start-up and on SIGHUP; a failure
 * on reload keeps the previous context in service (net/worker.c hands it to the workers). */
#include "tls.h"
#include "secret.h"
#include "xalloc.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *tls_error_string(char *buf, size_t len)
{
    size_t o = 0;
    unsigned long e;
    buf[0] = '\0';
    while ((e = ERR_get_error()) != 0) {
        char one[256];
        ERR_error_string_n(e, one, sizeof one);
        int n = snprintf(buf + o, len - o, "%s%s", o ? "; " : "", one);
        if (n < 0 || (size_t)n >= len - o)
            break;
        o += (size_t)n;
    }
    ERR_clear_error();
    if (o == 0)
        snprintf(buf, len, "unknown TLS error");
    return buf;
}

SSL_CTX *tls_server_ctx_new(const char *cert_file, const char *key_file, char *err, size_t errlen)
{
    char detail[512];
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        snprintf(err, errlen, "cannot create TLS context: %s",
                 tls_error_string(detail, sizeof detail));
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    /* TLS 1.2 only with ECDHE key exchange and AEAD ciphers; TLS 1.3 suites are OpenSSL's defaults.
     */
    if (SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL") != 1)
        goto fail_ssl;
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                 SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    /* No session cache: resumption is by ticket only (tls_ctx_use_tickets), which every worker and
     * every server holding the secret understands; a cache would live in one process only, take a
     * lock shared by the workers and hold up to 20,000 sessions in memory for nothing. */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_max_early_data(ctx, 0);         /* no 0-RTT: early data can be replayed */
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET); /* until tls_ctx_use_tickets turns them on */
    SSL_CTX_set_num_tickets(ctx, 0);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
        snprintf(err, errlen, "tls_cert %s: cannot load certificate chain: %s", cert_file,
                 tls_error_string(detail, sizeof detail));
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
        snprintf(err, errlen, "tls_key %s: cannot load private key: %s", key_file,
                 tls_error_string(detail, sizeof detail));
        goto fail;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        snprintf(err, errlen, "tls_key %s does not match the certificate in %s", key_file,
                 cert_file);
        ERR_clear_error();
        goto fail;
    }
    return ctx;
fail_ssl:
    snprintf(err, errlen, "TLS setup failed: %s", tls_error_string(detail, sizeof detail));
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

/* ---- session tickets ---- */

struct tickets {
    struct secret prk; /* secret_derive(secret, "tls-ticket"): the only key the callback holds */
    uint64_t rotate_s;
    bool tls12;
    int64_t (*now)(void); /* test hook; NULL = time() */
};

static int tickets_index = -1;
static pthread_once_t tickets_once = PTHREAD_ONCE_INIT;

static void tickets_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
                         void *argp)
{
    (void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
    if (ptr) {
        OPENSSL_cleanse(ptr, sizeof(struct tickets));
        free(ptr);
    }
}

static void tickets_index_init(void)
{
    tickets_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, tickets_free);
}

static const struct tickets *tickets_of(const SSL_CTX *ctx)
{
    return tickets_index < 0 ? NULL : SSL_CTX_get_ex_data(ctx, tickets_index);
}

static void be64(uint64_t v, unsigned char out[8])
{
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(v >> (56 - 8 * i));
}

static void key_derive(const struct tickets *t, uint64_t period, struct tls_ticket_key *k)
{
    unsigned char p[8], m[72];
    be64(period, p);
    secret_derive(&t->prk, "period", p, sizeof p, m, sizeof m);
    k->period = period;
    memcpy(k->aes, m, 32);
    memcpy(k->mac, m + 32, 32);
    memcpy(k->name, p, 8);
    memcpy(k->name + 8, m + 64, 8);
    OPENSSL_cleanse(m, sizeof m);
}

/* Each thread keeps the keys of the last two periods it used: the current one, which seals, and
 * the previous one, which still opens. Deriving costs three HMACs (4 to 15 us here, most of it
 * OpenSSL 3 fetching the algorithm), a hit costs a comparison; thread-local, so no lock. An entry
 * remembers the ticket key it came from, so contexts with different secrets never mix. */
struct key_slot {
    bool valid;
    unsigned char prk[TOKEN_HASH_BYTES];
    struct tls_ticket_key k;
};
static _Thread_local struct key_slot key_cache[2];

static const struct tls_ticket_key *key_get(const struct tickets *t, uint64_t period)
{
    struct key_slot *e = &key_cache[period & 1];
    if (!e->valid || e->k.period != period ||
        CRYPTO_memcmp(e->prk, t->prk.key, sizeof e->prk) != 0) {
        key_derive(t, period, &e->k);
        memcpy(e->prk, t->prk.key, sizeof e->prk);
        e->valid = true;
    }
    return &e->k;
}

void tls_ticket_key_derive(const SSL_CTX *ctx, uint64_t period, struct tls_ticket_key *k)
{
    const struct tickets *t = tickets_of(ctx);
    memset(k, 0, sizeof *k);
    if (t)
        key_derive(t, period, k);
}

void tls_ticket_key(const SSL_CTX *ctx, uint64_t period, struct tls_ticket_key *k)
{
    const struct tickets *t = tickets_of(ctx);
    memset(k, 0, sizeof *k);
    if (t)
        *k = *key_get(t, period);
}

static bool set_mac_key(EVP_MAC_CTX *hctx, const unsigned char key[32])
{
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, (void *)key, 32);
    params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0);
    params[2] = OSSL_PARAM_construct_end();
    return EVP_MAC_CTX_set_params(hctx, params) == 1;
}

/* OpenSSL's ticket callback. Encrypting: the current period's key (1), or no ticket on TLS 1.2
 * unless allowed (0). Decrypting: 0 = unknown key or outside the window, full handshake; 1 =
 * resume; 2 = resume and send a fresh ticket under the current key. */
static int ticket_cb(SSL *ssl, unsigned char key_name[16], unsigned char iv[EVP_MAX_IV_LENGTH],
                     EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
    const struct tickets *t = tickets_of(SSL_get_SSL_CTX(ssl));
    if (!t)
        return 0;
    int64_t now = t->now ? t->now() : (int64_t)time(NULL);
    uint64_t cur = now > 0 ? (uint64_t)now / t->rotate_s : 0;
    if (!t->tls12 && SSL_version(ssl) < TLS1_3_VERSION)
        return 0; /* TLS 1.2: an empty ticket when sealing, a full handshake when opening */
    if (enc) {
        const struct tls_ticket_key *k = key_get(t, cur);
        if (RAND_bytes(iv, 16) != 1 ||
            EVP_EncryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, k->aes, iv) != 1 ||
            !set_mac_key(hctx, k->mac))
            return -1;
        memcpy(key_name, k->name, 16);
        return 1;
    }
    uint64_t p = 0;
    for (int i = 0; i < 8; i++)
        p = (p << 8) | key_name[i];
    if (p > cur + 1 || p + 1 < cur)
        return 0; /* outside the window: too old, or from too far ahead */
    const struct tls_ticket_key *k = key_get(t, p);
    if (CRYPTO_memcmp(key_name + 8, k->name + 8, 8) != 0)
        return 0; /* sealed under another secret */
    if (!set_mac_key(hctx, k->mac) ||
        EVP_DecryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, k->aes, iv) != 1)
        return -1;
    /* TLS 1.3 clients use a ticket once (RFC 8446 C.4: reuse would let an observer link the
     * connections), so every resumption brings a fresh one; a TLS 1.2 ticket is reused and renewed
     * only when its key is no longer the current one */
    return p < cur || SSL_version(ssl) >= TLS1_3_VERSION ? 2 : 1;
}

int tls_ctx_use_tickets(SSL_CTX *ctx, const struct secret *s, int rotate_s, bool tls12, char *err,
                        size_t errlen)
{
    if (rotate_s <= 0)
        return 0; /* tls_server_ctx_new left tickets off */
    pthread_once(&tickets_once, tickets_index_init);
    if (tickets_index < 0) {
        snprintf(err, errlen, "cannot set up TLS session tickets");
        return -1;
    }
    struct tickets *t = xcalloc(1, sizeof *t);
    t->prk.len = TOKEN_HASH_BYTES;
    secret_derive(s, "tls-ticket", "", 0, t->prk.key, t->prk.len);
    t->rotate_s = (uint64_t)rotate_s;
    t->tls12 = tls12;
    struct tickets *old = SSL_CTX_get_ex_data(ctx, tickets_index);
    if (SSL_CTX_set_ex_data(ctx, tickets_index, t) != 1) {
        tickets_free(NULL, t, NULL, 0, 0, NULL);
        snprintf(err, errlen, "cannot set up TLS session tickets");
        return -1;
    }
    tickets_free(NULL, old, NULL, 0, 0, NULL);
    SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_cb);
    SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
    /* One ticket per handshake: every resumption brings a fresh one, and each is ~250 bytes of the
     * first flight on a slow link (OpenSSL's default is two). */
    SSL_CTX_set_num_tickets(ctx, 1);
    SSL_CTX_set_timeout(ctx, rotate_s); /* ticket lifetime: never beyond its key's window */
    return 0;
}

void tls_tickets_set_clock(SSL_CTX *ctx, int64_t (*now)(void))
{
    struct tickets *t = tickets_index < 0 ? NULL : SSL_CTX_get_ex_data(ctx, tickets_index);
    if (t)
        t->now = now;
}
