#!/bin/sh
# privacy.sh: evidence without exposure, least privilege for people
# (docs/PRIVACY.md). After wachterd read the sample corpus: no BSN or plate
# of the corpus is in any column or signed byte of the alert, chain and
# decision tables or in an export bundle; handles are the documented keyed
# hash; officers cannot read persons or raw quarantined lines; reading an
# incident's persons and revealing a pseudonym are allowed only as the
# docs say and are logged; retention drops a month of plaintext and the
# chain still verifies.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"
. "$top_srcdir/tests/e2e/officer_lib.sh"

plan 67
officer_setup privacy || { echo "Bail out! setup failed"; exit 1; }
ok 0 "wachterd read the sample corpus"
# An unattributed lookup as wachterd wrote them before 0014 (plaintext):
# the next start pseudonymises it.
wd_sql "SELECT wachter.unattributed_add('ldv', 'trace-old', (extract(epoch FROM
    timestamptz '2026-03-16 10:00+01') * 1e6)::bigint, '200000202;12XYZ3')" >/dev/null
wd_start
wait_for 300 sh -c "psql -X -At -d '$DSN' -c \"SELECT subjects FROM wachter.unattributed WHERE trace = 'trace-old'\" | grep -q '^ps:'"
wd_stop
like "$(wd_sql "SELECT subjects FROM wachter.unattributed WHERE trace = 'trace-old'")" \
    '^ps:[0-9a-f]{32};pv:[0-9a-f]{32}$' "unattributed lookups name their subjects by pseudonym"
is "$(wd_sql "SELECT string_agg(p.value, ';' ORDER BY p.kind) FROM wachter.unattributed u, unnest(string_to_array(u.subjects, ';')) s, wachter.subject_plain p WHERE u.trace = 'trace-old' AND p.handle = s")" \
    "200000202;12XYZ3" "and their plaintext is kept apart, under retention"

# Every BSN and plate the logs name (9-digit numbers; plates normalised).
zcat "$CORPUS/brp-audit.jsonl.gz" | cat - "$W/logs/brp.jsonl" | grep -oE '"[0-9]{9}"' | tr -d '"' > "$W/ids"
cut -d';' -f4,7 "$W/logs/rdw.csv" | tail -n +2 | tr ';' '\n' | tr -d ' -' | tr a-z A-Z >> "$W/ids"
sort -u "$W/ids" | sed '/^$/d' > "$W/ids.u"
ok "$([ "$(wc -l < "$W/ids.u")" -gt 100 ]; echo $?)" "the corpus names $(wc -l < "$W/ids.u") BSNs and plates"
psql -X -q -d "$DSN" -c "CREATE TABLE public.ids (v text)" -c "\\copy public.ids FROM '$W/ids.u'"
leaks() {
	wd_sql "SELECT count(*) FROM public.ids i, $1 t WHERE position(i.v IN
	    concat_ws(' ', $2)) > 0"
}
is "$(leaks wachter.chain_record "t.incident, t.user_name, t.rules::text, t.event_ids::text, t.subjects::text, t.summary, t.explanation, encode(t.record, 'escape')")" 0 \
    "no BSN or plate in any column or signed byte of wachter.chain_record"
is "$(leaks wachter.chain_checkpoint "encode(t.note, 'escape')")" 0 \
    "none in the checkpoints"
is "$(wd_sql "SELECT count(*) FROM wachter.chain_record WHERE get_byte(record, 4) <> 2")" 0 \
    "every record is version 2"
is "$(wd_sql "SELECT count(*) FROM wachter.chain_record, unnest(subjects) s WHERE s !~ '^p[sv]:[0-9a-f]{32}\$'")" 0 \
    "every subject is a pseudonym"
ok "$([ "$(wd_sql 'SELECT count(*) FROM wachter.subject_plain')" -gt 0 ]; echo $?)" \
    "the plaintext behind the pseudonyms is kept apart"
# Every text, array, JSON and bytea column of every table in the schema,
# by token (a hash join, fast enough for the ledger): only the tables the
# purpose needs may hold a BSN or plate in the clear (docs/PRIVACY.md
# section 1): the municipality's own registers, the pseudonyms' plaintext
# raw quarantined lines (operator only, dropped by month after 90 days), the first
# bytes of each log file (daemon and operator only) and the officials' own
# BSNs in the staff register.
allowed='^((persons|vehicles|cases|appointments|watchlist|subject_plain)\.[a-z_]+|quarantine_line\.raw|source_file\.fingerprint|staff\.bsn) '
wd_sql "SELECT c.relname || ' ' || a.attname || ' ' || format_type(a.atttypid, NULL)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'wachter' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND a.attnum > 0 AND NOT a.attisdropped AND format_type(a.atttypid, NULL)
    IN ('text', 'text[]', 'bytea', 'json', 'jsonb', 'character varying')" > "$W/cols"
: > "$W/plain.cols"
while read -r t c ty; do
	if [ "$ty" = bytea ]; then e="encode(x.\"$c\", 'escape')"; else e="x.\"$c\"::text"; fi
	n=$(wd_sql "SELECT count(*) FROM (SELECT DISTINCT tok FROM wachter.\"$t\" x,
	    regexp_split_to_table(upper($e), '[^A-Z0-9]+') tok) k JOIN public.ids i ON i.v = k.tok")
	[ "$n" != 0 ] && echo "$t.$c $n" >> "$W/plain.cols"
done < "$W/cols"
is "$(grep -vcE "$allowed" "$W/plain.cols")" 0 \
    "no column outside the documented ones holds a BSN or plate ($(wc -l < "$W/cols") columns scanned)"
diag_stdin < "$W/plain.cols"
ok "$([ "$(wd_sql "SELECT count(*) FROM wachter.engine_user")" -gt 0 ] &&
    [ "$(wd_sql "SELECT count(*) FROM wachter.engine_user WHERE substr(state, 1, 4) <> 'WST2'::bytea")" = 0 ] &&
    [ "$(wd_sql "SELECT count(*) FROM wachter.engine_state WHERE substr(state, 1, 4) <> 'WST2'::bytea")" = 0 ]; echo $?)" \
    "the engine's held lookups and officials' memories are sealed at rest"
is "$(stat -c %a "$W/keys/state.key")" 600 "under a key file of mode 0600"
"$WACHTER" export --db "$DSN" -o "$W/bundle" >/dev/null
python3 - "$W/bundle" "$W/ids.u" > "$W/bundle.leaks" <<'EOP'
import base64, sys
ids = [l.strip().encode() for l in open(sys.argv[2]) if l.strip()]
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] in ("record", "certificate", "checkpoint"):
        b = base64.b64decode(f[2])
        for i in ids:
            if i in b:
                print(f[0], f[1], i.decode())
EOP
is "$(wc -l < "$W/bundle.leaks")" 0 "an export bundle carries no BSN or plate"

# The handle is the documented keyed hash (checked with Python's BLAKE2b).
plain=$(wd_sql "SELECT handle || ' ' || value FROM wachter.subject_plain WHERE kind = 'bsn' LIMIT 1")
key=$(sed -n 2p "$W/keys/pseudonym.key")
is "$(python3 -c 'import hashlib, sys
k = bytes.fromhex(sys.argv[1])
print("ps:" + hashlib.blake2b(b"wachter pseudonym v1\0ps:" + sys.argv[2].encode(), key=k, digest_size=16).hexdigest())' "$key" "${plain#* }")" \
    "${plain%% *}" "a handle is BLAKE2b-128 keyed over the documented bytes"
is "$(stat -c %a "$W/keys/pseudonym.key")" 600 "the pseudonym key file is 0600"
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" > "$W/verify.out" 2>&1
ok $? "version 2 records verify"

# Least privilege: officers read no citizens' tables and no raw lines.
for t in persons vehicles cases subject_plain; do
	psql -X -q -d "$OFF" -c "SELECT count(*) FROM wachter.$t" > "$W/sel.out" 2>&1
	like "$(cat "$W/sel.out")" "permission denied" "an officer cannot SELECT wachter.$t"
done
psql -X -q -d "$OFF" -c "SELECT raw FROM wachter.quarantine" > "$W/sel.out" 2>&1
like "$(cat "$W/sel.out")" "permission denied" "an officer cannot read quarantine.raw"
psql -X -q -d "$OFF" -c "SELECT fingerprint FROM wachter.source_file" > "$W/sel.out" 2>&1
like "$(cat "$W/sel.out")" "permission denied" "nor the first bytes of the log files"
psql -X -qAt -d "$OPS" -c "SELECT count(raw) >= 0 FROM wachter.quarantine" > "$W/sel.out" 2>&1
is "$(cat "$W/sel.out")" "t" "the operator can"

# Persons of an incident: only when worked, logged.
inc=$(wd_sql "SELECT incident FROM wachter.chain_record WHERE 'plate-to-address' = ANY (rules) LIMIT 1")
psql -X -q -d "$OFF" -c "SELECT * FROM wachter.alert_persons('$inc', 'kijken')" > "$W/ap.out" 2>&1
like "$(cat "$W/ap.out")" "not under investigation" "persons of an incident nobody works are refused"
"$WACHTER" triage -d "$OFF" "$inc" under_investigation --note "onderzoek 14" >/dev/null
"$WACHTER" alert -d "$OFF" "$inc" > "$W/alert.txt"
is "$(grep -cE '^ +[0-9]+\. (persoon|voertuig) +p[sv]:' "$W/alert.txt")" \
    "$(wd_sql "SELECT count(DISTINCT s) FROM wachter.chain_record, unnest(subjects) s WHERE incident = '$inc'")" \
    "wachter alert of a worked incident lists its persons through alert_persons"
is "$(wd_sql "SELECT what || ' ' || who || ' ' || incident FROM wachter.access_log ORDER BY n DESC LIMIT 1")" \
    "persons officer_test $inc" "the read is logged with who and which incident"

# Re-identification: its own role, a reason, logged.
h=$(wd_sql "SELECT s FROM wachter.chain_record, unnest(subjects) s WHERE incident = '$inc' AND s LIKE 'ps:%' LIMIT 1")
"$WACHTER" reveal -d "$OFF" "$h" --reason "verhoor" > "$W/rev.out" 2>&1
ok "$([ $? != 0 ] && grep -q 'permission denied\|reidentify' "$W/rev.out"; echo $?)" \
    "an officer without the re-identification role cannot reveal"
"$WACHTER" reveal -d "$REID" "$h" --reason "verhoor betrokkene" > "$W/rev.out" 2>&1
like "$(head -n 1 "$W/rev.out")" "^$h is BSN $(wd_sql "SELECT value FROM wachter.subject_plain WHERE handle = '$h' LIMIT 1")\$" \
    "the re-identification role reveals who a pseudonym is"
is "$(wd_sql "SELECT what || ' ' || who || ' ' || handle || ' ' || reason FROM wachter.access_log ORDER BY n DESC LIMIT 1")" \
    "reveal reident_test $h verhoor betrokkene" "the reveal is logged with the reason"
other=$(wd_sql "SELECT s FROM wachter.chain_record, unnest(subjects) s WHERE incident <> '$inc' AND s LIKE 'ps:%' LIMIT 1")
"$WACHTER" reveal -d "$REID" "$other" --reason "nieuwsgierig" > "$W/rev2.out" 2>&1
ok "$([ $? != 0 ] && grep -q 'not a person of an incident under investigation' "$W/rev2.out"; echo $?)" \
    "a pseudonym of an incident nobody works is not revealed"
psql -X -q -d "$DSN" -c "DELETE FROM wachter.access_log" > "$W/del.out" 2>&1
like "$(cat "$W/del.out")" "append-only" "the access log refuses DELETE, even by a superuser"
like "$("$WACHTER" decisions -d "$OFF" verify)" "1 decisions, 2 accesses, hash chains intact" \
    "the access log's hash chain verifies"

# Breach notification for a confirmed incident.
BR=$(officer_login breach_test wachter_officer)
BR=$(officer_login breach_test wachter_reidentify)
"$WACHTER" breach -d "$BR" "$inc" -o "$W/breach" --reason "misbruik" > "$W/br.out" 2>&1
ok "$([ $? != 0 ] && grep -q 'not confirmed' "$W/br.out"; echo $?)" \
    "no breach for an incident that is not confirmed"
"$WACHTER" triage -d "$OFF" "$inc" confirmed --note "adres doorgespeeld" >/dev/null
"$WACHTER" breach -d "$OFF" "$inc" -o "$W/breach" --reason "misbruik" > "$W/br.out" 2>&1
ok "$([ $? != 0 ]; echo $?)" "an officer without the re-identification role cannot open a breach"
# One person of the incident is under secrecy (none of the corpus is).
secret_bsn=$(wd_sql "SELECT p.value FROM wachter.chain_record r, unnest(r.subjects) s, wachter.subject_plain p WHERE r.incident = '$inc' AND p.handle = s AND p.kind = 'bsn' ORDER BY 1 LIMIT 1")
wd_sql "UPDATE wachter.persons SET secret = true WHERE bsn = '$secret_bsn'" >/dev/null
"$WACHTER" breach -d "$BR" "$inc" -o "$W/breach" --reason "AVG art. 33" > "$W/br.out" 2>&1
ok $? "wachter breach writes the notification documents"
is "$(grep 'GEHEIMHOUDING' "$W/breach/overzicht.txt" | grep -oE 'BSN [0-9]+' | tr '\n' ' ')" "BSN $secret_bsn " \
    "the overview marks exactly the person under secrecy for the proper channel"
is "$(grep -l '^LET OP: geheimhouding' "$W"/breach/brief-* | wc -l)" 1 \
    "and only that person's letter warns not to post it to the address"
n=$(wd_sql "SELECT count(DISTINCT s) FROM wachter.chain_record, unnest(subjects) s WHERE incident = '$inc'")
is "$(ls "$W/breach" | grep -c '^brief-')" "$n" "one letter per person concerned"
wd_sql "SELECT DISTINCT p.value FROM wachter.chain_record r, unnest(r.subjects) s, wachter.subject_plain p WHERE r.incident = '$inc' AND p.handle = s ORDER BY 1" > "$W/want.ids"
grep -oE '(BSN|kenteken) [0-9A-Z]+' "$W/breach/overzicht.txt" | cut -d' ' -f2 | sort -u > "$W/got.ids"
is "$(cat "$W/got.ids" | tr '\n' ' ')" "$(cat "$W/want.ids" | tr '\n' ' ')" \
    "the overview lists exactly the incident's persons and vehicles"
is "$(wd_sql "SELECT extract(epoch FROM b.deadline - min(d.at)) FROM wachter.breach b, wachter.decision d WHERE d.target = b.incident AND d.status = 'confirmed' GROUP BY b.deadline")" \
    "259200.000000" "the deadline is 72 hours after the confirmation"
like "$(cat "$W/breach/melding-ap.txt")" "Uiterlijk te melden: .* 2026 [0-9]{2}:[0-9]{2}" \
    "the draft for the authority states the deadline"
"$WACHTER" breach sent -d "$BR" 1 authority --channel "meldloket AP" > /dev/null
ok $? "a sent notification is recorded"
like "$("$WACHTER" breach -d "$OFF")" "^1 +$inc .* 2026 [0-9:]+ +0 van $n" \
    "wachter breach lists the deadline, the notification and letters sent"
"$WACHTER" breach sent -d "$BR" 1 ps:00000000000000000000000000000000 --channel post > "$W/bs.out" 2>&1
ok "$([ $? != 0 ]; echo $?)" "a letter to someone outside the breach is refused"
psql -X -q -d "$DSN" -c "UPDATE wachter.breach_notice SET channel = 'x'" > "$W/upd.out" 2>&1
like "$(cat "$W/upd.out")" "append-only" "what was sent cannot be rewritten, even by a superuser"

# A citizen's access request, from the lookup ledger.
expect() {
	python3 - "$W/logs/brp.jsonl" "$W/logs/rdw.csv" "$CORPUS/vehicles.csv" "$1" <<'EOP'
import csv, json, sys
bsn = sys.argv[4]
owned = {r["kenteken"].replace("-", "").upper() for r in csv.DictReader(open(sys.argv[3])) if r["owner_bsn"] == bsn}
n = 0
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if bsn in e.get("query", {}).get("burgerservicenummer", []) + e.get("result_bsns", []):
        n += 1
for r in csv.reader(open(sys.argv[2]), delimiter=";"):
    if r[0] != "tijdstip" and (r[6] == bsn or r[3].replace("-", "").upper() in owned):
        n += 1
print(n)
EOP
}
"$WACHTER" subject-report -d "$OFF" 200000330 --from 2026-01-01 --to 2026-12-31 --reason "inzageverzoek" > "$W/sr.out" 2>&1
ok "$([ $? != 0 ]; echo $?)" "an officer without the re-identification role gets no subject report"
for b in 200000330 200000202; do
	"$WACHTER" subject-report -d "$REID" "$b" --from 2026-01-01 --to 2026-12-31 \
	    --reason "inzageverzoek 2026-0$b" --json > "$W/sr.json"
	is "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$W/sr.json")" \
	    "$(expect $b)" "the subject report of $b lists exactly that person's lookups"
done
"$WACHTER" subject-report -d "$REID" 200000202 --from 2026-01-01 --to 2026-12-31 \
    --reason "inzageverzoek" -o "$W/sr.html" > "$W/sr.txt"
like "$(cat "$W/sr.txt")" "geen reden gevonden; dit wordt onderzocht" \
    "a lookup without a ground says so"
ok "$(grep -q '</html>' "$W/sr.html" && ! grep -q 'wzorg' "$W/sr.html"; echo $?)" \
    "the printable page is written and names no official"
like "$("$WACHTER" subject-report -d "$REID" 200000202 --from 2026-01-01 --to 2026-12-31 --reason x --officials)" \
    "wzorg" "--officials names them"
is "$(wd_sql "SELECT count(*) FROM wachter.access_log WHERE what = 'report' AND who = 'reident_test'")" 4 \
    "every subject report is logged"
is "$(leaks wachter.access_log "t.incident, t.handle")" 0 \
    "the access log names persons by pseudonym only"
is "$(leaks wachter.ledger_lookup "t.event_id, t.user_name, t.case_id, t.subjects::text")" 0 \
    "the ledger names persons by pseudonym only"
like "$(wd_sql "SELECT department || ' ' || lookups FROM wachter.department_indicators WHERE department = 'Handhaving/parkeren'")" \
    "^Handhaving/parkeren [0-9]+\$" "the department indicators are computed from the ledger"
ok "$([ "$(wd_sql "SELECT count(*) FROM wachter.ledger_lookup WHERE outside")" -gt 0 ]; echo $?)" \
    "lookups outside working hours are in the ledger"
is "$(wd_sql "SELECT sum(share_outside_hours * lookups)::int FROM wachter.department_indicators")" \
    "$(wd_sql "SELECT count(*) FROM wachter.ledger_lookup l WHERE coalesce(l.outside, (SELECT x.outside FROM wachter.ledger_decision x WHERE x.event_id = l.event_id LIMIT 1))")" \
    "the share outside working hours counts the lookups the engine found outside them"

# Retention: a month of plaintext goes; the chain still verifies.
psql -X -q -d "$OPS" -c "UPDATE wachter.retention SET keep = '30 days' WHERE what IN ('subject_plain', 'ledger', 'unattributed')"
# A line quarantined 130 days ago: its month ended more than 90 days ago.
old=$(wd_sql "SELECT to_char(now() - interval '130 days', 'YYYYMM')")
wd_sql "SELECT wachter.ledger_partition('quarantine_line', date_trunc('month', now() - interval '130 days')::date);
    WITH q AS (INSERT INTO wachter.quarantine_entry (source, path, \"offset\", length, reason, received_at, raw_md5)
    VALUES ('brp', 'x', 0, 12, 'test', now() - interval '130 days', md5('x')) RETURNING id, received_at)
    INSERT INTO wachter.quarantine_line SELECT id, date_trunc('month', received_at AT TIME ZONE 'UTC')::date,
    '{\"bsn\":\"1\"}' FROM q" >/dev/null
wd_sql "SELECT wachter.quarantine_add('brp', 'y', 0, 3, 'abc', 'recent', NULL, NULL, NULL)" >/dev/null
"$WACHTER" retention run -d "$OPS" > "$W/ret.out" 2>&1
like "$(cat "$W/ret.out")" "dropped subject_plain_202603" "retention drops the month of March 2026"
like "$(cat "$W/ret.out")" "dropped ledger_lookup_202603" "and the ledger's partition of that month"
like "$(cat "$W/ret.out")" "dropped unattributed_202603" "and that month of unattributed lookups"
is "$(wd_sql "SELECT count(*) FROM wachter.ledger_lookup WHERE looked_up_at < '2026-04-01'")" 0 \
    "the ledger keeps no lookup of that month"
like "$(cat "$W/ret.out")" "dropped quarantine_line_$old" "and the month of raw quarantined lines that ended over 90 days ago"
is "$(wd_sql "SELECT length(raw) || ' ' || raw_expired FROM wachter.quarantine WHERE reason = 'test'")" \
    "0 true" "the old line's place and reason stay, its bytes are gone"
is "$(wd_sql "SELECT encode(raw, 'escape') || ' ' || raw_expired FROM wachter.quarantine WHERE reason = 'recent'")" \
    "abc false" "a line quarantined this month keeps its bytes"
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" > "$W/verify2.out" 2>&1
ok $? "wachter verify passes after the plaintext is gone"
"$WACHTER" reveal -d "$REID" "$h" --reason "nogmaals" > "$W/rev3.out" 2>&1
ok "$([ $? != 0 ] && grep -q 'no longer kept' "$W/rev3.out"; echo $?)" \
    "a pseudonym whose plaintext expired cannot be revealed"

# A state blob written by anyone without state.key does not open: the
# daemon refuses to load it and says which row.
wd_sql "UPDATE wachter.engine_state SET state = '\\x00'" >/dev/null
wd_start
wait_for 300 grep -q "engine_state: the stored state is not sealed under state.key" "$W/wachterd.log"
ok $? "a state blob not sealed under state.key is refused at start"
wd_stop
