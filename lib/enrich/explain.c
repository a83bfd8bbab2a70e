/*
 * explain.c: find the explanation of one subject of a lookup. Cases are
 * tried before appointments and a case of the user before one of the
 * team, so the explanation recorded is the strongest that holds.
 */
#include "config.h"

#include <string.h>

#include "enrich/explain.h"
#include "enrich/reftime.h"

static const char *expl_names[EXPL_NKINDS] = {
	"none", "case", "case_team", "appointment", "aftercare", "retry",
};

/* The policy's defaults: 30 days after-care, appointment -15/+60 min. */
void
explain_defaults(struct explain_settings *es)
{
	es->aftercare = 30 * USEC_PER_DAY;
	es->appt_before = 15 * USEC_PER_MIN;
	es->appt_after = 60 * USEC_PER_MIN;
}

/* Name of an explanation kind. */
const char *
explain_name(enum expl_kind k)
{
	return (k < EXPL_NKINDS ? expl_names[k] : "?");
}

/* What an explanation kind means, in Dutch, for an officer. */
const char *
explain_words(enum expl_kind k)
{
	static const char *const words[EXPL_NKINDS] = {
		"geen zaak van gebruiker of team, geen balieafspraak gevonden",
		"zaak van de gebruiker",
		"zaak van het team van de gebruiker",
		"balieafspraak met de burger",
		"zaak kort geleden gesloten (nazorgperiode)",
		"lege zoekvraag, daarna verklaard opnieuw gezocht",
	};

	return (k < EXPL_NKINDS ? words[k] : "onbekend");
}

/* Parse an explanation kind name. */
int
explain_parse(const char *s, enum expl_kind *k)
{
	int	 i;

	for (i = 0; i < EXPL_NKINDS; i++) {
		if (strcmp(s, expl_names[i]) == 0) {
			*k = (enum expl_kind)i;
			return (0);
		}
	}
	return (-1);
}

/* Strength of an explanation, higher is stronger (none is 0). */
int
explain_rank(enum expl_kind k)
{
	static const int rank[EXPL_NKINDS] = { 0, 5, 4, 3, 2, 1 };

	return (k < EXPL_NKINDS ? rank[k] : 0);
}

/* Was the official employed on the local day of t? */
int
explain_employed(const struct staff *st, int64_t t)
{
	struct localtm	 lt;

	reftime_local(t, &lt);
	return (explain_employed_on(st, lt.day));
}

/* Was the official employed on a local day? */
int
explain_employed_on(const struct staff *st, int32_t day)
{
	return (day >= st->emp_start &&
	    (st->emp_end == DAY_NONE || day <= st->emp_end));
}

/* The kind of explanation case k gives user st for a lookup at t. */
static enum expl_kind
explain_case(const struct ref *r, const struct explain_settings *es,
    const struct staff *st, const struct refcase *k, int64_t t, int64_t now)
{
	enum expl_kind	 kind;

	if (k->registered > now || k->opened > t)
		return (EXPL_NONE);
	if (ref_case_has_user(r, k, st->user))
		kind = EXPL_CASE;
	else if (k->team == st->team)
		kind = EXPL_CASE_TEAM;
	else
		return (EXPL_NONE);
	if (k->closed != TS_NEVER && t > k->closed) {
		if (t - k->closed > es->aftercare)
			return (EXPL_NONE);
		kind = EXPL_AFTERCARE;
	}
	return (kind);
}

/* Try the cases of a subject; prefer the cited case, then the strongest. */
static void
explain_cases(const struct ref *r, const struct explain_settings *es,
    const struct staff *st, uint32_t s, int32_t cited, int64_t t,
    int64_t now, struct expl *e)
{
	uint32_t	 i, ci;
	enum expl_kind	 kind;

	for (i = r->sc_off[s]; i < r->sc_off[s + 1]; i++) {
		ci = r->sc[i];
		kind = explain_case(r, es, st, &r->cases[ci], t, now);
		if (kind == EXPL_NONE)
			continue;
		if ((int32_t)ci == cited && explain_rank(kind) >=
		    explain_rank(EXPL_AFTERCARE)) {
			e->kind = kind;
			e->kase = (int32_t)ci;
			return;
		}
		if (explain_rank(kind) > explain_rank(e->kind)) {
			e->kind = kind;
			e->kase = (int32_t)ci;
		}
	}
}

/* Try the counter appointments of a subject with this desk user. */
static void
explain_appts(const struct ref *r, const struct explain_settings *es,
    const struct staff *st, uint32_t s, int64_t t, struct expl *e)
{
	const struct appt	*a;
	uint32_t		 i;

	for (i = r->sa_off[s]; i < r->sa_off[s + 1]; i++) {
		a = &r->appts[r->sa[i]];
		if (a->desk == st->user && t >= a->start - es->appt_before &&
		    t <= a->end + es->appt_after) {
			e->kind = EXPL_APPOINTMENT;
			e->appt = (int32_t)r->sa[i];
			e->kase = -1;
			return;
		}
	}
}

/* Explain subject s (a subjects symbol) of a lookup by st at t. */
void
explain_subject(const struct ref *r, const struct explain_settings *es,
    const struct staff *st, uint32_t s, int32_t cited, int64_t t,
    int64_t now, struct expl *e)
{
	if (st != NULL && !explain_employed(st, t))
		st = NULL;
	explain_subject_employed(r, es, st, s, cited, t, now, e);
}

/*
 * The same, for a caller that has checked st's employment at t once for
 * all the subjects of a lookup (st NULL when not employed).
 */
void
explain_subject_employed(const struct ref *r,
    const struct explain_settings *es, const struct staff *st, uint32_t s,
    int32_t cited, int64_t t, int64_t now, struct expl *e)
{
	e->kind = EXPL_NONE;
	e->kase = -1;
	e->appt = -1;
	if (st == NULL || s == SYM_NONE || s >= keytab_count(r->subjects))
		return;
	explain_cases(r, es, st, s, cited, t, now, e);
	if (explain_rank(e->kind) < explain_rank(EXPL_APPOINTMENT))
		explain_appts(r, es, st, s, t, e);
	if (e->kind == EXPL_APPOINTMENT)
		return;
	if (e->kind == EXPL_NONE)
		e->kase = -1;
}
