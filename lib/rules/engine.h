/*
 * engine.h: the detection engine, the same one in wachterd and in
 * `wachter eval`. Feed it events in any order; it releases them in event
 * time order per the sources' watermarks (engine_order.c), explains each
 * lookup, runs the rules, holds unexplained lookups for a grace period
 * (a case registered late may still explain them), scores, and groups
 * flagged lookups into incidents that come out as alerts.
 */
#ifndef WACHTER_ENGINE_H
#define WACHTER_ENGINE_H

#include <stdint.h>

#include "alert/alert.h"
#include "enrich/explain.h"
#include "enrich/ref.h"
#include "event/event.h"
#include "rules/rule.h"
#include "util/buf.h"

struct engine_settings {
	int64_t			 grace;		/* hold unexplained lookups, µs */
	int32_t			 threshold;	/* score that flags, 1/1000 */
	int64_t			 incident_gap;	/* quiet time that ends one, µs */
	int64_t			 retry_window;	/* retry rule, µs */
	int64_t			 lateness;	/* default per source, µs */
	int64_t			 jump;		/* a line further ahead is
						   suspect until confirmed */
	struct explain_settings	 es;
};

/* What was decided about one lookup. */
struct decision {
	char		 event[EV_ID_MAX];
	char		 user[EV_NAME_MAX];
	uint32_t	 source;
	uint8_t		 reg;		/* enum ev_register */
	uint8_t		 expl;		/* enum expl_kind that held */
	uint8_t		 flagged;
	uint8_t		 held;		/* 1: held for the grace period;
					   ENGINE_LATE, ENGINE_OUTLIER:
					   decided on its own */
	uint8_t		 outside;	/* outside the user's working hours */
	int32_t		 score;
	uint64_t	 fired;		/* bit i: rule i fired */
	char		 incident[40];	/* when flagged; ENGINE_LATER: the
					   provisional alert's */
	char		 by[EV_CASEID_MAX];	/* ENGINE_LATER: what explains
					   it (a case id) */
};

/* How a lookup that could not be ordered was decided (decision.held). */
#define ENGINE_LATE	2	/* came after its moment had passed */
#define ENGINE_OUTLIER	3	/* far ahead of its log, not confirmed */
#define ENGINE_AGAIN	4	/* a second decision: re-examined once its
				   case's life was known (engine_reexam.c) */
#define ENGINE_LATER	5	/* a second decision: an urgent lookup,
				   alerted provisionally, was explained by
				   the end of its grace period (not flagged
				   any more; a follow-up record says so) */

struct engine;

void		 engine_defaults(struct engine_settings *);
struct engine	*engine_new(const struct ruleset *, const struct ref *,
		    const struct engine_settings *);
void		 engine_free(struct engine *);
void		 engine_feed(struct engine *, const struct lookup *);
void		 engine_source(struct engine *, uint32_t, int64_t);
void		 engine_source_floor(struct engine *, uint32_t, int64_t);
void		 engine_source_done(struct engine *, uint32_t);
int64_t		 engine_watermark(const struct engine *);
void		 engine_counts(const struct engine *, uint64_t *, uint64_t *,
		    uint64_t *, size_t *);
void		 engine_flush(struct engine *);
int		 engine_next_decision(struct engine *, struct decision *);
void		 engine_on_decisions(struct engine *, void (*)(void *), void *);
struct alert	*engine_next_alert(struct engine *);
const struct ruleset *engine_swap_rules(struct engine *,
		    const struct ruleset *);
const struct ref *engine_swap_ref(struct engine *, const struct ref *);
size_t		 engine_holds(const struct engine *);
void		 engine_holds_export(const struct engine *, struct buf *);
int		 engine_holds_import(struct engine *, const char *, size_t,
		    char **) __attribute__((warn_unused_result));
void		 engine_users_export(struct engine *, void (*)(void *,
		    const char *, const struct buf *), void *);
int		 engine_user_import(struct engine *, const char *,
		    const char *, size_t, char **)
		    __attribute__((warn_unused_result));

#endif
