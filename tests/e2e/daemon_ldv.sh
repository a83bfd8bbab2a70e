#!/bin/sh
# daemon_ldv.sh: Logboek Dataverwerkingen records joined with the
# application's audit log, through kill -9: every lookup is decided once
# (a group whose lines are read again after a restart is not decided
# twice), lookups without a user are reported, and the alerts equal those
# of an uninterrupted run. Needs the dev-ldv corpus (SKIP without it).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
unset PGHOST
. "$top_srcdir/tests/e2e/wd.sh"

LDV=$top_srcdir/../shared/data/dev-ldv
[ -f "$LDV/manifest.json" ] || skip_all "no ../shared/data/dev-ldv corpus"
plan 7
POSQ="SELECT string_agg(source || ':' || \"offset\", ' ' ORDER BY source) FROM wachter.source_file"

# One database with the corpus's reference data, per run.
ldv_run_setup() {
	wd_setup "$1" >/dev/null || return 1
	for k in staff:employees persons:persons vehicles:vehicles \
	    cases:cases appointments:appointments watchlist:watchlist; do
		"$WACHTER" import -d "$DSN" "${k%%:*}" "$LDV/${k##*:}.csv" \
		    >/dev/null || return 1
	done
	rm -f "$W"/logs/*
	sed -i '/^sources:/,$d' "$CONF"
	cat >> "$CONF" <<EOC
sources:
  - {name: ldv, path: $W/logs/ldv.jsonl, format: ldv}
  - {name: app, path: $W/logs/app.jsonl, format: ldv-app-audit}
EOC
	: > "$W/logs/ldv.jsonl"; : > "$W/logs/app.jsonl"
	[ "$(id -u)" = 0 ] && chown -R postgres: "$W"
	return 0
}

zcat "$LDV/brp-ldv.jsonl.gz" | head -n 40000 > "$TEST_TMP/ldv.jsonl"
zcat "$LDV/brp-app-audit.jsonl.gz" | head -n 11000 > "$TEST_TMP/app.jsonl"

# The reference: one uninterrupted run.
WD_BATCH=50
ldv_run_setup ldvref || { echo "Bail out! setup failed"; exit 1; }
cat "$TEST_TMP/ldv.jsonl" >> "$W/logs/ldv.jsonl"
cat "$TEST_TMP/app.jsonl" >> "$W/logs/app.jsonl"
wd_start
sleep 15	# the join waits for partners that never come
wd_stop
wd_sql "SELECT unnest(event_ids) FROM wachter.chain_record" | sort > "$TEST_TMP/ref.ids"
wd_sql "SELECT trace FROM wachter.unattributed" | sort > "$TEST_TMP/ref.un"
ok "$([ -s "$TEST_TMP/ref.ids" ] && [ -s "$TEST_TMP/ref.un" ]; echo $?)" \
    "the uninterrupted run flags lookups and reports some without a user"

# The same lines, appended in pieces, with kill -9 in between.
ldv_run_setup ldvkill || { echo "Bail out! setup failed"; exit 1; }
split -n l/6 "$TEST_TMP/ldv.jsonl" "$W/l."
split -n l/6 "$TEST_TMP/app.jsonl" "$W/a."
for x in a b c d e f; do
	wd_start
	cat "$W/l.a$x" >> "$W/logs/ldv.jsonl"
	cat "$W/a.a$x" >> "$W/logs/app.jsonl"
	sleep 0.$(( $(od -An -N1 -tu1 /dev/urandom) % 7 + 2 ))
	kill -KILL "$WD_PID"; wait "$WD_PID" 2>/dev/null
done
wd_start
sleep 15
wd_stop
is "$WD_RC" 0 "wachterd ends cleanly after six kill -9"
got=$(wd_sql "$POSQ")
ok "$(python3 -c 'import sys
a = dict(x.split(":") for x in sys.argv[1].split())
b = dict(x.split(":") for x in sys.argv[2].split())
sys.exit(not (a.keys() == b.keys() and all(0 < int(a[k]) <= int(b[k]) for k in a)))' "$got" "ldv:$(wc -c < "$W/logs/ldv.jsonl") app:$(wc -c < "$W/logs/app.jsonl")"; echo $?)" \
    "positions committed within the logs, short of lines the join still holds ($got)"
is "$(wd_sql 'SELECT count(*) - count(DISTINCT e) FROM wachter.chain_record, unnest(event_ids) e')" 0 \
    "no lookup decided twice"
wd_sql "SELECT trace FROM wachter.unattributed" | sort > "$W/un"
is "$(uniq -d "$W/un" | wc -l)" 0 "no lookup without a user reported twice"
is "$(comm -3 "$W/un" "$TEST_TMP/ref.un" | wc -l)" 0 \
    "the same lookups without a user as an uninterrupted run ($(wc -l < "$W/un"))"
wd_sql "SELECT unnest(event_ids) FROM wachter.chain_record" | sort > "$W/ids"
# Per-user memories of the rules (windows, sequences, recent empty
# results that a retry explains) are rebuilt after a restart rather than
# stored: a restart may add a flag (an empty search whose retry came after
# the restart), but nothing the uninterrupted run flagged may be missing.
is "$(comm -23 "$TEST_TMP/ref.ids" "$W/ids" | wc -l)" 0 \
    "nothing an uninterrupted run flags is missing ($(wc -l < "$W/ids") flagged, $(comm -13 "$TEST_TMP/ref.ids" "$W/ids" | wc -l) more)"
