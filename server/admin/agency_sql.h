/* The statements of creating, editing and importing agencies (agency_sql.c). */
#ifndef ITA_AGENCY_SQL_H
#define ITA_AGENCY_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

extern const struct db_statement sql_agency_update;
extern const struct db_statement sql_agency_create;
extern const struct db_statement sql_agencies_import;

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const agency_statements[];
extern const size_t agency_statements_count;

#endif
