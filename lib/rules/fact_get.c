/*
 * fact_get.c: read one fact of a computed fact set, as a number (bools,
 * numbers, bit sets), as the index of its value in a fixed list, or as a
 * string, for the evaluator and for the words of an alert.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rules/fact.h"

/*
 * How long the case lasted, in permille of the median duration of its
 * type; INT32_MAX while it is open (as known now) or the type has too
 * few closed cases for a usual duration.
 */
static int64_t
fact_case_life(const struct facts *fx, const struct refcase *k)
{
	int64_t	 med = case_stats_median(fx->cs, k->type);

	if (k->closed == TS_NEVER || k->closed > fx->now || med <= 0 ||
	    k->closed < k->opened)
		return (INT32_MAX);
	return ((k->closed - k->opened) * 1000 / med);
}

/* Facts of the case that explains a subject. */
static int64_t
fact_case_num(const struct facts *fx, const struct sfacts *sf,
    enum fact_id f)
{
	const struct refcase	*k;

	if (sf->e.kase < 0)
		return (f == FS_CASE_SUBJECTS || f == FS_CASE_AGE_MIN ||
		    f == FS_CASE_CLOSED_DAYS || f == FS_CASE_TYPE_PERMILLE ||
		    f == FS_CASE_LIFE_PERMILLE ? INT32_MAX : 0);
	k = &fx->ref->cases[sf->e.kase];
	switch (f) {
	case FS_CASE_SELF:
		return (fx->st && ref_case_has_user(fx->ref, k, fx->st->user));
	case FS_CASE_AGE_MIN:
		/*
		 * Registered after the lookup: a late registration, never a
		 * case made fresh for it. No "at most" may hold.
		 */
		if (fx->ev->ts < k->registered)
			return (INT32_MAX);
		return ((fx->ev->ts - k->registered) / USEC_PER_MIN);
	case FS_CASE_LIFE_PERMILLE:
		return (fact_case_life(fx, k));
	case FS_CASE_UNTOUCHED:
		return (fx->rx_case == sf->e.kase && fx->rx_untouched);
	case FS_CASE_TYPE_ONCALL:
		return (case_stats_oncall_permille(fx->cs, k->type));
	case FS_CASE_SUBJECTS:
		return (k->nsubj);
	case FS_CASE_FOREIGN:
		return (fx->st && k->dept != fx->st->dept);
	case FS_CASE_CLOSED_DAYS:
		if (k->closed == TS_NEVER || k->closed > fx->now)
			return (INT32_MAX);
		return ((k->closed - k->opened) / USEC_PER_DAY);
	case FS_CASE_TYPE_PERMILLE:
		return (k->type_permille);
	default:
		return (0);
	}
}

/*
 * Does the lookup cite a well-formed case that is not known yet, while
 * it still may be registered (within the grace period)? After that it
 * is a case number that names no case.
 */
static int
fact_pending(const struct facts *fx)
{
	if (fx->cited >= 0 || fx->ev->case_id[0] == '\0')
		return (0);
	return (fx->now - fx->ev->ts < fx->grace);
}

/* A fact as a number; sf is the subject for subject facts. */
int64_t
fact_num(const struct facts *fx, const struct sfacts *sf, enum fact_id f)
{
	switch (f) {
	case F_EMPTY:		return (fx->nobody);
	case F_SUBJECTS:	return (fx->ncounting);
	case F_CASE_CITED:	return (fx->ev->case_raw[0] != '\0');
	case F_CASE_KNOWN:	return (fx->cited >= 0);
	case F_CASE_PENDING:	return (fact_pending(fx));
	case F_CASE_EXPLAINS:	return (fx->case_explains);
	case F_CASE_OWN:	return (fx->case_own);
	case F_HOUR:		return (fx->lt.minute / 60);
	case F_USER_KNOWN:	return (fx->st != NULL);
	case F_USER_ROLE:	return (fx->st ? fx->st->roles : 0);
	case F_USER_SERVICE:	return (fx->st && fx->st->service);
	case F_USER_EMPLOYED:	return (fx->employed);
	case F_USER_IN_SCHEDULE: return (fx->in_schedule);
	case F_USER_OUTSIDE_MIN: return (fx->outside_min);
	case F_USER_DESK_SHIFT:	return (fx->desk_shift);
	case F_DAMAGED:		return (!!(fx->ev->flags & EV_F_DAMAGED));
	case F_ANY_RELATED:	return (fx->any_related);
	case F_ANY_SECRET:	return (fx->any_secret);
	case F_ALL_RESIDENT:	return (fx->all_resident);
	case FS_EXPLAINED:	return (sf->e.kind != EXPL_NONE);
	case FS_SELF:		return (!!(sf->flags & SF_SELF));
	case FS_RELATED:
		return ((sf->flags & (SF_SELF | SF_COLLEAGUE | SF_NEIGHBOUR |
		    SF_SURNAME)) != 0 || (sf->watch & (WATCH_VIP | WATCH_PROTECTED |
		    WATCH_FAMILY)) != 0);
	case FS_COLLEAGUE:	return (!!(sf->flags & SF_COLLEAGUE));
	case FS_NEIGHBOUR:	return (!!(sf->flags & SF_NEIGHBOUR));
	case FS_HOUSEMATE:	return (!!(sf->flags & SF_HOUSEMATE));
	case FS_SAME_SURNAME:	return (!!(sf->flags & SF_SURNAME));
	case FS_WATCH:		return (sf->watch);
	case FS_SECRET:		return (!!(sf->flags & SF_SECRET));
	case FS_RESIDENT:	return (!!(sf->flags & SF_RESIDENT));
	case FS_KNOWN:		return (!!(sf->flags & SF_KNOWN));
	case FS_PLATE:		return (!!(sf->flags & SF_PLATE));
	default:		return (fact_case_num(fx, sf, f));
	}
}

/* A fact as a string (for string facts), written into buf if needed. */
const char *
fact_str(const struct facts *fx, const struct sfacts *sf, enum fact_id f,
    char *buf, size_t len)
{
	static const char *const reg[] = { "", "brp", "rdw" };
	static const char *const wd[] = { "mon", "tue", "wed", "thu", "fri",
	    "sat", "sun" };
	static const char *const srole[] = { "", "queried", "returned",
	    "owner" };

	switch (f) {
	case F_REGISTER:
		return (reg[fx->ev->reg % 3]);
	case F_REQUEST:
		return (fx->ev->reg == EV_REG_RDW ? "Kenteken" :
		    ev_request_name(fx->ev->request));
	case F_STATUS:
		return (fx->ev->status == EV_STATUS_OK ? "ok" : "error");
	case F_EXPLANATION:
		return (explain_name(fx->expl));
	case F_WEEKDAY:
		return (wd[fx->lt.wday]);
	case F_USER_DEPT:
		return (fx->st ? symtab_str(fx->ref->names, fx->st->dept) : "");
	case FS_EXPLANATION:
		return (explain_name(sf->e.kind));
	case FS_ROLE:
		return (srole[sf->role % 4]);
	case FS_CASE_TYPE:
		if (sf->e.kase < 0)
			return ("");
		return (symtab_str(fx->ref->names,
		    fx->ref->cases[sf->e.kase].type));
	default:
		snprintf(buf, len, "%lld", (long long)fact_num(fx, sf, f));
		return (buf);
	}
}

/*
 * A fact with a fixed list of values (fact_def's values) as the index of
 * its value in that list, -1 when it has none of them: what fact_str
 * names, without comparing strings per lookup. test_fact holds the two
 * to the same answer for every input.
 */
int
fact_code(const struct facts *fx, const struct sfacts *sf, enum fact_id f)
{
	switch (f) {
	case F_REGISTER:	/* "", brp, rdw */
		return (fx->ev->reg % 3 - 1);
	case F_REQUEST:
		if (fx->ev->reg == EV_REG_RDW)
			return (EV_REQ_KENTEKEN - 1);
		if (fx->ev->request == EV_REQ_UNKNOWN ||
		    fx->ev->request > EV_REQ_KENTEKEN)
			return (-1);
		return (fx->ev->request - 1);
	case F_STATUS:
		return (fx->ev->status == EV_STATUS_OK ? 0 : 1);
	case F_EXPLANATION:
		return (fx->expl < EXPL_NKINDS ? fx->expl : -1);
	case F_WEEKDAY:
		return (fx->lt.wday);
	case FS_EXPLANATION:
		return (sf->e.kind < EXPL_NKINDS ? sf->e.kind : -1);
	case FS_ROLE:		/* "", queried, returned, owner */
		return (sf->role % 4 - 1);
	default:
		return (-1);
	}
}
