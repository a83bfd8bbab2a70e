#!/bin/sh
# chain_schema.sh: the chain tables are append-only for every role, even
# with session_replication_role = replica; the daemon, officer and auditor
# roles get exactly their privileges; triage is stamped and append-only;
# secret key files that others can read are refused.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
. "$top_srcdir/tests/pg.sh"
WACHTER=$top_builddir/daemon/wachter
FILL=$top_builddir/tests/chain/chain_fill
MIG=$top_srcdir/daemon/store/migrations
# Migration 0001 is the base schema's; the stub stands in where it is absent.
BASE=$MIG/0001_base.sql
[ -f "$BASE" ] || BASE=$top_srcdir/tests/chain/0001_stub.sql
T=$(mktemp -d /tmp/chain_schema.XXXXXX)
chmod 755 "$T"
n=0
fail=0

if [ -z "$PGHOST" ]; then
	pg_start "$T/pg" || { echo "1..0 # SKIP no PostgreSQL"; exit 0; }
	trap 'pg_stop "$T/pg"; rm -rf "$T"' EXIT
else
	trap 'rm -rf "$T"' EXIT
fi

# Print one TAP line.
tap() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

# SQL that must fail with a message matching the pattern.
refused() {
	out=$(psql -v ON_ERROR_STOP=1 -qAt -c "$1" 2>&1)
	if [ $? != 0 ] && echo "$out" | grep -q "$2"; then
		tap 0 "refused: $3"
	else
		tap 1 "refused: $3"; echo "# $out"
	fi
}

# SQL that must succeed and print the expected value.
gives() {
	out=$(psql -v ON_ERROR_STOP=1 -qAt -c "$1" 2>&1)
	[ "$out" = "$2" ]
	tap $? "$3"
	[ "$out" = "$2" ] || echo "# got: $out"
}

pg_newdb schema >/dev/null
for f in "$BASE" "$MIG/0002_chain.sql" \
    "$MIG/0003_triage.sql" "$MIG/0010_chain_guard.sql"; do
	psql -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null
	tap $? "migration $(basename "$f") applies with plain psql"
done
"$WACHTER" keygen "$T/k" >/dev/null && "$FILL" "$T/k" "dbname=schema" 4
tap $? "four records written"

refused "UPDATE wachter.chain_record SET summary = 'x'" "append-only" "UPDATE by a superuser"
refused "DELETE FROM wachter.chain_checkpoint" "append-only" "DELETE by a superuser"
refused "TRUNCATE wachter.chain_record CASCADE" "append-only" "TRUNCATE by a superuser"
refused "SET session_replication_role = replica; DELETE FROM wachter.chain_record" \
    "append-only" "DELETE with session_replication_role = replica"
refused "SET ROLE wachter_daemon; UPDATE wachter.chain_record SET summary = 'x'" \
    "permission denied" "UPDATE by the daemon role"
gives "SELECT has_table_privilege('wachter_daemon', 'wachter.chain_record', 'INSERT'),
    has_table_privilege('wachter_daemon', 'wachter.chain_record', 'UPDATE')" "t|f" \
    "the daemon role may INSERT, not UPDATE"
refused "SET ROLE wachter_officer; SELECT count(*) FROM wachter.chain_record" \
    "permission denied" "officer reading the raw chain"
gives "SET ROLE wachter_officer; SELECT count(*), min(status) FROM wachter.alert_current" \
    "4|new" "officer reads the alert view; every alert starts new"
gives "SET ROLE wachter_officer; INSERT INTO wachter.triage (seq, status, note)
    VALUES (2, 'under_investigation', 'gebeld'), (2, 'false_positive', 'zaak gevonden');
    SELECT status || ',' || triaged_by FROM wachter.alert_current WHERE seq = 2" \
    "false_positive,postgres" "triage: the latest decision wins, stamped with the user"
refused "SET ROLE wachter_officer; INSERT INTO wachter.triage (seq, status, officer)
    VALUES (1, 'closed', 'someone_else')" "permission denied" "officer writing another's name"
refused "UPDATE wachter.triage SET status = 'closed'" "append-only" "editing triage history"
refused "SET ROLE wachter_officer; INSERT INTO wachter.triage (seq, status) VALUES (99, 'closed')" \
    "foreign key" "triage of an alert that does not exist"
gives "SET ROLE wachter_auditor; SELECT count(*) FROM wachter.chain_checkpoint" "3" \
    "the auditor reads the chain"
refused "SET ROLE wachter_auditor; INSERT INTO wachter.triage (seq, status) VALUES (1, 'closed')" \
    "permission denied" "auditor writing triage"

mode=$(stat -c %a "$T/k/epoch.key")
[ "$mode" = 600 ]
tap $? "keygen creates the epoch key 0600"
chmod 640 "$T/k/epoch.key"
"$FILL" "$T/k" "dbname=schema" 1 2>"$T/err"
[ $? != 0 ] && grep -q "readable by group or others" "$T/err"
tap $? "a group-readable epoch key is refused"
chmod 600 "$T/k/epoch.key"
if [ "$(id -u)" = 0 ]; then
	chown postgres "$T/k/epoch.key"
	"$FILL" "$T/k" "dbname=schema" 1 2>"$T/err"
	[ $? != 0 ] && grep -q "not by the running user" "$T/err"
	tap $? "an epoch key owned by another user is refused"
	chown 0 "$T/k/epoch.key"
fi
"$WACHTER" keygen "$T/k" >/dev/null 2>"$T/err"
[ $? != 0 ] && grep -q "File exists" "$T/err"
tap $? "keygen never overwrites keys"
echo "1..$n"
exit $fail
