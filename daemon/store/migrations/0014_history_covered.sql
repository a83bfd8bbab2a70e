-- 0014_history_covered.sql: the officers' histories under the signed
-- chain, and no citizen's identifier in the clear in the daemon's own
-- tables (docs/CHAIN.md section 4a, docs/PRIVACY.md).
--
-- The daemon reads the decision history and the access log, checks each
-- row's hash and link, and writes the heads (count, last hash) into its
-- next checkpoint, so a history rewritten afterwards no longer matches
-- what was signed. It only reads: the rows stay written by the officers'
-- own sessions through the stamping triggers.
GRANT SELECT ON wachter.decision, wachter.access_log TO wachter_daemon;

-- The per-record triage of 0003 is neither hash-chained nor signed: from
-- now on decisions go only into the covered history (wachter triage).
-- Its old rows stay readable and still show in wachter.alert_current.
REVOKE INSERT ON wachter.triage FROM wachter_officer;

-- Unattributed lookups name their subjects by pseudonym from now on (the
-- plaintext goes to wachter.subject_plain, which retention empties by
-- month); the daemon rewrites the rows it wrote before, once, at start.
GRANT UPDATE (subjects) ON wachter.unattributed TO wachter_daemon;

-- The engine's state blobs are sealed under the daemon's state.key
-- (docs/PRIVACY.md); at the start that creates the key the daemon seals
-- the plaintext ones in place.
COMMENT ON COLUMN wachter.engine_state.state IS
    'sealed: WST1, nonce, XChaCha20-Poly1305 under KEYDIR/state.key';
COMMENT ON COLUMN wachter.engine_user.state IS
    'sealed: WST1, nonce, XChaCha20-Poly1305 under KEYDIR/state.key';

-- A log file's fingerprint is its first bytes (up to 256), which name
-- citizens in the clear: the daemon needs them to recognise a file after
-- rotation, nobody else does. Officers and auditors keep the positions.
REVOKE SELECT ON wachter.source_file FROM wachter_officer, wachter_auditor;
GRANT SELECT (source, dev, ino, path, "offset", lines, updated_at)
    ON wachter.source_file TO wachter_officer, wachter_auditor;

-- Unattributed lookups by month, so retention drops whole months as it
-- does for the ledger and the plaintext (docs/PRIVACY.md section 6). The
-- daemon adds rows through wachter.unattributed_add, which creates the
-- month's partition.
ALTER SEQUENCE wachter.unattributed_id_seq OWNED BY NONE;
ALTER TABLE wachter.unattributed RENAME TO unattributed_old;
CREATE TABLE wachter.unattributed (
	id		bigint NOT NULL DEFAULT
			    nextval('wachter.unattributed_id_seq'),
	source		text NOT NULL,
	trace		text NOT NULL,
	looked_up_at	timestamptz NOT NULL,
	subjects	text NOT NULL,		-- pseudonyms, ';'-separated
	received_at	timestamptz NOT NULL DEFAULT now(),
	month		date NOT NULL,		-- of looked_up_at, UTC
	PRIMARY KEY (id, month)
) PARTITION BY RANGE (month);
SELECT wachter.ledger_partition('unattributed', m) FROM (SELECT DISTINCT
    date_trunc('month', looked_up_at AT TIME ZONE 'UTC')::date AS m
    FROM wachter.unattributed_old) x;
INSERT INTO wachter.unattributed SELECT id, source, trace, looked_up_at,
    subjects, received_at, date_trunc('month', looked_up_at AT TIME ZONE
    'UTC')::date FROM wachter.unattributed_old;
DROP TABLE wachter.unattributed_old;
ALTER INDEX wachter.unattributed_pkey1 RENAME TO unattributed_pkey;
ALTER SEQUENCE wachter.unattributed_id_seq OWNED BY wachter.unattributed.id;
REVOKE ALL ON wachter.unattributed FROM PUBLIC;
GRANT SELECT, UPDATE (subjects) ON wachter.unattributed TO wachter_daemon;
GRANT SELECT (id, source, trace, looked_up_at, received_at, month)
    ON wachter.unattributed TO wachter_officer, wachter_auditor;
GRANT SELECT ON wachter.unattributed TO wachter_operator;

CREATE FUNCTION wachter.unattributed_add(src text, tr text, at_us bigint,
    subj text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	t timestamptz := to_timestamp(at_us / 1e6);
	m date := date_trunc('month', t AT TIME ZONE 'UTC')::date;
BEGIN
	PERFORM wachter.ledger_partition('unattributed', m);
	INSERT INTO wachter.unattributed (source, trace, looked_up_at,
	    subjects, month) VALUES (src, tr, t, subj, m);
END
$$;
REVOKE ALL ON FUNCTION wachter.unattributed_add(text, text, bigint, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.unattributed_add(text, text, bigint, text)
    TO wachter_daemon;

-- Retention as before, but unattributed lookups go by dropped months.
CREATE OR REPLACE FUNCTION wachter.retention_run(at timestamptz DEFAULT now())
RETURNS TABLE (what text, done text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
#variable_conflict use_column
DECLARE
	r record;
	k interval;
	n bigint;
BEGIN
	FOR r IN SELECT x.what AS w, c.relname FROM wachter.retention x
	    JOIN pg_inherits i ON i.inhparent = ('wachter.' || x.what)::regclass
	    JOIN pg_class c ON c.oid = i.inhrelid
	    WHERE x.what IN ('subject_plain', 'unattributed') AND x.enabled
	    AND c.relname ~ '_[0-9]{6}$' AND (to_date(right(c.relname, 6),
	    'YYYYMM') + interval '1 month') < at - x.keep ORDER BY 2 LOOP
		EXECUTE format('DROP TABLE wachter.%I', r.relname);
		what := r.w; done := 'dropped ' || r.relname;
		RETURN NEXT;
	END LOOP;
	SELECT keep INTO k FROM wachter.retention x
	    WHERE x.what = 'quarantine_raw' AND enabled;
	IF k IS NOT NULL THEN
		UPDATE wachter.quarantine SET raw = '\x'::bytea, raw_expired = true
		    WHERE received_at < at - k AND NOT raw_expired;
		GET DIAGNOSTICS n = ROW_COUNT;
		what := 'quarantine_raw'; done := 'blanked ' || n; RETURN NEXT;
	END IF;
END
$$;
