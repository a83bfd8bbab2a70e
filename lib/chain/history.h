/*
 * history.h: the officers' hash-chained histories (their decisions and
 * the access log of reads and reveals) as the signed chain covers them.
 * Each history is a list of rows numbered 1, 2, ... whose hashes chain;
 * the daemon checks new rows and writes the head of each (count and last
 * hash) into its next checkpoint, so a history rewritten afterwards no
 * longer matches what was signed (docs/CHAIN.md section 4a).
 */
#ifndef WACHTER_CHAIN_HISTORY_H
#define WACHTER_CHAIN_HISTORY_H

#include <stdint.h>

#include "chain/merkle.h"

#define CHAIN_HIST_DECISION	0	/* wachter.decision */
#define CHAIN_HIST_ACCESS	1	/* wachter.access_log */
#define CHAIN_HISTS		2
#define CHAIN_HIST_FIELDS	5	/* text fields between n and at_us */

/* The head of one history: rows 1..n, the last one's hash. */
struct chain_hhead {
	uint64_t	 n;
	merkle_hash	 hash;		/* zeros when n = 0 */
};

/* One stored row, as read from its table. */
struct chain_hrow {
	uint64_t	 n;
	const char	*f[CHAIN_HIST_FIELDS];
	int64_t		 at_us;
	merkle_hash	 prev;
	merkle_hash	 hash;
};

const char *chain_hist_name(int);
void	 chain_hist_hash(merkle_hash, int, const merkle_hash,
	    const struct chain_hrow *);
int	 chain_hist_step(struct chain_hhead *, int, const struct chain_hrow *,
	    char **) __attribute__((warn_unused_result));

#endif
