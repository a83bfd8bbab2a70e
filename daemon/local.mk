# daemon: the libevent/libpq shell around lib/: what both programs share
# (sources, store, key files, checkpoint sink). The service lives in ops/,
# the wachter tool in cli/.

# Migrations are embedded in the binaries; areas add their files here.
MIGRATIONS = daemon/store/migrations/0001_base.sql \
	daemon/store/migrations/0004_reference.sql \
	daemon/store/migrations/0005_join.sql \
	daemon/store/migrations/0006_engine_user.sql \
	daemon/store/migrations/0007_officer.sql \
	daemon/store/migrations/0008_privacy.sql \
	daemon/store/migrations/0009_breach.sql \
	daemon/store/migrations/0014_history_covered.sql
# A version per reference table: reload only what changed.
MIGRATIONS += daemon/store/migrations/0018_reference_tables.sql
# Pseudonyms' plaintext by the batch (daemon/store/pseudostore.c).
MIGRATIONS += daemon/store/migrations/0019_plain_rows.sql
EXTRA_DIST += daemon/store/embed-sql.sh $(MIGRATIONS)
daemon/store/migrations_sql.c: $(MIGRATIONS) daemon/store/embed-sql.sh
	$(AM_V_GEN)$(SHELL) $(srcdir)/daemon/store/embed-sql.sh \
	    $(addprefix $(srcdir)/,$(MIGRATIONS)) > $@.tmp && mv $@.tmp $@
BUILT_SOURCES = daemon/store/migrations_sql.c
CLEANFILES += daemon/store/migrations_sql.c

# Shared by wachterd and wachter.
noinst_LIBRARIES += daemon/libshell.a
daemon_libshell_a_SOURCES = daemon/log.c daemon/log.h \
	daemon/memtune.c daemon/memtune.h \
	daemon/source/tail.c daemon/source/tail.h \
	daemon/slurp.c daemon/slurp.h \
	daemon/store/db.c daemon/store/db.h \
	daemon/store/db_batch.c \
	daemon/store/chainstore.c daemon/store/chainstore.h \
	daemon/store/histstore.c daemon/store/histstore.h \
	daemon/store/pseudostore.c daemon/store/pseudostore.h \
	daemon/store/statebox.c daemon/store/statebox.h \
	daemon/store/ledger.c daemon/store/ledger.h \
	daemon/store/refdb.c daemon/store/refdb.h \
	daemon/store/refload.c daemon/store/refload.h \
	daemon/store/migrate.c daemon/store/migrate.h
nodist_daemon_libshell_a_SOURCES = daemon/store/migrations_sql.c
daemon_libshell_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon

SHELL_LIBS = daemon/libshell.a $(DAEMON_LIBS)

# The engine state sealed at rest, on a real key file.
check_PROGRAMS += tests/unit/test_statebox
tests_unit_test_statebox_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon
tests_unit_test_statebox_LDADD = $(SHELL_LIBS)
TESTS += tests/unit/test_statebox

# Test tools that drive the shell's parts against real files.
check_PROGRAMS += tests/tools/tailcat
tests_tools_tailcat_SOURCES = tests/tools/tailcat.c
tests_tools_tailcat_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon
tests_tools_tailcat_LDADD = $(SHELL_LIBS)
# The reference load alone (docs/performance/daemon-targets.md).
check_PROGRAMS += tests/tools/refbench
tests_tools_refbench_SOURCES = tests/tools/refbench.c
tests_tools_refbench_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon
tests_tools_refbench_LDADD = $(SHELL_LIBS)

# A large transaction, batches and prepared statements (store/db.c).
check_PROGRAMS += tests/tools/dbtxn
tests_tools_dbtxn_SOURCES = tests/tools/dbtxn.c
tests_tools_dbtxn_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon
tests_tools_dbtxn_LDADD = $(SHELL_LIBS)
dist_check_SCRIPTS += tests/e2e/db_txn.sh
TESTS += tests/e2e/db_txn.sh

# eval reads the LDV rendering through its join (needs ../shared/data).
dist_check_SCRIPTS += tests/data/eval_ldv.sh
TESTS += tests/data/eval_ldv.sh
