#!/bin/sh
# pieces.sh: a reference export larger than the piece wachter loads at a
# time (1 MB) gives the same verdicts as the small one, and its errors
# still name the file's own lines, also past the first piece. The same
# for eval's labels.csv.gz: scores as with the small one; a wrong header
# is an error, not a crash.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
plan 8
T=$TEST_TMP/bench-pieces
rm -rf "$T"
mkdir -p "$T/small" "$T/big"
C=$top_srcdir/tests/data/corpus
cp "$C"/* "$T/small/"
cp "$C"/* "$T/big/"
# 80 000 cases of 2020, long closed: nothing in 2026 changes. Every third
# has a quoted, multi-line type, so rows straddle pieces; an early one has
# a quote inside an unquoted cell, which is text (as csv.c reads it), not
# the start of a quoted cell.
awk 'NR == 1 { print; next } { print }
END {
	for (i = 0; i < 80000; i++) {
		t = i == 5 ? "kwij\"tschelding" : i % 3 ? "kwijtschelding" : "\"kwijt,\nschelding\""
		printf "ZAAK-2020-%07d,%s,Belastingen,closed,2020-01-0%dT10:00:00+01:00,2020-02-01T10:00:00+01:00,xweg,BEL-A,%d;200000330,2020-01-01T10:00:00+01:00\n",
		    i, t, 1 + i % 9, 100000000 + i
	}
}' "$C/cases.csv" >"$T/big/cases.csv"
size=$(wc -c <"$T/big/cases.csv")
R="--rules $top_srcdir/rules --sources $top_srcdir/contrib/sources"
"$WACHTER" eval "$T/small" $R --flagged "$T/small.fl" >/dev/null 2>&1
"$WACHTER" eval "$T/big" $R --flagged "$T/big.fl" >"$T/big.out" 2>&1
ok $? "eval loads a cases.csv of $size bytes"
cmp -s "$T/small.fl" "$T/big.fl"
ok $? "the same lookups flagged with 80 000 old cases added"
# Spoil a row early and one past the first pieces (single-line rows).
spoil='/^ZAAK-2020-0000100,|^ZAAK-2020-0075001,/'
awk "$spoil { sub(/,2020-01-0/, \",2020-13-0\") } { print }" \
    "$T/big/cases.csv" >"$T/bad.csv" && mv "$T/bad.csv" "$T/big/cases.csv"
want=$(awk "$spoil { print \"cases.csv:\" NR }" "$T/big/cases.csv" | tr '\n' ' ')
"$WACHTER" eval "$T/big" $R >"$T/bad.out" 2>&1
got=$(grep -o 'cases\.csv:[0-9]*' "$T/bad.out" | tr '\n' ' ')
like "$want" '^cases\.csv:[0-9]+ cases\.csv:[0-9]+ $' "two rows spoilt ($want)"
is "$got" "$want" "errors name lines of the file, not of a piece"
# Labels past several pieces: the corpus's own, then 700 000 lawful ones
# of lookups that are not in it (they change no score).
cp "$C/cases.csv" "$T/big/cases.csv"
"$WACHTER" eval "$T/small" $R >"$T/small.score" 2>&1
gzip -dc "$C/labels.csv.gz" | awk '{ print }
END { for (i = 0; i < 700000; i++) printf "brp-9%08d,brp,lawful,,,case\n", i }' |
    gzip -1 >"$T/big/labels.csv.gz"
"$WACHTER" eval "$T/big" $R >"$T/biglab.score" 2>&1
ok $? "eval reads $(gzip -dc "$T/big/labels.csv.gz" | wc -c) bytes of labels"
grep -q 'recall' "$T/small.score" && cmp -s "$T/small.score" "$T/biglab.score"
ok $? "the same scores with 700 000 labels added"
gzip -dc "$C/labels.csv.gz" | sed '1s/event_id/evt/' | gzip -1 \
    >"$T/big/labels.csv.gz"
"$WACHTER" eval "$T/big" $R >"$T/hdr.out" 2>&1
is "$?" 1 "labels without an event_id column: exit 1"
like "$(cat "$T/hdr.out")" "labels\\.csv\\.gz: header lacks column 'event_id'" \
    "the error names the file and the column"
[ "$_tap_failed" = 0 ] || sed 's/^/# /' "$T/big.out" "$T/bad.out" \
    "$T/biglab.score" "$T/hdr.out" | head -20
rm -rf "$T"
