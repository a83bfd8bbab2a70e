# lib/enrich: reference data and the explanations it gives.
lib_libwachter_a_SOURCES += lib/enrich/symtab.c lib/enrich/symtab.h \
	lib/enrich/keytab.c lib/enrich/keytab.h \
	lib/enrich/csv.c lib/enrich/csv.h lib/enrich/reftime.c \
	lib/enrich/reftime.h lib/enrich/ref.c lib/enrich/ref_carry.c \
	lib/enrich/ref_order.c \
	lib/enrich/ref_load.c lib/enrich/ref.h lib/enrich/explain.c \
	lib/enrich/explain.h

check_PROGRAMS += tests/unit/test_enrich
tests_unit_test_enrich_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_enrich

# Reloading only what changed builds the store a full load builds.
check_PROGRAMS += tests/unit/test_refcarry
tests_unit_test_refcarry_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_refcarry

# Packed subject keys: round trips, unpacked keys, one numbering.
check_PROGRAMS += tests/unit/test_keytab
tests_unit_test_keytab_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_keytab

# The row ends the piece loader cuts at, against csv_next.
check_PROGRAMS += tests/unit/test_csvscan
tests_unit_test_csvscan_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_csvscan
EXTRA_DIST += tests/unit/csvscan_check.h
