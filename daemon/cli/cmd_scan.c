/*
 * cmd_scan.c: wachter scan [-d] [-b events] [-c file] [[-s source] file
 * ...]. Reads history through wachterd's own pipeline (daemon/ops/scan.c):
 * the configured sources' files, or the files named, each read as the
 * source named before it (-s), plain or gzip.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "log.h"
#include "ops/scan.h"
#include "ops/wachterd.h"

#define SCAN_CONF_DEFAULT	WACHTER_SYSCONFDIR "/wachter.conf"

/* Say how it is used. */
static int
scan_usage(void)
{
	fprintf(stderr, "usage: wachter scan [-d] [-b events] [-c file] "
	    "[[-s source] file ...]\n");
	return (SCAN_EXIT_USAGE);
}

/* wachter scan. */
int
cmd_scan(int argc, char **argv)
{
	struct wachterd	 wd;
	struct scan	 sc;
	const char	*path = SCAN_CONF_DEFAULT, *source = NULL;
	char		*end;
	int		 ch, rc;

	memset(&wd, 0, sizeof wd);
	scan_init(&sc);
	/* "-": files come back in order, each after its -s. */
	while ((ch = getopt(argc, argv, "-b:c:ds:")) != -1) {
		switch (ch) {
		case 1:
			scan_add(&sc, source, optarg);
			break;
		case 'b':
			sc.batch = strtoll(optarg, &end, 10);
			if (*end != '\0' || sc.batch < 1 || sc.batch > 1000000) {
				fprintf(stderr, "wachter scan: -b: 1 to 1000000 "
				    "events per transaction\n");
				scan_free(&sc);
				return (SCAN_EXIT_USAGE);
			}
			break;
		case 'c':
			path = optarg;
			break;
		case 'd':
			wd.debug = 1;
			break;
		case 's':
			source = optarg;
			scan_add(&sc, source, NULL);
			break;
		default:
			scan_free(&sc);
			return (scan_usage());
		}
	}
	log_init("wachter scan", wd.debug);
	wd.once = 1;
	wd.scan = &sc;
	rc = wachterd_run(&wd, path);
	scan_free(&sc);
	return (rc);
}
