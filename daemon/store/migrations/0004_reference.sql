-- 0004_reference.sql: reference data the municipality syncs from HR, the
-- case system and the BRP, as in FORMAT.md. Column names are the CSV
-- headers of the exports, so `wachter import` and the daemon's loader
-- speak the same format. Multi-valued cells are arrays.

CREATE TABLE wachter.staff (
	user_id		text PRIMARY KEY,
	display_name	text NOT NULL DEFAULT '',
	surname		text NOT NULL DEFAULT '',
	department	text NOT NULL,
	roles		text[] NOT NULL DEFAULT '{}',
	team		text NOT NULL DEFAULT '',
	home_postcode	text NOT NULL DEFAULT '',
	home_housenumber text NOT NULL DEFAULT '',
	bsn		text NOT NULL DEFAULT '',
	employment_start date,
	employment_end	date,
	schedule	text NOT NULL DEFAULT '',
	account_type	text NOT NULL CHECK (account_type IN ('person', 'service'))
);

CREATE TABLE wachter.persons (
	bsn		text PRIMARY KEY,
	surname		text NOT NULL,
	given_name	text NOT NULL DEFAULT '',
	birth_date	date,
	postcode	text NOT NULL DEFAULT '',
	housenumber	text NOT NULL DEFAULT '',
	secret		boolean NOT NULL DEFAULT false,
	deceased	boolean NOT NULL DEFAULT false
);

CREATE TABLE wachter.vehicles (
	kenteken	text PRIMARY KEY,
	owner_bsn	text NOT NULL DEFAULT ''
);

CREATE TABLE wachter.cases (
	case_id		text PRIMARY KEY,
	case_type	text NOT NULL,
	department	text NOT NULL,
	status		text NOT NULL CHECK (status IN ('open', 'closed')),
	opened_at	timestamptz NOT NULL,
	closed_at	timestamptz,
	assignees	text[] NOT NULL DEFAULT '{}',
	team		text NOT NULL DEFAULT '',
	subjects	text[] NOT NULL DEFAULT '{}',
	registered_at	timestamptz NOT NULL
);

CREATE TABLE wachter.appointments (
	appointment_id	text PRIMARY KEY,
	start_at	timestamptz NOT NULL,
	end_at		timestamptz NOT NULL,
	desk_user	text NOT NULL,
	bsn		text NOT NULL,
	product		text NOT NULL DEFAULT ''
);

CREATE TABLE wachter.watchlist (
	subject		text NOT NULL,
	category	text NOT NULL,
	note		text NOT NULL DEFAULT '',
	PRIMARY KEY (subject, category)
);

-- One counter the daemon polls cheaply to notice changed reference data.
CREATE TABLE wachter.reference_version (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	version		bigint NOT NULL
);
INSERT INTO wachter.reference_version VALUES (true, 1);

CREATE FUNCTION wachter.reference_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE wachter.reference_version SET version = version + 1;
	NOTIFY wachter_reference;
	RETURN NULL;
END
$$;

DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['staff', 'persons', 'vehicles', 'cases',
	    'appointments', 'watchlist'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR '
		    'DELETE OR TRUNCATE ON wachter.%I FOR EACH STATEMENT '
		    'EXECUTE FUNCTION wachter.reference_bump()',
		    t || '_bump', t);
		EXECUTE format('GRANT SELECT ON wachter.%I TO wachter_daemon, '
		    'wachter_officer', t);
	END LOOP;
END
$$;
GRANT SELECT ON wachter.reference_version TO wachter_daemon, wachter_officer;

-- Durable engine state: lookups held for the grace period and open
-- incidents, written in the same transaction as the log positions.
CREATE TABLE wachter.engine_state (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	state		bytea NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON wachter.engine_state TO wachter_daemon;
