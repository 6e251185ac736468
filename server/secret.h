/* The server secret and what is derived from it: unguessable link slugs and personal tokens
 * (CSPRNG, base64url), keyed hashes of tokens and nonces (HMAC-SHA256), and signed form tokens.
 * Every server process of a deployment must read the same secret file. */
#ifndef ITA_SECRET_H
#define ITA_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SECRET_MIN_BYTES 32
#define SECRET_MAX_BYTES 1024
#define TOKEN_HASH_BYTES 32     /* HMAC-SHA256 */
#define SLUG_CHARS 22           /* 16 random bytes = 128 bits */
#define PERSONAL_TOKEN_CHARS 32 /* 24 random bytes = 192 bits */
#define API_TOKEN_CHARS 43      /* 32 random bytes */
#define FORM_TOKEN_CHARS 54     /* 40 bytes: nonce 16, issued 8, mac 16 */
#define FORM_NONCE_BYTES 16
#define SECRET_LABEL_TOKEN "token" /* HMAC label: personal_token.token_hash */

struct secret {
    unsigned char key[SECRET_MAX_BYTES]; /* raw secret */
    size_t len;                          /* bytes in key */
};

/* Reads the secret file (at least SECRET_MIN_BYTES). -1 with a message naming the file. */
int secret_load(struct secret *s, const char *path, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* n random bytes from OpenSSL's CSPRNG encoded as base64url (no padding) into out, which must
 * hold 4 * n / 3 + 2 bytes. Returns false only if the CSPRNG fails. */
bool secret_random_b64url(size_t n, char *out) __attribute__((warn_unused_result));

/* The personal token of a contact's link number `generation`: base64url of the first 24 bytes of
 * HMAC(secret, "contact-token", "<contact_id>:<generation>"), PERSONAL_TOKEN_CHARS characters +
 * NUL into out. Derived, never stored: the server can print the link again for the mail merge,
 * while the database alone cannot tell which contact holds which token. */
void secret_contact_token(const struct secret *s, long long contact_id, int generation,
                          char out[PERSONAL_TOKEN_CHARS + 1]);

/* HMAC-SHA256(secret, label || 0x00 || data) into out[32]. */
void secret_hmac(const struct secret *s, const char *label, const void *data, size_t len,
                 unsigned char out[TOKEN_HASH_BYTES]);

/* outlen bytes of key material for one purpose, HKDF-Expand style with the secret as the key:
 * block i (from 1) = HMAC(secret, label || 0x00 || info || i), concatenated. Every server reading
 * the same secret derives the same bytes, so keys made this way need no distribution (the TLS
 * session-ticket keys, net/tls.c). outlen at most 255 * 32. */
void secret_derive(const struct secret *s, const char *label, const void *info, size_t infolen,
                   unsigned char *out, size_t outlen);

/* True when text is a plausible slug / personal token (length and alphabet); cheap filter
 * before any database work. */
bool secret_is_slug(const char *text);
/* True when text is exactly len base64url characters. */
bool secret_is_b64url(const char *text, size_t len);
bool secret_is_personal_token(const char *text);

/* Form tokens bind a form to the link it was served for and to when it was served:
 * base64url(nonce[16] || issued_unix[8, big-endian] || HMAC(link_key, nonce, issued)[0:16]). */
bool form_token_make(const struct secret *s, const char *link_key, int64_t now, char *out,
                     size_t outlen) __attribute__((warn_unused_result));
enum form_token_check { FORM_TOKEN_OK, FORM_TOKEN_INVALID, FORM_TOKEN_EXPIRED };
/* Verifies token for link_key at time now (valid for max_age seconds after issue, and not from
 * the future beyond 5 minutes of clock skew). On OK, nonce_hash receives
 * HMAC(secret, "nonce", nonce): what the database keeps to recognise a repeat. */
enum form_token_check form_token_check(const struct secret *s, const char *link_key,
                                       const char *token, int64_t now, int64_t max_age,
                                       unsigned char nonce_hash[TOKEN_HASH_BYTES]);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void secret_hex(const unsigned char *bytes, size_t n, char *out);

#endif
