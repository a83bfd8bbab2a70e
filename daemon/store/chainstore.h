/* chainstore.h: the daemon's side of the signed alert chain. */
#ifndef WACHTER_CHAINSTORE_H
#define WACHTER_CHAINSTORE_H

#include <stdint.h>

#include <libpq-fe.h>

#include "alert/alert.h"
#include "store/db.h"

struct chainstore;

struct chainstore *chainstore_open(const char *, const char *, int, int64_t,
		    char **);
void		 chainstore_free(struct chainstore *);
int		 chainstore_restore(struct chainstore *, PGconn *, int64_t,
		    char **) __attribute__((warn_unused_result));
void		 chainstore_abort(struct chainstore *);
uint64_t	 chainstore_append(struct chainstore *, const struct alert *,
		    int64_t, struct db_txn *);
void		 chainstore_checkpoint(struct chainstore *, int64_t, int,
		    struct db_txn *);
int		 chainstore_committed(struct chainstore *, int64_t, char **)
		    __attribute__((warn_unused_result));
int64_t		 chainstore_last_checkpoint(const struct chainstore *);
uint64_t	 chainstore_size(const struct chainstore *);
const char	*chainstore_alarm(const struct chainstore *);
int		 chainstore_check_log(const char *, const char *, char **);

#endif
