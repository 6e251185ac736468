-- 0018: invitations and reminders sent by the server (README "Invitations by e-mail").
--
-- A contact list (agency, fiscal year, instrument) is delivered either privately (the server
-- sends each personal link itself and the clerk sees counts only; the default for IIT) or by
-- mail merge (the clerk downloads every link; the default for EIT, as before).
--
-- The outbox keeps one row per invitation: which contact and which link number, never the link
-- (the token is derived from the server secret when the message is written, as for the mail
-- merge), so a copy of the database still cannot tell which contact holds which token.
--
-- Reminders are not queued per person: a row per round keeps how far through the list the
-- sender has come (cursor: the last contact id looked at, whether or not a reminder went to it)
-- and its counts sealed with a key derived from the server secret, so that neither the clerk nor
-- a copy of the database learns who was reminded (= who had not answered).

CREATE TABLE contact_list_delivery (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL,
    instrument ita_instrument NOT NULL,
    delivery text NOT NULL CHECK (delivery IN ('private', 'mailmerge')),
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, fiscal_year, instrument)
);

-- The agency's own wording; without a row the server's default text for the kind is used.
CREATE TABLE mail_template (
    agency_id integer NOT NULL REFERENCES agency (id),
    instrument ita_instrument NOT NULL,
    kind text NOT NULL CHECK (kind IN ('invite', 'reminder')),
    subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, instrument, kind)
);

CREATE TABLE mail_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id bigint NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    generation integer NOT NULL CHECK (generation >= 1), -- the contact's link number it carries
    state text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'deferred', 'sent', 'failed', 'cancelled')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_reply text NOT NULL DEFAULT '' CHECK (length(last_reply) <= 1000),
    sent_to text NOT NULL DEFAULT '', -- the address the relay accepted or refused
    queued_at timestamptz NOT NULL DEFAULT now(),
    done_at timestamptz,
    UNIQUE (contact_id, generation)
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id)
    WHERE state IN ('queued', 'deferred');

CREATE TABLE reminder_round (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL,
    instrument ita_instrument NOT NULL,
    round smallint NOT NULL CHECK (round BETWEEN 1 AND 3),
    send_on date NOT NULL,
    state text NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'running', 'done')),
    cursor bigint NOT NULL DEFAULT 0,
    sealed_counts bytea, -- crypto_secretbox of the round's sent and failed counts
    started_at timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (agency_id, fiscal_year, instrument, round)
);
CREATE INDEX reminder_round_due ON reminder_round (send_on) WHERE state <> 'done';
