#!/bin/sh
# tail_rotation.sh: every line of a log rotated while it is written at
# speed comes out exactly once, for each rotation style.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

styles="rename rename-late delete copytruncate partial"
plan 13
for style in $styles; do
	d=$(mktemp -d "$TEST_TMP/tail.XXXXXX")
	: > "$d/app.log"
	"$TOOLS/tailcat" "$d/app.log" > "$d/out" 2> "$d/notes" &
	pid=$!
	python3 "$top_srcdir/tests/e2e/logwriter.py" "$style" "$d/app.log" 20000 4
	# Wait until the reader is quiet and rotated files are finished.
	wait_quiet "$d/out" 7
	kill -TERM $pid; wait $pid
	seq -f 'line-%09g' 1 20000 | sort > "$d/want"
	grep -o 'line-[0-9]*' "$d/out" | sort > "$d/got"
	dups=$(uniq -d "$d/got" | wc -l)
	missing=$(comm -23 "$d/want" "$d/got" | wc -l)
	is "$missing" 0 "$style: no line lost"
	is "$dups" 0 "$style: no line repeated"
	[ "$missing" = 0 ] || head -5 "$d/notes" | diag_stdin
done

# A folder of dated files followed with a glob.
d=$(mktemp -d "$TEST_TMP/tail.XXXXXX")
"$TOOLS/tailcat" "$d/app-*.log" > "$d/out" 2> "$d/notes" &
pid=$!
python3 "$top_srcdir/tests/e2e/logwriter.py" dated "$d/app-%04d.log" 20000 4
wait_quiet "$d/out" 3
kill -TERM $pid; wait $pid
seq -f 'line-%09g' 1 20000 | sort > "$d/want"
grep -o 'line-[0-9]*' "$d/out" | sort > "$d/got"
is "$(comm -23 "$d/want" "$d/got" | wc -l)" 0 "dated files (glob): no line lost"
is "$(uniq -d "$d/got" | wc -l)" 0 "dated files (glob): no line repeated"

# A backlog of dated files, each larger than what one round reads (4 MB):
# every line of the older file comes before any of the newer one, as when
# the files are read one after the other.
d=$(mktemp -d "$TEST_TMP/tail.XXXXXX")
pad=$(printf '%0100d' 0)
seq -f "line-%09g $pad" 1 60000 > "$d/app-0001.log"
seq -f "line-%09g $pad" 60001 120000 > "$d/app-0002.log"
"$TOOLS/tailcat" "$d/app-*.log" > "$d/out" 2> "$d/notes" &
pid=$!
wait_for 300 sh -c "[ \$(wc -l < '$d/out') -ge 120000 ]"
wait_quiet "$d/out" 3
kill -TERM $pid; wait $pid
grep -o 'line-[0-9]*' "$d/out" > "$d/got"
is "$(wc -l < "$d/got") $(sort -c "$d/got" 2>&1 | head -n 1)" "120000 " \
    "a backlog of dated files comes out oldest file first, in order"
