-- 0014: the national view (/admin/national) reads one fiscal year for every agency in one
-- statement: the year's set-up, the counted responses (response_tally, keyed by year first
-- already), the OIT marks and the published results (agency_result_year, 0013). The year's rows
-- of agency_year and oit_result are found by their year here instead of scanning every year.
CREATE INDEX agency_year_year ON agency_year (fiscal_year, agency_id);
CREATE INDEX oit_result_year ON oit_result (fiscal_year, agency_id);
-- The counted responses per agency without reading response_tally's wide rows (their count arrays
-- make the year's 16,600 rows some 20 MB): an index-only scan of the year.
CREATE INDEX response_tally_year_responses ON response_tally (fiscal_year, agency_id, instrument)
    INCLUDE (responses);
