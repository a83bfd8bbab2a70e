/*
 * cmd_db.c: `wachter db migrate|status`: apply or list schema migrations.
 * The connection string comes from -d, or from the configuration file.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cli/cmd.h"
#include "conf/conf.h"
#include "slurp.h"
#include "store/migrate.h"
#include "util/xmalloc.h"

#define CONF_DEFAULT	WACHTER_SYSCONFDIR "/wachter.conf"

/* The connection string from -d, or from the configuration file. */
char *
cmd_conninfo(const char *dsn, const char *conffile)
{
	struct conf	*c;
	struct buf	 text;
	char		*cause = NULL, *r;

	if (dsn != NULL)
		return (xstrdup(dsn));
	if (conffile == NULL)
		conffile = CONF_DEFAULT;
	buf_init(&text);
	if (slurp_file(conffile, &text, &cause) != 0) {
		fprintf(stderr, "wachter: %s\n", cause);
		free(cause);
		buf_free(&text);
		return (NULL);
	}
	if (conf_parse(conffile, buf_cstr(&text), text.len, &c, &cause) != 0) {
		fprintf(stderr, "%s", cause);
		free(cause);
		buf_free(&text);
		return (NULL);
	}
	buf_free(&text);
	r = xstrdup(c->conninfo);
	conf_free(c);
	return (r);
}

/* Connect synchronously, for command-line use. */
PGconn *
cmd_connect(const char *conninfo)
{
	PGconn	*c;

	c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "wachter: cannot connect to the database: %s",
		    PQerrorMessage(c));
		PQfinish(c);
		return (NULL);
	}
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	return (c);
}

/*
 * The options of commands that reach the database: -d CONNINFO, or -c FILE
 * to take it from the configuration. Returns 0, or -1 on a bad option.
 */
int
cmd_db_options(int argc, char **argv, const char **dsn, const char **conffile)
{
	int	 ch;

	while ((ch = getopt(argc, argv, "c:d:")) != -1) {
		switch (ch) {
		case 'c':
			*conffile = optarg;
			break;
		case 'd':
			*dsn = optarg;
			break;
		default:
			return (-1);
		}
	}
	return (0);
}

/* wachter db migrate|status [-d CONNINFO] [-c FILE] */
int
cmd_db(int argc, char **argv)
{
	const char	*dsn = NULL, *conffile = NULL, *verb;
	char		*conninfo, *cause = NULL;
	PGconn		*c;
	int		 rc = 0, pending;

	if (cmd_db_options(argc, argv, &dsn, &conffile) != 0)
		return (2);
	if (optind != argc - 1) {
		fprintf(stderr, "usage: wachter db migrate|status "
		    "[-d CONNINFO] [-c FILE]\n");
		return (2);
	}
	verb = argv[optind];
	if (strcmp(verb, "migrate") != 0 && strcmp(verb, "status") != 0) {
		fprintf(stderr, "wachter db: unknown action '%s'\n", verb);
		return (2);
	}
	if ((conninfo = cmd_conninfo(dsn, conffile)) == NULL)
		return (1);
	c = cmd_connect(conninfo);
	free(conninfo);
	if (c == NULL)
		return (1);
	if (strcmp(verb, "migrate") == 0)
		rc = migrate_apply(c, 1, &cause) < 0;
	else if ((rc = migrate_pending(c, &pending, &cause) != 0) == 0)
		printf("%d migration(s) pending\n", pending);
	if (rc != 0) {
		fprintf(stderr, "wachter db %s: %s", verb, cause);
		free(cause);
	}
	PQfinish(c);
	return (rc);
}
