/* engine_int.h: the engine's private state, shared by its source files. */
#ifndef WACHTER_ENGINE_INT_H
#define WACHTER_ENGINE_INT_H

#include "alert/incident.h"
#include "enrich/symtab.h"
#include "rules/engine.h"
#include "rules/engine_reexam.h"
#include "rules/fact.h"

#define SEQ_RING	8
#define EMPTY_RING	4

/* First line of the durable state; version 1 had no header. */
#define ENGINE_STATE_MAGIC	"wachter-engine-state"
#define ENGINE_STATE_VERSION	4	/* 4: provisional holds ("P") */
/* First line of a user's memories (engine_save.c). */
/*
 * Sources an engine keeps a clock for. Far above what a configuration
 * allows; it bounds what a damaged state can make the engine allocate
 * (a fuzzer's held lookup of source 3 billion asked for 200 GB).
 */
#define ENGINE_SOURCES_MAX	4096
#define USER_STATE_MAGIC	"wachter-user-state"
#define ENGINE_DQ_DRAIN	4096	/* decisions waiting before the drain */
#define NOVEL_WORDS	256	/* first-time filter: 16384 bits a generation */

/*
 * A lookup held until its grace period ends. Thousands are held at once
 * (the grace period's worth), so the lookup is kept packed: hold_lookup
 * unpacks it.
 */
struct hold {
	unsigned char	*packed;	/* lookup_pack */
	const char	*user;		/* its user, in packed */
	int64_t		 ts;		/* its time */
	int64_t		 deadline;
	uint64_t	 bits;		/* stateful rules that fired on arrival */
	uint32_t	 gen;
	uint8_t		 used;
	uint8_t		 retry;		/* an explained retry followed */
	uint8_t		 prov;		/* alerted provisionally (urgent):
					   judged again at the deadline */
	char		 incident[40];	/* prov: the alert's incident */
};

/* Distinct subjects of one user in one window rule. */
struct wstate {
	uint64_t	*h;		/* subject hash, 0 free */
	int64_t		*ts;		/* last seen */
	uint32_t	 cap, n;
};

/* Baseline of one user in one rule: today's subjects, past days. */
struct bstate {
	struct wstate	 set;		/* today's distinct subjects */
	int32_t		 day;		/* local day of set, 0 before any */
	uint32_t	 ndays;		/* past active days folded in */
	double		 mean, var;	/* exponentially weighted */
};

/* A department's user-days in one baseline rule. */
struct dstat {
	double		 mean, var;
	uint32_t	 n;
};

/* Subjects and areas a user touched: two generations of a bloom filter. */
struct novel {
	uint64_t	*cur, *old;
	uint32_t	 n;		/* items in cur */
};

struct useq {
	char		 owner[SUBJ_VALUE_MAX];
	int64_t		 ts;
	int32_t		 hold;
	uint32_t	 gen;
};

/* State per user. */
struct ustate {
	struct wstate	*w;		/* one per rule, lazily */
	struct useq	*seq;		/* SEQ_RING, when a first lookup
					   of a sequence names an owner */
	int		 seqpos;
	int32_t		 empty[EMPTY_RING];	/* holds of empty lookups */
	uint32_t	 emptygen[EMPTY_RING];
	int64_t		 emptyts[EMPTY_RING];	/* their times: no hold read
						   for one long past */
	int		 emptypos;
	struct bstate	*b;		/* one per rule, lazily */
	struct novel	 nv;
	int32_t		 lastday;	/* last active local day */
	uint32_t	 ndays;		/* active days, with lastday */
	int		 dirty;		/* changed since last exported */
};

/* Ordering: what the engine knows of one source's clock. */
struct osrc {
	int64_t		 lateness;	/* how far out of order, µs */
	int64_t		 max_ts;	/* newest time, INT64_MIN before any */
	int64_t		 floor;		/* promised: nothing before this */
	uint64_t	 seq;		/* next arrival number */
	int		 declared;
	int		 done;		/* will give no more lines: holds
					   nothing back (not saved) */
	int		 has_suspect;
	struct lookup	*suspect;	/* far in the future, unconfirmed
					   (its own allocation: a lookup
					   cannot move) */
};

/* A lookup waiting for its turn, packed (lookup_pack: the id first). */
struct oitem {
	uint64_t	 seq;
	uint32_t	 source;
	uint8_t		 reg;
	unsigned char	 packed[];
};

/* A place on the release heap: the time beside it, read without a miss. */
struct oslot {
	int64_t		 ts;
	struct oitem	*it;
};

struct engine {
	const struct ruleset	*rs;
	struct matcher		*m;	/* rs prepared for matching */
	const struct ref	*ref;
	struct engine_settings	 set;
	int64_t			 now;
	struct facts		 fx;
	struct symtab		*users;
	struct ustate		*us;
	size_t			 uscap;
	struct hold		**holds;
	size_t			 nholds, holdcap;
	uint32_t		*fifo;	/* hold indices in arrival order */
	size_t			 fhead, ftail, fcap;
	int32_t			*freeh;
	size_t			 nfree, freecap;
	uint32_t		 gen;
	struct decision		*dq;
	size_t			 dhead, dtail, dcap;
	void			(*drain)(void *);	/* engine_on_decisions */
	void			*drain_arg;
	int			 draining;
	struct incidents	*inc;
	struct buf		 words;
	struct symtab		*depts;	/* department names, own table */
	struct dstat		**ds;	/* per department, RULES_MAX each */
	size_t			 dscap;
	struct osrc		*os;	/* per source index */
	size_t			 nos;
	struct oslot		*oq;	/* release heap */
	size_t			 noq, oqcap;
	struct lookup		*orel;	/* the one unpacked: released or
					   written out */
	struct lookup		*hunpack[2];	/* hold_lookup's places */
	uint64_t		 released, late, outliers;
	struct reexam		*rx;	/* engine_reexam.c */
	/*
	 * A user's windows and baselines are arrays with one slot per rule
	 * of that kind, not per rule: rule index to slot, -1 for none.
	 */
	int8_t			 wslot[RULES_MAX], bslot[RULES_MAX];
	size_t			 nwslot, nbslot;
};

size_t	 rule_slots(const struct ruleset *, int, int8_t *);
void	 engine_slots(struct engine *);
void	 engine_window(struct engine *, struct ustate *, size_t,
	    const struct rule *, uint64_t *);
void	 window_free(struct wstate *);
void	 window_put(struct wstate *, uint64_t, int64_t);
void	 window_sweep(struct wstate *, int64_t, uint32_t);
void	 engine_baseline(struct engine *, struct ustate *, size_t,
	    const struct rule *, uint64_t *);
void	 engine_novel(struct engine *, struct ustate *, size_t,
	    const struct rule *, uint64_t *);
void	 engine_novel_record(struct engine *, struct ustate *);
void	 engine_base_free(struct engine *);
void	 engine_base_swap(struct engine *, const struct ruleset *,
	    const struct ruleset *);
int	 engine_rule_index(const struct ruleset *, const char *);
void	 engine_decide(struct engine *, const struct lookup *, uint64_t,
	    int, int);
int32_t	 engine_hold(struct engine *, const struct lookup *, uint64_t);
void	 engine_take(struct engine *, const struct lookup *);
struct ustate *engine_user(struct engine *, const char *);
struct ustate *engine_user_value(struct engine *, const char *, size_t,
		    uint32_t);
size_t	 engine_state_check(const char *, size_t, char **);
void	 dstat_export(const struct engine *, struct buf *);
int	 dstat_import(struct engine *, char *);
void	 engine_run_until(struct engine *, int64_t);
void	 engine_alone(struct engine *, const struct lookup *, int);
void	 hold_export(const struct engine *, const struct hold *,
	    const struct lookup *, struct buf *);
void	 order_end(struct engine *);
void	 order_free(struct engine *);
void	 order_export(const struct engine *, struct buf *);
int	 order_import_source(struct engine *, const char *);
void	 order_import_lookup(struct engine *, const struct lookup *, int,
	    uint64_t);
struct lookup *hold_lookup(const struct engine *, const struct hold *, int);
int	 engine_retry_late(struct engine *, const struct hold *,
	    const struct lookup *);
void	 engine_provisional(struct engine *, const struct lookup *);
void	 engine_recheck(struct engine *, const struct hold *,
	    const struct lookup *);

#endif
