/* Server TLS context: TLS 1.2 minimum, TLS 1.3 preferred, forward-secret AEAD suites only. */
#ifndef ITA_TLS_H
#define ITA_TLS_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct secret;

/* New context from PEM files, or NULL with a message in err (OpenSSL's error queue drained into
 * it). The caller owns one reference (SSL_CTX_free). */
SSL_CTX *tls_server_ctx_new(const char *cert_file, const char *key_file, char *err, size_t errlen);

/* Session resumption by ticket (TLS 1.3; TLS 1.2 only when tls12 is set), so that a client's next
 * connection (the POST after a long answer) skips the certificate and its signature. Ticket keys
 * are derived from the server secret and the number of the rotation period (unix time / rotate_s),
 * so every worker, every reload and every server reading the same secret accepts the same tickets
 * without sharing any state. A ticket is sealed under the current period's key and accepted under
 * the previous, current and next period's (next: clocks of replicas a little apart); one from the
 * previous period is answered with a fresh ticket, and so is every TLS 1.3 resumption (clients use
 * a TLS 1.3 ticket once). Tickets live rotate_s seconds, so a ticket is never older than its key's
 * window. rotate_s 0 turns resumption off. No early data (0-RTT): a replayed POST must never count
 * twice.
 *
 * A ticket on the wire: key_name[16] = period (8 bytes, big-endian) || tag (8 bytes derived with
 * the keys), then iv[16], the AES-256-CBC sealed session, HMAC-SHA256[32].
 *
 * Call once per context before its first connection; -1 with a message in err. */
int tls_ctx_use_tickets(SSL_CTX *ctx, const struct secret *s, int rotate_s, bool tls12, char *err,
                        size_t errlen) __attribute__((warn_unused_result));

/* Test hook: the clock (unix seconds) the ticket keys of ctx follow; NULL restores time(). */
void tls_tickets_set_clock(SSL_CTX *ctx, int64_t (*now)(void));

/* The AES key, HMAC key and key name of rotation period `period` (what the ticket callback uses;
 * exposed for tests and for measuring the derivation). */
struct tls_ticket_key {
    uint64_t period;
    unsigned char name[16];
    unsigned char aes[32];
    unsigned char mac[32];
};
void tls_ticket_key_derive(const SSL_CTX *ctx, uint64_t period, struct tls_ticket_key *k);
/* The same through the calling thread's cache of the last two periods (what the callback does). */
void tls_ticket_key(const SSL_CTX *ctx, uint64_t period, struct tls_ticket_key *k);

/* Drains OpenSSL's error queue into buf as "reason; reason"; returns buf. */
const char *tls_error_string(char *buf, size_t len);

#endif
