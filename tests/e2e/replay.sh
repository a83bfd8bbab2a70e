#!/bin/sh
# replay.sh: one truth, however the lines arrive. The same logs reach
# wachterd in six ways: complete before it starts; appended at once to
# empty logs while it runs; in six pieces with a restart in between; day
# by day with the RDW log a day behind the BRP log; in pieces of random
# size with lines moved up to 150 places later; and in twenty pieces with
# kill -9 at random moments and a PostgreSQL restart. Each time, after
# `wachterd -1` has read to the end, the alert rows must name exactly the
# (lookup, incident) pairs that `wachter eval` decides on the same files,
# and the records (kind, incident, lookups, rules, score) must be the same
# as when the logs were complete at start.
#
# Corpus: REPLAY_CORPUS (a corpus folder), else the first REPLAY_DAYS
# (default 4; 0 for all) days of the development corpus when it is found
# (WACHTER_DATA, or ../shared/data next to the source tree), else all of
# the project's sample corpus. By hand: REPLAY_WAYS picks ways (default
# "start append pieces daily moved crash"), REPLAY_TIMEOUT is the bound in
# seconds to catch up (default 300; wachterd -1 gets twice as long).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

top=$(cd "$top_srcdir" && pwd)
data=${WACHTER_DATA:-$top/../shared/data}
R=$TEST_TMP/replay
rm -rf "$R"
mkdir -p "$R"
if [ -n "${REPLAY_CORPUS:-}" ]; then
	src=$REPLAY_CORPUS
elif [ -f "$data/dev/manifest.json" ]; then
	src=$data/dev
else
	src=$top/tests/data/corpus
	REPLAY_DAYS=${REPLAY_DAYS:-0}	# small: all of it
fi

# The corpus to use: the source's reference data, its logs cut to the
# first days (plain files, one per register, as the daemon reads them).
python3 - "$src" "$R/corpus" "${REPLAY_DAYS:-4}" <<'EOF' || { echo "Bail out! corpus"; exit 1; }
import datetime, gzip, json, os, sys
src, dst, days = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(dst)
m = json.load(open(os.path.join(src, "manifest.json")))
first = datetime.date.fromisoformat(m["first_day"])
end = (first + datetime.timedelta(days=days)).isoformat() if days else "9999"
def when(fmt, line):
    if fmt == "brp-audit-jsonl":
        k = line.find(b'"timestamp":"')
        return line[k + 13:k + 23].decode() if k >= 0 else ""
    return line.split(b";", 1)[0][:10].decode()
for f in os.listdir(src):
    if f.endswith(".csv") or f.startswith("labels") or f == "incidents.csv":
        os.symlink(os.path.join(src, f), os.path.join(dst, f))
logs = []
os.makedirs(os.path.join(dst, "days"))
def day_file(name, day):
    return open(os.path.join(dst, "days", "%s.%s" % (day, name)), "ab")
for log in m["logs"]:
    fmt = log["format"]
    name = {"brp-audit-jsonl": "brp.jsonl", "rdw-audit-csv": "rdw.csv"}[fmt]
    day = m["first_day"]
    with gzip.open(os.path.join(src, log["file"]), "rb") as i, \
            open(os.path.join(dst, name), "wb") as o:
        for n, line in enumerate(i):
            if n == 0 and fmt == "rdw-audit-csv":
                o.write(line)
                continue
            try:
                d = when(fmt, line)
                datetime.date.fromisoformat(d)
                day = d
            except (ValueError, UnicodeDecodeError):
                pass    # a malformed line goes with the one before
            if day >= end:
                continue
            o.write(line)
            with day_file(name, day) as f:
                f.write(line)
    logs.append({"file": name, "format": fmt, "source": log["source"]})
m["logs"] = logs
m.pop("files", None)
if days:
    m["days"] = min(days, m.get("days", days))
json.dump(m, open(os.path.join(dst, "manifest.json"), "w"))
EOF
CORPUS=$R/corpus
. "$top_srcdir/tests/e2e/wd.sh"

ways=" ${REPLAY_WAYS:-start append pieces daily moved crash} "
T=${REPLAY_TIMEOUT:-300}
# way NAME: whether to deliver the logs in way NAME; starts its clock.
way() {
	case "$ways" in *" $1 "*) ;; *) return 1 ;; esac
	T0=$(date +%s)
}
nbrp=$(wc -l < "$CORPUS/brp.jsonl")
diag "corpus: $src, $nbrp BRP and $(wc -l < "$CORPUS/rdw.csv") RDW lines"

T0=$(date +%s)
"$WACHTER" eval "$CORPUS" --rules "$top/rules" --sources "$top/contrib/sources" \
    --flagged "$R/eval.tsv" --decisions "$R/eval.dec" > "$R/eval.out" 2>&1
sort -u "$R/eval.tsv" > "$R/eval.pairs"
# The (lookup, incident) pairs eval withdraws: provisional alerts explained later.
sed -n 's/^\([^	]*\)	.*	explained later by [^	]* (\([^)]*\))$/\1	\2/p' \
    "$R/eval.dec" | sort > "$R/eval.later"
later=$(wc -l < "$R/eval.later" | tr -d ' ')
diag "eval: $(grep -E '^(lookups|events flagged|decided on their own):' "$R/eval.out" |
    tr '\n' ';')$(wc -l < "$R/eval.pairs") pairs, $(($(date +%s) - T0)) s"
ok "$([ -s "$R/eval.pairs" ]; echo $?)" "eval flags lookups in the corpus ($(wc -l < "$R/eval.pairs"))"

# Lines [from, to] of a log (the RDW header stays first).
piece() { [ "$3" -lt "$2" ] || sed -n "$2,$3p" "$CORPUS/$1"; }

# Append a log in n pieces interleaved with the other; after each pair,
# run the hook given (a command).
append_pieces() {
	_n=$1; _hook=$2
	_b=$(wc -l < "$CORPUS/brp.jsonl"); _r=$(wc -l < "$CORPUS/rdw.csv")
	for _i in $(seq 1 "$_n"); do
		piece rdw.csv $(( (_i - 1) * _r / _n + 1 )) $(( _i * _r / _n )) >> "$W/logs/rdw.csv"
		piece brp.jsonl $(( (_i - 1) * _b / _n + 1 )) $(( _i * _b / _n )) >> "$W/logs/brp.jsonl"
		$_hook "$_i"
	done
}

# What the daemon committed: (lookup, incident) pairs that stand (alerts
# minus the follow-ups that explained a provisional lookup later), and
# the records, follow-ups included.
results() {
	wd_alert_pairs > "$R/$1.pairs"
	wd_alert_records > "$R/$1.records"
}

# The checks of one way of delivery.
check() {
	results "$1"
	is "$(comm -3 "$R/eval.pairs" "$R/$1.pairs" | wc -l)" 0 \
	    "$1: the alert rows name exactly eval's (lookup, incident) pairs"
	if [ "$1" != start ] && [ -f "$R/start.records" ]; then
		is "$(diff "$R/start.records" "$R/$1.records" | grep -c '^[<>]')" 0 \
		    "$1: the same records (kind, incident, lookups, rules, score) as when the logs were complete at start"
	fi
	wd_sql "SELECT e, incident FROM wachter.chain_record, unnest(event_ids) e WHERE kind = 'explained'" |
	    tr '|' '\t' | sort > "$R/$1.later"
	is "$(cmp -s "$R/eval.later" "$R/$1.later"; echo $?)" 0 \
	    "$1: one follow-up for each provisional lookup eval explains later, in its incident ($later)"
	is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" \
	    "$(cat "$W"/logs/* | wc -l)" "$1: every line examined exactly once"
	if ! comm -3 "$R/eval.pairs" "$R/$1.pairs" | cmp -s - /dev/null; then
		comm -3 "$R/eval.pairs" "$R/$1.pairs" | head -n 5 | diag_stdin
		wd_sql 'SELECT source, "offset", lines FROM wachter.source_file' | diag_stdin
		wc -lc "$W"/logs/* | diag_stdin
	fi
	said "$1"
}

# The end of a live way: wait until the daemon has read everything, stop
# it, let wachterd -1 decide what waits, and check.
finish_way() {
	wd_wait_caught_up $T
	wd_stop
	wd_finish $((2 * T))
	is "$WD_RC" 0 "$1: exit 0"
	check "$1"
}

# One line on what the daemon committed and how long the way took.
said() {
	diag "$1: $(wd_sql "SELECT count(*) FILTER (WHERE kind = 'new') || ' alerts, ' ||
	    count(*) FILTER (WHERE kind = 'addendum') || ' addenda, ' ||
	    count(*) FILTER (WHERE kind = 'explained') || ' follow-ups, ' ||
	    (SELECT count(*) FROM (SELECT DISTINCT unnest(event_ids)
	    FROM wachter.chain_record) e) || ' lookups' FROM wachter.chain_record"), $(($(date +%s) - T0)) s"
}

# 1. The logs are complete before the daemon starts.
if way start; then
	wd_setup replay_start || { echo "Bail out! setup"; exit 1; }
	cp "$CORPUS/brp.jsonl" "$CORPUS/rdw.csv" "$W/logs/"
	wd_finish $((2 * T))
	is "$WD_RC" 0 "start: wachterd -1 reads to the end and exits 0"
	check start
	"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" --max-age 0 \
	    > "$R/verify.out" 2>&1
	is "$?" 0 "start: wachter verify accepts the chain, follow-ups included"
fi

# 2. Started on empty logs; everything appended at once.
if way append; then
	wd_setup replay_append || { echo "Bail out! setup"; exit 1; }
	wd_start
	wait_for 300 grep -q "started" "$W/wachterd.log"
	cat "$CORPUS/rdw.csv" >> "$W/logs/rdw.csv"
	cat "$CORPUS/brp.jsonl" >> "$W/logs/brp.jsonl"
	finish_way append
fi

# 3. Six pieces, caught up after each, a restart after the third.
if way pieces; then
	wd_setup replay_pieces || { echo "Bail out! setup"; exit 1; }
	pieces_hook() {
		wd_wait_caught_up $T
		if [ "$1" = 3 ]; then wd_stop; wd_start; fi
	}
	wd_start
	append_pieces 6 pieces_hook
	finish_way pieces
fi

# 4. Day by day, the RDW log delivered a day after the BRP log.
if way daily; then
	wd_setup replay_daily || { echo "Bail out! setup"; exit 1; }
	head -n 1 "$CORPUS/rdw.csv" > "$W/logs/rdw.csv"
	wd_start
	prev=
	for d in $(ls "$CORPUS/days" | cut -d. -f1 | sort -u); do
		cat "$CORPUS/days/$d.brp.jsonl" >> "$W/logs/brp.jsonl" 2>/dev/null
		[ -n "$prev" ] && cat "$CORPUS/days/$prev.rdw.csv" >> "$W/logs/rdw.csv" 2>/dev/null
		prev=$d
		wd_wait_caught_up $T
	done
	[ -n "$prev" ] && cat "$CORPUS/days/$prev.rdw.csv" >> "$W/logs/rdw.csv" 2>/dev/null
	finish_way daily
fi

# 5. Pieces of random size, lines moved up to 150 places later.
if way moved; then
	python3 - "$CORPUS" "$R/moved" <<-'EOF' || { echo "Bail out! moved corpus"; exit 1; }
	import os, random, shutil, sys
	src, dst = sys.argv[1], sys.argv[2]
	shutil.copytree(src, dst, symlinks=True)
	rnd = random.Random(20261129)
	for name in ("brp.jsonl", "rdw.csv"):
	    lines = open(os.path.join(src, name), "rb").read().splitlines(True)
	    head = lines[:1] if name == "rdw.csv" else []
	    body = lines[len(head):]
	    keyed = [(i + (rnd.randint(1, 150) if rnd.random() < 0.05 else 0), i, l)
	        for i, l in enumerate(body)]
	    keyed.sort()
	    out = head + [l for _, _, l in keyed]
	    open(os.path.join(dst, name), "wb").writelines(out)
	    # Random cut points for appending.
	    cuts, k = [], len(head)
	    while k < len(out):
	        k += rnd.randint(1, max(2, len(out) // 8))
	        cuts.append(min(k, len(out)))
	    with open(os.path.join(dst, name + ".cuts"), "w") as f:
	        f.write(" ".join(map(str, cuts)) + "\n")
	EOF
	"$WACHTER" eval "$R/moved" --rules "$top/rules" --sources "$top/contrib/sources" \
	    --flagged "$R/moved.tsv" > "$R/moved.out" 2>&1
	sort -u "$R/moved.tsv" > "$R/moved.eval"
	diag "moved: eval flags $(wc -l < "$R/moved.eval") (lookup, incident) pairs, $(($(date +%s) - T0)) s"
	T0=$(date +%s)
	wd_setup replay_moved || { echo "Bail out! setup"; exit 1; }
	wd_start
	nb=$(wc -l < "$R/moved/brp.jsonl"); nr=$(wc -l < "$R/moved/rdw.csv")
	prev=0
	for c in $(cat "$R/moved/brp.jsonl.cuts"); do
		sed -n "$((prev + 1)),${c}p" "$R/moved/brp.jsonl" >> "$W/logs/brp.jsonl"
		prev=$c
		# The RDW log in step with it, by the share read.
		r=$(( nr * c / nb ))
		have=$(wc -l < "$W/logs/rdw.csv")
		[ "$r" -gt "$have" ] && sed -n "$((have + 1)),${r}p" "$R/moved/rdw.csv" >> "$W/logs/rdw.csv"
		sleep 0.$(( $(od -An -N1 -tu1 /dev/urandom) % 5 ))
	done
	have=$(wc -l < "$W/logs/rdw.csv")
	sed -n "$((have + 1)),\$p" "$R/moved/rdw.csv" >> "$W/logs/rdw.csv"
	wd_wait_caught_up $T
	wd_stop
	wd_finish $((2 * T))
	is "$WD_RC" 0 "moved: exit 0"
	results moved
	is "$(comm -3 "$R/moved.eval" "$R/moved.pairs" | wc -l)" 0 \
	    "moved: the alert rows name exactly eval's pairs on the same (moved) files"
	is "$(wd_sql 'SELECT sum(lines) FROM wachter.source_file')" \
	    "$(cat "$W"/logs/* | wc -l)" "moved: every line examined exactly once"
	said moved
	late=$(sed -n 's/^decided on their own: \([0-9]*\) late.*/\1/p' "$R/moved.out")
	if [ "${late:-0}" = 0 ] && [ ! -f "$R/start.records" ]; then
		:
	elif [ "${late:-0}" = 0 ]; then
		is "$(diff "$R/start.records" "$R/moved.records" | grep -c '^[<>]')" 0 \
		    "moved: no line came after its moment, so the same records as in order"
	else
		ok 0 "moved: $late line(s) came after their moment and were judged on their own (eval agrees)"
	fi
fi

# 6. Twenty pieces, kill -9 at a random moment while each is read, and
# PostgreSQL restarted once (a cluster of its own, so no other test sees it).
if way crash; then
	PGP=$TEST_TMP/pg-replay
	pg_stop "$PGP" 2>/dev/null
	pg_start "$PGP" >/dev/null || { echo "Bail out! private cluster"; exit 1; }
	trap 'pg_stop "$PGP"' EXIT
	wd_setup replay_crash || { echo "Bail out! setup"; exit 1; }
	WD_BATCH=50
	wd_conf "$W/rules"
	[ "$(id -u)" = 0 ] && chown -R postgres: "$W"
	kills=0 reading=0 before=0
	# Bytes committed as read; whether a life has read on since $1 (or
	# everything, $2 bytes).
	read_offset() {
		wd_sql 'SELECT coalesce(sum("offset"), 0) FROM wachter.source_file' 2>/dev/null
	}
	progressed() {
		_o=$(read_offset)
		[ "${_o:-0}" -gt "$1" ] || [ "${_o:-0}" -ge "$2" ]
	}
	# Under load, starting up can take longer than the random pause: kill
	# only once this life has committed a batch, so each kill lands while
	# the daemon reads.
	crash_hook() {
		wait_for "$T" progressed "$before" "$(cat "$W"/logs/* | wc -c)" &&
		    reading=$((reading + 1))
		sleep 0.$(( $(od -An -N1 -tu1 /dev/urandom) % 8 + 1 ))
		kill -KILL "$WD_PID" 2>/dev/null && kills=$((kills + 1))
		wait "$WD_PID" 2>/dev/null
		before=$(read_offset)
		if [ "$1" = 10 ]; then
			pg_stop "$PGP"
			wd_start
			sleep 1
			pg_start "$PGP" >/dev/null
		else
			wd_start
		fi
	}
	wd_start
	append_pieces 20 crash_hook
	finish_way crash
	ok "$([ "$kills" -ge 20 ] && [ "$reading" -ge 20 ]; echo $?)" \
	    "crash: the daemon was killed at least 20 times while reading ($kills, $reading of them after the life had read on), PostgreSQL restarted once"
fi
plan $_tap_n
