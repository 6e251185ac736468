/* FNV-1a of a string: the hash of the respondent side's small per-worker caches (link_cache.c,
 * page_cache.c). */
#ifndef ITA_SURVEY_FNV_H
#define ITA_SURVEY_FNV_H

#include <stdint.h>

static inline uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

#endif
