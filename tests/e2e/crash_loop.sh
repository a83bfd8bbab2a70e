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
wd_sample c 20 > "$TEST_TMP/crash.jsonl"
total=$(wc -l < "$TEST_TMP/crash.jsonl")
wd_reference crashref "$TEST_TMP/crash.jsonl" "$TEST_TMP/crash.ref" ||
    { echo "Bail out! setup failed"; exit 1; }

wd_setup crash || { echo "Bail out! setup failed"; exit 1; }
split -n l/"$rounds" "$TEST_TMP/crash.jsonl" "$W/chunk."
back=0
kills=0
for c in "$W"/chunk.*; do
	wd_start
	cat "$c" >> "$W/logs/brp.jsonl"
	sleep 0.$(( $(od -An -N1 -tu1 /dev/urandom) % 5 + 1 ))
	kill -KILL "$WD_PID" 2>/dev/null && kills=$((kills + 1))
	wait "$WD_PID" 2>/dev/null
	# A position may appear or grow, never shrink or vanish.
	back=$((back + $(wd_positions_back)))
done
diag "$kills kill -9 in $rounds rounds"
wd_start
wd_wait_caught_up 600
ok $? "caught up after $kills kill -9"
wd_stop
is "$back" 0 "committed positions never moved back"
wd_check_once "$total" "$TEST_TMP/crash.ref"
