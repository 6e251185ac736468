-- The audit log page (/admin/audit) reads newest first by id, 50 at a time; an agency
-- administrator reads only the own agency's entries, so those are found by agency and id.
CREATE INDEX audit_log_agency_id ON audit_log (agency_id, id);
