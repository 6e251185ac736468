/* Reading a result row by named column: every statement declares an enum of its columns beside
 * its SQL (the *_sql.h of its folder), and code outside server/db/ reads values only through
 * these calls with those names, never PQgetvalue with a bare number. The pool has already checked
 * that the result has the declared number of columns (db_statement.ncols). */
#ifndef ITA_DB_ROW_H
#define ITA_DB_ROW_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdlib.h>

/* The text of column col in row; "" for SQL NULL. Valid as long as the result. */
static inline const char *db_text(const PGresult *res, int row, int col)
{
    return PQgetvalue(res, row, col);
}
/* Its length in bytes (binary-safe). */
static inline int db_len(const PGresult *res, int row, int col)
{
    return PQgetlength(res, row, col);
}
static inline bool db_null(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) != 0;
}
/* A boolean column: true only for 't'. */
static inline bool db_bool(const PGresult *res, int row, int col)
{
    return PQgetvalue(res, row, col)[0] == 't';
}
/* An integer column (int, bigint); 0 for NULL. */
static inline long long db_int(const PGresult *res, int row, int col)
{
    return atoll(PQgetvalue(res, row, col));
}
/* A numeric or double column; 0 for NULL. */
static inline double db_double(const PGresult *res, int row, int col)
{
    return atof(PQgetvalue(res, row, col));
}

#endif
