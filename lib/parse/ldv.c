/*
 * ldv.c: the two-stream join (see ldv.h). Groups live in a hash table by
 * key and on one of three lists: waiting (incomplete, in creation order),
 * lingering (complete, in completion order) and done (to be handed out).
 * Freed groups are kept for reuse, so a steady stream stops allocating.
 *
 * Waiting is measured in event time, never in lines read or wall time:
 * the join's clock is the lower of the two streams' watermarks (newest
 * time less the stream's lateness, or the floor the caller sets for a
 * live, idle stream), so a group's fate depends on what the logs say, not
 * on how their reading interleaved. (A Logboek is written when a trace
 * ends, minutes out of time order: without the lateness, a partner read
 * early could be given up on before its records were read.) A complete
 * group also lingers a number of records lines past its last one, for a
 * part written after its closing record even in a trace that came late.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "parse/ldv.h"
#include "util/xmalloc.h"

enum ldv_list {
	LDV_WAIT = 0,
	LDV_LINGER,
	LDV_DONE,
	LDV_FREE,
};

struct ldv_group {
	TAILQ_ENTRY(ldv_group)	 entry;
	struct ldv_group	*hnext;
	uint32_t		 hash;
	enum ldv_list		 list;
	char			 key[EV_ID_MAX];
	char			 id[EV_ID_MAX];
	struct lookup		 rec;		/* closing record + all subjects */
	struct lookup		 partner;
	int			 have_parent;
	int			 have_partner;
	int			 bad;
	const char		*reason;
	uint64_t		 off[2];	/* first line held per stream */
	int64_t			 t;		/* oldest line's time */
	int64_t			 done_t;	/* complete: newest line's time */
	uint64_t		 rseq;		/* records lines read at its last */
};

TAILQ_HEAD(ldv_groups, ldv_group);

struct ldv {
	const struct srcdef	*rsd;
	const struct srcdef	*psd;
	struct ldv_limits	 lim;
	struct ldv_group	**bucket;
	uint32_t		 mask;
	struct ldv_groups	 lists[4];
	size_t			 ngroups;
	int64_t			 max_ts[2];	/* newest time per stream */
	int64_t			 floor[2];	/* promised by the caller */
	int64_t			 lateness[2];	/* how far out of order */
	uint64_t		 nlines[2];	/* lines read per stream */
	struct ldv_group	*cur;
	struct lookup		 out;
};

/* Copy a string, cutting it to the destination (keys are short ids). */
static void
ldv_strcpy(char *dst, const char *src, size_t sz)
{
	size_t	 n = strnlen(src, sz - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Sensible bounds for logs written within seconds of each other. */
void
ldv_limits_default(struct ldv_limits *lim)
{
	lim->wait_us = 120 * INT64_C(1000000);
	lim->linger_us = 10 * INT64_C(1000000);
	lim->linger_lines = 256;
	lim->max_groups = 65536;
}

/* Make a join of a records definition and its partner's. */
struct ldv *
ldv_new(const struct srcdef *rsd, const struct srcdef *psd,
    const struct ldv_limits *lim)
{
	struct ldv	*l;
	uint32_t	 n = 1024;
	int		 i;

	l = xcalloc(1, sizeof *l);
	l->rsd = rsd;
	l->psd = psd;
	l->lim = *lim;
	if (l->lim.max_groups < 16)
		l->lim.max_groups = 16;
	while (n < l->lim.max_groups * 2 && n < (1U << 24))
		n <<= 1;
	l->bucket = xcalloc(n, sizeof *l->bucket);
	l->mask = n - 1;
	for (i = 0; i < 4; i++)
		TAILQ_INIT(&l->lists[i]);
	for (i = 0; i < 2; i++)
		l->max_ts[i] = l->floor[i] = INT64_MIN;
	lookup_init(&l->out);
	return (l);
}

/* Free a group's memory. */
static void
ldv_group_free(struct ldv_group *g)
{
	lookup_free(&g->rec);
	lookup_free(&g->partner);
	free(g);
}

/* Free the join and every group it holds. */
void
ldv_free(struct ldv *l)
{
	struct ldv_group	*g;
	int			 i;

	if (l == NULL)
		return;
	for (i = 0; i < 4; i++) {
		while ((g = TAILQ_FIRST(&l->lists[i])) != NULL) {
			TAILQ_REMOVE(&l->lists[i], g, entry);
			ldv_group_free(g);
		}
	}
	if (l->cur != NULL)
		ldv_group_free(l->cur);
	lookup_free(&l->out);
	free(l->bucket);
	free(l);
}

/* FNV-1a over a key. */
static uint32_t
ldv_hash(const char *s)
{
	uint32_t	 h = 2166136261U;

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 16777619U;
	return (h);
}

/* Move a group to another list. */
static void
ldv_move(struct ldv *l, struct ldv_group *g, enum ldv_list to)
{
	TAILQ_REMOVE(&l->lists[g->list], g, entry);
	g->list = to;
	TAILQ_INSERT_TAIL(&l->lists[to], g, entry);
}

/* Take a group out of the table and queue it to be handed out. */
static void
ldv_finish(struct ldv *l, struct ldv_group *g)
{
	struct ldv_group	**pp;

	for (pp = &l->bucket[g->hash & l->mask]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == g) {
			*pp = g->hnext;
			break;
		}
	}
	l->ngroups--;
	ldv_move(l, g, LDV_DONE);
}

/* A fresh (or recycled) group, on the done list unless hashed later. */
static struct ldv_group *
ldv_group_new(struct ldv *l, const char *key, int64_t t)
{
	struct ldv_group	*g;

	if ((g = TAILQ_FIRST(&l->lists[LDV_FREE])) != NULL)
		TAILQ_REMOVE(&l->lists[LDV_FREE], g, entry);
	else {
		g = xcalloc(1, sizeof *g);
		lookup_init(&g->rec);
		lookup_init(&g->partner);
	}
	lookup_reset(&g->rec);
	lookup_reset(&g->partner);
	ldv_strcpy(g->key, key, sizeof g->key);
	g->id[0] = '\0';
	g->have_parent = g->have_partner = g->bad = 0;
	g->reason = NULL;
	g->off[0] = g->off[1] = UINT64_MAX;
	g->t = t;
	g->done_t = t;
	g->rseq = l->nlines[LDV_RECORDS];
	g->hnext = NULL;
	g->list = LDV_WAIT;
	TAILQ_INSERT_TAIL(&l->lists[LDV_WAIT], g, entry);
	return (g);
}

/* Find the group of a key, creating it (and evicting if full). */
static struct ldv_group *
ldv_lookup(struct ldv *l, const char *key, int64_t t)
{
	struct ldv_group	*g;
	uint32_t		 h = ldv_hash(key);

	for (g = l->bucket[h & l->mask]; g != NULL; g = g->hnext) {
		if (g->hash == h && strcmp(g->key, key) == 0) {
			if (t < g->t)
				g->t = t;
			if (t > g->done_t)
				g->done_t = t;
			return (g);
		}
	}
	if (l->ngroups >= l->lim.max_groups) {
		if ((g = TAILQ_FIRST(&l->lists[LDV_WAIT])) == NULL)
			g = TAILQ_FIRST(&l->lists[LDV_LINGER]);
		ldv_finish(l, g);
	}
	g = ldv_group_new(l, key, t);
	g->hash = h;
	g->hnext = l->bucket[h & l->mask];
	l->bucket[h & l->mask] = g;
	l->ngroups++;
	return (g);
}

/* Append src's subjects to dst, skipping ones it already has. */
static void
ldv_subjects(struct lookup *dst, const struct lookup *src)
{
	const struct subject	*s;
	uint32_t		 i, k;

	for (i = 0; i < src->nsubjects; i++) {
		s = &src->subjects[i];
		for (k = 0; k < dst->nsubjects; k++) {
			if (dst->subjects[k].kind == s->kind &&
			    dst->subjects[k].role == s->role &&
			    strcmp(dst->subjects[k].value, s->value) == 0)
				break;
		}
		if (k == dst->nsubjects)
			*lookup_add_subject(dst, "", 0, s->kind, s->role) = *s;
	}
}

/* A malformed line: its group (if its key can be read) is malformed. */
static void
ldv_add_bad(struct ldv *l, int stream, struct parser *p, const char *reason,
    const char *line, size_t len, uint64_t off, int64_t t)
{
	struct ldv_group	*g;
	char			 key[EV_ID_MAX], id[EV_ID_MAX];

	id[0] = '\0';
	if (stream == LDV_PARTNER)
		parser_salvage(p, line, len, PARSER_SALVAGE_ID, id, sizeof id);
	if (parser_salvage(p, line, len, PARSER_SALVAGE_KEY, key,
	    sizeof key) == 0) {
		g = ldv_group_new(l, "", t);
		ldv_move(l, g, LDV_DONE);
	} else {
		g = ldv_lookup(l, key, t);
		if (g->off[stream] == UINT64_MAX)
			g->off[stream] = off;
	}
	if (!g->bad)
		g->reason = reason;
	g->bad = 1;
	if (id[0] != '\0')
		ldv_strcpy(g->id, id, sizeof g->id);
	if (stream == LDV_PARTNER)
		g->have_partner = 1;
}

/* A good line: a part, a closing record or the partner line. */
static struct ldv_group *
ldv_add_event(struct ldv *l, int stream, struct parser *p,
    const struct lookup *ev, uint64_t off)
{
	struct ldv_group	*g;

	g = ldv_lookup(l, parser_key(p), ev->ts);
	if (g->off[stream] == UINT64_MAX)
		g->off[stream] = off;
	if (stream == LDV_RECORDS)
		g->rseq = l->nlines[LDV_RECORDS];
	if (stream == LDV_PARTNER) {
		lookup_copy(&g->partner, ev);
		g->have_partner = 1;
		if (g->id[0] == '\0')
			ldv_strcpy(g->id, ev->id, sizeof g->id);
		return (g);
	}
	if (!parser_is_part(p)) {
		memcpy(&g->rec, ev, offsetof(struct lookup, nsubjects));
		g->have_parent = 1;
	}
	ldv_subjects(&g->rec, ev);
	return (g);
}

/* The join's clock: no line before it is still to come from either log. */
static int64_t
ldv_clock(const struct ldv *l)
{
	int64_t	 t[2];
	int	 i;

	for (i = 0; i < 2; i++) {
		t[i] = l->max_ts[i] == INT64_MIN ? INT64_MIN :
		    l->max_ts[i] - l->lateness[i];
		if (l->floor[i] > t[i])
			t[i] = l->floor[i];
	}
	return (t[0] < t[1] ? t[0] : t[1]);
}

/*
 * Hand out groups whose time is over: incomplete ones waited wait_us of
 * event time for their partner or closing record, complete ones lingered
 * linger_us for late parts.
 */
static void
ldv_expire(struct ldv *l)
{
	struct ldv_group	*g;
	int64_t			 now = ldv_clock(l);

	if (now == INT64_MIN)
		return;
	while ((g = TAILQ_FIRST(&l->lists[LDV_WAIT])) != NULL &&
	    now - l->lim.wait_us >= g->t)
		ldv_finish(l, g);
	while ((g = TAILQ_FIRST(&l->lists[LDV_LINGER])) != NULL &&
	    now - l->lim.linger_us >= g->done_t &&
	    l->nlines[LDV_RECORDS] - g->rseq >= l->lim.linger_lines)
		ldv_finish(l, g);
}

/*
 * Feed one parsed line of a stream (LDV_RECORDS or LDV_PARTNER): rc and ev
 * as parser_line() left them, the raw line (to salvage a key from a bad
 * one) and its byte offset in its stream. A bad line has no time of its
 * own: it counts as its stream's newest.
 */
void
ldv_add(struct ldv *l, int stream, struct parser *p, enum parse_rc rc,
    const struct lookup *ev, const char *reason, const char *line, size_t len,
    uint64_t off)
{
	struct ldv_group	*g;

	l->nlines[stream]++;
	if (rc == PARSE_BAD)
		ldv_add_bad(l, stream, p, reason, line, len, off,
		    l->max_ts[stream]);
	else if (rc == PARSE_EVENT) {
		if (ev->ts > l->max_ts[stream])
			l->max_ts[stream] = ev->ts;
		g = ldv_add_event(l, stream, p, ev, off);
		if (g->list == LDV_WAIT && g->have_parent && g->have_partner)
			ldv_move(l, g, LDV_LINGER);
	}
	ldv_expire(l);
}

/*
 * Promise that a stream has nothing before t (a live log that is idle):
 * a partner that never comes is then reported once waited enough.
 */
void
ldv_floor(struct ldv *l, int stream, int64_t t)
{
	if (t > l->floor[stream]) {
		l->floor[stream] = t;
		ldv_expire(l);
	}
}

/* How far out of time order a stream's lines may be, µs. */
void
ldv_lateness(struct ldv *l, int stream, int64_t us)
{
	l->lateness[stream] = us < 0 ? 0 : us;
}

/* The oldest time of a group still held, INT64_MAX when none. */
int64_t
ldv_oldest(const struct ldv *l)
{
	const struct ldv_group	*g;
	int64_t			 t = INT64_MAX;
	int			 i;

	for (i = LDV_WAIT; i <= LDV_DONE; i++)
		TAILQ_FOREACH(g, &l->lists[i], entry)
			if (g->t < t)
				t = g->t;
	return (t);
}

/* End of input: hand out everything. */
void
ldv_flush(struct ldv *l)
{
	struct ldv_group	*g;

	while ((g = TAILQ_FIRST(&l->lists[LDV_WAIT])) != NULL)
		ldv_finish(l, g);
	while ((g = TAILQ_FIRST(&l->lists[LDV_LINGER])) != NULL)
		ldv_finish(l, g);
}

/* Whether a definition says where a field comes from. */
static int
ldv_maps(const struct srcdef *sd, enum sd_field f)
{
	return (sd->field[f].nalt != 0 || sd->field[f].value != NULL);
}

/* Copy one field of the partner's event into the output. */
static void
ldv_take(struct lookup *o, const struct lookup *p, enum sd_field f)
{
	const uint8_t	 tflags = EV_F_AMBIGUOUS_TIME | EV_F_NONEXISTENT_TIME;

	switch (f) {
	case SF_ID:
		memcpy(o->id, p->id, sizeof o->id);
		break;
	case SF_TIME:
		o->ts = p->ts;
		o->ts_alt = p->ts_alt;
		o->flags = (uint8_t)((o->flags & ~tflags) | (p->flags & tflags));
		break;
	case SF_USER:
		memcpy(o->user, p->user, sizeof o->user);
		break;
	case SF_WORKSTATION:
		memcpy(o->workstation, p->workstation, sizeof o->workstation);
		break;
	case SF_APPLICATION:
		memcpy(o->application, p->application, sizeof o->application);
		break;
	case SF_PURPOSE:
		memcpy(o->purpose, p->purpose, sizeof o->purpose);
		break;
	case SF_CASE:
		memcpy(o->case_raw, p->case_raw, sizeof o->case_raw);
		memcpy(o->case_id, p->case_id, sizeof o->case_id);
		o->flags = (uint8_t)((o->flags & ~EV_F_CASE_INVALID) |
		    (p->flags & EV_F_CASE_INVALID));
		break;
	case SF_REQUEST:
		o->request = p->request;
		break;
	case SF_STATUS:
		o->status = p->status;
		break;
	case SF_SURNAME:
	case SF_PREFIX:
		memcpy(o->q_surname, p->q_surname, sizeof o->q_surname);
		break;
	case SF_GIVEN:
		memcpy(o->q_given, p->q_given, sizeof o->q_given);
		break;
	case SF_BIRTHDATE:
		memcpy(o->q_birthdate, p->q_birthdate, sizeof o->q_birthdate);
		break;
	case SF_POSTCODE:
		memcpy(o->q_postcode, p->q_postcode, sizeof o->q_postcode);
		break;
	case SF_HOUSENUMBER:
		o->q_housenumber = p->q_housenumber;
		break;
	default:
		break;
	}
}

/*
 * The joined event: the records' fields and subjects, then every field
 * the partner maps, except those its definition leaves to the records.
 */
static void
ldv_merge(struct ldv *l, struct ldv_group *g)
{
	struct lookup	*o = &l->out;
	int		 f;

	lookup_copy(o, &g->rec);
	if (!g->have_partner) {
		o->flags |= EV_F_NO_USER;
		if (o->id[0] == '\0')
			ldv_strcpy(o->id, g->key, sizeof o->id);
		return;
	}
	for (f = 0; f < SF__MAX; f++) {
		if (!ldv_maps(l->psd, f))
			continue;
		if ((l->psd->from_records & (1U << f)) && ldv_maps(l->rsd, f))
			continue;
		ldv_take(o, &g->partner, f);
	}
	ldv_subjects(o, &g->partner);
}

/* The next outcome, if any: 1 and *out filled, or 0. */
int
ldv_next(struct ldv *l, struct ldv_out *out)
{
	struct ldv_group	*g;

	if (l->cur != NULL) {
		TAILQ_INSERT_TAIL(&l->lists[LDV_FREE], l->cur, entry);
		l->cur->list = LDV_FREE;
		l->cur = NULL;
	}
	if ((g = TAILQ_FIRST(&l->lists[LDV_DONE])) == NULL)
		return (0);
	TAILQ_REMOVE(&l->lists[LDV_DONE], g, entry);
	l->cur = g;
	memset(out, 0, sizeof *out);
	out->key = g->key;
	out->id = g->id;
	if (!g->bad && !g->have_parent) {
		g->bad = 1;
		g->reason = "incomplete group (no closing record)";
	}
	if (g->bad) {
		out->bad = 1;
		out->reason = g->reason;
		return (1);
	}
	ldv_merge(l, g);
	out->ev = &l->out;
	return (1);
}

/*
 * The smallest byte offset of a line of this stream still held (waiting,
 * lingering or not yet handed out), or UINT64_MAX: a tailer must not
 * commit a position past it.
 */
uint64_t
ldv_low_watermark(const struct ldv *l, int stream)
{
	const struct ldv_group	*g;
	uint64_t		 low = UINT64_MAX;
	int			 i;

	for (i = LDV_WAIT; i <= LDV_DONE; i++) {
		TAILQ_FOREACH(g, &l->lists[i], entry) {
			if (g->off[stream] < low)
				low = g->off[stream];
		}
	}
	return (low);
}

/* Groups held (waiting or lingering). */
size_t
ldv_pending(const struct ldv *l)
{
	return (l->ngroups);
}
