/*
 * chain_source.h: where `wachter verify`, `export` and `adopt` read a
 * chain from, in bounded memory: the database (store/chain_read.h) or an
 * export bundle (read twice: once for the certificate and checkpoints,
 * once streaming its records). On a terminal a progress line is shown.
 */
#ifndef WACHTER_CHAIN_SOURCE_H
#define WACHTER_CHAIN_SOURCE_H

#include <stdio.h>

#include "chain/bundle.h"
#include "store/chain_read.h"

struct chain_source {
	PGconn			*conn;		/* database, or NULL */
	struct chain_read	 db;
	const char		*path;		/* bundle */
	FILE			*f;
	struct chain_bundle_reader rd;
	struct chain_bundle	 b;		/* certificate, checkpoints */
	size_t			 cpi;
	char			*line;
	size_t			 cap;
	struct buf		 data;
	struct chain_row	 row;
	uint64_t		 nrows;		/* records handed out */
	int			 progress;	/* show a progress line */
	char			*cause;		/* why a read failed */
};

int	 chain_source_db(struct chain_source *, const char *, int64_t, int,
	    char **) __attribute__((warn_unused_result));
int	 chain_source_bundle(struct chain_source *, const char *, char **)
	    __attribute__((warn_unused_result));
const struct buf *chain_source_cert(const struct chain_source *);
int	 chain_source_row(void *, const struct chain_row **);
int	 chain_source_cp(void *, const struct chain_cprow **);
const char *chain_source_error(const struct chain_source *);
void	 chain_source_close(struct chain_source *);

#endif
