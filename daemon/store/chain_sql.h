/*
 * chain_sql.h: the SQL of the chain tables (migration 0002_chain.sql).
 * Inserting: build a statement from the writer's output and run it with
 * chain_sql_exec (synchronous), or add the record as a row of the store's
 * transaction (chain_sql_record_row: many rows to one statement). Reading: rows come back in binary
 * format, never as text a session setting could change.
 */
#ifndef WACHTER_CHAIN_SQL_H
#define WACHTER_CHAIN_SQL_H

#include <libpq-fe.h>

#include "chain/chain.h"

#define CHAIN_SQL_MAXPARAM	20

/* One INSERT and its parameters (bytea ones in binary format). */
struct chain_sql_stmt {
	const char	*sql;
	int		 n;
	char		*values[CHAIN_SQL_MAXPARAM];
	int		 lengths[CHAIN_SQL_MAXPARAM];
	int		 formats[CHAIN_SQL_MAXPARAM];
};

struct db_txn;

void	 chain_sql_record(struct chain_sql_stmt *, const struct chain_append *);
void	 chain_sql_record_row(struct db_txn *, const struct chain_append *);
void	 chain_sql_checkpoint(struct chain_sql_stmt *,
	    const struct chain_checkpoint *, const struct buf *);
void	 chain_sql_certificate(struct chain_sql_stmt *, uint32_t,
	    const struct buf *);
void	 chain_sql_stmt_free(struct chain_sql_stmt *);
int	 chain_sql_exec(PGconn *, struct chain_sql_stmt *, char **)
	    __attribute__((warn_unused_result));
int64_t	 chain_sql_be(const PGresult *, int, int);
int64_t	 chain_sql_ts(const PGresult *, int, int);
PGresult *chain_sql_query(PGconn *, const char *, char **);
int	 chain_sql_command(PGconn *, const char *, char **)
	    __attribute__((warn_unused_result));
int	 chain_sql_restore(PGconn *, struct chain_writer *, uint32_t *,
	    char **) __attribute__((warn_unused_result));

#endif
