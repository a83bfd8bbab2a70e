# libFuzzer harnesses for the parsers of untrusted input: the reference
# CSV loader, the rule file loader, the configuration, the engine state read
# back from the database, the kept checkpoints of verify --since-checkpoint,
# and the terminal escaper; and the prepared rule set against match_rule
# (fuzz_match). ./configure --enable-fuzzing picks clang and
# the sanitizers itself; `make fuzz-smoke` runs each for FUZZ_SECONDS
# (default 60) from the seeds in the repository (tests/fuzz/corpus).
EXTRA_DIST += tests/fuzz/fuzz_ref.c tests/fuzz/fuzz_rules.c \
	tests/fuzz/fuzz_conf.c tests/fuzz/fuzz_holds.c tests/fuzz/fuzz_since.c \
	tests/fuzz/fuzz_esc.c tests/fuzz/fuzz_csvscan.c tests/fuzz/fuzz_match.c \
	tests/fuzz/smoke.sh \
	tests/fuzz/corpus/holds/damaged tests/fuzz/corpus/holds/old \
	tests/fuzz/corpus/holds/one tests/fuzz/corpus/since/kept \
	tests/fuzz/corpus/since/torn tests/fuzz/corpus/esc/mixed \
	tests/fuzz/corpus/jpath/brp tests/fuzz/corpus/jpath/gateway \
	tests/fuzz/corpus/jpath/ldv tests/fuzz/corpus/jpath/ldv-app \
	tests/fuzz/corpus/jpath/paths tests/fuzz/corpus/jpath/headers
FUZZERS = tests/fuzz/fuzz_json tests/fuzz/fuzz_parser tests/fuzz/fuzz_srcdef \
	tests/fuzz/fuzz_jpath \
	tests/fuzz/fuzz_ref tests/fuzz/fuzz_rules tests/fuzz/fuzz_conf \
	tests/fuzz/fuzz_holds tests/fuzz/fuzz_since tests/fuzz/fuzz_esc \
	tests/fuzz/fuzz_csvscan tests/fuzz/fuzz_match tests/chain/fuzz_chain
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_ref tests/fuzz/fuzz_rules \
	tests/fuzz/fuzz_conf tests/fuzz/fuzz_holds tests/fuzz/fuzz_since \
	tests/fuzz/fuzz_esc tests/fuzz/fuzz_csvscan tests/fuzz/fuzz_match
tests_fuzz_fuzz_match_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_TOPSRC='"$(abs_top_srcdir)"'
tests_fuzz_fuzz_match_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_match_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_csvscan_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_csvscan_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_ref_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_ref_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_rules_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_RULETESTS='"$(abs_top_srcdir)/rules/tests"'
tests_fuzz_fuzz_rules_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_rules_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_conf_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_conf_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_holds_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_holds_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_since_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_since_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_esc_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_esc_LDADD = $(WACHTER_LIBS)

fuzz-smoke: $(FUZZERS)
	$(SHELL) $(srcdir)/tests/fuzz/smoke.sh $(srcdir) $(FUZZERS)
else
fuzz-smoke:
	@echo "fuzz-smoke: configure with --enable-fuzzing" >&2; exit 1
endif
.PHONY: fuzz-smoke
