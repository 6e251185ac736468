/* Operational endpoint (system.c): /healthz. */
#ifndef ITA_SYSTEM_H
#define ITA_SYSTEM_H

#include "net/http.h"

void handle_healthz(struct http_request *req);

#endif
