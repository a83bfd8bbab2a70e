#!/bin/sh
# tail_perm.sh: a log folder unreadable for a while is no rotation. A line
# half written when the folder becomes unreadable is read whole once its
# end arrives: one line, one lookup, nothing quarantined; the outage is
# logged once. Then the log is renamed and a directory put at its path:
# reported, the renamed file still read, and the new file once it comes. (wachterd runs unprivileged: as root, wd.sh makes it drop
# to postgres, whom chmod 000 stops.)
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

plan 9
wd_setup tailperm || { echo "Bail out! setup failed"; exit 1; }
line='{"event_id":"perm-1","timestamp":"2026-03-04T10:00:00.000+01:00","user":"hvink","workstation":"WS-1","application":"Zaaksysteem","request_type":"RaadpleegMetBurgerservicenummer","query":{"burgerservicenummer":["200000330"]},"result_bsns":["200000330"],"status":"ok"}'
head=$(printf '%s' "$line" | cut -c1-80)
rest=$(printf '%s' "$line" | cut -c81-)
wd_start
wait_for 300 grep -q "brp.jsonl: reading" "$W/wachterd.log"
printf '%s' "$head" >> "$W/logs/brp.jsonl"
sleep 0.5
chmod 000 "$W/logs"
wait_for 300 grep -q "brp.jsonl cannot be examined; waiting for it" "$W/wachterd.log"
ok $? "the unreadable folder is reported"
# Longer than the 5 s after which a rotated file counts as finished.
sleep 6
chmod 755 "$W/logs"
wait_for 300 grep -q "brp.jsonl can be read again" "$W/wachterd.log"
ok $? "...and so is its end"
printf '%s\n' "$rest" >> "$W/logs/brp.jsonl"
wd_wait_caught_up 600
ok $? "caught up"
is "$(wd_sql "SELECT count(*) FROM wachter.quarantine")" 0 \
    "the half-written line was not split into quarantined fragments"
is "$(wd_sql "SELECT sum(lines) FROM wachter.source_file WHERE source = 'brp'")" 1 \
    "one line counted"

# A directory where the log was.
mv "$W/logs/brp.jsonl" "$W/logs/brp.jsonl.1"
mkdir "$W/logs/brp.jsonl"
wait_for 300 grep -q "brp.jsonl is a folder, not a log file; waiting for it" "$W/wachterd.log"
ok $? "a directory at the log's path is reported"
printf '%s\n' "$line" | sed 's/perm-1/perm-2/' >> "$W/logs/brp.jsonl.1"
rmdir "$W/logs/brp.jsonl"
printf '%s\n' "$line" | sed 's/perm-1/perm-3/' > "$W/logs/brp.jsonl"
[ "$(id -u)" = 0 ] && chown postgres: "$W/logs/brp.jsonl"
wd_wait_caught_up 600
ok $? "caught up with the renamed file and the new one"
wd_stop
is "$(wd_sql "SELECT sum(lines) FROM wachter.source_file WHERE source = 'brp'")" 3 \
    "the line written to the renamed file and the new file's line are read"
is "$(wd_sql "SELECT count(*) FROM wachter.quarantine")" 0 "nothing quarantined"
