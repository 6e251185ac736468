/* Load generator for itad and its reference (nginx): one libevent loop per thread drives N
 * OpenSSL bufferevent connections to https://host:port, for form views, complete valid
 * submissions (GET the form, POST every field) or a static path, and prints throughput,
 * log-bucket latency percentiles, every non-2xx status and every connection or TLS error. */
#define _GNU_SOURCE /* memmem */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loadgen.h"

/* ---- per-thread state, connections ---- */

enum conn_state {
    C_IDLE,       /* no transaction: waiting for the next start (pacing or error back-off) */
    C_QUEUED,     /* waiting for a handshake slot */
    C_CONNECTING, /* TCP + TLS handshake */
    C_HEAD,       /* request sent, reading the response head */
    C_BODY,       /* reading the response body */
    C_PARKED,     /* idle mode: one request done, holding the connection */
};

enum req_kind { R_VIEW, R_FORM, R_POST, R_STATIC };

struct field_list {
    char **names; /* field names in page order */
    int *levels;  /* number of levels of each */
    size_t n;
};

struct thread;

struct conn {
    struct thread *t;
    struct bufferevent *bev; /* NULL when not connected */
    struct event *timer;     /* pacing / back-off */
    enum conn_state state;
    enum req_kind kind;    /* request in flight */
    size_t link;           /* index into opt.links */
    uint64_t txn_start_ns; /* scheduled start of the transaction */
    uint64_t connect_ns;   /* when the handshake began */
    uint64_t sent_ns;      /* when the request was written */
    int status;            /* of the response being read */
    size_t body_left;      /* bytes still due */
    bool server_closes;    /* response said Connection: close */
    bool paced;            /* the timer waits for the pacing slot in txn_start_ns */
    struct evbuffer *body; /* form pages kept for parsing */
    struct conn *next_queued;
};

struct thread {
    int id;
    pthread_t th;
    struct event_base *base;
    struct conn *conns;
    int n_conns;
    int connecting;                       /* handshakes in flight */
    struct conn *queue_head, *queue_tail; /* waiting for a handshake slot */
    uint64_t rec_start_ns, rec_end_ns;
    double interval_ns; /* pacing: ns between transaction starts (0 = none) */
    double next_slot_ns;
    uint64_t rng;
    struct field_list *forms; /* per link, parsed on first use */
    struct event *stop_timer;
    int parked;      /* idle mode: connections holding after their request */
    int idle_failed; /* idle mode: connections that failed */
    bool idle_ready; /* idle mode: all connections hold or failed */
    struct stats st;
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t rnd(struct thread *t)
{
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 7;
    t->rng ^= t->rng << 17;
    return t->rng;
}

static double rnd01(struct thread *t)
{
    return (double)(rnd(t) >> 11) / 9007199254740992.0;
}

static bool recording(const struct thread *t, uint64_t ns)
{
    return ns >= t->rec_start_ns && ns < t->rec_end_ns;
}

static void start_txn(struct conn *c);
static void begin_connect(struct conn *c);

static void drop_connection(struct conn *c)
{
    if (c->bev) {
        bufferevent_free(c->bev);
        c->bev = NULL;
    }
    evbuffer_drain(c->body, evbuffer_get_length(c->body));
}

/* Schedules the next transaction after delay_ns (0: at the next loop turn). */
static void schedule(struct conn *c, uint64_t delay_ns)
{
    struct timeval tv = {(time_t)(delay_ns / 1000000000u),
                         (suseconds_t)(delay_ns % 1000000000u / 1000)};
    c->state = C_IDLE;
    evtimer_add(c->timer, &tv);
}

static void release_connect_slot(struct thread *t)
{
    t->connecting--;
    while (t->queue_head && t->connecting < opt.max_connecting) {
        struct conn *q = t->queue_head;
        t->queue_head = q->next_queued;
        if (!t->queue_head)
            t->queue_tail = NULL;
        q->next_queued = NULL;
        begin_connect(q);
    }
}

/* A failure on c: counts it, drops the connection, retries after a short back-off. */
static void conn_failed(struct conn *c, uint64_t *counter)
{
    struct thread *t = c->t;
    uint64_t now = now_ns();
    if (recording(t, now))
        (*counter)++;
    if (c->state == C_CONNECTING)
        release_connect_slot(t);
    drop_connection(c);
    if (opt.mode == MODE_IDLE) {
        c->state = C_IDLE;
        t->idle_failed++;
        return;
    }
    schedule(c, 20 * 1000000u);
}

/* ---- requests ---- */

static void send_get(struct conn *c, const char *path, enum req_kind kind)
{
    struct evbuffer *out = bufferevent_get_output(c->bev);
    evbuffer_add_printf(out,
                        "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: ita-loadgen\r\n"
                        "Accept: text/html\r\n\r\n",
                        path, opt.hostport);
    c->kind = kind;
    c->state = C_HEAD;
    c->sent_ns = now_ns();
}

static void send_first_request(struct conn *c)
{
    switch (opt.mode) {
    case MODE_STATIC:
    case MODE_IDLE:
        send_get(c, opt.path, R_STATIC);
        break;
    case MODE_VIEW:
        send_get(c, opt.links[c->link], R_VIEW);
        break;
    case MODE_SUBMIT:
        send_get(c, opt.links[c->link], R_FORM);
        break;
    }
}

static bool is_unreserved(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_' || ch == '.' || ch == '~';
}

static void add_urlencoded(struct evbuffer *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (is_unreserved(*p))
            evbuffer_add(b, p, 1);
        else
            evbuffer_add_printf(b, "%%%02X", *p);
    }
}

/* Reads name="…" / value="…" attribute text starting at p (within end); NULL when absent. */
static const char *attr_end(const char *p, const char *end)
{
    const char *q = memchr(p, '"', (size_t)(end - p));
    return q;
}

/* Parses the radios of a form page once per link: names in page order, levels per name. */
static bool parse_fields(struct field_list *fl, const char *page, size_t len)
{
    static const char radio[] = "<input type=\"radio\" name=\"";
    const char *end = page + len, *p = page;
    size_t cap = 0;
    for (;;) {
        const char *hit = memmem(p, (size_t)(end - p), radio, sizeof radio - 1);
        if (!hit)
            break;
        const char *name = hit + sizeof radio - 1;
        const char *name_end = attr_end(name, end);
        if (!name_end)
            return false;
        const char *tag_end = memchr(name_end, '>', (size_t)(end - name_end));
        const char *val =
            tag_end ? memmem(name_end, (size_t)(tag_end - name_end), "value=\"", 7) : NULL;
        if (!val)
            return false;
        int level = atoi(val + 7);
        size_t nlen = (size_t)(name_end - name);
        size_t i = 0;
        while (i < fl->n &&
               !(strlen(fl->names[i]) == nlen && memcmp(fl->names[i], name, nlen) == 0))
            i++;
        if (i == fl->n) {
            if (fl->n == cap) {
                cap = cap ? 2 * cap : 64;
                char **nn = realloc(fl->names, cap * sizeof *nn);
                int *nl = realloc(fl->levels, cap * sizeof *nl);
                if (!nn || !nl) {
                    fprintf(stderr, "loadgen: out of memory\n");
                    exit(1);
                }
                fl->names = nn;
                fl->levels = nl;
            }
            fl->names[fl->n] = xstrndup(name, nlen);
            fl->levels[fl->n] = 0;
            fl->n++;
        }
        if (level + 1 > fl->levels[i])
            fl->levels[i] = level + 1;
        p = tag_end;
    }
    return fl->n > 0;
}

/* A plausible answer level: mostly the top of the scale, sometimes one below, now and then any. */
static int pick_level(struct thread *t, int levels)
{
    double u = rnd01(t);
    if (u < 0.7)
        return levels - 1;
    if (u < 0.9 && levels > 1)
        return levels - 2;
    return (int)(rnd(t) % (uint64_t)levels);
}

/* The form page in c->body has arrived: take its one-time token, POST every field. */
static bool send_post(struct conn *c)
{
    static const char tok[] = "name=\"f\" value=\"";
    struct thread *t = c->t;
    struct evbuffer_ptr at = evbuffer_search(c->body, tok, sizeof tok - 1, NULL);
    if (at.pos < 0)
        return false;
    size_t blen = evbuffer_get_length(c->body);
    size_t start = (size_t)at.pos + sizeof tok - 1;
    if (start >= blen)
        return false;
    char token[512];
    size_t avail = blen - start < sizeof token - 1 ? blen - start : sizeof token - 1;
    struct evbuffer_ptr from;
    if (evbuffer_ptr_set(c->body, &from, start, EVBUFFER_PTR_SET) != 0)
        return false;
    ev_ssize_t got = evbuffer_copyout_from(c->body, &from, token, avail);
    if (got <= 0)
        return false;
    token[got] = '\0';
    char *q = strchr(token, '"');
    if (!q)
        return false;
    *q = '\0';
    struct field_list *fl = &t->forms[c->link];
    if (fl->n == 0) {
        const char *page = (const char *)evbuffer_pullup(c->body, -1);
        if (!page || !parse_fields(fl, page, blen))
            return false;
    }
    evbuffer_drain(c->body, blen);

    struct evbuffer *form = evbuffer_new();
    evbuffer_add(form, "f=", 2);
    add_urlencoded(form, token);
    for (size_t i = 0; i < fl->n; i++) {
        evbuffer_add(form, "&", 1);
        add_urlencoded(form, fl->names[i]);
        evbuffer_add_printf(form, "=%d", pick_level(t, fl->levels[i]));
    }
    struct evbuffer *out = bufferevent_get_output(c->bev);
    evbuffer_add_printf(
        out,
        "POST %s HTTP/1.1\r\nHost: %s\r\nOrigin: https://%s\r\n"
        "User-Agent: ita-loadgen\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: %zu\r\n\r\n",
        opt.links[c->link], opt.hostport, opt.hostport, evbuffer_get_length(form));
    evbuffer_add_buffer(out, form);
    evbuffer_free(form);
    c->kind = R_POST;
    c->state = C_HEAD;
    c->sent_ns = now_ns();
    return true;
}

/* ---- responses ---- */

static void response_done(struct conn *c)
{
    struct thread *t = c->t;
    uint64_t now = now_ns();
    bool rec = recording(t, now);
    bool ok = c->status >= 200 && c->status < 300;
    if (rec) {
        t->st.requests++;
        t->st.status[c->status]++;
        hist_add(c->kind == R_POST ? &t->st.lat_post : &t->st.lat_get, now - c->sent_ns);
    }
    bool txn_over = true;
    if (ok) {
        switch (c->kind) {
        case R_VIEW:
            if (rec)
                t->st.views++;
            break;
        case R_STATIC:
            if (rec)
                t->st.statics++;
            break;
        case R_FORM:
            if (rec)
                t->st.views++;
            if (c->server_closes)
                break; /* cannot post on this connection; the transaction starts over */
            if (send_post(c)) {
                txn_over = false;
            } else {
                if (rec)
                    t->st.err_form++;
                evbuffer_drain(c->body, evbuffer_get_length(c->body));
            }
            break;
        case R_POST:
            if (rec)
                t->st.submits++;
            break;
        }
    }
    evbuffer_drain(c->body, evbuffer_get_length(c->body));
    if (!txn_over)
        return;
    if (ok && rec && (opt.mode != MODE_SUBMIT || c->kind == R_POST))
        hist_add(&t->st.lat_txn, now - c->txn_start_ns);
    if (c->server_closes)
        drop_connection(c);
    if (opt.mode == MODE_IDLE) {
        if (c->bev) {
            c->state = C_PARKED;
            t->parked++;
        } else {
            c->state = C_IDLE;
            t->idle_failed++;
        }
        return;
    }
    start_txn(c);
}

/* Parses a complete response head of hlen bytes; false when malformed or unsupported. */
static bool parse_head(struct conn *c, const char *h, size_t hlen)
{
    if (hlen < 12 || strncmp(h, "HTTP/1.", 7) != 0)
        return false;
    int status = atoi(h + 9);
    if (status < 100 || status > 599)
        return false;
    c->status = status;
    c->server_closes = h[7] == '0';
    bool have_length = false;
    size_t length = 0;
    const char *p = memchr(h, '\n', hlen);
    const char *end = h + hlen;
    while (p && p + 1 < end) {
        const char *line = p + 1;
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            break;
        size_t llen = (size_t)(eol - line);
        if (llen >= 15 && strncasecmp(line, "content-length:", 15) == 0) {
            length = (size_t)strtoull(line + 15, NULL, 10);
            have_length = true;
        } else if (llen >= 11 && strncasecmp(line, "connection:", 11) == 0) {
            const char *v = line + 11;
            while (*v == ' ')
                v++;
            if (strncasecmp(v, "close", 5) == 0)
                c->server_closes = true;
        } else if (llen >= 18 && strncasecmp(line, "transfer-encoding:", 18) == 0) {
            return false; /* neither itad nor nginx's static files send chunked bodies */
        }
        p = eol;
    }
    if (!have_length && status != 204 && status != 304)
        return false;
    c->body_left = have_length ? length : 0;
    return true;
}

static void read_cb(struct bufferevent *bev, void *arg)
{
    struct conn *c = arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    for (;;) {
        if (c->state == C_HEAD) {
            struct evbuffer_ptr e = evbuffer_search(in, "\r\n\r\n", 4, NULL);
            if (e.pos < 0) {
                if (evbuffer_get_length(in) > 65536)
                    conn_failed(c, &c->t->st.err_parse);
                return;
            }
            size_t hlen = (size_t)e.pos + 4;
            const char *h = (const char *)evbuffer_pullup(in, (ev_ssize_t)hlen);
            if (!h || !parse_head(c, h, hlen)) {
                conn_failed(c, &c->t->st.err_parse);
                return;
            }
            evbuffer_drain(in, hlen);
            if (recording(c->t, now_ns()))
                c->t->st.bytes_in += hlen + c->body_left;
            c->state = C_BODY;
        }
        if (c->state == C_BODY) {
            size_t avail = evbuffer_get_length(in);
            size_t take = avail < c->body_left ? avail : c->body_left;
            if (c->kind == R_FORM)
                evbuffer_remove_buffer(in, c->body, take);
            else
                evbuffer_drain(in, take);
            c->body_left -= take;
            if (c->body_left > 0)
                return;
            response_done(c); /* may free or replace c->bev */
            if (c->bev != bev || c->state != C_HEAD)
                return;
            continue; /* a further response already buffered (not expected: no pipelining) */
        }
        if (evbuffer_get_length(in) > 0 && c->state == C_PARKED)
            evbuffer_drain(in, evbuffer_get_length(in));
        return;
    }
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
    struct conn *c = arg;
    struct thread *t = c->t;
    if (what & BEV_EVENT_CONNECTED) {
        uint64_t now = now_ns();
        if (recording(t, now)) {
            t->st.handshakes++;
            hist_add(&t->st.lat_hs, now - c->connect_ns);
        }
        release_connect_slot(t);
        int one = 1;
        setsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        send_first_request(c);
        return;
    }
    if (what & BEV_EVENT_TIMEOUT) {
        conn_failed(c, &t->st.err_timeout);
        return;
    }
    unsigned long ssl_err = bufferevent_get_openssl_error(bev);
    bool tls = ssl_err != 0;
    while (bufferevent_get_openssl_error(bev) != 0)
        ;
    if (c->state == C_CONNECTING) {
        conn_failed(c, tls ? &t->st.err_tls : &t->st.err_connect);
        return;
    }
    if (c->state == C_PARKED) {
        /* the server let an idle connection go */
        t->parked--;
        t->idle_failed++;
        drop_connection(c);
        c->state = C_IDLE;
        return;
    }
    if (tls) {
        conn_failed(c, &t->st.err_tls);
        return;
    }
    conn_failed(c, &t->st.err_closed);
}

static void begin_connect(struct conn *c)
{
    struct thread *t = c->t;
    if (t->connecting >= opt.max_connecting) {
        c->state = C_QUEUED;
        if (t->queue_tail)
            t->queue_tail->next_queued = c;
        else
            t->queue_head = c;
        t->queue_tail = c;
        return;
    }
    SSL *ssl = SSL_new(ssl_ctx);
    if (!ssl) {
        ERR_clear_error();
        c->state = C_CONNECTING;
        t->connecting++;
        conn_failed(c, &t->st.err_tls);
        return;
    }
    SSL_set_tlsext_host_name(ssl, opt.host);
    if (!opt.insecure)
        SSL_set1_host(ssl, opt.host);
    /* BEV_OPT_CLOSE_ON_FREE: freeing the bufferevent frees the SSL and closes the socket,
     * also when construction fails below. */
    c->bev = bufferevent_openssl_socket_new(t->base, -1, ssl, BUFFEREVENT_SSL_CONNECTING,
                                            BEV_OPT_CLOSE_ON_FREE);
    c->state = C_CONNECTING;
    t->connecting++;
    c->connect_ns = now_ns();
    if (!c->bev) {
        conn_failed(c, &t->st.err_connect);
        return;
    }
    bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
    bufferevent_setcb(c->bev, read_cb, NULL, event_cb, c);
    struct timeval to = {(time_t)opt.timeout_s,
                         (suseconds_t)((opt.timeout_s - (double)(time_t)opt.timeout_s) * 1e6)};
    bufferevent_set_timeouts(c->bev, &to, &to);
    bufferevent_enable(c->bev, EV_READ | EV_WRITE);
    if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&target, (int)target_len) != 0)
        conn_failed(c, &t->st.err_connect);
}

/* Starts a transaction now (scheduled start = start_ns): a view, a static GET, or GET + POST. */
static void run_txn(struct conn *c, uint64_t start_ns)
{
    struct thread *t = c->t;
    c->txn_start_ns = start_ns;
    if (opt.n_links)
        c->link = (size_t)(rnd(t) % opt.n_links);
    bool fresh = !c->bev || (opt.new_conn_share > 0 && rnd01(t) < opt.new_conn_share);
    if (fresh) {
        drop_connection(c);
        begin_connect(c);
        return;
    }
    send_first_request(c);
}

/* The next transaction of c: at once, or at its pacing slot. */
static void start_txn(struct conn *c)
{
    struct thread *t = c->t;
    uint64_t now = now_ns();
    if (t->interval_ns <= 0) {
        run_txn(c, now);
        return;
    }
    double slot = t->next_slot_ns;
    t->next_slot_ns += t->interval_ns;
    if (slot <= (double)now) {
        run_txn(c, (uint64_t)slot);
        return;
    }
    c->txn_start_ns = (uint64_t)slot;
    c->paced = true;
    schedule(c, (uint64_t)(slot - (double)now));
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct conn *c = arg;
    if (c->paced) {
        uint64_t now = now_ns();
        if (now < c->txn_start_ns) {
            schedule(c, c->txn_start_ns - now); /* woke early: wait for the slot itself */
            return;
        }
        c->paced = false;
        run_txn(c, c->txn_start_ns);
    } else {
        start_txn(c);
    }
}

/* ---- threads ---- */

static int idle_ready_threads; /* idle mode: threads whose connections are all parked or failed */
static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;

static void stop_cb(evutil_socket_t fd, short what, void *arg)
{
    struct thread *t = arg;
    event_base_loopexit(t->base, NULL);
}

/* Idle mode: once every connection of every thread holds (or failed), says so once and holds
 * them for --duration. */
static void idle_check_cb(evutil_socket_t fd, short what, void *arg)
{
    struct thread *t = arg;
    bool give_up = now_ns() > t->rec_start_ns + 120ull * 1000000000u;
    if (t->idle_ready || (t->parked + t->idle_failed < t->n_conns && !give_up))
        return;
    t->idle_ready = true;
    event_del(t->stop_timer);
    event_free(t->stop_timer);
    t->stop_timer = evtimer_new(t->base, stop_cb, t);
    struct timeval tv = {(time_t)opt.duration_s, 0};
    evtimer_add(t->stop_timer, &tv);
    pthread_mutex_lock(&idle_lock);
    idle_ready_threads++;
    if (idle_ready_threads == opt.threads) {
        printf("idle_ready holding for %.0f s\n", opt.duration_s);
        fflush(stdout);
    }
    pthread_mutex_unlock(&idle_lock);
}

static void *thread_main(void *arg)
{
    struct thread *t = arg;
    uint64_t start = now_ns();
    t->rec_start_ns = start + (uint64_t)(opt.warmup_s * 1e9);
    t->rec_end_ns = t->rec_start_ns + (uint64_t)(opt.duration_s * 1e9);
    if (opt.mode == MODE_IDLE) {
        t->rec_start_ns = start;
        t->rec_end_ns = UINT64_MAX;
    }
    t->next_slot_ns = (double)start;
    struct event *check = NULL;
    if (opt.mode == MODE_IDLE) {
        check = event_new(t->base, -1, EV_PERSIST, idle_check_cb, t);
        struct timeval every = {0, 100000};
        event_add(check, &every);
        t->stop_timer = evtimer_new(t->base, stop_cb, t); /* armed once all connections hold */
    } else {
        t->stop_timer = evtimer_new(t->base, stop_cb, t);
        double total = opt.warmup_s + opt.duration_s;
        struct timeval tv = {(time_t)total, (suseconds_t)((total - (double)(time_t)total) * 1e6)};
        evtimer_add(t->stop_timer, &tv);
    }
    for (int i = 0; i < t->n_conns; i++)
        start_txn(&t->conns[i]);
    event_base_dispatch(t->base);
    if (opt.mode == MODE_IDLE) {
        struct stats *s = &t->st;
        s->requests = (uint64_t)t->parked; /* connections still open at the end */
        s->err_closed += (uint64_t)t->idle_failed;
    }
    if (check)
        event_free(check);
    return NULL;
}

static void thread_free(struct thread *t)
{
    for (int i = 0; i < t->n_conns; i++) {
        struct conn *c = &t->conns[i];
        if (c->bev)
            bufferevent_free(c->bev);
        event_free(c->timer);
        evbuffer_free(c->body);
    }
    free(t->conns);
    for (size_t i = 0; i < opt.n_links; i++) {
        for (size_t j = 0; j < t->forms[i].n; j++)
            free(t->forms[i].names[j]);
        free(t->forms[i].names);
        free(t->forms[i].levels);
    }
    free(t->forms);
    if (t->stop_timer)
        event_free(t->stop_timer);
    event_base_free(t->base);
}

int main(int argc, char **argv)
{
    int rc = 1;
    struct thread *threads = NULL;
    if (!parse_options(argc, argv))
        return 2;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (!setup_tls() || !resolve_target())
        goto out;
    threads = xcalloc((size_t)opt.threads, sizeof *threads);
    for (int i = 0; i < opt.threads; i++) {
        struct thread *t = &threads[i];
        t->id = i;
        /* precise timers: pacing slots are often under a millisecond apart */
        struct event_config *cfg = event_config_new();
        if (cfg)
            event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
        t->base = cfg ? event_base_new_with_config(cfg) : NULL;
        if (cfg)
            event_config_free(cfg);
        if (!t->base) {
            fprintf(stderr, "loadgen: cannot create an event base\n");
            goto out;
        }
        t->n_conns = opt.connections / opt.threads + (i < opt.connections % opt.threads);
        t->conns = xcalloc((size_t)t->n_conns, sizeof *t->conns);
        t->forms = xcalloc(opt.n_links ? opt.n_links : 1, sizeof *t->forms);
        t->rng = ((uint64_t)opt.seed << 20) ^ (0x9E3779B97F4A7C15ull * (uint64_t)(i + 1));
        if (t->rng == 0)
            t->rng = 1;
        if (opt.rate > 0)
            t->interval_ns = 1e9 * (double)opt.threads / opt.rate;
        for (int j = 0; j < t->n_conns; j++) {
            struct conn *c = &t->conns[j];
            c->t = t;
            c->timer = evtimer_new(t->base, timer_cb, c);
            c->body = evbuffer_new();
        }
    }
    for (int i = 0; i < opt.threads; i++)
        pthread_create(&threads[i].th, NULL, thread_main, &threads[i]);
    struct stats *total = xcalloc(1, sizeof *total);
    for (int i = 0; i < opt.threads; i++) {
        pthread_join(threads[i].th, NULL);
        stats_merge(total, &threads[i].st);
    }
    report(total);
    free(total);
    rc = 0;
out:
    if (threads) {
        for (int i = 0; i < opt.threads; i++)
            if (threads[i].base)
                thread_free(&threads[i]);
        free(threads);
    }
    for (size_t i = 0; i < opt.n_links; i++)
        free(opt.links[i]);
    free(opt.links);
    SSL_CTX_free(ssl_ctx);
    return rc;
}
