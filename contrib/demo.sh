#!/bin/sh
# demo.sh: the main job, end to end, on a fresh Debian 12 machine.
#
# Installs what is missing, builds, starts a throwaway PostgreSQL owned by
# the project (unix socket only, under _demo/), creates the schema, loads
# the reference data, creates signing keys, runs wachterd over a corpus
# until it has caught up and then with -1 to decide what waits at the
# end of the logs, prints a summary of the alerts, verifies the
# signed chain and stops everything it started.
#
# usage: contrib/demo.sh [CORPUS_DIR]
# The corpus defaults to ../shared/data/dev when present, else the small
# sample shipped in tests/data/corpus.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
corpus=${1:-}
if [ -z "$corpus" ]; then
	if [ -f ../shared/data/dev/manifest.json ]; then
		corpus=../shared/data/dev
	else
		corpus=tests/data/corpus
	fi
fi
corpus=$(cd "$corpus" && pwd)

sh contrib/install-deps.sh
sh contrib/build.sh
bin=$top/_build/daemon
. tests/pg.sh

demo=$top/_demo
pg_stop "$demo/pg" 2>/dev/null || true
chattr -a "$demo/checkpoints.log" 2>/dev/null || true
rm -rf "$demo"
mkdir -p "$demo/logs"
pid=""
cleanup() {
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	chattr -a "$demo/checkpoints.log" 2>/dev/null || true
	pg_stop "$demo/pg"
}
trap cleanup EXIT INT TERM

echo "== starting a throwaway PostgreSQL in $demo/pg"
pg_start "$demo/pg"
createdb wachter
dsn="host=$PGHOST dbname=wachter user=postgres"
"$bin/wachter" db migrate -d "$dsn" >/dev/null

echo "== importing reference data from $corpus"
for k in staff:employees persons:persons vehicles:vehicles cases:cases \
    appointments:appointments watchlist:watchlist; do
	"$bin/wachter" import -d "$dsn" "${k%%:*}" "$corpus/${k##*:}.csv"
done
"$bin/wachter" keygen -n "demo.wachter.invalid/alerts" "$demo/keys" >/dev/null

# The logs as a live system would have them: plain files being written.
zcat -f "$corpus/brp-audit.jsonl.gz" > "$demo/logs/brp.jsonl"
zcat -f "$corpus/rdw-audit.csv.gz" > "$demo/logs/rdw.csv"
cat > "$demo/wachter.conf" <<EOC
database:
  conninfo: "$dsn"
rules: $top/rules
source_definitions: $top/contrib/sources
keys: $demo/keys
checkpoint:
  interval: 10s
  sink: $demo/checkpoints.log
sources:
  - {name: brp, path: $demo/logs/brp.jsonl, format: brp-audit-jsonl}
  - {name: rdw, path: $demo/logs/rdw.csv, format: rdw-audit-csv}
EOC
# wachterd refuses to run as root: as root, it becomes the account that
# owns the throwaway cluster, which then owns the keys and the sink too.
if [ "$(id -u)" = 0 ]; then
	echo "user: postgres" >> "$demo/wachter.conf"
	chown -R postgres: "$demo/keys" "$demo/logs"
	touch "$demo/checkpoints.log"
	chown postgres: "$demo/checkpoints.log"
fi
"$bin/wachterd" -n -c "$demo/wachter.conf"
# The sink is what proves a later rollback: it must live where the daemon's
# host cannot rewrite it. A demo has one machine, so say so plainly.
echo "== NOTE: the checkpoint sink $demo/checkpoints.log is on this host,"
echo "   for the demo only. In production point checkpoint.sink at storage the"
echo "   daemon's host cannot rewrite (another machine's mount or account, an"
echo "   append-only file, syslog forwarded off the host): docs/CHAIN.md s. 8."
touch "$demo/checkpoints.log"
[ "$(id -u)" = 0 ] && chattr +a "$demo/checkpoints.log" 2>/dev/null &&
    echo "   (here at least append-only: chattr +a)" || true

echo "== running wachterd until it has caught up"
"$bin/wachterd" -c "$demo/wachter.conf" 2> "$demo/wachterd.log" &
pid=$!
total=$(cat "$demo/logs/brp.jsonl" "$demo/logs/rdw.csv" | wc -c)
start=$(date +%s)
while :; do
	done_bytes=$(psql -Atc 'SELECT coalesce(sum("offset"), 0) FROM wachter.source_file' wachter)
	[ "$done_bytes" -ge "$total" ] && break
	if ! kill -0 "$pid" 2>/dev/null; then
		cat "$demo/wachterd.log" >&2
		echo "demo: wachterd stopped unexpectedly" >&2
		exit 1
	fi
	sleep 1
done
kill -TERM "$pid"
wait "$pid"
pid=""
# The corpus is history: nothing later will move the daemon's clock, so
# decide what still waits at the end of the logs (the last lookups, those
# in their grace period, open incidents), as for a backfill.
echo "== wachterd -1: deciding what waits at the end of the logs"
"$bin/wachterd" -1 -c "$demo/wachter.conf" 2>> "$demo/wachterd.log" || {
	cat "$demo/wachterd.log" >&2
	echo "demo: wachterd -1 failed" >&2
	exit 1
}
secs=$(( $(date +%s) - start ))

echo
echo "== summary ($(psql -Atc 'SELECT sum(lines) FROM wachter.source_file' wachter) lines read in ${secs}s)"
psql -q wachter <<'EOS'
\pset footer off
SELECT count(*) FILTER (WHERE kind = 'new') AS alerts,
       count(*) FILTER (WHERE kind = 'addendum') AS addenda,
       sum(cardinality(event_ids)) AS lookups_flagged,
       (SELECT count(*) FROM wachter.quarantine) AS lines_quarantined
  FROM wachter.chain_record;
SELECT rule, count(*) AS alerts FROM wachter.chain_record, unnest(rules) AS rule
 WHERE kind = 'new' GROUP BY rule ORDER BY 2 DESC, 1;
SELECT severity, count(*) AS alerts FROM wachter.chain_record
 WHERE kind = 'new' GROUP BY severity ORDER BY 2 DESC;
EOS
echo "== the integrity officer's work list (wachter alerts), gravest first"
"$bin/wachter" alerts -d "$dsn" --limit 12
first_inc=$("$bin/wachter" alerts -d "$dsn" --limit 1 --json | python3 -c 'import json, sys; a = json.load(sys.stdin); print(a[0]["incident"] if a else "")')
if [ -n "$first_inc" ]; then
	echo
	echo "== one incident (wachter alert $first_inc)"
	"$bin/wachter" alert -d "$dsn" -c "$demo/wachter.conf" "$first_inc" | head -n 60
	who=$(psql -Atc "SELECT user_name FROM wachter.incident_overview WHERE incident = '$first_inc'" wachter)
	echo
	echo "== that official's dossier (wachter cases $who)"
	"$bin/wachter" cases -d "$dsn" "$who"
fi
echo "== verifying the signed chain with the public key alone"
"$bin/wachter" verify --db "$dsn" --root-pubkey "$demo/keys/root.pub" \
    --require-kept --since-checkpoint "$demo/checkpoints.log"
