/* Dates as Thai readers expect them: Buddhist Era year, Thai month names, e.g. "6 ธ.ค. 2569"
 * (short) or "6 ธันวาคม 2569" (long), from an ISO date "YYYY-MM-DD" (Common Era). */
#ifndef ITA_THAI_DATE_H
#define ITA_THAI_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define ITA_THAI_DATE_SIZE 64 /* enough for either form */

/* Writes the date into out (size >= ITA_THAI_DATE_SIZE) and returns true; false (out = "") when
 * iso is not a valid calendar date. */
bool ita_thai_date_short(const char *iso, char *out, size_t size);
bool ita_thai_date_long(const char *iso, char *out, size_t size);
/* A moment as Thai pages show it: "YYYY-MM-DD HH:MM" (already in Thailand's time, as
 * to_char(t AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI') gives it) becomes
 * "6 ธ.ค. 2569 13:32 น."; a plain "YYYY-MM-DD" becomes the short date. False (out = "") for
 * anything else. */
bool ita_thai_datetime_short(const char *iso, char *out, size_t size);

/* The Thai fiscal year (Buddhist Era) that instant t falls in, in Thailand's time (UTC+7, no
 * daylight saving): fiscal year Y runs from 1 October of Y-544 to 30 September of Y-543 (CE), so
 * 6 Dec 2026 is in 2570. */
int ita_fiscal_year_of(time_t t);
/* ita_fiscal_year_of(now); the environment variable ITA_TODAY=YYYY-MM-DD overrides "now" for
 * demonstrations and tests (a malformed value is ignored). */
int ita_fiscal_year_now(void);

#endif
