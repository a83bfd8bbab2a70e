#!/bin/sh
# startup.sh: one wachterd per database. A second daemon on the same
# database waits for the first to stop (it cannot sign a second history
# beside it), then takes over. A source path that cannot be read is said
# in the log, in /metrics and by /healthz; -n checks the keys, the
# account and the paths too. Keys of another log than the database's
# stop wachterd (and -n) with exit 1 and the fix, not an alarm loop.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

plan 17
wd_setup startup || { echo "Bail out! setup failed"; exit 1; }
wd_start_connected
ok $? "the first wachterd connects"
first=$WD_PID
sed "s/127.0.0.1:$WD_PORT/127.0.0.1:$((WD_PORT + 1))/" "$CONF" > "$W/second.conf"
[ "$(id -u)" = 0 ] && chown postgres: "$W/second.conf"
"$WACHTERD" -c "$W/second.conf" >>"$W/second.log" 2>&1 &
second=$!
wait_for 300 grep -q "another wachterd holds this database" "$W/second.log"
ok $? "a second wachterd on the same database says another holds it"
is "$(grep -c 'database connected' "$W/second.log")" 0 "and does not start reading"
kill -TERM "$first"; wait "$first"
wait_for 300 grep -q "database connected" "$W/second.log"
ok $? "once the first has stopped, the second takes over"

# A source path that is not a log file: reported, counted, unhealthy.
rm -f "$W/logs/rdw.csv"; mkdir "$W/logs/rdw.csv"
wait_for 300 grep -q "source rdw: .* is a folder, not a log file" "$W/second.log"
ok $? "a folder at a source's path is said in the log"
http() { wd_http "$((WD_PORT + 1))" "$1"; }
like "$(http /metrics | grep '^wachter_source_path_ok{source="rdw"}')" ' 0$' \
    "/metrics: wachter_source_path_ok is 0 for it"
like "$(http /healthz)" '^503 degraded: source rdw' "/healthz is degraded"
kill -TERM "$second"; wait "$second"
rmdir "$W/logs/rdw.csv"

# -n: keys of the wrong mode fail with the fix; a missing log only warns.
chmod 644 "$W/keys/epoch.key"
"$WACHTERD" -n -c "$CONF" > "$W/n1.out" 2>&1
is "$?" 1 "-n: a key file readable by others is an error (exit 1)"
like "$(cat "$W/n1.out")" "epoch.key must be mode 0600.*chmod 600" "-n says how to fix it"
chmod 600 "$W/keys/epoch.key"
"$WACHTERD" -n -c "$CONF" > "$W/n2.out" 2>&1
like "$(tr '\n' ' ' < "$W/n2.out")" "warning: source rdw: .*rdw.csv does not exist.*configuration OK" \
    "-n: a log not there yet is a warning"

# Keys of another log: a second key folder from `wachter keygen`, same
# origin, another root key. wachterd exits 1 naming both logs, -n too.
"$WACHTER" keygen -n "test.invalid/startup" "$W/keys2" >/dev/null
sed "s|keys: $W/keys\$|keys: $W/keys2|" "$CONF" > "$W/other.conf"
[ "$(id -u)" = 0 ] && chown -R postgres: "$W/keys2" "$W/other.conf"
timeout 120 "$WACHTERD" -c "$W/other.conf" > "$W/other.log" 2>&1
is "$?" 1 "keys of another log: wachterd exits 1"
like "$(tr '\n' ' ' < "$W/other.log")" \
    "keys in $W/keys2 belong to log test.invalid/startup\\+[0-9a-f]{8}; the database holds log test.invalid/startup\\+[0-9a-f]{8}: set keys: " \
    "and says which log each holds and what to change"
ours=$(sed -n 's/.*belong to log \([^;]*\);.*/\1/p' "$W/other.log")
theirs=$(sed -n 's/.*the database holds log \([^:]*\):.*/\1/p' "$W/other.log")
ok "$([ -n "$ours" ] && [ "$ours" != "$theirs" ]; echo $?)" "the two logs differ ($ours, $theirs)"
is "$(wd_sql 'SELECT count(*) FROM wachter.chain_alarm')" 0 \
    "a wrong key folder is no tampering: no alarm row"
"$WACHTERD" -n -c "$W/other.conf" > "$W/n3.out" 2>&1
is "$?" 1 "-n: keys of another log are an error (exit 1)"
like "$(cat "$W/n3.out")" "keys: keys in $W/keys2 belong to log .*; the database holds log " \
    "-n names both logs"
sed "s|conninfo: .*|conninfo: \"host=$W/no-such-socket-dir dbname=x\"|" "$W/other.conf" > "$W/nodb.conf"
[ "$(id -u)" = 0 ] && chown postgres: "$W/nodb.conf"
"$WACHTERD" -n -c "$W/nodb.conf" > "$W/n4.out" 2>&1
like "$(printf "%s " "$?"; tr '\n' ' ' < "$W/n4.out")" \
    "^0 .*warning: database: cannot connect: .*the keys were not checked against its log.*configuration OK" \
    "-n without the database warns that the keys were not checked against its log"
