/*
 * chain_source.c: a chain from the database or from a bundle file, fed to
 * chain_verify_feed one record and one checkpoint at a time.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "chain_source.h"
#include "util/xmalloc.h"

#define CHAIN_SOURCE_PROGRESS	100000	/* records between progress lines */

/* Open the database chain in one snapshot. */
int
chain_source_db(struct chain_source *s, const char *conninfo,
    int64_t alarms_seen, int typed, char **cause)
{
	memset(s, 0, sizeof *s);
	buf_init(&s->data);
	s->progress = isatty(STDERR_FILENO);
	s->conn = PQconnectdb(conninfo);
	if (PQstatus(s->conn) != CONNECTION_OK) {
		*cause = xstrdup(PQerrorMessage(s->conn));
		PQfinish(s->conn);
		s->conn = NULL;
		return (-1);
	}
	if (chain_read_open(&s->db, s->conn, conninfo, alarms_seen, typed,
	    cause) != 0) {
		PQfinish(s->conn);
		s->conn = NULL;
		return (-1);
	}
	return (0);
}

/* Read one line of the bundle; -1 malformed or unreadable, 0 at EOF. */
static int
chain_source_line(struct chain_source *s, int *kind, int64_t *n)
{
	ssize_t	 len;
	int	 nl;

	if ((len = getline(&s->line, &s->cap, s->f)) == -1) {
		if (ferror(s->f)) {
			xasprintf(&s->cause, "%s: %s", s->path, strerror(errno));
			return (-1);
		}
		return (0);
	}
	nl = len > 0 && s->line[len - 1] == '\n';
	if (chain_bundle_next(&s->rd, s->line, len - nl, nl, &s->data, kind,
	    n) != 0) {
		xasprintf(&s->cause, "%s:%zu: malformed bundle line", s->path,
		    s->rd.line);
		return (-1);
	}
	return (1);
}

/*
 * Open a bundle: a first pass checks every line, keeps the certificate
 * and the checkpoints, and needs the end line; records are read in the
 * second pass, as they are verified.
 */
int
chain_source_bundle(struct chain_source *s, const char *path, char **cause)
{
	int64_t	 n;
	int	 kind, rc;

	memset(s, 0, sizeof *s);
	buf_init(&s->data);
	buf_init(&s->b.cert);
	s->path = path;
	s->progress = isatty(STDERR_FILENO);
	if ((s->f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	s->rd.skip_records = 1;	/* their base64 is checked as they are read */
	while ((rc = chain_source_line(s, &kind, &n)) == 1)
		if (kind == 'c' || kind == 'k')
			chain_bundle_keep(&s->b, kind, n, &s->data);
	if (rc == 0 && !s->rd.ended)
		xasprintf(&s->cause, "%s: no end line (file cut short?)", path);
	if (rc != 0 || !s->rd.ended) {
		*cause = s->cause;
		s->cause = NULL;
		return (-1);
	}
	chain_bundle_link(&s->b);
	rewind(s->f);
	memset(&s->rd, 0, sizeof s->rd);
	return (0);
}

/* The root's certificate of epoch 1 (empty if there is none). */
const struct buf *
chain_source_cert(const struct chain_source *s)
{
	return (s->conn != NULL ? &s->db.cert : &s->b.cert);
}

/* The next record of a bundle: records come before checkpoints. */
static int
chain_source_bundle_row(struct chain_source *s, const struct chain_row **out)
{
	int64_t	 n;
	int	 kind, rc;

	while ((rc = chain_source_line(s, &kind, &n)) == 1 && kind != 'r')
		if (kind == 'k' || kind == 'e')
			return (0);
	if (rc != 1)
		return (rc == 0 ? 0 : -1);
	memset(&s->row, 0, sizeof s->row);
	s->row.seq = n;
	s->row.record = s->data.data;
	s->row.len = s->data.len;
	*out = &s->row;
	return (1);
}

/* The next record, from either source (a chain_next_row). */
int
chain_source_row(void *arg, const struct chain_row **out)
{
	struct chain_source	*s = arg;
	int			 rc;

	if (s->conn != NULL)
		rc = chain_read_row(&s->db, out);
	else
		rc = chain_source_bundle_row(s, out);
	if (rc == 1 && ++s->nrows % CHAIN_SOURCE_PROGRESS == 0 && s->progress)
		fprintf(stderr, "\r%" PRIu64 " records read", s->nrows);
	if (rc != 1 && s->progress && s->nrows >= CHAIN_SOURCE_PROGRESS)
		fprintf(stderr, "\r%" PRIu64 " records read\n", s->nrows);
	return (rc);
}

/* The next checkpoint, from either source (a chain_next_cp). */
int
chain_source_cp(void *arg, const struct chain_cprow **out)
{
	struct chain_source	*s = arg;

	if (s->conn != NULL)
		return (chain_read_cp(&s->db, out));
	if (s->cpi >= s->b.ncps)
		return (0);
	*out = &s->b.cps[s->cpi++];
	return (1);
}

/* Why a read failed. */
const char *
chain_source_error(const struct chain_source *s)
{
	if (s->conn != NULL)
		return (s->db.cause != NULL ? s->db.cause : "read failed");
	return (s->cause != NULL ? s->cause : "read failed");
}

/* Close and free. */
void
chain_source_close(struct chain_source *s)
{
	if (s->conn != NULL) {
		(void)chain_read_close(&s->db, NULL);
		PQfinish(s->conn);
	}
	if (s->f != NULL)
		fclose(s->f);
	chain_bundle_free(&s->b);
	buf_free(&s->data);
	free(s->line);
	free(s->cause);
	memset(s, 0, sizeof *s);
}
