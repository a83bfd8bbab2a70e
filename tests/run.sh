#!/bin/sh
# run.sh: the test command. Installs what is missing, builds in $BUILDDIR
# (default _build), starts a throwaway PostgreSQL for the tests, runs
# `make check`, stops the server and ends with "N passed, N failed".
# Extra arguments go to configure (e.g. --enable-asan). CHECK_TARGET runs
# another check target instead (check-valgrind: its log is
# test-suite-valgrind.log).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILDDIR:-$top/_build}
target=${CHECK_TARGET:-check}
sh "$top/contrib/install-deps.sh" || exit 1
sh "$top/contrib/build.sh" "$@" || { echo "0 passed, 1 failed"; exit 1; }
. "$top/tests/pg.sh"
pg_stop "$build/tests/pg" 2>/dev/null
rm -rf "$build/tests/pg"
pg_start "$build/tests/pg" || { echo "0 passed, 1 failed"; exit 1; }
(cd "$build" && make -s -j"$(nproc)" "$target" >/dev/null 2>&1)
status=$?
pg_stop "$build/tests/pg"
# Every test's verdicts, from automake's logs.
log=$build/test-suite${target#check}.log
count() { sed -n "s/^# $1: *//p" "$log" | head -n 1; }
pass=$(count PASS); fail=$(count FAIL); err=$(count ERROR); xpass=$(count XPASS)
pass=${pass:-0}; fail=$((${fail:-0} + ${err:-0} + ${xpass:-0}))
if [ "$status" != 0 ] || [ "$fail" != 0 ]; then
	grep -E '^(FAIL|ERROR|XPASS):' "$build"/tests/*.log "$build"/tests/*/*.log 2>/dev/null | head -n 40
	sed -n '/^FAIL\|^ERROR/,/^$/p' "$log" | head -n 80
	[ "$fail" = 0 ] && fail=1
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
