# lib/parse: from a raw log line to a struct event.
lib_libwachter_a_SOURCES += lib/parse/json.c lib/parse/json.h

check_PROGRAMS += tests/parse/json_dump
tests_parse_json_dump_LDADD = $(WACHTER_LIBS)
TESTS += tests/parse/json_ref.sh
EXTRA_DIST += tests/parse/json_ref.sh tests/parse/json_ref.py

check_PROGRAMS += tests/unit/test_json
tests_unit_test_json_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_json
