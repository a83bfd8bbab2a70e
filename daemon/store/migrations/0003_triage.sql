-- 0003_triage.sql: officers' triage of alerts. The alert never changes;
-- each decision (status, note) is a new row in an append-only history,
-- stamped with the database user and time by a trigger so nobody can
-- write in another's name or back-date. A view gives each alert's current
-- state; officers read views only.
CREATE TABLE wachter.triage (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	seq		bigint NOT NULL REFERENCES wachter.chain_record (seq),
	status		text NOT NULL CHECK (status IN ('new',
			    'under_investigation', 'false_positive',
			    'confirmed', 'closed')),
	note		text NOT NULL DEFAULT '',
	officer		text NOT NULL,
	at		timestamptz NOT NULL
);
CREATE INDEX triage_seq ON wachter.triage (seq, id);

CREATE FUNCTION wachter.triage_stamp() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.officer := session_user;
	NEW.at := clock_timestamp();
	RETURN NEW;
END
$$;

CREATE TRIGGER triage_stamp BEFORE INSERT ON wachter.triage
    FOR EACH ROW EXECUTE FUNCTION wachter.triage_stamp();
CREATE TRIGGER triage_no_change BEFORE UPDATE OR DELETE ON wachter.triage
    FOR EACH ROW EXECUTE FUNCTION wachter.refuse_change();
CREATE TRIGGER triage_no_truncate BEFORE TRUNCATE ON wachter.triage
    FOR EACH STATEMENT EXECUTE FUNCTION wachter.refuse_change();
ALTER TABLE wachter.triage ENABLE ALWAYS TRIGGER triage_stamp;
ALTER TABLE wachter.triage ENABLE ALWAYS TRIGGER triage_no_change;
ALTER TABLE wachter.triage ENABLE ALWAYS TRIGGER triage_no_truncate;

CREATE VIEW wachter.alert_current AS
SELECT r.seq, r.epoch, r.recorded_at, r.kind, r.severity, r.incident,
    r.user_name, r.first_at, r.last_at, r.score, r.rules, r.event_ids,
    r.subjects, r.summary, r.explanation,
    coalesce(t.status, 'new') AS status, t.note AS last_note,
    t.officer AS triaged_by, t.at AS triaged_at
FROM wachter.chain_record r
LEFT JOIN LATERAL (
	SELECT status, note, officer, at FROM wachter.triage x
	WHERE x.seq = r.seq ORDER BY x.id DESC LIMIT 1
) t ON true;

CREATE VIEW wachter.triage_history AS
SELECT id, seq, status, note, officer, at FROM wachter.triage;

REVOKE ALL ON wachter.triage FROM PUBLIC;
GRANT SELECT ON wachter.alert_current, wachter.triage_history
    TO wachter_officer, wachter_auditor;
GRANT INSERT (seq, status, note) ON wachter.triage TO wachter_officer;
GRANT SELECT ON wachter.triage TO wachter_auditor;
