/* Loading an instrument-version file into PostgreSQL: a new fiscal year is inserted; a corrected
 * file replaces the stored version (revision + 1, old one kept in history) only when that keeps
 * the meaning of every stored answer (ita_version_can_replace). Used by `itad --load-instruments`
 * before any event loop runs, so it uses libpq's blocking API. */
#ifndef ITA_INSTRUMENT_STORE_H
#define ITA_INSTRUMENT_STORE_H

#include <stddef.h>

/* Returns 0 with what happened in msg ("fiscal year 2566 loaded (revision 1)", "... unchanged",
 * "... corrected (revision 2)"), or -1 with the reason in msg: the file's validation error, the
 * refusal listing every change that would alter stored answers, or the database error. */
int instrument_store_load(const char *conninfo, const char *path, char *msg, size_t msglen)
    __attribute__((warn_unused_result));

#endif
