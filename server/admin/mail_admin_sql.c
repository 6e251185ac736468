/* SQL of the e-mail pages (mail_admin_sql.h). */
#include "mail_admin_sql.h"

#define LIST_OF(t)                                                                                 \
    " " t ".agency_id = $1::int AND " t ".fiscal_year = $2::smallint AND " t ".instrument = $3"

DB_STATEMENT(mail_status, MAIL_STATUS,
             "SELECT count(*) AS contacts, count(*) FILTER (WHERE c.email <> '') AS with_email,"
             " count(*) FILTER (WHERE c.link_generation > 0) AS with_link,"
             " count(*) FILTER (WHERE c.email <> '' AND c.link_generation > 0 AND o.id IS NULL)"
             "  AS unsent,"
             " count(*) FILTER (WHERE o.state IN ('queued', 'deferred')) AS waiting,"
             " count(*) FILTER (WHERE o.state = 'sent') AS sent,"
             " count(*) FILTER (WHERE o.state = 'failed') AS failed,"
             " (SELECT count(*) FROM survey_link l JOIN personal_token t ON t.link_id = l.id"
             "  WHERE" LIST_OF("l") " AND t.spent AND NOT t.revoked) AS answered"
                                    " FROM contact c LEFT JOIN mail_outbox o ON o.contact_id = c.id"
                                    "  AND o.generation = c.link_generation"
                                    " WHERE" LIST_OF("c"));

DB_STATEMENT(mail_rounds, MAIL_ROUNDS,
             "SELECT round, to_char(send_on, 'YYYY-MM-DD') AS send_on, state,"
             " coalesce(sealed_counts, ''::bytea) AS sealed,"
             " coalesce(to_char(finished_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD'), '')"
             "  AS finished_at"
             " FROM reminder_round r WHERE" LIST_OF("r") " ORDER BY round");

DB_STATEMENT(mail_failed, MAIL_FAILED,
             "SELECT c.id, c.name, c.unit, o.sent_to, o.last_reply,"
             " to_char(o.done_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI') AS at"
             " FROM mail_outbox o JOIN contact c ON c.id = o.contact_id"
             "  AND o.generation = c.link_generation"
             " WHERE" LIST_OF("c") " AND o.state = 'failed'"
                                   " ORDER BY o.done_at DESC, c.id LIMIT 500");

DB_STATEMENT(mail_mode_set, MAIL_MODE_SET,
             "WITH m AS (INSERT INTO contact_list_delivery (agency_id, fiscal_year, instrument,"
             "  delivery) VALUES ($1::int, $2::smallint, $3, $4)"
             "  ON CONFLICT (agency_id, fiscal_year, instrument) DO UPDATE"
             "  SET delivery = excluded.delivery, changed_at = now() RETURNING 1)"
             " INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
             " SELECT $5::int, 'mail_delivery_set', $1::int, $2::smallint,"
             " jsonb_build_object('instrument', $3::text, 'delivery', $4::text) FROM m");

DB_BULK_STATEMENT(
    mail_queue, MAIL_QUEUE,
    "WITH q AS (INSERT INTO mail_outbox (contact_id, generation)"
    "  SELECT c.id, c.link_generation FROM contact c"
    "  WHERE" LIST_OF(
        "c") " AND c.email <> '' AND c.link_generation > 0"
             "  ORDER BY c.id ON CONFLICT (contact_id, generation) DO NOTHING RETURNING 1),"
             " n AS (SELECT count(*) AS n FROM q),"
             " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
             "  SELECT $4::int, 'mail_invites_queued', $1::int, $2::smallint,"
             "  jsonb_build_object('instrument', $3::text, 'queued', n.n) FROM n)"
             " SELECT n FROM n");

DB_STATEMENT(
    mail_rounds_set, MAIL_ROUNDS_SET,
    "WITH v AS (SELECT r::smallint AS round, nullif(d, '')::date AS send_on"
    "  FROM unnest($4::text[]) WITH ORDINALITY AS u(d, r)),"
    " del AS (DELETE FROM reminder_round x USING v WHERE x.agency_id = $1::int"
    "  AND x.fiscal_year = $2::smallint AND x.instrument = $3 AND x.round = v.round"
    "  AND v.send_on IS NULL AND x.state = 'scheduled' RETURNING 1),"
    " up AS (INSERT INTO reminder_round (agency_id, fiscal_year, instrument, round, send_on)"
    "  SELECT $1::int, $2::smallint, $3::ita_instrument, v.round, v.send_on FROM v"
    "  WHERE v.send_on IS NOT NULL"
    "  ON CONFLICT (agency_id, fiscal_year, instrument, round) DO UPDATE"
    "  SET send_on = excluded.send_on WHERE reminder_round.state = 'scheduled' RETURNING 1),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  VALUES ($5::int, 'mail_reminders_set', $1::int, $2::smallint,"
    "  jsonb_build_object('instrument', $3::text, 'days', to_jsonb($4::text[]))))"
    " SELECT (SELECT count(*) FROM up) AS saved");

DB_STATEMENT(
    mail_resend, MAIL_RESEND,
    "WITH l AS (SELECT id FROM survey_link WHERE" LIST_OF(
        "survey_link") " AND revoked_at IS NULL),"
                       " c AS (UPDATE contact SET link_generation = link_generation + 1 WHERE id = "
                       "$4::bigint"
                       "  AND" LIST_OF(
                           "contact") " AND link_generation = $5::int AND email <> ''"
                                      "  AND EXISTS (SELECT 1 FROM l) RETURNING link_generation),"
                                      " old AS (UPDATE personal_token SET revoked = true WHERE "
                                      "token_hash = $6::bytea"
                                      "  AND EXISTS (SELECT 1 FROM c) RETURNING spent),"
                                      " ins AS (INSERT INTO personal_token (token_hash, link_id, "
                                      "spent)"
                                      "  SELECT $7::bytea, l.id, coalesce((SELECT spent FROM old), "
                                      "false) FROM l"
                                      "  WHERE EXISTS (SELECT 1 FROM c) RETURNING 1),"
                                      " q AS (INSERT INTO mail_outbox (contact_id, generation)"
                                      "  SELECT $4::bigint, link_generation FROM c RETURNING 1),"
                                      " log AS (INSERT INTO audit_log (admin_id, action, "
                                      "agency_id, fiscal_year, detail)"
                                      "  SELECT $8::int, 'mail_resend', $1::int, $2::smallint,"
                                      "  jsonb_build_object('contact', $4::bigint) FROM c)"
                                      " SELECT (SELECT link_generation FROM c) AS generation");

const struct db_statement *const mail_admin_statements[] = {
    &sql_mail_status, &sql_mail_rounds,     &sql_mail_failed, &sql_mail_mode_set,
    &sql_mail_queue,  &sql_mail_rounds_set, &sql_mail_resend};
const size_t mail_admin_statements_count =
    sizeof mail_admin_statements / sizeof mail_admin_statements[0];
