#!/bin/sh
# chain_tamper.sh: tamper with a real chain in PostgreSQL as a superuser who
# disables the triggers, once per kind of attack, and check that
# `wachter verify` catches each one and says what is wrong. An untouched
# chain must verify under odd session settings, from the database and from
# an exported bundle.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
. "$top_srcdir/tests/pg.sh"
WACHTER=$top_builddir/daemon/wachter
FILL=$top_builddir/tests/chain/chain_fill
MIG=$top_srcdir/daemon/store/migrations
# Migration 0001 is the base schema's; the stub stands in where it is absent.
BASE=$MIG/0001_base.sql
[ -f "$BASE" ] || BASE=$top_srcdir/tests/chain/0001_stub.sql
# Once the binaries embed the chain migrations, use `wachter db migrate`.
EMBEDDED=
grep -q 0002_chain "$top_srcdir/daemon/local.mk" "$top_srcdir/daemon/chain.mk" 2>/dev/null && EMBEDDED=1
T=$(mktemp -d /tmp/chain_tamper.XXXXXX)
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

# A fresh database DB with keys in $T/DB and 12 records over 3 epochs.
setup() {
	pg_newdb "$1" >/dev/null
	if [ -n "$EMBEDDED" ]; then
		"$WACHTER" db migrate -d "dbname=$1" >/dev/null || return 1
	else
		for f in "$BASE" "$MIG/0002_chain.sql" "$MIG/0003_triage.sql"; do
			psql -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null 2>&1 || return 1
		done
	fi
	rm -rf "$T/$1"
	"$WACHTER" keygen -n "${2:-test.example/alerts}" "$T/$1" >/dev/null &&
	    "$FILL" -k "$T/$1/sink" "$T/$1" "dbname=$1" 12
}

# Run SQL as the superuser with the chain's triggers disabled.
tamper() {
	psql -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
ALTER TABLE wachter.chain_record DISABLE TRIGGER ALL;
ALTER TABLE wachter.chain_checkpoint DISABLE TRIGGER ALL;
$1
ALTER TABLE wachter.chain_record ENABLE ALWAYS TRIGGER chain_record_no_change;
ALTER TABLE wachter.chain_record ENABLE ALWAYS TRIGGER chain_record_no_truncate;
ALTER TABLE wachter.chain_checkpoint ENABLE ALWAYS TRIGGER chain_checkpoint_no_change;
ALTER TABLE wachter.chain_checkpoint ENABLE ALWAYS TRIGGER chain_checkpoint_no_truncate;
SQL
}

# Verify DB; expect failure and a finding matching the pattern.
caught() {
	db=$1 name=$2 pattern=$3
	shift 3
	"$WACHTER" verify --db "dbname=$db" --root-pubkey "$T/$db/root.pub" \
	    --max-age 0 "$@" >"$T/out" 2>&1
	rc=$?
	if [ $rc = 1 ] && grep -q "$pattern" "$T/out"; then
		tap 0 "caught: $name"
	else
		tap 1 "caught: $name (rc $rc)"
		sed 's/^/# /' "$T/out"
	fi
}

# An untouched chain, under odd session settings.
ODD="-c TimeZone=Pacific/Chatham -c DateStyle=SQL,DMY -c bytea_output=escape -c IntervalStyle=sql_standard -c extra_float_digits=-15"
PGOPTIONS=$ODD setup good
tap $? "a chain of 12 records is written under odd session settings"
for opts in "" "$ODD" "-c TimeZone=America/St_Johns -c DateStyle=German -c bytea_output=hex"; do
	PGOPTIONS=$opts "$WACHTER" verify --db "dbname=good" --max-age 0 \
	    --root-pubkey "$T/good/root.pub" --since-checkpoint "$T/good/sink" >"$T/out" 2>&1
	tap $? "an untouched chain verifies (PGOPTIONS: ${opts:-none})"
done
grep -q "OK: 12 records, 7 checkpoints, epoch 3" "$T/out"
tap $? "verify reports records, checkpoints and epochs"
sleep 2	# the chain's times are the certificate's plus milliseconds
"$WACHTER" verify --db "dbname=good" --root-pubkey "$T/good/root.pub" \
    --since-checkpoint "$T/good/sink" --max-age 1 >"$T/out" 2>&1
tap $([ $? = 1 ] && grep -q "error: the newest checkpoint is .* s old" "$T/out" && echo 0 || echo 1) \
    "a newest checkpoint older than --max-age fails (the daemon stopped, or a rollback)"
"$WACHTER" verify --db "dbname=good" --root-pubkey "$T/good/root.pub" --max-age 0 >"$T/out" 2>&1
tap $([ $? = 0 ] && grep -q "warning: no kept checkpoints given" "$T/out" && echo 0 || echo 1) \
    "without kept checkpoints verify says a rollback would pass"
"$WACHTER" verify --db "dbname=good" --root-pubkey "$T/good/root.pub" --max-age 0 \
    --require-kept >"$T/out" 2>&1
tap $([ $? = 1 ] && grep -q "error: no kept checkpoints given (--require-kept)" "$T/out" && echo 0 || echo 1) \
    "--require-kept without kept checkpoints fails"
psql -q -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE
    rolname = 'chain_tamper_auditor') THEN CREATE ROLE chain_tamper_auditor LOGIN;
    END IF; END \$\$; GRANT wachter_auditor TO chain_tamper_auditor" >/dev/null &&
    "$WACHTER" verify --db "dbname=good user=chain_tamper_auditor" --max-age 0 \
    --require-kept --root-pubkey "$T/good/root.pub" --since-checkpoint "$T/good/sink" >"$T/out" 2>&1
tap $? "the auditor role verifies (two connections in one snapshot, catalog checks)"
"$WACHTER" export --db "dbname=good" -o "$T/good.bundle" >/dev/null &&
    "$WACHTER" verify --bundle "$T/good.bundle" --root-pubkey "$T/good/root.pub" \
    --since-checkpoint "$T/good/sink" >"$T/out" 2>&1
tap $? "an exported bundle verifies without the database"
sed '5s/^\(record [0-9]* ...\)./\1A/' "$T/good.bundle" >"$T/bad.bundle"
"$WACHTER" verify --bundle "$T/bad.bundle" --root-pubkey "$T/good/root.pub" >"$T/out" 2>&1
tap $([ $? = 1 ] && echo 0 || echo 1) "an edited bundle fails"
head -n 10 "$T/good.bundle" >"$T/cut.bundle"
"$WACHTER" verify --bundle "$T/cut.bundle" --root-pubkey "$T/good/root.pub" >"$T/out" 2>&1
tap $([ $? = 1 ] && grep -q "no end line" "$T/out" && echo 0 || echo 1) "a cut bundle fails"

setup flip && tamper "UPDATE wachter.chain_record SET record =
    set_byte(record, 120, get_byte(record, 120) # 1) WHERE seq = 5;"
caught flip "flipped byte" "record 5: cannot decode\|root does not match"

setup typed && tamper "UPDATE wachter.chain_record SET summary = 'niets' WHERE seq = 4;"
caught typed "edited typed column" "record 4: column 'summary'"

setup del && tamper "DELETE FROM wachter.chain_record WHERE seq = 6;"
caught del "deleted middle row" "seq column is 7"

setup tail && tamper "DELETE FROM wachter.chain_record WHERE seq > 10;"
caught tail "truncated tail" "records removed from the end"

setup swap && tamper "UPDATE wachter.chain_record SET seq = seq + 1000 WHERE seq IN (3, 4);
    UPDATE wachter.chain_record SET seq = CASE seq WHEN 1003 THEN 4 ELSE 3 END WHERE seq > 1000;"
caught swap "reordered rows" "position 3 holds seq 4"

setup ins && tamper "UPDATE wachter.chain_record SET seq = seq + 1000 WHERE seq >= 6;
    UPDATE wachter.chain_record SET seq = seq - 999 WHERE seq > 1000;
    INSERT INTO wachter.chain_record SELECT 6, epoch, recorded_at,
        sha256('\\x00'::bytea || overlay(record placing '\\x06'::bytea from 13 for 1)),
        kind, severity, incident, user_name, first_at, last_at, score, rules,
        event_ids, subjects, 'verzonnen', explanation,
        overlay(record placing '\\x06'::bytea from 13 for 1)
        FROM wachter.chain_record WHERE seq = 5;"
caught ins "inserted forged row" "root does not match"

setup other other.example/alerts >/dev/null
setup replay && hex=$(psql -d other -At -c "SELECT encode(record, 'hex') FROM wachter.chain_record WHERE seq = 5") &&
    tamper "UPDATE wachter.chain_record SET record = decode('$hex', 'hex'),
        leaf_hash = sha256('\\x00'::bytea || decode('$hex', 'hex')) WHERE seq = 5;"
caught replay "a row replayed from another installation" "another installation"

setup cpdel && tamper "DELETE FROM wachter.chain_checkpoint WHERE n = 2;"
caught cpdel "deleted checkpoint" "checkpoint deleted"

setup roll && tamper "DELETE FROM wachter.chain_record WHERE seq > 8;
    DELETE FROM wachter.chain_checkpoint WHERE n > 4;"
caught roll "rolled-back checkpoint (against the sink)" "kept checkpoint" \
    --since-checkpoint "$T/roll/sink"

setup roll2 && tamper "UPDATE wachter.chain_checkpoint SET
    (epoch, tree_size, signed_at, root_hash, seal, note) =
    (SELECT epoch, tree_size, signed_at, root_hash, seal, note
     FROM wachter.chain_checkpoint WHERE n = 5) WHERE n = 7;"
caught roll2 "latest checkpoint replaced by an older one" "rolled back\|says number 5"

setup epoch && tamper "DELETE FROM wachter.chain_checkpoint WHERE epoch = 2;"
caught epoch "missing epoch" "never sealed"

setup resign && tamper "DELETE FROM wachter.chain_record; DELETE FROM wachter.chain_checkpoint;" &&
    "$FILL" -f "$T/resign" "dbname=resign" 12
caught resign "history re-signed with a later epoch key" "not signed by the key of epoch 1"

setup wipe && tamper "DELETE FROM wachter.chain_record; DELETE FROM wachter.chain_checkpoint;"
caught wipe "everything deleted" "no signed checkpoint"
caught wipe "everything deleted (against the sink)" "kept checkpoint 7" \
    --since-checkpoint "$T/wipe/sink"

setup bad && tamper "UPDATE wachter.chain_checkpoint SET note =
    convert_to(E'test.example/alerts\\nten\\n', 'UTF8') WHERE n = 3;"
caught bad "malformed checkpoint" "checkpoint 3: malformed"

setup sig && note=$(psql -At -c "SELECT encode(note, 'base64') FROM wachter.chain_checkpoint WHERE n = 3" | tr -d '\n') &&
    new=$(python3 - "$note" <<'PY'
import base64, sys
note = base64.b64decode(sys.argv[1]).decode()
body, sig = note.rsplit(" ", 1)
raw = bytearray(base64.b64decode(sig))
L = 2**252 + 27742317777372353535851937790883648493
s = int.from_bytes(raw[36:68], "little") + L
raw[36:68] = s.to_bytes(32, "little")
print(base64.b64encode((body + " " + base64.b64encode(bytes(raw)).decode() + "\n").encode()).decode())
PY
) && tamper "UPDATE wachter.chain_checkpoint SET note = decode('$new', 'base64') WHERE n = 3;"
caught sig "non-canonical signature (S + L)" "checkpoint 3: not signed.*bad signature"

setup time && tamper "UPDATE wachter.chain_record SET
    record = overlay(record placing '\\x0006270c8e3b0000'::bytea from 18 for 8) WHERE seq = 6;
    UPDATE wachter.chain_record SET leaf_hash = sha256('\\x00'::bytea || record),
    recorded_at = timestamptz 'epoch' + x'0006270c8e3b0000'::bigint * interval '1 microsecond' WHERE seq = 6;"
caught time "non-monotonic times" "record 6: time .* is before the previous"

setup lbound && tamper "UPDATE wachter.chain_record SET rules =
    ('[0:' || (cardinality(rules) - 1) || ']=' || rules::text)::text[] WHERE seq = 4;"
caught lbound "array column indexed from 0" "record 4: column 'rules' is not a one-dimensional array indexed from 1"

setup twod && tamper "UPDATE wachter.chain_record SET event_ids = ARRAY[event_ids, event_ids] WHERE seq = 4;"
caught twod "a two-dimensional array, named by its column" "record 4: column 'event_ids' is not"

setup cert2 && psql -q -v ON_ERROR_STOP=1 -c "INSERT INTO wachter.chain_certificate
    SELECT 2, note FROM wachter.chain_certificate WHERE epoch = 1" >/dev/null
caught cert2 "an extra certificate row" "a certificate row for epoch 2"

setup trig && psql -q -v ON_ERROR_STOP=1 -c "ALTER TABLE wachter.chain_record
    ENABLE TRIGGER chain_record_no_change" >/dev/null
caught trig "an append-only trigger no longer ALWAYS" "chain_record_no_change is not enabled ALWAYS"

pg_newdb early >/dev/null && "$WACHTER" db migrate -d "dbname=early" >/dev/null &&
    rm -rf "$T/early" && "$WACHTER" keygen -n test.example/alerts "$T/early" >/dev/null &&
    "$FILL" -t 1700000000000000 "$T/early" "dbname=early" 4
caught early "times before the epoch certificate" "record 1: time is before the epoch certificate's"

"$WACHTER" export --db "dbname=good" -o "$T/good2.bundle" >/dev/null &&
    head -c -1 "$T/good2.bundle" >"$T/nonl.bundle"
"$WACHTER" verify --bundle "$T/nonl.bundle" --root-pubkey "$T/good/root.pub" >"$T/out" 2>&1
tap $([ $? = 1 ] && grep -q "nonl.bundle:[0-9]*: malformed" "$T/out" && echo 0 || echo 1) \
    "a bundle whose last line lacks its newline fails"

echo "1..$n"
exit $fail
