/* Detects how an uploaded CSV was saved (UTF-8, UTF-8 with BOM, Windows-874) and hands back
 * UTF-8. Valid UTF-8 is never copied; Windows-874 goes through iconv in fixed-size steps so the
 * only allocation is the converted text itself. */
#include "text_encoding.h"

#include "enum_name.h"
#include <errno.h>
#include <iconv.h>
#include <string.h>

#define MSG_SAVE_AS_UTF8                                                                                                                                                   \
    "กรุณาเปิดไฟล์ใน Excel แล้วเลือก บันทึกเป็น (Save As) ชนิด \"CSV UTF-8 (Comma delimited) " \
    "(*.csv)\" แล้วอัปโหลดใหม่"

static const char MSG_UTF16[] = "ไฟล์นี้บันทึกเป็น Unicode (UTF-16) ซึ่งระบบไม่รองรับ " MSG_SAVE_AS_UTF8;
static const char MSG_UTF32[] = "ไฟล์นี้บันทึกเป็น UTF-32 ซึ่งระบบไม่รองรับ " MSG_SAVE_AS_UTF8;
static const char MSG_NUL[] = "ไฟล์นี้ไม่ใช่ไฟล์ข้อความ CSV (พบไบต์ศูนย์) อาจเป็นไฟล์ Excel (.xlsx) "
                              "หรือบันทึกเป็น Unicode " MSG_SAVE_AS_UTF8;
static const char MSG_UNDEFINED[] = "ไฟล์มีอักขระที่อ่านไม่ได้ทั้งแบบ UTF-8 และภาษาไทย Windows-874 "
                                    "(ไฟล์อาจเสียหรือไม่ใช่ไฟล์ CSV) " MSG_SAVE_AS_UTF8;
static const char MSG_BAD_UTF8[] =
    "ไฟล์ระบุว่าเป็น UTF-8 แต่มีอักขระที่ไม่ถูกต้อง (ไฟล์อาจเสีย) " MSG_SAVE_AS_UTF8;
static const char MSG_ICONV[] = "เซิร์ฟเวอร์ไม่สามารถแปลงรหัสภาษาไทย Windows-874 ได้ " MSG_SAVE_AS_UTF8;

const char *ita_text_encoding_name(enum ita_text_encoding e)
{
    static const char *const NAMES[] = {[ITA_ENC_UTF8] = "UTF-8",
                                        [ITA_ENC_UTF8_BOM] = "UTF-8 (BOM)",
                                        [ITA_ENC_WINDOWS_874] = "Windows-874"};
    return ITA_ENUM_NAME(NAMES, e);
}

/* Length of the well-formed UTF-8 sequence starting at s[0] (n bytes available), 0 if none. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* beyond U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

/* Offset of the first byte that does not start a well-formed sequence; len when all are fine. */
static size_t utf8_first_invalid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq_len(s + i, len - i);
        if (k == 0)
            return i;
        i += k;
    }
    return len;
}

bool ita_utf8_valid(const void *p, size_t len)
{
    return utf8_first_invalid(p, len) == len;
}

/* 1-based line number of byte `off`: one more than the line feeds before it. */
static unsigned long line_of(const char *s, size_t off)
{
    unsigned long line = 1;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n')
            line++;
    return line;
}

static int fail(struct ita_text *out, const char *msg, unsigned long line)
{
    out->data = NULL;
    out->len = 0;
    out->error = msg;
    out->error_line = line;
    return -1;
}

/* Refuses UTF-16/32 byte order marks and NUL bytes; returns 0 when neither is present. */
static int refuse_wide(const unsigned char *s, size_t len, struct ita_text *out)
{
    if (len >= 4 && ((s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0) ||
                     (s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF)))
        return fail(out, MSG_UTF32, 0);
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return fail(out, MSG_UTF16, 0);
    const unsigned char *nul = memchr(s, 0, len);
    if (nul)
        return fail(out, MSG_NUL, line_of((const char *)s, (size_t)(nul - s)));
    return 0;
}

/* Converts Windows-874 to UTF-8 into scratch (appending), in 4 KiB output steps. */
static int from_windows_874(const char *in, size_t len, struct strbuf *scratch,
                            struct ita_text *out)
{
    iconv_t cd = iconv_open("UTF-8", "WINDOWS-874");
    if (cd == (iconv_t)-1)
        return fail(out, MSG_ICONV, 0);
    size_t start = scratch->len;
    char *src = (char *)in; /* iconv's prototype is not const-correct; it does not write here */
    size_t left = len;
    int rc = 0;
    while (left > 0) {
        char buf[4096];
        char *dst = buf;
        size_t room = sizeof buf;
        size_t r = iconv(cd, &src, &left, &dst, &room);
        strbuf_append(scratch, buf, sizeof buf - room);
        if (r == (size_t)-1 && errno != E2BIG) {
            /* EILSEQ: a byte Windows-874 does not define (EINVAL cannot happen: single-byte). */
            rc = fail(out, MSG_UNDEFINED, line_of(in, (size_t)(src - in)));
            break;
        }
    }
    iconv_close(cd);
    if (rc == 0) {
        out->data = scratch->data + start;
        out->len = scratch->len - start;
        out->encoding = ITA_ENC_WINDOWS_874;
    }
    return rc;
}

int ita_text_to_utf8(const void *in, size_t len, struct strbuf *scratch, struct ita_text *out)
{
    const unsigned char *s = in;
    out->error = NULL;
    out->error_line = 0;
    out->encoding = ITA_ENC_UTF8;
    if (refuse_wide(s, len, out) != 0)
        return -1;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        size_t bad = utf8_first_invalid(s + 3, len - 3);
        if (bad != len - 3)
            return fail(out, MSG_BAD_UTF8, line_of((const char *)s + 3, bad));
        out->data = (const char *)s + 3;
        out->len = len - 3;
        out->encoding = ITA_ENC_UTF8_BOM;
        return 0;
    }
    if (ita_utf8_valid(s, len)) {
        out->data = len ? (const char *)s : "";
        out->len = len;
        return 0;
    }
    return from_windows_874(in, len, scratch, out);
}
