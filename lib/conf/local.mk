# lib/conf: the daemon configuration file.
lib_libwachter_a_SOURCES += lib/conf/config.c lib/conf/config.h

check_PROGRAMS += tests/unit/test_config
tests_unit_test_config_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_config
