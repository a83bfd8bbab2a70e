#!/bin/sh
# alloc_fail.sh: an allocation fails (WACHTER_FAIL_ALLOC=N, a hook of test
# builds: ./configure --enable-fault-injection) at many points: while
# starting, while reading and while committing a growing log. Each time
# wachterd says so and aborts, with nothing else going wrong (no other
# signal, no other message); after a restart every line is examined exactly
# once, no lookup is in two alerts, committed positions never moved back,
# the chain and the checkpoints verify, and nothing an uninterrupted run
# flags is missing.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

grep -q '^#define FAULT_INJECTION 1' "$top_builddir/config.h" ||
    skip_all "needs a test build: ./configure --enable-fault-injection"
plan 10
ulimit -c 0
wd_sample a 10 > "$TEST_TMP/alloc.jsonl"
total=$(wc -l < "$TEST_TMP/alloc.jsonl")
wd_reference allocref "$TEST_TMP/alloc.jsonl" "$TEST_TMP/alloc.ref" ||
    { echo "Bail out! setup failed"; exit 1; }

wd_setup alloc || { echo "Bail out! setup failed"; exit 1; }
# N doubles from 1: the first rounds fail while starting, the later ones
# while a backlog is read and committed (about 30 allocations a line).
rounds=18
split -n l/$rounds "$TEST_TMP/alloc.jsonl" "$W/chunk."
running() { ! grep -qs '^[0-9]* ([^)]*) Z' "/proc/$WD_PID/stat" && [ -d "/proc/$WD_PID" ]; }
lines() { wd_sql 'SELECT coalesce(sum(lines), 0) FROM wachter.source_file'; }
oom='wachterd: [a-z]+: out of memory allocating [0-9]+ bytes'
n=1 back=0 aborted=0 other=0 midway=0 reached=0
# Each round appends a part of the log, then starts wachterd with the Nth
# allocation failing.
for c in "$W"/chunk.*; do
	cat "$c" >> "$W/logs/brp.jsonl"
	before=$(lines)
	: > "$W/round.log"
	WACHTER_FAIL_ALLOC=$n "$WACHTERD" -c "$CONF" >"$W/round.log" 2>&1 &
	WD_PID=$!
	# Until it aborts, or has read everything without reaching the Nth.
	while running && ! grep -Eq "$oom" "$W/round.log" && ! wd_caught_up; do
		sleep 0.2
	done
	grep -Eq "$oom" "$W/round.log" || kill -TERM "$WD_PID" 2>/dev/null
	wait "$WD_PID"
	rc=$?
	if grep -Eq "$oom" "$W/round.log" && [ "$rc" = 134 ]; then
		aborted=$((aborted + 1))
		[ "$(lines)" -gt "$before" ] && midway=$((midway + 1))
	elif [ "$rc" = 0 ]; then
		reached=$((reached + 1))
	else
		other=$((other + 1))
		diag "allocation $n: exit status $rc"
	fi
	# Nothing but the abort itself goes wrong.
	if grep -Ev "$oom|^<[4-7]>|^<3>wachterd: database connection lost" "$W/round.log" |
	    grep -q .; then
		other=$((other + 1))
		diag "allocation $n:"; diag_stdin < "$W/round.log"
	fi
	cat "$W/round.log" >> "$W/wachterd.log"
	back=$((back + $(wd_positions_back)))
	n=$((n * 2))
done
diag "$aborted aborts ($midway after committing part of the backlog), $reached rounds ended without reaching the failing allocation"
ok "$([ "$aborted" -ge 10 ]; echo $?)" "wachterd aborted on the failed allocation ($aborted of $rounds rounds)"
is "$other" 0 "...each time with the message and SIGABRT, nothing else"
ok "$([ "$midway" -ge 1 ]; echo $?)" "...also after committing part of a backlog ($midway rounds)"
# The rounds may have committed everything already, so "caught up" can
# hold before this daemon has even set up its signals: wait for it to
# connect, or the SIGTERM below lands on a process still starting.
wd_start_connected && wd_wait_caught_up 300
ok $? "a restart catches up"
wd_stop
is "$WD_RC" 0 "...and stops cleanly"
is "$back" 0 "committed positions never moved back"
wd_check_once "$total" "$TEST_TMP/alloc.ref"
