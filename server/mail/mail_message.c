/* Invitations and reminders as e-mail: the Thai default templates, the check of an agency's own
 * template, filling the placeholders, and writing the RFC 5322 / MIME message (see mail_message.h).
 * Base64 comes from libsodium, the boundary from a BLAKE2b hash of the Message-ID. */
#include "mail/mail_message.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- the server's default templates ---- */

#define IIT_NAME "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)"
#define EIT_NAME "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)"

/* The promises every message makes: the link is personal and single-use, the answers anonymous;
 * then the deadline and the agency's thanks. */
#define TEXT_LINK "ตอบแบบวัดได้ที่ลิงก์นี้\n{link}\n\n"
#define TEXT_PERSONAL "ลิงก์นี้เป็นของท่านคนเดียวและใช้ตอบได้ครั้งเดียว โปรดอย่าส่งต่อให้ผู้อื่น\n\n"
#define TEXT_ANONYMOUS "คำตอบของท่านไม่ระบุตัวตน หน่วยงานไม่สามารถรู้ได้ว่าผู้ใดตอบอย่างไร\n\n"
#define TEXT_DEADLINE "โปรดตอบภายในวันที่ {deadline}\n\n"
#define TEXT_THANKS "ขอบคุณที่สละเวลา\n{agency}\n"
#define LINK_AND_PROMISES TEXT_LINK TEXT_PERSONAL TEXT_ANONYMOUS TEXT_DEADLINE TEXT_THANKS

static const char invite_subject_iit[] = "ขอเชิญตอบ" IIT_NAME " ITA ปี {year} ของ{agency}";
static const char invite_subject_eit[] = "ขอเชิญตอบ" EIT_NAME " ITA ปี {year} ของ{agency}";
static const char reminder_subject_iit[] =
    "ขอความร่วมมืออีกครั้ง: " IIT_NAME " ITA ปี {year} ของ{agency}";
static const char reminder_subject_eit[] =
    "ขอความร่วมมืออีกครั้ง: " EIT_NAME " ITA ปี {year} ของ{agency}";

static const char invite_body_iit[] =
    "เรียน ท่านผู้ปฏิบัติงานใน{agency}\n"
    "\n"
    "{agency} ขอเชิญท่านตอบ" IIT_NAME
    " ในการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "ประจำปีงบประมาณ พ.ศ. {year}\n"
    "\n" LINK_AND_PROMISES;
static const char invite_body_eit[] =
    "เรียน ท่านผู้รับบริการและผู้ติดต่อกับ{agency}\n"
    "\n"
    "{agency} ขอเชิญท่านตอบ" EIT_NAME
    " ในการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "ประจำปีงบประมาณ พ.ศ. {year}\n"
    "\n" LINK_AND_PROMISES;
static const char reminder_body_iit[] =
    "เรียน ท่านผู้ปฏิบัติงานใน{agency}\n"
    "\n"
    "{agency} ขอความร่วมมือตอบ" IIT_NAME " ประจำปีงบประมาณ พ.ศ. {year} อีกครั้ง "
    "หากท่านตอบแล้ว ขอขอบคุณและไม่ต้องตอบซ้ำ\n"
    "\n" LINK_AND_PROMISES;
static const char reminder_body_eit[] =
    "เรียน ท่านผู้รับบริการและผู้ติดต่อกับ{agency}\n"
    "\n"
    "{agency} ขอความร่วมมือตอบ" EIT_NAME " ประจำปีงบประมาณ พ.ศ. {year} อีกครั้ง "
    "หากท่านตอบแล้ว ขอขอบคุณและไม่ต้องตอบซ้ำ\n"
    "\n" LINK_AND_PROMISES;

static bool is_eit(const char *instrument)
{
    return instrument && strcmp(instrument, "EIT") == 0;
}

const char *mail_default_subject(enum mail_kind kind, const char *instrument)
{
    if (kind == MAIL_REMINDER)
        return is_eit(instrument) ? reminder_subject_eit : reminder_subject_iit;
    return is_eit(instrument) ? invite_subject_eit : invite_subject_iit;
}

const char *mail_default_body(enum mail_kind kind, const char *instrument)
{
    if (kind == MAIL_REMINDER)
        return is_eit(instrument) ? reminder_body_eit : reminder_body_iit;
    return is_eit(instrument) ? invite_body_eit : invite_body_iit;
}

/* ---- placeholders and the template check ---- */

#define PLACEHOLDER_MAX 40 /* bytes between the braces */

/* Length of the placeholder "{…}" starting at p (its name: no braces, no white space, at most
 * PLACEHOLDER_MAX bytes), or 0 when the brace at p opens none (it is then plain text). */
static size_t placeholder_len(const char *p)
{
    if (*p != '{')
        return 0;
    size_t i = 1;
    while (p[i] && p[i] != '}' && p[i] != '{' && (unsigned char)p[i] > ' ' && i <= PLACEHOLDER_MAX)
        i++;
    if (p[i] != '}' || i == 1)
        return 0;
    return i + 1;
}

static bool placeholder_is(const char *p, size_t n, const char *name)
{
    return n == strlen(name) && memcmp(p, name, n) == 0;
}

static bool placeholder_known(const char *p, size_t n)
{
    return placeholder_is(p, n, "{agency}") || placeholder_is(p, n, "{year}") ||
           placeholder_is(p, n, "{deadline}") || placeholder_is(p, n, "{link}");
}

/* Code points of s when s is valid UTF-8 (no overlong forms, no surrogates, no NUL inside), else
 * -1. */
static long utf8_count(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    long n = 0;
    while (*p) {
        unsigned c = *p;
        int more;
        uint32_t cp;
        if (c < 0x80) {
            p++;
            n++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            cp = c & 0x07;
        } else {
            return -1;
        }
        for (int i = 1; i <= more; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return -1;
        p += more + 1;
        n++;
    }
    return n;
}

/* Checks the placeholders of one template; counts {link}. */
static int check_placeholders(const char *t, const char *what, int *links, char *err, size_t errlen)
{
    for (const char *p = t; *p; p++) {
        size_t n = placeholder_len(p);
        if (n == 0)
            continue;
        if (!placeholder_known(p, n)) {
            snprintf(err, errlen,
                     "%sมีช่องเติม %.*s ที่ระบบไม่รู้จัก ใช้ได้เฉพาะ {agency} {year} {deadline} "
                     "และ {link} (อีเมลต้องไม่มีชื่อหรือข้อมูลอื่นของผู้รับ)",
                     what, (int)n, p);
            return -1;
        }
        if (placeholder_is(p, n, "{link}"))
            (*links)++;
        p += n - 1;
    }
    return 0;
}

int mail_template_check(const char *subject, const char *body, char *err, size_t errlen)
{
    if (!subject || !body) {
        snprintf(err, errlen, "ไม่มีหัวเรื่องหรือเนื้อความ");
        return -1;
    }
    long ns = utf8_count(subject), nb = utf8_count(body);
    if (ns < 0) {
        snprintf(err, errlen, "หัวเรื่องมีอักขระที่อ่านไม่ได้ (ไม่ใช่ UTF-8) โปรดพิมพ์ใหม่");
        return -1;
    }
    if (nb < 0) {
        snprintf(err, errlen, "เนื้อความมีอักขระที่อ่านไม่ได้ (ไม่ใช่ UTF-8) โปรดพิมพ์ใหม่");
        return -1;
    }
    if (strspn(subject, " \t") == strlen(subject)) {
        snprintf(err, errlen, "โปรดใส่หัวเรื่อง");
        return -1;
    }
    if (strpbrk(subject, "\r\n")) {
        snprintf(err, errlen, "หัวเรื่องต้องเป็นบรรทัดเดียว (ไม่ขึ้นบรรทัดใหม่)");
        return -1;
    }
    if (ns > MAIL_SUBJECT_MAX) {
        snprintf(err, errlen, "หัวเรื่องยาว %ld ตัวอักษร เกินที่กำหนด %d ตัวอักษร", ns, MAIL_SUBJECT_MAX);
        return -1;
    }
    if (nb > MAIL_BODY_MAX) {
        snprintf(err, errlen, "เนื้อความยาว %ld ตัวอักษร เกินที่กำหนด %d ตัวอักษร", nb, MAIL_BODY_MAX);
        return -1;
    }
    for (const unsigned char *p = (const unsigned char *)subject; *p; p++)
        if (*p < 0x20 || *p == 0x7F) {
            snprintf(err, errlen, "หัวเรื่องมีอักขระควบคุมที่มองไม่เห็น โปรดพิมพ์ใหม่");
            return -1;
        }
    int links_subject = 0, links_body = 0;
    if (check_placeholders(subject, "หัวเรื่อง", &links_subject, err, errlen) != 0 ||
        check_placeholders(body, "เนื้อความ", &links_body, err, errlen) != 0)
        return -1;
    if (links_subject > 0) {
        snprintf(err, errlen,
                 "หัวเรื่องต้องไม่มี {link}: ลิงก์ส่วนตัวอยู่ได้เฉพาะในเนื้อความ "
                 "(หัวเรื่องอาจปรากฏในรายการอีเมลที่ผู้อื่นเห็น)");
        return -1;
    }
    if (links_body == 0) {
        snprintf(err, errlen, "เนื้อความต้องมี {link} หนึ่งครั้ง ระบบจะใส่ลิงก์ส่วนตัวของผู้รับแต่ละคนตรงนั้น");
        return -1;
    }
    if (links_body > 1) {
        snprintf(err, errlen, "เนื้อความมี {link} %d ครั้ง ใส่ได้ครั้งเดียว", links_body);
        return -1;
    }
    return 0;
}

void mail_render(const char *tmpl, const struct mail_fields *f, struct strbuf *out)
{
    const char *p = tmpl, *start = tmpl;
    while (*p) {
        size_t n = placeholder_len(p);
        if (n == 0 || !placeholder_known(p, n)) {
            p += n ? n : 1;
            continue;
        }
        strbuf_append(out, start, (size_t)(p - start));
        if (placeholder_is(p, n, "{agency}"))
            strbuf_puts(out, f->agency_th ? f->agency_th : "");
        else if (placeholder_is(p, n, "{year}"))
            strbuf_printf(out, "%d", f->fiscal_year);
        else if (placeholder_is(p, n, "{deadline}"))
            strbuf_puts(out, f->deadline_th ? f->deadline_th : "");
        else
            strbuf_puts(out, f->link ? f->link : "");
        p += n;
        start = p;
    }
    strbuf_append(out, start, (size_t)(p - start));
}

/* ---- the message ---- */

#define LINE_MAX_CHARS 78
#define B64_LINE_BYTES 57         /* 57 bytes make a base64 line of 76 characters */
#define ENCODED_WORD_MAX_BYTES 42 /* 56 base64 characters + 12 of "=?UTF-8?B?" "?=": 68 */

/* An address we can write into a header and an envelope: printable ASCII without white space or
 * the characters that would end or split a header address, one '@' with text on both sides. */
static bool address_ok(const char *a)
{
    if (!a || !*a || strlen(a) > 254)
        return false;
    const char *at = strchr(a, '@');
    if (!at || at == a || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)a; *p; p++)
        if (*p <= ' ' || *p >= 0x7F || strchr("<>()[],;:\\\"", *p))
            return false;
    return true;
}

static bool message_id_ok(const char *id)
{
    if (!id || !*id || strlen(id) > 200 || !strchr(id, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p <= ' ' || *p >= 0x7F || *p == '<' || *p == '>')
            return false;
    return true;
}

static void b64_append(struct strbuf *out, const unsigned char *p, size_t n)
{
    char b64[sodium_base64_ENCODED_LEN(B64_LINE_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, p, n, sodium_base64_VARIANT_ORIGINAL);
    strbuf_puts(out, b64);
}

/* The body base64 encoded in lines of 76 characters, each ended by CRLF. */
static void b64_lines(struct strbuf *out, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i += B64_LINE_BYTES) {
        size_t n = len - i < B64_LINE_BYTES ? len - i : B64_LINE_BYTES;
        b64_append(out, (const unsigned char *)data + i, n);
        strbuf_puts(out, "\r\n");
    }
}

/* Bytes of the UTF-8 sequence led by c (1 for anything unexpected: the text was checked). */
static size_t utf8_seq_len(unsigned char c)
{
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    if (c >= 0xC0)
        return 2;
    return 1;
}

/* Appends text as RFC 2047 "B" encoded words of at most ENCODED_WORD_MAX_BYTES bytes each, never
 * splitting a UTF-8 sequence, folding (CRLF SP) before a word that would pass LINE_MAX_CHARS.
 * *col is the column the line is at; updated. */
static void encoded_words(struct strbuf *out, const char *text, size_t *col)
{
    size_t len = strlen(text), i = 0;
    while (i < len) {
        size_t n = 0;
        while (i + n < len) {
            size_t s = utf8_seq_len((unsigned char)text[i + n]);
            if (n + s > ENCODED_WORD_MAX_BYTES)
                break;
            n += s;
        }
        if (n == 0) /* cannot happen with valid UTF-8; never loop */
            n = len - i < ENCODED_WORD_MAX_BYTES ? len - i : ENCODED_WORD_MAX_BYTES;
        size_t wlen = 12 + sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) - 1;
        if (i > 0) {
            if (*col + 1 + wlen > LINE_MAX_CHARS) {
                strbuf_puts(out, "\r\n ");
                *col = 1;
            } else {
                strbuf_puts(out, " ");
                (*col)++;
            }
        }
        strbuf_puts(out, "=?UTF-8?B?");
        b64_append(out, (const unsigned char *)text + i, n);
        strbuf_puts(out, "?=");
        *col += wlen;
        i += n;
    }
}

static void date_header(struct strbuf *out, time_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t local = t + 7 * 3600; /* Thailand keeps +07:00 all year */
    struct tm tm;
    gmtime_r(&local, &tm);
    strbuf_printf(out, "Date: %s, %d %s %d %02d:%02d:%02d +0700\r\n", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* text with every line end made CRLF (the canonical form of text/plain). */
static void crlf_text(struct strbuf *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '\r') {
            strbuf_puts(out, "\r\n");
            if (p[1] == '\n')
                p++;
        } else if (*p == '\n') {
            strbuf_puts(out, "\r\n");
        } else {
            strbuf_append(out, p, 1);
        }
    }
}

static void html_escape_n(struct strbuf *out, const char *p, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (p[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            break;
        }
        if (rep) {
            strbuf_append(out, p + start, i - start);
            strbuf_puts(out, rep);
            start = i + 1;
        }
    }
    strbuf_append(out, p + start, n - start);
}

/* One line of the body as HTML: text escaped, http(s) URLs made links. */
static void html_line(struct strbuf *out, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t u = i;
        while (u < n && !((n - u >= 8 && memcmp(p + u, "https://", 8) == 0) ||
                          (n - u >= 7 && memcmp(p + u, "http://", 7) == 0)))
            u++;
        html_escape_n(out, p + i, u - i);
        if (u >= n)
            break;
        /* the URL: printable ASCII up to white space, a quote, an angle bracket or Thai text
         * written right after it; a full stop or bracket that ends the sentence is not part */
        size_t e = u;
        while (e < n && (unsigned char)p[e] > ' ' && (unsigned char)p[e] < 0x7F &&
               !strchr("<>\"'", p[e]))
            e++;
        while (e > u && strchr(".,;:!?)]", p[e - 1]))
            e--;
        strbuf_puts(out, "<a href=\"");
        html_escape_n(out, p + u, e - u);
        strbuf_puts(out, "\">");
        html_escape_n(out, p + u, e - u);
        strbuf_puts(out, "</a>");
        i = e;
    }
}

/* The HTML part: paragraphs at blank lines, <br> at single line ends. */
static void html_body(struct strbuf *out, const char *subject, const char *text)
{
    strbuf_puts(out, "<!DOCTYPE html>\r\n<html lang=\"th\">\r\n<head>\r\n<meta charset=\"utf-8\">"
                     "\r\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "\r\n<title>");
    strbuf_html_escape(out, subject);
    strbuf_puts(out, "</title>\r\n</head>\r\n<body style=\"font-family: sans-serif; "
                     "line-height: 1.6;\">\r\n");
    const char *p = text;
    bool in_par = false;
    while (*p) {
        size_t n = strcspn(p, "\r\n");
        bool blank = strspn(p, " \t") >= n;
        if (blank) {
            if (in_par) {
                strbuf_puts(out, "</p>\r\n");
                in_par = false;
            }
        } else {
            strbuf_puts(out, in_par ? "<br>\r\n" : "<p>");
            html_line(out, p, n);
            in_par = true;
        }
        p += n;
        if (*p == '\r')
            p++;
        if (*p == '\n')
            p++;
    }
    if (in_par)
        strbuf_puts(out, "</p>\r\n");
    strbuf_puts(out, "</body>\r\n</html>\r\n");
}

int mail_build(const struct mail_envelope *e, const char *subject, const char *body_text,
               struct strbuf *out, char *err, size_t errlen)
{
    if (!address_ok(e->from_addr)) {
        snprintf(err, errlen, "ที่อยู่ผู้ส่ง (mail_from) ใช้ไม่ได้: ต้องเป็นอีเมลเดียว ไม่มีช่องว่าง");
        return -1;
    }
    if (!address_ok(e->to)) {
        snprintf(err, errlen,
                 "ที่อยู่อีเมลผู้รับใช้ไม่ได้: ต้องมี @ ไม่มีช่องว่างหรือการขึ้นบรรทัดใหม่ "
                 "และเป็นตัวอักษรภาษาอังกฤษ");
        return -1;
    }
    if (!message_id_ok(e->message_id)) {
        snprintf(err, errlen, "Message-ID ใช้ไม่ได้");
        return -1;
    }
    if (!subject || !body_text || utf8_count(subject) < 0 || utf8_count(body_text) < 0) {
        snprintf(err, errlen, "หัวเรื่องหรือเนื้อความไม่ใช่ UTF-8 ที่ถูกต้อง");
        return -1;
    }
    if (strpbrk(subject, "\r\n")) {
        snprintf(err, errlen, "หัวเรื่องต้องเป็นบรรทัดเดียว");
        return -1;
    }

    /* the boundary: "=_" never occurs in base64 lines, the hash keeps it unique per message */
    unsigned char h[8];
    crypto_generichash(h, sizeof h, (const unsigned char *)e->message_id, strlen(e->message_id),
                       NULL, 0);
    char boundary[40];
    char hex[2 * sizeof h + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(boundary, sizeof boundary, "=_ita_%s", hex);

    size_t col;
    if (e->from_name && *e->from_name) {
        strbuf_puts(out, "From: ");
        col = 6;
        encoded_words(out, e->from_name, &col);
        size_t alen = strlen(e->from_addr) + 3;
        if (col + alen > LINE_MAX_CHARS) {
            strbuf_puts(out, "\r\n");
            col = 0;
        }
        strbuf_printf(out, " <%s>\r\n", e->from_addr);
    } else {
        strbuf_printf(out, "From: <%s>\r\n", e->from_addr);
    }
    strbuf_printf(out, "To: <%s>\r\n", e->to);
    strbuf_puts(out, "Subject: ");
    col = 9;
    if (*subject)
        encoded_words(out, subject, &col);
    strbuf_puts(out, "\r\n");
    date_header(out, e->date);
    strbuf_printf(out, "Message-ID: <%s>\r\n", e->message_id);
    strbuf_puts(out, "MIME-Version: 1.0\r\n"
                     "Auto-Submitted: auto-generated\r\n"
                     "X-Auto-Response-Suppress: All\r\n");
    strbuf_printf(out, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n", boundary);
    strbuf_puts(out, "\r\n");

    struct strbuf part;
    strbuf_init(&part);
    crlf_text(&part, body_text);
    strbuf_printf(out,
                  "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: base64\r\n\r\n",
                  boundary);
    b64_lines(out, part.data, part.len);
    strbuf_free(&part);

    strbuf_init(&part);
    html_body(&part, subject, body_text);
    strbuf_printf(out,
                  "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: base64\r\n\r\n",
                  boundary);
    b64_lines(out, part.data, part.len);
    strbuf_free(&part);
    strbuf_printf(out, "--%s--\r\n", boundary);
    return 0;
}
