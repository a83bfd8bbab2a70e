# contrib: what an administrator installs next to wachterd: the systemd
# unit, sysusers and tmpfiles snippets, a logrotate example and the
# example configuration (installed as $(sysconfdir)/wachter/).
wachterconfdir = $(sysconfdir)/wachter
dist_wachterconf_DATA = contrib/wachter.conf.example
EXTRA_DIST += contrib/wachterd.service contrib/wachter.sysusers \
	contrib/wachter.tmpfiles contrib/logrotate.d/wachter

check_PROGRAMS += tests/tools/confcheck
tests_tools_confcheck_LDADD = $(WACHTER_LIBS)
TESTS += tests/e2e/contrib.sh
EXTRA_DIST += tests/e2e/contrib.sh tests/e2e/lib.sh
