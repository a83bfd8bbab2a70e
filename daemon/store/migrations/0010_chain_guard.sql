-- 0010_chain_guard.sql: what lets the daemon recognise its own records and
-- refuse the rest (docs/CHAIN.md section 9). Each record the daemon writes
-- carries an HMAC of its leaf hash under a key only the daemon holds
-- (KEYDIR/chain.mac); a record after the daemon's head file without a
-- valid MAC was not written by it, and it refuses to sign over it. When it
-- refuses it also records an alarm here, which `wachter verify` reports.
ALTER TABLE wachter.chain_record ADD COLUMN mac bytea
    CHECK (mac IS NULL OR length(mac) = 32);

CREATE TABLE wachter.chain_alarm (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	reason		text NOT NULL
);
CREATE TRIGGER chain_alarm_no_change BEFORE UPDATE OR DELETE ON
    wachter.chain_alarm FOR EACH ROW EXECUTE FUNCTION wachter.refuse_change();
CREATE TRIGGER chain_alarm_no_truncate BEFORE TRUNCATE ON wachter.chain_alarm
    FOR EACH STATEMENT EXECUTE FUNCTION wachter.refuse_change();
ALTER TABLE wachter.chain_alarm ENABLE ALWAYS TRIGGER chain_alarm_no_change;
ALTER TABLE wachter.chain_alarm ENABLE ALWAYS TRIGGER chain_alarm_no_truncate;
REVOKE ALL ON wachter.chain_alarm FROM PUBLIC;
GRANT SELECT, INSERT ON wachter.chain_alarm TO wachter_daemon;
GRANT SELECT ON wachter.chain_alarm TO wachter_auditor;

-- Part of every checkpoint transaction: fails it when the tables hold a
-- record or checkpoint past what the daemon is about to sign, so a row
-- slipped in while it runs stops it at the next checkpoint at the latest.
CREATE FUNCTION wachter.chain_expect_tip(size bigint, n bigint)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM wachter.chain_record WHERE seq > size) OR
	    EXISTS (SELECT 1 FROM wachter.chain_checkpoint WHERE
	    chain_checkpoint.n >= chain_expect_tip.n) THEN
		RAISE EXCEPTION 'wachter: the chain holds rows this daemon did '
		    'not write (after record % or from checkpoint %)', size, n;
	END IF;
	RETURN true;
END
$$;
REVOKE ALL ON FUNCTION wachter.chain_expect_tip(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.chain_expect_tip(bigint, bigint)
    TO wachter_daemon;
