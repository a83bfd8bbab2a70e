#!/bin/sh
# refload.sh: a reload of the reference data does not pause reading. A
# session holds a lock on wachter.cases, so the daemon's background
# reload (started when an import bumps the version) waits in PostgreSQL
# for as long as the test likes; lines appended meanwhile are read,
# decided and committed. Once the lock goes, the reload completes. The
# reload reads only the tables that changed and those loaded after them
# (persons, vehicles, cases, staff, appointments, watchlist): an import
# of the vehicles keeps the persons and reads the cases; one of the
# staff keeps the cases.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

plan 8
wd_setup refload || { echo "Bail out! setup failed"; exit 1; }
wd_start_connected

# A granted lock on cases in this database.
lock_held() {
	[ "$(wd_sql "SELECT count(*) FROM pg_locks l JOIN pg_class c ON
	    c.oid = l.relation WHERE l.database = (SELECT oid FROM pg_database
	    WHERE datname = current_database()) AND c.relname = 'cases' AND
	    l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]
}

# The daemon's reload waits for that lock, in its COPY of the cases.
reload_waiting() {
	[ "$(wd_sql "SELECT count(*) FROM pg_stat_activity WHERE
	    datname = current_database() AND usename = 'wachterd_test' AND
	    wait_event_type = 'Lock' AND query LIKE 'COPY%wachter.cases%'")" = 1 ]
}

psql -X -q -d "$DSN" -c "BEGIN; LOCK TABLE wachter.cases IN ACCESS EXCLUSIVE
    MODE; SELECT pg_sleep(3600) AS refload_lock" >/dev/null 2>&1 &
locker=$!
wait_for 60 lock_held
"$WACHTER" import -d "$DSN" vehicles "$CORPUS/vehicles.csv" >/dev/null
wait_for 120 reload_waiting
ok $? "the reload started and waits for the lock on the cases"

zcat "$CORPUS/rdw-audit.csv.gz" >> "$W/logs/rdw.csv"
zcat "$CORPUS/brp-audit.jsonl.gz" >> "$W/logs/brp.jsonl"
wd_wait_caught_up 300
ok $? "every line appended meanwhile was read and committed"
reload_waiting
ok $? "the reload was still waiting then"
ok "$(grep -q "reference data reloaded" "$W/wachterd.log"; echo $((1 - $?)))" \
    "and had not swapped anything in"

wd_sql "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE
    query LIKE '%refload_lock%' AND pid <> pg_backend_pid()" >/dev/null
wait "$locker"
wait_for 120 grep -q "reference data reloaded" "$W/wachterd.log"
ok $? "the lock gone, the reload completes"
grep -q "(kept persons; read vehicles, cases, staff, appointments, watchlist)" \
    "$W/wachterd.log"
ok $? "it kept the persons and read the vehicles and what follows"

"$WACHTER" import -d "$DSN" staff "$CORPUS/employees.csv" >/dev/null
wait_for 120 grep -q "(kept persons, vehicles, cases; read staff," \
    "$W/wachterd.log"
ok $? "a staff import reloads without reading the cases"
wd_stop
is "$WD_RC" 0 "SIGTERM: exit status 0"
[ "$_tap_failed" = 0 ] || sed 's/^/# /' "$W/wachterd.log"
