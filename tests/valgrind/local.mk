# `make check-valgrind`: the unit tests, and the end-to-end tests that drive
# wachterd and the wachter tool, under valgrind memcheck (tests/valgrind/
# vg.sh): any memory error, or memory definitely lost at exit, fails. The
# end-to-end set is chosen to cover the daemon's paths (ingest, faults,
# rotation, damaged lines, quarantine, the sink) and the tool's (migrate,
# import, keygen, eval, verify, parse, rules check) in about ten minutes.
EXTRA_DIST += tests/valgrind/vg.sh tests/valgrind/wachter.supp
VALGRIND_E2E = tests/e2e/daemon.sh tests/e2e/sink_faults.sh \
	tests/e2e/tail_perm.sh tests/e2e/damaged.sh \
	tests/e2e/quarantine_once.sh tests/e2e/startup.sh \
	tests/e2e/keygen_root.sh tests/e2e/escape.sh
check-valgrind: all $(check_PROGRAMS)
	$(MAKE) $(AM_MAKEFLAGS) check \
	    TESTS='$(filter tests/unit/test_% tests/chain/test_%,$(TESTS)) $(VALGRIND_E2E)' \
	    LOG_COMPILER='$(SHELL) $(abs_top_srcdir)/tests/valgrind/vg.sh' \
	    TEST_SUITE_LOG=test-suite-valgrind.log
.PHONY: check-valgrind
