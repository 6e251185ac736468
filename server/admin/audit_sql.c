/* SQL of the audit log page (audit.c): one page of audit_log, newest first, within the
 * administrator's scope and the filters asked. */
#include "audit_sql.h"

/* An agency administrator ($1 false) sees only the entries of the own agency ($2); the agency
 * code filter ($4) is a system administrator's only. Days are Thailand's. */
DB_STATEMENT(audit_page, AUDIT_PAGE,
             "SELECT l.id,"
             " to_char(l.at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI') AS at,"
             " coalesce(u.email, '') AS email, coalesce(a.code, '') AS agency_code,"
             " coalesce(a.name_th, '') AS agency_name, l.action,"
             " coalesce(l.fiscal_year::text, '') AS fiscal_year, l.detail::text AS detail,"
             " coalesce((SELECT t.email FROM admin_user t WHERE l.action LIKE 'admin%'"
             "  AND jsonb_typeof(l.detail -> 'user') = 'number'"
             "  AND t.id = (l.detail ->> 'user')::int), '') AS target"
             " FROM audit_log l"
             " LEFT JOIN admin_user u ON u.id = l.admin_id"
             " LEFT JOIN agency a ON a.id = l.agency_id"
             " WHERE ($1::bool OR l.agency_id = $2::int)"
             " AND ($3::text IS NULL OR l.action = $3::text)"
             " AND ($4::text IS NULL OR NOT $1::bool OR a.code = $4::text)"
             " AND ($5::text IS NULL OR strpos(u.email, lower($5::text)) > 0)"
             " AND ($6::date IS NULL OR l.at >= $6::date::timestamp AT TIME ZONE 'Asia/Bangkok')"
             " AND ($7::date IS NULL"
             "  OR l.at < ($7::date + 1)::timestamp AT TIME ZONE 'Asia/Bangkok')"
             " AND ($8::bigint IS NULL OR l.id < $8::bigint)"
             " ORDER BY l.id DESC LIMIT $9::int");

const struct db_statement *const audit_statements[] = {&sql_audit_page};
const size_t audit_statements_count = sizeof audit_statements / sizeof audit_statements[0];
