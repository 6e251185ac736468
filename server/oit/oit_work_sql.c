/* SQL of the OIT work pages: an agency's internal units, the year's OIT items (read from the
 * year's instrument version document) with their state, units, due date and evidence URLs, the
 * item's history from audit_log, copying last year's assignments and the suggested units. Each
 * change writes its audit_log row in the same statement, so both commit or neither does. */
#include "oit_work_sql.h"

/* The year's OIT items as rows it (jsonb) in their order n (join with a WHERE on v.fiscal_year). */
#define ITEMS_FROM                                                                                 \
    " instrument_version v CROSS JOIN LATERAL jsonb_array_elements(v.document->'oit'->'items')"    \
    " WITH ORDINALITY AS i(it, n)"
/* The OIT items of year Y. */
#define ITEMS_OF(Y) ITEMS_FROM " WHERE v.fiscal_year = " Y
/* "ok": one row when $3 is an item of year $2, none otherwise. */
#define ITEM_OK                                                                                    \
    " ok AS (SELECT 1 AS x FROM" ITEMS_OF("$2::smallint") " AND i.it->>'code' = $3::text LIMIT 1)"
/* A JSON array of strings of the item, [] when absent or not an array. */
#define ITEM_LIST(KEY)                                                                             \
    "(CASE WHEN jsonb_typeof(i.it->'" KEY "') = 'array' THEN i.it->'" KEY "' ELSE '[]'::jsonb "    \
    "END)"
/* The lines of such a list joined with a newline ('' when empty). */
#define ITEM_LINES(KEY)                                                                            \
    "coalesce((SELECT string_agg(btrim(r.t), E'\\n' ORDER BY r.k) FROM "                           \
    "jsonb_array_elements_text(" ITEM_LIST(KEY) ") WITH ORDINALITY AS r(t, k)), '')"
/* The item $3 of agency $1, year $2. */
#define THE_ITEM " agency_id = $1::int AND fiscal_year = $2::smallint AND item_code = $3::text"

DB_STATEMENT(
    oit_agency, OIT_AGENCY,
    "SELECT a.id, a.code, a.name_th,"
    " EXISTS (SELECT 1 FROM" ITEMS_OF(
        "$5::smallint") ") AS version,"
                        " EXISTS (SELECT 1 FROM" ITEMS_OF(
                            "$5::smallint - 1") ") AS prev_version,"
                                                " EXISTS (SELECT 1 FROM" ITEMS_OF(
                                                    "$5::smallint") " AND "
                                                                    "jsonb_typeof(i.it->'units_th')"
                                                                    " = 'array' AND "
                                                                    "i.it->'units_th' <> "
                                                                    "'[]'::jsonb)"
                                                                    " AS suggested"
                                                                    " FROM agency a WHERE (a.id = "
                                                                    "$1::int OR ($1::int = -1 AND "
                                                                    "a.code = $2::text))"
                                                                    " AND ($3::boolean OR a.id = "
                                                                    "$4::int)");

DB_STATEMENT(oit_units, OIT_UNITS,
             "SELECT u.id, u.name_th, u.retired,"
             " (SELECT count(*) FROM oit_assignment a WHERE a.unit_id = u.id) AS used"
             " FROM org_unit u WHERE u.agency_id = $1::int ORDER BY u.position, u.id");

/* A new unit goes last. */
DB_STATEMENT(oit_unit_add, OIT_UNIT_ADD,
             "WITH ins AS (INSERT INTO org_unit (agency_id, name_th, position)"
             "  SELECT $1::int, $2::text,"
             "  coalesce((SELECT max(position) + 1 FROM org_unit WHERE agency_id = $1::int), 0)"
             "  ON CONFLICT (agency_id, name_th) DO NOTHING RETURNING id),"
             " log AS (INSERT INTO audit_log (admin_id, action, agency_id, detail)"
             "  SELECT $3::int, 'oit_unit_add', $1::int,"
             "  jsonb_build_object('unit', ins.id, 'name', $2::text) FROM ins RETURNING 1)"
             " SELECT (SELECT count(*) FROM ins) AS added");

DB_STATEMENT(
    oit_unit_rename, OIT_UNIT_RENAME,
    "WITH u AS (SELECT id, name_th FROM org_unit WHERE agency_id = $1::int AND id = $2::int),"
    " dup AS (SELECT 1 FROM org_unit WHERE agency_id = $1::int AND name_th = $3::text"
    "  AND id <> $2::int),"
    " upd AS (UPDATE org_unit o SET name_th = $3::text FROM u WHERE o.id = u.id"
    "  AND u.name_th <> $3::text AND NOT EXISTS (SELECT 1 FROM dup) RETURNING o.id),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, detail)"
    "  SELECT $4::int, 'oit_unit_rename', $1::int,"
    "  jsonb_build_object('unit', u.id, 'from', u.name_th, 'name', $3::text)"
    "  FROM u JOIN upd ON upd.id = u.id RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM u) AS found, EXISTS (SELECT 1 FROM dup) AS duplicate");

/* Moving renumbers the agency's units 0..n-1 in their order, with the two swapped. */
DB_STATEMENT(
    oit_unit_move, OIT_UNIT_MOVE,
    "WITH o AS (SELECT id, name_th, (row_number() OVER (ORDER BY position, id) - 1)::int AS n"
    "  FROM org_unit WHERE agency_id = $1::int),"
    " me AS (SELECT id, n, name_th FROM o WHERE id = $2::int),"
    " other AS (SELECT o.id, o.n FROM o, me WHERE o.n = me.n + $3::int),"
    " upd AS (UPDATE org_unit u SET position = CASE WHEN u.id = me.id THEN other.n"
    "  WHEN u.id = other.id THEN me.n ELSE o.n END FROM o, me, other WHERE u.id = o.id"
    "  RETURNING u.id),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, detail)"
    "  SELECT $4::int, 'oit_unit_move', $1::int, jsonb_build_object('unit', me.id, 'name',"
    "  me.name_th, 'direction', CASE WHEN $3::int < 0 THEN 'up' ELSE 'down' END)"
    "  FROM me, other RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM me) AS found");

DB_STATEMENT(oit_unit_retire, OIT_UNIT_RETIRE,
             "WITH u AS (UPDATE org_unit SET retired = $3::boolean WHERE agency_id = $1::int"
             "  AND id = $2::int RETURNING id, name_th),"
             " log AS (INSERT INTO audit_log (admin_id, action, agency_id, detail)"
             "  SELECT $4::int, CASE WHEN $3::boolean THEN 'oit_unit_retire' ELSE "
             "'oit_unit_restore' END,"
             "  $1::int, jsonb_build_object('unit', u.id, 'name', u.name_th) FROM u RETURNING 1)"
             " SELECT EXISTS (SELECT 1 FROM u) AS found");

/* Only a unit no assignment of any year uses is deleted; others are retired instead. */
DB_STATEMENT(
    oit_unit_delete, OIT_UNIT_DELETE,
    "WITH u AS (SELECT id, name_th FROM org_unit WHERE agency_id = $1::int AND id = $2::int),"
    " del AS (DELETE FROM org_unit o USING u WHERE o.id = u.id"
    "  AND NOT EXISTS (SELECT 1 FROM oit_assignment a WHERE a.unit_id = u.id)"
    "  RETURNING o.id),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, detail)"
    "  SELECT $3::int, 'oit_unit_delete', $1::int,"
    "  jsonb_build_object('unit', u.id, 'name', u.name_th)"
    "  FROM u JOIN del ON del.id = u.id RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM u) AS found, EXISTS (SELECT 1 FROM del) AS deleted");

/* Per item: the version's text, then the agency's work (no row: not started, no date). */
DB_STATEMENT(
    oit_items, OIT_ITEMS,
    "SELECT i.it->>'code' AS code, coalesce(i.it->>'sub_indicator', '') AS sub_code,"
    " coalesce((SELECT s->>'name_th' FROM jsonb_array_elements(v.document->'oit'->'sub_indicators')"
    "  s WHERE s->>'code' = i.it->>'sub_indicator' LIMIT 1), '') AS sub_name,"
    " coalesce(i.it->>'title_th', '') AS title, " ITEM_LINES(
        "requirements_th") " AS requirements, " ITEM_LINES("units_th") " AS suggested,"
                                                                       " coalesce(w.state, "
                                                                       "'not_started') AS state,"
                                                                       " coalesce(to_char(w.due_on,"
                                                                       " 'YYYY-MM-DD'), '') AS "
                                                                       "due_on, coalesce(w.note, "
                                                                       "'') AS note,"
                                                                       " coalesce(un.names, '') AS "
                                                                       "units, coalesce(un.ids, "
                                                                       "'') AS unit_ids,"
                                                                       " coalesce(ev.n, 0) AS "
                                                                       "n_urls, "
                                                                       "coalesce(ev.failed, 0) AS "
                                                                       "n_failed,"
                                                                       " coalesce(ev.ok, 0) AS "
                                                                       "n_checked, "
                                                                       "coalesce(ev.urls, '') AS "
                                                                       "urls,"
                                                                       " coalesce(to_char(w."
                                                                       "updated_at AT TIME ZONE "
                                                                       "'Asia/Bangkok', "
                                                                       "'YYYY-MM-DD HH24:MI'), '')"
                                                                       " AS updated, "
                                                                       "coalesce(au.email, '') AS "
                                                                       "updated_by"
                                                                       " FROM" ITEMS_FROM
                                                                       " LEFT JOIN oit_item_work w "
                                                                       "ON w.agency_id = $1::int "
                                                                       "AND w.fiscal_year = "
                                                                       "v.fiscal_year"
                                                                       "  AND w.item_code = "
                                                                       "i.it->>'code'"
                                                                       " LEFT JOIN admin_user au "
                                                                       "ON au.id = w.updated_by"
                                                                       " LEFT JOIN LATERAL (SELECT "
                                                                       "string_agg(u.name_th, "
                                                                       "E'\\n' ORDER BY "
                                                                       "u.position, u.id) AS names,"
                                                                       "  string_agg(u.id::text, "
                                                                       "',' ORDER BY u.position, "
                                                                       "u.id) AS ids"
                                                                       "  FROM oit_assignment a "
                                                                       "JOIN org_unit u ON u.id = "
                                                                       "a.unit_id WHERE "
                                                                       "a.agency_id = $1::int"
                                                                       "  AND a.fiscal_year = "
                                                                       "v.fiscal_year AND "
                                                                       "a.item_code = "
                                                                       "i.it->>'code') un ON true"
                                                                       " LEFT JOIN LATERAL (SELECT "
                                                                       "count(*) AS n, count(*) "
                                                                       "FILTER (WHERE "
                                                                       "e.check_state = 'failed')"
                                                                       "  AS failed, count(*) "
                                                                       "FILTER (WHERE "
                                                                       "e.check_state = 'ok') AS "
                                                                       "ok,"
                                                                       "  string_agg(e.url, E'\\n' "
                                                                       "ORDER BY e.position, e.id) "
                                                                       "AS urls FROM oit_evidence e"
                                                                       "  WHERE e.agency_id = "
                                                                       "$1::int AND e.fiscal_year "
                                                                       "= v.fiscal_year"
                                                                       "  AND e.item_code = "
                                                                       "i.it->>'code') ev ON true"
                                                                       " WHERE v.fiscal_year = "
                                                                       "$2::smallint ORDER BY i.n");

/* The work row is made or replaced, the units set to exactly the agency's own of $7; the audit
 * entry keeps what the state and due date were and the units' names now. */
DB_STATEMENT(
    oit_item_save, OIT_ITEM_SAVE,
    "WITH" ITEM_OK ","
    " old AS (SELECT state, coalesce(to_char(due_on, 'YYYY-MM-DD'), '') AS due_on, note"
    "  FROM oit_item_work WHERE" THE_ITEM "),"
    " old_units AS (SELECT coalesce(array_agg(unit_id ORDER BY unit_id), '{}') AS ids"
    "  FROM oit_assignment WHERE" THE_ITEM "),"
    " want AS (SELECT id, name_th, position FROM org_unit WHERE agency_id = $1::int"
    "  AND id = ANY ($7::int[])),"
    " w AS (INSERT INTO oit_item_work AS o (agency_id, fiscal_year, item_code, state, due_on, note,"
    "  updated_by) SELECT $1::int, $2::smallint, $3::text, $4::text, nullif($5::text, '')::date,"
    "  $6::text, $8::int FROM ok ON CONFLICT (agency_id, fiscal_year, item_code) DO UPDATE"
    "  SET state = excluded.state, due_on = excluded.due_on, note = excluded.note,"
    "  updated_by = excluded.updated_by, updated_at = now() RETURNING 1),"
    " del AS (DELETE FROM oit_assignment a USING ok WHERE a.agency_id = $1::int"
    "  AND a.fiscal_year = $2::smallint AND a.item_code = $3::text"
    "  AND a.unit_id <> ALL ($7::int[]) RETURNING 1),"
    " ins AS (INSERT INTO oit_assignment (agency_id, fiscal_year, item_code, unit_id)"
    "  SELECT $1::int, $2::smallint, $3::text, want.id FROM want, ok ON CONFLICT DO NOTHING"
    "  RETURNING 1),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $8::int, 'oit_item_set', $1::int, $2::smallint, jsonb_build_object('item', $3::text,"
    "  'state', $4::text, 'state_was', coalesce((SELECT state FROM old), 'not_started'),"
    "  'due_on', $5::text, 'due_was', coalesce((SELECT due_on FROM old), ''),"
    "  'units', (SELECT coalesce(jsonb_agg(name_th ORDER BY position, id), '[]') FROM want),"
    "  'units_changed', (SELECT ids FROM old_units)"
    "  IS DISTINCT FROM (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM want),"
    "  'note_changed', coalesce((SELECT note FROM old), '') <> $6::text) FROM ok RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM ok) AS found");

DB_STATEMENT(
    oit_evidence, OIT_EVIDENCE,
    "SELECT e.id, e.url, e.check_state AS state, coalesce(e.check_status::text, '') AS status,"
    " e.check_reason AS reason, coalesce(to_char(e.checked_at AT TIME ZONE 'Asia/Bangkok',"
    " 'YYYY-MM-DD HH24:MI'), '') AS checked_at,"
    " e.check_requested_at IS NOT NULL AS requested"
    " FROM oit_evidence e WHERE e.agency_id = $1::int AND e.fiscal_year = $2::smallint"
    " AND e.item_code = $3::text ORDER BY e.position, e.id");

/* A new URL goes last, pending a check (the table's default asks for one at once). */
DB_STATEMENT(
    oit_evidence_add, OIT_EVIDENCE_ADD,
    "WITH" ITEM_OK ","
    " w AS (INSERT INTO oit_item_work (agency_id, fiscal_year, item_code, updated_by)"
    "  SELECT $1::int, $2::smallint, $3::text, $5::int FROM ok ON CONFLICT DO NOTHING RETURNING 1),"
    " ins AS (INSERT INTO oit_evidence (agency_id, fiscal_year, item_code, position, url, added_by)"
    "  SELECT $1::int, $2::smallint, $3::text,"
    "  coalesce((SELECT max(position) + 1 FROM oit_evidence WHERE" THE_ITEM "), 0),"
    "  $4::text, $5::int FROM ok"
    "  ON CONFLICT (agency_id, fiscal_year, item_code, url) DO NOTHING RETURNING id),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $5::int, 'oit_evidence_add', $1::int, $2::smallint,"
    "  jsonb_build_object('item', $3::text, 'url', $4::text) FROM ins RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM ok) AS found, (SELECT count(*) FROM ins) AS added");

DB_STATEMENT(oit_evidence_remove, OIT_EVIDENCE_REMOVE,
             "WITH d AS (DELETE FROM oit_evidence WHERE" THE_ITEM
             " AND id = $4::bigint RETURNING url),"
             " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
             "  SELECT $5::int, 'oit_evidence_remove', $1::int, $2::smallint,"
             "  jsonb_build_object('item', $3::text, 'url', d.url) FROM d RETURNING 1)"
             " SELECT (SELECT count(*) FROM d) AS removed");

DB_STATEMENT(
    oit_evidence_move, OIT_EVIDENCE_MOVE,
    "WITH o AS (SELECT id, url, (row_number() OVER (ORDER BY position, id) - 1)::int AS n"
    "  FROM oit_evidence WHERE" THE_ITEM "),"
    " me AS (SELECT id, n, url FROM o WHERE id = $4::bigint),"
    " other AS (SELECT o.id, o.n FROM o, me WHERE o.n = me.n + $5::int),"
    " upd AS (UPDATE oit_evidence e SET position = CASE WHEN e.id = me.id THEN other.n"
    "  WHEN e.id = other.id THEN me.n ELSE o.n END FROM o, me, other WHERE e.id = o.id"
    "  RETURNING e.id),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $6::int, 'oit_evidence_move', $1::int, $2::smallint, jsonb_build_object('item',"
    "  $3::text, 'url', me.url, 'direction', CASE WHEN $5::int < 0 THEN 'up' ELSE 'down' END)"
    "  FROM me, other RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM me, other) AS moved");

DB_STATEMENT(oit_check_request, OIT_CHECK_REQUEST,
             "WITH u AS (UPDATE oit_evidence SET check_requested_at = now() WHERE" THE_ITEM
             " RETURNING id),"
             " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
             "  SELECT $4::int, 'oit_check_request', $1::int, $2::smallint,"
             "  jsonb_build_object('item', $3::text, 'urls', (SELECT count(*) FROM u))"
             "  WHERE EXISTS (SELECT 1 FROM u) RETURNING 1)"
             " SELECT (SELECT count(*) FROM u) AS requested");

/* The item's own entries and the copies and suggestions that reached it (detail "items"). */
DB_STATEMENT(oit_item_history, OIT_ITEM_HISTORY,
             "SELECT to_char(l.at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI') AS at,"
             " coalesce(au.email, '') AS email, l.action, l.detail::text AS detail"
             " FROM audit_log l LEFT JOIN admin_user au ON au.id = l.admin_id"
             " WHERE l.agency_id = $1::int AND l.fiscal_year = $2::smallint"
             " AND l.action LIKE 'oit\\_%' AND (l.detail->>'item' = $3::text"
             "  OR (jsonb_typeof(l.detail->'items') = 'array' AND l.detail->'items' ? $3::text))"
             " ORDER BY l.at DESC, l.id DESC LIMIT 100");

/* From the year before, items both versions have, assigned to a unit not retired since: their
 * units and due date (shifted by a year when $3), unless the item is assigned this year already
 * (skipped; a due date already set is kept). */
DB_STATEMENT(
    oit_copy_year, OIT_COPY_YEAR,
    "WITH cur AS (SELECT i.it->>'code' AS code FROM" ITEMS_OF(
        "$2::smallint") "),"
                        " prev AS (SELECT i.it->>'code' AS code FROM" ITEMS_OF(
                            "$2::smallint - 1") "),"
                                                " src AS (SELECT DISTINCT a.item_code AS code FROM "
                                                "oit_assignment a"
                                                "  JOIN org_unit u ON u.id = a.unit_id AND NOT "
                                                "u.retired"
                                                "  WHERE a.agency_id = $1::int AND a.fiscal_year = "
                                                "$2::smallint - 1"
                                                "  AND a.item_code IN (SELECT code FROM cur) AND "
                                                "a.item_code IN (SELECT code FROM prev)),"
                                                " taken AS (SELECT code FROM src WHERE EXISTS "
                                                "(SELECT 1 FROM oit_assignment b"
                                                "  WHERE b.agency_id = $1::int AND b.fiscal_year = "
                                                "$2::smallint AND b.item_code = src.code)),"
                                                " todo AS (SELECT code FROM src EXCEPT SELECT code "
                                                "FROM taken),"
                                                " w AS (INSERT INTO oit_item_work AS o (agency_id, "
                                                "fiscal_year, item_code, due_on, updated_by)"
                                                "  SELECT $1::int, $2::smallint, t.code, (CASE "
                                                "WHEN $3::boolean"
                                                "  THEN p.due_on + interval '1 year' ELSE p.due_on "
                                                "END)::date, $4::int FROM todo t"
                                                "  LEFT JOIN oit_item_work p ON p.agency_id = "
                                                "$1::int AND p.fiscal_year = $2::smallint - 1"
                                                "  AND p.item_code = t.code"
                                                "  ON CONFLICT (agency_id, fiscal_year, item_code) "
                                                "DO UPDATE"
                                                "  SET due_on = coalesce(o.due_on, "
                                                "excluded.due_on), updated_by = "
                                                "excluded.updated_by,"
                                                "  updated_at = now() RETURNING 1),"
                                                " ins AS (INSERT INTO oit_assignment (agency_id, "
                                                "fiscal_year, item_code, unit_id)"
                                                "  SELECT $1::int, $2::smallint, a.item_code, "
                                                "a.unit_id FROM oit_assignment a"
                                                "  JOIN org_unit u ON u.id = a.unit_id AND NOT "
                                                "u.retired JOIN todo t ON t.code = a.item_code"
                                                "  WHERE a.agency_id = $1::int AND a.fiscal_year = "
                                                "$2::smallint - 1"
                                                "  ON CONFLICT DO NOTHING RETURNING 1),"
                                                " log AS (INSERT INTO audit_log (admin_id, action, "
                                                "agency_id, fiscal_year, detail)"
                                                "  SELECT $4::int, 'oit_copy_year', $1::int, "
                                                "$2::smallint, jsonb_build_object('from',"
                                                "  $2::int - 1, 'copied', (SELECT count(*) FROM "
                                                "todo), 'skipped', (SELECT count(*) FROM taken),"
                                                "  'shift', $3::boolean, 'items', (SELECT "
                                                "coalesce(jsonb_agg(code), '[]') FROM todo))"
                                                "  RETURNING 1)"
                                                " SELECT (SELECT count(*) FROM todo) AS copied, "
                                                "(SELECT count(*) FROM taken) AS skipped");

/* The version's units_th of the items no unit has yet: units made by name where the agency has
 * none of that name (in the order the items first name them), then assigned. */
DB_STATEMENT(
    oit_suggested, OIT_SUGGESTED,
    "WITH sug AS (SELECT i.it->>'code' AS code, btrim(s.name) AS name, i.n * 1000 + s.k AS o"
    "  FROM" ITEMS_FROM " CROSS JOIN LATERAL jsonb_array_elements_text(" ITEM_LIST(
        "units_th") ") WITH ORDINALITY AS s(name, k)"
                    "  WHERE v.fiscal_year = $2::smallint AND length(btrim(s.name)) BETWEEN 1 AND "
                    "200),"
                    " open AS (SELECT DISTINCT code FROM sug WHERE NOT EXISTS (SELECT 1 FROM "
                    "oit_assignment a"
                    "  WHERE a.agency_id = $1::int AND a.fiscal_year = $2::smallint AND "
                    "a.item_code = sug.code)),"
                    " missing AS (SELECT name, min(o) AS first FROM sug WHERE code IN (SELECT code "
                    "FROM open)"
                    "  AND NOT EXISTS (SELECT 1 FROM org_unit u WHERE u.agency_id = $1::int"
                    "  AND u.name_th = sug.name) GROUP BY name),"
                    " newu AS (INSERT INTO org_unit (agency_id, name_th, position)"
                    "  SELECT $1::int, name, coalesce((SELECT max(position) + 1 FROM org_unit"
                    "  WHERE agency_id = $1::int), 0) + row_number() OVER (ORDER BY first) - 1 "
                    "FROM missing"
                    "  ON CONFLICT (agency_id, name_th) DO NOTHING RETURNING id, name_th),"
                    " units AS (SELECT id, name_th FROM org_unit WHERE agency_id = $1::int"
                    "  UNION ALL SELECT id, name_th FROM newu),"
                    " w AS (INSERT INTO oit_item_work (agency_id, fiscal_year, item_code, "
                    "updated_by)"
                    "  SELECT $1::int, $2::smallint, code, $3::int FROM open ON CONFLICT DO "
                    "NOTHING RETURNING 1),"
                    " ins AS (INSERT INTO oit_assignment (agency_id, fiscal_year, item_code, "
                    "unit_id)"
                    "  SELECT DISTINCT $1::int, $2::smallint, s.code, u.id FROM sug s"
                    "  JOIN open ON open.code = s.code JOIN units u ON u.name_th = s.name"
                    "  ON CONFLICT DO NOTHING RETURNING item_code),"
                    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, "
                    "detail)"
                    "  SELECT $3::int, 'oit_suggested_units', $1::int, $2::smallint, "
                    "jsonb_build_object("
                    "  'units', (SELECT count(*) FROM newu), 'assigned', (SELECT count(DISTINCT "
                    "item_code)"
                    "  FROM ins), 'items', (SELECT coalesce(jsonb_agg(DISTINCT item_code), '[]') "
                    "FROM ins))"
                    "  RETURNING 1)"
                    " SELECT (SELECT count(*) FROM newu) AS units,"
                    " (SELECT count(DISTINCT item_code) FROM ins) AS items");

const struct db_statement *const oit_work_statements[] = {
    &sql_oit_agency,        &sql_oit_units,         &sql_oit_unit_add,     &sql_oit_unit_rename,
    &sql_oit_unit_move,     &sql_oit_unit_retire,   &sql_oit_unit_delete,  &sql_oit_items,
    &sql_oit_item_save,     &sql_oit_evidence,      &sql_oit_evidence_add, &sql_oit_evidence_remove,
    &sql_oit_evidence_move, &sql_oit_check_request, &sql_oit_item_history, &sql_oit_copy_year,
    &sql_oit_suggested,
};
const size_t oit_work_statements_count = sizeof oit_work_statements / sizeof oit_work_statements[0];
