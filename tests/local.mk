# tests: shared helpers for unit and end-to-end tests.
EXTRA_DIST += tests/tap.h
EXTRA_DIST += tests/pg.sh

# End-to-end tests of the daemon's parts with real files, signals and
# PostgreSQL.
dist_check_SCRIPTS += tests/e2e/tail_rotation.sh tests/e2e/daemon.sh \
	tests/e2e/daemon_faults.sh tests/e2e/daemon_ldv.sh
TESTS += tests/e2e/tail_rotation.sh tests/e2e/daemon.sh \
	tests/e2e/daemon_faults.sh tests/e2e/daemon_ldv.sh
EXTRA_DIST += tests/e2e/logwriter.py tests/e2e/wd.sh

# The integrity officer's commands and privileges (issue 12).
dist_check_SCRIPTS += tests/e2e/officer.sh tests/e2e/privacy.sh
TESTS += tests/e2e/officer.sh tests/e2e/privacy.sh
EXTRA_DIST += tests/e2e/officer_lib.sh
