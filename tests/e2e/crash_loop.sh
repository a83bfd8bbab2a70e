#!/bin/sh
# crash_loop.sh: kill -9 again and again (CRASH_ROUNDS, default 50) while
# the log grows. Every line is examined exactly once, no lookup is in two
# alerts, committed positions never move back, the chain verifies, and
# nothing an uninterrupted run over the same log flags is missing.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

rounds=${CRASH_ROUNDS:-50}
plan 6
WD_BATCH=25
# The sample twenty times over, with distinct event ids.
for k in $(seq 1 20); do
	zcat "$CORPUS/brp-audit.jsonl.gz" | sed "s/\"event_id\":\"brp-/\"event_id\":\"brp-c$k-/"
done > "$TEST_TMP/crash.jsonl"
total=$(wc -l < "$TEST_TMP/crash.jsonl")

# The reference: one uninterrupted run.
wd_setup crashref || { echo "Bail out! setup failed"; exit 1; }
cat "$TEST_TMP/crash.jsonl" > "$W/logs/brp.jsonl"
wd_start
wd_wait_caught_up 120
wd_stop
wd_sql "SELECT DISTINCT unnest(event_ids) FROM wachter.chain_record" | sort > "$TEST_TMP/crash.ref"

wd_setup crash || { echo "Bail out! setup failed"; exit 1; }
split -n l/"$rounds" "$TEST_TMP/crash.jsonl" "$W/chunk."
POSQ="SELECT source || ':' || ino || ':' || \"offset\" FROM wachter.source_file ORDER BY 1"
: > "$W/pos.prev"
back=0
kills=0
for c in "$W"/chunk.*; do
	wd_start
	cat "$c" >> "$W/logs/brp.jsonl"
	sleep 0.$(( $(od -An -N1 -tu1 /dev/urandom) % 5 + 1 ))
	kill -KILL "$WD_PID" 2>/dev/null && kills=$((kills + 1))
	wait "$WD_PID" 2>/dev/null
	wd_sql "$POSQ" > "$W/pos.now"
	# A position may appear or grow, never shrink or vanish.
	back=$((back + $(awk -F: 'NR == FNR { now[$1 ":" $2] = $3; next }
	    !(($1 ":" $2) in now) || now[$1 ":" $2] + 0 < $3 + 0 { n++ }
	    END { print n + 0 }' "$W/pos.now" "$W/pos.prev")))
	mv "$W/pos.now" "$W/pos.prev"
done
diag "$kills kill -9 in $rounds rounds"
wd_start
wd_wait_caught_up 120
ok $? "caught up after $kills kill -9"
wd_stop
is "$back" 0 "committed positions never moved back"
is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" "$total" \
    "every line examined exactly once"
is "$(wd_sql 'SELECT count(*) - count(DISTINCT e) FROM wachter.chain_record, unnest(event_ids) e')" 0 \
    "no lookup in two alert rows"
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" --max-age 0 \
    > "$W/verify.out" 2>&1
ok $? "the chain verifies"
wd_sql "SELECT DISTINCT unnest(event_ids) FROM wachter.chain_record" | sort > "$W/ids"
is "$(comm -23 "$TEST_TMP/crash.ref" "$W/ids" | wc -l)" 0 \
    "nothing the uninterrupted run flags is missing ($(wc -l < "$TEST_TMP/crash.ref") flagged; $(comm -13 "$TEST_TMP/crash.ref" "$W/ids" | wc -l) more after kill -9)"
