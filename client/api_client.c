/* itactl's side of the administration API (see api_client.h): token loading, URL encoding, one
 * authenticated request per call, and error answers turned into messages a person can act on. */
#include "api_client.h"

#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TOKEN_MAX_BYTES 1024 /* far above the 43 characters itad issues */

static const char how_to_get_token[] =
    "        An administrator creates API tokens on the web admin's API tokens page\n"
    "        (/admin/tokens) or on the server with: itad --create-api-token EMAIL\n"
    "        Keep the token in a file only you can read and give it with --token-file FILE\n"
    "        (or the environment variable ITACTL_TOKEN_FILE, or ITACTL_TOKEN holding the token).\n";

void api_url_encode(struct strbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~';
        if (plain) {
            strbuf_append(b, p, 1);
        } else if (*p == ' ') {
            strbuf_append(b, "+", 1);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            strbuf_append(b, esc, 3);
        }
    }
}

void api_param(struct strbuf *b, const char *key, const char *value)
{
    if (b->len > 0)
        strbuf_append(b, "&", 1);
    api_url_encode(b, key);
    strbuf_append(b, "=", 1);
    api_url_encode(b, value);
}

/* Strips white space around the text in place; true when what is left is one plausible token
 * (visible ASCII only: no spaces, no line breaks that could split the request head). */
static bool token_clean(char *t)
{
    size_t n = strlen(t);
    while (n > 0 && isspace((unsigned char)t[n - 1]))
        t[--n] = '\0';
    size_t lead = strspn(t, " \t\r\n\v\f");
    memmove(t, t + lead, n - lead + 1);
    if (t[0] == '\0')
        return false;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return false;
    return true;
}

/* Reads a token file (at most TOKEN_MAX_BYTES). NULL with err on failure. */
static char *token_from_file(const char *path, const char *source, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read the API token file %s (%s): %s", path, source,
                 strerror(errno));
        return NULL;
    }
    char *buf = xmalloc(TOKEN_MAX_BYTES + 2);
    size_t n = fread(buf, 1, TOKEN_MAX_BYTES + 1, f);
    bool read_error = ferror(f) != 0;
    fclose(f);
    buf[n] = '\0';
    if (read_error || n > TOKEN_MAX_BYTES || memchr(buf, '\0', n) || !token_clean(buf)) {
        snprintf(err, errlen, "the API token file %s (%s) %s", path, source,
                 read_error ? "could not be read"
                 : n == 0   ? "is empty"
                          : "does not hold one token (a single line of letters, digits, - and _)");
        free(buf);
        return NULL;
    }
    return buf;
}

char *api_token_load(const char *token_file, char *err, size_t errlen)
{
    if (token_file)
        return token_from_file(token_file, "--token-file", err, errlen);
    const char *env_file = getenv("ITACTL_TOKEN_FILE");
    if (env_file && env_file[0])
        return token_from_file(env_file, "ITACTL_TOKEN_FILE", err, errlen);
    const char *env = getenv("ITACTL_TOKEN");
    if (env && env[0]) {
        char *t = xstrdup(env);
        if (token_clean(t))
            return t;
        free(t);
        snprintf(err, errlen, "ITACTL_TOKEN does not hold one token (letters, digits, - and _)");
        return NULL;
    }
    snprintf(err, errlen, "no API token given");
    return NULL;
}

int api_conn_open(struct api_conn *c, const char *url, const char *cacert, int timeout_s,
                  const char *token_file, FILE *errf)
{
    memset(c, 0, sizeof *c);
    char err[1024];
    if (https_parse_url(url, &c->target, err, sizeof err) != 0) {
        fprintf(errf, "itactl: %s\n", err);
        return ITACTL_USAGE;
    }
    char *token = api_token_load(token_file, err, sizeof err);
    if (!token) {
        fprintf(errf, "itactl: %s\n%s", err, how_to_get_token);
        return ITACTL_USAGE;
    }
    c->cacert = cacert;
    c->timeout_s = timeout_s;
    c->auth_header = xasprintf("Authorization: Bearer %s\r\n", token);
    free(token);
    return ITACTL_OK;
}

void api_conn_close(struct api_conn *c)
{
    free(c->auth_header);
    c->auth_header = NULL;
}

bool api_header(const char *headers, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    for (const char *p = strstr(headers, "\r\n"); p; p = strstr(p, "\r\n")) {
        p += 2;
        if (strncasecmp(p, name, nl) != 0 || p[nl] != ':')
            continue;
        const char *v = p + nl + 1;
        v += strspn(v, " \t");
        snprintf(out, outlen, "%.*s", (int)strcspn(v, "\r\n"), v);
        return true;
    }
    return false;
}

int api_call(const struct api_conn *c, const char *method, const char *path, const char *query,
             const char *content_type, const void *body, size_t body_len,
             struct https_response *resp, FILE *errf)
{
    return api_call_to(c, method, path, query, content_type, body, body_len, NULL, resp, errf);
}

int api_call_to(const struct api_conn *c, const char *method, const char *path, const char *query,
                const char *content_type, const void *body, size_t body_len, FILE *sink,
                struct https_response *resp, FILE *errf)
{
    struct strbuf target, head;
    strbuf_init(&target);
    strbuf_init(&head);
    strbuf_puts(&target, path);
    if (query && query[0]) {
        strbuf_puts(&target, "?");
        strbuf_puts(&target, query);
    }
    strbuf_puts(&head, c->auth_header);
    strbuf_puts(&head, "Accept: application/json\r\n");
    if (content_type)
        strbuf_printf(&head, "Content-Type: %s\r\n", content_type);
    char err[512];
    int rc = ITACTL_OK;
    if (https_request_to(&c->target, c->cacert, method, target.data, head.data, body, body_len,
                         c->timeout_s, sink, resp, err, sizeof err) != 0) {
        if (errf)
            fprintf(errf, "itactl: %s\n", err);
        rc = ITACTL_UNREACHABLE;
    } else if (resp->status < 200 || resp->status > 299) {
        if (errf)
            api_print_error(errf, resp->status, resp->body, resp->body_len);
        https_response_free(resp);
        rc = ITACTL_SERVER_ERROR;
    }
    strbuf_free(&target);
    strbuf_free(&head);
    return rc;
}

json_t *api_json(const struct https_response *resp, FILE *errf)
{
    json_t *doc = json_loadb(resp->body, resp->body_len, 0, NULL);
    if (json_is_object(doc))
        return doc;
    json_decref(doc);
    char ct[128] = "none";
    if (resp->headers)
        (void)api_header(resp->headers, "Content-Type", ct, sizeof ct);
    fprintf(errf, "itactl: the server's answer is not the JSON expected (Content-Type: %s)%s\n", ct,
            strncasecmp(ct, "text/html", 9) == 0
                ? "; the server may be older than this itactl and not know this request"
                : "");
    return NULL;
}

/* The first line of a non-JSON body, for the message (an HTML page gives nothing useful). */
static const char *plain_message(const char *body, size_t len, char *out, size_t outlen)
{
    out[0] = '\0';
    if (!body || len == 0 || body[0] == '<')
        return out;
    size_t n = 0;
    while (n < len && n + 1 < outlen && body[n] != '\n' && body[n] != '\r' && body[n] != '\0')
        n++;
    memcpy(out, body, n);
    out[n] = '\0';
    return out;
}

/* 422: every row error (line, column, reason), then how many there are. */
static void print_row_errors(FILE *f, const json_t *doc, const char *msg)
{
    const json_t *errors = json_object_get(doc, "errors");
    size_t shown = json_array_size(errors);
    for (size_t i = 0; i < shown; i++) {
        const json_t *e = json_array_get(errors, i);
        json_int_t line = json_integer_value(json_object_get(e, "line"));
        const char *col = json_string_value(json_object_get(e, "column"));
        const char *why = json_string_value(json_object_get(e, "reason"));
        if (line > 0)
            fprintf(f, "  line %lld", (long long)line);
        else
            fprintf(f, "  whole file");
        if (col && col[0])
            fprintf(f, ", column \"%s\"", col);
        fprintf(f, ": %s\n", why ? why : "(no reason given)");
    }
    const json_t *cnt = json_object_get(doc, "error_count");
    long long count = json_is_integer(cnt) ? (long long)json_integer_value(cnt) : (long long)shown;
    fprintf(f, "itactl: %lld error%s", count, count == 1 ? "" : "s");
    const json_t *rows = json_object_get(doc, "bad_rows");
    if (json_is_integer(rows))
        fprintf(f, " in %lld row%s", (long long)json_integer_value(rows),
                json_integer_value(rows) == 1 ? "" : "s");
    if (count > 0 && (size_t)count > shown)
        fprintf(f, " (the first %zu shown)", shown);
    fprintf(f, "; nothing was imported (HTTP 422%s%s)\n", msg[0] ? ": " : "", msg);
}

/* What a status means for the person at the terminal, beyond the server's own message. */
static const char *status_hint(int status)
{
    switch (status) {
    case 400:
        return "the server found the request malformed";
    case 403:
        return "this token's administrator may not do this";
    case 409:
        return "refused in the current state";
    case 413:
        return "the file is larger than the server accepts (its max_upload_bytes)";
    case 429:
        return "too many requests; wait a moment and try again";
    case 500:
        return "the server failed; its log says why";
    case 503:
        return "the server or its database is unavailable for now; try again shortly";
    default:
        return "the server refused the request";
    }
}

void api_print_error(FILE *f, int status, const char *body, size_t body_len)
{
    json_t *doc = body ? json_loadb(body, body_len, 0, NULL) : NULL;
    const char *msg = json_is_object(doc) ? json_string_value(json_object_get(doc, "error")) : NULL;
    char plain[256];
    if (!msg)
        msg = plain_message(body, body_len, plain, sizeof plain);
    const char *sep = msg[0] ? ": " : "";
    switch (status) {
    case 401:
        fprintf(f,
                "itactl: the API token was refused (HTTP 401%s%s)\n"
                "        It is unknown to this server or has been revoked.\n%s",
                sep, msg, how_to_get_token);
        break;
    case 404:
        if (json_is_object(doc)) /* the API's own answer */
            fprintf(f, "itactl: no such agency/link, or not yours (HTTP 404%s%s)\n", sep, msg);
        else /* a plain answer: no such agency/link, or a path this server does not know */
            fprintf(f,
                    "itactl: no such agency/link, or not yours, or a request this server does "
                    "not know (HTTP 404%s%s)\n",
                    sep, msg);
        break;
    case 422:
        print_row_errors(f, json_is_object(doc) ? doc : NULL, msg);
        break;
    default:
        fprintf(f, "itactl: %s (HTTP %d%s%s)\n", status_hint(status), status, sep, msg);
        break;
    }
    json_decref(doc);
}
