# lib/event: the normalised lookup event every stage shares.
lib_libwachter_a_SOURCES += lib/event/event.c lib/event/event.h \
	lib/event/lookup_pack.c lib/event/lookup_pack.h

check_PROGRAMS += tests/unit/test_event
tests_unit_test_event_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_event
