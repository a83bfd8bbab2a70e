#!/bin/sh
# eval.sh: `wachter eval` on the project's own small corpus
# (tests/data/corpus, made by gen.py) with minimum scores asserted.
W=${top_builddir:-.}/daemon/wachter
S=${top_srcdir:-.}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "1..7"
$W eval "$S/tests/data/corpus" --rules "$S/rules" --sources \
    "$S/contrib/sources" --flagged "$T/flagged" >"$T/out" 2>&1
val() { sed -n "s/^$1: \([0-9.]*\).*/\1/p" "$T/out" | head -1; }
n=0
t() { n=$((n+1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; sed 's/^/# /' "$T/out"; fi; }
t "event precision >= 0.95" "awk 'BEGIN{exit !($(val 'event precision') >= 0.95)}'"
t "event recall >= 0.95" "awk 'BEGIN{exit !($(val 'event recall') >= 0.95)}'"
t "every incident found" "grep -q '^incident recall: 1.000' $T/out"
t "no false-positive alert" "grep -q '^false-positive alerts: 0,' $T/out"
t "lawful lookups explained >= 0.95" \
    "awk 'BEGIN{exit !($(val 'lawful lookups explained automatically') >= 0.95)}'"
t "each event flagged once" "test \$(cut -f1 $T/flagged | sort | uniq -d | wc -l) -eq 0"
t "a bulk scrape of 150 persons is one alert" \
    "test \$(grep -c . $T/flagged) -ge 150 && test \$(cut -f2 $T/flagged | sort | uniq -c | awk '\$1 >= 150' | wc -l) -eq 1"
