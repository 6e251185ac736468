/* The link checker: libcurl's multi interface on a libevent loop (the socket and timer callbacks
 * of curl's "multi-event" design), a bounded number of transfers at once with a FIFO queue behind
 * them, HEAD first and a ranged GET when HEAD is refused, and the pure mapping of an outcome to a
 * Thai reason. */
#include "oit/link_check.h"
#include "xalloc.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>

#define GET_RANGE "0-1023"
#define GET_BODY_CAP 65536 /* bytes read of a GET whose server ignores the range */

struct link_job {
    TAILQ_ENTRY(link_job) link; /* on the checker's queue or running list */
    struct link_checker *lc;
    CURL *easy; /* while running */
    char *url;  /* owned */
    link_check_cb cb;
    void *arg;
    bool get;      /* the second try: GET instead of HEAD */
    size_t got;    /* body bytes discarded so far (GET) */
    bool body_cap; /* the write callback stopped the body on purpose */
    bool refused;  /* a connection to a non-public address was refused */
    char errbuf[CURL_ERROR_SIZE];
};
TAILQ_HEAD(link_job_list, link_job);

/* One socket curl asked us to watch (curl_multi_assign'ed to it). */
struct link_sock {
    LIST_ENTRY(link_sock) link; /* on the checker's list until curl removes the socket */
    struct event *ev;
};
LIST_HEAD(link_sock_list, link_sock);

struct link_checker {
    struct event_base *base;
    CURLM *multi;
    struct event *timer;         /* curl's single timeout */
    struct event *kick;          /* starts queued URLs from the loop */
    struct link_sock_list socks; /* sockets being watched */
    struct link_job_list queue;  /* waiting for a slot */
    struct link_job_list active; /* running */
    size_t nqueued, nactive;
    int concurrency;
    int connect_timeout_ms, timeout_ms;
    char *cafile;     /* NULL = system store */
    char *user_agent; /* owned */
    bool allow_private;
};

int link_check_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void link_check_global_cleanup(void)
{
    curl_global_cleanup();
}

bool link_head_refused(int status)
{
    return status >= 400;
}

static bool v4_private(uint32_t a) /* host order */
{
    return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
           (a & 0xffc00000u) == 0x64400000u || /* 100.64/10 shared */
           (a & 0xffff0000u) == 0xa9fe0000u || /* 169.254/16 link-local */
           (a & 0xfff00000u) == 0xac100000u || /* 172.16/12 */
           (a & 0xffff0000u) == 0xc0a80000u || /* 192.168/16 */
           (a & 0xffffff00u) == 0xc0000000u || /* 192.0.0/24 protocol assignments */
           (a & 0xfffe0000u) == 0xc6120000u || /* 198.18/15 benchmarking */
           (a >> 28) >= 14;                    /* 224/4 multicast, 240/4 reserved, broadcast */
}

bool link_addr_private(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return v4_private(ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr));
    if (sa->sa_family != AF_INET6)
        return true;
    const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
    const uint8_t *b = a->s6_addr;
    if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a))
        return v4_private((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 |
                          b[15]);
    return IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) ||
           (b[0] & 0xfe) == 0xfc ||                   /* fc00::/7 unique local */
           (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || /* fe80::/10 link-local */
           (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) || /* fec0::/10 site-local (old) */
           b[0] == 0xff;                              /* multicast */
}

static const char *status_words(int status)
{
    switch (status) {
    case 400:
        return " (คำขอไม่ถูกต้อง)";
    case 401:
        return " (ต้องเข้าสู่ระบบก่อน)";
    case 403:
        return " (ไม่อนุญาตให้เข้าถึง)";
    case 404:
        return " (ไม่พบหน้า)";
    case 410:
        return " (หน้านี้ถูกลบแล้ว)";
    case 429:
        return " (ขอถี่เกินไป)";
    case 502:
    case 504:
        return " (เซิร์ฟเวอร์ปลายทางไม่ตอบ)";
    case 503:
        return " (ไม่พร้อมให้บริการชั่วคราว)";
    default:
        return "";
    }
}

void link_verdict(struct link_result *r, int curl_code, int status, int timeout_ms)
{
    r->curl_code = curl_code;
    r->status = status;
    r->ok = false;
    r->reason[0] = '\0';
    const char *why = NULL;
    if (curl_code == LINK_CODE_PRIVATE) {
        snprintf(r->reason, sizeof r->reason, "%s", "ลิงก์ชี้ไปที่เครือข่ายภายใน ประชาชนทั่วไปเปิดไม่ได้");
        return;
    }
    switch ((CURLcode)curl_code) {
    case CURLE_OK:
        if (status >= 200 && status <= 399) {
            r->ok = true;
            return;
        }
        if (status >= 100 && status <= 999)
            snprintf(r->reason, sizeof r->reason, "เซิร์ฟเวอร์ตอบ %d%s", status, status_words(status));
        else
            why = "ไม่ได้รับคำตอบจากเซิร์ฟเวอร์";
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        why = "ไม่พบชื่อโดเมน (DNS)";
        break;
    case CURLE_COULDNT_CONNECT:
        why = "เชื่อมต่อไม่ได้";
        break;
    case CURLE_OPERATION_TIMEDOUT:
        snprintf(r->reason, sizeof r->reason, "หมดเวลารอ %d วินาที", (timeout_ms + 999) / 1000);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        why = "ใบรับรอง TLS ไม่ถูกต้อง";
        break;
    case CURLE_SSL_CONNECT_ERROR:
        why = "เชื่อมต่อแบบปลอดภัย (TLS) ไม่สำเร็จ";
        break;
    case CURLE_TOO_MANY_REDIRECTS:
        snprintf(r->reason, sizeof r->reason, "เปลี่ยนเส้นทางเกิน %d ครั้ง", LINK_MAX_REDIRECTS);
        break;
    case CURLE_UNSUPPORTED_PROTOCOL:
        why = "ลิงก์ต้องเป็น http:// หรือ https:// เท่านั้น";
        break;
    case CURLE_URL_MALFORMAT:
        why = "รูปแบบลิงก์ไม่ถูกต้อง";
        break;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        why = "เซิร์ฟเวอร์ตัดการเชื่อมต่อก่อนตอบ";
        break;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        why = "เซิร์ฟเวอร์ตอบผิดรูปแบบ";
        break;
    default:
        snprintf(r->reason, sizeof r->reason, "ตรวจลิงก์ไม่สำเร็จ (รหัส %d)", curl_code);
        break;
    }
    if (why)
        snprintf(r->reason, sizeof r->reason, "%s", why);
}

/* ---- libevent ↔ curl ---- */

static void job_done(struct link_job *j, CURLcode code);
static void start_queued(struct link_checker *lc);

/* Hands every finished transfer to its job. */
static void check_done(struct link_checker *lc)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(lc->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct link_job *j = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
        CURLcode code = msg->data.result;
        job_done(j, code); /* may remove and re-add handles: msg is not used afterwards */
    }
    start_queued(lc);
}

static void on_sock(evutil_socket_t fd, short what, void *arg)
{
    struct link_checker *lc = arg;
    int running, flags = 0;
    if (what & EV_READ)
        flags |= CURL_CSELECT_IN;
    if (what & EV_WRITE)
        flags |= CURL_CSELECT_OUT;
    curl_multi_socket_action(lc->multi, fd, flags, &running);
    check_done(lc);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct link_checker *lc = arg;
    int running;
    curl_multi_socket_action(lc->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(lc);
}

/* CURLMOPT_SOCKETFUNCTION: watch s for what curl wants, or stop watching it. */
static int sock_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
    (void)easy;
    struct link_checker *lc = userp;
    struct link_sock *ls = socketp;
    if (what == CURL_POLL_REMOVE) {
        if (ls) {
            LIST_REMOVE(ls, link);
            if (ls->ev)
                event_free(ls->ev);
            free(ls);
            curl_multi_assign(lc->multi, s, NULL);
        }
        return 0;
    }
    short kind = EV_PERSIST | ((what & CURL_POLL_IN) ? EV_READ : 0) |
                 ((what & CURL_POLL_OUT) ? EV_WRITE : 0);
    if (!ls) {
        ls = xcalloc(1, sizeof *ls);
        LIST_INSERT_HEAD(&lc->socks, ls, link);
        curl_multi_assign(lc->multi, s, ls);
    } else if (ls->ev) {
        event_free(ls->ev);
    }
    ls->ev = event_new(lc->base, s, kind, on_sock, lc);
    if (!ls->ev || event_add(ls->ev, NULL) != 0)
        return -1;
    return 0;
}

/* CURLMOPT_TIMERFUNCTION: curl's one timeout (-1: none). */
static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    struct link_checker *lc = userp;
    if (timeout_ms < 0) {
        evtimer_del(lc->timer);
        return 0;
    }
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    return evtimer_add(lc->timer, &tv) == 0 ? 0 : -1;
}

/* ---- one URL ---- */

/* CURLOPT_OPENSOCKETFUNCTION: every connection (redirects too) after the name was resolved, so
 * a public name that resolves to a private address is refused as well. */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *addr)
{
    struct link_job *j = clientp;
    (void)purpose;
    if (!j->lc->allow_private && link_addr_private(&addr->addr)) {
        j->refused = true;
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype, addr->protocol);
}

/* Discards the body of the GET; stops it past GET_BODY_CAP (a server ignoring the range). */
static size_t discard_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    (void)ptr;
    struct link_job *j = userdata;
    j->got += size * nmemb;
    if (j->got > GET_BODY_CAP) {
        j->body_cap = true;
        return 0; /* CURLE_WRITE_ERROR, read as "answered" (job_done) */
    }
    return size * nmemb;
}

static bool easy_setup(struct link_checker *lc, struct link_job *j)
{
    CURL *e = j->easy;
    bool ok = curl_easy_setopt(e, CURLOPT_URL, j->url) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_PRIVATE, j) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)LINK_MAX_REDIRECTS) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)lc->connect_timeout_ms) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)lc->timeout_ms) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK;
    if (lc->cafile)
        ok &= curl_easy_setopt(e, CURLOPT_CAINFO, lc->cafile) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_USERAGENT, lc->user_agent) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard_body) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_WRITEDATA, j) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, j) == CURLE_OK;
    ok &= curl_easy_setopt(e, CURLOPT_NOBODY, 1L) == CURLE_OK; /* HEAD */
    return ok;
}

static void job_free(struct link_job *j)
{
    if (j->easy)
        curl_easy_cleanup(j->easy);
    free(j->url);
    free(j);
}

/* A transfer finished: HEAD refused → the same handle again as a ranged GET; else the verdict. */
static void job_done(struct link_job *j, CURLcode code)
{
    struct link_checker *lc = j->lc;
    long status = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    if (code == CURLE_WRITE_ERROR && j->body_cap)
        code = CURLE_OK; /* the server was answering; we stopped reading */
    curl_multi_remove_handle(lc->multi, j->easy);
    if (!j->get && code == CURLE_OK && link_head_refused((int)status)) {
        j->get = true;
        j->got = 0;
        if (curl_easy_setopt(j->easy, CURLOPT_HTTPGET, 1L) == CURLE_OK &&
            curl_easy_setopt(j->easy, CURLOPT_RANGE, GET_RANGE) == CURLE_OK &&
            curl_multi_add_handle(lc->multi, j->easy) == CURLM_OK)
            return; /* still active */
    }
    TAILQ_REMOVE(&lc->active, j, link);
    lc->nactive--;
    struct link_result r;
    /* a ranged GET of an empty document is answered 416: the page is there */
    if (j->get && code == CURLE_OK && status == 416)
        status = 200;
    link_verdict(&r, code != CURLE_OK && j->refused ? LINK_CODE_PRIVATE : (int)code, (int)status,
                 lc->timeout_ms);
    r.via_get = j->get;
    j->cb(&r, j->arg);
    job_free(j);
}

static void start_queued(struct link_checker *lc)
{
    while (lc->nactive < (size_t)lc->concurrency && !TAILQ_EMPTY(&lc->queue)) {
        struct link_job *j = TAILQ_FIRST(&lc->queue);
        TAILQ_REMOVE(&lc->queue, j, link);
        lc->nqueued--;
        j->easy = curl_easy_init();
        if (!j->easy || !easy_setup(lc, j) ||
            curl_multi_add_handle(lc->multi, j->easy) != CURLM_OK) {
            struct link_result r;
            link_verdict(&r, CURLE_FAILED_INIT, 0, lc->timeout_ms);
            j->cb(&r, j->arg);
            job_free(j);
            continue;
        }
        TAILQ_INSERT_TAIL(&lc->active, j, link);
        lc->nactive++;
    }
}

/* Runs from the loop so that link_check_url never calls back from inside itself. */
static void on_kick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    start_queued(arg);
}

int link_check_url(struct link_checker *lc, const char *url, link_check_cb cb, void *arg)
{
    struct link_job *j = xcalloc(1, sizeof *j);
    j->lc = lc;
    j->url = xstrdup(url);
    j->cb = cb;
    j->arg = arg;
    TAILQ_INSERT_TAIL(&lc->queue, j, link);
    lc->nqueued++;
    if (lc->nactive < (size_t)lc->concurrency)
        event_active(lc->kick, EV_TIMEOUT, 0);
    return 0;
}

size_t link_checker_pending(const struct link_checker *lc)
{
    return lc->nqueued + lc->nactive;
}

struct link_checker *link_checker_new(struct event_base *base, const struct link_check_config *cfg)
{
    struct link_checker *lc = xcalloc(1, sizeof *lc);
    lc->base = base;
    TAILQ_INIT(&lc->queue);
    TAILQ_INIT(&lc->active);
    LIST_INIT(&lc->socks);
    lc->concurrency = cfg->concurrency > 0 ? cfg->concurrency : 1;
    lc->connect_timeout_ms = cfg->connect_timeout_ms;
    lc->timeout_ms = cfg->timeout_ms;
    lc->cafile = cfg->cafile && cfg->cafile[0] ? xstrdup(cfg->cafile) : NULL;
    lc->user_agent = xstrdup(cfg->user_agent ? cfg->user_agent : "ita-link-check");
    lc->allow_private = cfg->allow_private;
    lc->multi = curl_multi_init();
    lc->timer = evtimer_new(base, on_timer, lc);
    lc->kick = event_new(base, -1, 0, on_kick, lc);
    if (!lc->multi || !lc->timer || !lc->kick) {
        link_checker_free(lc);
        return NULL;
    }
    curl_multi_setopt(lc->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
    curl_multi_setopt(lc->multi, CURLMOPT_SOCKETDATA, lc);
    curl_multi_setopt(lc->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(lc->multi, CURLMOPT_TIMERDATA, lc);
    curl_multi_setopt(lc->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)lc->concurrency);
    return lc;
}

void link_checker_free(struct link_checker *lc)
{
    if (!lc)
        return;
    struct link_job *j;
    while ((j = TAILQ_FIRST(&lc->active))) {
        TAILQ_REMOVE(&lc->active, j, link);
        curl_multi_remove_handle(lc->multi, j->easy); /* its sockets: CURL_POLL_REMOVE */
        job_free(j);
    }
    while ((j = TAILQ_FIRST(&lc->queue))) {
        TAILQ_REMOVE(&lc->queue, j, link);
        job_free(j);
    }
    if (lc->multi)
        curl_multi_cleanup(lc->multi); /* closes the connections it kept for reuse */
    struct link_sock *ls;
    while ((ls = LIST_FIRST(&lc->socks))) { /* sockets curl closed without telling us */
        LIST_REMOVE(ls, link);
        if (ls->ev)
            event_free(ls->ev);
        free(ls);
    }
    if (lc->timer)
        event_free(lc->timer);
    if (lc->kick)
        event_free(lc->kick);
    free(lc->cafile);
    free(lc->user_agent);
    free(lc);
}
