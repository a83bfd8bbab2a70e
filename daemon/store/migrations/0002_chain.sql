-- 0002_chain.sql: the signed alert chain (docs/CHAIN.md). Records and
-- checkpoints are stored verbatim as bytea beside typed columns officers
-- query; `wachter verify` checks that both agree. The tables are
-- INSERT-only: UPDATE, DELETE and TRUNCATE are refused by triggers that
-- fire for every role (ENABLE ALWAYS) as deterrence; the signatures are
-- the guarantee.
CREATE TABLE wachter.chain_certificate (
	epoch		integer PRIMARY KEY CHECK (epoch > 0),
	note		bytea NOT NULL
);

CREATE TABLE wachter.chain_record (
	seq		bigint PRIMARY KEY CHECK (seq > 0),
	epoch		integer NOT NULL CHECK (epoch > 0),
	recorded_at	timestamptz NOT NULL,
	leaf_hash	bytea NOT NULL UNIQUE CHECK (length(leaf_hash) = 32),
	kind		text NOT NULL CHECK (kind IN ('new', 'addendum')),
	severity	text NOT NULL CHECK (severity IN
			    ('info', 'low', 'medium', 'high', 'critical')),
	incident	text NOT NULL,
	user_name	text NOT NULL,
	first_at	timestamptz,
	last_at		timestamptz,
	score		integer NOT NULL,	-- sum of rule weights, 1/1000
	rules		text[] NOT NULL,
	event_ids	text[] NOT NULL,
	subjects	text[] NOT NULL,
	summary		text NOT NULL,
	explanation	text NOT NULL,
	record		bytea NOT NULL
);
CREATE INDEX chain_record_user ON wachter.chain_record (user_name);
CREATE INDEX chain_record_time ON wachter.chain_record (recorded_at);
CREATE INDEX chain_record_incident ON wachter.chain_record (incident);

CREATE TABLE wachter.chain_checkpoint (
	n		bigint PRIMARY KEY CHECK (n > 0),
	epoch		integer NOT NULL CHECK (epoch > 0),
	tree_size	bigint NOT NULL CHECK (tree_size >= 0),
	signed_at	timestamptz NOT NULL,
	root_hash	bytea NOT NULL CHECK (length(root_hash) = 32),
	seal		boolean NOT NULL,
	note		bytea NOT NULL
);

CREATE FUNCTION wachter.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'wachter: % on %.% refused: this table is append-only',
	    TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
	    USING ERRCODE = 'insufficient_privilege';
END
$$;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['chain_certificate', 'chain_record',
	    'chain_checkpoint'] LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON '
		    'wachter.%I FOR EACH ROW EXECUTE FUNCTION '
		    'wachter.refuse_change()', t || '_no_change', t);
		EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON wachter.%I '
		    'FOR EACH STATEMENT EXECUTE FUNCTION wachter.refuse_change()',
		    t || '_no_truncate', t);
		EXECUTE format('ALTER TABLE wachter.%I ENABLE ALWAYS TRIGGER %I',
		    t, t || '_no_change');
		EXECUTE format('ALTER TABLE wachter.%I ENABLE ALWAYS TRIGGER %I',
		    t, t || '_no_truncate');
		EXECUTE format('REVOKE ALL ON wachter.%I FROM PUBLIC', t);
		EXECUTE format('GRANT SELECT, INSERT ON wachter.%I TO '
		    'wachter_daemon', t);
		EXECUTE format('GRANT SELECT ON wachter.%I TO wachter_auditor', t);
	END LOOP;
END
$$;
