/* The agency types the NACC groups agencies by in the ITA, as one fixed list: the agency list,
 * its import and the national view filter on it. agency.kind stores the Thai name exactly as
 * here (or '' when not set). */
#ifndef ITA_AGENCY_KIND_H
#define ITA_AGENCY_KIND_H

#include <stddef.h>

struct ita_agency_kind {
    const char *key; /* stable ASCII name for URLs, CSV and JSON ("subdistrict_municipality") */
    const char *th; /* the Thai name stored in agency.kind and shown ("เทศบาลตำบล") */
};

extern const struct ita_agency_kind ita_agency_kinds[];
extern const size_t ita_agency_kinds_count;

/* The index of the type whose Thai name or key is s (surrounding spaces ignored), or -1. */
int ita_agency_kind_find(const char *s);

#endif
