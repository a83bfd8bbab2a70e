#!/bin/sh
# smoke.sh: the benchmark harness at a tiny scale: the generator is
# deterministic, its misuse is found, and bench.sh prints its table with
# the SQL baseline on the test PostgreSQL.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
plan 16
T=$TEST_TMP/bench-smoke
rm -rf "$T"
mkdir -p "$T"
G=$top_srcdir/tests/bench/gen.py
python3 "$G" "$T/a" --lookups 3000 --cases 400 >/dev/null
python3 "$G" "$T/b" --lookups 3000 --cases 400 >/dev/null
python3 "$G" "$T/c" --lookups 3000 --cases 400 --seed 2 >/dev/null
same=0
for f in brp-audit.jsonl rdw-audit.csv cases.csv persons.csv appointments.csv; do
	cmp -s "$T/a/$f" "$T/b/$f" || same=1
done
ok $same "same seed, same corpus"
cmp -s "$T/a/brp-audit.jsonl" "$T/c/brp-audit.jsonl"
ok $((1 - $?)) "another seed, another corpus"
n=$(grep -c '"event_id"' "$T/a/brp-audit.jsonl")
like "$n" '^[0-9]{4}$' "about 3000 BRP lookups ($n)"
"$WACHTER" eval "$T/a" --rules "$top_srcdir/rules" \
    --sources "$top_srcdir/contrib/sources" >"$T/eval.out" 2>&1
like "$(cat "$T/eval.out")" 'incident recall: 1\.000' "every injected incident found"
BENCH_DIR=$T/bench BENCH_DB=wachter_bench_smoke BENCH_LOOKUPS=2000 \
    BENCH_VERIFY_RECORDS=3000 BENCH_BURST=500 BENCH_LIVE_SECONDS=4 \
    BENCH_LIVE_RATE=500 BENCH_LIVE_EVERY=50 BENCH_LIVE_CASES=2000 \
    BENCH_LIVE_OFFICIALS=60 \
    BENCH_CASES=300 BENCH_FIXED_CASES=200 BENCH_FIXED_LOOKUPS=2000 \
    sh "$top_srcdir/tests/bench/bench.sh" >"$T/bench.out" 2>&1
n=$(awk '$1 == 2000 && $2 == 300 { print $3 }' "$T/bench/results.tsv")
like "$n" '^[0-9]{4}$' "bench ran wachter eval over the corpus ($n lookups)"
like "$(cat "$T/bench.out")" '^2000 +300 ' "bench prints the corpus' row"
sqls=$(awk '$1 == 2000 && $2 == 300 { print $8 }' "$T/bench/results.tsv")
like "$sqls" '^[0-9]+\.[0-9]+$' "bench timed the SQL baseline ($sqls s)"
sc=$(awk '$1 == 2000 && $2 == 300 { print $6 }' "$T/bench/scan.tsv")
is "$sc" "$(cat "$T"/bench/L2000-C300/brp-audit.jsonl \
    "$T"/bench/L2000-C300/rdw-audit.csv | wc -l)" \
    "bench ran wachter scan over every line of the corpus"
like "$(awk '$1 == 2000 && $2 == 300 { print $12, $13 }' "$T/bench/scan.tsv")" \
    '^[0-9]{4} [0-9]+\.[0-9]+$' "bench measured the ledger's floor after the scan"
is "$(awk '{ print $1, $2 }' "$T/bench/verify.tsv")" "3000 0" \
    "bench verified a chain of 3000 records, and it verified"
like "$(cat "$T/bench.out")" '^3000 +0 ' "bench prints verify's row"
like "$(awk '{ print $8, $9 }' "$T/bench/verify.tsv")" '^[0-9.]+ [0-9]+$' \
    "bench exported the same chain to a bundle"
is "$(awk '{ print $6, $12 }' "$T/bench/burst.tsv")" "500 0" \
    "the burst committed an alert per line, the baseline none"
like "$(awk '{ print $3, $4 }' "$T/bench/live.tsv")" '^([1-9][0-9]*) \1$' \
    "every urgent line written to the live log was committed as an alert"
like "$(awk '{ print $13 }' "$T/bench/live.tsv")" '^[0-9]+\.[0-9]+$' \
    "the live daemon reloaded its reference data during the run"
like "$(cat "$T/bench.out")" '^live:' "bench prints the live run"
[ "$_tap_failed" = 0 ] || sed 's/^/# /' "$T/eval.out" "$T/bench.out"
rm -rf "$T"
