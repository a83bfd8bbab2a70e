/* refdb.h: load reference data from the database into memory indexes. */
#ifndef WACHTER_REFDB_H
#define WACHTER_REFDB_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "enrich/ref.h"

struct ref	*refdb_load(PGconn *, const struct ref *, int64_t *, char **);
void		 refdb_describe(const struct ref *, char *, size_t);
int		 refdb_version(PGconn *, int64_t *, char **);

#endif
