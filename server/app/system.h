/* Operational endpoints (system.c): /healthz and /metrics. */
#ifndef ITA_SYSTEM_H
#define ITA_SYSTEM_H

#include "net/http.h"

void handle_healthz(struct http_request *req);
void handle_metrics(struct http_request *req);

#endif
