/*
 * cmd_export.c: `wachter export --db CONNINFO -o FILE` writes the chain as
 * a bundle (docs/CHAIN.md) that `wachter verify --bundle` checks without a
 * database. It copies stored bytes; it checks nothing itself. It streams:
 * memory does not grow with the chain.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain/bundle.h"
#include "cli/cmd.h"
#include "chain_source.h"
#include "util/xmalloc.h"

/* Flush what the buffer holds to f once it is large (or when last). */
static int
export_flush(FILE *f, struct buf *b, int last)
{
	int	 rc = 0;

	if (b->len >= 1 << 20 || (last && b->len > 0)) {
		rc = fwrite(b->data, 1, b->len, f) == b->len ? 0 : -1;
		buf_reset(b);
	}
	return (rc);
}

/*
 * Stream the records, then the checkpoints, as bundle lines into f.
 * -1: a write failed (errno); -2: reading the database failed.
 */
static int
export_stream(struct chain_source *src, FILE *f, uint64_t *nr, uint64_t *nc)
{
	const struct chain_row		*row;
	const struct chain_cprow	*cp;
	struct buf			 b;
	int				 rc = 0, got;

	buf_init(&b);
	chain_bundle_write_head(&b, chain_source_cert(src));
	while (rc == 0 && (got = chain_source_row(src, &row)) == 1) {
		chain_bundle_write_item(&b, "record", row->seq, row->record,
		    row->len);
		(*nr)++;
		rc = export_flush(f, &b, 0);
	}
	if (got < 0)
		rc = -2;
	while (rc == 0 && (got = chain_source_cp(src, &cp)) == 1) {
		chain_bundle_write_item(&b, "checkpoint", cp->n, cp->note,
		    cp->len);
		(*nc)++;
		rc = export_flush(f, &b, 0);
	}
	if (got < 0)
		rc = -2;
	if (rc == 0) {
		chain_bundle_write_end(&b, *nr, *nc);
		rc = export_flush(f, &b, 1);
	}
	buf_free(&b);
	return (rc);
}

/* Write the bundle to path via a temporary file, fsync, then rename. */
static int
export_write(const char *path, struct chain_source *src, uint64_t *nr,
    uint64_t *nc)
{
	char	*tmp;
	FILE	*f;
	int	 rc = -1;

	xasprintf(&tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) != NULL)
		rc = export_stream(src, f, nr, nc);
	if (f != NULL && rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		rc = -1;
	if (f != NULL && fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		fprintf(stderr, "wachter export: %s: %s\n", path,
		    rc == -2 ? chain_source_error(src) : strerror(errno));
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
	struct chain_source	 src;
	const char		*db = NULL, *path = NULL;
	char			*cause;
	uint64_t		 nr = 0, nc = 0;
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
	if (chain_source_db(&src, db, 0, 0, &cause) != 0) {
		fprintf(stderr, "wachter export: %s%s", cause,
		    cause[strlen(cause) - 1] == '\n' ? "" : "\n");
		free(cause);
		return (1);
	}
	rc = export_write(path, &src, &nr, &nc);
	if (rc == 0)
		printf("exported %" PRIu64 " records, %" PRIu64 " checkpoints "
		    "to %s\n", nr, nc, path);
	chain_source_close(&src);
	return (rc == 0 ? 0 : 1);
usage:
	fprintf(stderr, "usage: wachter export --db CONNINFO -o FILE\n");
	return (2);
}
