# lib/parse: from a raw log line to a struct event.
lib_libwachter_a_SOURCES += lib/parse/json.c lib/parse/json.h

check_PROGRAMS += tests/parse/json_dump
tests_parse_json_dump_LDADD = $(WACHTER_LIBS)
TESTS += tests/parse/json_ref.sh
EXTRA_DIST += tests/parse/json_ref.sh tests/parse/json_ref.py

check_PROGRAMS += tests/unit/test_json
tests_unit_test_json_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_json
lib_libwachter_a_SOURCES += lib/parse/norm.c lib/parse/norm.h \
	lib/parse/tz.c lib/parse/tz.h

check_PROGRAMS += tests/unit/test_norm tests/unit/test_tz
tests_unit_test_norm_LDADD = $(WACHTER_LIBS)
tests_unit_test_tz_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_norm tests/unit/test_tz
