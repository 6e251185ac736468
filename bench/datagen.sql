-- bench/datagen.sql: the data side of the scale test. Creates :agencies benchmark agencies and
-- :responses anonymous responses for fiscal year 2566 with realistic answer distributions, inserts
-- them into response_inbox in chunks of about :chunk rows and calls ita_rollup() after each
-- chunk, timing both. Run by scripts/bench with psql -v agencies=8300 -v responses=5000000
-- -v chunk=200000 against the benchmark database (never the run command's `ita`).
--
-- Realism: agencies differ in size (exponentially distributed weights: many small municipalities,
-- a few big departments) and in integrity: 85 % are strong (the best answer chosen 75-95 % of the
-- time), 15 % weaker (40-65 %). About a third of responses are IIT (staff), two thirds EIT
-- (citizens). A wrong answer is one level off the best 70 % of the time, any level otherwise;
-- "best" follows each field's polarity in the instrument (level 0 for reverse-scored fields).
-- Answer vectors are drawn from a pool of 2,000 per instrument and integrity decile, so 5 M rows
-- are inserted by one hash join instead of 175 M random() calls.
\set ON_ERROR_STOP on

-- Fields of the 2566 instrument, in form order, with their number of levels and polarity.
CREATE TEMP TABLE bench_spec AS
SELECT ins.v->>'code' AS instrument,
       (row_number() OVER (PARTITION BY ins.v->>'code' ORDER BY q.i, f.i) - 1)::int AS pos,
       jsonb_array_length(d.document->'scales'->(f.v->>'scale')->'labels_th') AS levels,
       f.v->>'polarity' = 'positive' AS positive
FROM instrument_version d,
     jsonb_array_elements(d.document->'instruments') AS ins(v),
     jsonb_array_elements(ins.v->'questions') WITH ORDINALITY AS q(v, i),
     jsonb_array_elements(q.v->'fields') WITH ORDINALITY AS f(v, i)
WHERE d.fiscal_year = 2566;

SELECT instrument, count(*) AS fields FROM bench_spec GROUP BY 1 ORDER BY 1;

INSERT INTO agency (code, name_th)
SELECT 'BENCH' || lpad(g::text, 5, '0'), 'หน่วยงานทดสอบภาระ ' || g
FROM generate_series(1, :agencies) g
ON CONFLICT (code) DO NOTHING;

-- Each agency: size weight, integrity (share of best answers), decile class, response counts.
CREATE TEMP TABLE bench_agency AS
SELECT a.id, w.weight, w.strength, least(9, floor(w.strength * 10)::int) AS class
FROM agency a
CROSS JOIN LATERAL (SELECT -ln(1 - random()) + 0.05 AS weight,
                           CASE WHEN random() < 0.85 THEN 0.75 + random() * 0.20
                                ELSE 0.40 + random() * 0.25 END AS strength
                    WHERE a.id IS NOT NULL) w
WHERE a.code LIKE 'BENCH%';

CREATE TEMP TABLE bench_plan AS
WITH t AS (SELECT id, class, weight / sum(weight) OVER () AS share FROM bench_agency),
r AS (SELECT id, class, round(share * :responses)::bigint AS total FROM t),
-- rounding leaves a few responses over or under: the first agency takes the difference
n AS (SELECT id, class,
             total + CASE WHEN id = (SELECT min(id) FROM r)
                          THEN :responses - (SELECT sum(total) FROM r) ELSE 0 END AS total
      FROM r),
c AS (SELECT id, class, total, round(total / 3.0)::bigint AS n_iit,
             sum(total) OVER (ORDER BY id) - total AS first_row
      FROM n)
SELECT id, class, n_iit, total - n_iit AS n_eit, (first_row / :chunk)::int AS chunk FROM c;

-- The pool of answer vectors per instrument and integrity class.
CREATE TEMP TABLE bench_pool AS
SELECT s.instrument, cl.class, k.k,
       (SELECT string_agg(lpad(to_hex(lvl), 2, '0'), '' ORDER BY pos)
        FROM (SELECT sp.pos,
                     CASE WHEN u < p THEN best
                          WHEN u < p + (1 - p) * 0.7 THEN greatest(0, least(sp.levels - 1, best + step))
                          ELSE floor(random() * sp.levels)::int END AS lvl
              FROM bench_spec sp
              CROSS JOIN LATERAL (SELECT random() AS u, (cl.class + 0.5) / 10.0 AS p,
                                         CASE WHEN sp.positive THEN sp.levels - 1 ELSE 0 END AS best,
                                         CASE WHEN sp.positive THEN -1 ELSE 1 END AS step,
                                         k.k AS kk) r
              WHERE sp.instrument = s.instrument) x) AS hex
FROM (SELECT DISTINCT instrument FROM bench_spec) s,
     generate_series(0, 9) AS cl(class),
     generate_series(0, 1999) AS k(k);
ALTER TABLE bench_pool ADD COLUMN answers bytea;
UPDATE bench_pool SET answers = decode(hex, 'hex');
CREATE INDEX ON bench_pool (instrument, class, k);
ANALYZE bench_pool;
ANALYZE bench_plan;

-- Insert chunk by chunk, rolling up after each; commits between chunks (a procedure may).
CREATE OR REPLACE PROCEDURE pg_temp.bench_fill()
LANGUAGE plpgsql AS $$
DECLARE
    c int;
    last_chunk int;
    t0 timestamptz;
    t1 timestamptz;
    rows_in bigint;
    moved bigint;
    ins_total interval := '0';
    roll_total interval := '0';
    rows_total bigint := 0;
    roll_max interval := '0';
BEGIN
    SELECT max(chunk) INTO last_chunk FROM bench_plan;
    FOR c IN 0 .. last_chunk LOOP
        t0 := clock_timestamp();
        INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)
        SELECT x.id, 2566, x.instrument, p.answers
        FROM (SELECT b.id, b.class, i.instrument, floor(random() * 2000)::int AS k
              FROM bench_plan b
              CROSS JOIN LATERAL (VALUES ('IIT', b.n_iit), ('EIT', b.n_eit)) AS i(instrument, n)
              CROSS JOIN LATERAL generate_series(1, i.n) AS g(g)
              WHERE b.chunk = c) x
        JOIN bench_pool p ON p.instrument = x.instrument AND p.class = x.class AND p.k = x.k;
        GET DIAGNOSTICS rows_in = ROW_COUNT;
        COMMIT;
        t1 := clock_timestamp();
        ins_total := ins_total + (t1 - t0);
        -- k = 1: every chunk is counted whole (the benchmark agencies have no window, so the
        -- first tick seals them; with a larger k the last rows of a small agency would wait)
        moved := ita_rollup(1);
        COMMIT;
        roll_total := roll_total + (clock_timestamp() - t1);
        roll_max := greatest(roll_max, clock_timestamp() - t1);
        rows_total := rows_total + rows_in;
        RAISE NOTICE 'bench chunk=% rows=% insert_ms=% rollup_ms=% moved=%', c, rows_in,
            round(extract(epoch FROM t1 - t0) * 1000), round(extract(epoch FROM clock_timestamp() - t1) * 1000),
            moved;
    END LOOP;
    RAISE NOTICE 'bench total rows=% insert_s=% rollup_s=% rollup_max_chunk_s=% insert_rows_per_s=% rollup_rows_per_s=%',
        rows_total, round(extract(epoch FROM ins_total)::numeric, 1),
        round(extract(epoch FROM roll_total)::numeric, 1), round(extract(epoch FROM roll_max)::numeric, 2),
        round(rows_total / extract(epoch FROM ins_total)), round(rows_total / extract(epoch FROM roll_total));
END
$$;

CALL pg_temp.bench_fill();
ANALYZE response;
ANALYZE response_tally;
