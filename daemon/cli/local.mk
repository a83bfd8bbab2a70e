# daemon/cli: the wachter tool's commands for integrity officers
# (docs/OFFICERS.md, wachter-officer(7)).
daemon_wachter_SOURCES += daemon/cli/officer.h daemon/cli/officer_util.c \
	daemon/cli/officer_alerts.c daemon/cli/officer_alert.c \
	daemon/cli/officer_triage.c daemon/cli/officer_exceptions.c \
	daemon/cli/officer_reveal.c daemon/cli/operator_retention.c \
	daemon/cli/officer_breach.c daemon/cli/officer_subject.c
EXTRA_DIST += docs/OFFICERS.md docs/PRIVACY.md
