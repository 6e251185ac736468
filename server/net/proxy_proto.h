/* The PROXY protocol, version 2 (HAProxy's binary header): a load balancer that passes TLS
 * through unopened sends it first on each connection so that the server learns the client's
 * address, which the rate limiter needs. Accepted only from addresses named in `proxy_from`.
 * Pure parsing; the connection code reads the bytes. */
#ifndef ITA_PROXY_PROTO_H
#define ITA_PROXY_PROTO_H

#include <stddef.h>

#define PROXY_V2_MAX 536 /* 16-byte header + the largest address block we accept with TLVs */

enum proxy_result {
    PROXY_NEED_MORE = 0, /* *need holds the total header length known so far */
    PROXY_DONE = 1,      /* header complete: *used bytes; ip/ip_len set (ip_len 0 for LOCAL) */
    PROXY_INVALID = -1,  /* not a PROXY v2 header, or one we refuse */
};

/* Parses buf[0..len). `need` receives how many bytes the header has in total once that is known
 * (16 before). */
enum proxy_result proxy_v2_parse(const unsigned char *buf, size_t len, size_t *need,
                                 unsigned char ip[16], size_t *ip_len);

#endif
