-- 0001_base.sql: schema, group roles, migration bookkeeping, log positions
-- and the quarantine of lines that could not be parsed.
--
-- Roles are NOLOGIN groups: an administrator grants them to login roles
-- (GRANT wachter_daemon TO wachterd_login). The daemon's role changes only
-- its own state (positions) and appends everything else.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wachter_daemon') THEN
		BEGIN
			CREATE ROLE wachter_daemon NOLOGIN;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;	-- made meanwhile by a migration of another database
		END;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wachter_officer') THEN
		BEGIN
			CREATE ROLE wachter_officer NOLOGIN;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;	-- made meanwhile by a migration of another database
		END;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wachter_auditor') THEN
		BEGIN
			CREATE ROLE wachter_auditor NOLOGIN;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;	-- made meanwhile by a migration of another database
		END;
	END IF;
END
$$;

CREATE SCHEMA IF NOT EXISTS wachter;
REVOKE ALL ON SCHEMA wachter FROM PUBLIC;
GRANT USAGE ON SCHEMA wachter TO wachter_daemon, wachter_officer, wachter_auditor;

-- Where each log file has been read up to. One row per file identity: the
-- device and inode, plus a fingerprint of its first bytes because inodes
-- are reused. Written in the same transaction as everything decided from
-- the lines before "offset", so a crash can neither skip nor repeat a line.
CREATE TABLE wachter.source_file (
	source		text NOT NULL,
	dev		bigint NOT NULL,
	ino		bigint NOT NULL,
	fingerprint	bytea NOT NULL,
	path		text NOT NULL,
	"offset"	bigint NOT NULL CHECK ("offset" >= 0),
	lines		bigint NOT NULL DEFAULT 0,	-- read; for a joined stream
					-- (LDV) lines read again after a
					-- crash count twice (decided once)
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (source, dev, ino)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON wachter.source_file TO wachter_daemon;
GRANT SELECT ON wachter.source_file TO wachter_officer, wachter_auditor;

-- Lines that could not be parsed, kept with the reason. Never dropped.
CREATE TABLE wachter.quarantine (
	id		bigserial PRIMARY KEY,
	source		text NOT NULL,
	path		text NOT NULL,
	"offset"	bigint NOT NULL,
	length		bigint NOT NULL,	-- the line's full length
	raw		bytea NOT NULL,		-- at most the first 64 KiB
	reason		text NOT NULL,
	event_id	text,			-- when it could still be read
	received_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quarantine_source ON wachter.quarantine (source, received_at);
GRANT SELECT, INSERT ON wachter.quarantine TO wachter_daemon;
GRANT USAGE ON SEQUENCE wachter.quarantine_id_seq TO wachter_daemon;
GRANT SELECT ON wachter.quarantine TO wachter_officer, wachter_auditor;

-- Lookups that reached a log but whose user cannot be named (Logboek
-- Dataverwerkingen records whose application audit line never came).
-- Reported, never dropped, never guessed.
CREATE TABLE wachter.unattributed (
	id		bigserial PRIMARY KEY,
	source		text NOT NULL,
	trace		text NOT NULL,
	looked_up_at	timestamptz NOT NULL,
	subjects	text NOT NULL,
	received_at	timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT ON wachter.unattributed TO wachter_daemon;
GRANT USAGE ON SEQUENCE wachter.unattributed_id_seq TO wachter_daemon;
GRANT SELECT ON wachter.unattributed TO wachter_officer, wachter_auditor;
