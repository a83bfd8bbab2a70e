#!/bin/sh
# daemon_ldv.sh: Logboek Dataverwerkingen records joined with the
# application's audit log, through kill -9: every lookup is decided once
# (a group whose lines are read again after a restart is not decided
# twice), lookups without a user are reported, and the alerts equal
# exactly what `wachter eval` decides on the same lines, whether the logs
# were complete at start or appended in pieces with kill -9 in between.
# The join waits in event time, so CPU load cannot change its outcome.
# Needs the dev-ldv corpus (SKIP without it).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
unset PGHOST
. "$top_srcdir/tests/e2e/wd.sh"

LDV=$top_srcdir/../shared/data/dev-ldv
[ -f "$LDV/manifest.json" ] || skip_all "no ../shared/data/dev-ldv corpus"
plan 11
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

# What eval decides on the same lines.
C=$TEST_TMP/ldv-corpus
rm -rf "$C"; mkdir -p "$C"
for f in "$LDV"/*.csv "$LDV"/labels.csv.gz; do ln -s "$f" "$C/"; done
cp "$TEST_TMP/ldv.jsonl" "$TEST_TMP/app.jsonl" "$C/"
python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
m["logs"] = [{"file": "ldv.jsonl", "format": "ldv", "source": "brp"},
    {"file": "app.jsonl", "format": "ldv-app-audit", "source": "brp"}]
m.pop("files", None)
json.dump(m, open(sys.argv[2], "w"))' "$LDV/manifest.json" "$C/manifest.json"
"$WACHTER" eval "$C" --rules "$top_srcdir/rules" --sources "$top_srcdir/contrib/sources" \
    --flagged "$TEST_TMP/eval.tsv" > "$TEST_TMP/eval.out" 2>&1
sort -u "$TEST_TMP/eval.tsv" > "$TEST_TMP/eval.pairs"
eval_un=$(sed -n 's/.*unattributable lookups skipped: \([0-9]*\).*/\1/p' "$TEST_TMP/eval.out")

# The reference: the logs complete before start, read to the end.
WD_BATCH=50
ldv_run_setup ldvref || { echo "Bail out! setup failed"; exit 1; }
cat "$TEST_TMP/ldv.jsonl" >> "$W/logs/ldv.jsonl"
cat "$TEST_TMP/app.jsonl" >> "$W/logs/app.jsonl"
wd_finish 600
is "$WD_RC" 0 "wachterd -1 reads the joined logs to the end"
wd_alert_pairs > "$TEST_TMP/ref.pairs"
wd_sql "SELECT trace FROM wachter.unattributed" | sort > "$TEST_TMP/ref.un"
ok "$([ -s "$TEST_TMP/ref.pairs" ] && [ -s "$TEST_TMP/ref.un" ]; echo $?)" \
    "the run flags lookups and reports some without a user"
is "$(comm -3 "$TEST_TMP/eval.pairs" "$TEST_TMP/ref.pairs" | wc -l)" 0 \
    "the alert rows name exactly eval's (lookup, incident) pairs ($(wc -l < "$TEST_TMP/ref.pairs"))"
is "$(wc -l < "$TEST_TMP/ref.un" | tr -d ' ')" "${eval_un:-?}" \
    "as many lookups without a user as eval counts"

# The same lines, appended in pieces, with kill -9 in between.
ldv_run_setup ldvkill || { echo "Bail out! setup failed"; exit 1; }
split -n l/6 "$TEST_TMP/ldv.jsonl" "$W/l."
split -n l/6 "$TEST_TMP/app.jsonl" "$W/a."
for x in a b c d e f; do
	wd_start
	cat "$W/l.a$x" >> "$W/logs/ldv.jsonl"
	cat "$W/a.a$x" >> "$W/logs/app.jsonl"
	sleep 0.$(( $(od -An -N1 -tu1 /dev/urandom) % 7 + 2 ))
	sleep 0.$(( $(od -An -N1 -tu1 /dev/urandom) % 7 + 2 ))
	kill -KILL "$WD_PID"; wait "$WD_PID" 2>/dev/null
done
wd_finish 600
is "$WD_RC" 0 "wachterd -1 ends cleanly after six kill -9"
is "$(wd_sql "$POSQ")" "app:$(wc -c < "$W/logs/app.jsonl") ldv:$(wc -c < "$W/logs/ldv.jsonl")" \
    "both logs read to their ends"
is "$(wd_sql "SELECT count(*) - count(DISTINCT e) FROM wachter.chain_record, unnest(event_ids) e WHERE kind <> 'explained'")" 0 \
    "no lookup decided twice"
wd_sql "SELECT trace FROM wachter.unattributed" | sort > "$W/un"
is "$(uniq -d "$W/un" | wc -l)" 0 "no lookup without a user reported twice"
is "$(comm -3 "$W/un" "$TEST_TMP/ref.un" | wc -l)" 0 \
    "the same lookups without a user as the reference run ($(wc -l < "$W/un"))"
is "$(wd_sql "SELECT count(*) FILTER (WHERE subjects ~ '^(p[sv]:[0-9a-f]{32}(;p[sv]:[0-9a-f]{32})*)?\$') || ' of ' || count(*) FROM wachter.unattributed")" \
    "$(wc -l < "$W/un") of $(wc -l < "$W/un")" "they name their subjects by pseudonym only"
wd_alert_pairs > "$W/pairs"
is "$(comm -3 "$TEST_TMP/eval.pairs" "$W/pairs" | wc -l)" 0 \
    "after kill -9: exactly eval's (lookup, incident) pairs"
