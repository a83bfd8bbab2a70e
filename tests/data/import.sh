#!/bin/sh
# import.sh: `wachter import` into a throwaway PostgreSQL: a good export
# loads, a bad one is refused with every bad line and leaves the table as
# it was.
W=$(cd "${top_builddir:-.}" && pwd)/daemon/wachter
S=$(cd "${top_srcdir:-.}" && pwd)
T=$(mktemp -d /tmp/wachter-import.XXXXXX)
chmod 755 "$T"
. "$S/tests/pg.sh"
trap 'pg_stop "$T/pg"; rm -rf "$T"' EXIT
echo "1..7"
if ! pg_start "$T/pg" 2>"$T/pgerr"; then
	cat "$T/pgerr" | sed "s/^/# /"
	for i in 1 2 3 4 5 6 7; do echo "ok $i # SKIP no PostgreSQL"; done
	exit 0
fi
"$W" db migrate -d "" >"$T/log" 2>&1
n=0
t() { n=$((n+1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; sed 's/^/# /' "$T/log"; fi; }
t "cases import" "$W import -d '' cases $S/tests/data/corpus/cases.csv >$T/log 2>&1"
t "all rows are there" \
    "test \$(psql -Atc 'SELECT count(*) FROM wachter.cases') -eq $(($(wc -l <"$S/tests/data/corpus/cases.csv") - 1))"
head -3 "$S/tests/data/corpus/cases.csv" >"$T/bad.csv"
sed -n 4p "$S/tests/data/corpus/cases.csv" | sed 's/2026-03-/yesterday-/' >>"$T/bad.csv"
sed -n 5p "$S/tests/data/corpus/cases.csv" >>"$T/bad.csv"
sed -n 6p "$S/tests/data/corpus/cases.csv" | sed 's/ZAAK-/CASE-/' >>"$T/bad.csv"
t "bad export is refused" "! $W import -d '' cases $T/bad.csv >$T/log 2>&1"
t "every bad line is named" "grep -q 'bad.csv:4: bad opened_at' $T/log && grep -q 'bad.csv:6: bad case_id' $T/log"
t "table unchanged" \
    "test \$(psql -Atc 'SELECT count(*) FROM wachter.cases') -eq $(($(wc -l <"$S/tests/data/corpus/cases.csv") - 1))"
v0=$(psql -Atc "SELECT version FROM wachter.reference_version")
t "staff import bumps the reference version" "$W import -d '' staff $S/tests/data/corpus/employees.csv >$T/log 2>&1 && test \$(psql -Atc 'SELECT count(*) FROM wachter.staff') -eq 5 && test \$(psql -Atc 'SELECT version FROM wachter.reference_version') -gt $v0"
# Each table's own version is the counter's at its last change (0018).
t "the staff's version moved with it, the cases' stayed" "test \$(psql -Atc \"SELECT version FROM wachter.reference_tables WHERE name = 'staff'\") -eq \$(psql -Atc 'SELECT version FROM wachter.reference_version') && test \$(psql -Atc \"SELECT version FROM wachter.reference_tables WHERE name = 'cases'\") -le $v0"
