/*
 * engine_decide.c: score a lookup from the rules that fire, record the
 * decision, and hand a flagged lookup to the incidents with its facts
 * in words an integrity officer reads.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/nldate.h"
#include "event/lookup_pack.h"
#include "rules/engine_int.h"
#include "rules/match.h"
#include "util/xmalloc.h"

/*
 * Queue a decision. A full queue is first handed to the caller's drain
 * (engine_on_decisions), if any: a flush decides tens of thousands at
 * once (216 bytes each). Only before adding, so the last decision is
 * always the one just made (engine_provisional, reexam_feed read it).
 */
static struct decision *
engine_dq_add(struct engine *e)
{
	if (e->drain != NULL && !e->draining &&
	    e->dtail - e->dhead >= ENGINE_DQ_DRAIN) {
		e->draining = 1;
		e->drain(e->drain_arg);
		e->draining = 0;
	}
	if (e->dtail == e->dcap) {
		e->dcap = e->dcap ? e->dcap * 2 : 256;
		e->dq = xreallocarray(e->dq, e->dcap, sizeof *e->dq);
	}
	return (&e->dq[e->dtail++]);
}

/* Describe what a subject is to the user, in Dutch. */
static void
engine_words_subject(struct buf *b, const struct sfacts *sf)
{
	if (sf->flags & SF_SELF)
		buf_adds(b, ", de eigen persoonslijst");
	if (sf->flags & SF_COLLEAGUE)
		buf_adds(b, ", een collega");
	if (sf->flags & SF_HOUSEMATE)
		buf_adds(b, ", woont op het eigen adres");
	else if (sf->flags & SF_NEIGHBOUR)
		buf_adds(b, ", woont in de eigen straat (postcode)");
	if (sf->flags & SF_SURNAME)
		buf_adds(b, ", zelfde achternaam");
	if (sf->flags & SF_SECRET)
		buf_adds(b, ", geheimhouding");
	if (sf->watch & WATCH_VIP)
		buf_adds(b, ", bekende persoon (VIP)");
	if (sf->watch & WATCH_PROTECTED)
		buf_adds(b, ", beschermd persoon");
	if (sf->watch & WATCH_FAMILY)
		buf_adds(b, ", familielid van een medewerker");
	if (!(sf->flags & SF_RESIDENT) && (sf->flags & SF_KNOWN))
		buf_adds(b, ", woont buiten de gemeente");
}

/* "BSN 123456789" or "kenteken AB123C": how the words name a subject. */
static void
engine_words_name(struct buf *b, const struct subject *s)
{
	buf_printf(b, "%s %s", s->kind == SUBJ_PLATE ? "kenteken" : "BSN",
	    s->value);
}

/* The plate an RDW lookup asked for, or NULL. */
static const struct subject *
engine_words_plate(const struct lookup *ev)
{
	uint32_t	 i;

	for (i = 0; i < ev->nsubjects; i++)
		if (ev->subjects[i].kind == SUBJ_PLATE)
			return (&ev->subjects[i]);
	return (NULL);
}

/* One line of facts about a flagged lookup. */
static void
engine_words(struct engine *e, const struct lookup *ev, int held)
{
	const struct facts	*fx = &e->fx;
	const struct subject	*plate;
	char			 when[NLDATE_MAX];
	uint32_t		 i, n = 0, more = 0;

	buf_reset(&e->words);
	nldate_format(ev->ts, when, sizeof when);
	buf_printf(&e->words, "%s, %s: %s", ev->id, when,
	    ev->reg == EV_REG_RDW ? "kentekenraadpleging" :
	    ev_request_words(ev->request));
	if (ev->reg == EV_REG_RDW && (plate = engine_words_plate(ev)) != NULL)
		buf_printf(&e->words, " %s", plate->value);
	if (ev->case_raw[0] != '\0')
		buf_printf(&e->words, ", zaak '%s' %s", ev->case_id[0] ?
		    ev->case_id : "(ongeldig)", fx->cited < 0 ? "onbekend" :
		    fx->case_explains ? "dekt de raadpleging" :
		    "dekt deze persoon niet");
	if (fx->st == NULL)
		buf_adds(&e->words, "; account niet in het personeelsbestand");
	else if (!fx->employed)
		buf_adds(&e->words, "; buiten dienstverband");
	else if (!fx->in_schedule)
		buf_printf(&e->words, "; %d min buiten werktijd",
		    fx->outside_min);
	for (i = 0; i < fx->nsf && i < ev->nsubjects; i++) {
		if (!(fx->sf[i].flags & SF_COUNTS) &&
		    !(fx->sf[i].flags & SF_SELF))
			continue;
		if (n++ >= 3) {
			more++;
			continue;
		}
		buf_adds(&e->words, "; ");
		engine_words_name(&e->words, &ev->subjects[i]);
		buf_printf(&e->words, ": %s", explain_words(fx->sf[i].e.kind));
		engine_words_subject(&e->words, &fx->sf[i]);
	}
	if (more)
		buf_printf(&e->words, "; +%u anderen", more);
	reexam_words(e, &e->words);
	if (held == RX_AGAIN)
		buf_adds(&e->words, "; opnieuw bekeken toen het verloop van de "
		    "zaak bekend was");
	else if (held == ENGINE_LATER)
		buf_adds(&e->words, "; aan het einde van de wachttijd opnieuw "
		    "gecontroleerd");
	else if (held == 1)
		buf_adds(&e->words, "; na de wachttijd opnieuw gecontroleerd");
	else if (held == ENGINE_LATE)
		buf_adds(&e->words, "; regel kwam te laat binnen (na het "
		    "moment van beslissen): apart beoordeeld, zonder "
		    "voorgeschiedenis");
	else if (held == ENGINE_OUTLIER)
		buf_adds(&e->words, "; tijdstip ver voorbij de rest van het "
		    "logbestand (klok van de werkplek?): apart beoordeeld, "
		    "zonder voorgeschiedenis");
}

/*
 * Describe a flagged lookup for the incidents (f, with the caller's
 * arrays for rule ids and titles); returns the subject list to free.
 */
static const char **
engine_flagged(struct engine *e, const struct lookup *ev, uint64_t fired,
    int held, struct flagged *f, const char **rules, const char **titles)
{
	const char		**subj;
	size_t			 i;

	memset(f, 0, sizeof *f);
	for (i = 0; i < e->rs->n; i++) {
		if (!((fired >> i) & 1))
			continue;
		rules[f->nrules] = e->rs->rules[i].id;
		titles[f->nrules++] = e->rs->rules[i].title;
		if (e->rs->rules[i].urgent)
			f->urgent = 1;
		if (e->rs->rules[i].severity > f->severity)
			f->severity = e->rs->rules[i].severity;
	}
	subj = xcalloc(ev->nsubjects + 1, sizeof *subj);
	for (i = 0; i < ev->nsubjects; i++)
		subj[f->nsubjects++] = ev->subjects[i].value;
	engine_words(e, ev, held);
	f->user = ev->user;
	f->event = ev->id;
	f->ts = ev->ts;
	f->rules = rules;
	f->titles = titles;
	f->subjects = subj;
	f->facts = buf_cstr(&e->words);
	return (subj);
}

/* Hand a flagged lookup to the incidents. */
static const char *
engine_flag(struct engine *e, const struct lookup *ev, uint64_t fired,
    int32_t score, int urgent, int held)
{
	const char		*rules[RULES_MAX], *titles[RULES_MAX];
	const char		**subj;
	struct flagged		 f;
	const char		*id;

	subj = engine_flagged(e, ev, fired, held, &f, rules, titles);
	f.score = score;
	f.urgent |= urgent;
	/* Decided at once by an urgent rule: its grace period still runs. */
	f.provisional = held == 0 && urgent;
	f.alone = held == ENGINE_LATE || held == ENGINE_OUTLIER;
	id = incidents_add(e->inc, &f);
	free(subj);
	return (id);
}

/* The rules that fire on the lookup in e->fx (stateful ones from bits). */
static uint64_t
engine_fired(struct engine *e, uint64_t bits, int32_t *score)
{
	const struct rule	*r;
	uint64_t		 fired = 0, left;
	size_t			 i;
	int			 which;

	*score = 0;
	/* Stateful rules from bits: their "when" was matched on arrival. */
	left = matcher_candidates(e->m, &e->fx) &
	    (~matcher_stateful(e->m) | bits);
	while (left != 0) {
		i = match_take(&left);
		r = &e->rs->rules[i];
		if (matcher_rule(e->m, i, &e->fx, &which)) {
			fired |= 1ULL << i;
			*score += r->weight;
		}
	}
	return (fired);
}

/* A new decision about ev with the event-level facts of e->fx. */
static struct decision *
engine_decision(struct engine *e, const struct lookup *ev, int held)
{
	struct decision	*d;

	d = engine_dq_add(e);
	memset(d, 0, sizeof *d);
	memcpy(d->event, ev->id, sizeof d->event);
	memcpy(d->user, ev->user, sizeof d->user);
	d->source = ev->source;
	d->reg = ev->reg;
	d->expl = e->fx.expl;
	d->held = (uint8_t)held;
	d->outside = e->fx.st != NULL && e->fx.employed && !e->fx.in_schedule;
	return (d);
}

/* Decide a lookup whose facts are in e->fx. */
void
engine_decide(struct engine *e, const struct lookup *ev, uint64_t bits,
    int held, int urgent)
{
	struct decision		*d;
	uint64_t		 fired;
	int32_t			 score;

	fired = engine_fired(e, bits, &score);
	d = engine_decision(e, ev, held);
	d->score = score;
	d->fired = fired;
	d->flagged = score >= e->set.threshold;
	if (d->flagged)
		snprintf(d->incident, sizeof d->incident, "%s",
		    engine_flag(e, ev, fired, score, urgent, held));
}

/*
 * A held lookup unpacked into place 0 (the one being decided) or 1 (a
 * later one it is compared with), valid until that place is used again.
 */
struct lookup *
hold_lookup(const struct engine *e, const struct hold *h, int place)
{
	lookup_unpack(e->hunpack[place], h->packed);
	return (e->hunpack[place]);
}

/* Make hold_lookup's places before the first hold. */
static void
hold_places(struct engine *e)
{
	int	 i;

	for (i = 0; i < 2; i++) {
		if (e->hunpack[i] != NULL)
			continue;
		e->hunpack[i] = xcalloc(1, sizeof *e->hunpack[i]);
		lookup_init(e->hunpack[i]);
	}
}

/* Hold a lookup until its grace period ends; returns the hold index. */
int32_t
engine_hold(struct engine *e, const struct lookup *ev, uint64_t bits)
{
	struct hold	*h;
	int32_t		 hi;

	hold_places(e);
	if (e->nfree > 0)
		hi = e->freeh[--e->nfree];
	else {
		if (e->nholds == e->holdcap) {
			e->holdcap = e->holdcap ? e->holdcap * 2 : 1024;
			e->holds = xreallocarray(e->holds, e->holdcap,
			    sizeof *e->holds);
		}
		hi = (int32_t)e->nholds++;
		e->holds[hi] = xcalloc(1, sizeof **e->holds);
	}
	h = e->holds[hi];
	free(h->packed);
	h->packed = xmalloc(lookup_pack_size(ev));
	lookup_pack(ev, h->packed);
	h->user = lookup_packed_user(h->packed);
	h->ts = ev->ts;
	h->deadline = ev->ts + e->set.grace;
	h->bits = bits;
	h->gen = ++e->gen;
	h->used = 1;
	h->retry = 0;
	h->prov = 0;
	h->incident[0] = '\0';
	if (e->ftail - e->fhead == e->fcap) {
		size_t	 n = e->ftail - e->fhead, i, nc;
		uint32_t *nf;

		nc = e->fcap ? e->fcap * 2 : 1024;
		nf = xcalloc(nc, sizeof *nf);
		for (i = 0; i < n; i++)
			nf[i] = e->fifo[(e->fhead + i) % e->fcap];
		free(e->fifo);
		e->fifo = nf;
		e->fcap = nc;
		e->fhead = 0;
		e->ftail = n;
	}
	e->fifo[e->ftail++ % e->fcap] = (uint32_t)hi;
	return (hi);
}

/*
 * An urgent lookup was just alerted (the last decision), before its grace
 * period ended: hold it as well, so that it is judged again at its
 * deadline, like any held lookup.
 */
void
engine_provisional(struct engine *e, const struct lookup *ev)
{
	const struct decision	*d = &e->dq[e->dtail - 1];
	struct hold		*h;
	int32_t			 hi;

	if (!d->flagged)
		return;
	/* The rules of the alert: the follow-up names them. */
	hi = engine_hold(e, ev, d->fired);	/* may move e->holds */
	h = e->holds[hi];
	h->prov = 1;
	memcpy(h->incident, d->incident, sizeof h->incident);
}

/* What explains the lookup in e->fx: the case's id, else its kind. */
static const char *
engine_explainer(const struct engine *e)
{
	const struct facts	*fx = &e->fx;
	int32_t			 k = -1;
	uint32_t		 i;

	for (i = 0; i < fx->nsf && k < 0; i++)
		if (fx->sf[i].e.kind != EXPL_NONE)
			k = fx->sf[i].e.kase;
	if (k < 0 && fx->case_explains)
		k = fx->cited;
	if (k >= 0)
		return (symtab_str(e->ref->caseids, e->ref->cases[k].id));
	return (explain_name((enum expl_kind)fx->expl));
}

/*
 * The grace period of a provisional alert ended; its facts as of then are
 * in e->fx. Explained now (a case registered within the grace period) and
 * no longer reaching the threshold: a second decision, not flagged, and a
 * follow-up record "explained later, by case X". Otherwise the alert
 * stands as it was sent, and nothing more is written.
 */
void
engine_recheck(struct engine *e, const struct hold *h,
    const struct lookup *ev)
{
	const char	*rules[RULES_MAX], *titles[RULES_MAX];
	const char	**subj;
	struct flagged	 f;
	struct decision	*d;
	uint64_t	 fired;
	int32_t		 score;

	fired = engine_fired(e, h->bits, &score);
	if (e->fx.expl == EXPL_NONE || score >= e->set.threshold)
		return;
	d = engine_decision(e, ev, ENGINE_LATER);
	d->score = score;
	d->fired = fired;
	memcpy(d->incident, h->incident, sizeof d->incident);
	snprintf(d->by, sizeof d->by, "%s", engine_explainer(e));
	subj = engine_flagged(e, ev, h->bits, ENGINE_LATER, &f, rules,
	    titles);
	incidents_explained(e->inc, h->incident, &f, d->by);
	free(subj);
	reexam_feed(e, ev);
}
