/* What the instrument-version handlers share (instruments.c, instrument_preview.c): the request
 * state for system administrators only. */
#ifndef ITA_INSTRUMENTS_PAGE_H
#define ITA_INSTRUMENTS_PAGE_H

#include "admin_setup.h"

/* A new request state with the handler's steps (see setup_new); NULL after answering 403 in
 * Thai when u is not a system administrator. */
struct setup *instruments_begin(struct http_request *req, const struct admin_user *u,
                                const setup_step *steps, size_t nsteps);

#endif
