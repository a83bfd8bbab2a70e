/*
 * bundle.h: the export bundle, a text file holding everything verify needs
 * without a database (format in docs/CHAIN.md). Written and read a line
 * at a time, or parsed whole (tests, fuzzing).
 */
#ifndef WACHTER_CHAIN_BUNDLE_H
#define WACHTER_CHAIN_BUNDLE_H

#include "chain/chain.h"

/* Where a line-by-line read has got to. */
struct chain_bundle_reader {
	size_t		 line;
	size_t		 nrows, ncps;
	int		 ended;
	int		 skip_records;	/* do not decode record lines */
};

/* A record ('r') or checkpoint ('k') kept from a bundle. */
struct chain_bundle_item {
	int		 kind;
	int64_t		 n;
	struct buf	 data;
};

struct chain_bundle {
	struct buf			 cert;
	struct chain_bundle_item	*items;
	size_t				 nitems;
	struct chain_row		*rows;
	size_t				 nrows;
	struct chain_cprow		*cps;
	size_t				 ncps;
};

void	 chain_bundle_write_head(struct buf *, const struct buf *);
void	 chain_bundle_write_item(struct buf *, const char *, int64_t,
	    const void *, size_t);
void	 chain_bundle_write_end(struct buf *, size_t, size_t);
void	 chain_bundle_write(struct buf *, const struct buf *,
	    const struct chain_row *, size_t, const struct chain_cprow *,
	    size_t);
int	 chain_bundle_next(struct chain_bundle_reader *, const char *, size_t,
	    int, struct buf *, int *, int64_t *)
	    __attribute__((warn_unused_result));
void	 chain_bundle_keep(struct chain_bundle *, int, int64_t,
	    const struct buf *);
void	 chain_bundle_link(struct chain_bundle *);
int	 chain_bundle_parse(const char *, const char *, size_t,
	    struct chain_bundle *, char **) __attribute__((warn_unused_result));
void	 chain_bundle_free(struct chain_bundle *);

#endif
