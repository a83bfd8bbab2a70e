/*
 * chainstore.c: the daemon's side of the signed chain. Keys are read once
 * at start; the writer is rebuilt from the database on every (re)connect,
 * so after a failed transaction nothing the database does not hold
 * survives in memory. Records and checkpoints join the caller's
 * transaction; only after it committed are checkpoints copied to the
 * off-host sink and, after a seal, the epoch key ratcheted and the old
 * seed erased from memory and from its file.
 *
 * Nothing enters a checkpoint this daemon did not decide (docs/CHAIN.md
 * section 9): every record it writes carries a MAC under its own key,
 * after each commit it notes its last checkpoint and record in the head
 * file, and before it signs anything after a (re)connect the guard
 * replays the stored chain against that head. On any foreign or altered
 * row it refuses, raises the alarm and stays refused.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "checkpoint_sink.h"
#include "keyfile.h"
#include "log.h"
#include "store/chain_sql.h"
#include "store/chainguard.h"
#include "store/chainstore.h"
#include "store/histstore.h"
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
	uint8_t			 mackey[CHAIN_MACKEY];
	struct chain_head	 head;		/* as in KEYDIR/chain.head */
	int			 txn_records;	/* records in the txn */
	int			 txn_cp;	/* a checkpoint in the txn */
	struct chain_checkpoint	 cp;		/* the last of them */
	merkle_hash		 cp_note;
	char			*alarm;		/* refusing to sign: why */
	struct pseudostore	*pseudo;	/* citizens' ids -> handles */
	struct chain_hhead	 hist[CHAIN_HISTS];	/* officers', to sign */
	struct chain_hhead	 hist_read[CHAIN_HISTS];	/* read in the txn */
	int			 hist_txn;	/* hist_read is set */
	char			*hist_alarm;	/* last raised about them */
	int			 hist_raise;	/* insert it in the next txn */
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
	cs->txn_records = 0;
	cs->txn_cp = 0;
	cs->hist_txn = 0;
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
	sodium_memzero(cs->mackey, sizeof cs->mackey);
	free(cs->alarm);
	free(cs->hist_alarm);
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
 * Store the certificate of epoch 1 once; a stored one that is not this
 * daemon's is refused like any foreign row (1).
 */
static int
chainstore_certificate(struct chainstore *cs, PGconn *c, char **cause)
{
	struct chain_sql_stmt	 st;
	PGresult		*r;
	int			 rc = 0;

	r = chain_sql_query(c, "SELECT note FROM wachter.chain_certificate "
	    "WHERE epoch = 1", cause);
	if (r == NULL)
		return (-1);
	if (PQntuples(r) == 0) {
		chain_sql_certificate(&st, 1, &cs->cert);
		rc = chain_sql_exec(c, &st, cause);
		chain_sql_stmt_free(&st);
	} else if ((size_t)PQgetlength(r, 0, 0) != cs->cert.len ||
	    memcmp(PQgetvalue(r, 0, 0), cs->cert.data, cs->cert.len) != 0)
		rc = 1;
	PQclear(r);
	return (rc);
}

/*
 * The head file and MAC key. Without a head file only an empty chain is
 * taken on (a new log); an existing chain is adopted explicitly, after
 * verifying it, with `wachter adopt`.
 */
static int
chainstore_head(struct chainstore *cs, PGconn *c, char **cause)
{
	int64_t	 n;
	int	 found;

	if (chainguard_head_load(cs->keydir, &cs->head, &found, cause) != 0)
		return (-1);
	if (found)
		return (chainguard_mackey(cs->keydir, cs->mackey, 0, cause));
	if (chainguard_count(c, &n, cause) != 0)
		return (-1);
	if (n != 0) {
		xasprintf(cause, "%s/chain.head is missing but the database "
		    "holds a chain: this daemon will not sign rows it cannot "
		    "tell are its own; verify the chain and run `wachter adopt "
		    "--db CONNINFO %s` (docs/CHAIN.md, upgrading)", cs->keydir,
		    cs->keydir);
		return (2);
	}
	memset(&cs->head, 0, sizeof cs->head);
	cs->head.epoch = chain_writer_epoch(cs->w);
	chain_writer_pk(cs->w, cs->head.pk);
	if (chainguard_mackey(cs->keydir, cs->mackey, 1, cause) != 0)
		return (-1);
	return (chainguard_head_store(cs->keydir, &cs->head, cause));
}

/* Refuse to sign: say so loudly, once per distinct reason in the table. */
static void
chainstore_refuse(struct chainstore *cs, PGconn *c, const char *why)
{
	char	*reason;

	xasprintf(&reason, "refusing to sign: %s", why);
	log_crit("CRITICAL: chain tampered: %s; wachterd signs nothing until "
	    "an operator has investigated (docs/CHAIN.md section 9)", reason);
	if (cs->alarm == NULL || strcmp(cs->alarm, reason) != 0)
		chainguard_alarm(c, reason);
	free(cs->alarm);
	cs->alarm = reason;
}

/*
 * The key file against the key the chain expects next: equal, or one
 * epoch behind after a crash between committing a seal and storing the
 * next seed, when one ratchet catches up.
 */
static int
chainstore_keycheck(struct chainstore *cs, uint32_t epoch,
    const uint8_t pk[CHAIN_PK], char **cause)
{
	uint8_t	 have[CHAIN_PK];

	if (chain_writer_epoch(cs->w) + 1 == epoch &&
	    chainstore_ratchet(cs, cause) != 0)
		return (-1);
	chain_writer_pk(cs->w, have);
	if (chain_writer_epoch(cs->w) != epoch ||
	    sodium_memcmp(have, pk, CHAIN_PK) != 0) {
		xasprintf(cause, "%s/epoch.key holds epoch %u, but the chain's "
		    "next checkpoint is due from epoch %u's key", cs->keydir,
		    chain_writer_epoch(cs->w), epoch);
		return (-1);
	}
	return (0);
}

/* The head's records: all the writer holds, their last leaf and tree. */
static void
chainstore_head_records(struct chainstore *cs)
{
	struct chain_head	*h = &cs->head;

	h->size = chain_writer_size(cs->w);	/* also records a restore took on */
	chain_writer_last(cs->w, h->leaf);
	chain_writer_tree(cs->w, &h->tree);
	h->has_tree = 1;
}

/*
 * After a clean check, let the next one start here: note the records
 * checked and their tree when the head file lacks them (a v1 file, or
 * records committed but not noted before a crash).
 */
static int
chainstore_head_resume(struct chainstore *cs, char **cause)
{
	if (cs->head.has_tree && cs->head.size == chain_writer_size(cs->w))
		return (0);
	chainstore_head_records(cs);
	return (chainguard_head_store(cs->keydir, &cs->head, cause));
}

/* Replay the stored chain through the guard; 1 when it refused. */
static int
chainstore_replay(struct chainstore *cs, PGconn *c, char **cause)
{
	struct chain_guard	*g;
	struct timespec		 t0, t1;
	uint8_t			 pk[CHAIN_PK];
	uint64_t		 cp_n, from;
	double			 secs;
	int64_t			 cp_time;
	uint32_t		 epoch;
	int			 rc;

	g = chain_guard_new(&cs->head, cs->origin, cs->rootpk, cs->mackey);
	from = chain_guard_from(g);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = chainguard_replay(c, g, cs->w, cs->head.cp_n, cause);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc == 0)
		log_info("chain: records %llu..%llu checked against chain.head "
		    "in %.3f s", (unsigned long long)from,
		    (unsigned long long)chain_writer_size(cs->w), secs);
	if (rc == 1) {
		chainstore_refuse(cs, c, chain_guard_error(g));
		*cause = xstrdup(cs->alarm);
	}
	if (rc == 0) {
		chain_guard_state(g, &cp_n, &cp_time, &epoch, pk);
		if (cp_n > 0)
			chain_writer_restore_checkpoint(cs->w, cp_n, cp_time);
		rc = chainstore_keycheck(cs, epoch, pk, cause);
	}
	chain_guard_free(g);
	if (rc == 0)
		rc = chainstore_head_resume(cs, cause);
	return (rc);
}

/* Say loudly that the officers' history does not hold, once per reason. */
static void
chainstore_hist_alarm(struct chainstore *cs, const char *why)
{
	if (cs->hist_alarm != NULL && strcmp(cs->hist_alarm, why) == 0)
		return;
	log_crit("CRITICAL: officers' history tampered: %s; its head stays "
	    "at the last row that holds (docs/CHAIN.md section 4a)", why);
	free(cs->hist_alarm);
	cs->hist_alarm = xstrdup(why);
	cs->hist_raise = 1;
}

/*
 * Check the officers' histories against what the last checkpoint signed
 * and take on the rows after it that hold; the next checkpoints sign
 * their heads. A history that does not hold raises the alarm but does
 * not stop the alerts: its head stays where it last held.
 */
static int
chainstore_hist_restore(struct chainstore *cs, PGconn *c, char **cause)
{
	struct histstore_scan	 s;
	struct chain_hhead	 sig[CHAIN_HISTS];
	int			 have;
	char			*why;

	if (histstore_signed(c, sig, &have, cause) != 0)
		return (-1);
	buf_init(&s.findings);
	s.errors = 0;
	if (histstore_scan(c, have ? sig : NULL, &s, cause) != 0) {
		buf_free(&s.findings);
		return (-1);
	}
	if (s.errors != 0) {
		why = xstrdup(buf_cstr(&s.findings) + strlen("error: "));
		why[strcspn(why, "\n")] = '\0';
		chainstore_hist_alarm(cs, why);
		if (cs->hist_raise)
			chainguard_alarm(c, cs->hist_alarm);
		cs->hist_raise = 0;
		free(why);
	} else {
		free(cs->hist_alarm);	/* repaired since */
		cs->hist_alarm = NULL;
	}
	buf_free(&s.findings);
	memcpy(cs->hist, s.head, sizeof cs->hist);
	chain_writer_set_history(cs->w, cs->hist);
	return (0);
}

/*
 * Rebuild the writer from the database (synchronous, at connect), after
 * checking that everything stored is this daemon's own. -1: refused or
 * a database error (retried); 2: the key folder cannot sign this
 * database's chain at all (another log, or no head file), which no
 * retry mends.
 */
int
chainstore_restore(struct chainstore *cs, PGconn *c, int64_t now,
    char **cause)
{
	uint8_t			 seed[CHAIN_SEED];
	uint32_t		 epoch;
	char			*path;
	int			 rc;

	chainstore_abort(cs);
	xasprintf(&path, "%s/epoch.key", cs->keydir);
	rc = keyfile_epoch_load(path, &epoch, seed, cause);
	free(path);
	if (rc != 0)
		return (-1);
	cs->w = chain_writer_new(cs->origin, cs->rootpk, epoch, seed);
	chain_writer_set_version(cs->w, CHAIN_RECORD_V2);
	sodium_memzero(seed, sizeof seed);
	if ((rc = chainguard_log_check(c, cs->keydir, cs->origin, cs->rootpk,
	    cause)) != 0) {
		chainstore_abort(cs);
		return (rc == 1 ? 2 : -1);
	}
	if ((rc = chainstore_certificate(cs, c, cause)) == 1) {
		chainstore_refuse(cs, c, "the stored epoch 1 certificate is "
		    "not the one in the key folder");
		*cause = xstrdup(cs->alarm);
	}
	if (rc == 0 && (rc = chainstore_head(cs, c, cause)) == 0 &&
	    (rc = chainstore_replay(cs, c, cause)) == 0)
		rc = chainstore_hist_restore(cs, c, cause);
	if (rc != 0) {
		chainstore_abort(cs);
		return (rc == 2 ? 2 : -1);
	}
	free(cs->alarm);
	cs->alarm = NULL;
	cs->epoch_started = now;
	cs->last_checkpoint = chain_writer_time(cs->w);
	return (0);
}

/*
 * For wachterd -n: does the database hold the log of this key folder?
 * 0: yes, or it holds none yet; 1: no, or the keys cannot be read (*cause
 * says which); -1: the database cannot tell now (*cause says why).
 */
int
chainstore_check_log(const char *keydir, const char *conninfo, char **cause)
{
	const char	*k[] = { "dbname", "connect_timeout", NULL };
	const char	*v[] = { conninfo, "10", NULL };
	char		 origin[CHAIN_NAME_MAX], *path;
	uint8_t		 pk[CHAIN_PK];
	PGconn		*c;
	int		 rc;

	xasprintf(&path, "%s/root.pub", keydir);
	rc = keyfile_root_load(path, origin, pk, cause);
	free(path);
	if (rc != 0)
		return (1);
	c = PQconnectdbParams(k, v, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		xasprintf(cause, "cannot connect: %s", PQerrorMessage(c));
		(*cause)[strcspn(*cause, "\n")] = '\0';
		rc = -1;
	} else
		rc = chainguard_log_check(c, keydir, origin, pk, cause);
	PQfinish(c);
	return (rc);
}

/*
 * Why the daemon refuses to sign, or why the officers' history does not
 * hold (it signs on, with the last head that held), or NULL.
 */
const char *
chainstore_alarm(const struct chainstore *cs)
{
	return (cs->alarm != NULL ? cs->alarm : cs->hist_alarm);
}

/* Append one alert to the chain, inside txn. Returns its seq. */
uint64_t
chainstore_append(struct chainstore *cs, const struct alert *a, int64_t now,
    struct db_txn *txn)
{
	struct chain_append	 out;
	struct alert		*p;
	uint64_t		 seq;

	p = pseudostore_alert(cs->pseudo, a, txn);
	chain_writer_append(cs->w, p, now, &out);
	alert_free(p);
	chain_record_mac(out.mac, cs->mackey, out.leaf);
	out.hasmac = 1;
	cs->txn_records = 1;
	chain_sql_record_row(txn, &out);
	seq = out.seq;
	chain_append_clear(&out);
	return (seq);
}

/*
 * Make txn fail if the tables hold a record or checkpoint past what this
 * checkpoint signs: somebody else wrote it, and the restore after the
 * failed transaction will say who did not.
 */
static void
chainstore_tip(uint64_t size, uint64_t n, struct db_txn *txn)
{
	struct db_stmt	*s;
	char		*v;

	s = db_txn_add(txn, "SELECT wachter.chain_expect_tip($1, $2)", 2);
	xasprintf(&v, "%llu", (unsigned long long)size);
	db_stmt_take(s, 0, v, 0, 0);
	xasprintf(&v, "%llu", (unsigned long long)n);
	db_stmt_take(s, 1, v, 0, 0);
}

/* The rows a checkpoint transaction read after the signed heads. */
static void
chainstore_hist_rows(void *arg, const PGresult *r)
{
	struct chainstore	*cs = arg;
	char			*why;

	memcpy(cs->hist_read, cs->hist, sizeof cs->hist_read);
	if (histstore_take(r, cs->hist_read, &why) != 0) {
		chainstore_hist_alarm(cs, why);
		free(why);
	}
	cs->hist_txn = 1;
}

/*
 * In a checkpoint transaction: read the officers' rows since the heads
 * this checkpoint signs (the next one signs them), and record an alarm.
 */
static void
chainstore_hist_txn(struct chainstore *cs, struct db_txn *txn)
{
	struct db_stmt	*s;

	if (cs->hist_raise) {
		s = db_txn_add(txn, "INSERT INTO wachter.chain_alarm (reason) "
		    "VALUES ($1)", 1);
		db_stmt_text(s, 0, cs->hist_alarm);
		cs->hist_raise = 0;
	}
	histstore_txn_read(txn, cs->hist, chainstore_hist_rows, cs);
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

	/* A wall clock set back: checkpoints still go forward in time. */
	if (now < cs->last_checkpoint)
		now = cs->last_checkpoint;
	if (now - cs->epoch_started >= cs->epoch_length)
		seal = 1;
	buf_init(&note);
	chain_writer_checkpoint(cs->w, now, seal, &note, &c);
	chainstore_tip(c.size, c.n, txn);
	chain_sql_checkpoint(&st, &c, &note);
	cs->cp = c;
	crypto_hash_sha256(cs->cp_note, note.data, note.len);
	cs->txn_cp = 1;
	chainstore_take(txn, &st);
	buf_add(&cs->notes, note.data, note.len);
	buf_free(&note);
	chainstore_hist_txn(cs, txn);
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
 * The transaction committed: note in the head file what this daemon now
 * has in the database, before the seed may ratchet.
 */
static int
chainstore_note_head(struct chainstore *cs, char **cause)
{
	struct chain_head	*h = &cs->head;
	char			*why;

	if (!cs->txn_records && !cs->txn_cp)
		return (0);
	chainstore_head_records(cs);
	if (cs->txn_cp) {
		h->cp_n = cs->cp.n;
		h->cp_size = cs->cp.size;
		memcpy(h->cp_root, cs->cp.root, MERKLE_HASH);
		memcpy(h->cp_note, cs->cp_note, MERKLE_HASH);
		h->epoch = cs->cp.epoch + (cs->cp.seal ? 1 : 0);
		if (cs->cp.seal)
			memcpy(h->pk, cs->cp.next_pk, CHAIN_PK);
	}
	cs->txn_records = cs->txn_cp = 0;
	if (chainguard_head_store(cs->keydir, h, &why) != 0) {
		xasprintf(cause, "chain head: %s", why);
		free(why);
		return (-1);
	}
	return (0);
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

	if (chainstore_note_head(cs, cause) != 0)
		rc = -1;
	if (cs->hist_txn) {
		memcpy(cs->hist, cs->hist_read, sizeof cs->hist);
		chain_writer_set_history(cs->w, cs->hist);
		cs->hist_txn = 0;
	}
	if (cs->notes.len != 0 && (cs->sink != NULL || cs->use_syslog) &&
	    checkpoint_sink_append(cs->sink, (const char *)cs->notes.data,
	    cs->notes.len, cs->use_syslog, &why) != 0) {
		if (rc == 0)
			xasprintf(cause, "checkpoint sink: %s (kept, retried "
			    "at the next commit)", why);
		free(why);
		rc = -1;
	} else
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
