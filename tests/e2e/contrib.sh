#!/bin/sh
# contrib.sh: the shipped systemd unit verifies cleanly and stays sandboxed
# (exposure below 2.0), the sysusers and tmpfiles snippets apply to an empty
# root, and the example configuration parses and names every key.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

plan 8
d=$(mktemp -d "$TEST_TMP/contrib.XXXXXX")
unit=$top_srcdir/contrib/wachterd.service

# verify UNITFILE: systemd-analyze's complaints (warnings do not change
# its exit status, so any output counts as a failure).
verify() {
	systemd-analyze verify --man=no "$1" 2>&1
	echo "rc=$?"
}

if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$d/ok" "$d/bad"
	# The binary must exist for verify: point the unit at the build.
	sed "s|/usr/sbin/wachterd|$top_builddir/daemon/wachterd|" "$unit" \
	    > "$d/ok/wachterd.service"
	out=$(verify "$d/ok/wachterd.service")
	is "$out" "rc=0" "systemd-analyze verify: no complaints"
	sed 's/^ProtectSystem=/ProtectSistem=/' "$d/ok/wachterd.service" \
	    > "$d/bad/wachterd.service"
	out=$(verify "$d/bad/wachterd.service")
	like "$out" "Unknown key 'ProtectSistem'" "a misspelt key is noticed"
	score=$(systemd-analyze security --offline=true "$unit" 2>/dev/null |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -n "$score" ]; then
		ok "$(awk -v s="$score" 'BEGIN { exit !(s < 2.0) }'; echo $?)" \
		    "exposure $score below 2.0"
		rec=$(grep -i "exposure [0-9]" "$unit" |
		    sed 's/.*exposure \([0-9.]*\).*/\1/')
		diag "measured $score, recorded in the unit $rec"
		ok "$(awk -v s="$rec" 'BEGIN { exit !(s != "" && s < 2.0) }'
		    echo $?)" "the unit records an exposure below 2.0"
	else
		ok 0 "exposure # SKIP systemd-analyze security --offline unsupported"
		ok 0 "recorded exposure # SKIP"
	fi
else
	for i in 1 2 3 4; do ok 0 "unit checks # SKIP no systemd-analyze"; done
fi

if [ "$(id -u)" = 0 ] && command -v systemd-sysusers >/dev/null 2>&1 &&
    command -v systemd-tmpfiles >/dev/null 2>&1; then
	r=$d/root
	mkdir -p "$r/etc"
	systemd-sysusers --root="$r" "$top_srcdir/contrib/wachter.sysusers" \
	    > "$d/sysusers.out" 2>&1
	like "$(cat "$r/etc/passwd")" '^wachter:x:[0-9]+:[0-9]+:.*:/var/lib/wachter:/usr/sbin/nologin$' \
	    "sysusers creates the wachter account"
	systemd-tmpfiles --root="$r" --create \
	    "$top_srcdir/contrib/wachter.tmpfiles" > "$d/tmpfiles.out" 2>&1
	is "$(stat -c '%a' "$r/var/lib/wachter/keys" 2>&1)" 700 \
	    "tmpfiles creates a private key folder"
else
	ok 0 "sysusers # SKIP needs root and systemd-sysusers"
	ok 0 "tmpfiles # SKIP needs root and systemd-tmpfiles"
fi

out=$("$TOOLS/confcheck" "$top_srcdir/contrib/wachter.conf.example" 2>&1)
is "$out" "configuration OK" "the example configuration parses"

# Every key the parser knows (the key lists in lib/conf/conf.c) appears
# in the example, so none goes undocumented.
missing=""
for k in $(awk '/_keys\[\] = \{/ { on = 1 } on { print } /\};/ { on = 0 }' \
    "$top_srcdir/lib/conf/conf.c" |
    grep -o '"[a-z_]*"' | tr -d '"'); do
	grep -Eq "^ *(- )?$k:" "$top_srcdir/contrib/wachter.conf.example" ||
	    missing="$missing $k"
done
is "$missing" "" "every configuration key is in the example"
rm -rf "$d"
