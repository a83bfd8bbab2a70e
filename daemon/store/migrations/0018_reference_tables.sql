-- 0018_reference_tables.sql: a version per reference table, so the daemon
-- reloads only the tables that changed (docs/performance/daemon-targets.md,
-- "Reference reload"): a new watchlist entry no longer reads a million
-- cases again. wachter.reference_version stays the one counter of all
-- six, bumped as before; each table's row takes the value it was bumped
-- to, so a table's version is the counter's value at its last change.

CREATE TABLE wachter.reference_tables (
	name		text PRIMARY KEY,
	version		bigint NOT NULL
);
INSERT INTO wachter.reference_tables
	SELECT t, (SELECT version FROM wachter.reference_version)
	FROM unnest(ARRAY['staff', 'persons', 'vehicles', 'cases',
	    'appointments', 'watchlist']) AS t;
GRANT SELECT ON wachter.reference_tables TO wachter_daemon,
    wachter_officer;

-- Still one statement-level trigger per table (0004): every statement
-- that may change a table bumps it, rows or not.
CREATE OR REPLACE FUNCTION wachter.reference_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
	UPDATE wachter.reference_version SET version = version + 1
	    RETURNING version INTO v;
	UPDATE wachter.reference_tables SET version = v
	    WHERE name = TG_TABLE_NAME;
	NOTIFY wachter_reference;
	RETURN NULL;
END
$$;
