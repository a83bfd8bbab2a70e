/*
 * engine_base.c: a user against the past. A baseline rule counts the
 * distinct subjects of a user's matching lookups per local day and keeps,
 * per user, an exponentially weighted mean and variance of the past
 * active days, and per department the same over all its users' days; it
 * holds when today's count so far stands out against both. A first_time
 * rule holds when a lookup touches a subject or a postcode area the user
 * never touched before, remembered in a bloom filter of two generations,
 * so memory per user is fixed and the oldest memories fade first.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/symtab.h"
#include "rules/engine_int.h"
#include "rules/match.h"
#include "util/tsv.h"
#include "util/xmalloc.h"

#define BASE_ALPHA	0.2	/* a user's day weighs 1/5 */
#define PEER_ALPHA	0.02	/* a department's user-day weighs 1/50 */
#define BASE_DAY_MAX	65536	/* distinct subjects counted per day */
#define BASE_SET_MIN	8	/* first table of a day's subjects (grows) */
#define NOVEL_CAP	2048	/* items before a new generation */
#define NOVEL_K		4	/* bits per item */

/* Fold one value into an exponentially weighted mean and variance. */
static void
base_fold(double *mean, double *var, uint32_t *n, double alpha, double x)
{
	double	 a, diff, incr;

	a = 1.0 / (*n + 1);
	if (a < alpha)
		a = alpha;
	diff = x - *mean;
	incr = a * diff;
	*mean += incr;
	*var = (1 - a) * (*var + diff * incr);
	(*n)++;
}

/*
 * Is x more than k standard deviations above the mean? Counts vary at
 * least as much as a Poisson count would, so the deviation used is never
 * below the square root of the mean, nor below 1.
 */
static int
base_above(double mean, double var, double x, int32_t milli)
{
	double	 k = milli / 1000.0;

	if (var < mean)
		var = mean;
	if (var < 1)
		var = 1;
	return (x > mean && (x - mean) * (x - mean) > k * k * var);
}

/* The statistics of a department in rule ri, created on first use. */
static struct dstat *
base_dstat(struct engine *e, const char *name, size_t ri)
{
	uint32_t	 sym;
	size_t		 old;

	if (e->depts == NULL)
		e->depts = symtab_new();
	sym = symtab_intern(e->depts, name, strlen(name));
	if (sym >= e->dscap) {
		old = e->dscap;
		e->dscap = sym + 16;
		e->ds = xreallocarray(e->ds, e->dscap, sizeof *e->ds);
		memset(e->ds + old, 0, (e->dscap - old) * sizeof *e->ds);
	}
	if (e->ds[sym] == NULL)
		e->ds[sym] = xcalloc(RULES_MAX, sizeof **e->ds);
	return (&e->ds[sym][ri]);
}

/* The statistics of the user's department in rule ri, NULL if none. */
static struct dstat *
base_dept(struct engine *e, size_t ri)
{
	const char	*name;

	if (e->fx.st == NULL)
		return (NULL);
	name = symtab_str(e->ref->names, e->fx.st->dept);
	if (name == NULL)
		return (NULL);
	return (base_dstat(e, name, ri));
}

/* A new local day: fold the finished day into the user and department. */
static void
base_rollover(struct bstate *b, struct dstat *d, int32_t day)
{
	if (b->day != 0) {
		base_fold(&b->mean, &b->var, &b->ndays, BASE_ALPHA,
		    b->set.n);
		if (d != NULL)
			base_fold(&d->mean, &d->var, &d->n, PEER_ALPHA,
			    b->set.n);
	}
	window_free(&b->set);
	window_sweep(&b->set, INT64_MIN, BASE_SET_MIN);
	b->day = day;
}

/* Count today's subjects of a matching lookup; fire when they stand out. */
void
engine_baseline(struct engine *e, struct ustate *u, size_t ri,
    const struct rule *r, uint64_t *bits)
{
	const struct lookup	*ev = e->fx.ev;
	struct bstate		*b;
	struct dstat		*d;
	uint32_t		 i;
	int			 which;

	if (!matcher_rule(e->m, ri, &e->fx, &which))
		return;
	if (u->b == NULL)
		u->b = xcalloc(e->nbslot, sizeof *u->b);
	b = &u->b[e->bslot[ri]];
	d = base_dept(e, ri);
	if (b->day != e->fx.lt.day || b->set.cap == 0)
		base_rollover(b, d, e->fx.lt.day);
	for (i = 0; i < ev->nsubjects && i < e->fx.nsf; i++) {
		if (!(e->fx.sf[i].flags & SF_COUNTS) || b->set.n >= BASE_DAY_MAX)
			continue;
		if ((b->set.n + 1) * 2 > b->set.cap)
			window_sweep(&b->set, INT64_MIN, b->set.cap * 2);
		window_put(&b->set, symtab_hash(ev->subjects[i].value,
		    strlen(ev->subjects[i].value)) | 1, ev->ts);
	}
	if (b->set.n < r->min_count || b->ndays < r->min_days)
		return;
	if (r->above_own && !base_above(b->mean, b->var, b->set.n,
	    r->above_own))
		return;
	if (r->above_peers && (d == NULL || d->n < r->min_days ||
	    !base_above(d->mean, d->var, b->set.n, r->above_peers)))
		return;
	*bits |= 1ULL << ri;
}

/* Hash of a subject or of a postcode area; 0 when there is none. */
static uint64_t
novel_key(const struct engine *e, uint32_t i, int area)
{
	const struct subjinfo	*si;
	const char		*pc;
	char			 k[SUBJ_VALUE_MAX + 2];
	size_t			 len;

	if (!area) {
		len = strlen(e->fx.ev->subjects[i].value);
		k[0] = 's';
		memcpy(k + 1, e->fx.ev->subjects[i].value, len);
		return (symtab_hash(k, len + 1) | 1);
	}
	si = ref_subjinfo(e->ref, e->fx.sf[i].sym);
	if (si == NULL || si->person < 0)
		return (0);
	pc = ref_person(e->ref, si->person)->pc;
	if (strlen(pc) < 4)
		return (0);
	k[0] = 'a';
	memcpy(k + 1, pc, 4);
	return (symtab_hash(k, 5) | 1);
}

/* Is an item in one generation of the filter? */
static int
novel_has(const uint64_t *f, uint64_t h)
{
	uint32_t	 j, bit, step = (uint32_t)(h >> 32) | 1;

	if (f == NULL)
		return (0);
	for (j = 0; j < NOVEL_K; j++) {
		bit = ((uint32_t)h + j * step) % (NOVEL_WORDS * 64);
		if (!(f[bit / 64] & (1ULL << (bit % 64))))
			return (0);
	}
	return (1);
}

/* Remember an item; a full generation becomes the old one. */
static void
novel_add(struct novel *nv, uint64_t h)
{
	uint32_t	 j, bit, step = (uint32_t)(h >> 32) | 1;

	if (h == 0 || novel_has(nv->cur, h))
		return;
	if (nv->cur == NULL || nv->n >= NOVEL_CAP) {
		free(nv->old);
		nv->old = nv->cur;
		nv->cur = xcalloc(NOVEL_WORDS, sizeof *nv->cur);
		nv->n = 0;
	}
	for (j = 0; j < NOVEL_K; j++) {
		bit = ((uint32_t)h + j * step) % (NOVEL_WORDS * 64);
		nv->cur[bit / 64] |= 1ULL << (bit % 64);
	}
	nv->n++;
}

/* Does a subject (matching the rule's subject facts) break new ground? */
void
engine_novel(struct engine *e, struct ustate *u, size_t ri,
    const struct rule *r, uint64_t *bits)
{
	uint32_t	 i, before;
	uint64_t	 h;

	before = u->ndays - (u->lastday == e->fx.lt.day && u->ndays > 0);
	if (before < r->min_days ||
	    !match_preds(r->when, r->nwhen, &e->fx, NULL))
		return;
	for (i = 0; i < e->fx.ev->nsubjects && i < e->fx.nsf; i++) {
		if (!match_preds(r->subj, r->nsubj, &e->fx, &e->fx.sf[i]))
			continue;
		h = novel_key(e, i, r->novel == NOVEL_AREA);
		if (h != 0 && !novel_has(u->nv.cur, h) &&
		    !novel_has(u->nv.old, h)) {
			*bits |= 1ULL << ri;
			return;
		}
	}
}

/* Remember the lookup's subjects and areas, and the user's active day. */
void
engine_novel_record(struct engine *e, struct ustate *u)
{
	uint32_t	 i;

	if (u->lastday != e->fx.lt.day || u->ndays == 0) {
		u->lastday = e->fx.lt.day;
		u->ndays++;
	}
	for (i = 0; i < e->fx.ev->nsubjects && i < e->fx.nsf; i++) {
		novel_add(&u->nv, novel_key(e, i, 0));
		novel_add(&u->nv, novel_key(e, i, 1));
	}
}

/* Free the baseline and first-time state of every user. */
void
engine_base_free(struct engine *e)
{
	size_t	 i, j;

	for (i = 0; e->us != NULL && i < symtab_count(e->users); i++) {
		if (e->us[i].b != NULL)
			for (j = 0; j < e->nbslot; j++)
				window_free(&e->us[i].b[j].set);
		free(e->us[i].b);
		free(e->us[i].nv.cur);
		free(e->us[i].nv.old);
	}
	for (i = 0; i < e->dscap; i++)
		free(e->ds[i]);
	free(e->ds);
	symtab_free(e->depts);
}

/* Keep baselines of rules whose id stays in the new set. */
void
engine_base_swap(struct engine *e, const struct ruleset *old,
    const struct ruleset *rs)
{
	struct bstate	*nb, *ob;
	struct dstat	*nd;
	int8_t		 slot[RULES_MAX];
	size_t		 i, j, n;
	int		 k;

	n = rule_slots(rs, 'b', slot);
	for (i = 0; i < symtab_count(e->users); i++) {
		if (e->us[i].b == NULL)
			continue;
		nb = n > 0 ? xcalloc(n, sizeof *nb) : NULL;
		for (j = 0; j < old->n; j++) {
			if (e->bslot[j] < 0)
				continue;
			ob = &e->us[i].b[e->bslot[j]];
			k = engine_rule_index(rs, old->rules[j].id);
			if (k >= 0 && slot[k] >= 0)
				nb[slot[k]] = *ob;
			else
				window_free(&ob->set);
		}
		free(e->us[i].b);
		e->us[i].b = nb;
	}
	for (i = 0; i < e->dscap; i++) {
		if (e->ds[i] == NULL)
			continue;
		nd = xcalloc(RULES_MAX, sizeof *nd);
		for (j = 0; j < old->n; j++)
			if ((k = engine_rule_index(rs, old->rules[j].id)) >= 0)
				nd[k] = e->ds[i][j];
		free(e->ds[i]);
		e->ds[i] = nd;
	}
}

/* The departments' baselines, one "d" line per department and rule. */
void
dstat_export(const struct engine *e, struct buf *b)
{
	const struct dstat	*d;
	size_t			 i, j;

	for (i = 0; i < e->dscap; i++) {
		if (e->ds[i] == NULL)
			continue;
		for (j = 0; j < e->rs->n; j++) {
			d = &e->ds[i][j];
			if (d->n == 0)
				continue;
			buf_adds(b, "d\t");
			tsv_add(b, symtab_str(e->depts, (uint32_t)i));
			buf_printf(b, "\t%s\t%u\t%a\t%a\n", e->rs->rules[j].id,
			    d->n, d->mean, d->var);
		}
	}
}

/* Read back one "d" line; a rule that is gone is dropped. */
int
dstat_import(struct engine *e, char *line)
{
	char		*f[5];
	struct dstat	*d;
	int		 n, ri;

	for (n = 0; n < 5 && (f[n] = tsv_next(&line)) != NULL; n++)
		;
	if (n != 5)
		return (-1);
	if ((ri = engine_rule_index(e->rs, f[1])) < 0)
		return (0);
	d = base_dstat(e, f[0], (size_t)ri);
	if (sscanf(f[2], "%u", &d->n) != 1 || sscanf(f[3], "%la", &d->mean) !=
	    1 || sscanf(f[4], "%la", &d->var) != 1)
		return (-1);
	return (0);
}
