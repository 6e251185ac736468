/* Normalising pasted web addresses (url_norm.h). */
#include "url_norm.h"

#include "strbuf.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Characters kept as they are after the host: RFC 3986 unreserved, reserved and '%' of an
 * existing %XX escape. Everything else is percent-encoded. */
static bool keep(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("-._~:/?#[]@!$&'()*+,;=", c) != NULL;
}

int ita_url_normalize(const char *in, char **out, const char **why_th)
{
    *out = NULL;
    *why_th = NULL;
    size_t a = 0, b = strlen(in);
    while (a < b && is_space(in[a]))
        a++;
    while (b > a && is_space(in[b - 1]))
        b--;
    struct strbuf o;
    strbuf_init(&o);
    const char *s = in + a;
    size_t n = b - a;
    if (n == 0) {
        *out = strbuf_detach(&o);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && !is_space((char)c)) || c == 0x7f) {
            *why_th = "ที่อยู่เว็บมีอักขระควบคุมที่มองไม่เห็น กรุณาคัดลอกที่อยู่จากแถบที่อยู่ของเบราว์เซอร์ใหม่";
            goto fail;
        }
    }
    /* the scheme: http or https, or none when a host was pasted ("www.x.go.th/...") */
    const char *colon = memchr(s, ':', n);
    size_t rest;
    if (colon && (size_t)(colon - s) + 2 < n && colon[1] == '/' && colon[2] == '/') {
        size_t sl = (size_t)(colon - s);
        if (!((sl == 5 && strncasecmp(s, "https", 5) == 0) ||
              (sl == 4 && strncasecmp(s, "http", 4) == 0))) {
            *why_th = "ที่อยู่เว็บต้องขึ้นต้นด้วย https:// หรือ http://";
            goto fail;
        }
        strbuf_puts(&o, sl == 5 ? "https://" : "http://");
        rest = sl + 3;
    } else {
        size_t host_end = strcspn(s, "/?# ");
        if (host_end > n)
            host_end = n;
        if (!memchr(s, '.', host_end) || memchr(s, ':', host_end) || memchr(s, '@', host_end)) {
            *why_th =
                "ไม่ใช่ที่อยู่เว็บ: ต้องขึ้นต้นด้วย https:// หรือ http:// เช่น https://www.example.go.th/ita";
            goto fail;
        }
        strbuf_puts(&o, "https://");
        rest = 0;
    }
    /* the host (and port): plain ASCII letters, digits, '-', '.', ':', '[', ']' */
    size_t h = rest;
    while (h < n && s[h] != '/' && s[h] != '?' && s[h] != '#')
        h++;
    if (h == rest) {
        *why_th = "ที่อยู่เว็บไม่มีชื่อเว็บไซต์หลัง https://";
        goto fail;
    }
    for (size_t i = rest; i < h; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            *why_th = "ชื่อเว็บไซต์เป็นภาษาไทย: กรุณาใช้ที่อยู่ที่เบราว์เซอร์แสดงเมื่อคัดลอก (ขึ้นต้นด้วย xn--) "
                      "หรือที่อยู่ภาษาอังกฤษของเว็บไซต์";
            goto fail;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == ':' || c == '[' || c == ']' || c == '@' || c == '_')) {
            *why_th = "ชื่อเว็บไซต์ในที่อยู่มีอักขระที่ใช้ไม่ได้ (เช่น เว้นวรรค)";
            goto fail;
        }
        char lc = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        strbuf_append(&o, &lc, 1);
    }
    /* path, query and fragment: percent-encode what a URL may not hold */
    for (size_t i = h; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%' && i + 2 < n && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
            strbuf_append(&o, s + i, 3);
            i += 2;
        } else if (keep(c)) {
            strbuf_append(&o, s + i, 1);
        } else {
            strbuf_printf(&o, "%%%02X", c);
        }
    }
    if (o.len > ITA_URL_MAX) {
        *why_th = "ที่อยู่เว็บยาวเกิน 2,000 ตัวอักษร (หลังแปลงอักษรไทยและเว้นวรรค) กรุณาใช้ที่อยู่ที่สั้นกว่า";
        goto fail;
    }
    *out = strbuf_detach(&o);
    return 0;
fail:
    strbuf_free(&o);
    return -1;
}
