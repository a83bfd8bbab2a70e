-- 0013_explained.sql: a follow-up record (docs/CHAIN.md, kind 2) says
-- that lookups of an urgent alert, sent provisionally before their grace
-- period ended, were explained later by a case registered within it. Its
-- kind column is 'explained'. Which events were provisional and which
-- case explains each are in the record bytes only (optional fields
-- 0x8101 and 0x8102); the officer's views read the follow-ups by kind.
ALTER TABLE wachter.chain_record DROP CONSTRAINT chain_record_kind_check;
ALTER TABLE wachter.chain_record ADD CONSTRAINT chain_record_kind_check
	CHECK (kind IN ('new', 'addendum', 'explained'));

-- Per incident with follow-ups: how many of its lookups were explained
-- later, and how many still stand (0: the whole alert was withdrawn, so
-- `wachter alerts` leaves it out of the work list unless --all).
CREATE VIEW wachter.incident_later AS
SELECT x.incident, count(DISTINCT x.e) AS later_lookups,
    (SELECT count(*) FROM (
	SELECT e FROM wachter.chain_record r, unnest(r.event_ids) e
	    WHERE r.incident = x.incident AND r.kind <> 'explained'
	EXCEPT
	SELECT e FROM wachter.chain_record r, unnest(r.event_ids) e
	    WHERE r.incident = x.incident AND r.kind = 'explained') s)
	AS later_standing
FROM (SELECT incident, e FROM wachter.chain_record, unnest(event_ids) e
    WHERE kind = 'explained') x
GROUP BY x.incident;
GRANT SELECT ON wachter.incident_later TO wachter_officer, wachter_auditor;
