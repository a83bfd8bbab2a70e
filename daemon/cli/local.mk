# daemon/cli: the wachter tool, one file per command or command family
# (operator: db, import, rules, eval, keygen, verify, export, adopt;
# officer: docs/OFFICERS.md, wachter-officer(7)).
bin_PROGRAMS += daemon/wachter
daemon_wachter_SOURCES = daemon/cli/wachter.c daemon/cli/cmd.h daemon/cli/cmd_db.c daemon/cli/cmd_import.c \
	daemon/cli/cmd_rules.c \
	daemon/cli/cmd_eval.c daemon/cli/eval_score.c daemon/cli/eval_score.h \
	daemon/cli/corpus.c daemon/cli/corpus.h
daemon_wachter_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/daemon
daemon_wachter_LDADD = daemon/libops.a $(SHELL_LIBS) -lpthread
daemon_wachter_SOURCES += daemon/cli/cmd_scan.c

daemon_wachter_SOURCES += daemon/cli/officer.h daemon/cli/officer_util.c \
	daemon/cli/officer_alerts.c daemon/cli/officer_alert.c \
	daemon/cli/officer_triage.c daemon/cli/officer_exceptions.c \
	daemon/cli/officer_reveal.c daemon/cli/operator_retention.c \
	daemon/cli/officer_breach.c daemon/cli/officer_subject.c
EXTRA_DIST += docs/OFFICERS.md docs/PRIVACY.md
