-- 0015_overview_lookups.sql: an incident's lookups are its distinct
-- lookups. A follow-up record (kind 'explained', migration 0013) names
-- again the lookups it withdraws, and one lookup can be in an alert and
-- in an addendum that re-examined it; summing the records' event lists
-- counted those twice. Same columns as in 0007, so the views built on it
-- (dossier, rule_stats) stay as they are.
CREATE OR REPLACE VIEW wachter.incident_overview AS
WITH inc AS (
	SELECT incident, min(user_name) AS user_name,
	    max(wachter.severity_rank(severity)) AS severity_rank,
	    min(first_at) AS first_at, max(last_at) AS last_at,
	    min(recorded_at) AS alerted_at, max(recorded_at) AS updated_at,
	    count(*) AS records,
	    (SELECT count(DISTINCT e) FROM wachter.chain_record r,
		unnest(r.event_ids) e WHERE r.incident = c.incident AND
		r.kind <> 'explained') AS lookups,
	    sum(score) AS score, min(seq) AS first_seq
	FROM wachter.chain_record c GROUP BY incident
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
