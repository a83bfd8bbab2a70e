#!/bin/sh
# malformed.sh: every line of the malformed corpus (tests/data) ends in
# quarantine with its expected reason, the good and damaged lines parse, and a 10 MB
# line generated here is refused as too long without holding it whole.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
w="$top_builddir/daemon/wachter"
src="$top_srcdir/contrib/sources"
d="$top_srcdir/tests/data"
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
n=0
check() {	# name expected-file actual-file
	n=$((n + 1))
	if cmp -s "$2" "$3"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		diff "$2" "$3" | sed 's/^/# /'
	fi
}
reasons() {	# wachter output -> "line<TAB>reason" of quarantined lines
	awk -F '\t' '$1 == "!" { sub(/.*:/, "", $2); print $2 "\t" $4 }'
}
"$w" parse -S "$src" -f brp-audit-jsonl "$d/malformed-brp.jsonl" \
    >"$t/brp.out" 2>/dev/null
reasons <"$t/brp.out" >"$t/brp.got"
check "BRP malformed lines quarantined with their reasons" \
    "$d/malformed-brp.expect" "$t/brp.got"
grep -v '^!' "$t/brp.out" | cut -f1 >"$t/brp.ids"
printf 'brp-1\nbrp-9\nbrp-10\nbrp-12\n' >"$t/brp.want"
check "BRP good lines parse (invalid queried BSN of an error kept)" \
    "$t/brp.want" "$t/brp.ids"
# An over-long user and a \u0000 in it are cut or dropped, not a reason
# to lose the lookup: the event is read and flagged damaged (16).
awk -F '\t' '$1 == "brp-9" || $1 == "brp-12" { print $1, $8, $4 }' \
    "$t/brp.out" >"$t/dmg.got"
{
	printf 'brp-9 %s 16\n' "$(printf '%063d' 0 | tr 0 u)"
	printf 'brp-12 ab 16\n'
} >"$t/dmg.want"
check "BRP damaged fields cut or dropped and flagged" "$t/dmg.want" \
    "$t/dmg.got"
# A purpose that is an object is dropped; a \u0000 inside a queried BSN is
# dropped: the lookup is read, of that person, and flagged.
printf '%s\n' '{"event_id":"x1","timestamp":"2026-03-02T10:00:00+01:00","user":"a","purpose":{"x":1},"request_type":"RaadpleegMetBurgerservicenummer","query":{"burgerservicenummer":["12345\u00006782"]},"result_bsns":[],"status":"ok"}' \
    > "$t/obj.jsonl"
"$w" parse -S "$src" -f brp-audit-jsonl "$t/obj.jsonl" 2>/dev/null |
    awk -F '\t' '{ print $1, $4, $11, $19 }' > "$t/obj.got"
echo "x1 16 - bsn:queried:123456782" > "$t/obj.want"
check "an object for a text field, a NUL in a BSN: read and flagged" \
    "$t/obj.want" "$t/obj.got"
# The postcode typed is kept whatever the surname beside it (its length
# once stood in for the postcode's: found by valgrind).
{
	printf '%s\n' '{"event_id":"p1","timestamp":"2026-03-02T10:00:00+01:00","user":"a","request_type":"ZoekMetPostcodeEnHuisnummer","query":{"postcode":"7328 cx","huisnummer":7},"result_bsns":[],"status":"ok"}'
	printf '%s\n' '{"event_id":"p2","timestamp":"2026-03-02T10:00:00+01:00","user":"a","request_type":"ZoekMetGeslachtsnaamEnGeboortedatum","query":{"geslachtsnaam":"Vos","geboortedatum":"1970-01-01","postcode":"7328CX"},"result_bsns":[],"status":"ok"}'
} > "$t/pc.jsonl"
"$w" parse -S "$src" -f brp-audit-jsonl "$t/pc.jsonl" 2>/dev/null |
    awk -F '\t' '{ print $1, $14, $17, $18 }' > "$t/pc.got"
printf 'p1 - 7328CX 7\np2 Vos 7328CX 0\n' > "$t/pc.want"
check "a postcode search keeps its postcode, with or without a surname" \
    "$t/pc.want" "$t/pc.got"
"$w" parse -S "$src" -f rdw-audit-csv "$d/malformed-rdw.csv" \
    >"$t/rdw.out" 2>/dev/null
reasons <"$t/rdw.out" >"$t/rdw.got"
check "RDW malformed lines quarantined with their reasons" \
    "$d/malformed-rdw.expect" "$t/rdw.got"
grep -v '^!' "$t/rdw.out" | cut -f1,4 >"$t/rdw.ids"
printf 'rdw-1\t0\nrdw-8\t2\nrdw-9\t1\n' >"$t/rdw.want"
check "RDW good lines parse, DST gap and repeated hour flagged" \
    "$t/rdw.want" "$t/rdw.ids"
# A 10 MB line between two good ones.
{
	head -n 1 "$d/malformed-brp.jsonl"
	printf '{"event_id":"brp-big","user":"'
	head -c 10485760 /dev/zero | tr '\0' 'a'
	printf '"}\n'
	sed -n 10p "$d/malformed-brp.jsonl"
} >"$t/big.jsonl"
"$w" parse -S "$src" -f brp-audit-jsonl "$t/big.jsonl" >"$t/big.out" \
    2>/dev/null
reasons <"$t/big.out" >"$t/big.got"
printf '2\tline too long\n' >"$t/big.want"
check "10 MB line quarantined as too long" "$t/big.want" "$t/big.got"
n=$((n + 1))
if [ "$(grep -c -v '^!' "$t/big.out")" -eq 2 ]; then
	echo "ok $n - lines around the 10 MB line still parse"
else
	echo "not ok $n - lines around the 10 MB line still parse"
fi
echo "1..$n"
