#!/bin/sh
# ledger.sh: the server's cost of one ledger batch of 10 000 lookups,
# wachter.ledger_add as it is against 0009's body, in the same run
# (docs/PERFORMANCE.md). A scan of a generated corpus sends its batches
# through a function that keeps them; from those, batch 1 is the first
# 10 000 lookups, batch 2 the next 10 000 with the decisions of batch 1's
# (most decisions come in the batch after their lookup's) and the
# plaintexts of their subjects. Batch 1 is written; batch 2 is then sent
# as ledger.c sends it, RUNS times through each function in turn, each
# time rolled back, in one session. Prints each function's median ms.
#
#   sh tests/bench/ledger.sh [RUNS]    (top_builddir: default _build)
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir/_build}
TEST_TMP=${TEST_TMP:-$top_builddir/tests/tmp}
export top_srcdir top_builddir TEST_TMP
runs=${1:-11}
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"
G=$TEST_TMP/ledger-bench
[ -f "$G/manifest.json" ] || python3 "$top_srcdir/tests/bench/gen.py" "$G" \
    --lookups 30000 --cases 3000 --seed 13 >/dev/null
CORPUS=$G
wd_setup ledger_bench
q() { psql -X -q -v ON_ERROR_STOP=1 -d "$DSN" "$@"; }

q <<'EOF'
CREATE TABLE public.sent (n serial PRIMARY KEY, l json, d json, p json);
ALTER FUNCTION wachter.ledger_add(json, json, json) RENAME TO ledger_add_now;
CREATE FUNCTION wachter.ledger_add(l json, d json, p json) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
	INSERT INTO public.sent (l, d, p) VALUES (l, d, p);
	SELECT wachter.ledger_add_now(l, d, p);
$$;
GRANT EXECUTE ON FUNCTION wachter.ledger_add(json, json, json)
    TO wachter_daemon;
EOF
sed -n '/^CREATE FUNCTION wachter.ledger_add(/,/^\$\$;/p' \
    "$top_srcdir/daemon/store/migrations/0009_breach.sql" |
    sed 's/^CREATE FUNCTION wachter.ledger_add(/CREATE FUNCTION wachter.ledger_add_0009(/' | q
"$WACHTER" scan -c "$CONF" -b 10000 \
    -s brp "$G/brp-audit.jsonl" -s rdw "$G/rdw-audit.csv" >/dev/null 2>&1

# The two batches, as the text ledger.c binds (arrays without brackets).
q >/dev/null <<'EOF'
CREATE TEMP TABLE l AS SELECT row_number() OVER () i, e
    FROM (SELECT json_array_elements(l) e FROM public.sent ORDER BY n) x;
CREATE TEMP TABLE d AS
    SELECT json_array_elements(d) e FROM public.sent;
CREATE TEMP TABLE hk AS SELECT DISTINCT ON (e->>'h') e->>'h' h, e->>'k' k,
    e->>'v' v FROM (SELECT json_array_elements(p) e FROM public.sent) x;
CREATE TEMP VIEW pl AS SELECT l.i, s.o, json_build_object('h', s.h, 'k',
    hk.k, 'v', hk.v, 'ts', (l.e->>'ts')::bigint) e
    FROM l, json_array_elements_text(l.e->'subj') WITH ORDINALITY s(h, o)
    JOIN hk ON hk.h = s.h;
CREATE TABLE public.batch (n int PRIMARY KEY, l text, d text, p text);
ALTER TABLE public.batch ALTER l SET STORAGE EXTERNAL,
    ALTER d SET STORAGE EXTERNAL, ALTER p SET STORAGE EXTERNAL;
INSERT INTO public.batch SELECT b.n,
    (SELECT string_agg(e::text, ',' ORDER BY i) FROM l WHERE i > b.lo AND i <= b.lo + 10000),
    coalesce((SELECT string_agg(e::text, ',') FROM d WHERE b.n = 2 AND e->>'id' IN
        (SELECT e->>'id' FROM l WHERE i <= 10000)), ''),
    (SELECT string_agg(e::text, ',' ORDER BY i, o) FROM pl WHERE i > b.lo AND i <= b.lo + 10000)
    FROM (VALUES (1, 0), (2, 10000)) b(n, lo);
TRUNCATE wachter.ledger_lookup, wachter.ledger_decision, wachter.subject_plain;
SELECT wachter.ledger_add_now(('[' || l || ']')::json, ('[' || d || ']')::json,
    ('[' || p || ']')::json) FROM public.batch WHERE n = 1;
VACUUM ANALYZE;
EOF
q -At -c "SELECT 'batch 2: ' || json_array_length(('[' || l || ']')::json) || ' lookups, '
    || json_array_length(('[' || d || ']')::json) || ' decisions, '
    || json_array_length(('[' || p || ']')::json) || ' plaintexts'
    FROM public.batch WHERE n = 2"

# RUNS times each, in turn, in one session: "now ms" and "0009 ms" lines.
i=0
{
	printf '%s\n' '\timing on'
	while [ "$i" -lt "$runs" ]; do
		for f in now 0009; do
			printf '%s\n' 'BEGIN;' "\\echo $f"
			printf '%s\n' "SELECT wachter.ledger_add_$f(('[' || l || ']')::json,
			    ('[' || d || ']')::json, ('[' || p || ']')::json)
			    FROM public.batch WHERE n = 2;"
			printf '%s\n' 'ROLLBACK;'
		done
		i=$((i + 1))
	done
} | q -At | awk '/^(now|0009)$/ { f = $1; next }
    f != "" && /^Time:/ { print f, $2; f = "" }' > "$TEST_TMP/ledger-bench.ms"
median() {
	sed -n "s/^$1 //p" "$TEST_TMP/ledger-bench.ms" | sort -n |
	    awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
now=$(median now) old=$(median 0009)
echo "ledger_add now: median $now ms; 0009: median $old ms ($runs runs each)"
awk -v a="$now" -v b="$old" 'BEGIN { printf "ratio now/0009: %.2f\n", a / b }'
