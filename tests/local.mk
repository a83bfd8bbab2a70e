# tests: shared helpers for unit and end-to-end tests.
EXTRA_DIST += tests/tap.h tests/unit/testref.h tests/unit/factgen.h
EXTRA_DIST += tests/pg.sh

# End-to-end tests of the daemon's parts with real files, signals and
# PostgreSQL.
dist_check_SCRIPTS += tests/e2e/tail_rotation.sh tests/e2e/daemon.sh \
	tests/e2e/daemon_faults.sh tests/e2e/daemon_ldv.sh tests/e2e/damaged.sh \
	tests/e2e/metrics_idle.sh tests/e2e/sink_faults.sh tests/e2e/tail_perm.sh \
	tests/e2e/keygen_root.sh tests/e2e/quarantine_once.sh tests/e2e/escape.sh \
	tests/e2e/crash_loop.sh tests/e2e/replay.sh tests/e2e/startup.sh \
	tests/e2e/provisional.sh \
	tests/e2e/scan.sh tests/e2e/instances.sh \
	tests/e2e/alloc_fail.sh tests/e2e/sink_fsync.sh tests/e2e/pg_kill.sh
TESTS += tests/e2e/tail_rotation.sh tests/e2e/daemon.sh \
	tests/e2e/daemon_faults.sh tests/e2e/daemon_ldv.sh tests/e2e/damaged.sh \
	tests/e2e/metrics_idle.sh tests/e2e/sink_faults.sh tests/e2e/tail_perm.sh \
	tests/e2e/keygen_root.sh tests/e2e/quarantine_once.sh tests/e2e/escape.sh \
	tests/e2e/crash_loop.sh tests/e2e/replay.sh tests/e2e/startup.sh \
	tests/e2e/provisional.sh \
	tests/e2e/scan.sh tests/e2e/instances.sh \
	tests/e2e/alloc_fail.sh tests/e2e/sink_fsync.sh tests/e2e/pg_kill.sh
EXTRA_DIST += tests/e2e/logwriter.py tests/e2e/wd.sh tests/e2e/idleconns.py

# A reference reload does not pause reading (daemon/store/refload.c).
dist_check_SCRIPTS += tests/e2e/refload.sh
TESTS += tests/e2e/refload.sh

# `make bench` (not part of `make check`): synthetic municipalities,
# wachter eval against the line-split floor and the core rule in SQL.
check_PROGRAMS += tests/bench/linesplit
EXTRA_DIST += tests/bench/gen.py tests/bench/bench.sh tests/bench/load.sql \
	tests/bench/core.sql tests/bench/ledger.sh docs/PERFORMANCE.md docs/SCALING.md
EXTRA_DIST += tests/bench/burst.py tests/bench/live.py \
	docs/performance/daemon-targets.md docs/performance/facts.md \
	docs/performance/matching.md docs/performance/parser.md \
	docs/performance/per-day.md docs/performance/memory.md \
	docs/performance/instructions.md docs/performance/burst.md \
	docs/performance/reload.md docs/performance/memory-10m.md
dist_check_SCRIPTS += tests/bench/smoke.sh tests/bench/pieces.sh
TESTS += tests/bench/smoke.sh tests/bench/pieces.sh
.PHONY: bench
bench: daemon/wachter$(EXEEXT) tests/bench/linesplit$(EXEEXT) \
	    tests/chain/chain_fill$(EXEEXT) daemon/wachterd$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	    $(SHELL) $(top_srcdir)/tests/bench/bench.sh


# The integrity officer's commands and privileges (issue 12).
dist_check_SCRIPTS += tests/e2e/officer.sh tests/e2e/privacy.sh tests/e2e/history.sh
TESTS += tests/e2e/officer.sh tests/e2e/privacy.sh tests/e2e/history.sh
EXTRA_DIST += tests/e2e/officer_lib.sh

# The ledger's function writes the same rows as 0009's (migration 0017).
dist_check_SCRIPTS += tests/e2e/ledger_same.sh
TESTS += tests/e2e/ledger_same.sh
