#!/bin/sh
# sink_fsync.sh: a checkpoint note counts as kept only once it is on disk.
# wachterd runs under strace; every write of a note to the sink is followed
# by an fsync of the same descriptor that succeeds before it is closed (a
# power cut after the daemon moved on cannot lose the note). Without the
# fsync this test fails; nothing else could see it short of a power cut.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/wd.sh"

command -v strace >/dev/null 2>&1 || skip_all "strace not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"
plan 4
wd_setup sinkfsync || { echo "Bail out! setup failed"; exit 1; }
strace -f -y -qq -e trace=write,fsync,fdatasync,close -o "$W/trace" \
    "$WACHTERD" -c "$CONF" >>"$W/wachterd.log" 2>&1 &
tracer=$!
zcat "$CORPUS/brp-audit.jsonl.gz" > "$W/logs/brp.jsonl"
wd_wait_caught_up 600
notes() { grep -c '^wachter-epoch' "$W/checkpoints.log" 2>/dev/null; }
wait_for 120 sh -c "[ \"\$(grep -c '^wachter-epoch' '$W/checkpoints.log' 2>/dev/null)\" -ge 2 ]"
ok $? "checkpoints reach the sink"
# The daemon is strace's child: stop it, then strace ends with it.
WD_PID=$(ps -o pid= --ppid "$tracer" | tr -d ' ')
wd_stop
wait "$tracer"
kept=$(notes)
# Per descriptor of the sink: a write waits for its fsync; a close with a
# write still waiting, or a failed fsync, is a note not known to be kept.
# strace -f splits a call that another task interrupts into "CALL(...
# <unfinished ...>" and "<... CALL resumed>) = RESULT": join the halves
# first (by pid), or the sink's fsync goes unseen.
awk -v sink="checkpoints.log>" '
	/ <unfinished \.\.\.>$/ { sub(/ <unfinished \.\.\.>$/, ""); part[$1] = $0; next }
	/<\.\.\. [a-z0-9_]+ resumed>/ { p = $1; r = $0; sub(/^.*resumed>/, "", r)
		$0 = part[p] r; delete part[p] }
	index($0, sink) == 0 { next }
	{ fd = $2; sub(/^[a-z]+\(/, "", fd); sub(/<.*/, "", fd) }
	$2 ~ /^write\(/ && $NF !~ /^-/ { writes++; waiting[fd] = 1 }
	$2 ~ /^(fsync|fdatasync)\(/ && $NF == 0 && waiting[fd] { synced++; waiting[fd] = 0 }
	$2 ~ /^close\(/ && waiting[fd] { lost++; waiting[fd] = 0 }
	END { print writes + 0, synced + 0, lost + 0 }' "$W/trace" > "$W/counts"
read -r writes synced lost < "$W/counts"
diag "$kept notes kept; $writes writes to the sink, $synced fsynced, $lost closed unsynced"
ok "$([ "$writes" -ge 1 ] && [ "$writes" -le "$kept" ]; echo $?)" \
    "the notes were written to the sink ($writes writes for $kept notes)"
is "$synced" "$writes" "every write to the sink is fsynced before the daemon goes on"
is "$lost" 0 "no descriptor of the sink is closed with a write not on disk"
