-- 0003: how respondents reach a form. Public links (one per agency, fiscal year and instrument,
-- printed on posters and QR codes) and personal single-use IIT links. A personal token is stored
-- only as HMAC-SHA256(server secret, token); it records that it was spent, never when or with
-- which response. Form nonces make a repeated submission of the same form a no-op.

CREATE TABLE survey_link (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL REFERENCES instrument_version (fiscal_year),
    instrument ita_instrument NOT NULL,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[A-Za-z0-9_-]{22,64}$'), -- >= 128 random bits
    opens_at timestamptz NOT NULL,
    closes_at timestamptz NOT NULL,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (closes_at > opens_at)
);
-- At most one live public link per agency, year and instrument.
CREATE UNIQUE INDEX survey_link_live ON survey_link (agency_id, fiscal_year, instrument)
    WHERE revoked_at IS NULL;

CREATE TABLE personal_token (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    link_id integer NOT NULL REFERENCES survey_link (id), -- its agency, year, instrument, window
    spent boolean NOT NULL DEFAULT false,
    revoked boolean NOT NULL DEFAULT false
);
CREATE INDEX personal_token_link ON personal_token (link_id);

-- One row per accepted form submission (hash of the form's nonce), kept for a few days so that a
-- repeated submission of the same form is recognised; nothing in it names the response.
CREATE TABLE used_nonce (
    nonce_hash bytea PRIMARY KEY CHECK (length(nonce_hash) = 32),
    expires_on date NOT NULL
);
CREATE INDEX used_nonce_expiry ON used_nonce (expires_on);

-- Dead versions of inbox rows (they carry the inserting transaction's id, shared with the spent
-- token row) are vacuumed away promptly after each rollup.
ALTER TABLE response_inbox SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                                autovacuum_vacuum_cost_delay = 0);
