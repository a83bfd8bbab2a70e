# lib/alert: incidents become alerts.
lib_libwachter_a_SOURCES += lib/alert/alert.c lib/alert/alert.h \
	lib/alert/incident.c lib/alert/incident.h \
	lib/alert/nldate.c lib/alert/nldate.h \
	lib/alert/pseudo.c lib/alert/pseudo.h

check_PROGRAMS += tests/unit/test_pseudo
tests_unit_test_pseudo_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_pseudo
check_PROGRAMS += tests/unit/test_alert
tests_unit_test_alert_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_alert
