/* Content negotiation of the response's coding from a request's Accept-Encoding header (RFC 9110
 * 12.5.3): a list of codings, each with an optional weight ";q=" from 0 to 1; "*" stands for any
 * coding not named; q=0 means "not acceptable". Pure function, no I/O. */
#ifndef ITA_ACCEPT_ENCODING_H
#define ITA_ACCEPT_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

/* True when a response may be sent gzip-coded to a client that sent value (len bytes; NULL when
 * there was no header: then identity). gzip (or its alias x-gzip), or failing that "*", must
 * carry a weight above 0, and not below identity's when identity is named with a weight. An
 * element whose weight cannot be read counts as q=0 (nothing is risked on a malformed header). */
bool accept_encoding_gzip(const char *value, size_t len);

#endif
