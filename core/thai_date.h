/* Dates as Thai readers expect them: Buddhist Era year, Thai month names, e.g. "6 ธ.ค. 2569"
 * (short) or "6 ธันวาคม 2569" (long), from an ISO date "YYYY-MM-DD" (Common Era). */
#ifndef ITA_THAI_DATE_H
#define ITA_THAI_DATE_H

#include <stdbool.h>
#include <stddef.h>

#define ITA_THAI_DATE_SIZE 64 /* enough for either form */

/* Writes the date into out (size >= ITA_THAI_DATE_SIZE) and returns true; false (out = "") when
 * iso is not a valid calendar date. */
bool ita_thai_date_short(const char *iso, char *out, size_t size);
bool ita_thai_date_long(const char *iso, char *out, size_t size);

#endif
