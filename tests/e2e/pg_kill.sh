#!/bin/sh
# pg_kill.sh: PostgreSQL killed mid-batch. While wachterd commits a
# backlog, the server process serving it is killed with SIGKILL inside a
# transaction (PostgreSQL then restarts all its processes, as after a
# crash), again and again. wachterd says the connection was lost,
# reconnects and goes on; every line is examined once, no lookup is in
# two alerts, positions never move back, the chain and the kept
# checkpoints verify, and nothing an uninterrupted run flags is missing.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
# A private cluster: this test crashes it, which must not disturb others.
unset PGHOST
. "$top_srcdir/tests/e2e/wd.sh"

plan 9
WD_BATCH=25
wd_sample k 40 > "$TEST_TMP/pgkill.jsonl"
total=$(wc -l < "$TEST_TMP/pgkill.jsonl")
wd_reference pgkillref "$TEST_TMP/pgkill.jsonl" "$TEST_TMP/pgkill.ref" ||
    { echo "Bail out! setup failed"; exit 1; }

wd_setup pgkill || { echo "Bail out! setup failed"; exit 1; }
cat "$TEST_TMP/pgkill.jsonl" > "$W/logs/brp.jsonl"
# The server process of wachterd's connection, when it is in a transaction.
in_txn() {
	psql -X -At -d "host=$PGHOST dbname=postgres user=postgres" -c \
	    "SELECT pid FROM pg_stat_activity WHERE datname = 'wd_pgkill'
	    AND usename = 'wachterd_test' AND xact_start IS NOT NULL LIMIT 1" \
	    2>/dev/null
}
wd_start
kills=0 back=0 tries=0
while [ "$kills" -lt 5 ] && [ "$tries" -lt 3000 ] && ! wd_caught_up; do
	tries=$((tries + 1))
	pid=$(in_txn)
	[ -n "$pid" ] || continue
	kill -KILL "$pid" && kills=$((kills + 1))
	# Until the server has restarted.
	wait_for 300 sh -c "[ -n \"\$(psql -X -At -d '$DSN' -c 'SELECT 1' 2>/dev/null)\" ]"
	back=$((back + $(wd_positions_back)))
done
diag "$kills kill -9 of the server process inside a transaction"
ok "$([ "$kills" -ge 1 ]; echo $?)" "the server was killed mid-transaction ($kills times)"
wd_wait_caught_up 300
ok $? "wachterd caught up after the kills"
like "$(cat "$W/wachterd.log")" "database connection lost" "the lost connection is logged"
back=$((back + $(wd_positions_back)))
wd_stop
is "$WD_RC" 0 "SIGTERM: exit status 0"
is "$back" 0 "committed positions never moved back"
wd_check_once "$total" "$TEST_TMP/pgkill.ref"
