/* Schema migrations: numbered files NNNN_name.sql applied in order, each once, each in its own
 * transaction, recorded in schema_migrations with a SHA-256 of the file. Runs at start-up, before
 * any event loop exists, so it uses libpq's blocking API. A session-level advisory lock lets
 * several itad processes start at once against one database. */
#ifndef ITA_MIGRATE_H
#define ITA_MIGRATE_H

#include <stddef.h>

/* Applies pending migrations from dir. Returns 0 and sets *applied, or -1 with a message naming
 * the file and quoting PostgreSQL in err. A failed file leaves the database as it was. */
int migrate_apply(const char *conninfo, const char *dir, int *applied, char *err, size_t errlen)
    __attribute__((warn_unused_result));

#endif
