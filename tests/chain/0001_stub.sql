-- 0001_stub.sql: what the chain migrations need from migration 0001 (the
-- lead's): schema wachter, the three group roles, schema_migrations. Used
-- by the chain tests only, until 0001 exists; harmless when it does.
CREATE SCHEMA IF NOT EXISTS wachter;
DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['wachter_daemon', 'wachter_officer',
	    'wachter_auditor'] LOOP
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
		EXECUTE format('GRANT USAGE ON SCHEMA wachter TO %I', r);
	END LOOP;
END
$$;
CREATE TABLE IF NOT EXISTS wachter.schema_migrations (
	version		integer PRIMARY KEY,
	applied_at	timestamptz NOT NULL DEFAULT now()
);
