#!/bin/sh
# bench.sh: `make bench`. Generates synthetic municipalities (gen.py) and
# prints, in the same run and over the same files: wachter eval's lookups
# per second and peak RSS, the memchr line-split floor and the ratio, and
# the policy's core rule in SQL on a throwaway PostgreSQL; then how the
# cost per lookup grows with the log and with the reference data.
#
# Scales (environment):
#   BENCH_LOOKUPS  log sizes at fixed cases        default "100000 1000000"
#   BENCH_CASES    case counts at fixed lookups    default "10000 100000"
#   BENCH_FIXED_CASES    cases for the log axis     default 10000
#   BENCH_FIXED_LOOKUPS  lookups for the cases axis default 100000
#   BENCH_SQL=0    skip PostgreSQL (and scan);  BENCH_DIR  where corpora are kept
#   BENCH_SCAN=0   skip wachter scan;  BENCH_SCAN_BATCH  its lookups per
#                  transaction (default 10000)
#   BENCH_DB       database to use on $PGHOST (else a cluster of its own)
#   BENCH_VERIFY_RECORDS  records of the chain wachter verify checks
#                  (default 1000000; 0 skips it)
#   BENCH_BURST    alerts of the burst scan (default 100000; 0 skips it)
#   BENCH_LIVE_SECONDS  length of the live wachterd run (default 30; 0
#                  skips it); BENCH_LIVE_RATE lines/s (5000),
#                  BENCH_LIVE_EVERY one urgent line in so many (500),
#                  BENCH_LIVE_CASES, BENCH_LIVE_OFFICIALS its reference
#                  data, reloaded during the run (1000000, 10000),
#                  BENCH_LIVE_LATENESS the log's lateness (1s)
# The issue's scales: BENCH_LOOKUPS="1000000 10000000"
#   BENCH_FIXED_CASES=100000 BENCH_CASES="100000 1000000"
#   BENCH_FIXED_LOOKUPS=1000000 (corpora of 10 M lookups take ~4 min to
#   generate once and 3 GB of disk; they are kept and reused).
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-$top/_build}
W=$build/daemon/wachter
SPLIT=$build/tests/bench/linesplit
FILL=$build/tests/chain/chain_fill
dir=${BENCH_DIR:-$build/tests/tmp/bench}
lookups=${BENCH_LOOKUPS:-100000 1000000}
cases=${BENCH_CASES:-10000 100000}
fcases=${BENCH_FIXED_CASES:-10000}
flookups=${BENCH_FIXED_LOOKUPS:-100000}
sql=${BENCH_SQL:-1}
db=${BENCH_DB:-wachter_bench}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
out=$dir/results.tsv
scanout=$dir/scan.tsv
: >"$out"
: >"$scanout"

# Make corpus L lookups, C cases once; later runs reuse it (deterministic).
corpus() {
	_c=$dir/L$1-C$2
	if [ ! -f "$_c/manifest.json" ]; then
		rm -rf "$_c"
		python3 "$top/tests/bench/gen.py" "$_c" --lookups "$1" \
		    --cases "$2" >&2 || exit 1
	fi
	echo "$_c"
}

# Seconds since the epoch, with fractions.
now() { date +%s.%N; }

# The corpus without its answers: eval then times the engine, not the
# scoring of every lookup against labels.csv.gz (a table as long as the
# log). With "empty", also without its lookups: the reference load alone.
view() {
	_v=$1.$2
	if [ ! -d "$_v" ]; then
		mkdir -p "$_v"
		for _f in "$1"/*; do
			case $_f in
			*/labels.csv.gz|*/incidents.csv) ;;
			*/brp-audit.jsonl) [ "$2" = empty ] && : >"$_v/brp-audit.jsonl" ||
			    ln -s "$_f" "$_v/" ;;
			*/rdw-audit.csv) [ "$2" = empty ] && head -n 1 "$_f" >"$_v/rdw-audit.csv" ||
			    ln -s "$_f" "$_v/" ;;
			*) ln -s "$_f" "$_v/" ;;
			esac
		done
	fi
	echo "$_v"
}

# wachter eval over a corpus: "lookups cpu-seconds peak-RSS-KB flagged
# wall-seconds". CPU time (user + system) is the figure: the machines
# this runs on are shared, and waiting for a core is not wachter's cost.
run_eval() {
	/usr/bin/time -f '%U %S %M %e' -o "$dir/time" "$W" eval "$1" \
	    --rules "$top/rules" --sources "$top/contrib/sources" \
	    --flagged "$dir/flagged" >"$dir/eval.out" 2>&1 ||
	    { cat "$dir/eval.out" >&2; exit 1; }
	_n=$(sed -n 's/^lookups: \([0-9]*\),.*/\1/p' "$dir/eval.out")
	set -- $(cat "$dir/time")
	echo "$_n $(echo "$1 $2" | awk '{ print $1 + $2 }') $3 \
	    $(grep -c . "$dir/flagged") $4"
}

# The floor: lines per second splitting the same log files.
run_floor() {
	"$SPLIT" "$1"/brp-audit.jsonl "$1"/rdw-audit.csv |
	    sed -n 's/.*lines\/s: \([0-9]*\).*/\1/p'
}

# The core rule in SQL: "load-seconds rule-seconds unexplained".
run_sql() {
	_t0=$(now)
	(cd "$1" && psql -X -q -v ON_ERROR_STOP=1 -f "$top/tests/bench/load.sql") \
	    >"$dir/sql.out" 2>&1 || { cat "$dir/sql.out" >&2; echo "- - -"; return; }
	_t1=$(now)
	_u=$(psql -X -q -At -v ON_ERROR_STOP=1 -f "$top/tests/bench/core.sql" 2>&1)
	_t2=$(now)
	echo "$_t0 $_t1 $_t2 $_u" | awk '{ printf "%.2f %.2f %s\n", $2 - $1, $3 - $2, $4 }'
}

if [ "$sql" != 0 ]; then
	if [ -z "${PGHOST:-}" ]; then
		. "$top/tests/pg.sh"
		pg_start "$dir/pg" >/dev/null || exit 1
		trap 'pg_stop "$dir/pg"' EXIT
	fi
	dropdb --if-exists "$db" 2>/dev/null
	createdb "$db" || exit 1
	PGDATABASE=$db
	export PGDATABASE
fi

# A fresh database NAME for wachter scan of corpus DIR (reference data
# imported, new keys, the ledger on), set up in $dir/NAME.
scan_setup() {
	_k=$dir/$1
	rm -rf "$_k"
	mkdir -p "$_k"
	dropdb --if-exists "$1" 2>/dev/null
	createdb "$1" || return 1
	_dsn="host=$PGHOST dbname=$1 user=postgres"
	"$W" db migrate -d "$_dsn" >/dev/null || return 1
	for _t in staff:employees persons:persons vehicles:vehicles \
	    cases:cases appointments:appointments watchlist:watchlist; do
		"$W" import -d "$_dsn" "${_t%%:*}" "$2/${_t##*:}.csv" \
		    >/dev/null || return 1
	done
	"$W" keygen -n "$1.bench.invalid" "$_k/keys" >/dev/null 2>&1 || return 1
	cat >"$_k/wachter.conf" <<EOC
database: {conninfo: "$_dsn"}
rules: $top/rules
source_definitions: $top/contrib/sources
keys: $_k/keys
$( [ "$(id -u)" = 0 ] && echo "user: postgres" )
sources:
  - {name: brp, path: $2/brp-audit.jsonl, format: brp-audit-jsonl}
  - {name: rdw, path: $2/rdw-audit.csv, format: rdw-audit-csv}
EOC
	[ "$(id -u)" = 0 ] && chown -R postgres: "$_k"
	return 0
}

# CPU seconds the PostgreSQL server of $PGHOST has used so far: the
# postmaster, its children alive and those it has reaped; "-" when the
# server is not one of ours (BENCH_DB on a server given in PGHOST).
pg_cpu() {
	_pm=$(head -n 1 "$PGHOST/data/postmaster.pid" 2>/dev/null) || { echo -; return; }
	{ cat "/proc/$_pm/stat"; for _p in $(ps -o pid= --ppid "$_pm"); do
		cat "/proc/$_p/stat" 2>/dev/null; done; } |
	    sed 's/^.*) //' | awk -v hz="$(getconf CLK_TCK)" '
		{ t += $12 + $13 + $14 + $15 } END { printf "%.2f\n", t / hz }'
}

# Server CPU seconds used since pg_cpu printed $1; "-" when not ours.
pg_cpu_since() {
	echo "$1 $(pg_cpu)" | awk '$1 == "-" { print "-"; next }
	    { printf "%.2f\n", $2 - $1 }'
}

# The ledger's floor in database NAME after a scan: the rows the scan
# wrote to wachter.ledger_lookup, copied out and back by COPY into a
# table of the same columns and primary key. "rows server-cpu-seconds":
# the least any way of writing a row per lookup costs the server.
ledger_floor() {
	_lf=$dir/$1/ledger.copy
	rm -f "$_lf"
	psql -X -q -d "$1" -c "\\copy (SELECT * FROM wachter.ledger_lookup) TO '$_lf'" &&
	    psql -X -q -d "$1" -c "CREATE TABLE public.ledger_floor (LIKE
		wachter.ledger_lookup INCLUDING DEFAULTS, PRIMARY KEY (event_id, month))" ||
	    { echo "- -"; return; }
	_f0=$(pg_cpu)
	psql -X -q -d "$1" -c "\\copy public.ledger_floor FROM '$_lf'" ||
	    { echo "- -"; return; }
	sleep 1		# the server reaps the backend
	echo "$(wc -l < "$_lf") $(pg_cpu_since "$_f0")"
	rm -f "$_lf"
}

# Run the scan set up as NAME: "lines wall-seconds cpu-seconds
# peak-RSS-KB alert-records server-cpu-seconds", with "floor" as $2 also
# "ledger-rows floor-server-cpu-seconds"; the database is dropped after.
scan_run() {
	_k=$dir/$1
	_pg0=$(pg_cpu)
	/usr/bin/time -f '%e %U %S %M' -o "$_k/time" "$W" scan \
	    -c "$_k/wachter.conf" -b "${BENCH_SCAN_BATCH:-10000}" \
	    >"$_k/scan.out" 2>"$_k/scan.err" ||
	    { tail -n 5 "$_k/scan.err" >&2; return 1; }
	sleep 1		# the server reaps the scan's backend
	_pgs=$(pg_cpu_since "$_pg0")
	_l=$(sed -n 's/^scan: \([0-9]*\) lines read.*/\1/p' "$_k/scan.out")
	_a=$(psql -X -At -d "$1" -c "SELECT count(*) FROM wachter.chain_record WHERE kind <> 'checkpoint'")
	_lfl=
	[ "${2:-}" = floor ] && _lfl=$(ledger_floor "$1")
	set -- $(cat "$_k/time") "$1"
	echo "$_l $1 $(echo "$2 $3" | awk '{ print $1 + $2 }') $4 $_a $_pgs $_lfl"
	dropdb "$5" 2>/dev/null
}

# wachter scan of corpus DIR into a fresh database. Wall time is the
# figure here: the database's work is done by the PostgreSQL server, not
# by the scan's process.
run_scan() {
	scan_setup wachter_scan_bench "$1" && scan_run wachter_scan_bench floor
}

# One corpus of axis $3: a row of figures.
bench_one() {
	_c=$(corpus "$1" "$2")
	_axis=$3
	set -- $(run_eval "$(view "$_c" empty)") "$1" "$2"
	_ld=$2 _ldrss=$3
	set -- $(run_eval "$(view "$_c" nolabels)") "$6" "$7"
	_n=$1 _s=$2 _rss=$3 _fl=$4 _wall=$5 _lk=$6 _cs=$7
	_floor=$(run_floor "$_c")
	if [ "$sql" != 0 ]; then
		set -- $(run_sql "$_c")
	else
		set -- - - -
	fi
	_ls=$1 _rs=$2 _unex=$3
	echo "$_lk $_cs $_n $_s $_rss $_fl $_floor $_ls $_rs $_unex $_wall" \
	    "$_ld $_ldrss $_axis" >>"$out"
	if [ "$sql" != 0 ] && [ "${BENCH_SCAN:-1}" != 0 ]; then
		_sc=$(run_scan "$_c") || _sc="- - - - - - - -"
		echo "$_lk $_cs $_floor $_n $_fl $_sc" >>"$scanout"
	fi
}

for l in $lookups; do bench_one "$l" "$fcases" log; done
for c in $cases; do bench_one "$flookups" "$c" cases; done
[ "$sql" != 0 ] && dropdb "$db" 2>/dev/null

# Several instances on one PostgreSQL server, a database each
# (docs/SCALING.md): BENCH_INSTANCES scans of the first corpus of the log
# axis at once. "instances lines wall-seconds scan-cpu-seconds
# server-cpu-seconds" per run, 1 and N.
ninst=${BENCH_INSTANCES:-4}
instout=$dir/instances.tsv
: >"$instout"
if [ "$sql" != 0 ] && [ "${BENCH_SCAN:-1}" != 0 ] && [ "$ninst" -gt 1 ]; then
	set -- $lookups
	_c=$(corpus "$1" "$fcases")
	for _n in 1 "$ninst"; do
		for _i in $(seq 1 "$_n"); do
			scan_setup "wachter_inst_$_i" "$_c" || exit 1
		done
		_t0=$(now) _pg0=$(pg_cpu)
		for _i in $(seq 1 "$_n"); do
			scan_run "wachter_inst_$_i" >"$dir/inst$_i.res" &
		done
		wait
		_t1=$(now)
		sleep 1
		_pgs=$(pg_cpu_since "$_pg0")
		_r=$(cat "$dir"/inst*.res | awk '{ n += $1; c += $3 } END { print n, c }')
		rm -f "$dir"/inst*.res
		echo "$_n $_r $_t0 $_t1 $_pgs" | awk '{ printf "%d %d %.2f %.2f %s\n",
		    $1, $2, $5 - $4, $3, $6 }' >>"$instout"
	done
fi

# wachter verify: a chain of BENCH_VERIFY_RECORDS records appended the way
# the daemon does (tests/chain/chain_fill: a checkpoint every 1000
# records, an epoch sealed every 60 checkpoints, as a daemon that commits
# a batch every few seconds and seals every hour or so writes), checked
# from the database with the root public key alone. "records exit
# wall-seconds user system peak-RSS-KB server-cpu-seconds".
nver=${BENCH_VERIFY_RECORDS:-1000000}
verout=$dir/verify.tsv
: >"$verout"
if [ "$sql" != 0 ] && [ "$nver" -gt 0 ]; then
	_k=$dir/verify
	rm -rf "$_k"
	mkdir -p "$_k"
	dropdb --if-exists wachter_verify_bench 2>/dev/null
	createdb wachter_verify_bench || exit 1
	_dsn="host=$PGHOST dbname=wachter_verify_bench user=postgres"
	"$W" db migrate -d "$_dsn" >/dev/null &&
	    "$W" keygen -n verify.bench.invalid "$_k/keys" >/dev/null 2>&1 &&
	    "$FILL" "$_k/keys" "$_dsn" "$nver" -c 1000 -s 60 >"$_k/fill.out" 2>&1 ||
	    { tail -n 5 "$_k/fill.out" >&2; exit 1; }
	_pg0=$(pg_cpu)
	/usr/bin/time -f '%e %U %S %M' -o "$_k/time" "$W" verify --db "$_dsn" \
	    --root-pubkey "$_k/keys/root.pub" --max-age 0 >"$_k/verify.out" 2>&1
	_rc=$?
	sleep 1		# the server reaps verify's backend
	_pgs=$(pg_cpu_since "$_pg0")
	/usr/bin/time -f '%e %M' -o "$_k/xtime" "$W" export --db "$_dsn" \
	    -o "$_k/bundle" >"$_k/export.out" 2>&1 || echo "- -" >"$_k/xtime"
	echo "$nver $_rc $(cat "$_k/time") $_pgs $(cat "$_k/xtime")" >>"$verout"
	rm -f "$_k/bundle"
	dropdb wachter_verify_bench 2>/dev/null
fi

# Alert commit in a burst (tests/bench/burst.py): BENCH_BURST lines, each
# an official looking up their own record (urgent; rounds 9 h apart, so
# each is an incident and an alert record of its own), scanned into a
# fresh database; then the same lines with no rule at all, the baseline
# (what reading, deciding and the ledger cost without alerts). "alerts
# then the scan_run figures of each".
nburst=${BENCH_BURST:-100000}

# The burst has no RDW lines: read BRP alone. (Before c97e6ad an empty
# source held a scan's clock back to the end of input, and every alert
# went out in one transaction: docs/performance/daemon-targets.md.)
burst_brp_only() {
	sed -i '/name: rdw,/d' "$dir/${db}_burst/wachter.conf"
}
burstout=$dir/burst.tsv
: >"$burstout"
if [ "$sql" != 0 ] && [ "$nburst" -gt 0 ]; then
	_b=$dir/burst-$nburst
	[ -f "$_b/brp-audit.jsonl" ] ||
	    python3 "$top/tests/bench/burst.py" "$(corpus "$flookups" "$fcases")" \
	    "$_b" --alerts "$nburst" || exit 1
	mkdir -p "$dir/norules"
	scan_setup "${db}_burst" "$_b" && burst_brp_only &&
	    _r=$(scan_run "${db}_burst") || _r="- - - - - -"
	scan_setup "${db}_burst" "$_b" && burst_brp_only &&
	    sed -i "s|^rules: .*|rules: $dir/norules|" \
	    "$dir/${db}_burst/wachter.conf" &&
	    _r0=$(scan_run "${db}_burst") || _r0="- - - - - -"
	echo "$nburst $_r $_r0" >>"$burstout"
fi

# A live wachterd (tests/bench/live.py), BENCH_LIVE_SECONDS long (default
# 30; 0 skips): a writer appends BENCH_LIVE_RATE lines a second (5000) to
# the tailed BRP log (lateness BENCH_LIVE_LATENESS, 1s; batch delay
# 100ms), one in
# BENCH_LIVE_EVERY (500) an urgent alert; the reference data hold
# BENCH_LIVE_CASES cases (1000000) and BENCH_LIVE_OFFICIALS officials
# (10000). Halfway through the run a statement on the persons (deleting
# no row: it bumps their version as an import does, without the import's
# load on the server) makes the daemon (reference_check: 1s) reload every
# table in its background thread (the persons load first, so nothing is
# carried over). The baseline of the reload: psql copying the same
# tables out to /dev/null. "live.py's line, then the reload's load and
# swap seconds from the daemon's log, the COPY seconds, the daemon's CPU
# seconds (its start included) and the server's after the start".
live_s=${BENCH_LIVE_SECONDS:-30}
live_late=${BENCH_LIVE_LATENESS:-1s}
liveout=$dir/live.tsv
: >"$liveout"

# The live run on reference corpus DIR in database NAME: a line of liveout.
run_live() {
	_k=$dir/$2
	scan_setup "$2" "$1" || return 1
	: >"$_k/brp.jsonl"
	[ "$(id -u)" = 0 ] && chown postgres: "$_k/brp.jsonl"
	sed -i '/^sources:/,$d' "$_k/wachter.conf"
	cat >>"$_k/wachter.conf" <<EOC
reference_check: 1s
batch: {delay: 100ms}
sources:
  - {name: brp, path: $_k/brp.jsonl, format: brp-audit-jsonl, lateness: $live_late}
EOC
	_dsn="host=$PGHOST dbname=$2 user=postgres"
	_t0=$(now)
	for _t in staff persons vehicles cases appointments watchlist; do
		psql -X -q -d "$2" -c "\\copy (SELECT * FROM wachter.$_t) TO /dev/null"
	done
	_copy=$(echo "$_t0 $(now)" | awk '{ printf "%.2f", $2 - $1 }')
	"$build/daemon/wachterd" -d -c "$_k/wachter.conf" 2>"$_k/wachterd.log" &
	_wd=$!
	for _i in $(seq 1 600); do
		grep -q "database connected" "$_k/wachterd.log" && break
		kill -0 "$_wd" 2>/dev/null || break
		sleep 0.5
	done
	_pg0=$(pg_cpu)
	_l=$(python3 "$top/tests/bench/live.py" "$1" "$_k/brp.jsonl" "$_dsn" \
	    --rate "${BENCH_LIVE_RATE:-5000}" --seconds "$live_s" \
	    --every "${BENCH_LIVE_EVERY:-500}" --reload-at "$((live_s / 2))" \
	    --daemon-log "$_k/wachterd.log" \
	    --reload "psql -X -q -d '$2' -c 'DELETE FROM wachter.persons WHERE false'")
	_rc=$?
	_cpu=$(sed 's/^.*) //' "/proc/$_wd/stat" | awk -v hz="$(getconf CLK_TCK)" \
	    '{ printf "%.2f", ($12 + $13) / hz }')
	kill "$_wd"
	wait "$_wd"
	sleep 1		# the server reaps the daemon's backends
	_pgs=$(pg_cpu_since "$_pg0")
	[ "$_rc" = 0 ] || { tail -n 5 "$_k/wachterd.log" >&2; return 1; }
	_rl=$(sed -n 's/.*loaded in \([0-9.]*\) s.*in \([0-9.]*\) s$/\1 \2/p' \
	    "$_k/wachterd.log" | head -n 1)
	echo "$_l ${_rl:-- -} $_copy $_cpu $_pgs"
	dropdb "$2" 2>/dev/null
}

if [ "$sql" != 0 ] && [ "$live_s" != 0 ]; then
	_lc=${BENCH_LIVE_CASES:-1000000} _lo=${BENCH_LIVE_OFFICIALS:-10000}
	_c=$dir/ref-C$_lc-O$_lo
	if [ ! -f "$_c/manifest.json" ]; then
		rm -rf "$_c"
		python3 "$top/tests/bench/gen.py" "$_c" --lookups 10000 \
		    --cases "$_lc" --officials "$_lo" >&2 || exit 1
	fi
	echo "$(run_live "$_c" "${db}_live" || echo -) $_lc $live_late" >>"$liveout"
fi

awk '
BEGIN {
	print "eval: lookups per CPU second of wachter eval (wall in brackets);"
	print "  us/lk: CPU per lookup after the reference load (load s, its RSS)"
	print "floor: lines per CPU second splitting the same logs with memchr;"
	print "SQL: lookups per wall second to load the corpus and run the core rule"
	print "ev/SQL: eval against SQL, both by the wall clock"
	printf "%-9s %-8s %20s %6s %6s %7s %7s %12s %8s %9s %8s %6s %7s %7s\n",
	    "lookups", "cases", "eval lk/s (wall)", "us/lk", "load s",
	    "loadMB", "RSS MB", "floor ln/s", "floor/ev", "SQL lk/s",
	    "rule s", "ev/SQL", "flagged", "SQLunex"
}
{
	ev = $4 > 0 ? $3 / $4 : 0
	wall = $11 > 0 ? $3 / $11 : 0
	sqls = ($8 == "-") ? 0 : $8 + $9
	sq = sqls > 0 ? $3 / sqls : 0
	net = $3 > 0 ? ($4 - $12) * 1e6 / $3 : 0
	printf "%-9s %-8s %9.0f (%8.0f) %6.2f %6.2f %7.1f %7.1f %12.0f %8.1f %9s %8s %6s %7d %7s\n",
	    $1, $2, ev, wall, net, $12, $13 / 1024, $5 / 1024, $7,
	    (ev > 0 ? $7 / ev : 0), (sq > 0 ? sprintf("%.0f", sq) : "-"),
	    $9, (sq > 0 ? sprintf("%.1f", wall / sq) : "-"), $6, $10
	n[$14]++; us[$14, n[$14]] = net; key[$14, n[$14]] = $1 " lookups, " $2 " cases"
	rss[$14, n[$14]] = $5 / 1024
}
END {
	print "growth (later / earlier) of the CPU per lookup and of the peak RSS:"
	for (a in n)
		for (i = 2; i <= n[a]; i++)
			if (us[a, i - 1] > 0)
				printf "  %s -> %s: x%.2f per lookup, x%.2f RSS\n",
				    key[a, i - 1], key[a, i], us[a, i] / us[a, i - 1],
				    rss[a, i] / rss[a, i - 1]
}' "$out"

# wachter scan: the daemon's pipeline over the same files, committing
# alerts, the ledger and positions to PostgreSQL.
[ -s "$scanout" ] && awk '
BEGIN {
	print ""
	print "scan: wachter scan into PostgreSQL (alerts, the ledger of every lookup,"
	print "  positions; the reference load and the end included): lookups per"
	print "  CPU second of the scan and the server together (wall in brackets);"
	print "  scan s, server s: CPU seconds of each; floor/scan: the line-split"
	print "  floor of this run against the first figure; ledger lk/s: the"
	print "  ledger rows COPY writes per server CPU second into a table of the"
	print "  same columns and key (the least a row per lookup costs), and"
	print "  ledger/scan that against the first figure"
	printf "%-9s %-8s %21s %7s %8s %7s %10s %7s %9s %11s %11s\n", "lookups",
	    "cases", "scan lk/s (wall)", "scan s", "server s", "RSS MB",
	    "floor/scan", "alerts", "lines", "ledger lk/s", "ledger/scan"
}
$6 == "-" { printf "%-9s %-8s failed\n", $1, $2; next }
{
	cpu = $8 + ($11 == "-" ? 0 : $11)
	lk = cpu > 0 ? $4 / cpu : 0
	wall = $7 > 0 ? $4 / $7 : 0
	led = ($12 != "-" && $13 != "-" && $13 > 0) ? $12 / $13 : 0
	printf "%-9s %-8s %10.0f (%8.0f) %7.1f %8s %7.1f %10.1f %7d %9d %11s %11s\n",
	    $1, $2, lk, wall, $8, $11, $9 / 1024, (lk > 0 ? $3 / lk : 0), $10, $6,
	    (led > 0 ? sprintf("%.0f", led) : "-"),
	    (led > 0 && lk > 0 ? sprintf("%.1f", led / lk) : "-")
}' "$scanout"

[ -s "$instout" ] && awk '
BEGIN {
	print ""
	print "instances: that many wachter scans of the same corpus at once on one"
	print "  PostgreSQL server, a database each: lines per wall second over all,"
	print "  and per CPU second of the scans and the server together"
	printf "%-9s %10s %8s %10s %8s %8s %10s %12s\n", "instances", "lines",
	    "wall s", "lines/s", "x alone", "scan s", "server s", "lines/CPU s"
}
{
	r = $3 > 0 ? $2 / $3 : 0
	if (NR == 1)
		one = r
	cpu = $4 + ($5 == "-" ? 0 : $5)
	printf "%-9d %10d %8.1f %10.0f %8.2f %8.1f %10s %12.0f\n", $1, $2, $3,
	    r, (one > 0 ? r / one : 0), $4, $5, (cpu > 0 ? $2 / cpu : 0)
}' "$instout"

[ -s "$verout" ] && awk '
BEGIN {
	print ""
	print "verify: wachter verify --db of a chain of that many records (a checkpoint"
	print "  every 1000, a seal every 60 checkpoints) with the root key alone:"
	print "  records per wall second, and per CPU second of verify and server;"
	print "  then wachter export of the same chain to a bundle (wall s, RSS MB)"
	printf "%-9s %5s %8s %12s %8s %8s %10s %12s %8s %8s\n", "records",
	    "exit", "wall s", "records/s", "verify s", "RSS MB", "server s",
	    "rec/CPU s", "export s", "RSS MB"
}
{
	cpu = $4 + $5 + ($7 == "-" ? 0 : $7)
	printf "%-9d %5d %8.2f %12.0f %8.2f %8.1f %10s %12.0f %8s %8s\n", $1,
	    $2, $3, ($3 > 0 ? $1 / $3 : 0), $4 + $5, $6 / 1024, $7,
	    (cpu > 0 ? $1 / cpu : 0), $8, ($9 == "-" ? "-" : sprintf("%.1f", $9 / 1024))
}' "$verout"

[ -s "$burstout" ] && awk '
BEGIN {
	print ""
	print "burst: wachter scan of that many lines, each an urgent alert of its own"
	print "  (an incident, a chain record, its pseudonyms; a checkpoint signs"
	print "  each batch, not each record), then the same lines with no rule"
	print "  (the baseline); alerts per second of wall and of the CPU of the"
	print "  scan and the server together; net: alerts over the extra wall"
	print "  seconds the alerts cost"
	printf "%-8s %8s %8s %8s %8s %12s %12s %8s %12s\n", "alerts", "records",
	    "wall s", "scan s", "server s", "alerts/s", "alerts/CPU s",
	    "base s", "net alrt/s"
}
$3 == "-" { printf "%-8s failed\n", $1; next }
{
	cpu = $4 + ($7 == "-" ? 0 : $7)
	d = $3 - $9
	printf "%-8d %8d %8.2f %8.2f %8s %12.0f %12.0f %8s %12s\n", $1, $6, $3,
	    $4, $7, ($3 > 0 ? $6 / $3 : 0), (cpu > 0 ? $6 / cpu : 0), $9,
	    ($9 != "-" && d > 0 ? sprintf("%.0f", $6 / d) : "-")
}' "$burstout"

[ -s "$liveout" ] && awk '
BEGIN {
	print ""
	print "live: wachterd tailing a log written at a steady rate (lateness as"
	print "  given):"
	print "  seconds from an urgent line written to its alert seen committed"
	print "  (polled every 0.1 s: an upper bound), and to the record made,"
	print "  over the alerts written outside the reload;"
	print "  reload: the reference data of that many cases reloaded meanwhile,"
	print "  in the background (load s), swapped in on the event loop (swap s,"
	print "  the only pause of reading), against psql copying the same tables"
	print "  out (COPY s); the alerts written during the reload and their worst"
	print "  latency; wachterd s, server s: CPU seconds of each"
	printf "%-8s %5s %7s %6s %5s %7s %7s %7s %7s %8s %8s %8s %6s %8s %8s %7s %10s %8s\n",
	    "lines", "late", "lines/s", "alerts", "seen", "p50 s", "p99 s", "max s",
	    "rec p99", "cases", "load s", "swap s", "COPY s", "ld/COPY",
	    "in rel.", "max s", "wachterd s", "server s"
}
$1 == "-" { print "live: failed"; next }
{
	printf "%-8d %5s %7.0f %6d %5d %7s %7s %7s %7s %8d %8s %8s %6s %8s %8s %7s %10s %8s\n",
	    $1, $19, ($2 > 0 ? $1 / $2 : 0), $3, $4, $5, $6, $7, $9, $18, $13, $14,
	    $15, ($13 != "-" && $15 > 0 ? sprintf("%.1f", $13 / $15) : "-"),
	    $11, $12, $16, $17
}' "$liveout"
# The rows a run skipped print nothing; that is no failure.
exit 0
