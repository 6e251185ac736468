/* Tells systemd where the server stands (Type=notify in itad.service) through sd_notify(3):
 * READY=1 once every worker serves, RELOADING=1 and READY=1 around a SIGHUP reload, STOPPING=1 on
 * shutdown, and STATUS= lines for `systemctl status`. Without NOTIFY_SOCKET in the environment
 * (started by hand, by scripts/run, in a container) every function does nothing. */
#ifndef ITA_SERVICE_NOTIFY_H
#define ITA_SERVICE_NOTIFY_H

#include "metrics.h"

#include <stdbool.h>
#include <stddef.h>

struct event_base;

/* How long start-up waits for a database connection in every worker before READY=1 is sent
 * anyway (the server then answers 503 until the database comes; STATUS says so). */
#define SERVICE_NOTIFY_READY_WAIT_MS 30000

/* Watches the workers' database gauges (wm[0..n-1], read only) on `base` and sends READY=1 with
 * `status` once every worker holds a usable database connection: a worker whose pool is connected
 * runs its event loop, so its listener serves and /healthz answers 200 from then on. Copies wm and
 * status; the metrics themselves must outlive service_notify_free(). */
void service_notify_ready_when_serving(struct event_base *base, struct worker_metrics *const *wm,
                                       size_t n, const char *status);
/* SIGHUP: RELOADING=1 before the certificate is read again, READY=1 after (ok or not: on a bad
 * file the previous certificate stays in service, and STATUS says so). */
void service_notify_reloading(void);
void service_notify_reloaded(bool ok);
/* SIGTERM/SIGINT: STOPPING=1 before the drain begins. */
void service_notify_stopping(void);
/* Frees the readiness watch (before its event base). */
void service_notify_free(void);

#endif
