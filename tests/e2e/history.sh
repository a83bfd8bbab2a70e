#!/bin/sh
# history.sh: the officers' histories under the signed chain (docs/CHAIN.md
# section 4a). wachterd signs the heads of the decision history and the
# access log in its checkpoints; `wachter verify` checks the tables against
# them. A superuser who rewrites a decision in another officer's name and
# recomputes every later hash passes the tables' own hash check but not
# verify; a row slipped in without its hash fails too; wachterd raises the
# alarm and keeps signing the last head that held.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"
. "$top_srcdir/tests/e2e/officer_lib.sh"

plan 17
officer_setup history || { echo "Bail out! setup failed"; exit 1; }
ok 0 "wachterd read the sample corpus"
inc1=$(wd_sql "SELECT incident FROM wachter.incident_overview ORDER BY first_seq LIMIT 1")
inc2=$(wd_sql "SELECT incident FROM wachter.incident_overview ORDER BY first_seq OFFSET 1 LIMIT 1")
"$WACHTER" triage -d "$OFF" "$inc1" under_investigation --note "opgepakt" >/dev/null
"$WACHTER" triage -d "$OFF" "$inc2" false_positive --note "zaak gevonden" >/dev/null
psql -X -q -d "$OFF" -c "SELECT * FROM wachter.alert_persons('$inc1', 'dossier')" >/dev/null

# The last checkpoint's wachter-history line.
hist_line() {
	wd_sql "SELECT encode(note, 'escape') FROM wachter.chain_checkpoint ORDER BY n DESC LIMIT 1" |
	    grep '^wachter-history '
}
signs() { hist_line | grep -q "^wachter-history $1 [^ ]* $2 "; }

wd_start
wait_for 300 signs 2 1
ok $? "after a restart the next checkpoint signs both histories (2 decisions, 1 access)"
"$WACHTER" triage -d "$OFF" "$inc1" confirmed --note "misbruik" >/dev/null
wait_for 300 signs 3 1
ok $? "a decision made while wachterd runs is signed within two checkpoints"
wd_stop
signed=$(hist_line)
is "$(wd_sql "SELECT encode(hash, 'base64') FROM wachter.decision WHERE n = 3")" \
    "$(echo "$signed" | cut -d' ' -f3)" "the signed hash is the third decision's"
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" > "$W/v1.out" 2>&1
ok $? "wachter verify passes"

# Re-attribute decision 1 and rewrite every later hash consistently.
psql -X -q -d "$DSN" >/dev/null 2>&1 <<'EOS'
ALTER TABLE wachter.decision DISABLE TRIGGER decision_no_change;
UPDATE wachter.decision SET officer = 'someone_else' WHERE n = 1;
DO $$
DECLARE
	r record;
	p bytea := '\x0000000000000000000000000000000000000000000000000000000000000000';
BEGIN
	FOR r IN SELECT * FROM wachter.decision ORDER BY n LOOP
		UPDATE wachter.decision SET prev_hash = p, hash =
		    wachter.decision_hash(p, n, scope, target, status, note,
		    officer, at) WHERE n = r.n;
		p := wachter.decision_hash(p, r.n, r.scope, r.target, r.status,
		    r.note, r.officer, r.at);
	END LOOP;
END
$$;
ALTER TABLE wachter.decision ENABLE ALWAYS TRIGGER decision_no_change;
EOS
is "$(wd_sql "SELECT officer FROM wachter.decision WHERE n = 1")" "someone_else" \
    "a superuser rewrote decision 1 in another officer's name"
like "$("$WACHTER" decisions -d "$OFF" verify)" "hash chains intact" \
    "the table's own hash chain cannot tell"
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" > "$W/v2.out" 2>&1
ok "$([ $? = 1 ] && grep -q '^error: decision history: row 3 is not what the last checkpoint signed' "$W/v2.out"; echo $?)" \
    "wachter verify catches it against the signed head"

# wachterd at start: raises the alarm, keeps signing the head that held.
wd_start
wait_for 300 grep -q "officers' history tampered" "$W/wachterd.log"
ok $? "wachterd logs the tampering at start"
like "$(wd_http "$WD_PORT" /healthz)" "^503 .*decision history: row 3" \
    "/healthz answers 503 with the reason"
like "$(wd_http "$WD_PORT" /metrics)" "wachter_chain_tampered 1" \
    "and the tamper gauge is up"
wait_for 300 sh -c "[ \$(psql -X -At -d '$DSN' -c 'SELECT count(*) FROM wachter.chain_checkpoint') -gt $(wd_sql 'SELECT count(*) FROM wachter.chain_checkpoint') ]"
wd_stop
is "$(hist_line)" "$signed" "and signs the head it signed before, not the rewritten one"
like "$(wd_sql "SELECT reason FROM wachter.chain_alarm ORDER BY id DESC LIMIT 1")" \
    "decision history: row 3 is not what the last checkpoint signed" \
    "the alarm is recorded where an auditor sees it"

# A decision slipped in without the stamping trigger, with a made-up hash.
psql -X -q -d "$DSN" -c "ALTER TABLE wachter.decision DISABLE TRIGGER decision_stamp; INSERT INTO wachter.decision VALUES (4, 'incident', '$inc2', 'closed', 'x', 'chef', now(), '\\x$(printf '%064d' 0)', '\\x$(printf '%064d' 1)'); ALTER TABLE wachter.decision ENABLE ALWAYS TRIGGER decision_stamp" >/dev/null 2>&1
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" --alarms-seen 1000 > "$W/v3.out" 2>&1
like "$(cat "$W/v3.out")" "error: decision history: row 3 is not what" \
    "verify still names the rewritten row first"
psql -X -q -d "$DSN" -c "ALTER TABLE wachter.access_log DISABLE TRIGGER access_log_no_change" >/dev/null 2>&1
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" --alarms-seen 1000 > "$W/v4.out" 2>&1
like "$(cat "$W/v4.out")" "error: trigger access_log_no_change is missing or not enabled ALWAYS" \
    "a history whose append-only trigger is off fails verify"
# Checkpoint lines: parsed strictly, and signed (a changed count breaks the signature).
like "$signed" "^wachter-history 3 [A-Za-z0-9+/]{43}= 1 [A-Za-z0-9+/]{43}=\$" \
    "the line is 'wachter-history COUNT HASH COUNT HASH'"
# The access log is covered the same way: a read of persons put in
# another's name, every later hash recomputed, fails verify. (The trigger
# turned off above is turned back on first.)
psql -X -q -d "$DSN" >/dev/null 2>&1 <<'EOS'
ALTER TABLE wachter.access_log ENABLE ALWAYS TRIGGER access_log_no_change;
ALTER TABLE wachter.access_log DISABLE TRIGGER access_log_no_change;
UPDATE wachter.access_log SET who = 'someone_else', hash =
    wachter.access_hash(prev_hash, n, what, incident, handle, reason,
    'someone_else', at) WHERE n = 1;
ALTER TABLE wachter.access_log ENABLE ALWAYS TRIGGER access_log_no_change;
EOS
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" --alarms-seen 1000 > "$W/v5.out" 2>&1
like "$(cat "$W/v5.out")" "error: access history: row 1 is not what the last checkpoint signed" \
    "a rewritten access log entry fails verify too"
