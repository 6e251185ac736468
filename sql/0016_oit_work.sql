-- 0016: the OIT work of an agency (issue #17). Before the auditor marks the 43 (later 33) OIT
-- items, the agency organises who publishes what: it keeps a list of its internal units
-- (สำนักปลัดเทศบาล, สำนักการคลัง, กองวิชาการและแผนงาน ...), assigns each item of the year to one
-- or more units with a due date, follows its state (ยังไม่เริ่ม / กำลังจัดทำ / พร้อมตรวจ /
-- เผยแพร่แล้ว), and records the evidence URLs on its website, which the server's link checker
-- fetches in the background. None of this is answer-derived: it is the agency's own work plan.
-- Every change is also written to audit_log by the server.

-- An agency's internal units. A unit that is no longer used is retired, not deleted, so earlier
-- years' assignments keep their names.
CREATE TABLE org_unit (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id integer NOT NULL REFERENCES agency (id),
    name_th text NOT NULL CHECK (length(btrim(name_th)) BETWEEN 1 AND 200 AND name_th = btrim(name_th)),
    position smallint NOT NULL DEFAULT 0 CHECK (position >= 0),
    retired boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (agency_id, name_th),
    UNIQUE (agency_id, id)
);

-- The state of one OIT item of an agency's year. An item without a row is "not started" with no
-- due date. Item codes are checked against the year's instrument version by the server.
CREATE TABLE oit_item_work (
    agency_id integer NOT NULL REFERENCES agency (id),
    fiscal_year smallint NOT NULL REFERENCES instrument_version (fiscal_year),
    item_code text NOT NULL CHECK (item_code ~ '^O[0-9]{1,3}$'),
    state text NOT NULL DEFAULT 'not_started'
        CHECK (state IN ('not_started', 'in_progress', 'ready', 'published')),
    due_on date,
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    updated_by integer REFERENCES admin_user (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, fiscal_year, item_code)
);

-- Which units are responsible for an item (one or more). The unit must be the agency's own.
CREATE TABLE oit_assignment (
    agency_id integer NOT NULL,
    fiscal_year smallint NOT NULL,
    item_code text NOT NULL,
    unit_id integer NOT NULL,
    PRIMARY KEY (agency_id, fiscal_year, item_code, unit_id),
    FOREIGN KEY (agency_id, fiscal_year, item_code)
        REFERENCES oit_item_work (agency_id, fiscal_year, item_code) ON DELETE CASCADE,
    FOREIGN KEY (agency_id, unit_id) REFERENCES org_unit (agency_id, id)
);
CREATE INDEX oit_assignment_unit ON oit_assignment (unit_id);

-- Evidence URLs of an item (several per item, in display order), each with the link checker's
-- last verdict: pending (never checked, or a check was asked for), ok, or failed with the reason
-- in Thai ("ไม่พบชื่อโดเมน", "เซิร์ฟเวอร์ตอบ 404", "หมดเวลารอ 15 วินาที" ...), the HTTP status when
-- there was an answer, and when it was checked. check_requested_at set means "check this soon"
-- (the on-demand button); the checker clears it when it writes a verdict.
CREATE TABLE oit_evidence (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id integer NOT NULL,
    fiscal_year smallint NOT NULL,
    item_code text NOT NULL,
    position smallint NOT NULL DEFAULT 0 CHECK (position >= 0),
    url text NOT NULL CHECK (length(url) <= 2000 AND url ~ '^https?://\S+$'),
    added_by integer REFERENCES admin_user (id),
    added_at timestamptz NOT NULL DEFAULT now(),
    check_state text NOT NULL DEFAULT 'pending' CHECK (check_state IN ('pending', 'ok', 'failed')),
    check_status integer CHECK (check_status BETWEEN 100 AND 999),
    check_reason text NOT NULL DEFAULT '' CHECK (length(check_reason) <= 500),
    checked_at timestamptz,
    check_requested_at timestamptz DEFAULT now(),
    UNIQUE (agency_id, fiscal_year, item_code, url),
    FOREIGN KEY (agency_id, fiscal_year, item_code)
        REFERENCES oit_item_work (agency_id, fiscal_year, item_code) ON DELETE CASCADE
);
-- The checker picks requested checks first, then the oldest verdicts.
CREATE INDEX oit_evidence_requested ON oit_evidence (check_requested_at) WHERE check_requested_at IS NOT NULL;
CREATE INDEX oit_evidence_checked ON oit_evidence (checked_at NULLS FIRST);
