/* Web addresses as a person pastes them (evidence links of OIT items): surrounding white space
 * dropped, the scheme added when only "www.…" or a host was pasted, spaces, Thai letters and
 * other characters a URL may not hold percent-encoded as UTF-8, so that
 * "https://nkp.go.th/ita/รายงาน ผล.pdf" becomes "https://nkp.go.th/ita/%E0%B8%A3…%20…pdf". */
#ifndef ITA_URL_NORM_H
#define ITA_URL_NORM_H

#include <stddef.h>

#define ITA_URL_MAX 2000 /* longest address kept, after encoding */

/* Writes the normalised address of `in` into *out (the caller frees it; "" for an empty input)
 * and returns 0; or returns -1 with *why_th set to a static Thai sentence saying what to fix
 * (not http/https, no host, a Thai domain name, control characters, too long). */
int ita_url_normalize(const char *in, char **out, const char **why_th)
    __attribute__((warn_unused_result));

#endif
