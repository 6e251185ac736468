/* The agency types the NACC groups agencies by in the ITA, as one fixed list: the agency list,
 * its import and the national view filter on it. agency.kind stores the Thai name exactly as
 * here (or '' when not set). */
#ifndef ITA_AGENCY_KIND_H
#define ITA_AGENCY_KIND_H

#include "strbuf.h"

#include <stddef.h>

struct ita_agency_kind {
    const char *key; /* stable ASCII name for URLs, CSV and JSON ("subdistrict_municipality") */
    const char *th; /* the Thai name stored in agency.kind and shown ("เทศบาลตำบล") */
};

#define ITA_AGENCY_KINDS_MAX 32 /* room for the list in fixed arrays (checked in agency_kind.c) */

extern const struct ita_agency_kind ita_agency_kinds[];
extern const size_t ita_agency_kinds_count;

/* Appends every Thai name, in list order, separated by ", " (for messages that list them). */
void ita_agency_kind_names(struct strbuf *o);
/* The Thai name to store for s: "" for an empty (or blank) s, the list's Thai name when s is a
 * type's Thai name or key, NULL when s is anything else. The result is static or "". */
const char *ita_agency_kind_stored(const char *s);

/* The index of the type whose Thai name or key is s (surrounding spaces ignored), or -1. */
int ita_agency_kind_find(const char *s);

#endif
