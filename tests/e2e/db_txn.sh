#!/bin/sh
# db_txn.sh: daemon/store/db.c commits a transaction of 100,000 single-row
# statements and 100,000 rows in batches (given to libpq a piece at a
# time as the socket drains), with the rows of a statement half-way
# through handed back; a transaction failing at its end leaves nothing;
# after the reconnect that follows, statements are prepared again and
# commit. The rows are read back: every value as it was sent (text with
# quotes, a backslash and UTF-8; NULLs; bytes of every value).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/pg.sh"

N=100000
T=$(mktemp -d /tmp/db_txn.XXXXXX)
chmod 755 "$T"
if [ -z "${PGHOST:-}" ]; then
	pg_start "$T/pg" >/dev/null || { echo "1..0 # SKIP no PostgreSQL"; exit 0; }
	trap 'pg_stop "$T/pg"; rm -rf "$T"' EXIT
else
	trap 'rm -rf "$T"' EXIT
fi
plan 8

dropdb --if-exists db_txn 2>/dev/null
createdb db_txn || { echo "Bail out! createdb"; exit 1; }
DSN="host=$PGHOST dbname=db_txn user=${PGUSER:-postgres}"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DSN" -c "$1"; }
q "CREATE TABLE public.dbtxn (n bigint PRIMARY KEY, v text NOT NULL);
    CREATE TABLE public.dbtxn_b (n bigint PRIMARY KEY, t text, v bytea NOT NULL)" ||
    { echo "Bail out! tables"; exit 1; }

"$TOOLS/dbtxn" "$DSN" "$N" >"$T/out" 2>"$T/err"
ok $? "the tool ran its three transactions"
sed 's/^/# /' "$T/out" "$T/err"
is "$(sed -n 's/^step 1: //p' "$T/out" | tr '\n' ' ')" \
    "count $((N / 2)) committed " \
    "the large one committed, the rows half-way counted what came before"
is "$(sed -n 's/^step 2: //p' "$T/out")" "failed" "the one with a duplicate key failed"
is "$(sed -n 's/^step 3: //p' "$T/out")" "committed" \
    "after the reconnect, statements prepared again commit"
is "$(q "SELECT count(*), sum(n) FROM public.dbtxn")" \
    "$((N + 10))|$(( (N + 10) * (N + 11) / 2 ))" \
    "single-row statements: every row once, none of the failed one"
is "$(q "SELECT count(*), sum(n) FROM public.dbtxn_b")" \
    "$((N + 10))|$(( (N + 10) * (N + 11) / 2 ))" \
    "batches: every row once, none of the failed one"
is "$(q "SELECT count(*) FROM public.dbtxn d JOIN public.dbtxn_b b USING (n)
    WHERE d.v = format('row \"%s\" \\ é', n) AND b.t IS NOT DISTINCT FROM
    CASE WHEN n % 7 = 0 THEN NULL ELSE d.v END")" "$((N + 10))" \
    "texts as sent, NULLs where sent"
is "$(q "SELECT count(*) FROM public.dbtxn_b WHERE v =
    decode(repeat(lpad(to_hex(n % 256), 2, '0'), 200), 'hex')")" "$((N + 10))" \
    "bytes as sent"
dropdb db_txn 2>/dev/null
