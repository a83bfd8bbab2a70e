/*
 * ldv.h: correlate two streams by a key, as the Logboek Dataverwerkingen
 * needs: a "records" stream where several records share a key (parts
 * first, one parentless record closing the group) and a "partner" stream
 * with one line per key that says who acted. The mechanism is generic;
 * the source definitions (join: role records / partner) say which fields
 * are the key and the parent.
 *
 * Waiting is bounded: a group is given out when it is complete (closing
 * record and partner) and has lingered a while for late parts, or when
 * it has waited too long, both in event time (the lower of the two logs'
 * newest times), or when there are too many groups.
 * A group whose partner never came is an event with EV_F_NO_USER; a group
 * with any malformed line is malformed as a whole.
 */
#ifndef WACHTER_LDV_H
#define WACHTER_LDV_H

#include <stddef.h>
#include <stdint.h>

#include "event/event.h"
#include "parse/parser.h"
#include "parse/srcdef.h"

#define LDV_RECORDS	0
#define LDV_PARTNER	1

struct ldv_limits {
	int64_t		 wait_us;	/* incomplete: event time */
	int64_t		 linger_us;	/* complete: wait for late parts */
	uint64_t	 linger_lines;	/* and this many records lines */
	size_t		 max_groups;	/* memory bound */
};

/* One outcome; pointers stay valid until the next ldv_next(). */
struct ldv_out {
	int		 bad;
	const char	*reason;	/* bad: why */
	const char	*id;		/* the event id, or "" */
	const char	*key;
	const struct lookup *ev;		/* !bad */
};

struct ldv;

void		 ldv_limits_default(struct ldv_limits *);
struct ldv	*ldv_new(const struct srcdef *, const struct srcdef *,
		    const struct ldv_limits *);
void		 ldv_free(struct ldv *);
void		 ldv_add(struct ldv *, int, struct parser *, enum parse_rc,
		    const struct lookup *, const char *, const char *, size_t,
		    uint64_t);
void		 ldv_floor(struct ldv *, int, int64_t);
void		 ldv_lateness(struct ldv *, int, int64_t);
int64_t		 ldv_oldest(const struct ldv *);
void		 ldv_flush(struct ldv *);
int		 ldv_next(struct ldv *, struct ldv_out *);
uint64_t	 ldv_low_watermark(const struct ldv *, int);
size_t		 ldv_pending(const struct ldv *);

#endif
