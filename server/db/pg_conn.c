/* Shared pieces of a libpq connection (see pg_conn.h). */
#include "pg_conn.h"
#include "log.h"
#include "xalloc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

struct evdns_getaddrinfo_request *pg_resolve(struct evdns_base *dns, const char *host,
                                             evdns_getaddrinfo_cb cb, void *arg)
{
    struct evutil_addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = EVUTIL_AI_ADDRCONFIG;
    return evdns_getaddrinfo(dns, host, NULL, &hints, cb, arg);
}

void pg_first_addr(const struct evutil_addrinfo *res, char *addr, size_t addrlen)
{
    addr[0] = '\0';
    if (res->ai_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, addr,
                  (socklen_t)addrlen);
    else if (res->ai_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, addr,
                  (socklen_t)addrlen);
}

char *db_conninfo_host_to_resolve(const char *conninfo)
{
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &errmsg);
    if (!opts) {
        PQfreemem(errmsg);
        return NULL; /* PQconnectStart will report the problem */
    }
    const char *host = NULL, *hostaddr = NULL;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!strcmp(o->keyword, "host") && o->val && *o->val)
            host = o->val;
        if (!strcmp(o->keyword, "hostaddr") && o->val && *o->val)
            hostaddr = o->val;
    }
    char *out = NULL;
    if (host && !hostaddr && host[0] != '/' && host[0] != '@' && !strchr(host, ',')) {
        unsigned char buf[sizeof(struct in6_addr)];
        if (inet_pton(AF_INET, host, buf) != 1 && inet_pton(AF_INET6, host, buf) != 1)
            out = xstrdup(host);
    }
    PQconninfoFree(opts);
    return out;
}

bool pg_connect_start(PGconn **pg, const char *conninfo, const char *application_name,
                      const char *hostaddr)
{
    const char *keys[4] = {"dbname", "application_name", NULL, NULL};
    const char *vals[4] = {conninfo, application_name, NULL, NULL};
    if (hostaddr) {
        keys[2] = "hostaddr";
        vals[2] = hostaddr;
    }
    *pg = PQconnectStartParams(keys, vals, 1);
    if (*pg)
        pg_conn_log_notices(*pg);
    return *pg && PQstatus(*pg) != CONNECTION_BAD;
}

bool pg_sock_wait(PGconn *pg, struct event *ev, struct event_base *base, short what,
                  bool want_write, event_callback_fn cb, void *arg)
{
    event_del(ev);
    int fd = PQsocket(pg);
    if (fd < 0)
        return false;
    if (want_write)
        what |= EV_WRITE;
    event_assign(ev, base, fd, what, cb, arg);
    event_add(ev, NULL);
    return true;
}

bool pg_drain_idle(PGconn *pg)
{
    while (!PQisBusy(pg)) {
        PGresult *r = PQgetResult(pg);
        if (!r)
            break;
        PQclear(r);
    }
    return PQstatus(pg) != CONNECTION_BAD;
}

void pg_message(char *dst, size_t len, const char *why)
{
    snprintf(dst, len, "%s", why && *why ? why : "connection lost");
    size_t n = strlen(dst);
    while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == ' '))
        dst[--n] = '\0';
}

static enum log_level notice_level(const char *severity)
{
    if (!severity)
        return LOG_WARN;
    if (strcmp(severity, "WARNING") == 0)
        return LOG_WARN;
    if (strcmp(severity, "NOTICE") == 0 || strcmp(severity, "INFO") == 0 ||
        strcmp(severity, "LOG") == 0)
        return LOG_INFO;
    if (strcmp(severity, "DEBUG") == 0)
        return LOG_DEBUG;
    return LOG_ERROR;
}

/* libpq's notice receiver: one logfmt line instead of libpq's text on stderr. */
static void notice_receiver(void *arg, const PGresult *res)
{
    (void)arg;
    const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    enum log_level level = notice_level(severity);
    if (!log_enabled(level))
        return;
    const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
    char msg[1024], extra[1200] = "", q[1024];
    if (!primary) { /* not from the server (libpq's own): the whole text */
        pg_message(q, sizeof q, PQresultErrorMessage(res));
        primary = q;
    }
    log_quote(msg, sizeof msg, primary);
    size_t n = 0;
    if (detail) {
        log_quote(q, sizeof q, detail);
        n += (size_t)snprintf(extra + n, sizeof extra - n, " detail=%s", q);
    }
    if (hint && n < sizeof extra) {
        log_quote(q, sizeof q, hint);
        snprintf(extra + n, sizeof extra - n, " hint=%s", q);
    }
    log_line(level, "event=pg_notice severity=%s sqlstate=%s message=%s%s",
             severity ? severity : "-", sqlstate ? sqlstate : "-", msg, extra);
}

void pg_conn_log_notices(PGconn *pg)
{
    PQsetNoticeReceiver(pg, notice_receiver, NULL);
}

PGconn *pg_connect_blocking(const char *conninfo, char *err, size_t errlen)
{
    PGconn *pg = PQconnectdb(conninfo);
    if (PQstatus(pg) == CONNECTION_OK) {
        pg_conn_log_notices(pg);
        return pg;
    }
    snprintf(err, errlen, "cannot connect to the database: %s", PQerrorMessage(pg));
    PQfinish(pg);
    return NULL;
}

void pg_conn_close(PGconn **pg, struct evdns_getaddrinfo_request **dns_req)
{
    if (*dns_req) {
        struct evdns_getaddrinfo_request *r = *dns_req;
        *dns_req = NULL;
        evdns_getaddrinfo_cancel(r);
    }
    if (*pg) {
        PQfinish(*pg);
        *pg = NULL;
    }
}
