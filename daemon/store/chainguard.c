/*
 * chainguard.c: the head file and MAC key in the key folder, and the
 * replay of the stored chain through the guard. The replay reads the
 * checkpoints from the head's on, then streams the records from the
 * head's last one (every record, for a head file without its tree) row
 * by row, all in one REPEATABLE READ snapshot, so memory stays bounded
 * and the cost follows what was added since the head, not the history.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "keyfile.h"
#include "store/chain_sql.h"
#include "store/chainguard.h"
#include "util/xmalloc.h"

#define CHAINGUARD_MAC_MAGIC	"wachter-chain-mac v1\n"

/* Load KEYDIR/chain.head; *found is 0 when there is none. */
int
chainguard_head_load(const char *keydir, struct chain_head *h, int *found,
    char **cause)
{
	struct buf	 b;
	char		*path, *why;
	int		 rc = 0;

	*found = 0;
	xasprintf(&path, "%s/chain.head", keydir);
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		free(path);
		return (0);
	}
	buf_init(&b);
	if (keyfile_read(path, 1, &b, cause) != 0)
		rc = -1;
	else if (chain_head_parse((char *)b.data, b.len, h, &why) != 0) {
		xasprintf(cause, "%s: %s", path, why);
		free(why);
		rc = -1;
	} else
		*found = 1;
	buf_free(&b);
	free(path);
	return (rc);
}

/* Replace KEYDIR/chain.head (fsynced). */
int
chainguard_head_store(const char *keydir, const struct chain_head *h,
    char **cause)
{
	struct buf	 b;
	char		*path;
	int		 rc;

	buf_init(&b);
	chain_head_format(&b, h);
	xasprintf(&path, "%s/chain.head", keydir);
	rc = keyfile_replace(path, b.data, b.len, cause);
	free(path);
	buf_free(&b);
	return (rc);
}

/* Load KEYDIR/chain.mac, or create it (0600) when create is set. */
int
chainguard_mackey(const char *keydir, uint8_t key[CHAIN_MACKEY], int create,
    char **cause)
{
	struct buf	 b;
	char		*path;
	size_t		 m = sizeof CHAINGUARD_MAC_MAGIC - 1;
	int		 rc = 0;

	xasprintf(&path, "%s/chain.mac", keydir);
	buf_init(&b);
	if (create && access(path, F_OK) != 0 && errno == ENOENT) {
		randombytes_buf(key, CHAIN_MACKEY);
		buf_adds(&b, CHAINGUARD_MAC_MAGIC);
		chain_b64(&b, key, CHAIN_MACKEY);
		buf_addc(&b, '\n');
		rc = keyfile_create(path, b.data, b.len, 1, cause);
	} else if (keyfile_read(path, 1, &b, cause) != 0)
		rc = -1;
	else if (b.len != m + 45 || memcmp(b.data, CHAINGUARD_MAC_MAGIC, m) ||
	    chain_unb64(key, CHAIN_MACKEY, (char *)b.data + m, 44) != 0) {
		xasprintf(cause, "%s: not a chain MAC key file", path);
		rc = -1;
	}
	sodium_memzero(b.data, b.len);
	buf_free(&b);
	free(path);
	return (rc);
}

/* How many records and checkpoints the tables hold (an upgrade check). */
int
chainguard_count(PGconn *c, int64_t *n, char **cause)
{
	PGresult	*r;

	r = chain_sql_query(c, "SELECT (SELECT count(*) FROM "
	    "wachter.chain_record) + (SELECT count(*) FROM "
	    "wachter.chain_checkpoint)", cause);
	if (r == NULL)
		return (-1);
	*n = chain_sql_be(r, 0, 0);
	PQclear(r);
	return (0);
}

/* Run a query with one integer parameter and binary results. */
static PGresult *
chainguard_query(PGconn *c, const char *sql, int64_t arg, char **cause)
{
	PGresult	*r;
	char		 s[32];
	const char	*v[1] = { s };

	snprintf(s, sizeof s, "%" PRId64, arg);
	r = PQexecParams(c, sql, 1, NULL, v, NULL, NULL, 1);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "%s", PQresultErrorMessage(r));
		PQclear(r);
		return (NULL);
	}
	return (r);
}

/* Feed the checkpoints from the head's on. -1: error, 1: refused. */
static int
chainguard_checkpoints(PGconn *c, struct chain_guard *g, uint64_t from,
    char **cause)
{
	PGresult	*r;
	int		 i, rc = 0;

	if ((r = chainguard_query(c, "SELECT n, note FROM "
	    "wachter.chain_checkpoint WHERE n >= $1 ORDER BY n",
	    (int64_t)from, cause)) == NULL)
		return (-1);
	for (i = 0; i < PQntuples(r) && rc == 0; i++)
		if (chain_guard_checkpoint(g, chain_sql_be(r, i, 0),
		    PQgetvalue(r, i, 1), PQgetlength(r, i, 1)) != 0)
			rc = 1;
	PQclear(r);
	return (rc);
}

/* Feed one streamed record row into the guard; 1 if refused. */
static int
chainguard_row(struct chain_guard *g, const PGresult *r)
{
	merkle_hash	 leaf;
	int64_t		 t;

	if (chain_guard_record(g, chain_sql_be(r, 0, 0),
	    (const uint8_t *)PQgetvalue(r, 0, 1), PQgetlength(r, 0, 1),
	    PQgetisnull(r, 0, 2) ? NULL : (const uint8_t *)PQgetvalue(r, 0, 2),
	    PQgetlength(r, 0, 2), leaf, &t) != 0)
		return (1);
	return (0);
}

/*
 * Resuming at the head's record: the rows before it must still be
 * numbered 1..size without a gap (their content is pinned by the head's
 * record, section 9). -1: error, 1: refused.
 */
static int
chainguard_prefix(PGconn *c, struct chain_guard *g, char **cause)
{
	PGresult	*r;
	int		 rc;

	if (chain_guard_from(g) <= 1)
		return (0);
	if ((r = chainguard_query(c, "SELECT count(*), coalesce(min(seq), 0) "
	    "FROM wachter.chain_record WHERE seq <= $1",
	    (int64_t)chain_guard_from(g), cause)) == NULL)
		return (-1);
	rc = chain_guard_prefix(g, chain_sql_be(r, 0, 0),
	    chain_sql_be(r, 0, 1)) != 0;
	PQclear(r);
	return (rc);
}

/*
 * Stream the records from the guard's first on, one row at a time (the
 * server reads ahead while the guard hashes). A refusal stops feeding;
 * the rest is drained.
 */
static int
chainguard_records(PGconn *c, struct chain_guard *g, char **cause)
{
	PGresult	*r;
	char		 s[32];
	const char	*v[1] = { s };
	int		 rc = 0;

	snprintf(s, sizeof s, "%" PRIu64, chain_guard_from(g));
	if (!PQsendQueryParams(c, "SELECT seq, record, mac FROM "
	    "wachter.chain_record WHERE seq >= $1 ORDER BY seq", 1, NULL, v,
	    NULL, NULL, 1) || !PQsetSingleRowMode(c)) {
		xasprintf(cause, "%s", PQerrorMessage(c));
		return (-1);
	}
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
			if (rc == 0)
				rc = chainguard_row(g, r);
		} else if (PQresultStatus(r) != PGRES_TUPLES_OK && rc != -1) {
			xasprintf(cause, "%s", PQresultErrorMessage(r));
			rc = -1;
		}
		PQclear(r);
	}
	return (rc);
}

/*
 * Check the stored chain through the guard, in one snapshot: checkpoints
 * from number cp_from on, then the records from the guard's first (the
 * head's last record when the head file holds its tree, else record 1).
 * The writer takes on the checked tree. 0: the chain is this daemon's
 * own; 1: refused (the guard says why); -1: database error in *cause.
 */
int
chainguard_replay(PGconn *c, struct chain_guard *g, struct chain_writer *w,
    uint64_t cp_from, char **cause)
{
	struct merkle_frontier	 tree;
	merkle_hash		 last;
	int64_t			 t;
	int			 rc;
	char			*why = NULL;

	if (chain_sql_command(c, "BEGIN ISOLATION LEVEL REPEATABLE READ "
	    "READ ONLY", cause) != 0)
		return (-1);
	rc = chainguard_checkpoints(c, g, cp_from, cause);
	if (rc == 0) {
		chain_guard_checkpoints_done(g);
		rc = chainguard_prefix(c, g, cause);
	}
	if (rc == 0)
		rc = chainguard_records(c, g, cause);
	if (rc == 0 && chain_guard_end(g) != 0)
		rc = 1;
	if (chain_sql_command(c, rc == -1 ? "ROLLBACK" : "COMMIT", &why) != 0) {
		if (rc != -1)
			*cause = why;
		else
			free(why);
		return (-1);
	}
	if (rc == 0) {
		chain_guard_tree(g, &tree, last, &t);
		chain_writer_restore_tree(w, &tree, last, t);
	}
	return (rc);
}

/* A log's name for people: ORIGIN+KEYID of its root key, in hex. */
static char *
chainguard_log_name(const char *origin, const uint8_t id[4])
{
	char	*s;

	xasprintf(&s, "%s+%02x%02x%02x%02x", origin, id[0], id[1], id[2],
	    id[3]);
	return (s);
}

/*
 * Which log the database holds, against the log of the key folder: the
 * signer of the stored epoch 1 certificate, or without one the log id
 * of record 1. 0: the same log, an empty database or nothing to tell by
 * (a damaged certificate is the guard's to judge); 1: another log, said
 * in *cause; -1: database error.
 */
int
chainguard_log_check(PGconn *c, const char *keydir, const char *origin,
    const uint8_t rootpk[CHAIN_PK], char **cause)
{
	PGresult		*r;
	struct chain_note	 n;
	merkle_hash		 id;
	uint8_t			 kid[4];
	char			*why, *ours, *theirs = NULL;

	r = chain_sql_query(c, "SELECT (SELECT note FROM "
	    "wachter.chain_certificate WHERE epoch = 1), (SELECT "
	    "substring(record from 26 for 32) FROM wachter.chain_record "
	    "WHERE seq = 1)", cause);
	if (r == NULL)
		return (-1);
	chain_key_id(kid, origin, rootpk);
	chain_log_id(id, rootpk);
	if (!PQgetisnull(r, 0, 0)) {
		if (chain_note_split(PQgetvalue(r, 0, 0), PQgetlength(r, 0, 0),
		    &n, &why) != 0)
			free(why);
		else if (strcmp(n.name, origin) != 0 ||
		    memcmp(n.keyid, kid, sizeof kid) != 0)
			theirs = chainguard_log_name(n.name, n.keyid);
	} else if (!PQgetisnull(r, 0, 1) && PQgetlength(r, 0, 1) ==
	    MERKLE_HASH && memcmp(PQgetvalue(r, 0, 1), id, MERKLE_HASH) != 0)
		xasprintf(&theirs, "whose log id begins %02x%02x%02x%02x...",
		    (uint8_t)PQgetvalue(r, 0, 1)[0],
		    (uint8_t)PQgetvalue(r, 0, 1)[1],
		    (uint8_t)PQgetvalue(r, 0, 1)[2],
		    (uint8_t)PQgetvalue(r, 0, 1)[3]);
	PQclear(r);
	if (theirs == NULL)
		return (0);
	ours = chainguard_log_name(origin, kid);
	xasprintf(cause, "keys in %s belong to log %s; the database holds log "
	    "%s: set keys: to the key folder of the database's log, or "
	    "database: to the database of these keys (a new key folder "
	    "starts a new log and needs an empty database)", keydir, ours,
	    theirs);
	free(ours);
	free(theirs);
	return (1);
}

/* Record a refusal where an auditor sees it (best effort). */
void
chainguard_alarm(PGconn *c, const char *reason)
{
	PGresult	*r;
	const char	*v[1] = { reason };

	r = PQexecParams(c, "INSERT INTO wachter.chain_alarm (reason) VALUES "
	    "($1)", 1, NULL, v, NULL, NULL, 0);
	PQclear(r);
}
