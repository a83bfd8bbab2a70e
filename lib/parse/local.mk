# lib/parse: from a raw log line to a struct event.
lib_libwachter_a_SOURCES += lib/parse/json.c lib/parse/json.h \
	lib/parse/jpath.c lib/parse/jpath.h

check_PROGRAMS += tests/parse/json_dump
tests_parse_json_dump_LDADD = $(WACHTER_LIBS)
TESTS += tests/parse/json_ref.sh
EXTRA_DIST += tests/parse/json_ref.sh tests/parse/json_ref.py

check_PROGRAMS += tests/unit/test_json
tests_unit_test_json_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_json

# The one-walk path lookup against json_get (shared with fuzz_jpath).
check_PROGRAMS += tests/unit/test_jpath
tests_unit_test_jpath_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_jpath
EXTRA_DIST += tests/unit/jpath_check.h tests/unit/shipped_def.h
lib_libwachter_a_SOURCES += lib/parse/norm.c lib/parse/norm.h \
	lib/parse/tz.c lib/parse/tz.h

check_PROGRAMS += tests/unit/test_norm tests/unit/test_tz
tests_unit_test_norm_LDADD = $(WACHTER_LIBS)
tests_unit_test_tz_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_norm tests/unit/test_tz
lib_libwachter_a_SOURCES += lib/parse/srcdef.c lib/parse/srcdef.h \
	lib/parse/parser.c lib/parse/parser.h \
	lib/parse/ldv.c lib/parse/ldv.h

# The CLI side: whole-file line reader and "wachter parse".
daemon_wachter_SOURCES += daemon/cli/cmd_parse.c daemon/source/lines.c \
	daemon/source/lines.h
sourcesdir = $(pkgdatadir)/sources
dist_sources_DATA = contrib/sources/brp-audit-jsonl.yaml \
	contrib/sources/rdw-audit-csv.yaml \
	contrib/sources/brp-gateway-jsonl.yaml \
	contrib/sources/ldv.yaml contrib/sources/ldv-app-audit.yaml

TESTS += tests/parse/malformed.sh tests/parse/parity.sh
EXTRA_DIST += tests/parse/malformed.sh tests/parse/parity.sh \
	tests/parse/parity.py tests/data/malformed-brp.jsonl \
	tests/data/malformed-brp.expect tests/data/malformed-rdw.csv \
	tests/data/malformed-rdw.expect

check_PROGRAMS += tests/unit/test_srcdef
tests_unit_test_srcdef_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_srcdef

# libFuzzer harnesses (./configure --enable-fuzzing picks clang and the
# sanitizers; make fuzz-smoke runs them).
EXTRA_DIST += tests/fuzz/fuzz_json.c tests/fuzz/fuzz_parser.c \
	tests/fuzz/fuzz_srcdef.c tests/fuzz/fuzz_jpath.c
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_json tests/fuzz/fuzz_parser \
	tests/fuzz/fuzz_srcdef tests/fuzz/fuzz_jpath
tests_fuzz_fuzz_jpath_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_SOURCES='"$(abs_top_srcdir)/contrib/sources"'
tests_fuzz_fuzz_jpath_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_jpath_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_json_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_json_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_parser_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_SOURCES='"$(abs_top_srcdir)/contrib/sources"'
tests_fuzz_fuzz_parser_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_parser_LDADD = $(WACHTER_LIBS)
tests_fuzz_fuzz_srcdef_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_srcdef_LDADD = $(WACHTER_LIBS)
endif

# Benchmark (not a test): tests/parse/bench_parse DEF.yaml LOG [rounds]
check_PROGRAMS += tests/parse/bench_parse
tests_parse_bench_parse_LDADD = $(WACHTER_LIBS)
