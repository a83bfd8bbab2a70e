#!/bin/sh
# manlint.sh: the manual pages are lint-clean (mandoc -Tlint, else groff
# -ww), and wachter.conf(5) documents every key the parser knows.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

pages="wachterd.8 wachter.1 wachter.conf.5 wachter-rules.5 wachter-officer.7"
plan 7
for p in $pages; do
	f=$top_srcdir/man/$p
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -Tlint -W warning "$f" 2>&1)
	elif command -v groff >/dev/null 2>&1; then
		out=$(groff -ww -z -mandoc "$f" 2>&1)
	else
		ok 0 "$p # SKIP neither mandoc nor groff"
		continue
	fi
	is "$out" "" "$p is lint-clean"
done

# The key lists in lib/conf/conf.c against the page's .It Ic entries.
keys=$(awk '/_keys\[\] = \{/ { on = 1 } on { print } /\};/ { on = 0 }' \
    "$top_srcdir/lib/conf/conf.c" |
    grep -o '"[a-z_]*"' | tr -d '"')
missing=""
for k in $keys; do
	grep -q "^\.It Ic $k\( \|$\)" "$top_srcdir/man/wachter.conf.5" ||
	    missing="$missing $k"
done
is "$missing" "" "wachter.conf(5) documents every configuration key"
extra=""
for k in $(sed -n 's/^\.It Ic \([a-z_]*\).*/\1/p' "$top_srcdir/man/wachter.conf.5"); do
	echo "$keys" | grep -qx "$k" || extra="$extra $k"
done
is "$extra" "" "wachter.conf(5) documents no key the parser lacks"
