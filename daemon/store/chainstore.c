/*
 * chainstore.c: the daemon's side of the signed chain. Keys are read once
 * at start; the writer is rebuilt from the database on every (re)connect,
 * so after a failed transaction nothing the database does not hold
 * survives in memory. Records and checkpoints join the caller's
 * transaction; only after it committed are checkpoints copied to the
 * off-host sink and, after a seal, the epoch key ratcheted and the old
 * seed erased from memory and from its file.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "checkpoint_sink.h"
#include "keyfile.h"
#include "log.h"
#include "store/chain_sql.h"
#include "store/chainstore.h"
#include "store/pseudostore.h"
#include "util/xmalloc.h"

struct chainstore {
	char			*keydir;
	char			*sink;
	int			 use_syslog;
	int64_t			 epoch_length;
	char			 origin[CHAIN_NAME_MAX];
	uint8_t			 rootpk[CHAIN_PK];
	struct buf		 cert;		/* root-signed epoch 1 */
	struct chain_writer	*w;
	int64_t			 epoch_started;	/* µs, wall clock */
	struct buf		 notes;		/* checkpoints to sink */
	int			 sealing;	/* a seal is in the txn */
	int64_t			 last_checkpoint;
	struct pseudostore	*pseudo;	/* citizens' ids -> handles */
};

/* Move a chain statement's parameters into a transaction statement. */
static void
chainstore_take(struct db_txn *txn, struct chain_sql_stmt *st)
{
	struct db_stmt	*s;
	int		 i;

	s = db_txn_add(txn, st->sql, st->n);
	for (i = 0; i < st->n; i++) {
		db_stmt_take(s, i, st->values[i], st->lengths[i],
		    st->formats[i]);
		st->values[i] = NULL;
	}
	st->n = 0;
}

/* Read the key files (root public key, epoch 1 certificate). */
struct chainstore *
chainstore_open(const char *keydir, const char *sink, int use_syslog,
    int64_t epoch_length, char **cause)
{
	struct chainstore	*cs;
	char			*path;
	int			 rc;

	cs = xcalloc(1, sizeof *cs);
	cs->keydir = xstrdup(keydir);
	cs->sink = sink != NULL ? xstrdup(sink) : NULL;
	cs->use_syslog = use_syslog;
	cs->epoch_length = epoch_length;
	buf_init(&cs->cert);
	buf_init(&cs->notes);
	xasprintf(&path, "%s/root.pub", keydir);
	rc = keyfile_root_load(path, cs->origin, cs->rootpk, cause);
	free(path);
	if (rc == 0) {
		xasprintf(&path, "%s/epoch-1.cert", keydir);
		rc = keyfile_read(path, 0, &cs->cert, cause);
		free(path);
	}
	if (rc == 0 && (cs->pseudo = pseudostore_open(keydir, cause)) == NULL)
		rc = -1;
	if (rc != 0) {
		chainstore_free(cs);
		return (NULL);
	}
	return (cs);
}

/* Forget the writer (after a failed transaction or a lost connection). */
void
chainstore_abort(struct chainstore *cs)
{
	chain_writer_free(cs->w);
	cs->w = NULL;
	buf_reset(&cs->notes);
	cs->sealing = 0;
}

/* Free everything; secrets are wiped by the writer. */
void
chainstore_free(struct chainstore *cs)
{
	if (cs == NULL)
		return;
	chainstore_abort(cs);
	buf_free(&cs->cert);
	buf_free(&cs->notes);
	pseudostore_free(cs->pseudo);
	free(cs->keydir);
	free(cs->sink);
	free(cs);
}

/* Store the next epoch's seed over the old one. */
static int
chainstore_ratchet(struct chainstore *cs, char **cause)
{
	uint8_t	 seed[CHAIN_SEED];
	char	*path;
	int	 rc;

	chain_writer_ratchet(cs->w, seed);
	xasprintf(&path, "%s/epoch.key", cs->keydir);
	rc = keyfile_epoch_store(path, chain_writer_epoch(cs->w), seed, 0,
	    cause);
	sodium_memzero(seed, sizeof seed);
	free(path);
	return (rc);
}

/*
 * Rebuild the writer from the database (synchronous, at connect): the
 * certificate is stored once, every record is re-hashed from its bytes.
 */
int
chainstore_restore(struct chainstore *cs, PGconn *c, int64_t now,
    char **cause)
{
	struct chain_sql_stmt	 st;
	uint8_t			 seed[CHAIN_SEED];
	uint32_t		 epoch, sealed;
	PGresult		*r;
	char			*path;
	int			 rc;

	chainstore_abort(cs);
	xasprintf(&path, "%s/epoch.key", cs->keydir);
	rc = keyfile_epoch_load(path, &epoch, seed, cause);
	free(path);
	if (rc != 0)
		return (-1);
	r = PQexec(c, "SELECT 1 FROM wachter.chain_certificate WHERE epoch = 1");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 0) {
		chain_sql_certificate(&st, 1, &cs->cert);
		rc = chain_sql_exec(c, &st, cause);
		chain_sql_stmt_free(&st);
	}
	PQclear(r);
	if (rc != 0) {
		sodium_memzero(seed, sizeof seed);
		return (-1);
	}
	cs->w = chain_writer_new(cs->origin, cs->rootpk, epoch, seed);
	chain_writer_set_version(cs->w, CHAIN_RECORD_V2);
	sodium_memzero(seed, sizeof seed);
	if (chain_sql_restore(c, cs->w, &sealed, cause) != 0) {
		chainstore_abort(cs);
		return (-1);
	}
	if (sealed == epoch && chainstore_ratchet(cs, cause) != 0) {
		chainstore_abort(cs);
		return (-1);
	}
	cs->epoch_started = now;
	cs->last_checkpoint = chain_writer_time(cs->w);
	return (0);
}

/* Append one alert to the chain, inside txn. Returns its seq. */
uint64_t
chainstore_append(struct chainstore *cs, const struct alert *a, int64_t now,
    struct db_txn *txn)
{
	struct chain_append	 out;
	struct chain_sql_stmt	 st;
	struct alert		*p;
	uint64_t		 seq;

	p = pseudostore_alert(cs->pseudo, a, txn);
	chain_writer_append(cs->w, p, now, &out);
	alert_free(p);
	chain_sql_record(&st, &out);
	chainstore_take(txn, &st);
	seq = out.seq;
	chain_append_clear(&out);
	return (seq);
}

/*
 * Add a signed checkpoint to txn; it seals the epoch when the epoch has
 * lasted long enough or when seal is asked for (draining).
 */
void
chainstore_checkpoint(struct chainstore *cs, int64_t now, int seal,
    struct db_txn *txn)
{
	struct chain_checkpoint	 c;
	struct chain_sql_stmt	 st;
	struct buf		 note;

	if (now - cs->epoch_started >= cs->epoch_length)
		seal = 1;
	buf_init(&note);
	chain_writer_checkpoint(cs->w, now, seal, &note, &c);
	chain_sql_checkpoint(&st, &c, &note);
	chainstore_take(txn, &st);
	buf_add(&cs->notes, note.data, note.len);
	buf_free(&note);
	cs->sealing |= seal;
	cs->last_checkpoint = now;
}

/* Time of the last checkpoint (µs), for scheduling and metrics. */
int64_t
chainstore_last_checkpoint(const struct chainstore *cs)
{
	return (cs->last_checkpoint);
}

/* Records in the chain. */
uint64_t
chainstore_size(const struct chainstore *cs)
{
	return (cs->w != NULL ? chain_writer_size(cs->w) : 0);
}

/*
 * The transaction committed: copy its checkpoints off the host, and after
 * a seal move to the next epoch's key.
 */
int
chainstore_committed(struct chainstore *cs, int64_t now, char **cause)
{
	int	 rc = 0;
	char	*why = NULL;

	if (cs->notes.len != 0 && (cs->sink != NULL || cs->use_syslog) &&
	    checkpoint_sink_append(cs->sink, (const char *)cs->notes.data,
	    cs->notes.len, cs->use_syslog, &why) != 0) {
		xasprintf(cause, "checkpoint sink: %s", why);
		free(why);
		rc = -1;
	}
	buf_reset(&cs->notes);
	if (cs->sealing) {
		cs->sealing = 0;
		if (chainstore_ratchet(cs, &why) != 0) {
			if (rc == 0)
				xasprintf(cause, "epoch key: %s", why);
			free(why);
			return (-1);
		}
		cs->epoch_started = now;
	}
	return (rc);
}
