/*
 * db.h: one asynchronous PostgreSQL connection on the event loop, with
 * reconnection (capped exponential backoff) and transactions sent in
 * libpq's pipeline mode.
 */
#ifndef WACHTER_DB_H
#define WACHTER_DB_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

struct event_base;
struct db;
struct db_batch;

/* Element types of a batch's array parameters (pg_type OIDs). */
#define DB_BYTEA	17
#define DB_INT8		20
#define DB_TEXT		25
#define DB_BATCH_MAXCOL	24

/*
 * One statement of a transaction; values in text or binary format, or
 * the rows of a batch, sent as one binary array parameter per column.
 */
struct db_stmt {
	char		*sql;		/* owned */
	int		 n;
	char		**values;	/* owned, NULL for SQL NULL */
	int		*lengths;
	int		*formats;
	struct db_batch	*batch;		/* owned, or NULL */
};

/* Called with the rows of the one statement that asked for them. */
typedef void	(*db_rows_cb)(void *, const PGresult *);

struct db_txn {
	struct db_stmt	*stmts;
	size_t		 nstmts;
	size_t		 cap;
	db_rows_cb	 rows;		/* or NULL */
	void		*rows_arg;
	size_t		 rows_stmt;	/* whose rows go to rows */
	struct db_batch	*open;		/* batches that take more rows */
};

/* Called when the connection is up (before any transaction). */
typedef int	(*db_up_cb)(void *, PGconn *);
/* Called when the connection was lost; reconnecting follows. */
typedef void	(*db_down_cb)(void *, const char *);
/* Called when a transaction finished: ok, or the error. */
typedef void	(*db_done_cb)(void *, int, const char *);

struct db	*db_new(struct event_base *, const char *, db_up_cb,
		    db_down_cb, void *);
void		 db_free(struct db *);
void		 db_start(struct db *);
int		 db_is_up(const struct db *);
int		 db_busy(const struct db *);
int		 db_send(struct db *, struct db_txn *, db_done_cb, void *);
void		 db_fail(struct db *, const char *);
void		 db_set_conninfo(struct db *, const char *);

void		 db_txn_init(struct db_txn *);
void		 db_txn_clear(struct db_txn *);
struct db_stmt	*db_txn_add(struct db_txn *, const char *, int);
void		 db_txn_rows(struct db_txn *, db_rows_cb, void *);
void		 db_stmt_text(struct db_stmt *, int, const char *);
void		 db_stmt_bin(struct db_stmt *, int, const void *, size_t);
void		 db_stmt_int(struct db_stmt *, int, long long);
void		 db_stmt_take(struct db_stmt *, int, char *, int, int);

struct db_batch	*db_txn_batch(struct db_txn *, const char *, int,
		    const uint32_t *);
void		 db_batch_int(struct db_batch *, int64_t);
void		 db_batch_text(struct db_batch *, const char *);
void		 db_batch_bin(struct db_batch *, const void *, size_t);
void		 db_batch_null(struct db_batch *);
void		 db_batch_free(struct db_batch *);
int		 db_batch_params(struct db_batch *, const char **, int *,
		    int *);

#endif
