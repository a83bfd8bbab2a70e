-- 0006_engine_user.sql: what the engine remembers of each official
-- (recent empty searches, plate lookups awaiting an address, sliding
-- windows, day baselines, the areas and persons looked up before), so
-- that a restart or a reconnect forgets nothing a rule needs. Written in
-- the same transaction as the log positions, for the users whose memory
-- changed in that batch; read back at start. The text holds hashes of
-- subjects, never a citizen's identifier in the clear, except the owner
-- of a plate lookup still inside its sequence window (at most an hour).
CREATE TABLE wachter.engine_user (
	name		text PRIMARY KEY,	-- the official's account
	state		bytea NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON wachter.engine_user TO wachter_daemon;
