/* Thai date forms (thai_date.h). */
#include "thai_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const months_short[12] = {
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
};
static const char *const months_long[12] = {
    "มกราคม",  "กุมภาพันธ์", "มีนาคม",  "เมษายน", "พฤษภาคม",  "มิถุนายน",
    "กรกฎาคม", "สิงหาคม",  "กันยายน", "ตุลาคม",  "พฤศจิกายน", "ธันวาคม",
};

static bool parse(const char *iso, int *y, int *m, int *d)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    char tail;
    if (!iso || sscanf(iso, "%4d-%2d-%2d%c", y, m, d, &tail) != 3 || *y < 1 || *m < 1 || *m > 12 ||
        *d < 1 || *d > days[*m - 1])
        return false;
    bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
    return !(*m == 2 && *d == 29 && !leap);
}

static bool format(const char *iso, char *out, size_t size, const char *const *months)
{
    int y, m, d;
    if (!parse(iso, &y, &m, &d)) {
        if (size)
            out[0] = '\0';
        return false;
    }
    snprintf(out, size, "%d %s %d", d, months[m - 1], y + 543);
    return true;
}

bool ita_thai_date_short(const char *iso, char *out, size_t size)
{
    return format(iso, out, size, months_short);
}

bool ita_thai_date_long(const char *iso, char *out, size_t size)
{
    return format(iso, out, size, months_long);
}

bool ita_thai_datetime_short(const char *iso, char *out, size_t size)
{
    char date[11];
    int hh, mm;
    char tail;
    if (iso && strlen(iso) == 10)
        return ita_thai_date_short(iso, out, size);
    if (!iso || strlen(iso) != 16 || iso[10] != ' ' ||
        sscanf(iso + 11, "%2d:%2d%c", &hh, &mm, &tail) != 2 || iso[13] != ':' || hh < 0 ||
        hh > 23 || mm < 0 || mm > 59) {
        if (size)
            out[0] = '\0';
        return false;
    }
    memcpy(date, iso, 10);
    date[10] = '\0';
    char d[ITA_THAI_DATE_SIZE];
    if (!ita_thai_date_short(date, d, sizeof d)) {
        if (size)
            out[0] = '\0';
        return false;
    }
    snprintf(out, size, "%s %02d:%02d น.", d, hh, mm);
    return true;
}

static int fiscal_year_of_date(int y, int m)
{
    return y + 543 + (m >= 10 ? 1 : 0);
}

int ita_fiscal_year_of(time_t t)
{
    time_t local = t + 7 * 3600; /* Thailand: UTC+7 all year */
    struct tm tm;
    if (!gmtime_r(&local, &tm))
        return 0;
    return fiscal_year_of_date(tm.tm_year + 1900, tm.tm_mon + 1);
}

int ita_fiscal_year_now(void)
{
    const char *today = getenv("ITA_TODAY");
    int y, m, d;
    if (today && parse(today, &y, &m, &d))
        return fiscal_year_of_date(y, m);
    return ita_fiscal_year_of(time(NULL));
}

/* ---- the survey window ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static long day_number(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool iso_day(const char *iso, long *n)
{
    int y, m, d;
    if (!parse(iso, &y, &m, &d))
        return false;
    *n = day_number(y, m, d);
    return true;
}

void ita_today_iso(char *out, size_t size)
{
    const char *today = getenv("ITA_TODAY");
    int y, m, d;
    if (today && parse(today, &y, &m, &d)) {
        snprintf(out, size, "%04d-%02d-%02d", y, m, d);
        return;
    }
    time_t local = time(NULL) + 7 * 3600; /* Thailand: UTC+7 all year */
    struct tm tm;
    if (!gmtime_r(&local, &tm)) {
        if (size)
            out[0] = '\0';
        return;
    }
    snprintf(out, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

bool ita_thai_date_numeric(const char *iso, char *out, size_t size)
{
    int y, m, d;
    if (!parse(iso, &y, &m, &d)) {
        if (size)
            out[0] = '\0';
        return false;
    }
    snprintf(out, size, "%d/%d/%d", d, m, y + 543);
    return true;
}

bool ita_days_between(const char *a, const char *b, long *days)
{
    long x, y;
    if (!iso_day(a, &x) || !iso_day(b, &y))
        return false;
    *days = y - x;
    return true;
}

void ita_fiscal_year_bounds(int fy, char *first, char *last, size_t size)
{
    unsigned y = fy > 544 && fy < 9000 ? (unsigned)(fy - 544) : 0; /* 4 digits at most */
    snprintf(first, size, "%04u-10-01", y % 10000);
    snprintf(last, size, "%04u-09-30", (y + 1) % 10000);
}

struct ita_window ita_window_on(const char *opens, const char *closes, const char *today)
{
    struct ita_window w = {ITA_WINDOW_UNSET, 0};
    long o, c, t;
    if (!iso_day(opens, &o) || !iso_day(closes, &c) || !iso_day(today, &t) || c < o)
        return w;
    if (t < o)
        w = (struct ita_window){ITA_WINDOW_NOT_OPEN, o - t};
    else if (t <= c)
        w = (struct ita_window){ITA_WINDOW_OPEN, c - t + 1};
    else
        w = (struct ita_window){ITA_WINDOW_CLOSED, t - c};
    return w;
}

unsigned ita_window_check(const char *opens, const char *closes, const char *today, int fy)
{
    long o, c, t, first, last;
    char f[16], l[16];
    ita_fiscal_year_bounds(fy, f, l, sizeof f);
    if (!iso_day(opens, &o) || !iso_day(closes, &c))
        return ITA_WINDOW_REVERSED;
    unsigned flags = 0;
    if (c < o)
        flags |= ITA_WINDOW_REVERSED;
    else if (c - o > 366)
        flags |= ITA_WINDOW_TOO_LONG;
    if (iso_day(today, &t) && c < t)
        flags |= ITA_WINDOW_PAST;
    if (iso_day(f, &first) && iso_day(l, &last) && (o < first || c > last))
        flags |= ITA_WINDOW_OUTSIDE_FY;
    return flags;
}
