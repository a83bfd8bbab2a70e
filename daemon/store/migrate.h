/* migrate.h: versioned schema migrations carried inside the binaries. */
#ifndef WACHTER_MIGRATE_H
#define WACHTER_MIGRATE_H

#include <libpq-fe.h>

struct migration {
	const char	*name;	/* 0001_base */
	const char	*sql;
};

extern const struct migration migrations[];

int	migrate_apply(PGconn *, int, char **) __attribute__((warn_unused_result));
int	migrate_pending(PGconn *, int *, char **)
	    __attribute__((warn_unused_result));

#endif
