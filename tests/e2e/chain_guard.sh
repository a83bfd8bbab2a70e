#!/bin/sh
# chain_guard.sh: the daemon signs only what it decided (docs/CHAIN.md
# section 9). A correctly linked forged record inserted with nothing but
# the daemon role's INSERT right while wachterd runs is never covered by a
# checkpoint: the daemon refuses, logs CRITICAL, sets
# wachter_chain_tampered, fails /healthz and leaves an alarm that
# `wachter verify` reports. The same for a forged row (with a copied MAC)
# written by a superuser while it is stopped, and for a sealed record
# rewritten and relinked: it refuses at start. A chain without a head
# file is taken on only through `wachter adopt`.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"
SQL=$top_srcdir/tests/e2e/sql

plan 37
wd_setup guard || { echo "Bail out! setup failed"; exit 1; }

# Run SQL as the superuser with the chain's triggers disabled.
tamper() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$DSN" >/dev/null <<SQL
ALTER TABLE wachter.chain_record DISABLE TRIGGER ALL;
$1
ALTER TABLE wachter.chain_record ENABLE ALWAYS TRIGGER chain_record_no_change;
ALTER TABLE wachter.chain_record ENABLE ALWAYS TRIGGER chain_record_no_truncate;
SQL
}

# GET a path of the metrics listener: "STATUS BODY".
http() { wd_http "$WD_PORT" "$1"; }

# Feed the sample log with event ids made distinct by a tag.
feed() {
	zcat "$CORPUS/brp-audit.jsonl.gz" |
	    sed "s/\"event_id\":\"brp-/\"event_id\":\"brp-$1-/" >> "$W/logs/brp.jsonl"
}

# Every record covered by a checkpoint.
all_signed() {
	[ "$(wd_sql 'SELECT coalesce(max(tree_size), 0) FROM wachter.chain_checkpoint')" = \
	    "$(wd_sql 'SELECT count(*) FROM wachter.chain_record')" ]
}
criticals() { grep -c 'CRITICAL: chain tampered' "$W/wachterd.log"; }
verify() {
	"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" "$@" \
	    > "$W/verify.out" 2>&1
}

# The sample's alerts (decided to the end of its logs), then a daemon
# running idle over the same logs.
feed a
wd_finish 300 && all_signed
ok $? "alerts are written and signed"
wd_start_connected
n=$(wd_sql 'SELECT count(*) FROM wachter.chain_record')
ok "$([ "$n" -gt 1 ]; echo $?)" "the sample gives several alerts ($n)"
is "$(stat -c %a "$W/keys/chain.head") $(stat -c %a "$W/keys/chain.mac")" "600 600" \
    "the head file and the MAC key are 0600 in the key folder"
like "$(grep 'chain: records' "$W/wachterd.log" | tail -n 1)" "records $n\\.\\.$n checked" \
    "a restart checks from the head's last record on, not the whole history"
like "$(head -n 1 "$W/keys/chain.head") $(tail -n 1 "$W/keys/chain.head")" \
    "^wachter-chain-head v2 tree( [A-Za-z0-9+/]{43}=)+$" "the head file holds the tree"
like "$(http /metrics | grep '^wachter_chain_tampered')" ' 0$' "wachter_chain_tampered is 0"

# A. Forged by the daemon's role while wachterd runs.
psql -X -q -v ON_ERROR_STOP=1 -d "$DAEMON_DSN" -f "$SQL/forge_next.sql"
ok $? "the daemon role appends a correctly linked forged record $((n + 1))"
wait_for 300 grep -q 'CRITICAL: chain tampered' "$W/wachterd.log"
ok $? "wachterd raises a CRITICAL alarm"
like "$(grep 'CRITICAL' "$W/wachterd.log" | head -n 1)" \
    "^<2>wachterd: .*record $((n + 1)) was not written by this daemon" \
    "the alarm names the foreign record, at syslog priority crit"
like "$(http /metrics | grep '^wachter_chain_tampered')" ' 1$' "wachter_chain_tampered is 1"
like "$(http /healthz)" '^503 .*chain tampered' "/healthz fails with the reason"
feed b
wd_stop
is "$WD_RC" 0 "SIGTERM while refusing: exit status 0"
is "$(wd_sql "SELECT count(*) FROM wachter.chain_checkpoint WHERE tree_size > $n")" 0 \
    "no checkpoint covers the forged record"
is "$(wd_sql 'SELECT count(*) FROM wachter.chain_alarm')" 1 "one alarm row for the auditor"
verify
is "$?" 1 "verify fails"
like "$(cat "$W/verify.out")" "error: the daemon refused to sign .*record $((n + 1))" \
    "verify reports the daemon's alarm"

# B. A forged row with a copied MAC, by a superuser while it is stopped.
tamper "DELETE FROM wachter.chain_record WHERE seq > $n;"
psql -X -q -v ON_ERROR_STOP=1 -d "$DSN" -f "$SQL/forge_next.sql"
c=$(criticals)
wd_start
wait_for 300 sh -c "[ \$(grep -c 'CRITICAL: chain tampered' '$W/wachterd.log') -gt $c ]"
ok $? "a forged row written while stopped stops wachterd at start"
wd_stop
is "$(wd_sql "SELECT count(*) FROM wachter.chain_checkpoint WHERE tree_size > $n")" 0 \
    "still no checkpoint covers it"

# C. The forgery removed: wachterd takes up its own chain again.
tamper "DELETE FROM wachter.chain_record WHERE seq > $n;"
wd_start
wd_wait_caught_up 600 && wait_for 300 all_signed
ok $? "after the forged row is removed the lines read meanwhile are signed"
like "$(http /healthz)" '^200 ' "/healthz is ok again"
like "$(http /metrics | grep '^wachter_chain_tampered')" ' 0$' "wachter_chain_tampered is 0 again"
wd_stop
n2=$(wd_sql 'SELECT count(*) FROM wachter.chain_record')
verify --alarms-seen 2
ok $? "with its alarms acknowledged the chain verifies ($n2 records)"

# C2. kill -9, then a superuser rewrites the newest record (signed or not:
# whichever it is, the daemon must notice) and fixes its leaf hash.
wd_start
feed d
wd_wait_caught_up 600
kill -KILL "$WD_PID"
wait "$WD_PID" 2>/dev/null
last=$(wd_sql 'SELECT max(seq) FROM wachter.chain_record')
wd_sql "CREATE TABLE public.saved AS SELECT * FROM wachter.chain_record WHERE seq = $last" >/dev/null
tamper "UPDATE wachter.chain_record SET record = overlay(record
    placing convert_to(repeat('X', octet_length(user_name)), 'UTF8')
    from position(convert_to(user_name, 'UTF8') in record)
    for octet_length(user_name)) WHERE seq = $last;
    UPDATE wachter.chain_record SET leaf_hash = sha256('\x00'::bytea || record)
    WHERE seq = $last;"
c=$(criticals)
wd_start
wait_for 300 sh -c "[ \$(grep -c 'CRITICAL: chain tampered' '$W/wachterd.log') -gt $c ]"
ok $? "after kill -9, a rewritten newest record ($last) stops wachterd at start"
wd_stop
is "$(wd_sql "SELECT count(*) FROM wachter.chain_checkpoint WHERE tree_size >= $last AND
    signed_at > (SELECT max(at) FROM wachter.chain_alarm)")" 0 "nothing signed over it"
tamper "UPDATE wachter.chain_record r SET record = s.record, leaf_hash = s.leaf_hash
    FROM public.saved s WHERE r.seq = s.seq;"
wd_start
wd_wait_caught_up 600 && wait_for 300 all_signed
ok $? "with the record put back, wachterd signs on"
wd_stop
seen=$(wd_sql 'SELECT max(id) FROM wachter.chain_alarm')

# D. Upgrade: a chain without a head file is refused until adopted.
mv "$W/keys/chain.head" "$W/chain.head.saved"
wd_start
wait_for 300 grep -q 'chain.head is missing' "$W/wachterd.log"
ok $? "without chain.head wachterd refuses an existing chain and says to adopt it"
wd_stop
pg_as_owner "$WACHTER" adopt --db "$DSN" "$W/keys" > "$W/adopt.out" 2>&1
is "$?" 1 "adopt refuses while alarms are not acknowledged"
pg_as_owner "$WACHTER" adopt --db "$DSN" --alarms-seen "$seen" --since-checkpoint "$W/checkpoints.log" \
    "$W/keys" > "$W/adopt.out" 2>&1
ok $? "adopt takes on the verified chain"
cmp -s "$W/keys/chain.head" "$W/chain.head.saved"
ok $? "adopt writes the head the daemon had written"

# E0. A sealed record rewritten without relinking the rest: the resumed
# check at start does not read it (docs/CHAIN.md section 9), but what the
# daemon signs afterwards still commits to the original record, so verify
# fails while the rewrite is stored and passes once it is put back.
wd_sql "CREATE TABLE public.saved2 AS SELECT * FROM wachter.chain_record WHERE seq = 2" >/dev/null
tamper "UPDATE wachter.chain_record SET record = overlay(record
    placing convert_to(repeat('X', octet_length(user_name)), 'UTF8')
    from position(convert_to(user_name, 'UTF8') in record)
    for octet_length(user_name)), user_name = repeat('X', octet_length(user_name))
    WHERE seq = 2;
    UPDATE wachter.chain_record SET leaf_hash = sha256('\x00'::bytea || record)
    WHERE seq = 2;"
cps=$(wd_sql 'SELECT count(*) FROM wachter.chain_checkpoint')
wd_start
feed e
signed_more() {
	all_signed && [ "$(wd_sql 'SELECT count(*) FROM wachter.chain_checkpoint')" -gt $((cps + 1)) ]
}
wd_wait_caught_up 600 && wait_for 300 signed_more
ok $? "with record 2 rewritten, not relinked, wachterd starts and signs on"
wd_stop
verify --alarms-seen "$seen"
is "$?" 1 "verify fails while the rewritten record is stored"
like "$(cat "$W/verify.out")" "record 3.*(link|prev)" "and names the broken link"
tamper "UPDATE wachter.chain_record r SET record = s.record, leaf_hash = s.leaf_hash,
    user_name = s.user_name FROM public.saved2 s WHERE r.seq = s.seq;"
verify --alarms-seen "$seen"
ok $? "with it put back, every checkpoint signed meanwhile verifies"

# E. A sealed record rewritten and relinked: wachterd refuses at start.
cps=$(wd_sql 'SELECT count(*) FROM wachter.chain_checkpoint')
tamper "$(cat "$SQL/rewrite_relink.sql")"
c=$(criticals)
wd_start
wait_for 300 sh -c "[ \$(grep -c 'CRITICAL: chain tampered' '$W/wachterd.log') -gt $c ]"
ok $? "a rewritten, relinked sealed record stops wachterd at start"
feed c
wd_stop
is "$(wd_sql 'SELECT count(*) FROM wachter.chain_checkpoint')" "$cps" \
    "nothing more is signed over the rewritten history"
verify --alarms-seen $((seen + 1))
is "$?" 1 "verify fails on the rewritten history"

# F. A certificate row that is not the one in the key folder.
psql -X -q -v ON_ERROR_STOP=1 -d "$DSN" >/dev/null <<SQL
ALTER TABLE wachter.chain_certificate DISABLE TRIGGER ALL;
UPDATE wachter.chain_certificate SET note = note || '\x0a'::bytea;
ALTER TABLE wachter.chain_certificate ENABLE ALWAYS TRIGGER chain_certificate_no_change;
SQL
wd_start
wait_for 300 grep -q 'CRITICAL: .*epoch 1 certificate is not the one' "$W/wachterd.log"
ok $? "a replaced certificate row stops wachterd"
wd_stop
