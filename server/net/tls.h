/* Server TLS context: TLS 1.2 minimum, TLS 1.3 preferred, forward-secret AEAD suites only. */
#ifndef ITA_TLS_H
#define ITA_TLS_H

#include <openssl/ssl.h>
#include <stddef.h>

/* New context from PEM files, or NULL with a message in err (OpenSSL's error queue drained into
 * it). The caller owns one reference (SSL_CTX_free). */
SSL_CTX *tls_server_ctx_new(const char *cert_file, const char *key_file, char *err, size_t errlen);

/* Drains OpenSSL's error queue into buf as "reason; reason"; returns buf. */
const char *tls_error_string(char *buf, size_t len);

#endif
