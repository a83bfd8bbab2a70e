/*
 * chain_read.h: stream a stored chain out of PostgreSQL in one snapshot
 * for chain_verify_feed (lib/chain/chain.h): the records page by page on
 * one connection, the checkpoints page by page on a second one that
 * shares the snapshot.
 */
#ifndef WACHTER_CHAIN_READ_H
#define WACHTER_CHAIN_READ_H

#include <libpq-fe.h>

#include "chain/chain.h"

struct chain_read {
	PGconn			*conn;		/* records, streamed */
	PGconn			*cpconn;	/* checkpoints, same snapshot */
	int			 streaming;
	int			 typed;		/* build the typed columns */
	struct buf		 cert;		/* epoch 1's, or empty */
	struct buf		 findings;	/* one "error: ..." a line */
	size_t			 nerr;		/* errors among them */
	PGresult		*rres, *cres;	/* current pages */
	int			 ri, ci;
	struct chain_row	 row;		/* the last handed out */
	struct chain_cprow	 cp;
	uint64_t		 nrows, ncps;	/* handed out so far */
	char			*cause;		/* why a read failed */
};

int	 chain_read_open(struct chain_read *, PGconn *, const char *, int64_t,
	    int, char **)
	    __attribute__((warn_unused_result));
int	 chain_read_row(void *, const struct chain_row **);
int	 chain_read_cp(void *, const struct chain_cprow **);
int	 chain_read_close(struct chain_read *, char **);

#endif
