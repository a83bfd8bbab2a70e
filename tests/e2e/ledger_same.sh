#!/bin/sh
# ledger_same.sh: wachter.ledger_add as migration 0017 made it writes the
# same ledger rows as 0009's, which parsed its JSON again in each
# statement. The batches a scan of the sample corpus sends (small, so
# most decisions come in a later batch than their lookup), and one made
# by hand (two months, a lookup twice, a decision for a lookup of the
# same batch, one for a lookup already written, a plaintext twice), are
# kept as they are sent, then written again through 0009's body (taken
# from its migration, under another name, in this test's database only)
# and through the current function: the three tables must hold the same
# rows, none lost, none twice; all batches once more changes nothing.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

top=$(cd "$top_srcdir" && pwd)
. "$top_srcdir/tests/e2e/wd.sh"

plan 10

wd_setup ledger_same || { echo "Bail out! setup"; exit 1; }
q() { psql -X -q -v ON_ERROR_STOP=1 -d "$DSN" "$@"; }

# Keep each batch as the daemon sends it, then write it as before.
q <<'EOF' || { echo "Bail out! capture"; exit 1; }
CREATE TABLE public.ledger_batch (n serial PRIMARY KEY, lookups json,
    decisions json, plain json);
ALTER FUNCTION wachter.ledger_add(json, json, json) RENAME TO ledger_add_now;
CREATE FUNCTION wachter.ledger_add(lookups json, decisions json, plain json)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
AS $$
BEGIN
	INSERT INTO public.ledger_batch (lookups, decisions, plain)
	VALUES (lookups, decisions, plain);
	PERFORM wachter.ledger_add_now(lookups, decisions, plain);
END
$$;
GRANT EXECUTE ON FUNCTION wachter.ledger_add(json, json, json)
    TO wachter_daemon;
EOF
# 0009's function, renamed.
sed -n '/^CREATE FUNCTION wachter.ledger_add(/,/^\$\$;/p' \
    "$top/daemon/store/migrations/0009_breach.sql" |
    sed 's/^CREATE FUNCTION wachter.ledger_add(/CREATE FUNCTION wachter.ledger_add_0009(/' |
    q || { echo "Bail out! 0009's function"; exit 1; }

"$WACHTER" scan -c "$CONF" -b 50 \
    -s brp "$CORPUS/brp-audit.jsonl.gz" -s rdw "$CORPUS/rdw-audit.csv.gz" \
    > "$W/scan.out" 2>&1
is "$?" 0 "the scan ends well"
ok "$([ "$(wd_sql 'SELECT count(*) FROM public.ledger_batch')" -ge 5 ]; echo $?)" \
    "it sent the ledger in several batches"
ok "$([ "$(wd_sql "SELECT count(*) FROM wachter.ledger_decision")" -gt 0 ]; echo $?)" \
    "some decisions came in a later batch than their lookup"

# Months apart, a microsecond before a month, times far off, a lookup
# twice, decisions of this batch and of an earlier one, a plaintext twice.
q <<'EOF' || { echo "Bail out! batch by hand"; exit 1; }
INSERT INTO public.ledger_batch (lookups, decisions, plain) VALUES (
'[{"id":"h-1","ts":1769903999000000,"src":"brp","user":"u1","req":"R","case":"Z-1","subj":["ps:a","ps:b"]},
  {"id":"h-2","ts":1769904000000000,"src":"brp","user":"u2","req":"R","case":"","subj":[]},
  {"id":"h-2","ts":1769904000000000,"src":"brp","user":"u2","req":"R","case":"","subj":[]},
  {"id":"h-3","ts":1769904000000001,"src":"rdw","user":"u3","req":"Kenteken","case":"","subj":["ps:c"]},
  {"id":"h-4","ts":4102444799999999,"src":"brp","user":"u4","req":"R","case":"","subj":[]},
  {"id":"h-5","ts":-1000001,"src":"brp","user":"u5","req":"R","case":"","subj":[]}]',
'[{"id":"h-1","ts":1769990400000000,"expl":"case","flag":false,"out":true,"inc":""},
  {"id":"brp-000000001","ts":1769990400000000,"expl":"none","flag":true,"out":false,"inc":"i-9"},
  {"id":"h-9","ts":1767225600000000,"expl":"none","flag":false,"out":false,"inc":""}]',
'[{"h":"ps:a","k":"bsn","v":"1","ts":1769903999000000},
  {"h":"ps:a","k":"bsn","v":"1","ts":1769903999000000},
  {"h":"ps:b","k":"bsn","v":"2","ts":1769903999000000},
  {"h":"ps:c","k":"plate","v":"XX-11-YY","ts":1769904000000001}]');
EOF

# replay FUNCTION TAG: empty the ledger, write every batch in order
# through FUNCTION, keep the three tables as TAG_*.
replay() {
	q -c "TRUNCATE wachter.ledger_lookup, wachter.ledger_decision, wachter.subject_plain" \
	    -c "SELECT count(wachter.$1(lookups, decisions, plain)) FROM
	    (SELECT * FROM public.ledger_batch ORDER BY n) b" \
	    -c "CREATE TABLE public.$2_lookup AS TABLE wachter.ledger_lookup" \
	    -c "CREATE TABLE public.$2_decision AS TABLE wachter.ledger_decision" \
	    -c "CREATE TABLE public.$2_plain AS TABLE wachter.subject_plain" \
	    >/dev/null
}
# differ A B: rows of A not in B and of B not in A, duplicates counted.
differ() {
	wd_sql "SELECT (SELECT count(*) FROM (TABLE $1 EXCEPT ALL TABLE $2) x)
	    + (SELECT count(*) FROM (TABLE $2 EXCEPT ALL TABLE $1) x)"
}

replay ledger_add_0009 old
ok "$?" "0009's function writes every batch"
replay ledger_add_now new
ok "$?" "the current function writes every batch"
for t in lookup decision plain; do
	is "$(differ old_$t new_$t)" 0 \
	    "the same $t rows ($(wd_sql "SELECT count(*) FROM old_$t") of them)"
done
is "$(wd_sql "SELECT count(*) FROM new_lookup WHERE event_id LIKE 'h-%'
    UNION ALL SELECT count(*) FROM new_decision WHERE event_id LIKE 'h-%'
    UNION ALL SELECT count(*) FROM new_plain WHERE handle IN ('ps:a', 'ps:b', 'ps:c')" | tr '\n' ' ')" \
    "5 1 3 " "the batch by hand: each lookup once, the earlier lookup's decision apart, each plaintext once"
# Everything once more: nothing is added.
q -c "SELECT count(wachter.ledger_add_now(lookups, decisions, plain)) FROM
    (SELECT * FROM public.ledger_batch ORDER BY n) b" >/dev/null
is "$(differ new_lookup wachter.ledger_lookup)$(differ new_decision wachter.ledger_decision)$(differ new_plain wachter.subject_plain)" \
    000 "every batch written again adds nothing"
