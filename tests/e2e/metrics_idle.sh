#!/bin/sh
# metrics_idle.sh: a thousand idle connections to the metrics port cannot
# starve wachterd. It serves at most 32 at once and closes the rest at
# once, so its descriptors stay bounded, it keeps committing what it reads,
# its log is not flooded, and /metrics answers again once they are gone.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

plan 7
wd_setup idle || { echo "Bail out! setup failed"; exit 1; }
# A tight descriptor limit (soft and hard), as a careless unit would set.
(ulimit -n 320 && exec "$WACHTERD" -c "$CONF" >>"$W/wachterd.log" 2>&1) &
WD_PID=$!
wait_for 300 grep -q "reading" "$W/wachterd.log"
python3 "$top_srcdir/tests/e2e/idleconns.py" "$WD_PORT" 1000 "$W/ready" \
    "$W/stop" > "$W/idle.out" 2>&1 &
idle=$!
wait_for 120 test -s "$W/ready"
# The idle connections are held while the log grows.
zcat "$CORPUS/brp-audit.jsonl.gz" > "$W/logs/brp.jsonl"
n=$(wc -l < "$W/logs/brp.jsonl")
wd_wait_caught_up 600
ok $? "wachterd commits while 1000 idle connections are held"
is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" "$n" \
    "every line examined once"
fds=$(ls "/proc/$WD_PID/fd" | wc -l)
diag "open descriptors with 1000 idle connections held: $fds"
ok "$([ "$fds" -le 80 ]; echo $?)" "descriptors stay bounded ($fds <= 80)"
touch "$W/stop"
wait "$idle"
diag "idle connections closed by wachterd, still open, failed: $(cat "$W/idle.out")"
refused=$(grep -c "refusing more" "$W/wachterd.log")
diag "'refusing more' lines logged: $refused"
ok "$([ "$refused" -lt 100 ]; echo $?)" "repeated warnings are rate-limited ($refused lines)"
scrape() {
	python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' \
	    "http://127.0.0.1:$WD_PORT/healthz" > "$W/healthz.out" 2>&1
}
wait_for 300 scrape
like "$(cat "$W/healthz.out")" '^ok' "/healthz answers once the idle connections are gone"
python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' \
    "http://127.0.0.1:$WD_PORT/metrics" > "$W/metrics.txt" 2>&1
# Each refusal is counted, and its warning either logged or counted as
# suppressed. How many are refused rather than served until their idle
# timeout depends on how fast the 1000 connections came (slow under
# load), so the bound is loose; the sum is exact.
got=$(awk -v logged="$refused" '$1 == "wachter_http_refused_total" { r = $2 }
    $1 == "wachter_log_suppressed_total" { s = $2 }
    END { print (r >= 100 && r <= s + logged) ? "yes" : "no " r " " s " " logged }' "$W/metrics.txt")
is "$got" yes "/metrics counts the refused connections and the suppressed log lines"
wd_stop
is "$WD_RC" 0 "SIGTERM: exit status 0"
