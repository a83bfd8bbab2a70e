# man: the manual pages, installed by "make install" and linted by
# "make check" (tests/e2e/manlint.sh) when mandoc or groff is present.
dist_man_MANS += man/wachterd.8 man/wachter.1 man/wachter.conf.5 \
	man/wachter-rules.5 man/wachter-officer.7

TESTS += tests/e2e/manlint.sh
EXTRA_DIST += tests/e2e/manlint.sh
