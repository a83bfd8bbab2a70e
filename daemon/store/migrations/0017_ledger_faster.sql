-- 0017_ledger_faster.sql: wachter.ledger_add parses each JSON argument
-- once (docs/PERFORMANCE.md, "wachter scan: where the time goes"). 0009's
-- body called json_to_recordset on the same text in each statement that
-- needed it: the lookups three times, the decisions three times. Here
-- each array becomes an array of its table's row type once, its month
-- computed once, and every statement reads that. Times are divided as
-- float8, not numeric (numeric division was a third of the cost of the
-- months): to_timestamp takes a float8, and both ways give the double
-- nearest the exact quotient, so the same instant. Same arguments, same
-- rows written (tests/e2e/ledger_same.sh). Not a temporary table: one
-- made by a SECURITY DEFINER function is found through the caller's
-- pg_temp, where the caller could have put a table of its own, triggers
-- and all.
CREATE OR REPLACE FUNCTION wachter.ledger_add(lookups json, decisions json,
    plain json) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
-- The arrays are parameters of the statements below: a generic plan would
-- guess 100 elements each and might join 10 000 lookups to 10 000
-- decisions by a nested loop. A plan for each call sees the real sizes.
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	-- Decision columns NULL: they are filled by the join below.
	la wachter.ledger_lookup[] := ARRAY(SELECT ROW(
	    date_trunc('month', w.t AT TIME ZONE 'UTC')::date, x.id, w.t,
	    x.src, x."user", x.req, x."case", x.subj, NULL, NULL, NULL,
	    NULL)::wachter.ledger_lookup
	    FROM json_to_recordset(lookups) AS x(id text, ts bigint, src text,
	    "user" text, req text, "case" text, subj text[])
	    CROSS JOIN LATERAL (SELECT to_timestamp(x.ts / 1e6::float8) AS t) w);
	da wachter.ledger_decision[] := ARRAY(SELECT ROW(
	    date_trunc('month', w.t AT TIME ZONE 'UTC')::date, x.id, w.t,
	    x.expl, x.flag, x.out, x.inc)::wachter.ledger_decision
	    FROM json_to_recordset(decisions) AS x(id text, ts bigint,
	    expl text, flag boolean, out boolean, inc text)
	    CROSS JOIN LATERAL (SELECT to_timestamp(x.ts / 1e6::float8) AS t) w);
	m date;
BEGIN
	FOR m IN SELECT DISTINCT x.month FROM unnest(la) x LOOP
		PERFORM wachter.ledger_partition('ledger_lookup', m);
		PERFORM wachter.ledger_partition('subject_plain', m);
	END LOOP;
	FOR m IN SELECT DISTINCT x.month FROM unnest(da) x LOOP
		PERFORM wachter.ledger_partition('ledger_decision', m);
	END LOOP;
	-- A decision made in the same batch as its lookup goes into the
	-- lookup's row: one row instead of two for most lookups.
	INSERT INTO wachter.ledger_lookup
	SELECT x.month, x.event_id, x.looked_up_at, x.source, x.user_name,
	    x.request, x.case_id, x.subjects, d.explanation, d.flagged,
	    d.outside, d.incident
	FROM unnest(la) x LEFT JOIN unnest(da) d ON d.event_id = x.event_id
	ON CONFLICT DO NOTHING;
	INSERT INTO wachter.ledger_decision
	SELECT d.* FROM unnest(da) d
	WHERE NOT EXISTS (SELECT FROM unnest(la) x
	    WHERE x.event_id = d.event_id)
	ON CONFLICT DO NOTHING;
	-- Parsed here, once: it is read by this statement only.
	INSERT INTO wachter.subject_plain
	SELECT DISTINCT x.h, x.k, x.v, date_trunc('month', to_timestamp(
	    x.ts / 1e6::float8) AT TIME ZONE 'UTC')::date
	FROM json_to_recordset(plain) AS x(h text, k text, v text, ts bigint)
	ON CONFLICT DO NOTHING;
END
$$;
