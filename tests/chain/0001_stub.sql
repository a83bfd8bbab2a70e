-- 0001_stub.sql: what the chain migrations need from migration 0001
-- (0001_base.sql): schema wachter and the three group roles. The chain
-- tests use it only where 0001_base.sql is not in the tree.
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
