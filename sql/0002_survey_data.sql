-- 0002: agencies, instrument versions, anonymous responses and their running tallies.
--
-- Anonymity by schema: a response row holds the agency, the fiscal year (which names the
-- instrument version), the instrument, the raw answer levels and the day it arrived. Nothing else:
-- no id, no time of day, no token, no contact, no address. New answers land in response_inbox;
-- ita_rollup() moves them in batches to response (shuffled within the batch, so storage order
-- does not keep arrival order) and adds them to response_tally, from which reports are read.

CREATE TABLE agency (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name_th text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 300),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One instrument version per fiscal year (Buddhist Era). A correction that keeps the meaning of
-- stored answers replaces the document and bumps the revision; the old one goes to history.
CREATE TABLE instrument_version (
    fiscal_year smallint PRIMARY KEY CHECK (fiscal_year BETWEEN 2500 AND 2700),
    revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    document jsonb NOT NULL,             -- canonical JSON (instruments/README.md)
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    iit_fields smallint NOT NULL CHECK (iit_fields BETWEEN 1 AND 1000),
    eit_fields smallint NOT NULL CHECK (eit_fields BETWEEN 1 AND 1000),
    loaded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE instrument_version_history (
    fiscal_year smallint NOT NULL REFERENCES instrument_version (fiscal_year),
    revision integer NOT NULL,
    document jsonb NOT NULL,
    sha256 text NOT NULL,
    loaded_at timestamptz NOT NULL,
    replaced_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (fiscal_year, revision)
);

CREATE DOMAIN ita_instrument AS text CHECK (VALUE IN ('IIT', 'EIT'));

-- Submissions land here. No foreign keys on the hot path: every insert would otherwise lock the
-- same agency and version rows (multixact churn at thousands of inserts per second). The server
-- validates agency, year and answer count before inserting; ita_rollup() re-checks through the
-- foreign keys of response.
CREATE TABLE response_inbox (
    agency_id integer NOT NULL,
    fiscal_year smallint NOT NULL,
    instrument ita_instrument NOT NULL,
    answers bytea NOT NULL CHECK (length(answers) BETWEEN 1 AND 1000), -- level of each field
    received_on date NOT NULL DEFAULT current_date
);
CREATE INDEX response_inbox_agency ON response_inbox (agency_id, fiscal_year, instrument);

-- All rolled-up responses: the raw anonymous export reads this table.
CREATE TABLE response (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL REFERENCES instrument_version (fiscal_year),
    instrument ita_instrument NOT NULL,
    answers bytea NOT NULL,
    received_on date NOT NULL
);
CREATE INDEX response_agency ON response (agency_id, fiscal_year, instrument);

-- Per agency, year and instrument: how many responses, and how many chose each level of each
-- field. counts[f * 10 + l + 1] (1-based SQL array) = answers at level l of field f; 10 is the
-- most levels a scale may have (ITA_MAX_LEVELS).
CREATE TABLE response_tally (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL REFERENCES instrument_version (fiscal_year),
    instrument ita_instrument NOT NULL,
    responses bigint NOT NULL CHECK (responses >= 0),
    counts integer[] NOT NULL,
    PRIMARY KEY (fiscal_year, agency_id, instrument)
);

-- Adds two count arrays element by element (a shorter array counts as zeros beyond its end).
CREATE FUNCTION ita_counts_add(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i), '{}')
    FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i)
$$;

-- Moves every committed inbox row to response and adds it to response_tally, in one
-- transaction. Rows inserted concurrently and not yet committed stay for the next run. Returns
-- how many responses were moved. Only one rollup runs at a time (advisory lock); a second caller
-- returns 0 at once. The expansion of answers into (field, level) cells is one hash aggregate;
-- the cells are then added into each agency's count array in place (PL/pgSQL expanded arrays),
-- one upsert per agency and instrument touched.
CREATE FUNCTION ita_rollup() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    moved bigint;
    cell record;
    g_agency integer;
    g_year smallint;
    g_instrument text;
    g_counts integer[];
    g_n bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(7319417002) THEN
        RETURN 0;
    END IF;
    IF to_regclass('pg_temp.ita_rollup_batch') IS NULL THEN
        CREATE TEMP TABLE ita_rollup_batch (
            agency_id integer, fiscal_year smallint, instrument text, answers bytea,
            received_on date
        ) ON COMMIT DELETE ROWS;
    END IF;
    WITH gone AS (DELETE FROM response_inbox RETURNING *)
    INSERT INTO ita_rollup_batch SELECT * FROM gone;
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved = 0 THEN
        RETURN 0;
    END IF;
    INSERT INTO response (agency_id, fiscal_year, instrument, answers, received_on)
    SELECT agency_id, fiscal_year, instrument, answers, received_on
    FROM ita_rollup_batch ORDER BY random();

    FOR cell IN
        SELECT c.agency_id, c.fiscal_year, c.instrument, c.pos, c.k, g.n, g.nf
        FROM (SELECT b.agency_id, b.fiscal_year, b.instrument,
                     f.i * 10 + get_byte(b.answers, f.i) AS pos, count(*)::integer AS k
              FROM ita_rollup_batch b
              CROSS JOIN LATERAL generate_series(0, length(b.answers) - 1) AS f(i)
              GROUP BY 1, 2, 3, 4) c
        JOIN (SELECT agency_id, fiscal_year, instrument, count(*) AS n,
                     max(length(answers)) AS nf
              FROM ita_rollup_batch GROUP BY 1, 2, 3) g
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
    INSERT INTO response_tally AS t (agency_id, fiscal_year, instrument, responses, counts)
    VALUES (g_agency, g_year, g_instrument, g_n, g_counts)
    ON CONFLICT (fiscal_year, agency_id, instrument) DO UPDATE
        SET responses = t.responses + excluded.responses, counts = excluded.counts;
    RETURN moved;
END
$$;

-- Live tallies (rolled-up plus not yet rolled-up rows) for one fiscal year, one row per agency and
-- instrument; agency NULL means every agency. Read-only, so it also runs on a standby.
CREATE FUNCTION ita_tallies(p_fiscal_year smallint, p_agency_id integer)
RETURNS TABLE (agency_id integer, instrument text, responses bigint, counts integer[])
LANGUAGE sql STABLE AS $$
    WITH pending AS (
        SELECT g.agency_id, g.instrument, g.n,
               (SELECT array_agg(coalesce(cell.k, 0)::integer ORDER BY p.pos)
                FROM generate_series(0, g.nf * 10 - 1) AS p(pos)
                LEFT JOIN (
                    SELECT f.i * 10 + get_byte(b.answers, f.i) AS pos, count(*) AS k
                    FROM response_inbox b
                    CROSS JOIN LATERAL generate_series(0, length(b.answers) - 1) AS f(i)
                    WHERE b.fiscal_year = p_fiscal_year AND b.agency_id = g.agency_id
                      AND b.instrument = g.instrument
                    GROUP BY 1
                ) cell ON cell.pos = p.pos) AS counts
        FROM (SELECT i.agency_id, i.instrument::text AS instrument, count(*) AS n,
                     max(length(i.answers)) AS nf
              FROM response_inbox i
              WHERE i.fiscal_year = p_fiscal_year
                AND (p_agency_id IS NULL OR i.agency_id = p_agency_id)
              GROUP BY 1, 2) g
    ),
    rolled AS (
        SELECT t.agency_id, t.instrument::text AS instrument, t.responses, t.counts
        FROM response_tally t
        WHERE t.fiscal_year = p_fiscal_year
          AND (p_agency_id IS NULL OR t.agency_id = p_agency_id)
    )
    SELECT coalesce(r.agency_id, p.agency_id), coalesce(r.instrument, p.instrument),
           coalesce(r.responses, 0) + coalesce(p.n, 0),
           CASE WHEN p.counts IS NULL THEN r.counts
                WHEN r.counts IS NULL THEN p.counts
                ELSE ita_counts_add(r.counts, p.counts) END
    FROM rolled r
    FULL JOIN pending p ON p.agency_id = r.agency_id AND p.instrument = r.instrument
    ORDER BY 1, 2
$$;
