/*
 * engine_reexam.c: look again at lookups a fresh case explained, once
 * that case's life is known. A sham case looks like any new case on the
 * day it is made; what gives it away comes later: it is closed far
 * sooner than cases of its type, and nobody else on it ever looks at its
 * subjects. Rules marked `reexamine` fire only here.
 *
 * A lookup is kept when a reexamine rule holds for it with the late
 * facts (fact_late) taken as holding. It is kept compactly, per case:
 * the case's subjects it touched, who, when. The engine looks at the
 * kept cases once an hour of event time: a case closed by now, or
 * whose evidence window (the after-care period after its first kept
 * lookup) has ended, has its lookups decided again with the late facts
 * known; an alert raised here is an alert like any other.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine_int.h"
#include "rules/engine_reexam.h"
#include "rules/match.h"
#include "util/xmalloc.h"

/* The state, created on first use. */
static struct reexam *
rx_get(struct engine *e)
{
	if (e->rx == NULL) {
		e->rx = xcalloc(1, sizeof *e->rx);
		e->rx->last_scan = INT64_MIN;
		e->rx->names = symtab_new();
	}
	return (e->rx);
}

/* Set the bits of a kept case's subjects. */
static void
rx_mark(struct reexam *rx, int32_t kase)
{
	const struct ref	*r = rx->ref;
	const struct refcase	*k = &r->cases[kase];
	uint32_t		 j, s;

	for (j = 0; j < k->nsubj; j++)
		if ((s = r->pool[k->assign_off + k->nassign + j]) < rx->nsubj)
			rx->by_subj[s / 64] |= 1ULL << (s % 64);
}

/*
 * The subjects of the kept cases, anew: rx_observe walks a subject's
 * cases only when its bit is set (a case lists a subject exactly when
 * the subject's postings list the case).
 */
static void
rx_mark_all(struct reexam *rx)
{
	size_t	 i;

	memset(rx->by_subj, 0, (rx->nsubj / 64 + 1) * sizeof *rx->by_subj);
	for (i = 0; i < rx->n; i++)
		if (rx->v[i].kase >= 0)
			rx_mark(rx, rx->v[i].kase);
}

/* Point the case indices at the engine's reference data. */
static void
rx_rebind(struct reexam *rx, const struct ref *ref)
{
	size_t	 i;

	if (rx->ref == ref)
		return;
	free(rx->by_case);
	rx->by_case = xcalloc(ref->ncases + 1, sizeof *rx->by_case);
	memset(rx->by_case, 0xff, (ref->ncases + 1) * sizeof *rx->by_case);
	free(rx->by_subj);
	rx->nsubj = keytab_count(ref->subjects);
	rx->by_subj = xcalloc(rx->nsubj / 64 + 1, sizeof *rx->by_subj);
	rx->ref = ref;
	for (i = 0; i < rx->n; i++) {
		rx->v[i].kase = ref_case(ref, rx->v[i].case_id);
		if (rx->v[i].kase >= 0)
			rx->by_case[rx->v[i].kase] = (int32_t)i;
	}
	rx_mark_all(rx);
}

/* The entry of a case, created when asked. */
static struct rx_case *
rx_case_get(struct reexam *rx, int32_t kase, const char *case_id,
    const char *user, int64_t until)
{
	struct rx_case	*c;

	if (kase >= 0 && rx->by_case[kase] >= 0)
		return (&rx->v[rx->by_case[kase]]);
	if (rx->n == rx->cap) {
		rx->cap = rx->cap ? rx->cap * 2 : 64;
		rx->v = xreallocarray(rx->v, rx->cap, sizeof *rx->v);
	}
	c = &rx->v[rx->n];
	memset(c, 0, sizeof *c);
	snprintf(c->case_id, sizeof c->case_id, "%s", case_id);
	c->user = symtab_intern(rx->names, user, strlen(user));
	c->kase = kase;
	c->until = until;
	if (kase >= 0) {
		rx->by_case[kase] = (int32_t)rx->n;
		rx_mark(rx, kase);
	}
	rx->n++;
	return (c);
}

/* The entry of a case by its id (reading the durable state). */
struct rx_case *
reexam_case(struct engine *e, const char *case_id, const char *user,
    int64_t until)
{
	struct reexam	*rx = rx_get(e);

	rx_rebind(rx, e->ref);
	return (rx_case_get(rx, ref_case(e->ref, case_id), case_id, user,
	    until));
}

/* A user of a kept lookup by symbol ("" for none). */
const char *
reexam_name(const struct reexam *rx, uint32_t sym)
{
	return (sym == SYM_NONE ? "" : symtab_str(rx->names, sym));
}

/* Free the kept lookups of a case. */
static void
rx_looks_free(struct rx_case *c)
{
	uint32_t	 i;

	for (i = 0; i < c->nlooks; i++)
		free(c->looks[i].id);
	free(c->looks);
}

/* Drop entry i (its lookups decided). */
static void
rx_remove(struct reexam *rx, size_t i)
{
	rx_looks_free(&rx->v[i]);
	if (rx->v[i].kase >= 0)
		rx->by_case[rx->v[i].kase] = -1;
	if (i != --rx->n) {
		rx->v[i] = rx->v[rx->n];
		if (rx->v[i].kase >= 0)
			rx->by_case[rx->v[i].kase] = (int32_t)i;
	}
}

/* Keep a lookup (its subjects are added by the caller). */
struct rx_look *
reexam_keep(struct reexam *rx, struct rx_case *c, const struct lookup *ev)
{
	struct rx_look	*l;

	if (c->nlooks == RX_LOOKS)
		return (NULL);
	c->looks = xreallocarray(c->looks, c->nlooks + 1, sizeof *c->looks);
	l = &c->looks[c->nlooks++];
	c->pruned = 0;
	memset(l, 0, sizeof *l);
	l->id = xstrndup(ev->id, sizeof ev->id - 1);
	l->user = symtab_intern(rx->names, ev->user,
	    strnlen(ev->user, sizeof ev->user - 1));
	l->ts = ev->ts;
	l->source = ev->source;
	l->reg = ev->reg;
	l->request = ev->request;
	return (l);
}

/* Add the subjects of sf's case to a kept lookup. */
static void
rx_keep_subjects(struct engine *e, struct rx_look *l, int32_t kase)
{
	const struct facts	*fx = &e->fx;
	uint32_t		 i;

	for (i = 0; i < fx->nsf && l->nsubj < RX_SUBJ; i++) {
		if (fx->sf[i].e.kase != kase)
			continue;
		l->subj[l->nsubj] = fx->ev->subjects[i];
		l->nsubj++;
	}
}

/*
 * When is entry c's life known: its case closed (as the reference data
 * says), or its window over? Its lookups are decided as of then, and
 * only lookups before then count as touching it, so how often the
 * engine looks changes no decision.
 */
static int64_t
rx_due(const struct reexam *rx, const struct rx_case *c)
{
	int64_t	 closed;

	if (c->kase < 0)
		return (INT64_MIN);
	closed = rx->ref->cases[c->kase].closed;
	return (closed < c->until ? closed : c->until);
}

/*
 * Was this lookup by someone else on a kept case (assignee or team)?
 * Then that case's subjects were not touched by its maker alone.
 */
static void
rx_observe(struct engine *e, struct reexam *rx)
{
	const struct facts	*fx = &e->fx;
	const struct ref	*r = e->ref;
	const struct refcase	*k;
	uint32_t		 i, j, sym;
	int32_t			 ci;

	if (fx->st == NULL || rx->n == 0 || r->sc_off == NULL)
		return;
	for (i = 0; i < fx->nsf; i++) {
		sym = fx->sf[i].sym;
		if (sym == SYM_NONE || sym >= keytab_count(r->subjects) ||
		    (sym < rx->nsubj &&
		    !(rx->by_subj[sym / 64] & 1ULL << (sym % 64))))
			continue;	/* in no kept case */
		for (j = r->sc_off[sym]; j < r->sc_off[sym + 1]; j++) {
			if ((ci = rx->by_case[r->sc[j]]) < 0 ||
			    strcmp(reexam_name(rx, rx->v[ci].user),
			    fx->ev->user) == 0 ||
			    fx->ev->ts > rx_due(rx, &rx->v[ci]))
				continue;
			k = &r->cases[r->sc[j]];
			if (k->team == fx->st->team ||
			    ref_case_has_user(r, k, fx->st->user))
				rx->v[ci].others = 1;
		}
	}
}

/* The score of the lookup in e->fx from the rules that hold now. */
static int32_t
rx_score(struct engine *e)
{
	const struct rule	*r;
	int32_t			 score = 0;
	uint64_t		 left;
	size_t			 i;
	int			 which;

	left = matcher_candidates(e->m, &e->fx) & ~matcher_stateful(e->m);
	while (left != 0) {
		i = match_take(&left);
		r = &e->rs->rules[i];
		if (matcher_rule(e->m, i, &e->fx, &which))
			score += r->weight;
	}
	return (score);
}

/*
 * Take an explained lookup just decided: note who touched kept cases,
 * and keep it when a reexamine rule may hold once the case's life is
 * known (and it was not flagged already).
 */
void
reexam_feed(struct engine *e, const struct lookup *ev)
{
	struct reexam		*rx = rx_get(e);
	struct facts		*fx = &e->fx;
	struct rx_case		*c;
	struct rx_look		*l;
	int32_t			 kase;
	uint64_t		 left;
	size_t			 i;
	int			 which;

	rx_rebind(rx, e->ref);
	rx_observe(e, rx);
	if (e->dtail > 0 && e->dq[e->dtail - 1].flagged)
		return;
	fx->reexam = fx->partial = 1;
	left = matcher_candidates(e->m, fx) & matcher_reexamined(e->m);
	while (left != 0) {
		i = match_take(&left);
		if (!matcher_rule(e->m, i, fx, &which) || which < 0 ||
		    (kase = fx->sf[which].e.kase) < 0)
			continue;
		c = rx_case_get(rx, kase, symtab_str(e->ref->caseids,
		    e->ref->cases[kase].id), ev->user,
		    ev->ts + e->set.es.aftercare);
		if ((l = reexam_keep(rx, c, ev)) != NULL)
			rx_keep_subjects(e, l, kase);
		break;
	}
	fx->reexam = fx->partial = 0;
}

/* Rebuild a kept lookup as an event. */
static void
rx_event(const struct reexam *rx, const struct rx_look *l,
    struct lookup *ev)
{
	uint8_t	 i;

	lookup_reset(ev);
	snprintf(ev->id, sizeof ev->id, "%s", l->id);
	snprintf(ev->user, sizeof ev->user, "%s", reexam_name(rx, l->user));
	ev->ts = l->ts;
	ev->source = l->source;
	ev->reg = l->reg;
	ev->request = l->request;
	ev->status = EV_STATUS_OK;
	for (i = 0; i < l->nsubj; i++)
		lookup_add_subject(ev, l->subj[i].value,
		    strlen(l->subj[i].value), (enum subj_kind)l->subj[i].kind,
		    (enum subj_role)l->subj[i].role)->valid = l->subj[i].valid;
}

/*
 * Compute the facts of kept lookup i of c as a re-examination at time t
 * sees them.
 */
static void
rx_facts(struct engine *e, const struct rx_case *c, uint32_t i,
    struct lookup *ev, int64_t t)
{
	rx_event(e->rx, &c->looks[i], ev);
	facts_compute(&e->fx, e->ref, &e->set.es, ev, t);
	e->fx.reexam = 1;
	e->fx.rx_case = c->kase;
	e->fx.rx_untouched = !c->others;
	e->fx.rx_known = c->others;
}

/*
 * Someone else on the case looked: drop the kept lookups that can no
 * longer reach the threshold, whatever the case's life shows.
 */
static void
rx_prune(struct engine *e, struct rx_case *c)
{
	struct lookup	 ev;
	uint32_t	 i;

	lookup_init(&ev);
	for (i = 0; i < c->nlooks; ) {
		rx_facts(e, c, i, &ev, e->now);
		e->fx.partial = 1;
		if (rx_score(e) >= e->set.threshold)
			i++;
		else {
			free(c->looks[i].id);
			c->looks[i] = c->looks[--c->nlooks];
		}
	}
	e->fx.reexam = e->fx.partial = 0;
	c->pruned = 1;
	lookup_free(&ev);
}

/*
 * Does a reexamine rule hold for the lookup in e->fx? Only then is it
 * decided again: a second decision (held = RX_AGAIN, not to be counted
 * as another lookup) says what the case's life added.
 */
static int
rx_fires(struct engine *e)
{
	uint64_t	 left;
	int		 which;

	left = matcher_candidates(e->m, &e->fx) & matcher_reexamined(e->m);
	while (left != 0)
		if (matcher_rule(e->m, match_take(&left), &e->fx, &which))
			return (1);
	return (0);
}

/* Decide the kept lookups of entry c again as of t, its life known. */
static void
rx_examine(struct engine *e, const struct rx_case *c, int64_t t)
{
	struct lookup	 ev;
	uint32_t	 i;

	lookup_init(&ev);
	for (i = 0; i < c->nlooks; i++) {
		rx_facts(e, c, i, &ev, t);
		if (rx_fires(e))
			engine_decide(e, &ev, 0, RX_AGAIN, 0);
		e->fx.reexam = 0;
	}
	lookup_free(&ev);
}

/*
 * In a re-examination, the case's life in words for the alert: how long
 * it lasted against its type, and whether anybody else on it looked.
 */
void
reexam_words(struct engine *e, struct buf *b)
{
	const struct refcase	*k;
	int64_t			 med;

	if (!e->fx.reexam || e->fx.rx_case < 0)
		return;
	k = &e->ref->cases[e->fx.rx_case];
	buf_printf(b, "; zaak %s", symtab_str(e->ref->caseids, k->id));
	med = case_stats_median(e->fx.cs, k->type);
	if (k->closed != TS_NEVER && k->closed <= e->fx.now && med > 0)
		buf_printf(b, " na %.1f dagen gesloten, gewoonlijk %.0f dagen",
		    (double)(k->closed - k->opened) / USEC_PER_DAY,
		    (double)med / USEC_PER_DAY);
	else
		buf_adds(b, " nog open");
	buf_adds(b, e->fx.rx_untouched ? "; niemand anders van de zaak "
	    "raadpleegde de personen" : "; ook anderen van de zaak "
	    "raadpleegden de personen");
}

/* Examine what is due; all of it when flushing. */
static void
rx_scan(struct engine *e, int all)
{
	struct reexam	*rx = e->rx;
	size_t		 i;

	int64_t		 due;

	rx_rebind(rx, e->ref);
	for (i = 0; i < rx->n; ) {
		due = rx_due(rx, &rx->v[i]);
		if (!all && due > e->now) {
			if (rx->v[i].others && !rx->v[i].pruned)
				rx_prune(e, &rx->v[i]);
			i++;
			continue;
		}
		if (rx->v[i].kase >= 0)
			rx_examine(e, &rx->v[i], due < e->now ? due : e->now);
		rx_remove(rx, i);
	}
	rx_mark_all(rx);
	rx->last_scan = e->now;
}

/* Time passed: at most once an hour of event time, examine what is due. */
void
reexam_advance(struct engine *e)
{
	if (e->rx == NULL || e->rx->n == 0 ||
	    (e->rx->last_scan != INT64_MIN &&
	    e->now - e->rx->last_scan < RX_SCAN))
		return;
	rx_scan(e, 0);
}

/* End of a batch run: examine every kept lookup as things stand. */
void
reexam_flush(struct engine *e)
{
	if (e->rx != NULL)
		rx_scan(e, 1);
}

/* Number of lookups kept. */
size_t
reexam_count(const struct engine *e)
{
	size_t	 i, n = 0;

	for (i = 0; e->rx != NULL && i < e->rx->n; i++)
		n += e->rx->v[i].nlooks;
	return (n);
}

/* Free the state. */
void
reexam_free(struct reexam *rx)
{
	size_t	 i;

	if (rx == NULL)
		return;
	for (i = 0; i < rx->n; i++)
		rx_looks_free(&rx->v[i]);
	free(rx->v);
	symtab_free(rx->names);
	free(rx->by_case);
	free(rx->by_subj);
	free(rx);
}
