# lib/rules: the rule language, facts, matching and the engine.
lib_libwachter_a_SOURCES += lib/rules/rule.h lib/rules/rload.h \
	lib/rules/rule_load.c lib/rules/rule_file.c lib/rules/fact.h \
	lib/rules/fact.c lib/rules/fact_get.c lib/rules/match.h \
	lib/rules/match.c lib/rules/engine.h lib/rules/engine_int.h \
	lib/rules/engine.c lib/rules/engine_decide.c \
	lib/rules/engine_state.c lib/rules/engine_import.c
