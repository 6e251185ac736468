/* Private to the instrument_*.c files: limits of the version file format and the exact rational
 * arithmetic that the loader, the canonical JSON writer and the replacement rule share. Not for
 * use outside core/instrument*.c. */
#ifndef ITA_INSTRUMENT_PRIV_H
#define ITA_INSTRUMENT_PRIV_H

#include "instrument.h"

#include <stdbool.h>
#include <stdint.h>

#define MAX_FILE_BYTES (16u * 1024u * 1024u) /* largest version file accepted */
#define MAX_TEXT_BYTES 8000                  /* longest single text value, bytes */
#define MAX_CODE_CHARS 32                    /* longest code or name */
#define MAX_QUESTIONS 200                    /* per survey */
#define MAX_FIELDS 20                        /* per question */
#define MAX_OIT_ITEMS 200                    /* per version */
#define MAX_COMMON_DEN 1000000               /* finest common denominator of a point map */
#define MAX_DECIMALS 6                       /* digits after the point in "33.33"-style points */
#define MAX_REASONS 20                       /* conflicts listed in a refusal message */

/* "1-5", "6-8" or "9-10": the indicators of an instrument, for messages. */
const char *ita_indicator_range(enum ita_instrument k);

int64_t ita_gcd64(int64_t a, int64_t b);
/* num/den in lowest terms. */
struct ita_rational ita_rational_make(int64_t num, int64_t den);
bool ita_rational_eq(struct ita_rational a, struct ita_rational b);
bool ita_rational_le(struct ita_rational a, struct ita_rational b);
/* "25", "33.33" or "100/3" as the file format writes it; the caller frees it. */
char *ita_rational_text(struct ita_rational r);

#endif
