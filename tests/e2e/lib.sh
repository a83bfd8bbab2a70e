# lib.sh: TAP helpers for end-to-end shell tests, and paths to the build.
# Tests print TAP; automake's tap-driver.sh counts it.

top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
TOOLS=$top_builddir/tests/tools
# make check-valgrind (tests/valgrind/vg.sh) puts wrappers that run them
# under memcheck in their place.
WACHTER=${TEST_WACHTER:-$top_builddir/daemon/wachter}
WACHTERD=${TEST_WACHTERD:-$top_builddir/daemon/wachterd}
TEST_TMP=${TEST_TMP:-$top_builddir/tests/tmp}
mkdir -p "$TEST_TMP"
_tap_n=0
_tap_failed=0

plan() { echo "1..$1"; }

# ok COND-STATUS NAME
ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
	fi
}

# is GOT WANT NAME
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got '$1', want '$2'"
	fi
}

# like TEXT REGEX NAME
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '%s\n' "$1" | head -n 5 | sed 's/^/#   /'
	fi
}

diag() { echo "# $*"; }
diag_stdin() { sed 's/^/# /'; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

# wait_quiet FILE SECONDS: wait until FILE stopped growing for SECONDS.
wait_quiet() {
	_last=-1
	_same=0
	while [ "$_same" -lt "$2" ]; do
		sleep 1
		_size=$(wc -c < "$1")
		if [ "$_size" = "$_last" ]; then
			_same=$((_same + 1))
		else
			_same=0
		fi
		_last=$_size
	done
}

# wait_for SECONDS COMMAND...: retry COMMAND until it succeeds.
wait_for() {
	_t=$(($1 * 10))
	shift
	while [ "$_t" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}
