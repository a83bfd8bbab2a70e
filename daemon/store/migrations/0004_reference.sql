-- 0004_reference.sql: the reference data that explains lookups, as the
-- municipality exports it (FORMAT.md); `wachter import KIND FILE.csv` fills
-- these tables and wachterd loads them into memory. Lists (roles, assignees,
-- subjects) keep the exports' ;-joined form.
CREATE SCHEMA IF NOT EXISTS wachter;

CREATE TABLE wachter.staff (
	user_id			text PRIMARY KEY,
	display_name		text NOT NULL,
	surname			text NOT NULL,
	department		text NOT NULL,
	roles			text NOT NULL,
	team			text NOT NULL,
	home_postcode		text NOT NULL,
	home_housenumber	text NOT NULL,
	bsn			text NOT NULL,
	employment_start	date NOT NULL,
	employment_end		date,
	schedule		text NOT NULL,
	account_type		text NOT NULL
	    CHECK (account_type IN ('person', 'service'))
);

CREATE TABLE wachter.persons (
	bsn			char(9) PRIMARY KEY,
	surname			text NOT NULL,
	given_name		text NOT NULL,
	birth_date		date,
	postcode		text NOT NULL,
	housenumber		text NOT NULL,
	secret			smallint NOT NULL CHECK (secret IN (0, 1)),
	deceased		smallint NOT NULL CHECK (deceased IN (0, 1))
);

CREATE TABLE wachter.vehicles (
	kenteken		text PRIMARY KEY,
	owner_bsn		char(9)
);

CREATE TABLE wachter.cases (
	case_id			text PRIMARY KEY,
	case_type		text NOT NULL,
	department		text NOT NULL,
	status			text NOT NULL CHECK (status IN ('open', 'closed')),
	opened_at		timestamptz NOT NULL,
	closed_at		timestamptz,
	assignees		text NOT NULL,
	team			text NOT NULL,
	subjects		text NOT NULL,
	registered_at		timestamptz NOT NULL
);

CREATE TABLE wachter.appointments (
	appointment_id		text PRIMARY KEY,
	start_at		timestamptz NOT NULL,
	end_at			timestamptz NOT NULL,
	desk_user		text NOT NULL,
	bsn			char(9) NOT NULL,
	product			text NOT NULL
);

CREATE TABLE wachter.watchlist (
	subject			text NOT NULL,
	category		text NOT NULL,
	note			text NOT NULL DEFAULT '',
	PRIMARY KEY (subject, category)
);

-- Changes are announced so wachterd reloads without a restart.
CREATE TABLE wachter.reference_version (
	kind			text PRIMARY KEY,
	imported_at		timestamptz NOT NULL DEFAULT now(),
	rows			bigint NOT NULL
);

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wachter_daemon') THEN
		GRANT USAGE ON SCHEMA wachter TO wachter_daemon;
		GRANT SELECT ON wachter.staff, wachter.persons, wachter.vehicles,
		    wachter.cases, wachter.appointments, wachter.watchlist,
		    wachter.reference_version TO wachter_daemon;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wachter_officer') THEN
		GRANT USAGE ON SCHEMA wachter TO wachter_officer;
		GRANT SELECT ON wachter.staff, wachter.cases, wachter.watchlist
		    TO wachter_officer;
	END IF;
END
$$;
