#!/bin/sh
# json_ref.sh: compare the JSON scanner with python3's json module over
# generated documents (valid and broken) and lines of the dev corpora.
# Prints TAP; SKIPs when python3 is absent.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not installed"
	exit 0
fi
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
python3 "$top_srcdir/tests/parse/json_ref.py" gen 20000 "$t/corpus"
data="$top_srcdir/../shared/data"
[ -d /work/shared/data ] && data=/work/shared/data
for f in dev/brp-audit.jsonl.gz dev-ldv/brp-ldv.jsonl.gz \
    dev-ldv/brp-app-audit.jsonl.gz dev-gateway/brp-gateway.jsonl.gz; do
	[ -f "$data/$f" ] || continue
	gzip -dc "$data/$f" | head -n 20000 >>"$t/corpus"
	# Every broken line of the corpus too (they hold NUL bytes or bad UTF-8).
	gzip -dc "$data/$f" | LC_ALL=C grep -av '}$' >>"$t/corpus"
done
"$top_builddir/tests/parse/json_dump" <"$t/corpus" >"$t/c.out"
python3 "$top_srcdir/tests/parse/json_ref.py" dump <"$t/corpus" >"$t/py.out"
n=$(wc -l <"$t/corpus")
nok=$(grep -c '^OK' "$t/py.out")
echo "1..4"
if [ "$(wc -l <"$t/c.out")" -eq "$n" ]; then
	echo "ok 1 - scanner answered all $n lines"
else
	echo "not ok 1 - scanner answered $(wc -l <"$t/c.out") of $n lines"
fi
if cmp -s "$t/c.out" "$t/py.out"; then
	echo "ok 2 - accept/reject and values agree with python3 json ($nok valid)"
else
	echo "not ok 2 - scanner and python3 json disagree"
	diff "$t/c.out" "$t/py.out" | head -n 10 | sed 's/^/# /'
	paste -d '\n' "$t/corpus" /dev/null | head -c 0
fi
if grep -q 'GETFAIL\|STRFAIL\|KEYFAIL' "$t/c.out"; then
	echo "not ok 3 - path lookup or unescape failed on some value"
else
	echo "ok 3 - path lookup finds every simple path"
fi
if [ "$nok" -gt 1000 ] && [ "$(grep -c '^BAD' "$t/py.out")" -gt 1000 ]; then
	echo "ok 4 - corpus holds both valid and invalid documents"
else
	echo "not ok 4 - corpus too one-sided"
fi
