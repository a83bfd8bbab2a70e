#!/bin/sh
# scan.sh: wachter scan, the first backfill. It reads history through the
# daemon's own pipeline, so it must commit exactly what `wachter eval`
# decides on the same files: the sample corpus plain, gzip and over the
# configured sources; a second scan adds nothing; it refuses a database a
# running wachterd holds; and a generated corpus scanned with kill -9
# again and again ends with the same records as a scan never killed, every
# line examined once, every lookup in the ledger once, the chain verified;
# the same for gzip copies of those files.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

top=$(cd "$top_srcdir" && pwd)
S=$TEST_TMP/scan
rm -rf "$S"
mkdir -p "$S"
. "$top_srcdir/tests/e2e/wd.sh"
SAMPLE=$CORPUS

plan 45

# eval's (lookup, incident) pairs for a corpus folder, into $S/$2.pairs.
eval_pairs() {
	"$WACHTER" eval "$1" --rules "$top/rules" --sources "$top/contrib/sources" \
	    --flagged "$S/$2.tsv" > "$S/$2.eval" 2>&1
	sort -u "$S/$2.tsv" > "$S/$2.pairs"
}

# What the database committed: pairs and records, into $S/$1.*.
results() {
	wd_alert_pairs > "$S/$1.pairs"
	wd_alert_records > "$S/$1.records"
}

# Run wachter scan with a configuration; its status is in $SC_RC.
scan() {
	"$WACHTER" scan -c "$CONF" "$@" > "$S/scan.out" 2> "$S/scan.err"
	SC_RC=$?
}

verify() {
	"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" \
	    > "$S/verify.out" 2>&1
}

eval_pairs "$SAMPLE" sample
ok "$([ -s "$S/sample.pairs" ]; echo $?)" "eval flags lookups in the sample corpus ($(wc -l < "$S/sample.pairs"))"
mkdir -p "$S/plain"
gzip -dc "$SAMPLE/brp-audit.jsonl.gz" > "$S/plain/brp.jsonl"
gzip -dc "$SAMPLE/rdw-audit.csv.gz" > "$S/plain/rdw.csv"
nlines=$(cat "$S/plain/brp.jsonl" "$S/plain/rdw.csv" | wc -l)

# 1. Plain files named on the command line.
wd_setup scan_plain || { echo "Bail out! setup"; exit 1; }
scan -s brp "$S/plain/brp.jsonl" -s rdw "$S/plain/rdw.csv"
is "$SC_RC" 0 "plain: exit 0"
results plain
is "$(comm -3 "$S/sample.pairs" "$S/plain.pairs" | wc -l)" 0 \
    "plain: the alert rows name exactly eval's (lookup, incident) pairs"
is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" "$nlines" \
    "plain: every line examined once"
like "$(cat "$S/scan.out")" "^scan: $nlines lines read" "plain: the summary says how many lines"
verify
is "$?" 0 "plain: the chain verifies"
# A second scan of the same files: nothing is new.
n=$(wd_sql 'SELECT count(*) FROM wachter.chain_record WHERE kind <> $$checkpoint$$')
scan -s brp "$S/plain/brp.jsonl" -s rdw "$S/plain/rdw.csv"
is "$SC_RC" 0 "again: exit 0"
like "$(cat "$S/scan.out")" "^scan: 0 lines read" "again: no line read twice"
is "$(wd_sql 'SELECT count(*) FROM wachter.chain_record WHERE kind <> $$checkpoint$$')" "$n" \
    "again: no alert twice"
# Refused while a wachterd holds the database.
wd_start_connected
ok $? "busy: wachterd is running"
scan -s brp "$S/plain/brp.jsonl"
is "$SC_RC" 3 "busy: exit 3 while a wachterd holds the database"
like "$(cat "$S/scan.err")" "holds this database.*stop it" "busy: it says why"
wd_stop

# 2. The gzip files as they are.
wd_setup scan_gzip || { echo "Bail out! setup"; exit 1; }
scan -s rdw "$SAMPLE/rdw-audit.csv.gz" -s brp "$SAMPLE/brp-audit.jsonl.gz"
is "$SC_RC" 0 "gzip: exit 0"
results gzip
is "$(comm -3 "$S/sample.pairs" "$S/gzip.pairs" | wc -l)" 0 \
    "gzip: the alert rows name exactly eval's pairs"
is "$(diff "$S/plain.records" "$S/gzip.records" | grep -c '^[<>]')" 0 \
    "gzip: the same records as from the plain files"
is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" "$nlines" \
    "gzip: every line examined once"

# 3. No files named: the configured sources.
wd_setup scan_conf || { echo "Bail out! setup"; exit 1; }
cp "$S/plain/brp.jsonl" "$S/plain/rdw.csv" "$W/logs/"
scan
is "$SC_RC" 0 "configured: exit 0"
results conf
is "$(comm -3 "$S/sample.pairs" "$S/conf.pairs" | wc -l)" 0 \
    "configured: the alert rows name exactly eval's pairs"
# wachterd then goes on where the scan ended: nothing read twice.
wd_finish 120
is "$WD_RC" 0 "configured: wachterd -1 afterwards exits 0"
is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" "$nlines" \
    "configured: wachterd reads nothing the scan read"

# -s without files: that source's configured path, and only that source.
scan -s rdw
is "$SC_RC" 0 "one source: exit 0"
like "$(grep -c 'source rdw: .*rdw.csv: reading' "$S/scan.err") $(grep -c 'source brp' "$S/scan.err")" \
    "^1 0$" "one source: -s rdw alone reads rdw's configured path and not brp's"

# 4. Mistakes an operator makes.
scan "$S/plain/brp.jsonl"
is "$SC_RC" 1 "usage: a file without -s when there are two sources: exit 1"
like "$(cat "$S/scan.err")" "name the source of .* with -s" "usage: it says to use -s"
scan -s nosuch "$S/plain/brp.jsonl"
is "$SC_RC" 1 "usage: an unknown source: exit 1"
like "$(cat "$S/scan.err")" "no source named 'nosuch'" "usage: it names the source"
scan -b 0 -s brp "$S/plain/brp.jsonl"
is "$SC_RC" 2 "usage: -b 0: exit 2"
# Started as root, the scan reads as the configured user: a file only
# root may read is refused at the start, not skipped.
if [ "$(id -u)" = 0 ]; then
	cp "$S/plain/brp.jsonl" "$S/rootonly.jsonl"
	chmod 600 "$S/rootonly.jsonl"
	scan -s brp "$S/rootonly.jsonl" -s rdw "$S/plain/rdw.csv"
	like "$SC_RC $(tr "\n" " " < "$S/scan.err")" "^1 .*rootonly.jsonl: Permission denied" \
	    "usage: a file the configured user cannot read: exit 1, named"
else
	ok 0 "usage: a file the configured user cannot read # SKIP not root"
fi

# 5. kill -9 again and again in a generated corpus, then to its end.
G=$S/gen
python3 "$top/tests/bench/gen.py" "$G" --lookups 20000 --cases 2000 \
    --officials 100 --days 7 --seed 13 >/dev/null 2>&1 ||
    { echo "Bail out! gen.py"; exit 1; }
eval_pairs "$G" gen
nlook=$(sed -n 's/^lookups: \([0-9]*\),.*/\1/p' "$S/gen.eval")
ngen=$(cat "$G/brp-audit.jsonl" "$G/rdw-audit.csv" | wc -l)
CORPUS=$G
wd_setup scan_whole || { echo "Bail out! setup"; exit 1; }
scan -b 200 -s brp "$G/brp-audit.jsonl" -s rdw "$G/rdw-audit.csv"
is "$SC_RC" 0 "whole: exit 0"
results whole
is "$(comm -3 "$S/gen.pairs" "$S/whole.pairs" | wc -l)" 0 \
    "whole: the alert rows name exactly eval's pairs ($(wc -l < "$S/gen.pairs"))"

# A register whose history is empty (its log holds only the header) holds
# nothing back once read: the other's lookups are decided as the scan
# goes, in many transactions, not all kept in memory to the end; and
# still exactly as eval decides the same files.
mkdir -p "$S/norDW"
for f in "$G"/*; do
	case $f in */labels.csv.gz|*/incidents.csv) ;; *) ln -sf "$f" "$S/norDW/" ;; esac
done
rm -f "$S/norDW/rdw-audit.csv"
head -n 1 "$G/rdw-audit.csv" > "$S/norDW/rdw-audit.csv"
eval_pairs "$S/norDW" nordw_eval
wd_setup scan_nordw || { echo "Bail out! setup"; exit 1; }
scan -b 200 -s brp "$G/brp-audit.jsonl" -s rdw "$S/norDW/rdw-audit.csv"
is "$SC_RC" 0 "empty register: exit 0"
results nordw
is "$(comm -3 "$S/nordw_eval.pairs" "$S/nordw.pairs" | wc -l)" 0 \
    "empty register: the alert rows name exactly eval's pairs ($(wc -l < "$S/nordw_eval.pairs"))"
txns=$(wd_sql "SELECT count(DISTINCT xmin::text) FROM wachter.chain_record WHERE kind <> 'checkpoint'")
ok "$([ "$txns" -ge 3 ]; echo $?)" \
    "empty register: alerts committed as the scan goes, in $txns transactions"

committed() { wd_sql 'SELECT coalesce(sum(lines), 0) FROM wachter.source_file'; }

# killed NAME BRP RDW: in a database of its own, scan the two files with
# kill -9 five times once something more is committed, then to the end;
# the same records as the scan never killed, every line and lookup once.
killed() {
	wd_setup "scan_$1" || { echo "Bail out! setup"; exit 1; }
	kills=0 midway=0 rc=
	while [ "$kills" -lt 5 ]; do
		before=$(committed)
		"$WACHTER" scan -c "$CONF" -b 200 -s brp "$2" -s rdw "$3" \
		    > "$S/$1.out" 2>> "$S/$1.err" &
		pid=$!
		# Kill it once it has committed something more (or let it end).
		while kill -0 "$pid" 2>/dev/null && [ "$(committed)" = "$before" ]; do
			sleep 0.05
		done
		kill -KILL "$pid" 2>/dev/null || break
		wait "$pid" 2>/dev/null
		kills=$((kills + 1))
		[ "$(committed)" -lt "$ngen" ] && midway=$((midway + 1))
	done
	wait "$pid" 2>/dev/null
	# Then to the end.
	"$WACHTER" scan -c "$CONF" -b 200 -s brp "$2" -s rdw "$3" \
	    > "$S/$1.out" 2>> "$S/$1.err"
	rc=$?
	is "$rc" 0 "$1: the last scan reads to the end and exits 0"
	ok "$([ "$midway" -ge 1 ]; echo $?)" "$1: kill -9 mid-scan $midway time(s) ($kills kill(s))"
	results "$1"
	is "$(diff "$S/whole.records" "$S/$1.records" | grep -c '^[<>]')" 0 \
	    "$1: the same records as the scan never killed"
	is "$(committed)" "$ngen" "$1: every line examined exactly once"
	is "$(wd_sql 'SELECT count(*) FROM wachter.ledger_lookup')" "$nlook" \
	    "$1: every lookup in the ledger once"
	verify
	is "$?" 0 "$1: the chain verifies"
}
killed killed "$G/brp-audit.jsonl" "$G/rdw-audit.csv"
# gzip: resuming decompresses again up to the committed position.
gzip -c "$G/brp-audit.jsonl" > "$S/brp.jsonl.gz"
gzip -c "$G/rdw-audit.csv" > "$S/rdw.csv.gz"
killed killed_gzip "$S/brp.jsonl.gz" "$S/rdw.csv.gz"
