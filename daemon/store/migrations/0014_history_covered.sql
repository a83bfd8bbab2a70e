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

-- The per-record triage of 0003 is neither hash-chained nor signed: from
-- now on decisions go only into the covered history (wachter triage).
-- Its old rows stay readable and still show in wachter.alert_current.
REVOKE INSERT ON wachter.triage FROM wachter_officer;

-- Unattributed lookups name their subjects by pseudonym from now on (the
-- plaintext goes to wachter.subject_plain, which retention empties by
-- month); the daemon rewrites the rows it wrote before, once, at start.
GRANT UPDATE (subjects) ON wachter.unattributed TO wachter_daemon;

-- The engine's state blobs are sealed under the daemon's state.key
-- (docs/PRIVACY.md); at the start that creates the key the daemon seals
-- the plaintext ones in place.
COMMENT ON COLUMN wachter.engine_state.state IS
    'sealed: WST1, nonce, XChaCha20-Poly1305 under KEYDIR/state.key';
COMMENT ON COLUMN wachter.engine_user.state IS
    'sealed: WST1, nonce, XChaCha20-Poly1305 under KEYDIR/state.key';

-- A log file's fingerprint is its first bytes (up to 256), which name
-- citizens in the clear: the daemon needs them to recognise a file after
-- rotation, nobody else does. Officers and auditors keep the positions.
REVOKE SELECT ON wachter.source_file FROM wachter_officer, wachter_auditor;
GRANT SELECT (source, dev, ino, path, "offset", lines, updated_at)
    ON wachter.source_file TO wachter_officer, wachter_auditor;
