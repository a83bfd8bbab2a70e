# daemon/ops: wachterd, the service, and what only it needs: the pipeline,
# metrics and health over HTTP, sd_notify, privileges. (metrics, notify and
# privs sit in the shell library, where their unit tests link them.)
sbin_PROGRAMS += daemon/wachterd
daemon_wachterd_SOURCES = daemon/ops/wachterd.c daemon/ops/wachterd.h \
	daemon/ops/pipeline.c daemon/ops/pipeline.h
daemon_wachterd_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon
daemon_wachterd_LDADD = $(SHELL_LIBS) -lpthread

# wachter scan runs the daemon itself over history (scan.c): the same
# objects without wachterd's main, for the wachter tool to link.
daemon_wachterd_SOURCES += daemon/ops/scan.c daemon/ops/scan.h
noinst_LIBRARIES += daemon/libops.a
daemon_libops_a_SOURCES = $(daemon_wachterd_SOURCES)
daemon_libops_a_CPPFLAGS = $(daemon_wachterd_CPPFLAGS) -DWACHTERD_NO_MAIN

daemon_libshell_a_SOURCES += daemon/ops/metrics.c daemon/ops/metrics.h \
	daemon/ops/metrics_wachter.c daemon/ops/metrics_http.c

check_PROGRAMS += tests/unit/test_metrics
tests_unit_test_metrics_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon
tests_unit_test_metrics_LDADD = $(SHELL_LIBS)
TESTS += tests/unit/test_metrics

# The strict exposition checker, and its own table of cases.
TESTS += tests/e2e/promcheck.sh
EXTRA_DIST += tests/e2e/promcheck.py tests/e2e/promcheck.sh

daemon_libshell_a_SOURCES += daemon/ops/notify.c daemon/ops/notify.h

check_PROGRAMS += tests/unit/test_notify
tests_unit_test_notify_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon
tests_unit_test_notify_LDADD = $(SHELL_LIBS)
TESTS += tests/unit/test_notify

daemon_libshell_a_SOURCES += daemon/ops/privs.c daemon/ops/privs.h

check_PROGRAMS += tests/unit/test_privs
tests_unit_test_privs_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon
tests_unit_test_privs_LDADD = $(SHELL_LIBS)
TESTS += tests/unit/test_privs

# The daemon's own health: refused metrics connections, suppressed log
# lines, the checkpoint sink.
daemon_wachterd_SOURCES += daemon/ops/health.c daemon/ops/health.h

# A line is quarantined once, however often it is read.
MIGRATIONS += daemon/store/migrations/0012_quarantine_once.sql
MIGRATIONS += daemon/store/migrations/0013_explained.sql
MIGRATIONS += daemon/store/migrations/0015_overview_lookups.sql
MIGRATIONS += daemon/store/migrations/0016_quarantine_months.sql
# wachter.ledger_add parses each of its JSON arrays once.
MIGRATIONS += daemon/store/migrations/0017_ledger_faster.sql

# What happens to bad input, and against whom the promises hold.
EXTRA_DIST += docs/BAD-INPUT.md docs/SECURITY.md
