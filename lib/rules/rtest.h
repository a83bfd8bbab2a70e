/* rtest.h: run the tests embedded in rules (events that must fire or not). */
#ifndef WACHTER_RTEST_H
#define WACHTER_RTEST_H

#include "enrich/ref.h"
#include "event/event.h"
#include "rules/engine.h"
#include "rules/rule.h"
#include "util/buf.h"

int	 rtest_event(const struct rtest_event *, int, int, struct lookup *,
	    char **) __attribute__((warn_unused_result));
int	 rtest_run(const struct ruleset *, const struct ref *,
	    const struct engine_settings *, struct buf *, int *);

#endif
