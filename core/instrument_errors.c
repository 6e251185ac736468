/* The validation errors of a version file (struct ita_errors, instrument_priv.h) and the Thai
 * wording of Jansson's JSON syntax errors. */
#include "instrument_load.h"

#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

int ita_errors_vadd(struct ita_errors *e, const char *path, const char *fmt, va_list ap)
{
    size_t at = e->n++;
    if (at >= MAX_ERRORS)
        return -1;
    struct strbuf b;
    strbuf_init(&b);
    if (path && *path)
        strbuf_printf(&b, "%s: %s: ", e->source, path);
    else
        strbuf_printf(&b, "%s: ", e->source);
    strbuf_vprintf(&b, fmt, ap);
    for (size_t i = 0; i < b.len; i++)
        if ((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7f)
            b.data[i] = ' ';
    e->lines[at] = strbuf_detach(&b);
    return -1;
}

int ita_errors_add(struct ita_errors *e, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ita_errors_vadd(e, path, fmt, ap);
    va_end(ap);
    return -1;
}

char *ita_errors_take(struct ita_errors *e)
{
    if (e->n == 0)
        return NULL;
    struct strbuf b;
    strbuf_init(&b);
    size_t kept = e->n < MAX_ERRORS ? e->n : MAX_ERRORS;
    for (size_t i = 0; i < kept; i++)
        strbuf_printf(&b, "%s%s", i ? "\n" : "", e->lines[i]);
    if (e->n > kept)
        strbuf_printf(&b, "\n… และอีก %zu ข้อ", e->n - kept);
    ita_errors_free(e);
    return strbuf_detach(&b);
}

void ita_errors_free(struct ita_errors *e)
{
    size_t kept = e->n < MAX_ERRORS ? e->n : MAX_ERRORS;
    for (size_t i = 0; i < kept; i++) {
        free(e->lines[i]);
        e->lines[i] = NULL;
    }
    e->n = 0;
}

/* ---------------------------------------------------------------------------------------------
 * Jansson's syntax errors in Thai. Jansson writes "<what> near '<token>'" or "<what> near end of
 * file" (json_error_t.text, src/load.c); <token> is the text where it stopped, at most 20
 * bytes, a JSON string keeping its double quotes. */

struct json_syntax_th {
    const char *what;     /* Jansson's message without its " near ..." context */
    const char *at_token; /* Thai, with one %s for the token; NULL: at_eof also serves */
    const char *at_eof;   /* Thai, when Jansson reached the end of the file */
};

static const struct json_syntax_th JSON_SYNTAX_TH[] = {
    {"'}' expected", "ต้องมี ',' หรือ '}' ก่อน %s (มักเกิดจากลืมใส่ ',' คั่นระหว่างรายการ)",
     "ไฟล์จบก่อนปิดออบเจกต์ด้วย '}'"},
    {"']' expected", "ต้องมี ',' หรือ ']' ก่อน %s (มักเกิดจากลืมใส่ ',' คั่นระหว่างรายการ)",
     "ไฟล์จบก่อนปิดอาร์เรย์ด้วย ']'"},
    {"string or '}' expected",
     "ต้องมีชื่อคีย์ในเครื่องหมายคำพูด \"...\" หรือ '}' แต่พบ %s (ถ้ามี ',' เกินหลังรายการสุดท้าย"
     "ให้ลบออก)",
     "ไฟล์จบก่อนปิดออบเจกต์ด้วย '}'"},
    {"':' expected", "ต้องมี ':' หลังชื่อคีย์ แต่พบ %s", "ไฟล์จบหลังชื่อคีย์"},
    {"unexpected token", "ไม่ควรมี %s ตรงนี้", "ไฟล์จบก่อนที่ค่าจะครบ"},
    {"invalid token",
     "%s ไม่ใช่ค่า JSON (ข้อความต้องอยู่ในเครื่องหมายคำพูด \"...\" ค่าจริงหรือเท็จเขียน true หรือ "
     "false)",
     "ไฟล์จบก่อนที่ค่าจะครบ"},
    {"'[' or '{' expected", "ไฟล์ต้องขึ้นต้นด้วย '{' แต่พบ %s", "ไฟล์ว่างเปล่า"},
    {"end of file expected", "มี %s ต่อท้ายหลังจากปิดออบเจกต์นอกสุดแล้ว", NULL},
    {"duplicate object key", "คีย์ %s ซ้ำในออบเจกต์เดียวกัน", NULL},
    {"unexpected newline", "ข้อความในเครื่องหมายคำพูดขึ้นบรรทัดใหม่ไม่ได้ (ใช้ \\n แทน) ตรง %s", NULL},
    {"invalid escape", "ใช้ \\ ผิดรูปแบบตรง %s (ที่ใช้ได้: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
     NULL},
    {"premature end of input", NULL, "ไฟล์จบก่อนปิดเครื่องหมายคำพูด"},
    {"too big integer", "ตัวเลข %s ใหญ่เกินไป", NULL},
    {"too big negative integer", "ตัวเลข %s ใหญ่เกินไป", NULL},
    {"real number overflow", "ตัวเลข %s ใหญ่เกินไป", NULL},
    {"maximum parsing depth reached", "วงเล็บซ้อนกันลึกเกินไปตรง %s", "วงเล็บซ้อนกันลึกเกินไป"},
    {"NUL byte in object key not supported", "ชื่อคีย์มีอักขระ NUL (\\u0000) ตรง %s", NULL},
    {"\\u0000 is not allowed without JSON_ALLOW_NUL", "ข้อความมี \\u0000 ซึ่งใช้ไม่ได้ ตรง %s", NULL},
};

/* tmpl with its one "%s" replaced by arg (the templates are data, not printf formats). */
static char *fill(const char *tmpl, const char *arg)
{
    const char *at = strstr(tmpl, "%s");
    if (!at)
        return xstrdup(tmpl);
    return xasprintf("%.*s%s%s", (int)(at - tmpl), tmpl, arg, at + 2);
}

char *ita_ld_json_syntax_th(const char *text)
{
    static const char NEAR[] = " near ";
    const char *near = strstr(text, NEAR);
    size_t what_len = near ? (size_t)(near - text) : strlen(text);
    const char *ctx = near ? near + sizeof NEAR - 1 : NULL;
    bool eof = ctx && strcmp(ctx, "end of file") == 0;
    char *token = NULL;
    if (ctx && !eof) {
        /* "'<token>'": a JSON string is shown as it is, anything else in single quotes */
        size_t n = strlen(ctx);
        if (n >= 2 && ctx[0] == '\'' && ctx[n - 1] == '\'' && ctx[1] == '"')
            token = xasprintf("%.*s", (int)(n - 2), ctx + 1);
        else
            token = xstrdup(ctx);
    }
    char *out = NULL;
    for (size_t i = 0; !out && i < sizeof JSON_SYNTAX_TH / sizeof JSON_SYNTAX_TH[0]; i++) {
        const struct json_syntax_th *t = &JSON_SYNTAX_TH[i];
        if (strlen(t->what) != what_len || strncmp(t->what, text, what_len) != 0)
            continue;
        if (token && t->at_token)
            out = fill(t->at_token, token);
        else if (t->at_eof)
            out = xstrdup(t->at_eof);
        else if (t->at_token)
            out = fill(t->at_token, "ท้ายไฟล์");
    }
    static const char CONTROL[] = "control character ";
    static const char UTF8[] = "unable to decode byte ";
    if (!out && strncmp(text, CONTROL, sizeof CONTROL - 1) == 0)
        out = xasprintf("มีอักขระควบคุม %.*s ในข้อความ (ใช้ \\n หรือ \\t แทน)",
                        (int)(what_len - (sizeof CONTROL - 1)), text + sizeof CONTROL - 1);
    else if (!out && strncmp(text, UTF8, sizeof UTF8 - 1) == 0)
        out = xasprintf("ไม่ใช่ข้อความ UTF-8 (พบไบต์ %.*s) ให้บันทึกไฟล์เป็น UTF-8",
                        (int)(what_len - (sizeof UTF8 - 1)), text + sizeof UTF8 - 1);
    else if (!out)
        out = xasprintf("รูปแบบผิด (%s)", text); /* a message this table does not know */
    free(token);
    return out;
}
