#!/bin/sh
# daemon_faults.sh: wachterd under faults, with real processes and signals:
# kill -9 in a loop while it ingests, PostgreSQL stopped and restarted under
# load, SIGHUP with a good and a broken rule file. Every line must be
# examined exactly once; the chain must verify.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
# A private cluster: this test restarts it, which must not disturb others.
unset PGHOST
. "$top_srcdir/tests/e2e/wd.sh"

plan 16
# sql_is N SQL: wait (up to 60 s, not a fixed sleep: CI runs under load)
# until SQL answers N; the check that follows says what it answered.
sql_is() {
	_t=600
	while [ "$_t" -gt 0 ] && [ "$(wd_sql "$2")" != "$1" ]; do
		sleep 0.1
		_t=$((_t - 1))
	done
}
# sql_above N SQL: the same, until SQL answers more than N.
sql_above() {
	_t=600
	while [ "$_t" -gt 0 ] && [ "$(wd_sql "$2" 2>/dev/null || echo 0)" -le "$1" ]; do
		sleep 0.1
		_t=$((_t - 1))
	done
}
WD_BATCH=25
wd_setup faults || { echo "Bail out! setup failed"; exit 1; }
PGDIR=$TEST_TMP/pg-faults

# A larger log: the sample forty times over, with distinct event ids.
for k in $(seq 1 40); do
	zcat "$CORPUS/brp-audit.jsonl.gz" | sed "s/\"event_id\":\"brp-/\"event_id\":\"brp-r$k-/"
done > "$W/big.jsonl"
total=$(wc -l < "$W/big.jsonl")

# 1. kill -9 in a loop while lines are appended.
split -n l/8 "$W/big.jsonl" "$W/chunk."
kills=0
for c in "$W"/chunk.*; do
	wd_start
	cat "$c" >> "$W/logs/brp.jsonl"
	sleep 0.$(( $(od -An -N1 -tu1 /dev/urandom) % 6 + 2 ))
	kill -KILL "$WD_PID" 2>/dev/null && kills=$((kills + 1))
	wait "$WD_PID" 2>/dev/null
done
wd_start
wd_wait_caught_up 600
ok $? "caught up after $kills kill -9"
sql_is "$total" 'SELECT sum(lines) FROM wachter.source_file'
is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" "$total" \
    "every line examined exactly once across kill -9"
is "$(wd_sql 'SELECT count(*) - count(DISTINCT e) FROM wachter.chain_record, unnest(event_ids) e')" 0 \
    "no lookup in two alert rows"

# SIGTERM in the middle of a large batch: exit 0, and nothing lost.
for k in $(seq 41 60); do
	zcat "$CORPUS/brp-audit.jsonl.gz" | sed "s/\"event_id\":\"brp-/\"event_id\":\"brp-r$k-/"
done >> "$W/logs/brp.jsonl"
total=$(wc -l < "$W/logs/brp.jsonl")
sleep 0.3
wd_stop
is "$WD_RC" 0 "SIGTERM while ingesting: exit status 0"
wd_start
wd_wait_caught_up 600
sql_is "$total" 'SELECT sum(lines) FROM wachter.source_file'
is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" "$total" \
    "nothing lost or repeated across SIGTERM during a batch"

# 2. PostgreSQL stopped and restarted while lines arrive.
zcat "$CORPUS/brp-audit.jsonl.gz" | sed 's/"event_id":"brp-/"event_id":"brp-pg-/' > "$W/more.jsonl"
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$WD_PID/status"; }
rss_before=$(rss)
pg_stop "$PGDIR"
cat "$W/more.jsonl" >> "$W/logs/brp.jsonl"
for k in 1 2 3; do cat "$W/big.jsonl"; done | sed 's/"event_id":"brp-/"event_id":"brp-out-/' > "$W/flood.jsonl"
cat "$W/flood.jsonl" >> "$W/logs/brp.jsonl"
sleep 3
kill -0 "$WD_PID"
ok $? "wachterd keeps running while the database is down"
rss_during=$(rss)
ok "$([ "$rss_during" -lt $((rss_before + 32768)) ]; echo $?)" \
    "memory stays bounded while the database is down (RSS ${rss_before} -> ${rss_during} kB, $(wc -c < "$W/flood.jsonl") bytes waiting)"
like "$(cat "$W/wachterd.log")" "database connection lost" "the outage is logged"
pg_start "$PGDIR" >/dev/null
wd_wait_caught_up 600
ok $? "caught up after the database came back"
sql_is "$(wc -l < "$W/logs/brp.jsonl")" 'SELECT sum(lines) FROM wachter.source_file'
is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" \
    "$(wc -l < "$W/logs/brp.jsonl")" "nothing lost or repeated across the outage"

# 3. SIGHUP with a broken rule file keeps the old rules.
before=$(wd_sql 'SELECT count(*) FROM wachter.chain_record')
printf 'rules:\n  - id: broken\n    title: [\n' > "$W/rules/zz-broken.yaml"
kill -HUP "$WD_PID"
wait_for 300 grep -q "reload failed, keeping" "$W/wachterd.log"
like "$(cat "$W/wachterd.log")" "reload failed, keeping" "a broken rule file is refused on reload"
like "$(cat "$W/wachterd.log")" "zz-broken.yaml:[0-9]+:[0-9]+" "the error names file:line:column"
zcat "$CORPUS/brp-audit.jsonl.gz" | sed 's/"event_id":"brp-/"event_id":"brp-hup-/' >> "$W/logs/brp.jsonl"
wd_wait_caught_up 600
sql_above "$before" 'SELECT count(*) FROM wachter.chain_record'
after=$(wd_sql 'SELECT count(*) FROM wachter.chain_record')
ok "$([ "$after" -gt "$before" ]; echo $?)" "the old rules keep raising alerts ($before -> $after)"
rm "$W/rules/zz-broken.yaml"
kill -HUP "$WD_PID"
wait_for 300 grep -q "reload done" "$W/wachterd.log"
like "$(cat "$W/wachterd.log")" "reload done" "a good reload is applied"

wd_stop
is "$WD_RC" 0 "SIGTERM after the faults: exit status 0"
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" > "$W/verify.out" 2>&1
ok $? "the chain verifies after kill -9, an outage and reloads"
