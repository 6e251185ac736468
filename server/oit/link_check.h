/* A generic asynchronous URL checker: libcurl's multi interface driven by one libevent
 * event_base (curl tells us which sockets to watch and when its timer is due; we tell curl what
 * happened), so checking hundreds of links needs no thread per request and never blocks the loop.
 * Per URL: HEAD, then a small ranged GET (body discarded) when HEAD is answered with an error
 * status; redirects followed at most LINK_MAX_REDIRECTS hops; http and https only; TLS verified.
 * The verdict carries a Thai reason a clerk understands (link_verdict, pure). */
#ifndef ITA_LINK_CHECK_H
#define ITA_LINK_CHECK_H

#include <stdbool.h>
#include <stddef.h>

struct event_base;
struct link_checker;

#define LINK_MAX_REDIRECTS 5
#define LINK_REASON_MAX 200 /* bytes, with the NUL: the longest Thai reason fits */

struct link_check_config {
    int concurrency;        /* transfers at once; more URLs wait in a queue */
    int connect_timeout_ms; /* TCP + TLS set-up of one connection */
    int timeout_ms;         /* whole HEAD (and again the GET) including redirects */
    const char *cafile;     /* PEM CA bundle instead of the system's; NULL or "" = system */
    const char *user_agent; /* User-Agent header */
    bool allow_private;     /* also connect to loopback, private, link-local, multicast and
                               reserved addresses (tests, an intranet); false refuses them at
                               every connection, redirects included */
};

struct link_result {
    bool ok;                      /* final answer 2xx or 3xx */
    int status;                   /* HTTP status of the final answer; 0 when there was none */
    bool via_get;                 /* HEAD was refused and the GET decided */
    int curl_code;                /* CURLcode of the transfer that decided (0 = CURLE_OK) */
    char reason[LINK_REASON_MAX]; /* Thai reason when !ok; "" when ok */
};

/* Called once per URL with the verdict (valid during the call). The callback may queue more
 * URLs, but must not free the checker. */
typedef void (*link_check_cb)(const struct link_result *r, void *arg);

/* curl_global_init: call once on the main thread before any thread creates a checker. 0 or -1. */
int link_check_global_init(void) __attribute__((warn_unused_result));
void link_check_global_cleanup(void);

/* A checker on base (the caller's loop; all callbacks run there). cfg's strings are copied.
 * NULL when curl cannot start. Owned by the caller: link_checker_free. */
struct link_checker *link_checker_new(struct event_base *base, const struct link_check_config *cfg);

/* Drops every queued and running check without calling back, and frees the checker. */
void link_checker_free(struct link_checker *lc);

/* Queues url (copied). cb runs later from the loop, never from here. -1 when out of memory. */
int link_check_url(struct link_checker *lc, const char *url, link_check_cb cb, void *arg)
    __attribute__((warn_unused_result));

/* URLs queued or running. */
size_t link_checker_pending(const struct link_checker *lc);

/* The outcome "refused: the address is not on the public Internet" (not a CURLcode). */
#define LINK_CODE_PRIVATE (-1)

/* True when sa (AF_INET or AF_INET6, IPv4-mapped included) is not a public Internet address:
 * unspecified, loopback, private (RFC 1918, fc00::/7), shared (100.64/10), link-local,
 * benchmarking, multicast or reserved. Pure. */
struct sockaddr;
bool link_addr_private(const struct sockaddr *sa);

/* The verdict of one finished transfer, pure: curl_code (a CURLcode or LINK_CODE_PRIVATE), the
 * final HTTP status (0 when none) and the total timeout (for "หมดเวลารอ N วินาที") give r->ok and
 * r->reason. */
void link_verdict(struct link_result *r, int curl_code, int status, int timeout_ms);

/* True when a HEAD answered with status should be asked again with GET (servers that refuse or
 * mishandle HEAD: every 4xx and 5xx answer). */
bool link_head_refused(int status);

#endif
