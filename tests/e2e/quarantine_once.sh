#!/bin/sh
# quarantine_once.sh: a line read again is not quarantined again. After
# kill -9 a joined source re-reads lines behind its committed position,
# bad ones among them; here the positions are set back outright (as a
# superuser could), and every line is read twice: each bad line must still
# have exactly one quarantine row.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

plan 4
wd_setup qonce || { echo "Bail out! setup failed"; exit 1; }
{
	zcat "$CORPUS/brp-audit.jsonl.gz"
	printf '{"event_id":"q-1","timestamp":"2026-03-03T10:00:00.000+01:00"\n'
	printf '{"event_id":"q-2","timestamp":"yesterday","user":"a","request_type":"RaadpleegMetBurgerservicenummer","query":{"burgerservicenummer":["111222333"]},"result_bsns":[],"status":"ok"}\n'
	printf '{"event_id":"q-3","timestamp":"2026-03-04T10:00:00.000+01:00","user":"hvink","case_ref":"%s","request_type":"RaadpleegMetBurgerservicenummer","query":{"burgerservicenummer":["200000330"]},"result_bsns":["200000330"],"status":"ok"}\n' \
	    "$(printf '%0100d' 0)"
	printf 'not json\n'
} > "$W/logs/brp.jsonl"
printf 'not,a,valid,rdw,line\n' > "$W/logs/rdw.csv"
wd_start
wd_wait_caught_up 600
ok $? "first read"
wd_stop
first=$(wd_sql "SELECT count(*) FROM wachter.quarantine")
# Every position back to the start: the daemon reads it all again.
wd_sql "DELETE FROM wachter.source_file" >/dev/null
wd_start
wd_wait_caught_up 600
ok $? "second read"
wd_stop
is "$first" 5 "five bad or damaged lines quarantined"
is "$(wd_sql "SELECT count(*) || ' ' || count(DISTINCT (source, \"offset\")) FROM wachter.quarantine")" \
    "5 5" "each still once after reading everything again"
