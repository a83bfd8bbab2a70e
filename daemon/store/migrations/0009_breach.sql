-- 0009_breach.sql: when officers confirm misuse, the municipality has a
-- data breach (AVG art. 33/34): it must notify the Autoriteit
-- Persoonsgegevens within 72 hours of becoming aware, and the persons
-- concerned when the risk to them is high. A breach is opened for a
-- confirmed incident by someone who may re-identify; who the persons are
-- is read through wachter.breach_persons (logged); each notification sent
-- is recorded. All of it is append-only.

ALTER TABLE wachter.access_log DROP CONSTRAINT access_log_what_check;
ALTER TABLE wachter.access_log ADD CONSTRAINT access_log_what_check
    CHECK (what IN ('persons', 'reveal', 'breach'));

CREATE TABLE wachter.breach (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident	text NOT NULL UNIQUE,
	confirmed_at	timestamptz NOT NULL,	-- first confirmation
	deadline	timestamptz NOT NULL,	-- notify the authority by
	persons		integer NOT NULL,
	opened_by	text NOT NULL,
	opened_at	timestamptz NOT NULL
);

-- One row per notification sent: to the authority or to one person
-- (recipient = the pseudonym).
CREATE TABLE wachter.breach_notice (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	breach		bigint NOT NULL REFERENCES wachter.breach (id),
	recipient	text NOT NULL,
	channel		text NOT NULL CHECK (btrim(channel) <> ''),
	sent_by		text NOT NULL,
	sent_at		timestamptz NOT NULL,
	UNIQUE (breach, recipient)
);

CREATE FUNCTION wachter.breach_notice_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	IF NEW.recipient <> 'authority' AND NOT EXISTS (SELECT 1 FROM
	    wachter.breach b JOIN wachter.chain_record r ON r.incident =
	    b.incident WHERE b.id = NEW.breach AND NEW.recipient =
	    ANY (r.subjects)) THEN
		RAISE EXCEPTION 'wachter: % is not a person of breach %',
		    NEW.recipient, NEW.breach USING ERRCODE = 'foreign_key_violation';
	END IF;
	NEW.sent_by := session_user;
	NEW.sent_at := clock_timestamp();
	RETURN NEW;
END
$$;
CREATE TRIGGER breach_notice_stamp BEFORE INSERT ON wachter.breach_notice
    FOR EACH ROW EXECUTE FUNCTION wachter.breach_notice_stamp();
ALTER TABLE wachter.breach_notice ENABLE ALWAYS TRIGGER breach_notice_stamp;

-- Make a table append-only for every role, as the chain tables (0002),
-- and readable by those who follow breaches.
CREATE FUNCTION wachter.append_only(t text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON '
	    'wachter.%I FOR EACH ROW EXECUTE FUNCTION wachter.refuse_change()',
	    t || '_no_change', t);
	EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON wachter.%I '
	    'FOR EACH STATEMENT EXECUTE FUNCTION wachter.refuse_change()',
	    t || '_no_truncate', t);
	EXECUTE format('ALTER TABLE wachter.%I ENABLE ALWAYS TRIGGER %I', t,
	    t || '_no_change');
	EXECUTE format('ALTER TABLE wachter.%I ENABLE ALWAYS TRIGGER %I', t,
	    t || '_no_truncate');
	EXECUTE format('REVOKE ALL ON wachter.%I FROM PUBLIC', t);
END
$$;
REVOKE ALL ON FUNCTION wachter.append_only(text) FROM PUBLIC;
SELECT wachter.append_only('breach'), wachter.append_only('breach_notice');
GRANT SELECT ON wachter.breach, wachter.breach_notice TO wachter_officer,
    wachter_auditor, wachter_reidentify;
GRANT INSERT (breach, recipient, channel) ON wachter.breach_notice
    TO wachter_reidentify;

-- Open (or find) the breach of a confirmed incident. The 72 hours run
-- from the first confirmation.
CREATE FUNCTION wachter.breach_open(inc text, reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
#variable_conflict use_column
DECLARE
	c timestamptz;
	id bigint;
BEGIN
	PERFORM wachter.reidentify_check(reason);
	IF coalesce((SELECT status FROM wachter.decision_current WHERE
	    scope = 'incident' AND target = inc), '') <> 'confirmed' THEN
		RAISE EXCEPTION 'wachter: incident % is not confirmed', inc
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT b.id INTO id FROM wachter.breach b WHERE b.incident = inc;
	IF id IS NULL THEN
		SELECT min(at) INTO c FROM wachter.decision WHERE
		    scope = 'incident' AND target = inc AND status = 'confirmed';
		INSERT INTO wachter.breach (incident, confirmed_at, deadline,
		    persons, opened_by, opened_at)
		SELECT inc, c, c + interval '72 hours', count(DISTINCT s),
		    session_user, clock_timestamp()
		FROM wachter.chain_record r, unnest(r.subjects) s
		WHERE r.incident = inc
		RETURNING breach.id INTO id;
	END IF;
	PERFORM wachter.access_add('breach', inc, '', reason);
	RETURN id;
END
$$;

-- The persons a breach concerns: who, where (withheld under secrecy),
-- and what was looked up of them when. For a vehicle the person is its
-- registered owner. Each call is logged.
CREATE FUNCTION wachter.breach_persons(b bigint, reason text)
RETURNS TABLE (nr bigint, handle text, kind text, value text,
    surname text, given_name text, postcode text, housenumber text,
    secret boolean, deceased boolean, first_at timestamptz,
    last_at timestamptz, seen text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
#variable_conflict use_column
DECLARE
	inc text;
BEGIN
	PERFORM wachter.reidentify_check(reason);
	SELECT x.incident INTO inc FROM wachter.breach x WHERE x.id = b;
	IF inc IS NULL THEN
		RAISE EXCEPTION 'wachter: no breach %', b
		    USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM wachter.access_add('breach', inc, '', reason);
	RETURN QUERY
	WITH subj AS (
		SELECT x AS h, min(r.seq * 100000 + o) AS f,
		    min(r.first_at) AS fa, max(r.last_at) AS la
		FROM wachter.chain_record r, unnest(r.subjects) WITH ORDINALITY
		    AS u(x, o) WHERE r.incident = inc GROUP BY x
	)
	SELECT row_number() OVER (ORDER BY s.f), s.h, sp.kind, sp.value,
	    p.surname, p.given_name,
	    CASE WHEN p.secret THEN NULL ELSE p.postcode END,
	    CASE WHEN p.secret THEN NULL ELSE p.housenumber END,
	    coalesce(p.secret, false), coalesce(p.deceased, false), s.fa, s.la,
	    (SELECT string_agg(DISTINCT split_part(l, ';', 1), E'\n')
	    FROM wachter.chain_record r, regexp_split_to_table(r.explanation,
	    E'\n') l WHERE r.incident = inc AND position(s.h IN l) > 0)
	FROM subj s
	LEFT JOIN LATERAL (SELECT y.kind, y.value FROM wachter.subject_plain y
	    WHERE y.handle = s.h LIMIT 1) sp ON true
	LEFT JOIN wachter.vehicles v ON sp.kind = 'plate' AND
	    v.kenteken = sp.value
	LEFT JOIN wachter.persons p ON p.bsn = CASE WHEN sp.kind = 'bsn'
	    THEN sp.value ELSE v.owner_bsn END
	ORDER BY 1;
END
$$;

-- Per breach: the deadline, whether the authority was notified, letters.
CREATE VIEW wachter.breach_status AS
SELECT b.id, b.incident, b.confirmed_at, b.deadline, b.persons,
    b.opened_by, b.opened_at,
    (SELECT n.sent_at FROM wachter.breach_notice n WHERE n.breach = b.id
	AND n.recipient = 'authority') AS authority_notified_at,
    (SELECT count(*) FROM wachter.breach_notice n WHERE n.breach = b.id
	AND n.recipient <> 'authority') AS letters_sent
FROM wachter.breach b;

REVOKE ALL ON FUNCTION wachter.breach_open(text, text),
    wachter.breach_persons(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.breach_open(text, text),
    wachter.breach_persons(bigint, text) TO wachter_reidentify;
GRANT SELECT ON wachter.breach_status TO wachter_officer, wachter_auditor,
    wachter_reidentify;

-- The lookup ledger (AVG art. 15): every examined lookup, not only those
-- flagged, so a citizen can be told who looked them up and on which
-- ground. Subjects are pseudonyms (their plaintext goes to
-- subject_plain); both tables are partitioned by month and retention
-- drops old months. The daemon writes through wachter.ledger_add only.
CREATE TABLE wachter.ledger_lookup (
	month		date NOT NULL,		-- of looked_up_at, UTC
	event_id	text NOT NULL,
	looked_up_at	timestamptz NOT NULL,
	source		text NOT NULL,
	user_name	text NOT NULL,
	request		text NOT NULL,
	case_id		text NOT NULL DEFAULT '',
	subjects	text[] NOT NULL,	-- pseudonyms
	-- how it was decided, when that was in the same batch (most are);
	-- otherwise in ledger_decision
	explanation	text,
	flagged		boolean,
	outside		boolean,		-- of the official's hours
	incident	text,
	PRIMARY KEY (event_id, month)
) PARTITION BY RANGE (month);

CREATE TABLE wachter.ledger_decision (
	month		date NOT NULL,		-- of decided_at, UTC
	event_id	text NOT NULL,
	decided_at	timestamptz NOT NULL,
	explanation	text NOT NULL,		-- enum expl_kind name
	flagged		boolean NOT NULL,
	outside		boolean NOT NULL,	-- of the official's hours
	incident	text NOT NULL DEFAULT '',
	PRIMARY KEY (event_id, month)
) PARTITION BY RANGE (month);
REVOKE ALL ON wachter.ledger_lookup, wachter.ledger_decision FROM PUBLIC;

-- Create the month partition of a ledger table when it is missing.
CREATE FUNCTION wachter.ledger_partition(t text, m date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	part text := t || '_' || to_char(m, 'YYYYMM');
BEGIN
	IF to_regclass('wachter.' || part) IS NULL THEN
		PERFORM pg_advisory_xact_lock(2003200336);
		EXECUTE format('CREATE TABLE IF NOT EXISTS wachter.%I PARTITION '
		    'OF wachter.%I FOR VALUES FROM (%L) TO (%L)', part, t, m,
		    (m + interval '1 month')::date);
	END IF;
END
$$;
REVOKE ALL ON FUNCTION wachter.ledger_partition(text, date) FROM PUBLIC;

-- Add lookups, decisions and pseudonyms' plaintext, each a JSON array of
-- objects (times in µs since 1970). Lines read again after a crash are
-- ignored by their keys.
CREATE FUNCTION wachter.ledger_add(lookups json, decisions json,
    plain json) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	m date;
BEGIN
	FOR m IN SELECT DISTINCT date_trunc('month', to_timestamp(x.ts / 1e6)
	    AT TIME ZONE 'UTC')::date FROM json_to_recordset(lookups)
	    AS x(ts bigint) LOOP
		PERFORM wachter.ledger_partition('ledger_lookup', m);
		PERFORM wachter.ledger_partition('subject_plain', m);
	END LOOP;
	FOR m IN SELECT DISTINCT date_trunc('month', to_timestamp(x.ts / 1e6)
	    AT TIME ZONE 'UTC')::date FROM json_to_recordset(decisions)
	    AS x(ts bigint) LOOP
		PERFORM wachter.ledger_partition('ledger_decision', m);
	END LOOP;
	-- A decision made in the same batch as its lookup goes into the
	-- lookup's row: one row instead of two for most lookups.
	INSERT INTO wachter.ledger_lookup
	SELECT date_trunc('month', w.t AT TIME ZONE 'UTC')::date, x.id, w.t,
	    x.src, x."user", x.req, x."case", x.subj, d.expl, d.flag, d.out,
	    d.inc
	FROM json_to_recordset(lookups) AS x(id text, ts bigint, src text,
	    "user" text, req text, "case" text, subj text[])
	CROSS JOIN LATERAL (SELECT to_timestamp(x.ts / 1e6) AS t) w
	LEFT JOIN json_to_recordset(decisions) AS d(id text, expl text,
	    flag boolean, out boolean, inc text) ON d.id = x.id
	ON CONFLICT DO NOTHING;
	INSERT INTO wachter.ledger_decision
	SELECT date_trunc('month', w.t AT TIME ZONE 'UTC')::date, x.id, w.t,
	    x.expl, x.flag, x.out, x.inc
	FROM json_to_recordset(decisions) AS x(id text, ts bigint, expl text,
	    flag boolean, out boolean, inc text)
	CROSS JOIN LATERAL (SELECT to_timestamp(x.ts / 1e6) AS t) w
	LEFT JOIN json_to_recordset(lookups) AS l(id text) ON l.id = x.id
	WHERE l.id IS NULL
	ON CONFLICT DO NOTHING;
	INSERT INTO wachter.subject_plain
	SELECT DISTINCT x.h, x.k, x.v, date_trunc('month', to_timestamp(
	    x.ts / 1e6) AT TIME ZONE 'UTC')::date
	FROM json_to_recordset(plain) AS x(h text, k text, v text, ts bigint)
	ON CONFLICT DO NOTHING;
END
$$;
REVOKE ALL ON FUNCTION wachter.ledger_add(json, json, json) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.ledger_add(json, json, json)
    TO wachter_daemon;

-- A citizen's access request (AVG art. 15): every lookup of this BSN (or
-- of a vehicle the person owns) in the period, with the department and the
-- ground, officials named only when asked. For wachter_reidentify, with a
-- reason; logged.
CREATE FUNCTION wachter.subject_report(bsn text, f date, t date,
    reason text, officials boolean DEFAULT false)
RETURNS TABLE (looked_up_at timestamptz, department text, official text,
    request text, ground text, flagged boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
#variable_conflict use_column
BEGIN
	PERFORM wachter.reidentify_check(reason);
	-- The log names the person by pseudonym: it is kept for ever.
	PERFORM wachter.access_add('report', '', coalesce((SELECT
	    string_agg(DISTINCT sp.handle, ',') FROM wachter.subject_plain sp
	    WHERE sp.value = bsn), ''), reason);
	RETURN QUERY
	WITH h AS (
		SELECT DISTINCT sp.handle FROM wachter.subject_plain sp
		WHERE sp.value = bsn OR sp.value IN (SELECT v.kenteken FROM
		    wachter.vehicles v WHERE v.owner_bsn = bsn)
	)
	SELECT l.looked_up_at, coalesce(s.department, 'onbekend'),
	    CASE WHEN officials THEN l.user_name ELSE NULL END, l.request,
	    coalesce(d.explanation, 'undecided'), coalesce(d.flagged, false)
	FROM wachter.ledger_lookup l
	LEFT JOIN wachter.staff s ON s.user_id = l.user_name
	LEFT JOIN LATERAL (SELECT l.explanation, l.flagged WHERE
	    l.explanation IS NOT NULL UNION ALL (SELECT x.explanation,
	    x.flagged FROM wachter.ledger_decision x WHERE x.event_id =
	    l.event_id ORDER BY x.decided_at DESC) LIMIT 1) d ON true
	WHERE l.subjects && ARRAY(SELECT handle FROM h)
	AND l.looked_up_at >= f::timestamp AT TIME ZONE 'Europe/Amsterdam'
	AND l.looked_up_at < (t + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
	ORDER BY 1;
END
$$;
REVOKE ALL ON FUNCTION wachter.subject_report(text, date, date, text,
    boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.subject_report(text, date, date, text,
    boolean) TO wachter_reidentify;

ALTER TABLE wachter.access_log DROP CONSTRAINT access_log_what_check;
ALTER TABLE wachter.access_log ADD CONSTRAINT access_log_what_check
    CHECK (what IN ('persons', 'reveal', 'breach', 'report'));

-- Department indicators as Suwinet's monthly reports give them: lookups
-- per official per working day, share of searches by name or address
-- instead of BSN, share outside working hours, share unexplained.
CREATE VIEW wachter.department_indicators AS
SELECT date_trunc('month', l.looked_up_at AT TIME ZONE 'Europe/Amsterdam')::date
    AS month, coalesce(s.department, 'onbekend') AS department,
    count(*) AS lookups, count(DISTINCT l.user_name) AS officials,
    round(count(*)::numeric / nullif(count(DISTINCT (l.user_name,
	(l.looked_up_at AT TIME ZONE 'Europe/Amsterdam')::date)), 0), 1)
	AS per_official_per_day,
    round(avg((l.request LIKE 'Zoek%')::int), 3) AS share_searches,
    round(avg((coalesce(d.explanation, 'none') = 'none')::int), 3)
	AS share_unexplained,
    round(avg(coalesce(d.outside, false)::int), 3) AS share_outside_hours,
    round(avg(coalesce(d.flagged, false)::int), 3) AS share_flagged
FROM wachter.ledger_lookup l
LEFT JOIN wachter.staff s ON s.user_id = l.user_name
LEFT JOIN LATERAL (SELECT l.explanation, l.flagged, l.outside WHERE
    l.explanation IS NOT NULL UNION ALL (SELECT x.explanation, x.flagged,
    x.outside FROM wachter.ledger_decision x WHERE x.event_id =
    l.event_id ORDER BY x.decided_at DESC) LIMIT 1) d ON true
GROUP BY 1, 2;
GRANT SELECT ON wachter.department_indicators TO wachter_officer,
    wachter_auditor;

-- Retention of the ledger: its months go as the plaintext's do.
ALTER TABLE wachter.retention DROP CONSTRAINT retention_what_check;
ALTER TABLE wachter.retention ADD CONSTRAINT retention_what_check
    CHECK (what IN ('subject_plain', 'quarantine_raw', 'unattributed',
    'ledger'));
INSERT INTO wachter.retention VALUES ('ledger', interval '1 year', true);

CREATE FUNCTION wachter.retention_ledger(at timestamptz)
RETURNS SETOF text LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog AS $$
DECLARE
	k interval;
	r record;
BEGIN
	SELECT keep INTO k FROM wachter.retention WHERE what = 'ledger'
	    AND enabled;
	IF k IS NULL THEN
		RETURN;
	END IF;
	FOR r IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON
	    c.oid = i.inhrelid WHERE i.inhparent IN
	    ('wachter.ledger_lookup'::regclass,
	    'wachter.ledger_decision'::regclass) AND c.relname ~ '_[0-9]{6}$'
	    AND (to_date(right(c.relname, 6), 'YYYYMM') + interval '1 month')
	    < at - k ORDER BY 1 LOOP
		EXECUTE format('DROP TABLE wachter.%I', r.relname);
		RETURN NEXT 'dropped ' || r.relname;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION wachter.retention_ledger(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.retention_ledger(timestamptz)
    TO wachter_operator;
