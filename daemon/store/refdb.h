/* refdb.h: load reference data from the database into memory indexes. */
#ifndef WACHTER_REFDB_H
#define WACHTER_REFDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "enrich/ref.h"

struct ref	*refdb_load(PGconn *, int64_t *, char **);
int		 refdb_version(PGconn *, int64_t *, char **);

#endif
