/*
 * pseudostore.h: the daemon's pseudonym key and the plaintext behind each
 * pseudonym (docs/PRIVACY.md). DIR/pseudonym.key is created 0600 at the
 * first start and refused when others may read it.
 */
#ifndef WACHTER_PSEUDOSTORE_H
#define WACHTER_PSEUDOSTORE_H

#include "alert/alert.h"
#include "alert/pseudo.h"
#include "store/db.h"

struct pseudostore;

struct pseudostore *pseudostore_open(const char *, char **);
void		 pseudostore_free(struct pseudostore *);
struct alert	*pseudostore_alert(struct pseudostore *, const struct alert *,
		    struct db_txn *);
void		 pseudostore_handle(struct pseudostore *, const char *,
		    char *);
void		 pseudostore_value(struct pseudostore *, const char *, int64_t,
		    struct db_txn *, char *);
int		 pseudostore_unattributed(struct pseudostore *, PGconn *,
		    char **) __attribute__((warn_unused_result));

#endif
