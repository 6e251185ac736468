/* SHA-256 as lower-case hex, for checksums of migration and instrument files. */
#ifndef ITA_DIGEST_H
#define ITA_DIGEST_H

#include <stddef.h>

/* Writes the 64 hex digits and a NUL into out. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
