-- Append a forged record after the last one, as an attacker with nothing
-- but INSERT on the chain tables: correctly numbered and linked, the same
-- alert against another user, typed columns and leaf hash to match, and
-- the MAC column copied from the row before (the attacker has no key).
WITH l AS (
	SELECT * FROM wachter.chain_record ORDER BY seq DESC LIMIT 1
), f AS (
	SELECT l.*, overlay(overlay(overlay(record
	    placing int8send(seq + 1) from 6 for 8)
	    placing sha256('\x00'::bytea || record) from 58 for 32)
	    placing convert_to(repeat('X', octet_length(user_name)), 'UTF8')
	    from position(convert_to(user_name, 'UTF8') in record)
	    for octet_length(user_name)) AS rec
	FROM l
)
INSERT INTO wachter.chain_record (seq, epoch, recorded_at, leaf_hash, kind,
    severity, incident, user_name, first_at, last_at, score, rules,
    event_ids, subjects, summary, explanation, record, mac)
SELECT seq + 1, epoch, recorded_at, sha256('\x00'::bytea || rec), kind,
    severity, incident, repeat('X', octet_length(user_name)), first_at,
    last_at, score, rules, event_ids, subjects, summary, explanation, rec, mac
FROM f;
