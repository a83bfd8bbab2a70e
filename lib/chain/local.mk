# lib/chain: the signed, hash-chained alert record (pure; no I/O).
lib_libwachter_a_SOURCES += lib/chain/chain.h lib/chain/merkle.c \
	lib/chain/merkle.h lib/chain/text.c lib/chain/text.h \
	lib/chain/record.c lib/chain/record.h lib/chain/note.c \
	lib/chain/note.h lib/chain/checkpoint.c lib/chain/epoch.c \
	lib/chain/writer.c lib/chain/verify.c \
	lib/chain/bundle.c lib/chain/bundle.h \
	lib/chain/guard.c lib/chain/guard.h \
	lib/chain/record_v2.c lib/chain/history.c lib/chain/history.h

check_PROGRAMS += tests/chain/test_chain
tests_chain_test_chain_SOURCES = tests/chain/test_chain.c tests/chain/testlib.h
tests_chain_test_chain_LDADD = $(WACHTER_LIBS)
TESTS += tests/chain/test_chain

check_PROGRAMS += tests/chain/test_guard
tests_chain_test_guard_SOURCES = tests/chain/test_guard.c tests/chain/testlib.h
tests_chain_test_guard_LDADD = $(WACHTER_LIBS)
TESTS += tests/chain/test_guard

check_PROGRAMS += tests/chain/test_vectors
tests_chain_test_vectors_SOURCES = tests/chain/test_vectors.c tests/chain/testlib.h
tests_chain_test_vectors_LDADD = $(WACHTER_LIBS)
dist_check_SCRIPTS += tests/chain/vectors.sh
EXTRA_DIST += tests/chain/vectors.json
TESTS += tests/chain/vectors.sh
