-- 0014_history_covered.sql: the officers' histories under the signed
-- chain, and no citizen's identifier in the clear in the daemon's own
-- tables (docs/CHAIN.md section 4a, docs/PRIVACY.md).
--
-- The daemon reads the decision history and the access log, checks each
-- row's hash and link, and writes the heads (count, last hash) into its
-- next checkpoint, so a history rewritten afterwards no longer matches
-- what was signed. It only reads: the rows stay written by the officers'
-- own sessions through the stamping triggers.
GRANT SELECT ON wachter.decision, wachter.access_log TO wachter_daemon;
