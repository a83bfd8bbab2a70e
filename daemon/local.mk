# daemon: the libevent/libpq shell around lib/.
sbin_PROGRAMS += daemon/wachterd
daemon_wachterd_SOURCES = daemon/wachterd.c
daemon_wachterd_LDADD = $(DAEMON_LIBS)

bin_PROGRAMS += daemon/wachter
daemon_wachter_SOURCES = daemon/wachter.c daemon/cmd.h \
	daemon/cmd_rules.c daemon/slurp.c daemon/slurp.h \
	daemon/cmd_eval.c daemon/eval_score.c daemon/eval_score.h \
	daemon/cmd_import.c
daemon_wachter_LDADD = $(DAEMON_LIBS)
