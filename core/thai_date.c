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
