# lib/rules: the rule language, facts, matching and the engine.
lib_libwachter_a_SOURCES += lib/rules/rule.h lib/rules/rload.h \
	lib/rules/rule_load.c lib/rules/rule_file.c lib/rules/rule_base.c lib/rules/fact.h \
	lib/rules/fact.c lib/rules/fact_get.c lib/rules/match.h \
	lib/rules/match.c lib/rules/matcher.c lib/rules/engine.h lib/rules/engine_int.h \
	lib/rules/engine.c lib/rules/engine_decide.c \
	lib/rules/engine_state.c lib/rules/engine_import.c \
	lib/rules/engine_base.c lib/rules/engine_order.c lib/rules/engine_save.c \
	lib/rules/engine_reexam.c lib/rules/engine_retry.c \
	lib/rules/engine_reexam.h lib/rules/engine_reexam_state.c \
	lib/rules/case_stats.c lib/rules/case_stats.h \
	lib/rules/rtest.c lib/rules/rtest.h

# The shipped rule set, its test reference data, and its checks.
rulesdir = $(pkgdatadir)/rules
dist_rules_DATA = rules/basis.yaml rules/relation.yaml rules/case.yaml \
	rules/pattern.yaml rules/baseline.yaml rules/damaged.yaml
# Installed too, so `wachter rules test` runs the shipped rules' tests.
rulestestsdir = $(pkgdatadir)/rules/tests
dist_rulestests_DATA = rules/tests/employees.csv rules/tests/persons.csv \
	rules/tests/vehicles.csv rules/tests/cases.csv \
	rules/tests/appointments.csv rules/tests/watchlist.csv
dist_check_SCRIPTS += tests/rules/check.sh
TESTS += tests/rules/check.sh

# wachter eval on the project's own labelled corpus.
EXTRA_DIST += tests/data/corpus/gen.py tests/data/corpus/manifest.json \
	tests/data/corpus/employees.csv tests/data/corpus/persons.csv \
	tests/data/corpus/vehicles.csv tests/data/corpus/cases.csv \
	tests/data/corpus/appointments.csv tests/data/corpus/watchlist.csv \
	tests/data/corpus/incidents.csv tests/data/corpus/labels.csv.gz \
	tests/data/corpus/brp-audit.jsonl.gz tests/data/corpus/rdw-audit.csv.gz
dist_check_SCRIPTS += tests/data/eval.sh
TESTS += tests/data/eval.sh

check_PROGRAMS += tests/unit/test_engine
tests_unit_test_engine_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_engine

# The prepared rule set (matcher.c) against match_rule.
check_PROGRAMS += tests/unit/test_match
tests_unit_test_match_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_match

# fact_code against fact_str for every valued string fact.
check_PROGRAMS += tests/unit/test_fact
tests_unit_test_fact_LDADD = $(WACHTER_LIBS)
TESTS += tests/unit/test_fact

# wachter import into PostgreSQL reference tables.
EXTRA_DIST += daemon/store/migrations/0004_reference.sql
dist_check_SCRIPTS += tests/data/import.sh
TESTS += tests/data/import.sh
