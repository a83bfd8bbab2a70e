# lib/util: allocation, buffers, small containers.
lib_libwachter_a_SOURCES += lib/util/xmalloc.c lib/util/xmalloc.h \
	lib/util/buf.c lib/util/buf.h
lib_libwachter_a_SOURCES += lib/util/ydoc.c lib/util/ydoc.h
lib_libwachter_a_SOURCES += lib/util/tsv.c lib/util/tsv.h
lib_libwachter_a_SOURCES += lib/util/esc.c lib/util/esc.h

check_PROGRAMS += tests/unit/test_esc
tests_unit_test_esc_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_esc
