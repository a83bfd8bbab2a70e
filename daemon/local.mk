# daemon: the libevent/libpq shell around lib/.
sbin_PROGRAMS += daemon/wachterd
daemon_wachterd_SOURCES = daemon/wachterd.c
daemon_wachterd_LDADD = $(DAEMON_LIBS)
