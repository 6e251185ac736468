/* Sealed reminder-round counts (mail_sealed.h). */
#include "mail/mail_sealed.h"

#include <sodium.h>
#include <string.h>

#define SEALED_PLAIN 8

static void counts_key(const struct secret *s, unsigned char key[crypto_secretbox_KEYBYTES])
{
    _Static_assert(crypto_secretbox_KEYBYTES == TOKEN_HASH_BYTES, "key is one HMAC");
    secret_hmac(s, "reminder-counts", "", 0, key);
}

size_t mail_counts_seal(const struct secret *s, const struct mail_round_counts *c,
                        unsigned char out[MAIL_SEALED_BYTES])
{
    _Static_assert(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SEALED_PLAIN <=
                       MAIL_SEALED_BYTES,
                   "room for the sealed counts");
    unsigned char key[crypto_secretbox_KEYBYTES], plain[SEALED_PLAIN];
    counts_key(s, key);
    for (int i = 0; i < 4; i++) {
        plain[i] = (unsigned char)(c->sent >> (24 - 8 * i));
        plain[4 + i] = (unsigned char)(c->failed >> (24 - 8 * i));
    }
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, plain, sizeof plain, out, key);
    sodium_memzero(key, sizeof key);
    return crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SEALED_PLAIN;
}

bool mail_counts_open(const struct secret *s, const unsigned char *in, size_t len,
                      struct mail_round_counts *c)
{
    memset(c, 0, sizeof *c);
    if (len == 0)
        return true;
    if (len != crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SEALED_PLAIN)
        return false;
    unsigned char key[crypto_secretbox_KEYBYTES], plain[SEALED_PLAIN];
    counts_key(s, key);
    int rc = crypto_secretbox_open_easy(plain, in + crypto_secretbox_NONCEBYTES,
                                        len - crypto_secretbox_NONCEBYTES, in, key);
    sodium_memzero(key, sizeof key);
    if (rc != 0)
        return false;
    for (int i = 0; i < 4; i++) {
        c->sent = (c->sent << 8) | plain[i];
        c->failed = (c->failed << 8) | plain[4 + i];
    }
    return true;
}
