#!/bin/sh
# officer.sh: the integrity officer's commands against a real PostgreSQL
# after wachterd has read the sample corpus: the work list ranks by
# severity as a number and folds addenda into their incident; an alert
# reads in Dutch with civil dates, every person, the rules' descriptions;
# triage of an incident covers its addenda and lands in a hash-chained,
# append-only history; an exception hides matches until it ends and counts
# them; dossiers and rule statistics agree with the records.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"
. "$top_srcdir/tests/e2e/officer_lib.sh"

plan 41
officer_setup officer || { echo "Bail out! setup failed"; exit 1; }
ok 0 "wachterd read the sample corpus"
# An incident with an addendum, an urgent one, a non-urgent one.
# (the one with an addendum is not wzorg's: the exceptions below need that
# official's incidents untriaged)
inc_add=$(wd_sql "SELECT incident FROM wachter.incident_overview WHERE records > 1 AND user_name <> 'wzorg' ORDER BY first_seq LIMIT 1")
inc_plate=$(wd_sql "SELECT incident FROM wachter.chain_record WHERE 'plate-to-address' = ANY (rules) LIMIT 1")
inc_calm=$(wd_sql "SELECT incident FROM wachter.incident_overview WHERE severity = 'medium' ORDER BY first_at LIMIT 1")
ok "$([ -n "$inc_add" ] && [ -n "$inc_plate" ] && [ -n "$inc_calm" ]; echo $?)" \
    "the corpus gives an incident with an addendum, a plate lookup, a medium one"

# The work list: one line per incident, severity ranked as a number.
"$WACHTER" alerts -d "$OFF" > "$W/alerts.txt" 2>&1
is "$(($(wc -l < "$W/alerts.txt") - 1))" \
    "$(wd_sql 'SELECT count(DISTINCT incident) FROM wachter.chain_record')" \
    "wachter alerts lists each incident once (addenda fold in)"
ranks=$(awk 'NR > 1 { print $1 }' "$W/alerts.txt" | sed 's/^info$/0/; s/^laag$/1/; s/^middel$/2/; s/^hoog$/3/; s/^kritiek$/4/' | tr '\n' ' ')
is "$ranks" "$(echo "$ranks" | tr ' ' '\n' | sed '/^$/d' | sort -rn | tr '\n' ' ')" \
    "wachter alerts ranks critical above high above medium"
"$WACHTER" alerts -d "$OFF" --json --severity high > "$W/alerts.json"
is "$(python3 -c 'import json, sys; a = json.load(open(sys.argv[1])); print(all(x["severity"] in ("high", "critical") for x in a), len(a))' "$W/alerts.json")" \
    "True $(wd_sql "SELECT count(*) FROM wachter.incident_overview WHERE severity IN ('high', 'critical')")" \
    "--json --severity high gives exactly the high and critical incidents"
is "$("$WACHTER" alerts -d "$OFF" --user wzorg --rule plate-to-address | awk 'NR > 1 { print $3 }')" \
    "$inc_plate" "filters by official and rule"
dep=$(wd_sql "SELECT department FROM wachter.incident_overview WHERE department IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
is "$("$WACHTER" alerts -d "$OFF" --all --json --department "$dep" | python3 -c 'import json, sys; print(" ".join(sorted(x["incident"] for x in json.load(sys.stdin))))')" \
    "$(wd_sql "SELECT string_agg(incident, ' ' ORDER BY incident) FROM wachter.incident_overview WHERE department = '$dep'")" \
    "--department gives exactly that department's incidents"
"$WACHTER" alerts -d "$OFF" --all --json --since 2026-03-16 --until 2026-03-16 > "$W/day.json"
is "$(python3 -c 'import json, sys; print(" ".join(sorted(x["incident"] for x in json.load(open(sys.argv[1])))))' "$W/day.json")" \
    "$(wd_sql "SELECT string_agg(incident, ' ' ORDER BY incident) FROM wachter.incident_overview WHERE last_at >= '2026-03-16 00:00+01' AND first_at < '2026-03-17 00:00+01'")" \
    "--since and --until take Amsterdam dates"

# One alert, read in one pass.
"$WACHTER" alert -d "$OFF" --rules "$top_srcdir/rules" "$inc_plate" > "$W/alert.txt" 2>&1
ok $? "wachter alert shows an incident"
like "$(cat "$W/alert.txt")" '(ma|di|wo|do|vr|za|zo) [0-9]{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) 2026 [0-9]{2}:[0-9]{2}' \
    "times are civil dates in Dutch"
is "$(grep -cE 'dag [0-9]{4,}|case_team|Raadpleeg|appointment' "$W/alert.txt")" 0 \
    "no day numbers, engine words or API names"
is "$(grep -cE '^ +[0-9]+\. (persoon|voertuig) ' "$W/alert.txt")" \
    "$(wd_sql "SELECT count(DISTINCT s) FROM wachter.chain_record, unnest(subjects) s WHERE incident = '$inc_plate'")" \
    "every person and vehicle of the incident is listed by number"
like "$(wd_sql "SELECT explanation FROM wachter.chain_record WHERE incident = '$inc_plate'")" 'kentekenraadpleging pv:[0-9a-f]{32}' \
    "an RDW lookup names the plate (by its pseudonym)"
like "$(grep -A1 '^  plate-to-address: ' "$W/alert.txt" | tail -n 1)" '^      [A-Z]' \
    "the rule's description is shown"
like "$(cat "$W/alert.txt")" 'melding gaat uit zodra' "an urgent incident says it alerts at once"
"$WACHTER" alert -d "$OFF" --rules "$top_srcdir/rules" "$inc_calm" > "$W/calm.txt" 2>&1
like "$(cat "$W/calm.txt")" 'verschijnt pas 72 uur \(wachttijd\)' \
    "a non-urgent incident says when such an alert appears"
seq_add=$(wd_sql "SELECT seq FROM wachter.chain_record WHERE incident = '$inc_add' AND kind = 'addendum' LIMIT 1")
is "$("$WACHTER" alert -d "$OFF" "$seq_add" | head -n 1)" "Incident $inc_add" \
    "an addendum's seq opens its incident"

# Triage per incident: the addendum follows; who and when are stamped.
"$WACHTER" triage -d "$OFF" "$inc_add" under_investigation --note "opgepakt" > /dev/null
ok $? "wachter triage records a decision"
is "$(wd_sql "SELECT string_agg(DISTINCT status, ',') FROM wachter.alert_current WHERE incident = '$inc_add'")" \
    "under_investigation" "every record of the incident, addenda too, has its state"
is "$(wd_sql "SELECT officer FROM wachter.decision ORDER BY n DESC LIMIT 1")" "officer_test" \
    "the decision is stamped with the officer's login"
"$WACHTER" triage -d "$OFF" "$inc_add" confirmed --note "misbruik vastgesteld" > /dev/null
"$WACHTER" triage -d "$OFF" "$inc_calm" false_positive --note "zaak later gevonden" > /dev/null
"$WACHTER" triage -d "$OFF" inc-doesnotexist closed --note x > "$W/bad.out" 2>&1
ok "$([ $? != 0 ] && grep -q 'no incident' "$W/bad.out"; echo $?)" "triage of an unknown incident is refused"
psql -X -q -d "$OFF" -c "INSERT INTO wachter.decision (scope, target, status, note, officer) VALUES ('incident', '$inc_calm', 'closed', 'x', 'someone_else')" > "$W/forge.out" 2>&1
ok "$([ $? != 0 ]; echo $?)" "an officer cannot write a decision in another's name"
psql -X -q -d "$DSN" -c "UPDATE wachter.decision SET note = 'x'" > "$W/upd.out" 2>&1
like "$(cat "$W/upd.out")" "append-only" "the decision history refuses UPDATE, even by a superuser"
"$WACHTER" decisions -d "$OFF" verify > "$W/verify.out"
like "$(cat "$W/verify.out")" '^3 decisions, 0 accesses, hash chains intact$' "the decision hash chain verifies"
psql -X -q -d "$DSN" -c "ALTER TABLE wachter.decision DISABLE TRIGGER decision_no_change; UPDATE wachter.decision SET note = 'niets aan de hand' WHERE n = 2; ALTER TABLE wachter.decision ENABLE ALWAYS TRIGGER decision_no_change" >/dev/null 2>&1
"$WACHTER" decisions -d "$OFF" verify > "$W/verify2.out"
ok "$([ $? != 0 ] && grep -q '^decision 2:' "$W/verify2.out"; echo $?)" \
    "a rewritten decision breaks the hash chain"

# Exceptions: hide matches until they end, count them, remove nothing.
calm_user=$(wd_sql "SELECT user_name FROM wachter.incident_overview WHERE incident = '$inc_calm'")
calm_rules=$(wd_sql "SELECT array_to_string(rules, ',') FROM wachter.incident_overview WHERE incident = '$inc_calm'")
"$WACHTER" exceptions add -d "$OFF" --user wzorg --reason "" --until 2026-12-31 > /dev/null 2>&1
ok "$([ $? != 0 ]; echo $?)" "an exception without a reason is refused"
"$WACHTER" exceptions add -d "$OFF" --user hbos --rule no-basis --reason "proef" \
    --from 2026-03-01 --until 2026-03-02 > /dev/null
"$WACHTER" exceptions add -d "$OFF" --user wzorg --rule no-basis --from 2026-03-01 \
    --reason "WMO-huisbezoeken, afgestemd met de teamleider" --until 2026-12-31 > /dev/null
ok $? "wachter exceptions add records an exception"
inc_x=$(wd_sql "SELECT incident FROM wachter.incident_overview WHERE user_name = 'xweg'")
"$WACHTER" exceptions add -d "$OFF" --user xweg --from 2026-03-01 --until 2026-03-31 \
    --reason "testaccount van de leverancier" > /dev/null
ok "$(! "$WACHTER" alerts -d "$OFF" | grep -q "$inc_x"; echo $?)" \
    "an incident an exception covers leaves the work list"
like "$("$WACHTER" alerts -d "$OFF" --all | grep "$inc_x")" 'uitzondering' \
    "--all still shows it, marked"
"$WACHTER" exceptions -d "$OFF" --json > "$W/exc.json"
is "$(python3 -c 'import json, sys; print(" ".join("%s:%s:%s" % (x["user_name"], x["owner"], x["incidents"]) for x in json.load(open(sys.argv[1]))))' "$W/exc.json")" \
    "hbos:officer_test:0 wzorg:officer_test:1 xweg:officer_test:1" \
    "exceptions list owner and impact; one that ended covers nothing"
wz_self=$(wd_sql "SELECT incident FROM wachter.incident_overview WHERE user_name = 'wzorg' AND 'self-lookup' = ANY (rules)")
"$WACHTER" alerts -d "$OFF" --user wzorg > "$W/wz.txt"
ok "$(grep -q "$inc_plate" "$W/wz.txt" && grep -q "$wz_self" "$W/wz.txt"; echo $?)" \
    "incidents with rules outside the exception stay on the work list"
is "$(wd_sql "SELECT count(*) FROM wachter.chain_record WHERE user_name = 'wzorg'")" \
    "$(wd_sql "SELECT sum(records) FROM wachter.incident_overview WHERE user_name = 'wzorg'")" \
    "an exception removes no evidence"

# Dossiers and rule statistics.
"$WACHTER" cases -d "$OFF" > "$W/cases.txt"
is "$(($(wc -l < "$W/cases.txt") - 1))" \
    "$(wd_sql 'SELECT count(DISTINCT user_name) FROM wachter.chain_record')" \
    "wachter cases gives one dossier per official"
"$WACHTER" triage -d "$OFF" --dossier wzorg under_investigation --note "gesprek gepland" > /dev/null
like "$("$WACHTER" cases -d "$OFF" wzorg)" 'wzorg .* in onderzoek .*' \
    "a dossier has its own state, and shows the official's timeline"
is "$("$WACHTER" cases -d "$OFF" --json wzorg | python3 -c 'import json, sys; d = json.load(sys.stdin)[0]; print(d["status"], d["incidents"], len(d["timeline"]))')" \
    "under_investigation $(wd_sql "SELECT count(DISTINCT incident) FROM wachter.chain_record WHERE user_name = 'wzorg'") $(wd_sql "SELECT count(DISTINCT incident) FROM wachter.chain_record WHERE user_name = 'wzorg'")" \
    "--json gives the dossier with its timeline"
is "$("$WACHTER" rules stats -d "$OFF" --json | python3 -c 'import json, sys; r = {x["rule"]: x for x in json.load(sys.stdin)}; x = r["no-basis"]; print(x["confirmed"], x["false_positive"], x["false_positive_rate"])')" \
    "1 1 0.5" "rule statistics count verdicts per rule"

# The views have the columns docs/OFFICERS.md section 11 documents.
python3 - "$top_srcdir/docs/OFFICERS.md" > "$W/views.doc" <<'EOP'
import re, sys
for line in open(sys.argv[1]):
    m = re.match(r"\| `wachter\.(\w+)` \| [^|`]*: `([\w, ]+)` \|", line)
    if m and "," in m.group(2):
        for c in m.group(2).split(","):
            print(m.group(1), c.strip())
EOP
missing=$(while read -r v c; do
	[ "$(wd_sql "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'wachter' AND table_name = '$v' AND column_name = '$c'")" = 1 ] || echo "$v.$c"
done < "$W/views.doc")
is "$missing" "" "every column the officers' guide lists exists ($(wc -l < "$W/views.doc") in $(cut -d' ' -f1 "$W/views.doc" | sort -u | wc -l) views)"
psql -X -q -d "$OFF" -c "INSERT INTO wachter.triage (seq, status, note) VALUES (1, 'closed', 'x')" > "$W/tr.out" 2>&1
like "$(cat "$W/tr.out")" "permission denied" \
    "the unsigned per-record triage of 0003 is closed to officers: decisions go to the signed history"

# A large incident: the list says how many more, --all-persons lists all,
# and each lookup says which explanations were looked for and not found.
big=$(wd_sql "SELECT incident || ' ' || subjects FROM wachter.incident_overview ORDER BY subjects DESC LIMIT 1")
"$WACHTER" alert -d "$OFF" --rules "$top_srcdir/rules" "${big% *}" > "$W/big.txt"
like "$(cat "$W/big.txt")" "\.\.\. en nog $((${big#* } - 20)) \(alle: --all-persons\)" \
    "beyond 20 persons the list says how many more (${big#* } in all)"
is "$("$WACHTER" alert -d "$OFF" --rules "$top_srcdir/rules" --all-persons "${big% *}" | grep -cE '^ +[0-9]+\. (persoon|voertuig) ')" \
    "${big#* }" "--all-persons lists every one"
like "$(cat "$W/big.txt")" "geen zaak van gebruiker of" \
    "a lookup says which explanations were looked for and not found"
