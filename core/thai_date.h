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

/* ---- the survey window (the year page) ---- */

/* Today's date in Thailand (UTC+7) as "YYYY-MM-DD" into out (size >= 11); ITA_TODAY overrides it
 * as for ita_fiscal_year_now. */
void ita_today_iso(char *out, size_t size);
/* "YYYY-MM-DD" (CE) as the admin forms show a date for editing: "1/11/2569" (d/m/Buddhist-Era
 * year); false (out = "") when iso is not a valid date. */
bool ita_thai_date_numeric(const char *iso, char *out, size_t size);
/* b - a in days for two "YYYY-MM-DD" dates; false when either is not a valid date. */
bool ita_days_between(const char *a, const char *b, long *days);
/* The first and last day of fiscal year fy (Buddhist Era): 1 October of fy-544 and 30 September
 * of fy-543, as "YYYY-MM-DD" into first and last (size >= 11 each). */
void ita_fiscal_year_bounds(int fy, char *first, char *last, size_t size);

enum ita_window_state {
    ITA_WINDOW_UNSET,    /* no (valid) window saved */
    ITA_WINDOW_NOT_OPEN, /* today is before the opening day */
    ITA_WINDOW_OPEN,     /* today is between the opening and the closing day, both included */
    ITA_WINDOW_CLOSED,   /* the closing day has passed */
};
struct ita_window {
    enum ita_window_state state;
    long days; /* NOT_OPEN: days until the opening day (>= 1); OPEN: days left to answer,
                * today and the closing day included (1 on the closing day); CLOSED: days since
                * the closing day (>= 1); UNSET: 0 */
};
/* The state of the window opens..closes (closing day included; "YYYY-MM-DD" or "" when unset) on
 * the day today ("YYYY-MM-DD", Thailand's date). */
struct ita_window ita_window_on(const char *opens, const char *closes, const char *today);

/* What is wrong with a window a clerk entered for fiscal year fy, seen on the day today: refused
 * (REVERSED, TOO_LONG) or allowed after an explicit confirmation (PAST, OUTSIDE_FY). */
enum {
    ITA_WINDOW_REVERSED = 1,   /* the closing day is before the opening day: refused */
    ITA_WINDOW_TOO_LONG = 2,   /* longer than 366 days: refused */
    ITA_WINDOW_PAST = 4,       /* the closing day is before today: closed the moment it is saved */
    ITA_WINDOW_OUTSIDE_FY = 8, /* not wholly inside the fiscal year */
    ITA_WINDOW_REFUSED = ITA_WINDOW_REVERSED | ITA_WINDOW_TOO_LONG,
    ITA_WINDOW_WARNINGS = ITA_WINDOW_PAST | ITA_WINDOW_OUTSIDE_FY,
};
/* The ITA_WINDOW_* flags of opens..closes (valid "YYYY-MM-DD" dates), 0 when all is well. */
unsigned ita_window_check(const char *opens, const char *closes, const char *today, int fy);

#endif
