/*
 * db.c: the daemon's PostgreSQL connection, asynchronous on libevent.
 *
 * Connecting uses PQconnectStart/PQconnectPoll, re-arming the event on
 * PQsocket() each time. Once up, the owner's up callback may run a few
 * synchronous statements (loading state), then the connection enters
 * pipeline mode: a transaction is BEGIN, its statements and COMMIT with
 * one sync, read back as results arrive. Any error, or a lost connection,
 * fails the whole transaction; the owner then rebuilds its state from
 * what was committed (see daemon/ops/pipeline.c), so nothing is written
 * twice and nothing is lost. Reconnection backs off from 1 s to a cap of
 * 30 s.
 *
 * Every statement is prepared once per connection (its text names it),
 * so the server plans it once, not once per row. A transaction goes to
 * libpq a piece at a time as the socket drains: libpq shifts its output
 * buffer down after each partial send, so queueing a transaction of
 * 100,000 statements at once would cost the square of its size.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "log.h"
#include "store/db.h"
#include "util/xmalloc.h"

#define DB_BACKOFF_MIN	1
#define DB_BACKOFF_MAX	30
#define DB_SEND_BYTES	(256 * 1024)	/* given to libpq at a time */

enum db_state {
	DB_DOWN = 0,
	DB_CONNECTING,
	DB_IDLE,
	DB_RUNNING,
};

struct db {
	struct event_base *base;
	char		*conninfo;
	PGconn		*conn;
	enum db_state	 state;
	struct event	*ev;		/* on PQsocket() */
	struct event	*ev_write;	/* while libpq has output left */
	struct event	*retry;		/* reconnect timer */
	struct event	*failed;	/* a send that failed, told from the loop */
	int		 backoff;
	db_up_cb	 up_cb;
	db_down_cb	 down_cb;
	void		*arg;
	db_done_cb	 done_cb;	/* the transaction in flight */
	void		*done_arg;
	char		*txn_error;
	int		 synced;
	db_rows_cb	 rows;		/* of the transaction in flight */
	void		*rows_arg;
	size_t		 rows_at;	/* result number they come as */
	size_t		 rows_stmt;	/* statement whose rows they are */
	size_t		 nres;		/* results finished so far */
	size_t		 queued;	/* commands given to libpq so far */
	struct db_txn	 out;		/* the transaction in flight, owned */
	size_t		 outnext;	/* BEGIN 0, statements, COMMIT n + 1 */
	struct db_prep	*preps;		/* statements prepared on conn */
	size_t		 nprep;
	unsigned	 prepgen;	/* names are never used twice */
};

/* A statement prepared on this connection, by its text. */
struct db_prep {
	char		*sql;
	char		 name[16];
};

static void	db_connect_poll(int, short, void *);
static void	db_io(int, short, void *);
static void	db_retry(int, short, void *);
static void	db_send_failed(int, short, void *);
static void	db_writable(int, short, void *);

/* Free the statements of the transaction in flight. */
static void
db_out_free(struct db *db)
{
	db_txn_clear(&db->out);
	free(db->out.stmts);
	db_txn_init(&db->out);
}

/* Forget what was prepared (a new connection, or a failed transaction). */
static void
db_preps_forget(struct db *db)
{
	size_t	 i;

	for (i = 0; i < db->nprep; i++)
		free(db->preps[i].sql);
	free(db->preps);
	db->preps = NULL;
	db->nprep = 0;
}

/* Create a connection object; db_start connects. */
struct db *
db_new(struct event_base *base, const char *conninfo, db_up_cb up,
    db_down_cb down, void *arg)
{
	struct db	*db;

	db = xcalloc(1, sizeof *db);
	db->base = base;
	db->conninfo = xstrdup(conninfo);
	db->up_cb = up;
	db->down_cb = down;
	db->arg = arg;
	db->backoff = DB_BACKOFF_MIN;
	db->retry = evtimer_new(base, db_retry, db);
	db->failed = evtimer_new(base, db_send_failed, db);
	return (db);
}

/* Use another connection string from the next connection on. */
void
db_set_conninfo(struct db *db, const char *conninfo)
{
	free(db->conninfo);
	db->conninfo = xstrdup(conninfo);
}

/* Drop the socket event and the connection. */
static void
db_close(struct db *db)
{
	evtimer_del(db->failed);
	if (db->ev != NULL) {
		event_free(db->ev);
		db->ev = NULL;
	}
	if (db->ev_write != NULL) {
		event_free(db->ev_write);
		db->ev_write = NULL;
	}
	if (db->conn != NULL) {
		PQfinish(db->conn);
		db->conn = NULL;
	}
	db_out_free(db);
	db_preps_forget(db);
}

/* Close and free. */
void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	db_close(db);
	event_free(db->retry);
	event_free(db->failed);
	free(db->txn_error);
	free(db->conninfo);
	free(db);
}

/* Watch the socket for what libpq waits for. */
static void
db_watch(struct db *db, short what, event_callback_fn cb)
{
	if (db->ev != NULL)
		event_free(db->ev);
	db->ev = event_new(db->base, PQsocket(db->conn), what, cb, db);
	event_add(db->ev, NULL);
}

/* Schedule a reconnection after the current backoff. */
static void
db_schedule_retry(struct db *db)
{
	struct timeval	 tv = { db->backoff, 0 };

	evtimer_add(db->retry, &tv);
	db->backoff *= 2;
	if (db->backoff > DB_BACKOFF_MAX)
		db->backoff = DB_BACKOFF_MAX;
}

/*
 * The connection failed or was lost: fail the transaction in flight, tell
 * the owner, and try again later.
 */
void
db_fail(struct db *db, const char *why)
{
	db_done_cb	 cb = db->done_cb;
	enum db_state	 was = db->state;

	db_close(db);
	db->state = DB_DOWN;
	db->done_cb = NULL;
	if (was == DB_RUNNING && cb != NULL)
		cb(db->done_arg, 0, why);
	if (was != DB_DOWN && was != DB_CONNECTING)
		db->down_cb(db->arg, why);
	else
		log_warnx("database: cannot connect: %s", why);
	db_schedule_retry(db);
}

/* The text of the connection's last error, one line. */
static char *
db_error_text(PGconn *c)
{
	char	*s, *nl;

	s = xstrdup(c != NULL ? PQerrorMessage(c) : "no connection");
	while ((nl = strrchr(s, '\n')) != NULL && nl[1] == '\0')
		*nl = '\0';
	for (nl = s; *nl != '\0'; nl++)
		if (*nl == '\n')
			*nl = ' ';
	return (s);
}

/* Fail with the connection's own error text. */
static void
db_fail_conn(struct db *db)
{
	char	*e = db_error_text(db->conn);

	db_fail(db, e);
	free(e);
}

/* Start connecting. */
void
db_start(struct db *db)
{
	db->state = DB_CONNECTING;
	db->conn = PQconnectStart(db->conninfo);
	if (db->conn == NULL || PQstatus(db->conn) == CONNECTION_BAD) {
		db_fail_conn(db);
		return;
	}
	db_watch(db, EV_WRITE, db_connect_poll);
}

/* Reconnect timer. */
static void
db_retry(int fd, short what, void *arg)
{
	struct db	*db = arg;

	if (db->state == DB_DOWN)
		db_start(db);
}

/* The connection is up: let the owner load its state, then pipeline. */
static void
db_connected(struct db *db)
{
	if (db->ev != NULL) {
		event_free(db->ev);
		db->ev = NULL;
	}
	PQclear(PQexec(db->conn, "SET client_min_messages = warning"));
	db->state = DB_IDLE;
	if (db->up_cb(db->arg, db->conn) != 0) {
		db_fail(db, "loading state failed");
		return;
	}
	if (db->state != DB_IDLE)
		return;
	if (PQsetnonblocking(db->conn, 1) != 0 ||
	    PQenterPipelineMode(db->conn) != 1) {
		db_fail_conn(db);
		return;
	}
	db->backoff = DB_BACKOFF_MIN;
	db_watch(db, EV_READ | EV_PERSIST, db_io);
}

/* Drive PQconnectPoll. */
static void
db_connect_poll(int fd, short what, void *arg)
{
	struct db	*db = arg;

	switch (PQconnectPoll(db->conn)) {
	case PGRES_POLLING_READING:
		db_watch(db, EV_READ, db_connect_poll);
		break;
	case PGRES_POLLING_WRITING:
		db_watch(db, EV_WRITE, db_connect_poll);
		break;
	case PGRES_POLLING_OK:
		db_connected(db);
		break;
	default:
		db_fail_conn(db);
		break;
	}
}

/* Whether transactions can be sent. */
int
db_is_up(const struct db *db)
{
	return (db->state == DB_IDLE || db->state == DB_RUNNING);
}

/* Whether a transaction is in flight. */
int
db_busy(const struct db *db)
{
	return (db->state == DB_RUNNING);
}

/*
 * The name of sql prepared on this connection, preparing it first (in
 * the pipeline, ahead of its use) when it is new; NULL on failure.
 */
static const char *
db_prepared(struct db *db, const char *sql, int n)
{
	struct db_prep	*p;
	size_t		 i;

	for (i = 0; i < db->nprep; i++)
		if (strcmp(db->preps[i].sql, sql) == 0)
			return (db->preps[i].name);
	db->preps = xreallocarray(db->preps, db->nprep + 1, sizeof *db->preps);
	p = &db->preps[db->nprep];
	(void)snprintf(p->name, sizeof p->name, "wachter_%u", db->prepgen++);
	if (!PQsendPrepare(db->conn, p->name, sql, n, NULL))
		return (NULL);
	p->sql = xstrdup(sql);
	db->nprep++;
	db->queued++;
	return (p->name);
}

/* Queue one statement in the pipeline; add roughly its size to *bytes. */
static int
db_send_stmt(struct db *db, const struct db_stmt *s, size_t *bytes)
{
	const char	*name, *values[DB_BATCH_MAXCOL];
	const char	*const *v = (const char *const *)s->values;
	const int	*lengths = s->lengths, *formats = s->formats;
	int		 blen[DB_BATCH_MAXCOL], bfmt[DB_BATCH_MAXCOL];
	int		 i, n = s->n;

	if ((name = db_prepared(db, s->sql, s->n)) == NULL)
		return (-1);
	if (s->batch != NULL) {
		n = db_batch_params(s->batch, values, blen, bfmt);
		v = values;
		lengths = blen;
		formats = bfmt;
	}
	if (db->rows != NULL && s == &db->out.stmts[db->rows_stmt])
		db->rows_at = db->queued;	/* its result's number */
	for (i = 0; i < n; i++)
		if (v[i] != NULL)
			*bytes += formats[i] ? (size_t)lengths[i] :
			    strlen(v[i]);
	if (!PQsendQueryPrepared(db->conn, name, n, v, lengths, formats, 1))
		return (-1);
	db->queued++;
	return (0);
}

/* Queue the transaction's next piece: BEGIN, a statement, or COMMIT. */
static int
db_send_next(struct db *db, size_t *bytes)
{
	size_t	 i = db->outnext++;

	if (i == 0 || i == db->out.nstmts + 1) {
		if (!PQsendQueryParams(db->conn, i == 0 ? "BEGIN" : "COMMIT",
		    0, NULL, NULL, NULL, NULL, 1))
			return (-1);
		db->queued++;
		return (i == 0 || PQpipelineSync(db->conn) ? 0 : -1);
	}
	return (db_send_stmt(db, &db->out.stmts[i - 1], bytes));
}

/*
 * Send what libpq holds and, while the socket takes it all, give libpq
 * the next piece of the transaction; wait for the socket otherwise.
 */
static int
db_pump(struct db *db)
{
	size_t	 bytes, end = db->out.nstmts + 1;
	int	 r;

	while ((r = PQflush(db->conn)) == 0 && db->outnext <= end)
		for (bytes = 0; bytes < DB_SEND_BYTES && db->outnext <= end; )
			if (db_send_next(db, &bytes) != 0)
				return (-1);
	if (r < 0)
		return (-1);
	if (r == 0) {
		if (db->ev_write != NULL)
			event_del(db->ev_write);
		return (0);
	}
	if (db->ev_write == NULL)
		db->ev_write = event_new(db->base, PQsocket(db->conn),
		    EV_WRITE | EV_PERSIST, db_writable, db);
	event_add(db->ev_write, NULL);
	return (0);
}

/* The socket can take more of a transaction. */
static void
db_writable(int fd, short what, void *arg)
{
	struct db	*db = arg;

	if (db_pump(db) != 0)
		db_fail_conn(db);
}

/*
 * Send a transaction. Its statements move to the connection, which
 * gives them to libpq as the socket drains; txn is left empty. done is
 * called exactly once.
 */
int
db_send(struct db *db, struct db_txn *txn, db_done_cb done, void *arg)
{
	static const struct timeval now = { 0, 0 };

	if (db->state != DB_IDLE)
		return (-1);
	db->state = DB_RUNNING;
	db->done_cb = done;
	db->done_arg = arg;
	db->synced = 0;
	free(db->txn_error);
	db->txn_error = NULL;
	db->rows = txn->rows;
	db->rows_arg = txn->rows_arg;
	db->rows_stmt = txn->rows_stmt;
	db->rows_at = (size_t)-1;
	db->nres = 0;
	db->queued = 0;
	db_out_free(db);
	db->out = *txn;
	db->outnext = 0;
	db_txn_init(txn);
	if (db_pump(db) != 0) {
		/*
		 * Not here: failing calls the owner's callbacks, which may
		 * free what the caller still holds (the pipeline that is
		 * sending). The loop tells it, as it tells a connection lost
		 * later.
		 */
		evtimer_add(db->failed, &now);
	}
	return (0);
}

/* A send failed: fail the connection, from the event loop. */
static void
db_send_failed(int fd, short what, void *arg)
{
	struct db	*db = arg;

	(void)fd;
	(void)what;
	if (db->state == DB_RUNNING)
		db_fail_conn(db);
}

/* Note the first error of the transaction in flight. */
static void
db_txn_error(struct db *db, PGresult *r)
{
	char	*e;

	if (db->txn_error != NULL)
		return;
	e = xstrdup(PQresultErrorMessage(r));
	e[strcspn(e, "\n")] = '\0';
	db->txn_error = e;
}

/* Read what arrived; finish the transaction at its sync point. */
static void
db_io(int fd, short what, void *arg)
{
	struct db	*db = arg;
	PGresult	*r;
	db_done_cb	 cb;

	if (PQconsumeInput(db->conn) == 0 || db_pump(db) != 0) {
		db_fail_conn(db);
		return;
	}
	/*
	 * Only while a result is due: with part of the transaction not yet
	 * given to libpq, PQgetResult would say "no more" for ever.
	 */
	while (db->state == DB_RUNNING && (db->outnext > db->out.nstmts + 1 ||
	    db->nres < db->queued) && !PQisBusy(db->conn)) {
		if ((r = PQgetResult(db->conn)) == NULL) {
			db->nres++;	/* end of one command's results */
			continue;
		}
		switch (PQresultStatus(r)) {
		case PGRES_PIPELINE_SYNC:
			db->synced = 1;
			break;
		case PGRES_TUPLES_OK:
			if (db->rows != NULL && db->nres == db->rows_at)
				db->rows(db->rows_arg, r);
			break;
		case PGRES_COMMAND_OK:
			break;
		default:
			db_txn_error(db, r);
			break;
		}
		PQclear(r);
		if (db->synced) {
			db_out_free(db);
			if (db->txn_error != NULL)
				db_preps_forget(db);	/* may not all be */
			cb = db->done_cb;
			db->done_cb = NULL;
			db->state = DB_IDLE;
			cb(db->done_arg, db->txn_error == NULL, db->txn_error);
			return;
		}
	}
	if (PQstatus(db->conn) == CONNECTION_BAD)
		db_fail_conn(db);
}

/* Start an empty transaction. */
void
db_txn_init(struct db_txn *t)
{
	memset(t, 0, sizeof *t);
}

/* Free a statement's values. */
static void
db_stmt_clear(struct db_stmt *s)
{
	int	 i;

	for (i = 0; i < s->n; i++)
		free(s->values[i]);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s->sql);
	db_batch_free(s->batch);
}

/* Empty a transaction, keeping its array. */
void
db_txn_clear(struct db_txn *t)
{
	size_t	 i;

	for (i = 0; i < t->nstmts; i++)
		db_stmt_clear(&t->stmts[i]);
	t->nstmts = 0;
	t->rows = NULL;
	t->open = NULL;
}

/* Hand the rows of the statement added last to cb, before done is called. */
void
db_txn_rows(struct db_txn *t, db_rows_cb cb, void *arg)
{
	t->rows = cb;
	t->rows_arg = arg;
	t->rows_stmt = t->nstmts - 1;
}

/*
 * Add a statement with n parameters (all NULL until set). Its text is
 * prepared once per connection and kept: it must be one of a fixed few,
 * never built from data.
 */
struct db_stmt *
db_txn_add(struct db_txn *t, const char *sql, int n)
{
	struct db_stmt	*s;

	if (t->nstmts == t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->stmts = xreallocarray(t->stmts, t->cap, sizeof *t->stmts);
	}
	s = &t->stmts[t->nstmts++];
	s->sql = xstrdup(sql);
	s->n = n;
	s->values = xcalloc((size_t)n + 1, sizeof *s->values);
	s->lengths = xcalloc((size_t)n + 1, sizeof *s->lengths);
	s->formats = xcalloc((size_t)n + 1, sizeof *s->formats);
	s->batch = NULL;
	return (s);
}

/* Give parameter i an owned value (text or binary). */
void
db_stmt_take(struct db_stmt *s, int i, char *v, int len, int binary)
{
	free(s->values[i]);
	s->values[i] = v;
	s->lengths[i] = len;
	s->formats[i] = binary;
}

/* Set parameter i to a text value (NULL for SQL NULL). */
void
db_stmt_text(struct db_stmt *s, int i, const char *v)
{
	db_stmt_take(s, i, v != NULL ? xstrdup(v) : NULL, 0, 0);
}

/* Set parameter i to bytes (bytea, binary format). */
void
db_stmt_bin(struct db_stmt *s, int i, const void *p, size_t len)
{
	char	*v = xmalloc(len + 1);

	memcpy(v, p, len);
	db_stmt_take(s, i, v, (int)len, 1);
}

/* Set parameter i to an integer (as text). */
void
db_stmt_int(struct db_stmt *s, int i, long long v)
{
	char	*t;

	xasprintf(&t, "%lld", v);
	db_stmt_take(s, i, t, 0, 0);
}
