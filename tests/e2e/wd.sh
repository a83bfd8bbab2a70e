# wd.sh: set up a private wachterd for one end-to-end test: a database
# with the schema and the sample reference data, signing keys, empty log
# files and a configuration. Source lib.sh first.
# wd_setup NAME: creates $W (work dir), $DSN, $CONF; wd_start; wd_stop.

. "$top_srcdir/tests/pg.sh"
CORPUS=${CORPUS:-$top_srcdir/tests/data/corpus}

# Start a PostgreSQL unless the test runner gave one.
wd_pg() {
	if [ -z "${PGHOST:-}" ]; then
		pg_start "$TEST_TMP/pg-$1" >/dev/null || skip_all "no PostgreSQL"
		trap 'pg_stop "$TEST_TMP/pg-'"$1"'"' EXIT
	fi
}

# Database, reference data, keys, logs and configuration for test NAME.
wd_setup() {
	W=$TEST_TMP/wd-$1
	rm -rf "$W"
	mkdir -p "$W/logs"
	wd_pg "$1"
	pg_newdb "wd_$1" >/dev/null
	DSN="host=$PGHOST dbname=wd_$1 user=postgres"
	# Each migration is one transaction; one that met another database's
	# migration making the same cluster-wide role is simply run again.
	"$WACHTER" db migrate -d "$DSN" >/dev/null 2>&1 ||
	    "$WACHTER" db migrate -d "$DSN" >/dev/null || return 1
	# The daemon logs in with a role that has only wachter_daemon's rights.
	# Roles are the cluster's: a test setting up at the same time may make
	# or grant it first (a unique violation), so try again.
	for _try in 1 2 3 4 5; do
		PGOPTIONS="-c client_min_messages=warning" psql -X -q -d "$DSN" \
		    -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE
		    rolname = 'wachterd_test') THEN CREATE ROLE wachterd_test LOGIN;
		    END IF; END \$\$; GRANT wachter_daemon TO wachterd_test" \
		    2>/dev/null && break
		[ "$_try" = 5 ] && return 1
		sleep 1
	done
	DAEMON_DSN="host=$PGHOST dbname=wd_$1 user=wachterd_test"
	for k in staff:employees persons:persons vehicles:vehicles \
	    cases:cases appointments:appointments watchlist:watchlist; do
		"$WACHTER" import -d "$DSN" "${k%%:*}" "$CORPUS/${k##*:}.csv" \
		    >/dev/null || return 1
	done
	"$WACHTER" keygen -n "test.invalid/$1" "$W/keys" >/dev/null
	: > "$W/logs/brp.jsonl"
	: > "$W/logs/rdw.csv"
	CONF=$W/wachter.conf
	# A port the kernel says is free (tests of other checkouts run beside).
	WD_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	mkdir -p "$W/rules"
	cp "$top_srcdir"/rules/*.yaml "$W/rules/"
	wd_conf "$W/rules"
	# As root, wachterd must drop to an account that owns its keys.
	if [ "$(id -u)" = 0 ]; then
		chown -R postgres: "$W"
	fi
}

# Write the configuration with the given rules folder.
wd_conf() {
	cat > "$CONF" <<EOC
database:
  conninfo: "$DAEMON_DSN"
rules: $1
source_definitions: $top_srcdir/contrib/sources
keys: $W/keys
poll_interval: 50ms
reference_check: 1s
checkpoint:
  interval: 2s
  sink: $W/checkpoints.log
batch: {events: ${WD_BATCH:-100}, delay: 50ms}
metrics: {listen: "127.0.0.1:$WD_PORT"}
$( [ "$(id -u)" = 0 ] && echo "user: postgres" )
sources:
  - {name: brp, path: $W/logs/brp.jsonl, format: brp-audit-jsonl}
  - {name: rdw, path: $W/logs/rdw.csv, format: rdw-audit-csv}
EOC
}

# Start wachterd in the background; its log is $W/wachterd.log.
# The log is appended to across runs, so an earlier run's "database
# connected" must not count for this one: WD_SEEN is how many such lines
# the log held before it started.
wd_start() {
	WD_SEEN=$(grep -c "database connected" "$W/wachterd.log" 2>/dev/null)
	WD_SEEN=${WD_SEEN:-0}
	"$WACHTERD" -c "$CONF" >>"$W/wachterd.log" 2>&1 &
	WD_PID=$!
}

# Start wachterd and wait (bounded by ${1:-300} s) until this daemon has
# connected and holds the database.
wd_start_connected() {
	wd_start
	wait_for "${1:-300}" wd_connected
}

# Whether the daemon of the last wd_start has connected (true when none
# was started: wd_finish runs in the foreground).
wd_connected() {
	[ -z "${WD_SEEN:-}" ] ||
	    [ "$(grep -c "database connected" "$W/wachterd.log")" -gt "$WD_SEEN" ]
}

# Send SIGTERM and wait; the exit status is in $WD_RC.
wd_stop() {
	kill -TERM "$WD_PID" 2>/dev/null
	wait "$WD_PID"
	WD_RC=$?
}

# Run wachterd -1 (read to the end, decide what waits, seal, exit) in the
# foreground, bounded by ${1:-300} seconds; the exit status is in $WD_RC.
wd_finish() {
	timeout "${1:-300}" "$WACHTERD" -1 -c "$CONF" >>"$W/wachterd.log" 2>&1
	WD_RC=$?
}

# GET a path of a metrics listener on PORT: "STATUS BODY".
wd_http() {
	python3 -c 'import sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=10)
    print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())' "http://127.0.0.1:$1$2" 2>&1
}

# psql on the test database.
wd_sql() {
	psql -X -At -d "$DSN" -c "$1"
}

# Whether wachterd has caught up: its committed positions sum to the bytes
# of all log files.
wd_caught_up() {
	[ "$(wd_sql 'SELECT coalesce(sum("offset"), 0) FROM wachter.source_file' 2>/dev/null)" \
	    -ge "$(cat "$W"/logs/* | wc -c)" ] 2>/dev/null
}

# Wait up to ${1:-60} seconds for wachterd to catch up. The positions
# may already be at the end from an earlier run, so the daemon of the
# last wd_start must also have connected: until then it may not yet
# handle signals, and what the test does next would meet a daemon still
# starting.
wd_wait_caught_up() {
	_t=$((${1:-60} * 10))
	while [ "$_t" -gt 0 ]; do
		wd_connected && wd_caught_up && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

# The sample BRP log K times over, event ids made distinct with TAG.
wd_sample() {
	for _k in $(seq 1 "$2"); do
		zcat "$CORPUS/brp-audit.jsonl.gz" |
		    sed "s/\"event_id\":\"brp-/\"event_id\":\"brp-$1$_k-/"
	done
}

# The lookups in alerts, sorted, one a line.
wd_alerted() {
	wd_sql "SELECT DISTINCT unnest(event_ids) FROM wachter.chain_record" | sort
}

# The reference for fault tests: a fresh setup NAME, one uninterrupted run
# over the BRP log LOG; what it puts in alerts goes to OUT (wd_alerted).
wd_reference() {
	wd_setup "$1" || return 1
	cat "$2" > "$W/logs/brp.jsonl"
	wd_start
	wd_wait_caught_up 300
	wd_stop
	wd_alerted > "$3"
}

# How many committed positions moved back or vanished since the last call
# (each call keeps them in $W/pos.prev).
wd_positions_back() {
	wd_sql "SELECT source || ':' || ino || ':' || \"offset\" FROM
	    wachter.source_file ORDER BY 1" > "$W/pos.now"
	touch "$W/pos.prev"
	awk -F: 'NR == FNR { now[$1 ":" $2] = $3; next }
	    !(($1 ":" $2) in now) || now[$1 ":" $2] + 0 < $3 + 0 { n++ }
	    END { print n + 0 }' "$W/pos.now" "$W/pos.prev"
	mv "$W/pos.now" "$W/pos.prev"
}

# Four assertions after a fault test: every one of TOTAL lines examined
# once, no lookup in two alerts, the chain and the kept checkpoints verify,
# nothing the reference run (wd_reference's OUT, REF) flags is missing.
wd_check_once() {
	is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" "$1" \
	    "every line examined exactly once"
	is "$(wd_sql 'SELECT count(*) - count(DISTINCT e) FROM wachter.chain_record, unnest(event_ids) e')" 0 \
	    "no lookup in two alert rows"
	"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" \
	    --max-age 0 --since-checkpoint "$W/checkpoints.log" \
	    > "$W/verify.out" 2>&1
	ok $? "the chain and the kept checkpoints verify"
	wd_alerted > "$W/ids"
	is "$(comm -23 "$2" "$W/ids" | wc -l)" 0 \
	    "nothing an uninterrupted run flags is missing ($(wc -l < "$2") flagged; $(comm -13 "$2" "$W/ids" | wc -l) more)"
}

# The (lookup, incident) pairs the chain alerts on and that stand: a
# follow-up (kind 'explained') withdraws its lookups. Sorted, tab
# separated, as `wachter eval --flagged` writes them.
wd_alert_pairs() {
	wd_sql "SELECT e, incident FROM wachter.chain_record, unnest(event_ids) e WHERE kind <> 'explained'
	    EXCEPT SELECT e, incident FROM wachter.chain_record, unnest(event_ids) e WHERE kind = 'explained'" |
	    tr '|' '\t' | sort
}

# Every record as kind, incident, lookups, rules and score, sorted: two
# runs that decided the same give the same lines.
wd_alert_records() {
	wd_sql "SELECT kind, incident, array_to_string(ARRAY(SELECT unnest(event_ids) ORDER BY 1), ','),
	    array_to_string(ARRAY(SELECT unnest(rules) ORDER BY 1), ','), score FROM wachter.chain_record" |
	    sort
}
