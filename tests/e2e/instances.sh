#!/bin/sh
# instances.sh: several wachterd on one PostgreSQL server, one database
# each (docs/SCALING.md): four municipalities, each with its own logs,
# reference data, keys and chain, read at the same time. Each must commit
# exactly what `wachter eval` decides on its own logs, hold only its own
# lines and records, and its chain must verify with its own root key and
# fail with another's. A second daemon on a database already held is
# refused; the four on their own databases are not.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

top=$(cd "$top_srcdir" && pwd)
M=$TEST_TMP/instances
rm -rf "$M"
mkdir -p "$M"
. "$top_srcdir/tests/e2e/wd.sh"
N=4

plan $((N * 5 + 2))

# Four municipalities: generated corpora with seeds of their own.
for i in $(seq 1 $N); do
	python3 "$top/tests/bench/gen.py" "$M/gem$i" --lookups 4000 \
	    --cases 500 --officials 40 --days 5 --seed $((40 + i)) \
	    >/dev/null 2>&1 || { echo "Bail out! gen.py"; exit 1; }
	"$WACHTER" eval "$M/gem$i" --rules "$top/rules" \
	    --sources "$top/contrib/sources" --flagged "$M/gem$i.tsv" \
	    >"$M/gem$i.eval" 2>&1
	sort -u "$M/gem$i.tsv" >"$M/gem$i.pairs"
done

# Databases, keys and configurations; the logs in place.
for i in $(seq 1 $N); do
	CORPUS=$M/gem$i
	wd_setup "inst$i" || { echo "Bail out! setup $i"; exit 1; }
	WD_PORT=$((20000 + ($$ + 7 * i) % 20000))	# a listener each
	wd_conf "$W/rules"
	cp "$M/gem$i/brp-audit.jsonl" "$W/logs/brp.jsonl"
	cp "$M/gem$i/rdw-audit.csv" "$W/logs/rdw.csv"
	[ "$(id -u)" = 0 ] && chown -R postgres: "$W"
	eval "W$i=\$W DSN$i=\$DSN CONF$i=\$CONF"
done

# All four at once, each to the end of its logs.
for i in $(seq 1 $N); do
	eval "c=\$CONF$i w=\$W$i"
	timeout 600 "$WACHTERD" -1 -c "$c" >>"$w/wachterd.log" 2>&1 &
	eval "P$i=$!"
done
for i in $(seq 1 $N); do
	eval "p=\$P$i"
	wait "$p"
	eval "RC$i=$?"
done

for i in $(seq 1 $N); do
	eval "W=\$W$i DSN=\$DSN$i rc=\$RC$i"
	is "$rc" 0 "gem$i: wachterd -1 exits 0 beside three others"
	wd_alert_pairs >"$M/gem$i.db"
	is "$(comm -3 "$M/gem$i.pairs" "$M/gem$i.db" | wc -l)" 0 \
	    "gem$i: its alert rows name exactly eval's pairs on its own logs ($(wc -l <"$M/gem$i.pairs"))"
	is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" \
	    "$(cat "$W"/logs/* | wc -l)" "gem$i: its own lines, each once"
	"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" \
	    >"$M/verify$i.out" 2>&1
	is "$?" 0 "gem$i: its chain verifies with its root key"
	j=$((i % N + 1))
	eval "other=\$W$j"
	"$WACHTER" verify --db "$DSN" --root-pubkey "$other/keys/root.pub" \
	    >"$M/verify$i-$j.out" 2>&1
	rc=$?
	ok "$([ "$rc" != 0 ]; echo $?)" "gem$i: and not with gem$j's (exit $rc)"
done

# One database, one daemon: a second on gem1's is refused, not gem2's.
W=$W1 DSN=$DSN1 CONF=$CONF1
# The first must hold the database before the second starts: a bound, not
# a pace (under load the first can take long to connect). Its log already
# holds the -1 run's "database connected", which must not count.
wd_start_connected
first=$WD_PID
: >"$M/second.log"
sed "s/127.0.0.1:[0-9]*/127.0.0.1:0/" "$CONF1" >"$M/second.conf"
[ "$(id -u)" = 0 ] && chown postgres: "$M/second.conf"
"$WACHTERD" -c "$M/second.conf" >"$M/second.log" 2>&1 &
second=$!
wait_for 300 grep -q "another wachterd holds this database" "$M/second.log"
ok $? "a second wachterd on the same database is told it is held"
kill -TERM "$second" 2>/dev/null
wait "$second" 2>/dev/null
W=$W2 CONF=$CONF2
"$WACHTERD" -1 -c "$CONF2" >>"$W2/wachterd.log" 2>&1
is "$?" 0 "meanwhile wachterd -1 on another database of the same server runs"
kill -TERM "$first" 2>/dev/null
wait "$first" 2>/dev/null
