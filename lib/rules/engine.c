/*
 * engine.c: the life of one lookup in the engine, once engine_order.c
 * releases it in time order. It is explained as of its own time and its
 * stateful rules (windows, sequences) are updated; an explained lookup is
 * decided at once, an unexplained one waits for its grace period unless
 * an urgent rule already makes it an alert, and is then explained again
 * as of the end of that period. An urgent alert is provisional: its
 * lookup is held all the same and judged again at its deadline; if it is
 * explained by then, a follow-up says so (engine_recheck). Every decision
 * is a function of event times and reference data only, never of when a
 * line arrived.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rules/engine_int.h"
#include "rules/match.h"
#include "util/xmalloc.h"

/*
 * Defaults: 3 days grace, threshold 1.0, incidents end after 8 quiet
 * hours; a source's lines may be 15 minutes out of order, and a line more
 * than 6 hours ahead of its log waits for the next to confirm it.
 */
void
engine_defaults(struct engine_settings *s)
{
	s->grace = 3 * USEC_PER_DAY;
	s->threshold = 1000;
	s->incident_gap = 8 * USEC_PER_HOUR;
	s->retry_window = 10 * USEC_PER_MIN;
	s->lateness = 15 * USEC_PER_MIN;
	s->jump = 6 * USEC_PER_HOUR;
	explain_defaults(&s->es);
}

/* Create an engine over a rule set and reference data (both borrowed). */
struct engine *
engine_new(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set)
{
	struct engine	*e;

	e = xcalloc(1, sizeof *e);
	e->rs = rs;
	engine_slots(e);
	e->m = matcher_new(rs);
	e->ref = ref;
	e->set = *set;
	e->now = INT64_MIN;
	e->users = symtab_new();
	e->inc = incidents_new(set->incident_gap, set->grace);
	facts_init(&e->fx);
	e->fx.grace = set->grace;
	buf_init(&e->words);
	return (e);
}

/* Free an engine (not its rules or reference data). */
void
engine_free(struct engine *e)
{
	size_t	 i, j;

	if (e == NULL)
		return;
	for (i = 0; i < symtab_count(e->users); i++) {
		free(e->us[i].seq);
		if (e->us[i].w == NULL)
			continue;
		for (j = 0; j < e->nwslot; j++)
			window_free(&e->us[i].w[j]);
		free(e->us[i].w);
	}
	for (i = 0; i < e->nholds; i++) {
		free(e->holds[i]->packed);
		free(e->holds[i]);
	}
	for (i = 0; i < 2 && e->hunpack[i] != NULL; i++) {
		lookup_free(e->hunpack[i]);
		free(e->hunpack[i]);
	}
	engine_base_free(e);
	order_free(e);
	reexam_free(e->rx);
	matcher_free(e->m);
	free(e->us);
	free(e->holds);
	free(e->fifo);
	free(e->freeh);
	free(e->dq);
	symtab_free(e->users);
	incidents_free(e->inc);
	facts_free(&e->fx);
	buf_free(&e->words);
	free(e);
}

/* State of a user, created on first sight. */
struct ustate *
engine_user(struct engine *e, const char *user)
{
	size_t	 len = strlen(user);

	return (engine_user_value(e, user, len,
	    symtab_value(e->users, user, len)));
}

/*
 * The same, with the user's symtab_value computed by the caller (the
 * facts' key of the user: every table of symtab_new gives a string the
 * same value).
 */
struct ustate *
engine_user_value(struct engine *e, const char *user, size_t len,
    uint32_t value)
{
	uint32_t	 sym;
	size_t		 old;

	old = symtab_count(e->users);
	sym = symtab_intern_value(e->users, user, len, value);
	if (sym >= e->uscap) {
		e->uscap = e->uscap ? e->uscap * 2 : 256;
		e->us = xreallocarray(e->us, e->uscap, sizeof *e->us);
	}
	/* Set up a user when first seen: the room after it stays untouched. */
	if (sym >= old) {
		memset(&e->us[sym], 0, sizeof e->us[sym]);
		memset(e->us[sym].empty, 0xff, sizeof e->us[sym].empty);
	}
	return (&e->us[sym]);
}

/* Sequence rule: remember first lookups, complete on the owner. */
static void
engine_sequence(struct engine *e, struct ustate *u, size_t ri,
    const struct rule *r, uint64_t *bits, int *pending)
{
	const struct lookup	*ev = e->fx.ev;
	uint32_t		 i, j;
	int			 which;
	struct useq		*q;

	if (match_preds(r->first, r->nfirst, &e->fx, NULL))
		*pending = 1;
	if (!matcher_rule(e->m, ri, &e->fx, &which))
		return;
	for (i = 0; u->seq != NULL && i < SEQ_RING; i++) {
		q = &u->seq[i];
		if (q->owner[0] == '\0' || ev->ts < q->ts ||
		    ev->ts - q->ts > r->within)
			continue;
		for (j = 0; j < ev->nsubjects; j++) {
			if (strcmp(ev->subjects[j].value, q->owner) != 0 ||
			    ev->subjects[j].role == SUBJ_OWNER)
				continue;
			*bits |= 1ULL << ri;
			if (q->hold >= 0 && e->holds[q->hold]->used &&
			    e->holds[q->hold]->gen == q->gen)
				e->holds[q->hold]->bits |= 1ULL << ri;
		}
	}
}

/* Record the owners of a first lookup of a sequence. */
static void
engine_seq_record(struct ustate *u, const struct lookup *ev, int32_t hold,
    uint32_t gen)
{
	uint32_t	 i;
	struct useq	*q;

	for (i = 0; i < ev->nsubjects; i++) {
		if (ev->subjects[i].role != SUBJ_OWNER)
			continue;
		if (u->seq == NULL)
			u->seq = xcalloc(SEQ_RING, sizeof *u->seq);
		q = &u->seq[u->seqpos++ % SEQ_RING];
		memcpy(q->owner, ev->subjects[i].value, SUBJ_VALUE_MAX);
		q->ts = ev->ts;
		q->hold = hold;
		q->gen = gen;
	}
}

/*
 * Must this lookup be decided now: does an urgent rule hold, and do all
 * rules that hold now reach the threshold?
 */
static int
engine_urgent(struct engine *e, uint64_t bits)
{
	const struct rule	*r;
	int32_t			 score = 0;
	uint64_t		 left;
	size_t			 i;
	int			 which, urgent = 0;

	/* Stateful rules from bits: their "when" was matched on arrival. */
	left = matcher_candidates(e->m, &e->fx) &
	    (~matcher_stateful(e->m) | bits);
	while (left != 0) {
		i = match_take(&left);
		r = &e->rs->rules[i];
		if (!matcher_rule(e->m, i, &e->fx, &which))
			continue;
		score += r->weight;
		urgent |= r->urgent;
	}
	return (urgent && score >= e->set.threshold);
}

/* An explained lookup makes the user's recent empty lookups retries. */
static void
engine_retries(struct engine *e, struct ustate *u, const struct lookup *ev)
{
	struct hold	*h;
	int		 i;

	for (i = 0; i < EMPTY_RING; i++) {
		if (u->empty[i] < 0 || u->emptyts[i] > ev->ts ||
		    ev->ts - u->emptyts[i] > e->set.retry_window)
			continue;
		h = e->holds[u->empty[i]];
		if (h->used && h->gen == u->emptygen[i] && h->ts <= ev->ts &&
		    ev->ts - h->ts <= e->set.retry_window)
			h->retry = 1;
	}
}

/* Judge one lookup released in time order. */
void
engine_take(struct engine *e, const struct lookup *ev)
{
	struct ustate		*u;
	const struct rule	*r;
	uint64_t		 bits = 0, left, todo;
	int32_t			 h;
	int			 seqfirst = 0, novel = 0;
	size_t			 i;

	engine_run_until(e, ev->ts);
	facts_compute(&e->fx, e->ref, &e->set.es, ev, ev->ts);
	u = engine_user_value(e, ev->user, e->fx.keys.ulen, e->fx.keys.uval);
	u->dirty = 1;
	left = matcher_candidates(e->m, &e->fx);
	for (todo = matcher_stateful(e->m); todo != 0; ) {
		i = match_take(&todo);
		r = &e->rs->rules[i];
		if (r->novel)
			novel = 1;
		/* A sequence notes its first lookups whatever its "when". */
		if (!((left >> i) & 1) && !r->seq)
			continue;	/* "when" fails: no state changes */
		if (r->window)
			engine_window(e, u, i, r, &bits);
		else if (r->seq)
			engine_sequence(e, u, i, r, &bits, &seqfirst);
		else if (r->base)
			engine_baseline(e, u, i, r, &bits);
		else if (r->novel)
			engine_novel(e, u, i, r, &bits);
	}
	if (novel)
		engine_novel_record(e, u);
	if (e->fx.expl != EXPL_NONE) {
		engine_retries(e, u, ev);
		engine_decide(e, ev, bits, 0, 0);
		reexam_feed(e, ev);
		return;
	}
	if (engine_urgent(e, bits)) {
		engine_decide(e, ev, bits, 0, 1);
		engine_provisional(e, ev);
		if (seqfirst)
			engine_seq_record(u, ev, -1, 0);
		return;
	}
	h = engine_hold(e, ev, bits);
	if (seqfirst)
		engine_seq_record(u, ev, h, e->holds[h]->gen);
	if (e->fx.nobody) {
		u->empty[u->emptypos % EMPTY_RING] = h;
		u->emptyts[u->emptypos % EMPTY_RING] = ev->ts;
		u->emptygen[u->emptypos++ % EMPTY_RING] = e->holds[h]->gen;
	}
}

/*
 * Let event time pass up to t: decide, in order, held lookups whose grace
 * period ends by then, each as of its own deadline, and close incidents
 * before each decision, so that how often this is called changes nothing.
 */
void
engine_run_until(struct engine *e, int64_t t)
{
	struct hold	*h;
	struct lookup	*hev;
	uint32_t	 hi;

	while (e->fhead != e->ftail) {
		hi = e->fifo[e->fhead % e->fcap];
		h = e->holds[hi];
		if (h->used && h->deadline > t)
			break;
		e->fhead++;
		if (!h->used)
			continue;
		if (h->deadline > e->now)
			e->now = h->deadline;
		incidents_advance(e->inc, e->now);
		hev = hold_lookup(e, h, 0);
		if (!h->prov)
			h->retry |= engine_retry_late(e, h, hev);
		facts_compute(&e->fx, e->ref, &e->set.es, hev, h->deadline);
		if (h->retry)
			facts_set_retry(&e->fx);
		h->used = 0;
		if (h->prov)
			engine_recheck(e, h, hev);	/* alerted already */
		else
			engine_decide(e, hev, h->bits, 1, 0);
		/* Every hold can be free at once: size it with the holds. */
		if (e->freecap < e->holdcap) {
			e->freecap = e->holdcap;
			e->freeh = xreallocarray(e->freeh, e->freecap,
			    sizeof *e->freeh);
		}
		e->freeh[e->nfree++] = (int32_t)hi;
	}
	if (t > e->now)
		e->now = t;
	reexam_advance(e);
	incidents_advance(e->inc, e->now);
}

/*
 * Decide a lookup that cannot take its place in time (see engine_order.c)
 * on its own: explained as of the end of its grace period, by the rules
 * that need no history, as an incident of its own. It changes no user's
 * memory, so it cannot change any other decision.
 */
void
engine_alone(struct engine *e, const struct lookup *ev, int why)
{
	facts_compute(&e->fx, e->ref, &e->set.es, ev, ev->ts + e->set.grace);
	engine_decide(e, ev, 0, why, 0);
}

/* Decide everything waiting now (end of a batch run). */
void
engine_flush(struct engine *e)
{
	int64_t	 now = e->now;
	size_t	 i;

	order_end(e);
	for (i = 0; i < e->nholds; i++)
		if (e->holds[i]->used && e->holds[i]->deadline > now)
			now = e->holds[i]->deadline;
	engine_run_until(e, now);
	reexam_flush(e);
	incidents_flush(e->inc);
}

/* Take the next decision, 0 when none is waiting. */
int
engine_next_decision(struct engine *e, struct decision *d)
{
	if (e->dhead == e->dtail) {
		e->dhead = e->dtail = 0;
		return (0);
	}
	*d = e->dq[e->dhead++];
	return (1);
}

/*
 * Have fn(arg) called when ENGINE_DQ_DRAIN decisions are waiting, to take
 * them with engine_next_decision while the engine goes on (within
 * engine_feed or engine_flush). It must not feed the engine.
 */
void
engine_on_decisions(struct engine *e, void (*fn)(void *), void *arg)
{
	e->drain = fn;
	e->drain_arg = arg;
}

/* Take the next alert (the caller frees it), NULL when none. */
struct alert *
engine_next_alert(struct engine *e)
{
	return (incidents_next(e->inc));
}

/* Number of lookups held. */
size_t
engine_holds(const struct engine *e)
{
	return (e->nholds - e->nfree);
}

/* Swap in new reference data; returns the old, which the caller frees. */
const struct ref *
engine_swap_ref(struct engine *e, const struct ref *ref)
{
	const struct ref	*old = e->ref;

	e->ref = ref;
	return (old);
}
