#!/bin/sh
# provisional.sh: an urgent alert is provisional, and its follow-up is
# written exactly once, against the real PostgreSQL. On the rule tests'
# reference data: jbakker looks up a protected person on 23 March at
# 10:00 without a case (protected-person, urgent: alerted at once); case
# ZAAK-2026-0000010 with that person is registered on 24 March, within
# the 3-day grace period. wachterd is killed (-9) after committing the
# provisional alert, before the deadline; the lines that carry the clock
# past the deadline come, and it is killed again right after committing
# the follow-up. Then: one alert marked provisional, one follow-up naming
# the case, `wachter verify` accepts both, and the officer's
# work list leaves the withdrawn incident out.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
CORPUS=$top_srcdir/rules/tests
. "$top_srcdir/tests/e2e/wd.sh"

plan 11
wd_setup provisional || { echo "Bail out! setup"; exit 1; }

# Lines of both registers at a time: jbakker's lookups under his own
# case, which explain themselves and move the logs' clocks.
clock() {
	printf '{"event_id":"brp-clock-%s","timestamp":"%s.000+01:00","user":"jbakker","workstation":"WS-1","application":"Zaaksysteem","request_type":"RaadpleegMetBurgerservicenummer","query":{"burgerservicenummer":["100000046"]},"result_bsns":["100000046"],"case_ref":"ZAAK-2026-0000001","status":"ok"}\n' \
	    "$1" "$2" >> "$W/logs/brp.jsonl"
	printf '%s;jbakker;WS-1;12ABC3;ZAAK-2026-0000001;HANDHAVING;100000046;rdw-clock-%s\n' \
	    "$(echo "$2" | tr T ' ')" "$1" >> "$W/logs/rdw.csv"
}
# Poll the database until a query gives at least n, for up to 60 s.
wait_rows() {
	_t=600
	while [ "$_t" -gt 0 ]; do
		[ "$(wd_sql "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

echo 'tijdstip;gebruiker;werkplek;kenteken;zaaknummer;doelcode;resultaat_bsn;record_id' > "$W/logs/rdw.csv"
echo '{"event_id":"brp-prot-1","timestamp":"2026-03-23T10:00:00.000+01:00","user":"jbakker","workstation":"WS-1","application":"Zaaksysteem","request_type":"RaadpleegMetBurgerservicenummer","query":{"burgerservicenummer":["100000083"]},"result_bsns":["100000083"],"case_ref":"","status":"ok"}' \
    >> "$W/logs/brp.jsonl"
clock 1 2026-03-23T11:00:00
[ "$(id -u)" = 0 ] && chown -R postgres: "$W"
NEW="SELECT count(*) FROM wachter.chain_record WHERE kind = 'new' AND 'brp-prot-1' = ANY (event_ids)"
LATER="SELECT count(*) FROM wachter.chain_record WHERE kind = 'explained'"

wd_start
wait_rows "$NEW" 1
ok $? "the urgent alert is committed at once"
kill -KILL "$WD_PID"; wait "$WD_PID" 2>/dev/null
is "$(wd_sql "$LATER")" 0 "no follow-up before the deadline"

# Past the deadline (26 March 10:00): the follow-up; kill -9 right after.
clock 2 2026-03-27T11:00:00
clock 3 2026-03-27T12:00:00
wd_start
wait_rows "$LATER" 1
ok $? "the follow-up is committed once the clock passes the deadline"
kill -KILL "$WD_PID"; wait "$WD_PID" 2>/dev/null
wd_finish 120
is "$WD_RC" 0 "wachterd -1 ends cleanly after two kill -9"

is "$(wd_sql "$LATER")" 1 "exactly one follow-up"
is "$(wd_sql "SELECT array_to_string(event_ids, ',') || ' ' || incident FROM wachter.chain_record WHERE kind = 'explained'")" \
    "brp-prot-1 $(wd_sql "SELECT incident FROM wachter.chain_record WHERE kind = 'new' AND 'brp-prot-1' = ANY (event_ids)")" \
    "it withdraws the provisional lookup, in the alert's incident"
ok "$(wd_sql "SELECT summary FROM wachter.chain_record WHERE kind = 'explained'" | grep -q 'ZAAK-2026-0000010'; echo $?)" \
    "it names the case that explains the lookup"
ok "$(wd_sql "SELECT summary FROM wachter.chain_record WHERE kind = 'new' AND 'brp-prot-1' = ANY (event_ids)" | grep -q voorlopig; echo $?)" \
    "the alert says it is provisional"
inc=$(wd_sql "SELECT incident FROM wachter.chain_record WHERE kind = 'explained'")
is "$(wd_sql "SELECT lookups FROM wachter.incident_overview WHERE incident = '$inc'")" \
    "$(wd_sql "SELECT count(DISTINCT e) FROM wachter.chain_record, unnest(event_ids) e WHERE incident = '$inc' AND kind <> 'explained'")" \
    "the incident's lookups count each lookup once, not the follow-up's mention again"
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" --max-age 0 \
    > "$W/verify.out" 2>&1
is "$?" 0 "wachter verify accepts the provisional alert and its follow-up"
"$WACHTER" alerts -d "$DSN" --all > "$W/alerts.txt" 2>&1
"$WACHTER" alerts -d "$DSN" > "$W/open.txt" 2>&1
ok "$(grep -q 'later verklaard' "$W/alerts.txt" && ! grep -q "$(wd_sql "SELECT incident FROM wachter.chain_record WHERE kind = 'explained'")" "$W/open.txt"; echo $?)" \
    "the officer sees it explained later, and not in the open list"
