/* The counts of a reminder round (how many reminders went out, how many the relay refused) are
 * stored sealed (libsodium crypto_secretbox, key derived from the server secret), so that the
 * stored row, and the WAL that records each change of it, cannot be read to learn at which
 * contact a reminder went out — that is, who had not answered. Only the server opens them, to
 * show the clerk the round's totals. */
#ifndef ITA_MAIL_SEALED_H
#define ITA_MAIL_SEALED_H

#include "secret.h"

#include <stdbool.h>
#include <stddef.h>

#define MAIL_SEALED_BYTES 64 /* nonce 24 + MAC 16 + counts 8, with room */

struct mail_round_counts {
    unsigned sent, failed;
};

/* Seals c into out (a fresh nonce each time, so two seals of the same counts differ); returns
 * the length written. */
size_t mail_counts_seal(const struct secret *s, const struct mail_round_counts *c,
                        unsigned char out[MAIL_SEALED_BYTES]);
/* Opens what mail_counts_seal wrote; false (c zeroed) when it was not sealed with this secret.
 * len 0 (no counts stored yet) gives zeros and true. */
bool mail_counts_open(const struct secret *s, const unsigned char *in, size_t len,
                      struct mail_round_counts *c);

#endif
