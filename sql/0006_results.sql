-- 0006: results. The auditor's OIT marks per agency, year and item (met or not, the evidence URL,
-- a note, who entered it and when); the agency's draft improvement measures for the report it
-- publishes as OIT item O42; and a digest over a fiscal year's response set that export
-- manifests carry, read in the same snapshot as the tallies the figures come from.
--
-- An item without a row is "not assessed"; indicators 9 and 10 are defined only when all their
-- items are assessed (core/scoring.h). Item codes are checked against the year's instrument
-- version by the server before they are stored.

CREATE TABLE oit_result (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL REFERENCES instrument_version (fiscal_year),
    item_code text NOT NULL CHECK (item_code ~ '^O[0-9]{1,3}$'),
    met boolean NOT NULL,
    evidence_url text NOT NULL DEFAULT ''
        CHECK (length(evidence_url) <= 2000 AND (evidence_url = '' OR evidence_url ~ '^https?://\S+$')),
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    entered_by integer REFERENCES admin_user (id),
    entered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, fiscal_year, item_code)
);

-- The draft improvement-measures table of the report (measure, method, responsible unit, period,
-- follow-up), one row per line in display order. Saved as a whole: the server replaces every row
-- of the agency's year in one statement.
CREATE TABLE improvement_measure (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL REFERENCES instrument_version (fiscal_year),
    position smallint NOT NULL CHECK (position BETWEEN 1 AND 50),
    measure text NOT NULL CHECK (length(measure) BETWEEN 1 AND 2000),
    method text NOT NULL DEFAULT '' CHECK (length(method) <= 2000),
    responsible text NOT NULL DEFAULT '' CHECK (length(responsible) <= 500),
    period text NOT NULL DEFAULT '' CHECK (length(period) <= 500),
    follow_up text NOT NULL DEFAULT '' CHECK (length(follow_up) <= 2000),
    updated_by integer REFERENCES admin_user (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, fiscal_year, position)
);

-- Digest of one fiscal year's responses per agency, rolled up or not ("ita-rowsum-sha256/1"):
-- each response row is hashed as SHA-256 of
--     agency_id (4 bytes, big-endian) || instrument ('IIT'/'EIT') || received_on ('YYYY-MM-DD')
--     || answers (one byte per field)
-- and the four 56-bit words at hex offsets 0, 16, 32, 48 of each hash are summed over the rows
-- (exact numeric sums). The sums do not depend on storage order, so the same response set always
-- gives the same four sums, and they can be recomputed from a raw export. The server hashes
-- "count:s1:s2:s3:s4" of the whole export into the manifest's response-set digest.
CREATE FUNCTION ita_response_digest(p_fiscal_year smallint, p_agency_id integer)
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
          FROM (SELECT agency_id, instrument, received_on, answers FROM response
                WHERE fiscal_year = p_fiscal_year AND (p_agency_id IS NULL OR agency_id = p_agency_id)
                UNION ALL
                SELECT agency_id, instrument, received_on, answers FROM response_inbox
                WHERE fiscal_year = p_fiscal_year AND (p_agency_id IS NULL OR agency_id = p_agency_id)) r
         ) h
    GROUP BY h.agency_id
$$;
