/*
 * bundle.h: the export bundle, a text file holding everything verify needs
 * without a database (format in docs/CHAIN.md).
 */
#ifndef WACHTER_CHAIN_BUNDLE_H
#define WACHTER_CHAIN_BUNDLE_H

#include "chain/chain.h"

struct chain_bundle {
	struct buf		 cert;
	struct buf		*data;		/* records then notes */
	size_t			 ndata;
	struct chain_row	*rows;
	size_t			 nrows;
	struct chain_cprow	*cps;
	size_t			 ncps;
};

void	 chain_bundle_write(struct buf *, const struct buf *,
	    const struct chain_row *, size_t, const struct chain_cprow *,
	    size_t);
int	 chain_bundle_parse(const char *, const char *, size_t,
	    struct chain_bundle *, char **) __attribute__((warn_unused_result));
void	 chain_bundle_free(struct chain_bundle *);

#endif
