-- 0007: anonymity against the agency's own administrator and against an operator who holds a
-- copy of the database (README, "Anonymity"). k below is results_min_responses, which the
-- server passes to ita_rollup().
--
-- A response now passes three tables:
--   response_inbox    where a submission lands, in the transaction that spends a personal token.
--                     Emptied on every rollup tick (about a second) and then vacuumed by the
--                     server, so no stored row keeps that transaction's id next to an answer.
--   response_pending  waits per agency, fiscal year and instrument ("group") until k have
--                     gathered. Every tick that adds to a group rewrites the whole group in random
--                     order: its waiting rows share one transaction id and keep no arrival order.
--   response          reached in shuffled batches of at least k per group, carrying the day of
--                     the batch instead of the day of arrival; or, once, when the group's survey
--                     window has closed ("sealing"): the rest, with every earlier row of the
--                     group rewritten in the same transaction and the rest given the day of the
--                     group's last batch, so that every day holds at least k rows whenever the
--                     group does.
-- response_tally therefore changes only in steps of at least k, plus once at sealing. Figures
-- drawn from answers are shown only for sealed groups with at least k responses, so no two
-- figures anyone sees differ by fewer than k respondents. After sealing (a window reopened),
-- further responses wait until k of them have gathered, however long that takes.

ALTER TABLE response_inbox DROP COLUMN received_on;

CREATE TABLE response_pending (
    agency_id integer NOT NULL,
    fiscal_year smallint NOT NULL,
    instrument ita_instrument NOT NULL,
    answers bytea NOT NULL
);
CREATE INDEX response_pending_group ON response_pending (agency_id, fiscal_year, instrument);

ALTER TABLE response_tally ADD COLUMN sealed boolean NOT NULL DEFAULT false;
CREATE INDEX response_tally_unsealed ON response_tally (fiscal_year, agency_id, instrument)
    WHERE NOT sealed;

-- Rows stored before this migration: the inbox waits like any other arrival; stored rows are
-- rewritten in random order with their group's last day (arrival days and order are gone).
INSERT INTO response_pending (agency_id, fiscal_year, instrument, answers)
SELECT agency_id, fiscal_year, instrument, answers FROM response_inbox ORDER BY random();
DELETE FROM response_inbox;
INSERT INTO response_tally (agency_id, fiscal_year, instrument, responses, counts)
SELECT DISTINCT agency_id, fiscal_year, instrument, 0::bigint, '{}'::integer[] FROM response_pending
ON CONFLICT (fiscal_year, agency_id, instrument) DO NOTHING;
CREATE TEMP TABLE ita_0007_response ON COMMIT DROP AS
SELECT agency_id, fiscal_year, instrument, answers,
       max(received_on) OVER (PARTITION BY agency_id, fiscal_year, instrument) AS received_on
FROM response;
TRUNCATE response;
INSERT INTO response (agency_id, fiscal_year, instrument, answers, received_on)
SELECT agency_id, fiscal_year, instrument, answers, received_on FROM ita_0007_response
ORDER BY random();

-- Has the survey window of a group closed? Closed when the agency's year (if it has one) has
-- closed and no live link of the group is still open, each at least 30 seconds ago: a
-- submission that began just before the close has committed by then.
CREATE FUNCTION ita_window_closed(p_agency integer, p_year smallint, p_instrument text)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT y.closes_at <= now() - interval '30 seconds' FROM agency_year y
                     WHERE y.agency_id = p_agency AND y.fiscal_year = p_year), true)
       AND NOT EXISTS (SELECT 1 FROM survey_link l
                       WHERE l.agency_id = p_agency AND l.fiscal_year = p_year
                         AND l.instrument = p_instrument AND l.revoked_at IS NULL
                         AND l.closes_at > now() - interval '30 seconds')
$$;

DROP FUNCTION ita_rollup();

-- One tick, in one transaction (only one runs at a time: advisory lock; a second caller
-- returns 0 at once):
--   1. every committed inbox row is taken;
--   2. the groups looked at: those with new rows, and those whose window has closed and that
--      are not sealed yet (every group with rows waiting has a tally row, with 0 responses
--      before its first batch); their waiting rows are taken too;
--   3. a group with at least p_k rows, or one being sealed, moves to response (shuffled) and
--      its counts are added to response_tally; the other groups' rows go back to
--      response_pending, rewritten in random order;
--   4. sealed groups are marked.
-- Returns how many rows it took (from the inbox and pending): when not 0 the server vacuums
-- both tables at once, so that no dead version keeps a submitting transaction's id.
CREATE FUNCTION ita_rollup(p_k integer) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    taken bigint;
    cell record;
    g_agency integer;
    g_year smallint;
    g_instrument text;
    g_counts integer[];
    g_n bigint;
BEGIN
    IF p_k IS NULL OR p_k < 1 THEN
        RAISE EXCEPTION 'ita_rollup: k must be at least 1';
    END IF;
    IF NOT pg_try_advisory_xact_lock(7319417002) THEN
        RETURN 0;
    END IF;
    IF to_regclass('pg_temp.ita_tick_rows') IS NULL THEN
        CREATE TEMP TABLE ita_tick_rows (
            agency_id integer, fiscal_year smallint, instrument text, answers bytea
        ) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE ita_tick_groups (
            agency_id integer, fiscal_year smallint, instrument text, n bigint,
            sealing boolean, moving boolean, last_day date
        ) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE ita_tick_moved (
            agency_id integer, fiscal_year smallint, instrument text, answers bytea
        ) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE ita_tick_old (
            agency_id integer, fiscal_year smallint, instrument text, answers bytea,
            received_on date
        ) ON COMMIT DELETE ROWS;
    ELSE
        -- empty already unless an earlier call ran in this same transaction
        TRUNCATE ita_tick_rows, ita_tick_groups, ita_tick_moved, ita_tick_old;
    END IF;

    WITH gone AS (DELETE FROM response_inbox
                  RETURNING agency_id, fiscal_year, instrument::text, answers)
    INSERT INTO ita_tick_rows SELECT * FROM gone;

    -- (the test of ita_window_closed(), as joins: one pass whatever the number of groups; only
    -- groups with new rows or being sealed are kept, so a quiet tick writes nothing)
    INSERT INTO ita_tick_groups (agency_id, fiscal_year, instrument, sealing)
    SELECT c.agency_id, c.fiscal_year, c.instrument,
           t.sealed IS NOT TRUE AND y.agency_id IS NULL AND l.agency_id IS NULL
    FROM (SELECT u.agency_id, u.fiscal_year, u.instrument, bool_or(u.new) AS new
          FROM (SELECT agency_id, fiscal_year, instrument, true AS new FROM ita_tick_rows
                UNION ALL
                SELECT agency_id, fiscal_year, instrument::text, false FROM response_tally
                WHERE NOT sealed) u
          GROUP BY 1, 2, 3) c
    LEFT JOIN response_tally t ON t.fiscal_year = c.fiscal_year AND t.agency_id = c.agency_id
                              AND t.instrument = c.instrument
    LEFT JOIN (SELECT agency_id, fiscal_year FROM agency_year
               WHERE closes_at > now() - interval '30 seconds') y
           ON y.agency_id = c.agency_id AND y.fiscal_year = c.fiscal_year
    LEFT JOIN (SELECT DISTINCT agency_id, fiscal_year, instrument::text FROM survey_link
               WHERE revoked_at IS NULL AND closes_at > now() - interval '30 seconds') l
           ON l.agency_id = c.agency_id AND l.fiscal_year = c.fiscal_year
          AND l.instrument = c.instrument
    WHERE c.new OR (t.sealed IS NOT TRUE AND y.agency_id IS NULL AND l.agency_id IS NULL);

    WITH waiting AS (DELETE FROM response_pending p USING ita_tick_groups g
                     WHERE p.agency_id = g.agency_id AND p.fiscal_year = g.fiscal_year
                       AND p.instrument = g.instrument
                     RETURNING p.agency_id, p.fiscal_year, p.instrument::text, p.answers)
    INSERT INTO ita_tick_rows SELECT * FROM waiting;
    SELECT count(*) INTO taken FROM ita_tick_rows;

    UPDATE ita_tick_groups g
    SET n = coalesce((SELECT count(*) FROM ita_tick_rows r
                      WHERE r.agency_id = g.agency_id AND r.fiscal_year = g.fiscal_year
                        AND r.instrument = g.instrument), 0);
    UPDATE ita_tick_groups SET moving = sealing OR n >= p_k;

    INSERT INTO response_pending (agency_id, fiscal_year, instrument, answers)
    SELECT r.agency_id, r.fiscal_year, r.instrument, r.answers
    FROM ita_tick_rows r JOIN ita_tick_groups g USING (agency_id, fiscal_year, instrument)
    WHERE NOT g.moving ORDER BY random();
    -- a group that waits has a tally row (0 responses until its first batch): the unsealed tally
    -- rows are then every group a later tick must look at, without reading response_pending
    INSERT INTO response_tally (agency_id, fiscal_year, instrument, responses, counts)
    SELECT agency_id, fiscal_year, instrument, 0, '{}' FROM ita_tick_groups WHERE NOT moving
    ON CONFLICT (fiscal_year, agency_id, instrument) DO NOTHING;

    INSERT INTO ita_tick_moved
    SELECT r.agency_id, r.fiscal_year, r.instrument, r.answers
    FROM ita_tick_rows r JOIN ita_tick_groups g USING (agency_id, fiscal_year, instrument)
    WHERE g.moving;

    -- a group being sealed: its earlier rows are rewritten with the rest
    WITH old AS (DELETE FROM response r USING ita_tick_groups g
                 WHERE g.sealing AND r.agency_id = g.agency_id
                   AND r.fiscal_year = g.fiscal_year AND r.instrument = g.instrument
                 RETURNING r.agency_id, r.fiscal_year, r.instrument::text, r.answers,
                           r.received_on)
    INSERT INTO ita_tick_old SELECT * FROM old;
    UPDATE ita_tick_groups g
    SET last_day = (SELECT max(o.received_on) FROM ita_tick_old o
                    WHERE o.agency_id = g.agency_id AND o.fiscal_year = g.fiscal_year
                      AND o.instrument = g.instrument)
    WHERE g.sealing;

    INSERT INTO response (agency_id, fiscal_year, instrument, answers, received_on)
    SELECT x.agency_id, x.fiscal_year, x.instrument, x.answers, x.received_on
    FROM (SELECT m.agency_id, m.fiscal_year, m.instrument, m.answers,
                 CASE WHEN g.sealing THEN coalesce(g.last_day, current_date)
                      ELSE current_date END AS received_on
          FROM ita_tick_moved m JOIN ita_tick_groups g USING (agency_id, fiscal_year, instrument)
          UNION ALL
          SELECT agency_id, fiscal_year, instrument, answers, received_on FROM ita_tick_old) x
    ORDER BY random();

    -- the moved rows' answers added to their groups' counts (one upsert per group)
    FOR cell IN
        SELECT c.agency_id, c.fiscal_year, c.instrument, c.pos, c.k, g.n, g.nf
        FROM (SELECT b.agency_id, b.fiscal_year, b.instrument,
                     f.i * 10 + get_byte(b.answers, f.i) AS pos, count(*)::integer AS k
              FROM ita_tick_moved b
              CROSS JOIN LATERAL generate_series(0, length(b.answers) - 1) AS f(i)
              GROUP BY 1, 2, 3, 4) c
        JOIN (SELECT agency_id, fiscal_year, instrument, count(*) AS n,
                     max(length(answers)) AS nf
              FROM ita_tick_moved GROUP BY 1, 2, 3) g
          USING (agency_id, fiscal_year, instrument)
        ORDER BY 1, 2, 3
    LOOP
        IF g_agency IS DISTINCT FROM cell.agency_id OR g_year IS DISTINCT FROM cell.fiscal_year
           OR g_instrument IS DISTINCT FROM cell.instrument THEN
            IF g_agency IS NOT NULL THEN
                INSERT INTO response_tally AS t (agency_id, fiscal_year, instrument, responses, counts)
                VALUES (g_agency, g_year, g_instrument, g_n, g_counts)
                ON CONFLICT (fiscal_year, agency_id, instrument) DO UPDATE
                    SET responses = t.responses + excluded.responses, counts = excluded.counts;
            END IF;
            g_agency := cell.agency_id;
            g_year := cell.fiscal_year;
            g_instrument := cell.instrument;
            g_n := cell.n;
            SELECT t.counts INTO g_counts FROM response_tally t
            WHERE t.fiscal_year = g_year AND t.agency_id = g_agency AND t.instrument = g_instrument;
            IF g_counts IS NULL THEN
                g_counts := array_fill(0, ARRAY[cell.nf * 10]);
            ELSIF cardinality(g_counts) < cell.nf * 10 THEN
                g_counts := g_counts || array_fill(0, ARRAY[cell.nf * 10 - cardinality(g_counts)]);
            END IF;
        END IF;
        g_counts[cell.pos + 1] := g_counts[cell.pos + 1] + cell.k;
    END LOOP;
    IF g_agency IS NOT NULL THEN
        INSERT INTO response_tally AS t (agency_id, fiscal_year, instrument, responses, counts)
        VALUES (g_agency, g_year, g_instrument, g_n, g_counts)
        ON CONFLICT (fiscal_year, agency_id, instrument) DO UPDATE
            SET responses = t.responses + excluded.responses, counts = excluded.counts;
    END IF;

    INSERT INTO response_tally AS t (agency_id, fiscal_year, instrument, responses, counts, sealed)
    SELECT agency_id, fiscal_year, instrument, 0, '{}', true FROM ita_tick_groups WHERE sealing
    ON CONFLICT (fiscal_year, agency_id, instrument) DO UPDATE SET sealed = true;
    RETURN taken;
END
$$;

-- Tallies of one fiscal year as counted so far (rolled-up batches only, never a row still
-- waiting), one row per agency and instrument; agency NULL means every agency. `sealed` says
-- whether the group's window has closed and its last responses are in. Read-only, so it also
-- runs on a standby.
DROP FUNCTION ita_tallies(smallint, integer);
CREATE FUNCTION ita_tallies(p_fiscal_year smallint, p_agency_id integer)
RETURNS TABLE (agency_id integer, instrument text, responses bigint, counts integer[],
               sealed boolean)
LANGUAGE sql STABLE AS $$
    SELECT t.agency_id, t.instrument::text, t.responses, t.counts, t.sealed
    FROM response_tally t
    WHERE t.fiscal_year = p_fiscal_year
      AND (p_agency_id IS NULL OR t.agency_id = p_agency_id)
      AND t.responses > 0
    ORDER BY 1, 2
$$;

-- The digest of 0006 over the rows that may be shown: those of sealed groups with at least p_k
-- responses (the same rows the figures and the raw export come from).
DROP FUNCTION ita_response_digest(smallint, integer);
CREATE FUNCTION ita_response_digest(p_fiscal_year smallint, p_agency_id integer, p_k integer)
RETURNS TABLE (agency_id integer, responses bigint, s1 numeric, s2 numeric, s3 numeric, s4 numeric)
LANGUAGE sql STABLE AS $$
    SELECT h.agency_id, count(*),
           sum(('x' || substr(h.x, 1, 14))::bit(56)::bigint),
           sum(('x' || substr(h.x, 17, 14))::bit(56)::bigint),
           sum(('x' || substr(h.x, 33, 14))::bit(56)::bigint),
           sum(('x' || substr(h.x, 49, 14))::bit(56)::bigint)
    FROM (SELECT r.agency_id,
                 encode(sha256(int4send(r.agency_id)
                               || convert_to(r.instrument::text || to_char(r.received_on, 'YYYY-MM-DD'), 'UTF8')
                               || r.answers), 'hex') AS x
          FROM response r
          JOIN response_tally t ON t.fiscal_year = r.fiscal_year AND t.agency_id = r.agency_id
                               AND t.instrument = r.instrument
          WHERE r.fiscal_year = p_fiscal_year AND (p_agency_id IS NULL OR r.agency_id = p_agency_id)
            AND t.sealed AND t.responses >= p_k
         ) h
    GROUP BY h.agency_id
$$;
