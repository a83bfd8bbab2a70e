# daemon: the libevent/libpq shell around lib/.
sbin_PROGRAMS += daemon/wachterd
daemon_wachterd_SOURCES = daemon/wachterd.c daemon/log.c daemon/log.h
daemon_wachterd_LDADD = $(DAEMON_LIBS)

bin_PROGRAMS += daemon/wachter
daemon_wachter_SOURCES = daemon/wachter.c daemon/cmd.h
daemon_wachter_LDADD = $(DAEMON_LIBS)
