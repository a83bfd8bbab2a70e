/*
 * case_stats.c: per case type, the median duration of its closed cases
 * and the share of its cases handled by on-call (piket) staff. Built
 * once per reference data set, in one pass over the cases and a sort.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rules/case_stats.h"
#include "util/xmalloc.h"

struct case_stats {
	int64_t		*median;	/* by type sym, -1 unknown */
	int32_t		*oncall;	/* permille by type sym */
	size_t		 ntypes;
};

struct span {
	uint32_t	 type;
	int64_t		 len;
};

/* Order spans by type, then length. */
static int
span_cmp(const void *a, const void *b)
{
	const struct span	*x = a, *y = b;

	if (x->type != y->type)
		return (x->type < y->type ? -1 : 1);
	return (x->len < y->len ? -1 : x->len > y->len);
}

/* Is one of the case's assignees on-call staff? */
static int
case_stats_piket(const struct ref *r, const struct refcase *k)
{
	uint32_t	 i, u;
	int32_t		 si;

	for (i = 0; i < k->nassign; i++) {
		u = r->pool[k->assign_off + i];
		if (u >= r->nstaff_by_name || (si = r->staff_by_name[u]) < 0)
			continue;
		if (r->staff[si].roles & ROLE_PIKET)
			return (1);
	}
	return (0);
}

/* Medians of the sorted spans, per type with enough of them. */
static void
case_stats_medians(struct case_stats *cs, struct span *sp, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i = j) {
		for (j = i; j < n && sp[j].type == sp[i].type; j++)
			;
		if (j - i >= CASE_STATS_MIN_CLOSED)
			cs->median[sp[i].type] = sp[i + (j - i) / 2].len;
	}
}

/* Compute the statistics of every case type in r. */
struct case_stats *
case_stats_new(const struct ref *r)
{
	struct case_stats	*cs;
	struct span		*sp;
	uint32_t		*all, *piket;
	size_t			 i, n = 0;

	cs = xcalloc(1, sizeof *cs);
	cs->ntypes = symtab_count(r->names);
	cs->median = xcalloc(cs->ntypes + 1, sizeof *cs->median);
	cs->oncall = xcalloc(cs->ntypes + 1, sizeof *cs->oncall);
	all = xcalloc(cs->ntypes + 1, sizeof *all);
	piket = xcalloc(cs->ntypes + 1, sizeof *piket);
	sp = xcalloc(r->ncases + 1, sizeof *sp);
	for (i = 0; i < cs->ntypes; i++)
		cs->median[i] = -1;
	for (i = 0; i < r->ncases; i++) {
		const struct refcase *k = &r->cases[i];

		if (k->type >= cs->ntypes)
			continue;
		all[k->type]++;
		piket[k->type] += case_stats_piket(r, k);
		if (k->closed != TS_NEVER && k->closed >= k->opened) {
			sp[n].type = k->type;
			sp[n++].len = k->closed - k->opened;
		}
	}
	qsort(sp, n, sizeof *sp, span_cmp);
	case_stats_medians(cs, sp, n);
	for (i = 0; i < cs->ntypes; i++)
		if (all[i] > 0)
			cs->oncall[i] = (int32_t)(piket[i] * 1000 / all[i]);
	free(sp);
	free(all);
	free(piket);
	return (cs);
}

/* Free the statistics. */
void
case_stats_free(struct case_stats *cs)
{
	if (cs == NULL)
		return;
	free(cs->median);
	free(cs->oncall);
	free(cs);
}

/* Median duration of the closed cases of a type in µs, -1 if unknown. */
int64_t
case_stats_median(const struct case_stats *cs, uint32_t type)
{
	return (type < cs->ntypes ? cs->median[type] : -1);
}

/* Permille of a type's cases that on-call staff handle. */
int32_t
case_stats_oncall_permille(const struct case_stats *cs, uint32_t type)
{
	return (type < cs->ntypes ? cs->oncall[type] : 0);
}
