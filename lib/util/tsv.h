/* tsv.h: escaped tab-separated fields for the engine's durable state. */
#ifndef WACHTER_TSV_H
#define WACHTER_TSV_H

#include "util/buf.h"

void	 tsv_add(struct buf *, const char *);
char	*tsv_next(char **);

#endif
