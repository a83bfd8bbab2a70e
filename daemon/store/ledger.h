/*
 * ledger.h: the lookup ledger (docs/PRIVACY.md): every examined lookup
 * and its decision, subjects by pseudonym, gathered between commits and
 * written in the batch's transaction. NULL means the ledger is off, and
 * every function then does nothing.
 */
#ifndef WACHTER_LEDGER_H
#define WACHTER_LEDGER_H

#include "event/event.h"
#include "rules/engine.h"
#include "store/db.h"

struct ledger;

struct ledger	*ledger_new(const char *, char **);
void		 ledger_free(struct ledger *);
void		 ledger_lookup(struct ledger *, const struct lookup *,
		    const char *);
void		 ledger_decision(struct ledger *, const struct decision *,
		    int64_t);
void		 ledger_flush(struct ledger *, struct db_txn *);

#endif
