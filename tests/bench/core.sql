-- core.sql: the policy's core rule in SQL, the baseline wachter is measured
-- against. bench.sh loads the corpus first (load.sql); this counts the
-- lookups with a subject that no case of the user or the user's team
-- (opened by then, open or closed at most 30 days before) and no counter
-- appointment with the user (15 min before to 60 min after) explains.
SELECT count(DISTINCT l.id) AS unexplained
FROM lookups l JOIN employees e ON e.user_id = l.u
WHERE NOT EXISTS (
	SELECT 1 FROM case_subject cs
	WHERE cs.subject = l.subject AND cs.opened_at <= l.ts
	  AND (cs.closed_at IS NULL OR l.ts <= cs.closed_at + interval '30 days')
	  AND (l.u = ANY (cs.assignees) OR cs.team = e.team))
  AND NOT EXISTS (
	SELECT 1 FROM appointments a
	WHERE a.bsn = l.subject AND a.desk_user = l.u
	  AND l.ts BETWEEN a.start_at - interval '15 minutes'
	               AND a.end_at + interval '60 minutes');
