# daemon/chain.mk: the chain's key files, checkpoint sink, SQL and the
# keygen / verify / export subcommands (issue 5).
CHAIN_DAEMON_SOURCES = daemon/keyfile.c daemon/keyfile.h \
	daemon/checkpoint_sink.c daemon/checkpoint_sink.h \
	daemon/store/chain_sql.c daemon/store/chain_sql.h \
	daemon/store/chainguard.c daemon/store/chainguard.h \
	daemon/store/chain_read.c daemon/store/chain_read.h \
	daemon/chain_source.c daemon/chain_source.h
daemon_libshell_a_SOURCES += $(CHAIN_DAEMON_SOURCES)
daemon_wachter_SOURCES += daemon/cli/cmd_keygen.c daemon/cli/cmd_verify.c \
	daemon/cli/cmd_export.c daemon/cli/cmd_adopt.c
MIGRATIONS += daemon/store/migrations/0002_chain.sql \
	daemon/store/migrations/0003_triage.sql \
	daemon/store/migrations/0010_chain_guard.sql
EXTRA_DIST += tests/chain/0001_stub.sql

check_PROGRAMS += tests/chain/chain_fill
tests_chain_chain_fill_SOURCES = tests/chain/chain_fill.c tests/chain/testlib.h
tests_chain_chain_fill_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon
tests_chain_chain_fill_LDADD = $(SHELL_LIBS)

dist_check_SCRIPTS += tests/e2e/chain_tamper.sh
TESTS += tests/e2e/chain_tamper.sh
EXTRA_DIST += tests/chain/0001_stub.sql
dist_check_SCRIPTS += tests/e2e/chain_guard.sh
TESTS += tests/e2e/chain_guard.sh
EXTRA_DIST += tests/e2e/sql/forge_next.sql tests/e2e/sql/rewrite_relink.sql
dist_check_SCRIPTS += tests/e2e/chain_schema.sh
TESTS += tests/e2e/chain_schema.sh
EXTRA_DIST += docs/CHAIN.md

if FUZZING
noinst_PROGRAMS += tests/chain/fuzz_chain
tests_chain_fuzz_chain_SOURCES = tests/chain/fuzz_chain.c
tests_chain_fuzz_chain_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_chain_fuzz_chain_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_chain_fuzz_chain_LDADD = $(WACHTER_LIBS)
endif
