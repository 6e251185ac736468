/* The checks of what a clerk types on the OIT work pages (see oit_work.h): unit names, due
 * dates, evidence URLs, and the item states with their Thai names. Pure functions: no I/O. */
#include "oit_work.h"
#include "thai_date.h"
#include "url_norm.h"

#include <stdlib.h>
#include <string.h>

const char *const OIT_STATE_CODE[OIT_N_STATES] = {"not_started", "in_progress", "ready",
                                                  "published"};
const char *const OIT_STATE_TH[OIT_N_STATES] = {"ยังไม่เริ่ม", "กำลังจัดทำ", "พร้อมตรวจ", "เผยแพร่แล้ว"};

int oit_state_of(const char *code)
{
    for (int k = 0; code && k < OIT_N_STATES; k++)
        if (!strcmp(code, OIT_STATE_CODE[k]))
            return k;
    return -1;
}

size_t oit_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Spaces (ASCII white space and the no-break space) around s dropped, in the arena. */
static const char *trimmed(struct arena *a, const char *s)
{
    const char *b = s, *e = s + strlen(s);
    for (;;) {
        if (b < e && strchr(" \t\r\n\v\f", *b))
            b++;
        else if (e - b >= 2 && (unsigned char)b[0] == 0xC2 && (unsigned char)b[1] == 0xA0)
            b += 2;
        else
            break;
    }
    for (;;) {
        if (e > b && strchr(" \t\r\n\v\f", e[-1]))
            e--;
        else if (e - b >= 2 && (unsigned char)e[-2] == 0xC2 && (unsigned char)e[-1] == 0xA0)
            e -= 2;
        else
            break;
    }
    return arena_strndup(a, b, (size_t)(e - b));
}

const char *oit_unit_name(struct arena *a, const char *typed, const char **why_th)
{
    const char *s = trimmed(a, typed ? typed : "");
    if (!*s) {
        *why_th = "กรุณากรอกชื่อหน่วยงาน";
        return NULL;
    }
    if (oit_utf8_chars(s) > OIT_UNIT_NAME_MAX) {
        *why_th = "ชื่อหน่วยงานยาวเกินไป (ไม่เกิน 200 ตัวอักษร)";
        return NULL;
    }
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20) {
            *why_th = "ชื่อหน่วยงานต้องอยู่ในบรรทัดเดียว";
            return NULL;
        }
    return s;
}

bool oit_due_ok(const char *s)
{
    if (!s)
        return false;
    if (!*s)
        return true;
    char th[ITA_THAI_DATE_SIZE];
    if (strlen(s) != 10 || !ita_thai_date_short(s, th, sizeof th))
        return false;
    int y = atoi(s);
    return y >= 2000 && y <= 2200;
}

const char *oit_evidence_url(struct arena *a, const char *typed, const char **why_th)
{
    char *clean = NULL;
    const char *why = NULL;
    if (ita_url_normalize(typed ? typed : "", &clean, &why) != 0) {
        *why_th = why ? why : "ที่อยู่เว็บใช้ไม่ได้";
        return NULL;
    }
    const char *out = NULL;
    if (!clean || !*clean)
        *why_th = "กรุณากรอกที่อยู่เว็บ (URL) ของหลักฐาน";
    else if (strlen(clean) > ITA_URL_MAX)
        *why_th = "ที่อยู่เว็บยาวเกินไป (ไม่เกิน 2,000 ตัวอักษร)";
    else if (strncmp(clean, "http://", 7) != 0 && strncmp(clean, "https://", 8) != 0)
        *why_th = "ที่อยู่เว็บต้องขึ้นต้นด้วย http:// หรือ https://";
    else
        out = arena_strndup(a, clean, strlen(clean));
    free(clean);
    return out;
}

bool oit_late(const char *due_on, const char *today, const char *state)
{
    return due_on && *due_on && today && strcmp(due_on, today) < 0 &&
           oit_state_of(state) != OIT_PUBLISHED;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Whether s[0..n) is valid UTF-8 (no overlong forms, no surrogates) without control bytes. */
static bool utf8_clean(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80             ? 1
                   : (c & 0xE0) == 0xC0 ? 2
                   : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4
                                        : 0;
        if (k == 0 || i + k > n || c < 0x20 || c == 0x7F || c == 0xC0 || c == 0xC1 || c > 0xF4)
            return false;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
        if (k == 3 && ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0)))
            return false;
        if (k == 4 && ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90)))
            return false;
        i += k;
    }
    return true;
}

const char *oit_url_display(struct arena *a, const char *url)
{
    size_t n = strlen(url), o = 0;
    char *out = arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++) {
        int h1 = url[i] == '%' && i + 2 < n ? hexval(url[i + 1]) : -1;
        int h2 = h1 >= 0 ? hexval(url[i + 2]) : -1;
        if (h2 >= 0) {
            out[o++] = (char)(h1 * 16 + h2);
            i += 2;
        } else {
            out[o++] = url[i];
        }
    }
    out[o] = '\0';
    if (!utf8_clean((const unsigned char *)out, o) || (o && (out[0] == ' ' || out[o - 1] == ' ')))
        return url;
    return out;
}
