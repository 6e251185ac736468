-- bench/rollup_tick.sql: what one ita_rollup(k) tick costs in the middle of a national survey
-- window, when every group waits for k (sql/0007_anonymity.sql). Run against a migrated database
-- with the 2566 instruments loaded (scripts/bench runs it on its ita_bench_web database); everything
-- it creates is rolled back at the end. Prints one NOTICE per tick: rows taken and milliseconds.
--
-- The scene: 8,300 agencies, each with its year open for 30 more days and both public links;
-- every group (16,600) has 5 responses counted and 4 waiting (k = 5: 66,400 rows waiting); then
--   tick 1: 300 new answers in 300 groups (a busy second);
--   tick 2: a quiet second (nothing new);
--   tick 3: 300 more.
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL jit = off;
CREATE TEMP TABLE tick_agency ON COMMIT DROP AS
WITH a AS (INSERT INTO agency (code, name_th)
           SELECT 'tick-' || i, 'หน่วยงานทดสอบ ' || i FROM generate_series(1, 8300) i RETURNING id)
SELECT id FROM a;
INSERT INTO agency_year (agency_id, fiscal_year, opens_at, closes_at)
SELECT id, 2566, now() - interval '10 days', now() + interval '30 days' FROM tick_agency;
INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, closes_at)
SELECT id, 2566, i, 'tick-' || i || '-' || id || '-' || md5(random()::text), now() - interval '10 days',
       now() + interval '30 days'
FROM tick_agency, (VALUES ('IIT'), ('EIT')) v(i);
CREATE TEMP TABLE tick_answers ON COMMIT DROP AS
SELECT 'IIT' AS instrument, decode(repeat('01', iit_fields), 'hex') AS answers
FROM instrument_version WHERE fiscal_year = 2566
UNION ALL
SELECT 'EIT', decode(repeat('01', eit_fields), 'hex') FROM instrument_version WHERE fiscal_year = 2566;
INSERT INTO response (agency_id, fiscal_year, instrument, answers, received_on)
SELECT a.id, 2566, t.instrument, t.answers, current_date
FROM tick_agency a, tick_answers t, generate_series(1, 5);
INSERT INTO response_tally (agency_id, fiscal_year, instrument, responses, counts)
SELECT a.id, 2566, t.instrument, 5, array_fill(0, ARRAY[length(t.answers) * 10])
FROM tick_agency a, tick_answers t;
INSERT INTO response_pending (agency_id, fiscal_year, instrument, answers)
SELECT a.id, 2566, t.instrument, t.answers FROM tick_agency a, tick_answers t, generate_series(1, 4);
ANALYZE response_pending;
ANALYZE response_tally;
DO $$
DECLARE
    t0 timestamptz;
    n bigint;
BEGIN
    FOR tick IN 1 .. 3 LOOP
        IF tick <> 2 THEN
            INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)
            SELECT a.id, 2566, t.instrument, t.answers
            FROM (SELECT id FROM tick_agency ORDER BY random() LIMIT 300) a, tick_answers t
            WHERE t.instrument = 'EIT';
        END IF;
        t0 := clock_timestamp();
        n := ita_rollup(5);
        RAISE NOTICE 'bench rollup tick=% taken=% ms=%', tick, n,
            round((extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric, 1);
    END LOOP;
END
$$;
ROLLBACK;
