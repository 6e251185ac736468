-- 0008: instrument versions from the web admin. A system administrator uploads a version file;
-- the server validates it (core/instrument.h) and keeps its canonical JSON as a draft, which can
-- be previewed as respondents would see it, and then published: a new fiscal year is inserted, a
-- correction replaces the stored version (revision + 1, the old one kept in history) only when
-- it keeps the meaning of stored answers, the same rule as `itad --load-instruments`
-- (server/db/instrument_store.c). Which items of a version are not yet confirmed against NACC's
-- manual ("verified": false, "note_verified": false anywhere in the document) is counted here
-- once, for the pages that warn about it.

-- How many items of a version document are marked unconfirmed: every JSON object with
-- "verified": false, plus every one with "note_verified": false (a question whose note is
-- unconfirmed). Objects anywhere in the document count, so keys added to the format later
-- (weights, rating, OIT items) are counted as soon as the file marks them. The server lists the
-- same items by the same rule (server/admin/instrument_review.c).
CREATE FUNCTION ita_unverified_items(doc jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ((SELECT count(*) FROM jsonb_path_query(doc, 'strict $.** ? (@.verified == false)'))
          + (SELECT count(*) FROM jsonb_path_query(doc, 'strict $.** ? (@.note_verified == false)')))::integer
$$;

ALTER TABLE instrument_version
    ADD COLUMN unverified_items integer GENERATED ALWAYS AS (ita_unverified_items(document)) STORED;

-- Whether an instrument of a fiscal year has stored answers: IIT and EIT responses wherever the
-- rollup has them (inbox, waiting, counted), OIT marks entered by the auditor.
CREATE FUNCTION ita_instrument_has_responses(p_year smallint, p_instrument text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_instrument = 'OIT' THEN
               EXISTS (SELECT 1 FROM oit_result o WHERE o.fiscal_year = p_year)
           ELSE
               EXISTS (SELECT 1 FROM response_tally t
                       WHERE t.fiscal_year = p_year AND t.instrument = p_instrument)
               OR EXISTS (SELECT 1 FROM response_inbox i
                          WHERE i.fiscal_year = p_year AND i.instrument = p_instrument)
               OR EXISTS (SELECT 1 FROM response_pending w
                          WHERE w.fiscal_year = p_year AND w.instrument = p_instrument)
           END
$$;

-- An uploaded, validated version file that is not published yet.
CREATE TABLE instrument_draft (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fiscal_year smallint NOT NULL CHECK (fiscal_year BETWEEN 2500 AND 2700),
    document jsonb NOT NULL,             -- canonical JSON (ita_version_to_json)
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'), -- of the canonical JSON text
    iit_fields smallint NOT NULL CHECK (iit_fields BETWEEN 1 AND 1000),
    eit_fields smallint NOT NULL CHECK (eit_fields BETWEEN 1 AND 1000),
    file_name text NOT NULL DEFAULT '' CHECK (length(file_name) <= 200),
    uploaded_by integer NOT NULL REFERENCES admin_user (id),
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    unverified_items integer GENERATED ALWAYS AS (ita_unverified_items(document)) STORED
);
CREATE INDEX instrument_draft_year ON instrument_draft (fiscal_year);

-- Publishes draft p_draft, in one transaction, when what the server decided from still holds:
-- the year's stored revision is p_revision (0: the year has no version yet) and no instrument
-- has answers now that had none when the server checked the replacement rule (p_had_*). New
-- submissions wait (they are not refused) until the transaction ends, as with
-- `itad --load-instruments`. Outcomes: 'published' (with the new revision), 'changed' (decide
-- again: someone published, or answers arrived, in between), 'no_draft'. The draft is deleted
-- once published; the old version goes to instrument_version_history; audit_log says who.
CREATE FUNCTION ita_publish_instrument(p_draft integer, p_revision integer, p_had_iit boolean,
                                       p_had_eit boolean, p_had_oit boolean, p_admin integer,
                                       OUT outcome text, OUT revision integer, OUT fiscal_year smallint)
LANGUAGE plpgsql AS $$
DECLARE
    d instrument_draft;
    current_revision integer;
BEGIN
    LOCK TABLE response_inbox IN SHARE MODE;
    SELECT * INTO d FROM instrument_draft WHERE id = p_draft FOR UPDATE;
    IF NOT FOUND THEN
        outcome := 'no_draft';
        RETURN;
    END IF;
    fiscal_year := d.fiscal_year;
    SELECT v.revision INTO current_revision FROM instrument_version v
    WHERE v.fiscal_year = d.fiscal_year FOR UPDATE;
    IF coalesce(current_revision, 0) <> p_revision
       OR (ita_instrument_has_responses(d.fiscal_year, 'IIT') AND NOT p_had_iit)
       OR (ita_instrument_has_responses(d.fiscal_year, 'EIT') AND NOT p_had_eit)
       OR (ita_instrument_has_responses(d.fiscal_year, 'OIT') AND NOT p_had_oit) THEN
        outcome := 'changed';
        RETURN;
    END IF;
    IF current_revision IS NULL THEN
        INSERT INTO instrument_version (fiscal_year, document, sha256, iit_fields, eit_fields)
        VALUES (d.fiscal_year, d.document, d.sha256, d.iit_fields, d.eit_fields)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN -- another draft of the same new year was published meanwhile
            outcome := 'changed';
            RETURN;
        END IF;
        revision := 1;
    ELSE
        INSERT INTO instrument_version_history (fiscal_year, revision, document, sha256, loaded_at)
        SELECT v.fiscal_year, v.revision, v.document, v.sha256, v.loaded_at
        FROM instrument_version v WHERE v.fiscal_year = d.fiscal_year;
        UPDATE instrument_version v
        SET document = d.document, sha256 = d.sha256, iit_fields = d.iit_fields,
            eit_fields = d.eit_fields, revision = v.revision + 1, loaded_at = now()
        WHERE v.fiscal_year = d.fiscal_year
        RETURNING v.revision INTO revision;
    END IF;
    INSERT INTO audit_log (admin_id, action, fiscal_year, detail)
    VALUES (p_admin, 'instrument_publish', d.fiscal_year,
            jsonb_build_object('draft', d.id, 'revision', revision,
                               'replaced_revision', current_revision, 'sha256', d.sha256,
                               'file_name', d.file_name, 'uploaded_by', d.uploaded_by,
                               'unverified_items', d.unverified_items));
    DELETE FROM instrument_draft WHERE id = d.id;
    outcome := 'published';
END
$$;
