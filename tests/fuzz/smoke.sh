#!/bin/sh
# smoke.sh: `make fuzz-smoke`: run each libFuzzer harness for FUZZ_SECONDS
# (default 60) from its seeds in the repository. Fails on the first crash,
# leak or sanitizer report; prints each harness's executions.
# Usage: smoke.sh SRCDIR HARNESS...
set -u
src=$1
shift
secs=${FUZZ_SECONDS:-60}
fail=0
seeds() {	# harness -> seed files
	case $1 in
	fuzz_json|fuzz_parser) echo "$src/tests/data/malformed-brp.jsonl $src/tests/data/malformed-rdw.csv" ;;
	fuzz_srcdef) echo "$src"/contrib/sources/*.yaml ;;
	fuzz_rules|fuzz_match) echo "$src"/rules/*.yaml ;;
	fuzz_conf) echo "$src/contrib/wachter.conf.example" ;;
	fuzz_ref) echo "$src"/rules/tests/*.csv ;;
	fuzz_chain) echo "$src"/tests/fuzz/corpus/since/* ;;
	*) echo "$src/tests/fuzz/corpus/${1#fuzz_}"/* ;;
	esac
}
for h in "$@"; do
	name=$(basename "$h")
	dir=tests/fuzz/run/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	for f in $(seeds "$name"); do
		[ -f "$f" ] && cp "$f" "$dir/"
	done
	if "$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 "$dir" > "$dir.log" 2>&1; then
		printf '%-14s ok   %s\n' "$name" \
		    "$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir.log") runs in ${secs}s"
	else
		printf '%-14s FAIL (see %s)\n' "$name" "$dir.log"
		grep -m 5 -E 'ERROR|SUMMARY|deadly' "$dir.log" | sed 's/^/    /'
		fail=1
	fi
done
exit $fail
