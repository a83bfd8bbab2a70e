/*
 * engine_retry.c: the retry rule for lookups that wait together. An
 * empty lookup followed within minutes by an explained one is a retry;
 * when the follow-up is itself held (its case was registered later) it
 * was not explained on arrival, so the empty one was not marked then.
 * When the empty one's grace period ends, look at the user's lookups
 * held after it: one explained by now makes it a retry after all.
 */
#include "config.h"

#include <string.h>

#include "rules/engine_int.h"

/* Is held lookup h (taken off the queue) a retry of a later held one? */
int
engine_retry_late(struct engine *e, const struct hold *h,
    const struct lookup *hev)
{
	const struct hold	*g;
	size_t			 i;

	facts_compute(&e->fx, e->ref, &e->set.es, hev, h->deadline);
	if (!e->fx.nobody || e->fx.expl != EXPL_NONE)
		return (0);
	for (i = e->fhead; i != e->ftail; i++) {
		g = e->holds[e->fifo[i % e->fcap]];
		if (!g->used)
			continue;
		if (g->ts - h->ts > e->set.retry_window)
			break;
		if (g->ts < h->ts || strcmp(g->user, h->user) != 0)
			continue;
		facts_compute(&e->fx, e->ref, &e->set.es, hold_lookup(e, g, 1),
		    h->deadline);
		if (e->fx.expl != EXPL_NONE && !e->fx.nobody)
			return (1);
	}
	return (0);
}
