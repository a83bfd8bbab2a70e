/*
 * fact.c: compute the facts of one lookup. This is where the reference
 * data meets the event: who the user is, what each subject is to the
 * user (self, colleague, neighbour, namesake, watch-listed), and which
 * explanation holds for each subject and for the whole lookup.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/fact.h"
#include "util/xmalloc.h"

static const char *const v_reg[] = { "brp", "rdw", NULL };
static const char *const v_req[] = { "RaadpleegMetBurgerservicenummer",
    "ZoekMetGeslachtsnaamEnGeboortedatum", "ZoekMetPostcodeEnHuisnummer",
    "ZoekMetNaamEnGemeenteVanInschrijving", "Kenteken", NULL };
static const char *const v_status[] = { "ok", "error", NULL };
static const char *const v_expl[] = { "none", "case", "case_team",
    "appointment", "aftercare", "retry", NULL };
static const char *const v_wday[] = { "mon", "tue", "wed", "thu", "fri",
    "sat", "sun", NULL };
static const char *const v_role[] = { "brp-raadplegen", "rdw-raadplegen",
    "zaakbehandelaar", "balie", "teamleider", "piket", "batch", NULL };
static const char *const v_srole[] = { "queried", "returned", "owner",
    NULL };
static const char *const v_watch[] = { "vip", "protected",
    "employee-family", "ondermijning", "other", NULL };

static const struct fact_def fact_defs[F_NFACTS] = {
	{ "register", FT_STR, v_reg },
	{ "request", FT_STR, v_req },
	{ "status", FT_STR, v_status },
	{ "explanation", FT_STR, v_expl },
	{ "empty", FT_BOOL, NULL },
	{ "subjects", FT_NUM, NULL },
	{ "case.cited", FT_BOOL, NULL },
	{ "case.known", FT_BOOL, NULL },
	{ "case.pending", FT_BOOL, NULL },
	{ "case.explains", FT_BOOL, NULL },
	{ "case.own", FT_BOOL, NULL },
	{ "hour", FT_NUM, NULL },
	{ "weekday", FT_STR, v_wday },
	{ "user.known", FT_BOOL, NULL },
	{ "user.department", FT_STR, NULL },
	{ "user.role", FT_SET, v_role },
	{ "user.service", FT_BOOL, NULL },
	{ "user.employed", FT_BOOL, NULL },
	{ "user.in_schedule", FT_BOOL, NULL },
	{ "user.minutes_outside_schedule", FT_NUM, NULL },
	{ "user.desk_shift", FT_BOOL, NULL },
	{ "damaged", FT_BOOL, NULL },
	{ "subjects.any_related", FT_BOOL, NULL },
	{ "subjects.any_secret", FT_BOOL, NULL },
	{ "subjects.all_resident", FT_BOOL, NULL },
	{ "subject.explained", FT_BOOL, NULL },
	{ "subject.explanation", FT_STR, v_expl },
	{ "subject.role", FT_STR, v_srole },
	{ "subject.self", FT_BOOL, NULL },
	{ "subject.related", FT_BOOL, NULL },
	{ "subject.colleague", FT_BOOL, NULL },
	{ "subject.neighbour", FT_BOOL, NULL },
	{ "subject.housemate", FT_BOOL, NULL },
	{ "subject.same_surname", FT_BOOL, NULL },
	{ "subject.watchlist", FT_SET, v_watch },
	{ "subject.secret", FT_BOOL, NULL },
	{ "subject.resident", FT_BOOL, NULL },
	{ "subject.known", FT_BOOL, NULL },
	{ "subject.plate", FT_BOOL, NULL },
	{ "subject.case.assigned_to_user", FT_BOOL, NULL },
	{ "subject.case.minutes_since_registered", FT_NUM, NULL },
	{ "subject.case.subjects", FT_NUM, NULL },
	{ "subject.case.foreign_type", FT_BOOL, NULL },
	{ "subject.case.type", FT_STR, NULL },
	{ "subject.case.closed_after_days", FT_NUM, NULL },
	{ "subject.case.type_permille", FT_NUM, NULL },
	{ "subject.case.life_permille", FT_NUM, NULL },
	{ "subject.case.untouched", FT_BOOL, NULL },
	{ "subject.case.type_oncall_permille", FT_NUM, NULL },
};

/* The definition of a fact. */
const struct fact_def *
fact_def(enum fact_id f)
{
	return (&fact_defs[f]);
}

/* Find a fact by name, -1 if unknown. */
int
fact_lookup(const char *name)
{
	int	 i;

	for (i = 0; i < F_NFACTS; i++)
		if (strcmp(fact_defs[i].name, name) == 0)
			return (i);
	return (-1);
}

/* Prepare an empty fact set. */
void
facts_init(struct facts *fx)
{
	memset(fx, 0, sizeof *fx);
	fx->rx_case = -1;
}

/* Free a fact set. */
void
facts_free(struct facts *fx)
{
	free(fx->sf);
	fx->sf = NULL;
	case_stats_free(fx->cs);
	fx->cs = NULL;
}

/*
 * Is a fact not known yet in a partial evaluation: one known only once
 * the case's life is over (closed, or its evidence window ended)? Before
 * that a rule that is reexamined treats it as holding, to decide whether
 * to keep the lookup for later. That someone else touched the case is
 * known as soon as it happens (rx_known).
 */
int
fact_late(const struct facts *fx, enum fact_id f)
{
	if (!fx->partial || !fact_may_be_late(f))
		return (0);
	return (f != FS_CASE_UNTOUCHED || !fx->rx_known);
}

/*
 * Can fact_late ever hold for f? Only these two facts can be unknown, so
 * a predicate on any other fact need not ask per lookup (the matcher).
 */
int
fact_may_be_late(enum fact_id f)
{
	return (f == FS_CASE_UNTOUCHED || f == FS_CASE_LIFE_PERMILLE);
}

/* What the counting subjects have in common (for the walk-in discount). */
static void
facts_any(struct facts *fx)
{
	const struct sfacts	*sf;
	uint32_t		 i;

	fx->any_related = fx->any_secret = 0;
	fx->all_resident = fx->ncounting > 0;
	for (i = 0; i < fx->nsf; i++) {
		sf = &fx->sf[i];
		if (!(sf->flags & SF_COUNTS))
			continue;
		if (fact_num(fx, sf, FS_RELATED))
			fx->any_related = 1;
		if (sf->flags & SF_SECRET)
			fx->any_secret = 1;
		if (!(sf->flags & SF_RESIDENT))
			fx->all_resident = 0;
	}
}

/* Minutes between t and the nearest declared working time, 0 inside. */
static int32_t
facts_outside(const struct staff *st, const struct localtm *lt)
{
	int32_t		 best = 7 * 1440, d, dist, from, to, m;
	int		 day, i;

	for (d = -1; d <= 1; d++) {
		day = ((lt->wday + d) % 7 + 7) % 7;
		for (i = 0; i < st->nseg[day]; i++) {
			from = st->seg[day][i][0] + d * 1440;
			to = st->seg[day][i][1] + d * 1440;
			m = lt->minute;
			dist = m < from ? from - m : m >= to ? m - to + 1 : 0;
			if (dist < best)
				best = dist;
		}
	}
	return (best);
}

/*
 * The first of the user's appointments (ua postings lo..hi) on a day or
 * later. The postings follow the appointments, which ref_finish sorts by
 * start, so their days never decrease: a binary search, not a scan of
 * every appointment the user ever had.
 */
static uint32_t
facts_first_appt(const struct ref *r, uint32_t lo, uint32_t hi, int32_t day)
{
	uint32_t	 mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->appts[r->ua[mid]].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/*
 * Is t within the user's desk shift that day: from the first counter
 * appointment to the last, with the appointment margins?
 */
static int
facts_desk_shift(const struct ref *r, const struct explain_settings *es,
    const struct staff *st, int64_t t, int32_t day)
{
	uint32_t		 i, hi;
	int64_t			 first = TS_NEVER, last = 0;
	const struct appt	*a;

	if (st->user >= symtab_count(r->names) || r->ua_off == NULL)
		return (0);
	hi = r->ua_off[st->user + 1];
	i = facts_first_appt(r, r->ua_off[st->user], hi, day);
	for (; i < hi && (a = &r->appts[r->ua[i]])->day == day; i++) {
		if (a->start < first)
			first = a->start;
		if (a->end > last)
			last = a->end;
	}
	return (first != TS_NEVER && t >= first - es->appt_before &&
	    t <= last + es->appt_after);
}

/* Does this subject count for the explanation of the lookup? */
static int
facts_counts(const struct lookup *ev, const struct subject *s)
{
	if (ev->reg == EV_REG_RDW)
		return (1);
	if (ev->request == EV_REQ_RAADPLEEG_BSN)
		return (s->role == SUBJ_QUERIED);
	return (s->role == SUBJ_RETURNED);
}

/* What one subject is to the user. */
static void
facts_relate(struct facts *fx, struct sfacts *sf)
{
	const struct subjinfo	*si = ref_subjinfo(fx->ref, sf->sym);
	const struct person	*p;
	const struct staff	*st = fx->st;

	if (si == NULL)
		return;
	sf->watch = si->watch;
	if (si->plate)
		sf->flags |= SF_PLATE;
	if (st != NULL && st->bsn == sf->sym)
		sf->flags |= SF_SELF;
	else if (si->staff)
		sf->flags |= SF_COLLEAGUE;
	if (si->person < 0)
		return;
	p = ref_person(fx->ref, si->person);
	sf->flags |= SF_KNOWN;
	if (p->secret)
		sf->flags |= SF_SECRET;
	if (ref_resident(fx->ref, p->pc))
		sf->flags |= SF_RESIDENT;
	if (st == NULL || st->service || (sf->flags & SF_SELF))
		return;
	if (st->home_pc[0] != '\0' && strcmp(st->home_pc, p->pc) == 0) {
		sf->flags |= SF_NEIGHBOUR;
		if (st->home_nr == p->nr)
			sf->flags |= SF_HOUSEMATE;
	}
	if (st->surname == p->surname)
		sf->flags |= SF_SURNAME;
}

/*
 * Find the symbols of the event's subjects (sf[i].sym) and start loading
 * their records, before the facts that need them.
 */
static void
facts_find_subjects(struct facts *fx)
{
	const struct lookup	*ev = fx->ev;
	uint32_t		 i;

	for (i = 0; i < ev->nsubjects; i++) {
		fx->sf[i].sym = ref_subject_keyed(fx->ref,
		    ev->subjects[i].value, fx->sf[i].key);
		ref_prefetch_record(fx->ref, fx->sf[i].sym);
	}
}

/* Add one subject of the event (its symbol found) and explain it. */
static void
facts_subject(struct facts *fx, const struct explain_settings *es,
    const struct subject *s)
{
	struct sfacts	*sf;
	uint32_t	 sym;

	sf = &fx->sf[fx->nsf++];
	sym = sf->sym;
	memset(sf, 0, sizeof *sf);
	sf->role = s->role;
	sf->sym = sym;
	if (facts_counts(fx->ev, s)) {
		sf->flags |= SF_COUNTS;
		fx->ncounting++;
	}
	facts_relate(fx, sf);
	explain_subject_employed(fx->ref, es, fx->employed ? fx->st : NULL,
	    sf->sym, fx->cited, fx->ev->ts, fx->now, &sf->e);
	if (sf->e.kind != EXPL_NONE && sf->e.kase == fx->cited &&
	    fx->cited >= 0)
		fx->case_explains = 1;
}

/* Combine the subjects' explanations as the policy says. */
static void
facts_combine(struct facts *fx)
{
	int		 all = fx->ev->reg == EV_REG_BRP &&
			    fx->ev->request == EV_REQ_RAADPLEEG_BSN;
	int		 best = -1, r;
	uint32_t	 i;

	for (i = 0; i < fx->nsf; i++) {
		if (!(fx->sf[i].flags & SF_COUNTS))
			continue;
		r = explain_rank(fx->sf[i].e.kind);
		if (best == -1 || (all ? r < explain_rank(fx->expl) :
		    r > explain_rank(fx->expl)) || (all && r == 0))
			fx->expl = fx->sf[i].e.kind;
		best = 1;
	}
}

/*
 * Compute the keys of ev's user, cited case and subjects, once, and start
 * loading the table slots their finds will probe first, so that their
 * cache misses overlap. (Doing this for the next lookup in the engine's
 * release order as well was measured, and gave nothing more.)
 */
static void
facts_prefetch(struct facts *fx, const struct ref *r, const struct lookup *ev)
{
	uint32_t	 i;

	if (ev->nsubjects > fx->sfcap) {
		fx->sfcap = fx->sfcap ? fx->sfcap : 16;
		while (fx->sfcap < ev->nsubjects)
			fx->sfcap *= 2;
		fx->sf = xreallocarray(fx->sf, fx->sfcap, sizeof *fx->sf);
	}
	ref_keys(r, ev->user, ev->case_id, &fx->keys);
	for (i = 0; i < ev->nsubjects; i++)
		fx->sf[i].key = ref_prefetch_subject(r, ev->subjects[i].value);
}

/* Compute every fact of ev, deciding as of now. */
void
facts_compute(struct facts *fx, const struct ref *r,
    const struct explain_settings *es, const struct lookup *ev, int64_t now)
{
	int32_t		 si;
	uint32_t	 i;
	const struct refcase *k;

	fx->ev = ev;
	fx->ref = r;
	fx->now = now;
	if (fx->cs_ref != r) {
		case_stats_free(fx->cs);
		fx->cs = case_stats_new(r);
		fx->cs_ref = r;
	}
	fx->reexam = fx->partial = fx->rx_untouched = fx->rx_known = 0;
	fx->rx_case = -1;
	fx->nsf = fx->ncounting = 0;
	fx->expl = EXPL_NONE;
	fx->case_explains = fx->case_own = 0;
	facts_prefetch(fx, r, ev);
	si = ref_staff_keyed(r, ev->user, &fx->keys);
	fx->st = si >= 0 ? &r->staff[si] : NULL;
	reftime_local_span(&fx->lspan, ev->ts, &fx->lt);
	fx->cited = ev->case_id[0] ? ref_case_keyed(r, ev->case_id,
	    &fx->keys) : -1;
	if (fx->cited >= 0)
		__builtin_prefetch(&r->cases[fx->cited]);
	facts_find_subjects(fx);
	if (fx->cited >= 0 && r->cases[fx->cited].registered > now)
		fx->cited = -1;
	fx->employed = fx->st != NULL &&
	    explain_employed_on(fx->st, fx->lt.day);
	fx->outside_min = fx->st ? facts_outside(fx->st, &fx->lt) : 0;
	fx->in_schedule = fx->outside_min == 0;
	fx->desk_shift = fx->st != NULL && (fx->st->roles & ROLE_BALIE) &&
	    facts_desk_shift(r, es, fx->st, ev->ts, fx->lt.day);
	if (fx->cited >= 0 && fx->st != NULL) {
		k = &r->cases[fx->cited];
		fx->case_own = ref_case_has_user(r, k, fx->st->user) ||
		    k->team == fx->st->team;
	}
	fx->nobody = 1;
	for (i = 0; i < ev->nsubjects; i++) {
		facts_subject(fx, es, &ev->subjects[i]);
		if (ev->subjects[i].role == (ev->reg == EV_REG_RDW ?
		    SUBJ_OWNER : SUBJ_RETURNED))
			fx->nobody = 0;
	}
	/*
	 * A lookup by BSN that did not fail found its person, also where the
	 * log (the LDV rendering) does not list what was returned.
	 */
	if (ev->reg == EV_REG_BRP && ev->request == EV_REQ_RAADPLEEG_BSN)
		fx->nobody = 0;
	if (ev->status == EV_STATUS_ERROR)
		fx->nobody = 1;
	facts_combine(fx);
	facts_any(fx);
}

/* An empty lookup was followed by an explained one: the retry rule. */
void
facts_set_retry(struct facts *fx)
{
	if (fx->expl == EXPL_NONE && fx->nobody)
		fx->expl = EXPL_RETRY;
}
