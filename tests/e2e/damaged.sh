#!/bin/sh
# damaged.sh: a lookup cannot escape by padding or spoiling a field. Each
# line below looks up a protected person (geheimhouding) with one field
# too long, a \u0000, a lone surrogate escape, or the line over the
# format's 64 KiB: each still raises the critical protected-person alert
# (with damaged-fields), and each line is also in quarantine with its
# reason. The control line shows the alert the padding tried to avoid.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

plan 6
wd_setup damaged || { echo "Bail out! setup failed"; exit 1; }
# Eight persons nobody has a case or appointment with become protected.
awk -F, 'BEGIN { OFS = "," } NR > 1 && $1 >= 200007622 { $7 = 1 } { print }' \
    "$CORPUS/persons.csv" > "$W/persons.csv"
"$WACHTER" import -d "$DSN" persons "$W/persons.csv" >/dev/null
echo "grace: 0s" >> "$CONF"

pad() { python3 -c 'import sys; sys.stdout.write("x" * int(sys.argv[1]))' "$1"; }
line() {	# id minute bsn extra-json-members
	printf '{"event_id":"%s","timestamp":"2026-03-04T10:%02d:00.000+01:00","user":"hvink","workstation":"WS-1","application":"Zaaksysteem","request_type":"RaadpleegMetBurgerservicenummer","query":{"burgerservicenummer":["%s"]},"result_bsns":["%s"],"status":"ok"%s}\n' \
	    "$1" "$2" "$3" "$3" "$4"
}
{
	line d-control 1 200007622 ',"case_ref":"ZAAK-2026-0099999"'
	line d-case 2 200007634 ",\"case_ref\":\"ZAAK-2026-0099999$(pad 48)\""
	line d-purpose 3 200007646 ",\"purpose\":\"$(pad 100)\""
	line d-nul 4 200007658 ',"case_ref":"ZAAK-2026-\u00000099999"'
	line d-lone 5 200007671 ',"purpose":"onderzoek \ud800"'
	line d-long 6 200007683 ",\"purpose\":\"$(pad 70000)\""
	printf '{"event_id":"d-surname","timestamp":"2026-03-04T10:07:00.000+01:00","user":"hvink","workstation":"%s","application":"Zaaksysteem","request_type":"ZoekMetGeslachtsnaamEnGeboortedatum","query":{"geslachtsnaam":"%s","geboortedatum":"1970-01-01"},"result_bsns":["200007695"],"status":"ok"}\n' \
	    "$(pad 80)" "$(pad 200)"
} > "$W/logs/brp.jsonl"
ids="d-case d-lone d-long d-nul d-purpose d-surname"

# The lines are history (March): -1 reads them to the end and decides.
wd_finish 120
is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" 7 \
    "wachterd read the damaged lines"
alerted() {	# ids that are in a critical alert naming rule $1
	wd_sql "SELECT DISTINCT e COLLATE \"C\" FROM wachter.chain_record, unnest(event_ids) e
	    WHERE severity = 'critical' AND '$1' = ANY(rules) ORDER BY 1" |
	    tr '\n' ' ' | sed 's/ $//'
}
want_all="d-case d-control d-lone d-long d-nul d-purpose d-surname"
is "$(alerted protected-person)" "$want_all" \
    "every damaged lookup of a protected person raises the critical alert, as the control does"
is "$(alerted damaged-fields)" "$ids" \
    "the damaged lookups (not the control) carry damaged-fields"
is "$(wd_sql "SELECT string_agg(event_id, ' ' ORDER BY event_id COLLATE \"C\") FROM wachter.quarantine WHERE reason LIKE '%(evaluated, flagged damaged)'")" \
    "$ids" "each damaged line is also in quarantine"
is "$(wd_sql "SELECT reason FROM wachter.quarantine WHERE event_id = 'd-case'")" \
    "case reference too long (evaluated, flagged damaged)" \
    "the quarantine row says which field and why"
is "$WD_RC" 0 "wachterd -1: exit status 0"
