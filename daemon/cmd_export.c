/*
 * cmd_export.c: `wachter export --db CONNINFO -o FILE` writes the chain as
 * a bundle (docs/CHAIN.md) that `wachter verify --bundle` checks without a
 * database. It copies stored bytes; it checks nothing itself.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain/bundle.h"
#include "cmd.h"
#include "store/chain_sql.h"
#include "util/xmalloc.h"

/* Write the bundle to path via a temporary file, then rename. */
static int
export_write(const char *path, const struct buf *b)
{
	char	*tmp;
	FILE	*f;
	int	 rc = 0;

	xasprintf(&tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL ||
	    fwrite(b->data, 1, b->len, f) != b->len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0)
		rc = -1;
	if (f != NULL && fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		fprintf(stderr, "wachter export: %s: %s\n", path,
		    strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return (rc);
}

/* wachter export --db CONNINFO -o FILE */
int
cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct chain_sql_data	 d;
	struct buf		 out;
	const char		*db = NULL, *path = NULL;
	PGconn			*conn;
	char			*cause;
	int			 ch, rc;

	while ((ch = getopt_long(argc, argv, "d:o:", longopts, NULL)) != -1) {
		if (ch == 'd')
			db = optarg;
		else if (ch == 'o')
			path = optarg;
		else
			goto usage;
	}
	if (db == NULL || path == NULL || optind != argc)
		goto usage;
	conn = PQconnectdb(db);
	if (PQstatus(conn) != CONNECTION_OK ||
	    chain_sql_load(conn, &d, &cause) != 0) {
		fprintf(stderr, "wachter export: %s", PQstatus(conn) !=
		    CONNECTION_OK ? PQerrorMessage(conn) : cause);
		PQfinish(conn);
		return (1);
	}
	buf_init(&out);
	chain_bundle_write(&out, &d.cert, d.rows, d.nrows, d.cps, d.ncps);
	rc = export_write(path, &out);
	if (rc == 0)
		printf("exported %zu records, %zu checkpoints to %s\n", d.nrows,
		    d.ncps, path);
	buf_free(&out);
	chain_sql_data_free(&d);
	PQfinish(conn);
	return (rc == 0 ? 0 : 1);
usage:
	fprintf(stderr, "usage: wachter export --db CONNINFO -o FILE\n");
	return (2);
}
