/* The SMTP channel (mail_channel.h): one message to one recipient through the configured relay,
 * with libcurl's easy interface on the sender's channel thread (blocking is allowed there).
 *
 * Why libcurl and not our own SMTP client: it is maintained in Debian (security fixes arrive with
 * the system's updates) and already linked for the link checker; it does STARTTLS (and refuses to
 * go on in clear when CURLUSESSL_ALL is set), implicit TLS for smtps://, certificate and host name
 * verification through OpenSSL, AUTH PLAIN/LOGIN, dot-stuffing of the message, and keeps the
 * connection open between transfers of the same easy handle, so hundreds of messages go over one
 * TLS session. What we add is the classification of the outcome: the relay's replies are read
 * from the debug callback (CURLINFO_HEADER_IN) together with the command they answer
 * (CURLINFO_HEADER_OUT), so a 5xx to RCPT TO is told apart from everything else.
 *
 * curl_global_init must have run once before open (link_check_global_init does it at start). */
#include "mail/mail_channel.h"

#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct smtp_ch {
    CURL *curl;            /* one handle for every message: its connection is kept */
    char *url;             /* smtp://host:port or smtps://host:port */
    char *from;            /* "<ita@agency.go.th>" for MAIL FROM */
    char *user, *password; /* AUTH; user NULL = no AUTH */
    char *cacert;          /* NULL = the system's CAs */
    long timeout_ms;       /* one message's whole conversation */

    /* one send */
    const char *data;           /* the message being uploaded */
    size_t len, pos;            /* its length and how much went */
    char cmd[16];               /* the last command sent ("RCPT", "DATA", ...), upper case */
    char reply_cmd[16];         /* the command the last reply answered */
    int code;                   /* the last reply's code, 0 when none came */
    char reply[MAIL_REPLY_MAX]; /* the last reply line (multi-line replies: their last line) */
    char errbuf[CURL_ERROR_SIZE];
};

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

/* The first line of path (without its line end) in a new string, or NULL. */
static char *read_first_line(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char buf[1024];
    char *line = NULL;
    if (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        line = strdup(buf);
    } else if (!ferror(f)) {
        line = strdup(""); /* an empty file: an empty password */
    }
    fclose(f);
    return line;
}

static size_t read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
    struct smtp_ch *c = arg;
    size_t n = size * nitems, left = c->len - c->pos;
    if (n > left)
        n = left;
    memcpy(buf, c->data + c->pos, n);
    c->pos += n;
    return n;
}

/* Remembers the command curl sends and each reply line the relay gives. */
static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
    (void)h;
    struct smtp_ch *c = arg;
    if (type == CURLINFO_HEADER_OUT) {
        /* only the verb, and only of the commands we know: AUTH LOGIN's continuation lines (the
         * user and password in base64) are never looked at */
        static const char *const verbs[] = {"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL",
                                            "RCPT", "DATA", "RSET",     "QUIT", "NOOP"};
        for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
            size_t n = strlen(verbs[v]);
            if (size >= n && strncasecmp(data, verbs[v], n) == 0 &&
                (size == n || data[n] == ' ' || data[n] == ':' || data[n] == '\r')) {
                snprintf(c->cmd, sizeof c->cmd, "%s", verbs[v]);
                break;
            }
        }
        return 0;
    }
    if (type != CURLINFO_HEADER_IN)
        return 0;
    /* QUIT's 221 after a failure must not hide the reply that made it */
    if (strcmp(c->cmd, "QUIT") == 0)
        return 0;
    /* one or more reply lines "NNN-text" / "NNN text" */
    size_t i = 0;
    while (i < size) {
        size_t e = i;
        while (e < size && data[e] != '\n')
            e++;
        size_t n = e - i;
        while (n > 0 && (data[i + n - 1] == '\r' || data[i + n - 1] == '\n'))
            n--;
        if (n >= 3 && data[i] >= '1' && data[i] <= '5' && data[i + 1] >= '0' &&
            data[i + 1] <= '9' && data[i + 2] >= '0' && data[i + 2] <= '9') {
            c->code = (data[i] - '0') * 100 + (data[i + 1] - '0') * 10 + (data[i + 2] - '0');
            if (n >= sizeof c->reply)
                n = sizeof c->reply - 1;
            /* printable ASCII only (RFC 5321 replies are ASCII): the reply is stored and shown */
            for (size_t k = 0; k < n; k++) {
                unsigned char ch = (unsigned char)data[i + k];
                c->reply[k] = ch >= ' ' && ch < 0x7F ? (char)ch : '?';
            }
            c->reply[n] = '\0';
            if (n >= 4 && c->reply[3] == '-')
                c->reply[3] = ' '; /* a continuation line read as the reply's text */
            memcpy(c->reply_cmd, c->cmd, sizeof c->cmd);
        }
        i = e + 1;
    }
    return 0;
}

static void ch_free(struct smtp_ch *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    free(c->url);
    free(c->from);
    free(c->user);
    if (c->password) {
        memset(c->password, 0, strlen(c->password));
        free(c->password);
    }
    free(c->cacert);
    free(c);
}

/* The URL's path is the name curl gives in EHLO; without one curl would give this machine's
 * host name, which in a container is a random word that relays checking HELO names refuse. So a
 * URL without a path gets mail_from's domain. A new string, or NULL. */
static char *ehlo_url(const char *url, const char *from)
{
    const char *host = strstr(url, "://") + 3;
    const char *slash = strchr(host, '/');
    const char *domain = strchr(from, '@') + 1;
    if ((slash && slash[1]) || strspn(domain, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-.") != strlen(domain))
        return strdup(url);
    size_t base = slash ? (size_t)(slash - url) : strlen(url);
    size_t n = base + 1 + strlen(domain) + 1;
    char *u = malloc(n);
    if (u)
        snprintf(u, n, "%.*s/%s", (int)base, url, domain);
    return u;
}

static void *smtp_open(const struct config *cfg, char *err, size_t errlen)
{
    const char *url = cfg->smtp_url ? cfg->smtp_url : "";
    if (strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0) {
        snprintf(err, errlen, "smtp_url ต้องขึ้นต้นด้วย smtp:// หรือ smtps:// (ตอนนี้: \"%.80s\")", url);
        return NULL;
    }
    if (!cfg->mail_from || !strchr(cfg->mail_from, '@') || strpbrk(cfg->mail_from, "\r\n <>")) {
        snprintf(err, errlen, "mail_from ต้องเป็นที่อยู่อีเมลของผู้ส่ง");
        return NULL;
    }
    struct smtp_ch *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "หน่วยความจำไม่พอ");
        return NULL;
    }
    c->url = ehlo_url(url, cfg->mail_from);
    size_t fl = strlen(cfg->mail_from) + 3;
    c->from = malloc(fl);
    if (c->from)
        snprintf(c->from, fl, "<%s>", cfg->mail_from);
    c->cacert = dup_or_null(cfg->smtp_cacert);
    c->timeout_ms = cfg->smtp_timeout_ms > 0 ? cfg->smtp_timeout_ms : 30000;
    if (!c->url || !c->from || (cfg->smtp_cacert && *cfg->smtp_cacert && !c->cacert)) {
        snprintf(err, errlen, "หน่วยความจำไม่พอ");
        goto fail;
    }
    if (cfg->smtp_user && *cfg->smtp_user) {
        c->user = strdup(cfg->smtp_user);
        if (!cfg->smtp_password_file || !*cfg->smtp_password_file) {
            snprintf(err, errlen, "ตั้ง smtp_user แล้ว แต่ยังไม่ได้ตั้ง smtp_password_file");
            goto fail;
        }
        c->password = read_first_line(cfg->smtp_password_file);
        if (!c->password) {
            snprintf(err, errlen, "อ่านไฟล์รหัสผ่าน SMTP \"%.200s\" ไม่ได้: %s", cfg->smtp_password_file,
                     strerror(errno));
            goto fail;
        }
    }
    c->curl = curl_easy_init();
    if (!c->curl) {
        snprintf(err, errlen, "เริ่ม libcurl ไม่ได้");
        goto fail;
    }
    CURL *h = c->curl;
    CURLcode rc = CURLE_OK;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(h, opt, val);                                                    \
    } while (0)
    SET(CURLOPT_URL, c->url);
    SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    SET(CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->cacert)
        SET(CURLOPT_CAINFO, c->cacert);
    if (c->user) {
        SET(CURLOPT_USERNAME, c->user);
        SET(CURLOPT_PASSWORD, c->password);
    }
    SET(CURLOPT_MAIL_FROM, c->from);
    SET(CURLOPT_UPLOAD, 1L);
    SET(CURLOPT_READFUNCTION, read_cb);
    SET(CURLOPT_READDATA, c);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_TIMEOUT_MS, c->timeout_ms);
    SET(CURLOPT_CONNECTTIMEOUT_MS, c->timeout_ms);
    SET(CURLOPT_VERBOSE, 1L); /* the debug callback runs only in verbose mode; it prints nothing */
    SET(CURLOPT_DEBUGFUNCTION, debug_cb);
    SET(CURLOPT_DEBUGDATA, c);
    SET(CURLOPT_ERRORBUFFER, c->errbuf);
#undef SET
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "ตั้งค่า libcurl ไม่ได้: %s", curl_easy_strerror(rc));
        goto fail;
    }
    return c;
fail:
    ch_free(c);
    return NULL;
}

/* A Thai description of what went wrong when the relay did not accept the message. */
static const char *thai_reason(CURLcode rc, const struct smtp_ch *c)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return "ไม่พบชื่อเซิร์ฟเวอร์อีเมล";
    case CURLE_COULDNT_CONNECT:
        return "เชื่อมต่อเซิร์ฟเวอร์อีเมลไม่ได้";
    case CURLE_OPERATION_TIMEDOUT:
        return "เซิร์ฟเวอร์อีเมลไม่ตอบภายในเวลาที่กำหนด";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        return "ใบรับรองของเซิร์ฟเวอร์อีเมลไม่ผ่านการตรวจสอบ";
    case CURLE_SSL_CONNECT_ERROR:
        return "เข้ารหัสการเชื่อมต่อกับเซิร์ฟเวอร์อีเมลไม่สำเร็จ";
    case CURLE_USE_SSL_FAILED:
        return "เซิร์ฟเวอร์อีเมลไม่รองรับการเข้ารหัส (STARTTLS) ระบบจึงไม่ส่งแบบไม่เข้ารหัส";
    case CURLE_LOGIN_DENIED:
        return "เซิร์ฟเวอร์อีเมลไม่ยอมรับชื่อผู้ใช้หรือรหัสผ่าน";
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY:
        return "เซิร์ฟเวอร์อีเมลตอบไม่ถูกต้อง";
    default:
        break;
    }
    if (c->code == 530)
        return "เซิร์ฟเวอร์อีเมลต้องให้ยืนยันตัวตนก่อน (ตั้ง smtp_user และ smtp_password_file)";
    if (c->code == 535)
        return "เซิร์ฟเวอร์อีเมลไม่ยอมรับชื่อผู้ใช้หรือรหัสผ่าน";
    if (c->code >= 400 && c->code < 500)
        return "เซิร์ฟเวอร์อีเมลขอให้ส่งใหม่ภายหลัง";
    if (c->code >= 500)
        return "เซิร์ฟเวอร์อีเมลไม่รับข้อความ";
    return "ส่งอีเมลไม่สำเร็จ";
}

/* The recipient address as curl's MAIL_RCPT wants it: printable ASCII, no white space. */
static bool rcpt_ok(const char *to)
{
    if (!to || !*to || !strchr(to, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)to; *p; p++)
        if (*p <= ' ' || *p >= 0x7F || *p == '<' || *p == '>')
            return false;
    return true;
}

/* r->reply = a b c, cut to fit without splitting a UTF-8 sequence. */
static void put_reply(struct mail_send_result *r, const char *a, const char *b, const char *c)
{
    char buf[3 * MAIL_REPLY_MAX];
    snprintf(buf, sizeof buf, "%s%s%s", a, b, c);
    size_t n = strlen(buf);
    if (n >= sizeof r->reply) {
        n = sizeof r->reply - 1;
        while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
            n--; /* buf[n] would be the first byte left out: keep whole sequences only */
    }
    memcpy(r->reply, buf, n);
    r->reply[n] = '\0';
}

static void smtp_send(void *ch, const struct mail_outgoing *m, struct mail_send_result *r)
{
    struct smtp_ch *c = ch;
    r->status = MAIL_DEFERRED;
    r->code = 0;
    r->reply[0] = '\0';
    if (!rcpt_ok(m->to)) {
        r->status = MAIL_REFUSED;
        snprintf(r->reply, sizeof r->reply, "ที่อยู่อีเมลผู้รับใช้ไม่ได้");
        return;
    }
    struct curl_slist *rcpt = curl_slist_append(NULL, m->to);
    if (!rcpt) {
        snprintf(r->reply, sizeof r->reply, "หน่วยความจำไม่พอ");
        return;
    }
    c->data = m->data;
    c->len = m->len;
    curl_easy_setopt(c->curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)m->len);
    CURLcode rc;
    for (int attempt = 0;; attempt++) {
        c->pos = 0;
        c->cmd[0] = c->reply_cmd[0] = c->reply[0] = c->errbuf[0] = '\0';
        c->code = 0;
        rc = curl_easy_perform(c->curl);
        /* The kept connection may have been closed by the relay while we were idle (relays
         * drop idle clients after a few minutes; this one may have restarted). When it failed
         * before a single reply, nothing of this message was accepted: once more, on a new
         * connection (curl has dropped the broken one). */
        long fresh = 1;
        if (attempt > 0 || c->code != 0 ||
            (rc != CURLE_SEND_ERROR && rc != CURLE_RECV_ERROR && rc != CURLE_GOT_NOTHING) ||
            curl_easy_getinfo(c->curl, CURLINFO_NUM_CONNECTS, &fresh) != CURLE_OK || fresh != 0)
            break;
    }
    curl_easy_setopt(c->curl, CURLOPT_MAIL_RCPT, (struct curl_slist *)NULL);
    curl_slist_free_all(rcpt);
    c->data = NULL;

    r->code = c->code;
    if (rc == CURLE_OK) {
        r->status = MAIL_SENT;
        put_reply(r, c->reply, "", "");
        return;
    }
    /* a permanent refusal of this recipient: a 5xx that answers RCPT TO */
    if (c->code >= 500 && strcmp(c->reply_cmd, "RCPT") == 0) {
        r->status = MAIL_REFUSED;
        put_reply(r, "เซิร์ฟเวอร์อีเมลไม่รับผู้รับนี้: ", c->reply, "");
        return;
    }
    const char *why = thai_reason(rc, c);
    if (c->reply[0] && c->code >= 400)
        put_reply(r, why, ": ", c->reply);
    else if (c->errbuf[0])
        put_reply(r, why, ": ", c->errbuf);
    else
        put_reply(r, why, ": ", curl_easy_strerror(rc));
}

static void smtp_close(void *ch)
{
    ch_free(ch);
}

const struct mail_channel_ops smtp_channel = {
    .name = "smtp",
    .open = smtp_open,
    .send = smtp_send,
    .close = smtp_close,
};
