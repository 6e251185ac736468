/* `itad --demo`: a demonstration agency with a public EIT link, a public IIT link and a fresh
 * personal IIT link for the newest loaded fiscal year, so a new installation can be tried at once.
 * Start-up tool (blocking libpq); idempotent apart from issuing one new personal link per run. */
#ifndef ITA_DEMO_H
#define ITA_DEMO_H

#include "secret.h"

#include <stddef.h>

/* Prints the three links under base_url to stdout. Returns 0 or -1 with a message in err. */
int demo_links(const char *conninfo, const struct secret *s, const char *base_url, char *err,
               size_t errlen) __attribute__((warn_unused_result));

#endif
