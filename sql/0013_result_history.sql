-- 0013: an agency's ITA results across fiscal years, for the history chart of the results page
-- and the report, and for the national view. One row per agency and year:
--   source 'entered'   typed by an administrator from the NACC's published result (earlier years);
--   source 'imported'  from a CSV file (an agency's own, or many agencies' by a system administrator);
--   source 'published' this system's own final result of a year, frozen when the year's window has
--                      closed and every minimum sample and the OIT audit are complete.
-- Earlier years have no instrument version here, so fiscal_year is not a reference to one. The
-- figures are the published ones to two decimals; a value not known is NULL (years before 2564 had
-- other indicator sets, so their ten-indicator array may be missing). rating is the year's grade
-- (AA ... F, up to 2566) or tier (ผ่านดีเยี่ยม ... ต้องปรับปรุงโดยด่วน, from 2567); the server
-- checks it against the year before storing. These are agency-level published figures, not answers:
-- nothing here is finer than what the NACC itself publishes per agency.
CREATE TABLE agency_result (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL CHECK (fiscal_year BETWEEN 2557 AND 2700),
    total numeric(5, 2) NOT NULL CHECK (total BETWEEN 0 AND 100),
    iit numeric(5, 2) CHECK (iit BETWEEN 0 AND 100),
    eit numeric(5, 2) CHECK (eit BETWEEN 0 AND 100),
    oit numeric(5, 2) CHECK (oit BETWEEN 0 AND 100),
    indicators numeric(5, 2)[] CHECK (indicators IS NULL OR (cardinality(indicators) = 10
        AND 0 <= ALL (indicators) AND 100 >= ALL (indicators))),
    rating text NOT NULL DEFAULT '' CHECK (length(rating) <= 60),
    source text NOT NULL CHECK (source IN ('entered', 'imported', 'published')),
    entered_by integer REFERENCES admin_user (id),
    entered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, fiscal_year)
);
-- The national view reads one year's results for every agency.
CREATE INDEX agency_result_year ON agency_result (fiscal_year, agency_id);
