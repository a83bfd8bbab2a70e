#!/bin/sh
# vg.sh: the test runner of `make check-valgrind` (automake's LOG_COMPILER).
# A test program runs under valgrind memcheck; a shell test runs as it is,
# but with WACHTER and WACHTERD pointing at wrappers that start the real
# programs under memcheck. Each process writes its report to
# tests/tmp/valgrind/<test>/<pid>.log; any error, or memory definitely lost
# at exit, fails the test ("Bail out!") with the report in its log.
set -u
test=$1
shift
top_builddir=$(cd "${top_builddir:-.}" && pwd)
top_srcdir=$(cd "${top_srcdir:-.}" && pwd)
name=$(basename "$test" .sh)
dir=$top_builddir/tests/tmp/valgrind/$name
rm -rf "$dir"
mkdir -p "$dir/bin"

# The memcheck command line: every error fails, and so does memory
# definitely lost at exit (possibly lost and still reachable do not).
vg="valgrind --tool=memcheck --error-exitcode=97 --leak-check=full"
vg="$vg --show-leak-kinds=definite --errors-for-leak-kinds=definite"
vg="$vg --track-origins=yes --num-callers=30"
vg="$vg --suppressions=$top_srcdir/tests/valgrind/wachter.supp"
vg="$vg --log-file=$dir/%p.log"

for prog in wachter wachterd; do
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$vg" \
	    "$top_builddir/daemon/$prog" > "$dir/bin/$prog"
	chmod 755 "$dir/bin/$prog"
done

case $test in
*.sh)
	TEST_WACHTER=$dir/bin/wachter TEST_WACHTERD=$dir/bin/wachterd \
	    sh "$test" "$@"
	;;
*)
	# shellcheck disable=SC2086
	$vg "$test" "$@"
	;;
esac
status=$?

# A report whose error summary is above zero fails (definite leaks count
# as errors). A process killed on purpose (kill -9) writes no summary: its
# report fails if it holds an error's stack trace.
bad=
for f in "$dir"/*.log; do
	[ -f "$f" ] || continue
	if grep -q 'ERROR SUMMARY:' "$f"; then
		grep -q 'ERROR SUMMARY: [1-9]' "$f" && bad="$bad $f"
	elif grep -qE '^==[0-9]+==    at 0x' "$f"; then
		bad="$bad $f"
	fi
done
if [ -n "$bad" ]; then
	for f in $bad; do
		echo "# valgrind report $f:"
		head -n 100 "$f" | sed 's/^/# /'
	done
	echo "Bail out! valgrind found errors in$bad"
	exit 1
fi
exit "$status"
