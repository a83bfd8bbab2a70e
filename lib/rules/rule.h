/*
 * rule.h: a loaded rule set. A rule is data: predicates over the event
 * and its context (facts, see fact.h), optionally a sliding window per
 * user or a sequence of two lookups, a severity, a weight that adds to
 * the event's score, and embedded tests.
 */
#ifndef WACHTER_RULE_H
#define WACHTER_RULE_H

#include <stddef.h>
#include <stdint.h>

#define RULES_MAX	64	/* a rule's bit in uint64_t masks */

enum pred_op {
	PRED_IS = 0,		/* bool or single value */
	PRED_IN,		/* any of a list */
	PRED_NOT_IN,		/* none of a list */
	PRED_AT_LEAST,
	PRED_AT_MOST,
};

struct pred {
	uint16_t	 fact;		/* enum fact_id */
	uint8_t		 op;		/* enum pred_op */
	int64_t		 num;		/* bool, number, bits of listed values */
	char		**strs;		/* PRED_IN, PRED_NOT_IN, string IS */
	size_t		 nstrs;
};

enum window_kind {
	WINDOW_NONE = 0,
	WINDOW_DISTINCT,	/* distinct subjects per user */
	WINDOW_COUNT,		/* lookups per user */
};

enum base_metric {
	BASE_NONE = 0,
	BASE_DISTINCT_DAY,	/* distinct subjects per user per local day */
};

enum novel_kind {
	NOVEL_NONE = 0,
	NOVEL_SUBJECT,		/* a person or plate the user never touched */
	NOVEL_AREA,		/* a postcode area (4 digits) never touched */
};

/* A rule with state across lookups: its bit is set on arrival. */
#define RULE_STATEFUL(r)	((r)->window || (r)->seq || (r)->base || \
	(r)->novel)

/* One test event as written in a rule file. */
struct rtest_event {
	char		*user;
	char		*time;
	char		*reg;
	char		*request;
	char		*status;
	char		*caseref;
	char		**bsns;		/* queried */
	size_t		 nbsns;
	char		**results;	/* returned */
	size_t		 nresults;
	char		*plate;
	char		*owner;
	char		*postcode;
	int64_t		 damaged;	/* a field cut or dropped */
	int		 repeat;	/* copies, each next subject + step */
	int64_t		 step;		/* µs between copies */
};

struct rtest {
	int		 fire;		/* must fire (1) or must not (0) */
	int		 later;		/* -1, or: an urgent alert must (1) or
					   must not (0) be explained later */
	int		 line;
	struct rtest_event *events;
	size_t		 nevents;
};

struct rule {
	char		*id;
	char		*title;
	char		*description;
	char		*file;
	int		 line;
	uint8_t		 severity;	/* enum alert_severity */
	int32_t		 weight;	/* 1/1000 */
	int		 urgent;	/* alert at once, do not hold */
	int		 reexamine;	/* only when the case's life is known */

	struct pred	*when;		/* event facts: all must hold */
	size_t		 nwhen;
	struct pred	*subj;		/* subject facts: one subject, all */
	size_t		 nsubj;

	uint8_t		 window;	/* enum window_kind */
	int64_t		 within;	/* µs */
	int64_t		 at_least;

	int		 seq;		/* a sequence: first, then owner */
	struct pred	*first;		/* the first lookup's facts */
	size_t		 nfirst;

	uint8_t		 base;		/* enum base_metric */
	int32_t		 above_own;	/* 1/1000 sd, 0: not tested */
	int32_t		 above_peers;	/* 1/1000 sd, 0: not tested */
	int64_t		 min_days;	/* baseline, first_time: history */
	int64_t		 min_count;	/* baseline: today's count */

	uint8_t		 novel;		/* enum novel_kind */

	struct rtest	*tests;
	size_t		 ntests;
};

struct ruleset {
	struct rule	*rules;
	size_t		 n;
};

struct ruleset	*ruleset_new(void);
void		 ruleset_free(struct ruleset *);
int		 ruleset_load(struct ruleset *, const char *, const char *,
		    size_t, char **) __attribute__((warn_unused_result));
int		 ruleset_check(const struct ruleset *, char **)
		    __attribute__((warn_unused_result));
int		 rule_duration(const char *, int64_t *);

#endif
