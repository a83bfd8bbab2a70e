/*
 * alert.h: what the detection engine decides and the chain records.
 *
 * An alert groups the events of one incident (one user, related rules,
 * close in time). It is appended to the signed chain exactly once; an
 * incident that grows after its alert was written gets an addendum that
 * names the same incident id, never an edit. An urgent event is alerted
 * before its grace period ends, provisionally; if a case registered within
 * that period explains it, a follow-up (ALERT_EXPLAINED) says so.
 */
#ifndef WACHTER_ALERT_H
#define WACHTER_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "event/event.h"

enum alert_severity {
	ALERT_INFO = 0,
	ALERT_LOW,
	ALERT_MEDIUM,
	ALERT_HIGH,
	ALERT_CRITICAL,
};

enum alert_kind {
	ALERT_NEW = 0,		/* first record of an incident */
	ALERT_ADDENDUM,		/* more events for an incident already alerted */
	ALERT_EXPLAINED,	/* follow-up: provisional events of an incident
				   were explained later (by[i] for events[i]) */
};

struct alert {
	uint8_t		 kind;		/* enum alert_kind */
	uint8_t		 severity;	/* enum alert_severity */
	char		 incident[40];	/* stable id of the incident */
	char		 user[EV_NAME_MAX];
	int64_t		 first_ts;	/* µs UTC of the first event */
	int64_t		 last_ts;	/* µs UTC of the last event */
	int32_t		 score;		/* sum of rule weights, in 1/1000 */

	size_t		 nrules;
	char		**rules;	/* ids of the rules that fired */
	size_t		 nevents;
	char		**events;	/* event ids it concerns */
	size_t		 nsubjects;
	char		**subjects;	/* BSNs / plates concerned */
	char		*summary;	/* one line for an officer */
	char		*explanation;	/* facts, and explanations looked for */
	size_t		 nprov;
	char		**prov;		/* events decided provisionally (before
					   their grace period ended) */
	size_t		 nby;
	char		**by;		/* ALERT_EXPLAINED: what explains each
					   event (a case id) */

	/* alert_add_subject's index: a scrape names thousands of subjects. */
	size_t		 nindexed;	/* subjects[0..nindexed) are in it */
	size_t		 subjcap;	/* slots, a power of 2 */
	uint32_t	*subjidx;	/* 1 + an index into subjects, or 0 */
};

struct alert	*alert_new(void);
void		 alert_free(struct alert *);
void		 alert_add_rule(struct alert *, const char *);
void		 alert_add_event(struct alert *, const char *);
void		 alert_add_subject(struct alert *, const char *);
void		 alert_add_prov(struct alert *, const char *);
void		 alert_add_by(struct alert *, const char *);
const char	*alert_severity_name(enum alert_severity);
int		 alert_severity_parse(const char *, enum alert_severity *);

#endif
