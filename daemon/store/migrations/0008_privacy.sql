-- 0008_privacy.sql: least privilege for people and evidence without
-- exposure (docs/PRIVACY.md).
--
-- * Officers no longer read the reference tables about citizens (persons,
--   vehicles, cases, appointments, watchlist): they see the persons of an
--   incident they work through wachter.alert_persons(), which logs each
--   read. Who a pseudonym is (BSN, plate, name, address) only
--   wachter.reveal() says, to members of wachter_reidentify, and it logs
--   each reveal. Both logs are one append-only, hash-chained history.
-- * Records (version 2) carry keyed pseudonyms instead of BSNs and plates;
--   the plaintext behind each pseudonym is in wachter.subject_plain,
--   partitioned by month of the lookup so retention drops whole months
--   without touching the signed records.
-- * Quarantined raw lines are readable only by wachter_operator and are
--   blanked after their retention period.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wachter_operator') THEN
		BEGIN
			CREATE ROLE wachter_operator NOLOGIN;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;	-- made meanwhile by a migration of another database
		END;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wachter_reidentify') THEN
		BEGIN
			CREATE ROLE wachter_reidentify NOLOGIN;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;	-- made meanwhile by a migration of another database
		END;
	END IF;
END
$$;
GRANT USAGE ON SCHEMA wachter TO wachter_operator, wachter_reidentify;

-- Citizens' data: not for officers (officials' data in staff stays).
REVOKE SELECT ON wachter.persons, wachter.vehicles, wachter.cases,
    wachter.appointments, wachter.watchlist FROM wachter_officer;

-- Quarantine: everything but the raw bytes for officers and auditors.
REVOKE SELECT ON wachter.quarantine FROM wachter_officer, wachter_auditor;
GRANT SELECT (id, source, path, "offset", length, reason, event_id,
    received_at) ON wachter.quarantine TO wachter_officer, wachter_auditor;
GRANT SELECT ON wachter.quarantine TO wachter_operator;
ALTER TABLE wachter.quarantine ADD COLUMN raw_expired boolean NOT NULL
    DEFAULT false;
GRANT SELECT (raw_expired) ON wachter.quarantine TO wachter_officer,
    wachter_auditor;

-- Unattributed lookups still carry their subjects in the clear.
REVOKE SELECT ON wachter.unattributed FROM wachter_officer, wachter_auditor;
GRANT SELECT (id, source, trace, looked_up_at, received_at)
    ON wachter.unattributed TO wachter_officer, wachter_auditor;
GRANT SELECT ON wachter.unattributed TO wachter_operator;
GRANT SELECT ON wachter.source_file TO wachter_operator;

-- The plaintext behind each pseudonym, one partition per month of lookup.
CREATE TABLE wachter.subject_plain (
	handle		text NOT NULL,		-- 'ps:' and 32 hex digits
	kind		text NOT NULL CHECK (kind IN ('bsn', 'plate')),
	value		text NOT NULL,
	month		date NOT NULL,		-- first day, UTC
	PRIMARY KEY (handle, month)
) PARTITION BY RANGE (month);
REVOKE ALL ON wachter.subject_plain FROM PUBLIC;

-- Add one pseudonym's plaintext, creating the month's partition first.
-- The daemon may call this; it may not read the table.
CREATE FUNCTION wachter.subject_plain_add(h text, k text, v text,
    at timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	m date := date_trunc('month', at AT TIME ZONE 'UTC')::date;
	part text := 'subject_plain_' || to_char(m, 'YYYYMM');
BEGIN
	IF to_regclass('wachter.' || part) IS NULL THEN
		PERFORM pg_advisory_xact_lock(2003200336);	-- 'wachter plain'
		EXECUTE format('CREATE TABLE IF NOT EXISTS wachter.%I PARTITION '
		    'OF wachter.subject_plain FOR VALUES FROM (%L) TO (%L)',
		    part, m, (m + interval '1 month')::date);
	END IF;
	INSERT INTO wachter.subject_plain VALUES (h, k, v, m)
	    ON CONFLICT DO NOTHING;
END
$$;
REVOKE ALL ON FUNCTION wachter.subject_plain_add(text, text, text,
    timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.subject_plain_add(text, text, text,
    timestamptz) TO wachter_daemon;

-- Who read which persons, and who revealed which pseudonym, and why.
CREATE TABLE wachter.access_log (
	n		bigint PRIMARY KEY CHECK (n > 0),
	what		text NOT NULL CHECK (what IN ('persons', 'reveal')),
	incident	text NOT NULL,
	handle		text NOT NULL DEFAULT '',
	reason		text NOT NULL,
	who		text NOT NULL,
	at		timestamptz NOT NULL,
	prev_hash	bytea NOT NULL CHECK (length(prev_hash) = 32),
	hash		bytea NOT NULL CHECK (length(hash) = 32)
);
CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE
    ON wachter.access_log FOR EACH ROW EXECUTE FUNCTION wachter.refuse_change();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON wachter.access_log
    FOR EACH STATEMENT EXECUTE FUNCTION wachter.refuse_change();
ALTER TABLE wachter.access_log ENABLE ALWAYS TRIGGER access_log_no_change;
ALTER TABLE wachter.access_log ENABLE ALWAYS TRIGGER access_log_no_truncate;
REVOKE ALL ON wachter.access_log FROM PUBLIC;
GRANT SELECT ON wachter.access_log TO wachter_officer, wachter_auditor;

-- The bytes an access entry's hash covers, as for decisions (0007).
CREATE FUNCTION wachter.access_hash(prev bytea, n bigint, what text,
    incident text, handle text, reason text, who text, at timestamptz)
RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT sha256(convert_to('wachter access v1', 'UTF8') || '\x00'::bytea
	    || prev || convert_to(concat_ws(E'\n', n, what, incident, handle,
	    reason, who, (extract(epoch FROM at) * 1000000)::bigint), 'UTF8'))
$$;

-- Append one access entry (called by the functions below only).
CREATE FUNCTION wachter.access_add(w text, inc text, h text, why text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog AS $$
DECLARE
	last wachter.access_log%ROWTYPE;
	t timestamptz := clock_timestamp();
BEGIN
	PERFORM pg_advisory_xact_lock(2003200321);	-- 'wachter access'
	SELECT * INTO last FROM wachter.access_log ORDER BY n DESC LIMIT 1;
	INSERT INTO wachter.access_log VALUES (coalesce(last.n, 0) + 1, w, inc,
	    h, why, session_user, t, coalesce(last.hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea),
	    wachter.access_hash(coalesce(last.hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea),
	    coalesce(last.n, 0) + 1, w, inc, h, why, session_user, t));
END
$$;
REVOKE ALL ON FUNCTION wachter.access_add(text, text, text, text) FROM PUBLIC;

-- The first access entry whose hash or link does not hold, or NULL.
CREATE FUNCTION wachter.access_verify() RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT min(d.n) FROM (
		SELECT n, hash, prev_hash, lag(hash) OVER (ORDER BY n) AS before,
		    row_number() OVER (ORDER BY n) AS i,
		    wachter.access_hash(prev_hash, n, what, incident, handle,
		    reason, who, at) AS want
		FROM wachter.access_log) d
	WHERE d.n <> d.i OR d.hash <> d.want OR d.prev_hash <>
	    coalesce(d.before, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
$$;
GRANT EXECUTE ON FUNCTION wachter.access_verify() TO wachter_officer,
    wachter_auditor;

-- An incident an officer works: under investigation or confirmed.
CREATE FUNCTION wachter.incident_worked(inc text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT coalesce((SELECT status IN ('under_investigation', 'confirmed')
	    FROM wachter.decision_current WHERE scope = 'incident' AND
	    target = inc), false)
$$;

-- The persons and vehicles of an incident an officer works, by number and
-- pseudonym, with what matters for judging it and nothing that
-- identifies them. Each call is logged.
CREATE FUNCTION wachter.alert_persons(inc text, reason text)
RETURNS TABLE (nr bigint, handle text, kind text, secret boolean,
    deceased boolean, resident boolean, known boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
#variable_conflict use_column
BEGIN
	IF NOT wachter.incident_worked(inc) THEN
		RAISE EXCEPTION 'wachter: incident % is not under investigation', inc
		    USING ERRCODE = 'insufficient_privilege',
		    HINT = 'wachter triage ID under_investigation --note ...';
	END IF;
	IF coalesce(btrim(reason), '') = '' THEN
		RAISE EXCEPTION 'wachter: a reason is required'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM wachter.access_add('persons', inc, '', reason);
	RETURN QUERY
	SELECT row_number() OVER (ORDER BY f), s.h, sp.kind,
	    coalesce(p.secret, o.secret, false),
	    coalesce(p.deceased, false), coalesce(p.postcode, o.postcode, '') <> '',
	    p.bsn IS NOT NULL OR v.kenteken IS NOT NULL
	FROM (SELECT x AS h, min(r.seq * 100000 + o) AS f
	    FROM wachter.chain_record r, unnest(r.subjects) WITH ORDINALITY
	    AS u(x, o) WHERE r.incident = inc GROUP BY x) s
	LEFT JOIN LATERAL (SELECT kind, value FROM wachter.subject_plain
	    WHERE subject_plain.handle = s.h LIMIT 1) sp ON true
	LEFT JOIN wachter.persons p ON sp.kind = 'bsn' AND p.bsn = sp.value
	LEFT JOIN wachter.vehicles v ON sp.kind = 'plate' AND
	    v.kenteken = sp.value
	LEFT JOIN wachter.persons o ON o.bsn = v.owner_bsn
	ORDER BY 1;
END
$$;
REVOKE ALL ON FUNCTION wachter.alert_persons(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.alert_persons(text, text)
    TO wachter_officer;

-- Refuse unless the session may re-identify and gives a reason.
CREATE FUNCTION wachter.reidentify_check(reason text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
	IF NOT pg_has_role(session_user, 'wachter_reidentify', 'MEMBER') THEN
		RAISE EXCEPTION 'wachter: this needs the wachter_reidentify role'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF coalesce(btrim(reason), '') = '' THEN
		RAISE EXCEPTION 'wachter: a reason is required'
		    USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;

-- Who a pseudonym of a worked incident is: for wachter_reidentify only,
-- with a reason, logged. A person under secrecy (geheimhouding) keeps
-- the address withheld: contact goes through the proper channel.
CREATE FUNCTION wachter.reveal(h text, reason text)
RETURNS TABLE (handle text, kind text, value text, surname text,
    given_name text, birth_date date, postcode text, housenumber text,
    secret boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
#variable_conflict use_column
DECLARE
	inc text;
BEGIN
	PERFORM wachter.reidentify_check(reason);
	SELECT min(r.incident) INTO inc FROM wachter.chain_record r
	    WHERE h = ANY (r.subjects) AND wachter.incident_worked(r.incident);
	IF inc IS NULL THEN
		RAISE EXCEPTION 'wachter: % is not a person of an incident under investigation', h
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM wachter.subject_plain sp
	    WHERE sp.handle = h) THEN
		RAISE EXCEPTION 'wachter: the plaintext of % is no longer kept (retention)', h
		    USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM wachter.access_add('reveal', inc, h, reason);
	RETURN QUERY
	SELECT sp.handle, sp.kind, sp.value, p.surname, p.given_name,
	    p.birth_date, CASE WHEN p.secret THEN NULL ELSE p.postcode END,
	    CASE WHEN p.secret THEN NULL ELSE p.housenumber END, p.secret
	FROM (SELECT * FROM wachter.subject_plain x WHERE x.handle = h
	    LIMIT 1) sp
	LEFT JOIN wachter.vehicles v ON sp.kind = 'plate' AND
	    v.kenteken = sp.value
	LEFT JOIN wachter.persons p ON p.bsn = CASE WHEN sp.kind = 'bsn'
	    THEN sp.value ELSE v.owner_bsn END;
END
$$;
REVOKE ALL ON FUNCTION wachter.reveal(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.reveal(text, text) TO wachter_reidentify;

-- Retention per table: how long, and whether it runs.
CREATE TABLE wachter.retention (
	what		text PRIMARY KEY CHECK (what IN ('subject_plain',
			    'quarantine_raw', 'unattributed')),
	keep		interval NOT NULL CHECK (keep >= interval '1 day'),
	enabled		boolean NOT NULL DEFAULT true
);
INSERT INTO wachter.retention VALUES
	('subject_plain', interval '2 years', true),
	('quarantine_raw', interval '90 days', true),
	('unattributed', interval '1 year', true);
GRANT SELECT ON wachter.retention TO wachter_officer, wachter_auditor,
    wachter_operator;
GRANT UPDATE (keep, enabled) ON wachter.retention TO wachter_operator;

-- Apply retention: drop months of plaintext that ended more than `keep`
-- ago, blank raw quarantined lines and delete unattributed lookups older
-- than theirs. Signed records are never touched. Returns what it did.
CREATE FUNCTION wachter.retention_run(at timestamptz DEFAULT now())
RETURNS TABLE (what text, done text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
#variable_conflict use_column
DECLARE
	r record;
	k interval;
	n bigint;
BEGIN
	SELECT keep INTO k FROM wachter.retention x
	    WHERE x.what = 'subject_plain' AND enabled;
	IF k IS NOT NULL THEN
		FOR r IN SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS b
		    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		    WHERE i.inhparent = 'wachter.subject_plain'::regclass
		    AND c.relname ~ '^subject_plain_[0-9]{6}$'
		    AND (to_date(substr(c.relname, 15), 'YYYYMM') +
		    interval '1 month') < at - k ORDER BY 1 LOOP
			EXECUTE format('DROP TABLE wachter.%I', r.relname);
			what := 'subject_plain'; done := 'dropped ' || r.relname;
			RETURN NEXT;
		END LOOP;
	END IF;
	SELECT keep INTO k FROM wachter.retention x
	    WHERE x.what = 'quarantine_raw' AND enabled;
	IF k IS NOT NULL THEN
		UPDATE wachter.quarantine SET raw = '\x'::bytea, raw_expired = true
		    WHERE received_at < at - k AND NOT raw_expired;
		GET DIAGNOSTICS n = ROW_COUNT;
		what := 'quarantine_raw'; done := 'blanked ' || n; RETURN NEXT;
	END IF;
	SELECT keep INTO k FROM wachter.retention x
	    WHERE x.what = 'unattributed' AND enabled;
	IF k IS NOT NULL THEN
		DELETE FROM wachter.unattributed WHERE looked_up_at < at - k;
		GET DIAGNOSTICS n = ROW_COUNT;
		what := 'unattributed'; done := 'deleted ' || n; RETURN NEXT;
	END IF;
END
$$;
REVOKE ALL ON FUNCTION wachter.retention_run(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.retention_run(timestamptz)
    TO wachter_operator;
