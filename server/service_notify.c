/* sd_notify(3) for itad.service (Type=notify): the readiness watch on the main thread's event loop
 * and the reload and stop messages (see service_notify.h). libsystemd's sd_notify does nothing
 * when NOTIFY_SOCKET is unset; the watch is not even started then. */
#include "service_notify.h"

#include "log.h"
#include "xalloc.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#define POLL_MS 20

static struct {
    struct event *ev;           /* the readiness poll, NULL once ready */
    struct worker_metrics **wm; /* the workers' metrics (not owned) */
    size_t n;                   /* entries in wm */
    char status[256];           /* STATUS= sent with READY=1 */
    int waited_ms;              /* since the watch started */
    bool ready;                 /* READY=1 sent */
} sn;

static bool enabled(void)
{
    const char *s = getenv("NOTIFY_SOCKET");
    return s && s[0];
}

static void send_state(const char *state)
{
    int rc = sd_notify(0, state);
    if (rc < 0)
        log_warn("event=sd_notify_failed error=\"%s\"", strerror(-rc));
}

static void on_poll(evutil_socket_t fd, short what, void *arg)
{
    size_t serving = 0;
    for (size_t i = 0; i < sn.n; i++)
        if (METRIC_GET(sn.wm[i]->db_conns_ready) > 0)
            serving++;
    sn.waited_ms += POLL_MS;
    if (serving < sn.n && sn.waited_ms < SERVICE_NOTIFY_READY_WAIT_MS)
        return;
    char msg[400];
    if (serving == sn.n)
        snprintf(msg, sizeof msg, "READY=1\nSTATUS=%s", sn.status);
    else
        snprintf(msg, sizeof msg,
                 "READY=1\nSTATUS=%s; database not reachable yet (503 until it is)", sn.status);
    send_state(msg);
    log_info("event=sd_notify_ready workers_with_database=%zu workers=%zu", serving, sn.n);
    sn.ready = true;
    event_free(sn.ev);
    sn.ev = NULL;
}

void service_notify_ready_when_serving(struct event_base *base, struct worker_metrics *const *wm,
                                       size_t n, const char *status)
{
    if (!enabled())
        return;
    sn.n = n;
    sn.wm = xcalloc(n ? n : 1, sizeof *sn.wm);
    memcpy(sn.wm, wm, n * sizeof *wm);
    snprintf(sn.status, sizeof sn.status, "%s", status);
    sn.ev = event_new(base, -1, EV_PERSIST, on_poll, NULL);
    struct timeval tv = {0, POLL_MS * 1000};
    event_add(sn.ev, &tv);
    send_state("STATUS=starting: waiting for the workers' database connections");
}

void service_notify_reloading(void)
{
    if (!enabled())
        return;
    /* MONOTONIC_USEC: systemd 253 and later match the reload to this message */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char msg[128];
    snprintf(msg, sizeof msg,
             "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading the TLS certificate",
             (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
    send_state(msg);
}

void service_notify_reloaded(bool ok)
{
    if (!enabled())
        return;
    char msg[400];
    snprintf(msg, sizeof msg, "%sSTATUS=%s%s", sn.ready ? "READY=1\n" : "",
             ok ? "" : "TLS reload failed, previous certificate in service; ", sn.status);
    send_state(msg);
}

void service_notify_stopping(void)
{
    if (!enabled())
        return;
    send_state("STOPPING=1\nSTATUS=stopping: draining connections");
}

void service_notify_free(void)
{
    if (sn.ev)
        event_free(sn.ev);
    free(sn.wm);
    memset(&sn, 0, sizeof sn);
}
