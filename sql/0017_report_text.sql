-- 0017: the clerk's wording of the O42 report (issue #17). The report an agency publishes as OIT
-- item O42 (its analysis of a year's ITA result and its plan for the next year) prints texts whose
-- defaults come with the instrument version the report is published under: objectives, expected
-- benefits, the coordinator paragraph, the coming year's timetable, and NACC's suggestion for each
-- weak question. An agency may reword them per fiscal year; a NULL column keeps the version's
-- default. Every change is also written to audit_log by the server.

CREATE TABLE report_text (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL CHECK (fiscal_year BETWEEN 2557 AND 2700),
    objectives text CHECK (length(objectives) BETWEEN 1 AND 8000),   -- one item per line
    benefits text CHECK (length(benefits) BETWEEN 1 AND 8000),       -- one item per line
    coordinator text CHECK (length(coordinator) BETWEEN 1 AND 8000),
    -- [{"step": ..., "period": ..., "method": ...}] in print order
    timetable jsonb CHECK (timetable IS NULL OR (jsonb_typeof(timetable) = 'array'
        AND jsonb_array_length(timetable) <= 30)),
    updated_by integer REFERENCES admin_user (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, fiscal_year)
);

-- The suggestion printed under a question in the IIT or EIT analysis; an empty text leaves a
-- question out that the report would otherwise list.
CREATE TABLE report_suggestion (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL CHECK (fiscal_year BETWEEN 2557 AND 2700),
    question_code text NOT NULL CHECK (question_code ~ '^[ie][0-9]{1,3}$'),
    text text NOT NULL CHECK (length(text) <= 4000),
    updated_by integer REFERENCES admin_user (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, fiscal_year, question_code)
);

-- A report on a past year that is only stored in agency_result (entered or imported, such as a
-- result from before the system) has measures too, though that year has no instrument version in
-- the system: the measures keep their year range check instead of the reference.
ALTER TABLE improvement_measure DROP CONSTRAINT improvement_measure_fiscal_year_fkey;
ALTER TABLE improvement_measure ADD CONSTRAINT improvement_measure_fiscal_year_check
    CHECK (fiscal_year BETWEEN 2557 AND 2700);
