-- 0007_officer.sql: the integrity officer's side (docs/OFFICERS.md).
--
-- Officers work incidents, not chain records: an addendum follows the
-- state of its incident. Alerts about one official form a dossier. Every
-- decision on an incident or a dossier is a row in one append-only
-- history whose rows are hash-chained (each row's hash covers the one
-- before), stamped with the database user and the time by a trigger.
-- Exceptions are accountable (owner, reason, end date); they hide matching
-- alerts from the work list but never remove evidence.

-- Severity as a number, so critical ranks above medium.
CREATE FUNCTION wachter.severity_rank(text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT array_position(ARRAY['info', 'low', 'medium', 'high',
	    'critical'], $1) - 1
$$;

-- Decisions on incidents (scope 'incident', target = incident id) and on
-- dossiers (scope 'dossier', target = the official's user name).
CREATE TABLE wachter.decision (
	n		bigint PRIMARY KEY CHECK (n > 0),
	scope		text NOT NULL CHECK (scope IN ('incident', 'dossier')),
	target		text NOT NULL,
	status		text NOT NULL CHECK (status IN ('new',
			    'under_investigation', 'false_positive',
			    'confirmed', 'closed')),
	note		text NOT NULL DEFAULT '',
	officer		text NOT NULL,
	at		timestamptz NOT NULL,
	prev_hash	bytea NOT NULL CHECK (length(prev_hash) = 32),
	hash		bytea NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX decision_target ON wachter.decision (scope, target, n);

-- The bytes a decision's hash covers (docs/OFFICERS.md): a fixed label,
-- the previous hash and every field, times as integer microseconds UTC so
-- no session setting changes them.
CREATE FUNCTION wachter.decision_hash(prev bytea, n bigint, scope text,
    target text, status text, note text, officer text, at timestamptz)
RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT sha256(convert_to('wachter decision v1', 'UTF8') || '\x00'::bytea
	    || prev || convert_to(concat_ws(E'\n', n, scope, target, status,
	    note, officer, (extract(epoch FROM at) * 1000000)::bigint), 'UTF8'))
$$;

-- Stamp a decision: who, when, its place in the history and its hash. An
-- advisory lock makes decisions take their places one at a time.
CREATE FUNCTION wachter.decision_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	last wachter.decision%ROWTYPE;
BEGIN
	PERFORM pg_advisory_xact_lock(2003206756);	-- 'wachter decision'
	IF NEW.scope = 'incident' AND NOT EXISTS (SELECT 1 FROM
	    wachter.chain_record WHERE incident = NEW.target) THEN
		RAISE EXCEPTION 'wachter: no incident %', NEW.target
		    USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF NEW.scope = 'dossier' AND NOT EXISTS (SELECT 1 FROM
	    wachter.chain_record WHERE user_name = NEW.target) THEN
		RAISE EXCEPTION 'wachter: no alerts about %', NEW.target
		    USING ERRCODE = 'foreign_key_violation';
	END IF;
	SELECT * INTO last FROM wachter.decision ORDER BY n DESC LIMIT 1;
	NEW.n := coalesce(last.n, 0) + 1;
	NEW.prev_hash := coalesce(last.hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
	NEW.officer := session_user;
	NEW.at := clock_timestamp();
	NEW.note := coalesce(NEW.note, '');
	NEW.hash := wachter.decision_hash(NEW.prev_hash, NEW.n, NEW.scope,
	    NEW.target, NEW.status, NEW.note, NEW.officer, NEW.at);
	RETURN NEW;
END
$$;

CREATE TRIGGER decision_stamp BEFORE INSERT ON wachter.decision
    FOR EACH ROW EXECUTE FUNCTION wachter.decision_stamp();
ALTER TABLE wachter.decision ENABLE ALWAYS TRIGGER decision_stamp;

-- The first decision whose hash or link does not hold, or NULL.
CREATE FUNCTION wachter.decision_verify() RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT min(d.n) FROM (
		SELECT n, hash, prev_hash, lag(hash) OVER (ORDER BY n) AS before,
		    row_number() OVER (ORDER BY n) AS i,
		    wachter.decision_hash(prev_hash, n, scope, target, status,
		    note, officer, at) AS want
		FROM wachter.decision) d
	WHERE d.n <> d.i OR d.hash <> d.want OR d.prev_hash <>
	    coalesce(d.before, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
$$;

-- Accountable exceptions: an official and/or a rule, why, who, until when.
CREATE TABLE wachter.exception (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_name	text,			-- NULL: any official
	rule		text,			-- NULL: any rule
	reason		text NOT NULL CHECK (btrim(reason) <> ''),
	owner		text NOT NULL,
	created_at	timestamptz NOT NULL,
	valid_from	timestamptz NOT NULL,
	valid_until	timestamptz NOT NULL,
	CHECK (user_name IS NOT NULL OR rule IS NOT NULL),
	CHECK (valid_until > valid_from)
);

CREATE FUNCTION wachter.exception_stamp() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.owner := session_user;
	NEW.created_at := clock_timestamp();
	NEW.valid_from := coalesce(NEW.valid_from, NEW.created_at);
	RETURN NEW;
END
$$;
CREATE TRIGGER exception_stamp BEFORE INSERT ON wachter.exception
    FOR EACH ROW EXECUTE FUNCTION wachter.exception_stamp();
ALTER TABLE wachter.exception ENABLE ALWAYS TRIGGER exception_stamp;

-- Both are append-only for every role, as the chain tables (0002).
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['decision', 'exception'] LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON '
		    'wachter.%I FOR EACH ROW EXECUTE FUNCTION '
		    'wachter.refuse_change()', t || '_no_change', t);
		EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON wachter.%I '
		    'FOR EACH STATEMENT EXECUTE FUNCTION wachter.refuse_change()',
		    t || '_no_truncate', t);
		EXECUTE format('ALTER TABLE wachter.%I ENABLE ALWAYS TRIGGER %I',
		    t, t || '_no_change');
		EXECUTE format('ALTER TABLE wachter.%I ENABLE ALWAYS TRIGGER %I',
		    t, t || '_no_truncate');
	END LOOP;
END
$$;

-- Which exceptions cover a record: its official and every rule that fired
-- are in scope, and its first lookup falls in the exception's period.
CREATE VIEW wachter.exception_match AS
SELECT x.id AS exception, r.seq, r.incident, cardinality(r.event_ids)
    AS lookups
FROM wachter.exception x
JOIN wachter.chain_record r
    ON (x.user_name IS NULL OR x.user_name = r.user_name)
   AND (x.rule IS NULL OR r.rules <@ ARRAY[x.rule])
   AND coalesce(r.first_at, r.recorded_at) >= x.valid_from
   AND coalesce(r.first_at, r.recorded_at) < x.valid_until;

CREATE VIEW wachter.exception_impact AS
SELECT x.id, x.user_name, x.rule, x.reason, x.owner, x.created_at,
    x.valid_from, x.valid_until, now() < x.valid_until AS active,
    count(m.seq) AS records, count(DISTINCT m.incident) AS incidents,
    coalesce(sum(m.lookups), 0) AS lookups
FROM wachter.exception x
LEFT JOIN wachter.exception_match m ON m.exception = x.id
GROUP BY x.id;

-- The latest decision per target.
CREATE VIEW wachter.decision_current AS
SELECT DISTINCT ON (scope, target) scope, target, status, note, officer, at
FROM wachter.decision ORDER BY scope, target, n DESC;

-- One row per incident, with its records folded together.
CREATE VIEW wachter.incident_overview AS
WITH inc AS (
	SELECT incident, min(user_name) AS user_name,
	    max(wachter.severity_rank(severity)) AS severity_rank,
	    min(first_at) AS first_at, max(last_at) AS last_at,
	    min(recorded_at) AS alerted_at, max(recorded_at) AS updated_at,
	    count(*) AS records, sum(cardinality(event_ids)) AS lookups,
	    sum(score) AS score, min(seq) AS first_seq
	FROM wachter.chain_record GROUP BY incident
)
SELECT i.incident, i.user_name, s.department,
    (ARRAY['info', 'low', 'medium', 'high', 'critical'])[i.severity_rank + 1]
    AS severity, i.severity_rank, i.first_at, i.last_at, i.alerted_at,
    i.updated_at, i.records, i.lookups, i.score, i.first_seq,
    (SELECT array_agg(DISTINCT x) FROM wachter.chain_record r,
	unnest(r.rules) x WHERE r.incident = i.incident) AS rules,
    (SELECT count(DISTINCT x) FROM wachter.chain_record r,
	unnest(r.subjects) x WHERE r.incident = i.incident) AS subjects,
    coalesce(d.status, 'new') AS status, d.officer AS decided_by,
    d.at AS decided_at,
    (SELECT count(*) FROM wachter.chain_record r WHERE r.incident =
	i.incident) = (SELECT count(DISTINCT m.seq) FROM
	wachter.exception_match m WHERE m.incident = i.incident) AS excepted
FROM inc i
LEFT JOIN wachter.staff s ON s.user_id = i.user_name
LEFT JOIN wachter.decision_current d ON d.scope = 'incident' AND
    d.target = i.incident;

-- One dossier per official: every incident about them.
CREATE VIEW wachter.dossier AS
SELECT o.user_name, min(o.department) AS department,
    count(*) AS incidents,
    count(*) FILTER (WHERE o.status IN ('new', 'under_investigation'))
	AS open_incidents,
    count(*) FILTER (WHERE o.status = 'confirmed') AS confirmed,
    sum(o.records) AS records, sum(o.lookups) AS lookups,
    min(o.first_at) AS first_at, max(o.last_at) AS last_at,
    (ARRAY['info', 'low', 'medium', 'high', 'critical'])[max(o.severity_rank)
	+ 1] AS severity, max(o.severity_rank) AS severity_rank,
    coalesce(min(d.status), 'new') AS status, min(d.officer) AS decided_by,
    min(d.at) AS decided_at
FROM wachter.incident_overview o
LEFT JOIN wachter.decision_current d ON d.scope = 'dossier' AND
    d.target = o.user_name
GROUP BY o.user_name;

-- Hits and verdicts per rule, from the incidents it fired in.
CREATE VIEW wachter.rule_stats AS
SELECT rule, count(*) AS incidents,
    count(*) FILTER (WHERE status = 'confirmed') AS confirmed,
    count(*) FILTER (WHERE status = 'false_positive') AS false_positive,
    count(*) FILTER (WHERE status IN ('new', 'under_investigation'))
	AS open,
    count(*) FILTER (WHERE excepted) AS excepted,
    round(count(*) FILTER (WHERE status = 'false_positive')::numeric /
	nullif(count(*) FILTER (WHERE status IN ('confirmed',
	'false_positive')), 0), 3) AS false_positive_rate
FROM wachter.incident_overview, unnest(rules) AS rule
GROUP BY rule;

CREATE VIEW wachter.decision_history AS
SELECT n, scope, target, status, note, officer, at, encode(hash, 'hex')
    AS hash
FROM wachter.decision;

-- An addendum follows its incident: the incident's latest decision wins
-- over a per-record triage row (kept for compatibility, 0003).
CREATE OR REPLACE VIEW wachter.alert_current AS
SELECT r.seq, r.epoch, r.recorded_at, r.kind, r.severity, r.incident,
    r.user_name, r.first_at, r.last_at, r.score, r.rules, r.event_ids,
    r.subjects, r.summary, r.explanation,
    coalesce(d.status, t.status, 'new') AS status,
    coalesce(d.note, t.note) AS last_note,
    coalesce(d.officer, t.officer) AS triaged_by,
    coalesce(d.at, t.at) AS triaged_at,
    wachter.severity_rank(r.severity) AS severity_rank
FROM wachter.chain_record r
LEFT JOIN LATERAL (
	SELECT status, note, officer, at FROM wachter.triage x
	WHERE x.seq = r.seq ORDER BY x.id DESC LIMIT 1
) t ON true
LEFT JOIN wachter.decision_current d ON d.scope = 'incident' AND
    d.target = r.incident;

REVOKE ALL ON wachter.decision, wachter.exception FROM PUBLIC;
GRANT SELECT ON wachter.decision, wachter.exception TO wachter_officer,
    wachter_auditor;
GRANT INSERT (scope, target, status, note) ON wachter.decision
    TO wachter_officer;
GRANT INSERT (user_name, rule, reason, valid_from, valid_until)
    ON wachter.exception TO wachter_officer;
GRANT SELECT ON wachter.exception_match, wachter.exception_impact,
    wachter.decision_current, wachter.incident_overview, wachter.dossier,
    wachter.rule_stats, wachter.decision_history
    TO wachter_officer, wachter_auditor;
GRANT EXECUTE ON FUNCTION wachter.decision_verify() TO wachter_officer,
    wachter_auditor;
