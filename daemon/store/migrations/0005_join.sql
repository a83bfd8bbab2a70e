-- 0005_join.sql: lookups a join (Logboek Dataverwerkingen records with
-- the application's audit log) has already handed on. The log position of
-- a joined source may not pass a line the join still holds, so after a
-- restart some lines of groups already decided are read again; their keys
-- are here, in the same transaction as the decisions, so they are skipped
-- rather than decided twice. A row goes once both streams' committed
-- positions have passed every line of its group.
CREATE TABLE wachter.join_done (
	source		text NOT NULL,		-- the records source
	key		text NOT NULL,		-- e.g. the trace id
	records_off	bigint NOT NULL,	-- read positions when handed on
	partner_off	bigint NOT NULL,
	PRIMARY KEY (source, key)
);
GRANT SELECT, INSERT, DELETE ON wachter.join_done TO wachter_daemon;
