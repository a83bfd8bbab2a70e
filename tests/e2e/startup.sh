#!/bin/sh
# startup.sh: one wachterd per database. A second daemon on the same
# database waits for the first to stop (it cannot sign a second history
# beside it), then takes over; a wall clock is not needed for any of it.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

plan 4
wd_setup startup || { echo "Bail out! setup failed"; exit 1; }
wd_start
first=$WD_PID
wait_for 60 grep -q "database connected" "$W/wachterd.log"
ok $? "the first wachterd connects"
sed "s/127.0.0.1:$WD_PORT/127.0.0.1:$((WD_PORT + 1))/" "$CONF" > "$W/second.conf"
[ "$(id -u)" = 0 ] && chown postgres: "$W/second.conf"
"$WACHTERD" -c "$W/second.conf" >>"$W/second.log" 2>&1 &
second=$!
wait_for 60 grep -q "another wachterd holds this database" "$W/second.log"
ok $? "a second wachterd on the same database says another holds it"
is "$(grep -c 'database connected' "$W/second.log")" 0 "and does not start reading"
kill -TERM "$first"; wait "$first"
wait_for 90 grep -q "database connected" "$W/second.log"
ok $? "once the first has stopped, the second takes over"
kill -TERM "$second"; wait "$second"
