-- load.sql: a corpus folder into PostgreSQL the plain way: reference CSVs
-- with COPY, the BRP log as jsonb, the RDW log as CSV, then the subjects
-- of every lookup as rows and the indexes the core rule needs. bench.sh
-- runs it from inside the corpus folder (\copy takes relative paths).
DROP TABLE IF EXISTS employees, cases, appointments, case_subject,
	brp_raw, rdw, lookups;
CREATE UNLOGGED TABLE employees (user_id text, display_name text,
	surname text, department text, roles text, team text,
	home_postcode text, home_housenumber text, bsn text,
	employment_start date, employment_end date, schedule text,
	account_type text);
CREATE UNLOGGED TABLE cases (case_id text, case_type text,
	department text, status text, opened_at timestamptz,
	closed_at timestamptz, assignees text, team text, subjects text,
	registered_at timestamptz);
CREATE UNLOGGED TABLE appointments (appointment_id text,
	start_at timestamptz, end_at timestamptz, desk_user text, bsn text,
	product text);
CREATE UNLOGGED TABLE brp_raw (line text);
CREATE UNLOGGED TABLE rdw (tijdstip timestamp, gebruiker text,
	werkplek text, kenteken text, zaaknummer text, doelcode text,
	resultaat_bsn text, record_id text);
\copy employees FROM 'employees.csv' CSV HEADER
\copy cases FROM 'cases.csv' CSV HEADER
\copy appointments FROM 'appointments.csv' CSV HEADER
\copy brp_raw FROM 'brp-audit.jsonl'
\copy rdw FROM 'rdw-audit.csv' CSV HEADER DELIMITER ';'

CREATE UNLOGGED TABLE case_subject AS
	SELECT c.case_id, replace(s, '-', '') AS subject, c.opened_at,
	    c.closed_at, string_to_array(c.assignees, ';') AS assignees, c.team
	FROM cases c, unnest(string_to_array(c.subjects, ';')) s;
CREATE INDEX ON case_subject (subject);
CREATE INDEX ON appointments (bsn);
CREATE UNIQUE INDEX ON employees (user_id);

-- Subjects as the policy names them; truncated (malformed) lines skipped.
CREATE UNLOGGED TABLE lookups AS
	SELECT j->>'event_id' AS id, (j->>'timestamp')::timestamptz AS ts,
	    j->>'user' AS u, s AS subject
	FROM (SELECT line::jsonb AS j FROM brp_raw WHERE line LIKE '{%}') r,
	    jsonb_array_elements_text(CASE
		WHEN j->>'request_type' = 'RaadpleegMetBurgerservicenummer'
		THEN j->'query'->'burgerservicenummer'
		ELSE j->'result_bsns' END) s
	UNION ALL
	SELECT record_id, tijdstip AT TIME ZONE 'Europe/Amsterdam', gebruiker,
	    upper(replace(replace(kenteken, '-', ''), ' ', ''))
	FROM rdw;
ANALYZE;
