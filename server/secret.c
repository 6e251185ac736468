/* Secret handling and keyed hashes (see secret.h). Comparisons of MACs are constant-time. */
#include "secret.h"
#include "xalloc.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int secret_load(struct secret *s, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "secret_file %s: %s", path, strerror(errno));
        return -1;
    }
    s->len = fread(s->key, 1, sizeof s->key, f);
    bool more = fgetc(f) != EOF;
    fclose(f);
    if (s->len < SECRET_MIN_BYTES || more) {
        snprintf(err, errlen,
                 "secret_file %s must hold %d to %d bytes (it holds %s%zu); create one with: "
                 "head -c 48 /dev/urandom | base64 > FILE",
                 path, SECRET_MIN_BYTES, SECRET_MAX_BYTES, more ? "more than " : "", s->len);
        return -1;
    }
    return 0;
}

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void encode(const unsigned char *in, size_t n, char *out)
{
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out[o++] = b64url[(acc >> bits) & 63];
        }
    }
    if (bits > 0)
        out[o++] = b64url[(acc << (6 - bits)) & 63];
    out[o] = '\0';
}

static int decode_char(char c)
{
    const char *p = c ? strchr(b64url, c) : NULL;
    return p ? (int)(p - b64url) : -1;
}

/* Decodes exactly `n` bytes from text (which must have exactly the matching length). */
static bool decode(const char *text, unsigned char *out, size_t n)
{
    size_t want_chars = (n * 8 + 5) / 6;
    if (strlen(text) != want_chars)
        return false;
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < want_chars; i++) {
        int v = decode_char(text[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o < n)
                out[o++] = (unsigned char)(acc >> bits);
        }
    }
    /* canonical encoding only: the unused low bits of the last character must be zero */
    return o == n && (acc & ((1u << bits) - 1)) == 0;
}

bool secret_random_b64url(size_t n, char *out)
{
    unsigned char buf[64];
    if (n > sizeof buf || RAND_bytes(buf, (int)n) != 1)
        return false;
    encode(buf, n, out);
    OPENSSL_cleanse(buf, sizeof buf);
    return true;
}

void secret_hmac(const struct secret *s, const char *label, const void *data, size_t len,
                 unsigned char out[TOKEN_HASH_BYTES])
{
    unsigned char msg[512];
    size_t ll = strlen(label);
    unsigned int outlen = 0;
    if (ll + 1 + len <= sizeof msg) {
        memcpy(msg, label, ll);
        msg[ll] = 0;
        memcpy(msg + ll + 1, data, len);
        HMAC(EVP_sha256(), s->key, (int)s->len, msg, ll + 1 + len, out, &outlen);
        return;
    }
    unsigned char *big = xmalloc(ll + 1 + len); /* long input: one-shot HMAC over a copy */
    memcpy(big, label, ll);
    big[ll] = 0;
    memcpy(big + ll + 1, data, len);
    HMAC(EVP_sha256(), s->key, (int)s->len, big, ll + 1 + len, out, &outlen);
    free(big);
}

void secret_derive(const struct secret *s, const char *label, const void *info, size_t infolen,
                   unsigned char *out, size_t outlen)
{
    unsigned char *msg = xmalloc(infolen + 1);
    if (infolen)
        memcpy(msg, info, infolen);
    for (size_t done = 0, i = 1; done < outlen && i <= 255; i++) {
        unsigned char block[TOKEN_HASH_BYTES];
        msg[infolen] = (unsigned char)i;
        secret_hmac(s, label, msg, infolen + 1, block);
        size_t n = outlen - done < sizeof block ? outlen - done : sizeof block;
        memcpy(out + done, block, n);
        done += n;
        OPENSSL_cleanse(block, sizeof block);
    }
    free(msg);
}

static bool all_b64url(const char *t, size_t n)
{
    if (strlen(t) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (decode_char(t[i]) < 0)
            return false;
    return true;
}

void secret_contact_token(const struct secret *s, long long contact_id, int generation,
                          char out[PERSONAL_TOKEN_CHARS + 1])
{
    char id[48];
    int n = snprintf(id, sizeof id, "%lld:%d", contact_id, generation);
    unsigned char mac[TOKEN_HASH_BYTES];
    secret_hmac(s, "contact-token", id, (size_t)n, mac);
    encode(mac, 24, out); /* 24 bytes -> 32 characters */
    out[PERSONAL_TOKEN_CHARS] = '\0';
}

bool secret_is_b64url(const char *text, size_t len)
{
    return all_b64url(text, len);
}

bool secret_is_slug(const char *text)
{
    return all_b64url(text, SLUG_CHARS);
}

bool secret_is_personal_token(const char *text)
{
    return all_b64url(text, PERSONAL_TOKEN_CHARS);
}

static void form_mac(const struct secret *s, const char *link_key,
                     const unsigned char *nonce_issued, unsigned char mac[TOKEN_HASH_BYTES])
{
    unsigned char msg[24 + 256];
    size_t kl = strnlen(link_key, 255);
    memcpy(msg, nonce_issued, 24);
    memcpy(msg + 24, link_key, kl);
    secret_hmac(s, "form", msg, 24 + kl, mac);
}

bool form_token_make(const struct secret *s, const char *link_key, int64_t now, char *out,
                     size_t outlen)
{
    if (outlen < FORM_TOKEN_CHARS + 1)
        return false;
    unsigned char raw[40];
    if (RAND_bytes(raw, FORM_NONCE_BYTES) != 1)
        return false;
    for (int i = 0; i < 8; i++)
        raw[16 + i] = (unsigned char)((uint64_t)now >> (56 - 8 * i));
    unsigned char mac[TOKEN_HASH_BYTES];
    form_mac(s, link_key, raw, mac);
    memcpy(raw + 24, mac, 16);
    encode(raw, sizeof raw, out);
    return true;
}

enum form_token_check form_token_check(const struct secret *s, const char *link_key,
                                       const char *token, int64_t now, int64_t max_age,
                                       unsigned char nonce_hash[TOKEN_HASH_BYTES])
{
    unsigned char raw[40];
    if (!token || !decode(token, raw, sizeof raw))
        return FORM_TOKEN_INVALID;
    unsigned char mac[TOKEN_HASH_BYTES];
    form_mac(s, link_key, raw, mac);
    if (CRYPTO_memcmp(mac, raw + 24, 16) != 0)
        return FORM_TOKEN_INVALID;
    uint64_t issued = 0;
    for (int i = 0; i < 8; i++)
        issued = (issued << 8) | raw[16 + i];
    if ((int64_t)issued > now + 300 || now - (int64_t)issued > max_age)
        return FORM_TOKEN_EXPIRED;
    secret_hmac(s, "nonce", raw, FORM_NONCE_BYTES, nonce_hash);
    return FORM_TOKEN_OK;
}

void secret_hex(const unsigned char *bytes, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}
