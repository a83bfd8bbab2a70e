#!/bin/sh
# sink_faults.sh: the checkpoint sink fails (a full disk: /dev/full) and
# comes back. The failure shows in the log, /healthz and /metrics; no
# checkpoint is lost (each is retried); a note torn by a crash mid-write
# neither fails `wachter verify --since-checkpoint` nor poisons the notes
# appended after it.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

plan 10
wd_setup sink || { echo "Bail out! setup failed"; exit 1; }
ln -s /dev/full "$W/checkpoints.log"
get() {	# PATH -> body (also for 503)
	python3 -c '
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode(), end="")
except urllib.error.HTTPError as e:
    print(e.read().decode(), end="")' "http://127.0.0.1:$WD_PORT$1"
}
wd_start
zcat "$CORPUS/brp-audit.jsonl.gz" > "$W/logs/brp.jsonl"
wd_wait_caught_up 600
wait_for 300 grep -q "checkpoint sink: .*No space left on device" "$W/wachterd.log"
ok $? "a full sink is logged"
wait_for 300 sh -c "$(command -v python3) -c 'import urllib.request; urllib.request.urlopen(\"http://127.0.0.1:$WD_PORT/healthz\", timeout=5)' 2>/dev/null; [ \$? != 0 ]"
like "$(get /healthz)" '^checkpoint sink failing: .*No space left' \
    "/healthz reports the failing sink"
like "$(get /metrics | grep '^wachter_checkpoint_sink')" \
    'wachter_checkpoint_sink_up 0' "/metrics: wachter_checkpoint_sink_up 0"

# Room again: the sink becomes a real file.
: > "$W/sink.real"
[ "$(id -u)" = 0 ] && chown postgres: "$W/sink.real"
ln -sf "$W/sink.real" "$W/checkpoints.log"
wait_for 300 sh -c "[ \"\$(grep -c '^wachter-epoch' '$W/sink.real')\" -ge 2 ]"
like "$(get /healthz)" '^ok' "/healthz is ok once the sink takes notes again"
wd_stop
ns=$(awk '/^wachter-epoch / { print $3 }' "$W/sink.real" | tr '\n' ' ')
is "$ns" "$(seq 1 "$(wd_sql 'SELECT count(*) FROM wachter.chain_checkpoint')" | tr '\n' ' ')" \
    "every checkpoint reached the sink, those from the full-disk time too"
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" \
    --since-checkpoint "$W/sink.real" --max-age 0 > "$W/verify.out" 2>&1
ok $? "verify --since-checkpoint passes"

# A crash mid-append: the file ends in part of a note.
awk '/^wachter-epoch/ { n++ } n == 1' "$W/sink.real" | head -c 70 >> "$W/sink.real"
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" \
    --since-checkpoint "$W/sink.real" --max-age 0 > "$W/verify.out" 2>&1
ok $? "a torn tail does not fail verify"
like "$(cat "$W/verify.out")" "torn write" "...it is reported as a warning"
before=$(grep -c '^wachter-epoch' "$W/sink.real")
wd_start
wait_for 300 sh -c "[ \"\$(grep -c '^wachter-epoch' '$W/sink.real')\" -gt $before ]"
wd_stop
"$WACHTER" verify --db "$DSN" --root-pubkey "$W/keys/root.pub" \
    --since-checkpoint "$W/sink.real" --max-age 0 > "$W/verify.out" 2>&1
ok $? "the torn note is cut off before the next append: verify passes"
ok "$(grep -q 'torn' "$W/verify.out"; [ $? != 0 ]; echo $?)" \
    "...and nothing torn is left"
