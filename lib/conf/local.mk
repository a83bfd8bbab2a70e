# lib/conf: the daemon configuration file.
lib_libwachter_a_SOURCES += lib/conf/conf.c lib/conf/conf.h

check_PROGRAMS += tests/unit/test_config
tests_unit_test_config_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_config
