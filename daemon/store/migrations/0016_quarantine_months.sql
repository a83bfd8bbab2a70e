-- 0016_quarantine_months.sql: raw quarantined lines expire by dropped
-- months, as the other personal data does (docs/PRIVACY.md section 5).
-- Blanking `raw` in place (0008) left the bytes in dead row versions and
-- in the table's files until a vacuum happened to reuse them. Now a line
-- that could not be parsed is two rows: what, where and why in
-- `quarantine_entry` (kept: nothing is lost without a trace), its bytes
-- in `quarantine_line`, one partition per month it arrived, dropped whole
-- by `wachter.retention_run` once the month ended more than
-- `retention.quarantine_raw` ago. The view `wachter.quarantine` shows
-- them as one row as before; the daemon adds lines through
-- `wachter.quarantine_add`.
ALTER TABLE wachter.quarantine RENAME TO quarantine_entry;
ALTER INDEX wachter.quarantine_pkey RENAME TO quarantine_entry_pkey;
ALTER TABLE wachter.quarantine_entry ADD COLUMN raw_md5 text;
UPDATE wachter.quarantine_entry SET raw_md5 = md5(raw);
DROP INDEX wachter.quarantine_once;
CREATE UNIQUE INDEX quarantine_once ON wachter.quarantine_entry
	(source, file_dev, file_ino, "offset", raw_md5);

CREATE TABLE wachter.quarantine_line (
	id		bigint NOT NULL,	-- quarantine_entry.id
	month		date NOT NULL,		-- of received_at, in UTC
	raw		bytea NOT NULL,		-- at most the first 64 KiB
	PRIMARY KEY (id, month)
) PARTITION BY RANGE (month);
REVOKE ALL ON wachter.quarantine_line FROM PUBLIC;
SELECT wachter.ledger_partition('quarantine_line', m) FROM (SELECT DISTINCT
    date_trunc('month', received_at AT TIME ZONE 'UTC')::date AS m
    FROM wachter.quarantine_entry WHERE NOT raw_expired) x;
INSERT INTO wachter.quarantine_line SELECT id, date_trunc('month',
    received_at AT TIME ZONE 'UTC')::date, raw FROM wachter.quarantine_entry
    WHERE NOT raw_expired;
ALTER TABLE wachter.quarantine_entry DROP COLUMN raw,
	DROP COLUMN raw_expired;
REVOKE ALL ON wachter.quarantine_entry FROM PUBLIC, wachter_daemon,
    wachter_officer, wachter_auditor, wachter_operator;

CREATE VIEW wachter.quarantine AS
SELECT q.id, q.source, q.path, q."offset", q.length,
    coalesce(l.raw, '\x'::bytea) AS raw, q.reason, q.event_id,
    q.received_at, l.id IS NULL AS raw_expired, q.file_dev, q.file_ino
FROM wachter.quarantine_entry q
LEFT JOIN wachter.quarantine_line l ON l.id = q.id;
GRANT SELECT (id, source, path, "offset", length, reason, event_id,
    received_at, raw_expired, file_dev, file_ino) ON wachter.quarantine
    TO wachter_officer, wachter_auditor;
GRANT SELECT ON wachter.quarantine TO wachter_operator, wachter_daemon;

-- Quarantine one line, once: a line read again after kill -9 (same file,
-- offset and bytes) adds nothing.
CREATE FUNCTION wachter.quarantine_add(src text, p text, off bigint,
    len bigint, line bytea, why text, eid text, dev bigint, ino bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	qid bigint;
	m date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
BEGIN
	INSERT INTO wachter.quarantine_entry (source, path, "offset", length,
	    reason, event_id, file_dev, file_ino, raw_md5)
	    VALUES (src, p, off, len, why, eid, dev, ino, md5(line))
	    ON CONFLICT DO NOTHING RETURNING id INTO qid;
	IF qid IS NOT NULL THEN
		PERFORM wachter.ledger_partition('quarantine_line', m);
		INSERT INTO wachter.quarantine_line VALUES (qid, m, line);
	END IF;
END
$$;
REVOKE ALL ON FUNCTION wachter.quarantine_add(text, text, bigint, bigint,
    bytea, text, text, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.quarantine_add(text, text, bigint, bigint,
    bytea, text, text, bigint, bigint) TO wachter_daemon;

-- Retention: every kind of personal data goes by dropped months.
CREATE OR REPLACE FUNCTION wachter.retention_run(at timestamptz DEFAULT now())
RETURNS TABLE (what text, done text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
#variable_conflict use_column
DECLARE
	r record;
BEGIN
	FOR r IN SELECT x.what AS w, c.relname FROM wachter.retention x
	    JOIN pg_inherits i ON i.inhparent = ('wachter.' ||
	    CASE x.what WHEN 'quarantine_raw' THEN 'quarantine_line'
	    ELSE x.what END)::regclass
	    JOIN pg_class c ON c.oid = i.inhrelid
	    WHERE x.what IN ('subject_plain', 'unattributed', 'quarantine_raw')
	    AND x.enabled AND c.relname ~ '_[0-9]{6}$' AND (to_date(right(
	    c.relname, 6), 'YYYYMM') + interval '1 month') < at - x.keep
	    ORDER BY 2 LOOP
		EXECUTE format('DROP TABLE wachter.%I', r.relname);
		what := r.w; done := 'dropped ' || r.relname;
		RETURN NEXT;
	END LOOP;
END
$$;
