-- 0019_plain_rows.sql: the plaintext of many pseudonyms in one call
-- (daemon/store/pseudostore.c sends a batch's as arrays). 0008's
-- wachter.subject_plain_add ran once per subject of every alert: a
-- plpgsql call, a catalog look-up and an INSERT each, about a third of
-- the server's time in a burst of alerts, though most of a burst's
-- subjects repeat. Here each month of the batch gets its partition
-- through 0008's function (which creates it when missing), then the
-- distinct (handle, month) pairs go in with one INSERT. The same rows as
-- calling subject_plain_add for each element: a handle is keyed on its
-- value, so rows of the same handle and month are the same row.
CREATE FUNCTION wachter.subject_plain_add_rows(h text[], k text[],
    v text[], us bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT DISTINCT ON (m) x.h, x.k, x.v, x.at
	    FROM (SELECT u.h, u.k, u.v, w.at, date_trunc('month', w.at AT
	    TIME ZONE 'UTC')::date AS m FROM unnest(h, k, v, us) AS u(h, k, v,
	    t) CROSS JOIN LATERAL (SELECT timestamptz 'epoch' + u.t *
	    interval '1 microsecond' AS at) w) x LOOP
		PERFORM wachter.subject_plain_add(r.h, r.k, r.v, r.at);
	END LOOP;
	INSERT INTO wachter.subject_plain
	SELECT DISTINCT ON (u.h, m.m) u.h, u.k, u.v, m.m
	FROM unnest(h, k, v, us) AS u(h, k, v, t)
	CROSS JOIN LATERAL (SELECT date_trunc('month', (timestamptz 'epoch' +
	    u.t * interval '1 microsecond') AT TIME ZONE 'UTC')::date AS m) m
	ON CONFLICT DO NOTHING;
END
$$;
REVOKE ALL ON FUNCTION wachter.subject_plain_add_rows(text[], text[], text[],
    bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wachter.subject_plain_add_rows(text[], text[],
    text[], bigint[]) TO wachter_daemon;
