# libFuzzer harnesses for the reference CSV loader, the rule file loader
# and the configuration parser (./configure --enable-fuzzing CC=clang
# CFLAGS=-fsanitize=fuzzer-no-link,address,undefined).
EXTRA_DIST += tests/fuzz/fuzz_ref.c tests/fuzz/fuzz_rules.c \
	tests/fuzz/fuzz_conf.c tests/fuzz/fuzz_csvscan.c
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_ref tests/fuzz/fuzz_rules \
	tests/fuzz/fuzz_conf tests/fuzz/fuzz_csvscan
tests_fuzz_fuzz_csvscan_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_csvscan_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_ref_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_ref_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_rules_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_rules_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_conf_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_conf_LDADD = $(WACHTER_LIBS)
endif
