#!/bin/sh
# keygen_root.sh: the root secret never lands in the daemon's key folder.
# keygen writes it beside the folder (or to -r FILE) for the operator to
# move offline, and wachterd warns loudly while it finds one in or beside
# its key folder.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

plan 8
wd_setup keygen || { echo "Bail out! setup failed"; exit 1; }
ok "$([ ! -e "$W/keys/root.key" ] && [ -s "$W/keys.root.key" ]; echo $?)" \
    "keygen writes the root secret beside the key folder, not in it"
is "$(stat -c %a "$W/keys.root.key")" 600 "...mode 0600"
"$WACHTER" keygen -n test.invalid/r -r "$W/elsewhere.key" "$W/keys2" \
    >/dev/null 2>"$W/keygen.err"
ok "$([ -s "$W/elsewhere.key" ] && [ ! -e "$W/keys2.root.key" ] && [ ! -e "$W/keys2/root.key" ]; echo $?)" \
    "-r FILE puts it where the operator says"
like "$(cat "$W/keygen.err")" "Move it offline now" "keygen says to move it offline"
started() {
	: > "$W/wachterd.log"
	wd_start
	wait_for 300 grep -q "rdw.csv: reading" "$W/wachterd.log"
	wd_stop
}
started
like "$(cat "$W/wachterd.log")" "WARNING: the root secret .*/keys.root.key is on this host" \
    "wachterd warns while the secret is beside its key folder"
mv "$W/keys.root.key" "$W/keys/root.key"
started
like "$(cat "$W/wachterd.log")" "WARNING: the root secret .*/keys/root.key is on this host" \
    "...or in it"
mv "$W/keys/root.key" "$W/offline.key"
started
ok "$(grep -q "root secret" "$W/wachterd.log"; [ $? != 0 ]; echo $?)" \
    "no warning once it is gone"
is "$WD_RC" 0 "the daemon runs either way"
