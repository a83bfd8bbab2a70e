#!/bin/sh
# daemon.sh: wachterd end to end: lines appended to a real log while it
# runs become signed alert rows in PostgreSQL, the very ones `wachter eval`
# decides with the same engine; bad lines land in quarantine; SIGTERM
# commits and exits 0; the chain verifies with the public key alone.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

plan 18
wd_setup daemon || { echo "Bail out! setup failed"; exit 1; }
"$WACHTERD" -n -c "$CONF" > "$W/check.out" 2>&1
like "$(cat "$W/check.out")" '^configuration OK$' "-n accepts a good configuration"

wd_start
# Append the sample log in pieces while the daemon runs.
zcat "$CORPUS/rdw-audit.csv.gz" >> "$W/logs/rdw.csv"
zcat "$CORPUS/brp-audit.jsonl.gz" > "$W/all.jsonl"
n=$(wc -l < "$W/all.jsonl")
split -l 50 "$W/all.jsonl" "$W/part."
for p in "$W"/part.*; do
	cat "$p" >> "$W/logs/brp.jsonl"
	sleep 0.1
done
# A 10 MB line: kept in quarantine (its head), never a crash.
huge='{"event_id":"brp-huge","x":"'
python3 -c 'import sys; sys.stdout.write(sys.argv[1] + "a" * (10 << 20) + "\"}\n")' "$huge" >> "$W/logs/brp.jsonl"
huge_len=$(( ${#huge} + (10 << 20) + 2 ))
# Two malformed lines and a blank one.
printf '{"event_id":"brp-bad-1","timestamp":"2026-03-03T10:00:00.000+01:00","user":"x"\n\n{"event_id":"brp-bad-2","timestamp":"yesterday","user":"a","request_type":"RaadpleegMetBurgerservicenummer","query":{"burgerservicenummer":["111222333"]},"result_bsns":[],"status":"ok"}\n' >> "$W/logs/brp.jsonl"
wd_wait_caught_up
ok $? "wachterd caught up with the appended log"
sleep 1
python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \
    "http://127.0.0.1:$WD_PORT/metrics" > "$W/metrics.txt" 2>&1
python3 "$top_srcdir/tests/e2e/promcheck.py" --require wachter_events_read_total \
    --require wachter_database_up "$W/metrics.txt" > "$W/promcheck.out" 2>&1
ok $? "/metrics is valid Prometheus text"
like "$(grep '^wachter_events_read_total{source="brp"}' "$W/metrics.txt")" " $((n + 4))\$" \
    "/metrics counts every line read"
like "$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "http://127.0.0.1:$WD_PORT/healthz" 2>&1)" '^ok' \
    "/healthz says ok"
# Reference data changed while running: picked up without a restart.
"$WACHTER" import -d "$DSN" cases "$CORPUS/cases.csv" >/dev/null
wait_for 300 grep -q "reference data reloaded" "$W/wachterd.log"
ok $? "changed reference data is loaded while running"
wd_stop
is "$WD_RC" 0 "SIGTERM: exit status 0"
# The end of the logs: what waits for later lines is decided now.
wd_finish
is "$WD_RC" 0 "wachterd -1 decides what waits at the end of the logs and exits 0"

# What the engine decides over the same corpus, without the daemon.
"$WACHTER" eval "$CORPUS" --rules "$top_srcdir/rules" \
    --sources "$top_srcdir/contrib/sources" --flagged "$W/eval.tsv" >/dev/null
cut -f1 "$W/eval.tsv" | sort > "$W/eval.ids"
wd_sql "SELECT unnest(event_ids) FROM wachter.chain_record" | sort > "$W/db.ids"
ok "$([ -s "$W/eval.ids" ]; echo $?)" "the corpus has flagged lookups ($(wc -l < "$W/eval.ids"))"
is "$(comm -3 "$W/eval.ids" "$W/db.ids" | wc -l)" 0 \
    "the alert rows name exactly the lookups eval flags"
is "$(uniq -d "$W/db.ids" | wc -l)" 0 "no lookup is in two alert rows"
is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" \
    "$(cat "$W"/logs/* | wc -l)" "every line was examined once"
is "$(wd_sql "SELECT string_agg(event_id || ':' || reason, ',' ORDER BY event_id) FROM wachter.quarantine")" \
    "brp-bad-1:truncated JSON,brp-bad-2:bad time,brp-huge:line longer than max_line ($huge_len bytes)" \
    "malformed lines are in quarantine with their reasons"
is "$(wd_sql "SELECT length(raw) <= 65536 AND length = $huge_len FROM wachter.quarantine WHERE event_id = 'brp-huge'")" \
    "t" "a huge line is kept size-limited, with its full length"
ok "$([ "$(wd_sql "SELECT count(*) FROM wachter.chain_record WHERE summary = '' OR cardinality(rules) = 0")" = 0 ]; echo $?)" \
    "every alert says which rules fired and why"
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" \
    --since-checkpoint "$W/checkpoints.log" > "$W/verify.out" 2>&1
ok $? "the chain verifies with the public key alone"
is "$(grep -c '^test.invalid/daemon$' "$W/checkpoints.log")" \
    "$(wd_sql 'SELECT count(*) FROM wachter.chain_checkpoint')" \
    "every checkpoint reached the off-host sink"
like "$(cat "$W/wachterd.log")" '^<[0-9]>wachterd: ' \
    "log lines carry syslog priorities"
