/* Strict, stateless HTTP/1.1 request-head parser. Each call re-scans the bytes received so far;
 * heads are bounded by max_head_bytes, so re-scanning costs little and keeps the parser free of
 * hidden state (which is what makes it easy to fuzz). */
#include "http_parse.h"

#include <string.h>
#include <strings.h>

static const char *const method_names[] = {
    [HTTP_GET] = "GET",     [HTTP_HEAD] = "HEAD",     [HTTP_POST] = "POST",
    [HTTP_PUT] = "PUT",     [HTTP_DELETE] = "DELETE", [HTTP_OPTIONS] = "OPTIONS",
    [HTTP_PATCH] = "PATCH",
};

const char *http_method_name(enum http_method m)
{
    return method_names[m];
}

/* RFC 9110 tchar */
static bool is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* field-vchar / obs-text, plus SP and HTAB inside a value */
static bool is_value_char(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* request-target characters we accept (origin-form and asterisk-form; RFC 3986 set plus '%') */
static bool is_target_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^' &&
           c != '`' && c != '{' && c != '|' && c != '}';
}

static int fail(struct http_parse_error *err, int status, const char *msg)
{
    err->status = status;
    err->message = msg;
    return HTTP_PARSE_ERROR;
}

static bool token_eq(const char *p, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(p, lit, n) == 0;
}

/* Connection: a comma-separated list of tokens; we only care about close / keep-alive. */
static void apply_connection(const char *v, size_t n, bool *close_seen, bool *keep_seen)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        size_t start = i;
        while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
            i++;
        if (token_eq(v + start, i - start, "close"))
            *close_seen = true;
        else if (token_eq(v + start, i - start, "keep-alive"))
            *keep_seen = true;
    }
}

static int parse_content_length(const char *v, size_t n, long long *out)
{
    if (n == 0 || n > 18)
        return -1;
    long long x = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        x = x * 10 + (v[i] - '0');
    }
    *out = x;
    return 0;
}

static int parse_method(const char *p, size_t n, enum http_method *m)
{
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++) {
        if (strlen(method_names[i]) == n && memcmp(p, method_names[i], n) == 0) {
            *m = (enum http_method)i;
            return 0;
        }
    }
    return -1;
}

enum http_parse_result http_parse_request_head(const char *buf, size_t len,
                                               const struct http_limits *lim,
                                               struct http_request_head *out,
                                               struct http_parse_error *err)
{
    size_t pos = 0;
    /* RFC 9112 §2.2: ignore at least one empty line before the request-line. */
    while (pos + 1 < len && buf[pos] == '\r' && buf[pos + 1] == '\n' && pos < 4)
        pos += 2;

    /* Find the end of the request line. */
    const char *line = buf + pos;
    size_t avail = len - pos;
    const char *eol = memchr(line, '\n', avail);
    if (!eol) {
        if (avail > lim->max_target_bytes + 32)
            return fail(err, 414, "request line too long");
        if (avail > lim->max_head_bytes)
            return fail(err, 431, "request head too large");
        /* Reject garbage early instead of waiting for a line end that may never come. */
        for (size_t i = 0; i < avail; i++) {
            unsigned char c = (unsigned char)line[i];
            if (c != '\r' && c != ' ' && !is_target_char(c))
                return fail(err, 400, "invalid character in request line");
        }
        return HTTP_PARSE_INCOMPLETE;
    }
    size_t line_len = (size_t)(eol - line);
    if (line_len == 0 || line[line_len - 1] != '\r')
        return fail(err, 400, "request line must end with CRLF");
    line_len--;

    /* method SP request-target SP HTTP-version */
    const char *sp1 = memchr(line, ' ', line_len);
    if (!sp1)
        return fail(err, 400, "malformed request line");
    size_t mlen = (size_t)(sp1 - line);
    for (size_t i = 0; i < mlen; i++)
        if (!is_tchar((unsigned char)line[i]))
            return fail(err, 400, "malformed method");
    if (mlen == 0)
        return fail(err, 400, "malformed request line");
    const char *tgt = sp1 + 1;
    const char *line_end = line + line_len;
    const char *sp2 = memchr(tgt, ' ', (size_t)(line_end - tgt));
    if (!sp2)
        return fail(err, 400, "malformed request line");
    size_t tlen = (size_t)(sp2 - tgt);
    if (tlen > lim->max_target_bytes)
        return fail(err, 414, "request target too long");
    if (tlen == 0)
        return fail(err, 400, "empty request target");
    for (size_t i = 0; i < tlen; i++)
        if (!is_target_char((unsigned char)tgt[i]))
            return fail(err, 400, "invalid character in request target");
    const char *ver = sp2 + 1;
    size_t vlen = (size_t)(line_end - ver);
    if (vlen != 8 || memcmp(ver, "HTTP/", 5) != 0 || ver[6] != '.' || ver[5] < '0' ||
        ver[5] > '9' || ver[7] < '0' || ver[7] > '9')
        return fail(err, 400, "malformed HTTP version");
    if (ver[5] != '1')
        return fail(err, 505, "only HTTP/1.x is supported");
    if (parse_method(line, mlen, &out->method) != 0)
        return fail(err, 501, "method not implemented");
    if (tgt[0] != '/' && !(tlen == 1 && tgt[0] == '*'))
        return fail(err, 400, "only origin-form request targets are accepted");

    out->target = tgt;
    out->target_len = tlen;
    out->version_minor = ver[7] - '0';
    out->num_headers = 0;
    out->content_length = 0;
    out->expect_continue = false;

    bool have_cl = false, close_seen = false, keep_seen = false, have_host = false;
    size_t p = (size_t)(eol - buf) + 1;
    for (;;) {
        const char *h = buf + p;
        size_t rem = len - p;
        const char *nl = memchr(h, '\n', rem);
        if (!nl) {
            if (len > lim->max_head_bytes)
                return fail(err, 431, "request head too large");
            return HTTP_PARSE_INCOMPLETE;
        }
        size_t hl = (size_t)(nl - h);
        if (p + hl + 1 > lim->max_head_bytes)
            return fail(err, 431, "request head too large");
        if (hl == 0 || h[hl - 1] != '\r')
            return fail(err, 400, "header line must end with CRLF");
        hl--;
        p += hl + 2;
        if (hl == 0)
            break; /* blank line: end of head */
        if (h[0] == ' ' || h[0] == '\t')
            return fail(err, 400, "obsolete header folding is not accepted");
        const char *colon = memchr(h, ':', hl);
        if (!colon || colon == h)
            return fail(err, 400, "malformed header line");
        size_t nlen = (size_t)(colon - h);
        for (size_t i = 0; i < nlen; i++)
            if (!is_tchar((unsigned char)h[i]))
                return fail(err, 400, "invalid character in header name");
        const char *v = colon + 1;
        const char *vend = h + hl;
        while (v < vend && (*v == ' ' || *v == '\t'))
            v++;
        while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
            vend--;
        for (const char *c = v; c < vend; c++)
            if (!is_value_char((unsigned char)*c))
                return fail(err, 400, "invalid character in header value");
        if (out->num_headers == HTTP_MAX_HEADERS)
            return fail(err, 431, "too many header fields");
        struct http_header *hd = &out->headers[out->num_headers++];
        hd->name = h;
        hd->name_len = nlen;
        hd->value = v;
        hd->value_len = (size_t)(vend - v);

        if (token_eq(h, nlen, "content-length")) {
            long long cl;
            if (parse_content_length(hd->value, hd->value_len, &cl) != 0)
                return fail(err, 400, "invalid Content-Length");
            if (have_cl && cl != out->content_length)
                return fail(err, 400, "conflicting Content-Length headers");
            have_cl = true;
            out->content_length = cl;
        } else if (token_eq(h, nlen, "transfer-encoding")) {
            return fail(err, 411,
                        "Transfer-Encoding in requests is not supported; send Content-Length");
        } else if (token_eq(h, nlen, "connection")) {
            apply_connection(hd->value, hd->value_len, &close_seen, &keep_seen);
        } else if (token_eq(h, nlen, "host")) {
            if (have_host)
                return fail(err, 400, "duplicate Host header");
            have_host = true;
        } else if (token_eq(h, nlen, "expect")) {
            if (!token_eq(hd->value, hd->value_len, "100-continue"))
                return fail(err, 417, "unsupported Expect value");
            out->expect_continue = true;
        }
    }
    if (out->version_minor == 1 && !have_host)
        return fail(err, 400, "HTTP/1.1 request without Host header");
    if (out->content_length > lim->max_body_bytes)
        return fail(err, 413, "request body too large");
    out->keep_alive = out->version_minor == 1 ? !close_seen : (keep_seen && !close_seen);
    out->head_len = p;
    return HTTP_PARSE_DONE;
}

const struct http_header *http_head_find(const struct http_request_head *h, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < h->num_headers; i++)
        if (h->headers[i].name_len == n && strncasecmp(h->headers[i].name, name, n) == 0)
            return &h->headers[i];
    return NULL;
}

/* ---- status lines ---- */

static const struct {
    int code;
    const char *reason;
} reasons[] = {
    {100, "Continue"},
    {200, "OK"},
    {201, "Created"},
    {204, "No Content"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {413, "Content Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {417, "Expectation Failed"},
    {422, "Unprocessable Content"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
};

const char *http_status_reason(int status)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].code == status)
            return reasons[i].reason;
    return "Unknown";
}
