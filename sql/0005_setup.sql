-- 0005: setting up a fiscal year. Agencies get a type and a parent; each agency's year has its
-- survey window and the populations its minimum samples are derived from (the rule lives in the
-- year's instrument file, core/sample_rule.h). Contact lists are kept apart from everything a
-- response touches: no table that holds answers refers to them, and they can be purged after the
-- window closes. A contact's personal link is not stored at all: the token is derived from the
-- server secret, the contact id and the link generation (server/contact_token.c), so a copy of
-- the database alone cannot tell which contact spent which token. Administrative actions that
-- must be accountable (imports, issuing, purges, exports) go to audit_log.

ALTER TABLE agency
    ADD COLUMN kind text NOT NULL DEFAULT '' CHECK (length(kind) <= 100),
    ADD COLUMN parent_id integer REFERENCES agency (id),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT agency_not_own_parent CHECK (parent_id <> id);
CREATE INDEX agency_parent ON agency (parent_id);

CREATE TABLE agency_year (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL REFERENCES instrument_version (fiscal_year),
    opens_at timestamptz NOT NULL,
    closes_at timestamptz NOT NULL,
    staff_population integer CHECK (staff_population BETWEEN 0 AND 10000000),  -- >= 1 year of service
    eit_population integer CHECK (eit_population BETWEEN 0 AND 100000000),   -- outside stakeholders
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, fiscal_year),
    CHECK (closes_at > opens_at)
);

CREATE TABLE contact (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL REFERENCES instrument_version (fiscal_year),
    instrument ita_instrument NOT NULL,          -- IIT: staff list; EIT: outside stakeholders
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email text NOT NULL DEFAULT '',
    phone text NOT NULL DEFAULT '',
    unit text NOT NULL DEFAULT '',
    started_on date,
    dedupe_key text NOT NULL,
    link_generation integer NOT NULL DEFAULT 0 CHECK (link_generation >= 0), -- 0: no link issued
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (agency_id, fiscal_year, instrument, dedupe_key)
);

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    admin_id integer REFERENCES admin_user (id),
    action text NOT NULL,
    agency_id integer,
    fiscal_year smallint,
    detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_agency ON audit_log (agency_id, at);

-- API tokens get an id (to list and revoke them) and the day they were last used.
ALTER TABLE api_token
    ADD COLUMN id integer GENERATED ALWAYS AS IDENTITY UNIQUE,
    ADD COLUMN last_used_on date;

-- Imports an agency list in one statement: new codes are inserted, known codes get the new name
-- and type, then parents are set from parent codes (in the list or already stored). An unknown
-- parent code aborts the whole import. Returns how many were inserted and updated.
CREATE FUNCTION ita_import_agencies(codes text[], names text[], kinds text[], parents text[],
                                    OUT inserted integer, OUT updated integer)
LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    SELECT string_agg(DISTINCT p, ', ') INTO missing
    FROM unnest(parents) AS p
    WHERE p IS NOT NULL AND p <> '' AND p <> ALL (codes)
      AND NOT EXISTS (SELECT 1 FROM agency a WHERE a.code = p);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = 'ไม่พบหน่วยงานต้นสังกัดรหัส ' || missing;
    END IF;
    WITH up AS (
        INSERT INTO agency (code, name_th, kind)
        SELECT c, n, coalesce(k, '') FROM unnest(codes, names, kinds) AS u(c, n, k)
        ON CONFLICT (code) DO UPDATE SET name_th = excluded.name_th, kind = excluded.kind,
                                         updated_at = now()
        RETURNING (xmax = 0) AS is_new)
    SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new)
    INTO inserted, updated FROM up;
    UPDATE agency a SET parent_id = p.id
    FROM unnest(codes, parents) AS u(c, pc) JOIN agency p ON p.code = u.pc
    WHERE a.code = u.c AND u.pc IS NOT NULL AND u.pc <> ''
      AND a.parent_id IS DISTINCT FROM p.id;
END
$$;

-- Saves an agency's fiscal-year settings and keeps its public IIT and EIT links in step: the
-- first save creates them with the given slugs, later saves move their window. The window is
-- whole days in Thailand's time zone, the closing day included.
CREATE FUNCTION ita_save_year(p_agency integer, p_year smallint, p_opens date, p_closes date,
                              p_staff integer, p_eit integer, p_slug_iit text, p_slug_eit text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    o timestamptz := p_opens::timestamp AT TIME ZONE 'Asia/Bangkok';
    c timestamptz := (p_closes + 1)::timestamp AT TIME ZONE 'Asia/Bangkok';
BEGIN
    INSERT INTO agency_year (agency_id, fiscal_year, opens_at, closes_at, staff_population,
                             eit_population)
    VALUES (p_agency, p_year, o, c, p_staff, p_eit)
    ON CONFLICT (agency_id, fiscal_year) DO UPDATE
        SET opens_at = o, closes_at = c, staff_population = p_staff, eit_population = p_eit,
            updated_at = now();
    UPDATE survey_link SET opens_at = o, closes_at = c
    WHERE agency_id = p_agency AND fiscal_year = p_year AND revoked_at IS NULL;
    INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, closes_at)
    SELECT p_agency, p_year, i, s, o, c
    FROM (VALUES ('IIT', p_slug_iit), ('EIT', p_slug_eit)) AS v(i, s)
    WHERE NOT EXISTS (SELECT 1 FROM survey_link l WHERE l.agency_id = p_agency
                      AND l.fiscal_year = p_year AND l.instrument = v.i AND l.revoked_at IS NULL);
END
$$;
