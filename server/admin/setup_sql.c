/* SQL of setting up a fiscal year: the year's settings, contact lists, personal links, the mail
 * merge and progress. */
#include "setup_sql.h"

/* ---- setting up a fiscal year (setup.c) ---- */
/* The agency a request names, within the administrator's scope ($1 system, $2 own agency),
 * by id ($3, -1 when not given) or code ($4), with its year's settings, the year's sample
 * rule, live public links and how many items of the year's instrument version are unconfirmed. */
DB_STATEMENT(
    setup_view, SETUP_VIEW,
    "SELECT a.id, a.code, a.name_th, y.agency_id IS NOT NULL, v.fiscal_year IS NOT NULL,"
    " coalesce(y.closes_at <= now(), false),"
    " coalesce(to_char(y.opens_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD'), ''),"
    " coalesce(to_char((y.closes_at AT TIME ZONE 'Asia/Bangkok') - interval '1 day', "
    "'YYYY-MM-DD'), ''),"
    " y.staff_population, y.eit_population, (v.document -> 'sample_rule')::text,"
    " li.id, coalesce(li.slug, ''), le.id, coalesce(le.slug, ''),"
    " coalesce(v.unverified_items, 0),"
    " coalesce((SELECT d.delivery = 'private' FROM contact_list_delivery d"
    "  WHERE d.agency_id = a.id AND d.fiscal_year = $5::smallint AND d.instrument = 'IIT'),"
    "  true),"
    " coalesce((SELECT d.delivery = 'private' FROM contact_list_delivery d"
    "  WHERE d.agency_id = a.id AND d.fiscal_year = $5::smallint AND d.instrument = 'EIT'),"
    "  false)"
    " FROM agency a"
    " LEFT JOIN instrument_version v ON v.fiscal_year = $5::smallint"
    " LEFT JOIN agency_year y ON y.agency_id = a.id AND y.fiscal_year = $5::smallint"
    " LEFT JOIN survey_link li ON li.agency_id = a.id AND li.fiscal_year = $5::smallint"
    "  AND li.instrument = 'IIT' AND li.revoked_at IS NULL"
    " LEFT JOIN survey_link le ON le.agency_id = a.id AND le.fiscal_year = $5::smallint"
    "  AND le.instrument = 'EIT' AND le.revoked_at IS NULL"
    " WHERE (a.id = $3::int OR a.code = $4) AND ($1::boolean OR a.id = $2::int)");
/* The statements below take an agency id already resolved within scope by setup_view. */
DB_STATEMENT(
    year_save, YEAR_SAVE,
    "SELECT ita_save_year($1::int, $2::smallint, $3::date, $4::date, $5::int, $6::int, $7, $8)");
/* A validated list as column arrays; a contact already on the list (same dedupe key) is
 * kept as it is. Returns how many were new. */
DB_BULK_STATEMENT(
    contacts_import, CONTACTS_IMPORT,
    "WITH ins AS (INSERT INTO contact (agency_id, fiscal_year, instrument, name, email, phone,"
    "  unit, started_on, dedupe_key)"
    "  SELECT $1::int, $2::smallint, $3, n, coalesce(e, ''), coalesce(p, ''), coalesce(u, ''),"
    "   s::date, k FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
    "   $9::text[]) AS t(n, e, p, u, s, k)"
    "  ON CONFLICT (agency_id, fiscal_year, instrument, dedupe_key) DO NOTHING RETURNING 1),"
    " c AS (SELECT count(*) AS n FROM ins),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $10::int, 'contacts_import', $1::int, $2::smallint,"
    "  jsonb_build_object('instrument', $3::text, 'imported', c.n) FROM c)"
    " SELECT n FROM c");
/* Row 0: the totals; then one page of contacts (offset $4). */
DB_STATEMENT(
    contacts_list, CONTACTS_LIST,
    "(SELECT 0 AS o, count(*)::text, count(*) FILTER (WHERE link_generation > 0)::text,"
    "  NULL::text, NULL::text, NULL, NULL, NULL, NULL::boolean FROM contact"
    "  WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3)"
    " UNION ALL (SELECT 1, NULL, NULL, id::text, name, unit, email, phone, link_generation > 0"
    "  FROM contact WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = "
    "$3"
    "  ORDER BY id LIMIT 101 OFFSET $4::int) ORDER BY 1");
DB_BULK_STATEMENT(links_unissued, LINKS_UNISSUED,
                  "SELECT id FROM contact WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
                  " AND instrument = $3 AND link_generation = 0 ORDER BY id");
/* Contacts $4 get link number 1 and their token hashes $5 (same order) become personal
 * tokens of the live public link, in one statement: both or neither. */
DB_BULK_STATEMENT(
    links_issue, LINKS_ISSUE,
    "WITH l AS (SELECT id FROM survey_link WHERE agency_id = $1::int AND fiscal_year = "
    "$2::smallint"
    "  AND instrument = $3 AND revoked_at IS NULL),"
    " c AS (UPDATE contact SET link_generation = 1 WHERE id = ANY ($4::bigint[])"
    "  AND agency_id = $1::int AND link_generation = 0 AND EXISTS (SELECT 1 FROM l) "
    "RETURNING id),"
    " ins AS (INSERT INTO personal_token (token_hash, link_id)"
    "  SELECT u.h, l.id FROM unnest($4::bigint[], $5::bytea[]) AS u(id, h)"
    "  JOIN c ON c.id = u.id CROSS JOIN l ON CONFLICT DO NOTHING RETURNING 1),"
    " n AS (SELECT count(*) AS n FROM ins),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $6::int, 'links_issue', $1::int, $2::smallint,"
    "  jsonb_build_object('instrument', $3::text, 'issued', n.n) FROM n)"
    " SELECT n.n, (SELECT count(*) FROM contact WHERE agency_id = $1::int"
    "  AND fiscal_year = $2::smallint AND instrument = $3 AND link_generation > 0) + n.n "
    "FROM n");
/* Contact data leaves the system here, so the download is logged. */
DB_BULK_STATEMENT(
    mailmerge, MAILMERGE,
    "WITH log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  VALUES ($4::int, 'links_mailmerge', $1::int, $2::smallint,"
    "  jsonb_build_object('instrument', $3::text)))"
    " SELECT id, link_generation, name, email, phone, unit FROM contact"
    " WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3"
    " AND link_generation > 0 ORDER BY id");
DB_STATEMENT(contact_get, CONTACT_GET,
             "SELECT agency_id, fiscal_year, instrument, link_generation, name, unit, email,"
             " (SELECT a.name_th FROM agency a WHERE a.id = contact.agency_id) AS agency_name,"
             " coalesce((SELECT d.delivery = 'private' FROM contact_list_delivery d"
             "  WHERE d.agency_id = contact.agency_id AND d.fiscal_year = contact.fiscal_year"
             "  AND d.instrument = contact.instrument), contact.instrument = 'IIT') AS private"
             " FROM contact"
             " WHERE id = $3::bigint AND ($1::boolean OR agency_id = $2::int)");
/* The next link of contact $4 (expected at generation $5): the old token $6 is revoked and
 * the new one $7 inherits whether it was spent, so a reissued link never allows a second
 * answer and the page never tells who has answered. NULL when nothing changed. */
DB_STATEMENT(
    link_reissue, LINK_REISSUE,
    "WITH l AS (SELECT id FROM survey_link WHERE agency_id = $1::int AND fiscal_year = "
    "$2::smallint"
    "  AND instrument = $3 AND revoked_at IS NULL),"
    " c AS (UPDATE contact SET link_generation = link_generation + 1 WHERE id = $4::bigint"
    "  AND link_generation = $5::int AND EXISTS (SELECT 1 FROM l) RETURNING link_generation),"
    " old AS (UPDATE personal_token SET revoked = true WHERE token_hash = $6::bytea"
    "  AND EXISTS (SELECT 1 FROM c) RETURNING spent),"
    " ins AS (INSERT INTO personal_token (token_hash, link_id, spent)"
    "  SELECT $7::bytea, l.id, coalesce((SELECT spent FROM old), false) FROM l"
    "  WHERE EXISTS (SELECT 1 FROM c) RETURNING 1),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $8::int, 'link_reissue', $1::int, $2::smallint,"
    "  jsonb_build_object('contact', $4::bigint) FROM c)"
    " SELECT (SELECT link_generation FROM c)");
/* One contact within scope, for its edit and delete pages. */
DB_STATEMENT(contact_read, CONTACT_READ,
             "SELECT agency_id, fiscal_year, instrument, link_generation, name, unit, email, phone,"
             " coalesce(to_char(started_on, 'YYYY-MM-DD'), '') FROM contact"
             " WHERE id = $3::bigint AND ($1::boolean OR agency_id = $2::int)");
/* One contact's new values, validated by the importer's rules with its dedupe key; refused when
 * another contact of the same list has that key, so the list's UNIQUE key keeps meaning "one
 * person". The audit row names the contact id only. */
DB_STATEMENT(
    contact_update, CONTACT_UPDATE,
    "WITH d AS (SELECT 1 FROM contact WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
    "  AND instrument = $3 AND dedupe_key = $10 AND id <> $4::bigint),"
    " u AS (UPDATE contact SET name = $5, email = $6, phone = $7, unit = $8,"
    "  started_on = nullif($9, '')::date, dedupe_key = $10"
    "  WHERE id = $4::bigint AND agency_id = $1::int AND fiscal_year = $2::smallint"
    "  AND instrument = $3 AND NOT EXISTS (SELECT 1 FROM d) RETURNING id),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $11::int, 'contact_edit', $1::int, $2::smallint, jsonb_build_object('contact', u.id)"
    "  FROM u)"
    " SELECT CASE WHEN EXISTS (SELECT 1 FROM d) THEN 'duplicate'"
    "  WHEN EXISTS (SELECT 1 FROM u) THEN 'ok' ELSE 'gone' END");
/* One contact goes; the token of its current link (if one was issued) is revoked in the same
 * statement, whether or not it was spent, and nothing returned tells which. */
DB_STATEMENT(
    contact_delete, CONTACT_DELETE,
    "WITH c AS (DELETE FROM contact WHERE id = $3::bigint AND agency_id = $1::int"
    "  AND fiscal_year = $2::smallint AND link_generation = $4::int RETURNING id),"
    " t AS (UPDATE personal_token SET revoked = true WHERE token_hash = $5::bytea"
    "  AND EXISTS (SELECT 1 FROM c) RETURNING 1),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $6::int, 'contact_delete', $1::int, $2::smallint, jsonb_build_object('contact', c.id)"
    "  FROM c)"
    " SELECT EXISTS (SELECT 1 FROM c)");
/* After the window has closed: every contact of the agency's year goes; answers stay. */
DB_STATEMENT(contacts_purge, CONTACTS_PURGE,
             "WITH y AS (SELECT 1 FROM agency_year WHERE agency_id = $1::int AND fiscal_year = "
             "$2::smallint"
             "  AND closes_at <= now()),"
             " d AS (DELETE FROM contact WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
             "  AND EXISTS (SELECT 1 FROM y) RETURNING 1),"
             " n AS (SELECT count(*) AS n FROM d),"
             " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
             "  SELECT $3::int, 'contacts_purge', $1::int, $2::smallint, "
             "jsonb_build_object('purged', n.n)"
             "  FROM n WHERE EXISTS (SELECT 1 FROM y))"
             " SELECT EXISTS (SELECT 1 FROM y), n.n FROM n");
/* Responses counted per instrument and day (the day of the batch that counted them: each batch
 * holds at least k), whether any still wait to be counted (in the inbox or waiting for k), and
 * personal-link uptake as counts: ('d', instrument, day, n, NULL), ('w', instrument, NULL,
 * waiting, NULL) and ('l', instrument, NULL, issued, spent). */
DB_STATEMENT(
    progress, PROGRESS,
    "SELECT 'd', instrument::text, to_char(received_on, 'YYYY-MM-DD'), count(*), NULL::bigint"
    " FROM response WHERE agency_id = $1::int AND fiscal_year = $2::smallint GROUP BY 2, 3"
    " UNION ALL SELECT 'w', instrument::text, NULL, count(*), NULL FROM"
    " (SELECT instrument FROM response_inbox WHERE agency_id = $1::int"
    "  AND fiscal_year = $2::smallint"
    "  UNION ALL SELECT instrument FROM response_pending WHERE agency_id = $1::int"
    "  AND fiscal_year = $2::smallint) x GROUP BY 2"
    " UNION ALL SELECT 'l', l.instrument::text, NULL, count(*), count(*) FILTER (WHERE t.spent)"
    " FROM survey_link l JOIN personal_token t ON t.link_id = l.id"
    " WHERE l.agency_id = $1::int AND l.fiscal_year = $2::smallint AND NOT t.revoked GROUP BY 2"
    " ORDER BY 1, 2, 3");

/* ---- copying an earlier year's set-up (year.c) ---- */
/* The latest year before $2 the agency set up, as the year page pre-fills a new year from it. */
DB_STATEMENT(year_previous, YEAR_PREVIOUS,
             "SELECT fiscal_year::text AS fiscal_year,"
             " to_char(opens_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS opens_on,"
             " to_char((closes_at AT TIME ZONE 'Asia/Bangkok') - interval '1 day', 'YYYY-MM-DD')"
             " AS closes_on, staff_population, eit_population"
             " FROM agency_year WHERE agency_id = $1::int AND fiscal_year < $2::smallint"
             " ORDER BY fiscal_year DESC LIMIT 1");

const struct db_statement *const setup_statements[] = {
    &sql_setup_view,
    &sql_year_save,
    &sql_contacts_import,
    &sql_contacts_list,
    &sql_links_unissued,
    &sql_links_issue,
    &sql_mailmerge,
    &sql_contact_get,
    &sql_link_reissue,
    &sql_contacts_purge,
    &sql_progress,
    /* one contact: read, edit, delete */
    &sql_contact_read,
    &sql_contact_update,
    &sql_contact_delete,
    /* copying an earlier year's set-up */
    &sql_year_previous,
};
const size_t setup_statements_count = sizeof setup_statements / sizeof setup_statements[0];
