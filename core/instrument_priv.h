/* Private to the instrument_*.c files: limits of the version file format and the exact rational
 * arithmetic that the loader, the canonical JSON writer and the replacement rule share. Not for
 * use outside core/instrument*.c. */
#ifndef ITA_INSTRUMENT_PRIV_H
#define ITA_INSTRUMENT_PRIV_H

#include "instrument.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
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
#define MAX_ERRORS 50                        /* validation errors listed for one file */

/* The validation errors of one version file, collected so that the person who uploads it sees
 * every mistake at once (in Thai), not only the first. Each error is one line
 * "<source>: <path>: <message>", where path is the JSON path of the offending value, e.g.
 * "instruments[0].questions[3].fields[1] (i4.2)", or "<source>: <message>" for an empty path.
 * The first MAX_ERRORS lines are kept; later errors are only counted. Zero-initialise, set
 * `source`, add with ita_errors_add(), then ita_errors_take() (or ita_errors_free()). */
struct ita_errors {
    const char *source;      /* names the file at the start of every line (borrowed) */
    char *lines[MAX_ERRORS]; /* the kept lines, in the order found */
    size_t n;                /* errors added, kept or not */
};

/* Adds one error at `path` (NULL or "" for the file as a whole); control characters in the
 * line become spaces so that it stays one line. Returns -1, so a reader can return it. */
int ita_errors_add(struct ita_errors *e, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ita_errors_vadd(struct ita_errors *e, const char *path, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* All kept lines joined by newlines, plus a last line "… และอีก N ข้อ" when N were not kept;
 * NULL when no error was added. The caller frees the result; e is left empty. */
char *ita_errors_take(struct ita_errors *e);
void ita_errors_free(struct ita_errors *e);

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
