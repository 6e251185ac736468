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
