/*
 * incident.h: flagged lookups of one user that lie close in time form
 * one incident and come out as one alert (a bulk scrape of 2,000 persons
 * is one alert). An urgent lookup makes the alert go out at once; what
 * joins the incident later goes out as an addendum when it closes. An
 * urgent lookup is provisional: when a case registered within the grace
 * period explains it, a follow-up record names the case.
 */
#ifndef WACHTER_INCIDENT_H
#define WACHTER_INCIDENT_H

#include <stdint.h>

#include "alert/alert.h"
#include "util/buf.h"

struct incidents;

/* One flagged lookup, as the engine hands it over. */
struct flagged {
	const char	*user;
	const char	*event;
	int64_t		 ts;
	int32_t		 score;
	uint8_t		 severity;
	int		 urgent;
	int		 alone;		/* decided out of order: own incident */
	int		 provisional;	/* decided before its grace period
					   ended (an urgent rule) */
	const char	**rules;	/* ids of the rules that fired */
	const char	**titles;	/* their titles */
	size_t		 nrules;
	const char	**subjects;
	size_t		 nsubjects;
	const char	*facts;		/* one line of facts in words */
};

struct incidents *incidents_new(int64_t, int64_t);
void		 incidents_free(struct incidents *);
const char	*incidents_add(struct incidents *, const struct flagged *);
void		 incidents_explained(struct incidents *, const char *,
		    const struct flagged *, const char *);
void		 incidents_advance(struct incidents *, int64_t);
void		 incidents_flush(struct incidents *);
struct alert	*incidents_next(struct incidents *);
void		 incidents_export(const struct incidents *, struct buf *);
int		 incidents_import(struct incidents *, char *)
		    __attribute__((warn_unused_result));

#endif
