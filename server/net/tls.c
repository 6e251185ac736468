/* Building the server's SSL_CTX from configuration. Called at start-up and on SIGHUP; a failure
 * on reload keeps the previous context in service (net/worker.c hands it to the workers). */
#include "tls.h"

#include <openssl/err.h>
#include <stdio.h>
#include <string.h>

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
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
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
