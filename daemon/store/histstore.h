/*
 * histstore.h: reading the officers' hash-chained histories
 * (wachter.decision, wachter.access_log) for the signed chain: the daemon
 * checks new rows and signs their heads in its checkpoints; `wachter
 * verify` checks the tables against the heads the last checkpoint signed
 * (docs/CHAIN.md section 4a).
 */
#ifndef WACHTER_HISTSTORE_H
#define WACHTER_HISTSTORE_H

#include <stddef.h>

#include <libpq-fe.h>

#include "chain/chain.h"
#include "store/db.h"
#include "util/buf.h"

/* What a full scan found. */
struct histstore_scan {
	struct chain_hhead	 head[CHAIN_HISTS];	/* to sign next */
	uint64_t		 unsigned_rows[CHAIN_HISTS];
	struct buf		 findings;	/* "error: ...\n" lines */
	size_t			 errors;
};

void	 histstore_txn_read(struct db_txn *, const struct chain_hhead[],
	    db_rows_cb, void *);
int	 histstore_take(const PGresult *, struct chain_hhead[], char **)
	    __attribute__((warn_unused_result));
int	 histstore_scan(PGconn *, const struct chain_hhead *,
	    struct histstore_scan *, char **)
	    __attribute__((warn_unused_result));
int	 histstore_signed(PGconn *, struct chain_hhead *, int *, char **)
	    __attribute__((warn_unused_result));
void	 histstore_protection(PGconn *, struct buf *, size_t *);
void	 histstore_verify(PGconn *, const struct chain_report *, struct buf *,
	    size_t *, size_t *);

#endif
