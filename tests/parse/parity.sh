#!/bin/sh
# parity.sh: dev, dev-ldv and dev-gateway (the same lookups in three log
# shapes) parse into the same events, and exactly the labelled malformed
# lines are quarantined. SKIPs without the corpus or python3.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
data=
for d in /work/shared/data "$top_srcdir/../shared/data"; do
	[ -f "$d/dev/manifest.json" ] && data=$d && break
done
if [ -z "$data" ]; then
	echo "1..0 # SKIP corpus not found (../shared/data)"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not installed"
	exit 0
fi
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
for c in dev dev-ldv dev-gateway; do
	[ -d "$data/$c" ] || continue
	"$top_builddir/daemon/wachter" parse -S "$top_srcdir/contrib/sources" \
	    "$data/$c" >"$t/$c.tsv" 2>"$t/$c.err" || {
		echo "1..1"
		echo "not ok 1 - wachter parse $c"
		sed 's/^/# /' "$t/$c.err"
		exit 0
	}
	sed 's/^/# /' "$t/$c.err"
	set -- "$@" "$t/$c.tsv"
done
python3 "$top_srcdir/tests/parse/parity.py" "$data/dev/labels.csv.gz" "$@"
