/*
 * ref.c: the reference data store: symbols, lookups, and the postings
 * (subject -> cases, subject -> appointments, user -> appointments)
 * built once after loading, as counting sorts into flat arrays.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/ref.h"
#include "util/xmalloc.h"

static const char *ref_kinds[REF_NKINDS][2] = {
	{ "staff", "employees.csv" },
	{ "persons", "persons.csv" },
	{ "vehicles", "vehicles.csv" },
	{ "cases", "cases.csv" },
	{ "appointments", "appointments.csv" },
	{ "watchlist", "watchlist.csv" },
};

/* Create an empty store. */
struct ref *
ref_new(void)
{
	struct ref	*r;

	int		 i;

	r = xcalloc(1, sizeof *r);
	r->refs = 1;
	r->names = symtab_new();
	r->subjects = keytab_new();
	r->caseids = symtab_new_packed(key_pack_case);
	r->pos = -1;
	r->carryable = 1;
	for (i = 0; i < REF_NKINDS; i++)
		r->version[i] = -1;
	return (r);
}

/*
 * One more holder of a finished store: the daemon's reload thread reads
 * the store the event loop uses (ref_carry) while the loop may let go of
 * it; whichever is last frees it.
 */
struct ref *
ref_hold(struct ref *r)
{
	if (r != NULL)
		__atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
	return (r);
}

/* Let go of a store; the last holder frees it. */
void
ref_free(struct ref *r)
{
	if (r == NULL || __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	symtab_free(r->names);
	keytab_free(r->subjects);
	symtab_free(r->caseids);
	free(r->staff);
	free(r->staff_by_name);
	free(r->pc4_count);
	free(r->subj);
	free(r->cases);
	free(r->case_by_id);
	free(r->appts);
	free(r->pool);
	free(r->sc_off);
	free(r->sc);
	free(r->sa_off);
	free(r->sa);
	free(r->ua_off);
	free(r->ua);
	free(r->resident_pc4);
	free(r);
}

/* Name of a kind, as `wachter import` spells it. */
const char *
ref_kind_name(enum ref_kind k)
{
	return (ref_kinds[k][0]);
}

/* File name of a kind in a corpus folder. */
const char *
ref_kind_file(enum ref_kind k)
{
	return (ref_kinds[k][1]);
}

/* Parse a kind name. */
int
ref_kind_parse(const char *s, enum ref_kind *k)
{
	int	 i;

	for (i = 0; i < REF_NKINDS; i++) {
		if (strcmp(s, ref_kinds[i][0]) == 0) {
			*k = (enum ref_kind)i;
			return (0);
		}
	}
	return (-1);
}

/* Index of an official by account name, or -1. */
int32_t
ref_staff(const struct ref *r, const char *user)
{
	struct refkeys	 k;

	k.ulen = strlen(user);
	k.uval = symtab_value(r->names, user, k.ulen);
	return (ref_staff_keyed(r, user, &k));
}

/* ref_staff, with the user's key from ref_keys. */
int32_t
ref_staff_keyed(const struct ref *r, const char *user,
    const struct refkeys *k)
{
	uint32_t	 sym;

	sym = symtab_find_value(r->names, user, k->ulen, k->uval);
	if (sym == SYM_NONE || sym >= r->nstaff_by_name)
		return (-1);
	return (r->staff_by_name[sym]);
}

/* Symbol of a BSN or normalised plate, or SYM_NONE. */
uint32_t
ref_subject(const struct ref *r, const char *v)
{
	return (keytab_find(r->subjects, v, strlen(v)));
}

/* ref_subject, with the key ref_prefetch_subject gave for v. */
uint32_t
ref_subject_keyed(const struct ref *r, const char *v, uint64_t key)
{
	return (keytab_find_key(r->subjects, v, key ? 0 : strlen(v), key));
}

/* What is known about a subject, or NULL. */
const struct subjinfo *
ref_subjinfo(const struct ref *r, uint32_t sym)
{
	if (sym == SYM_NONE || sym >= keytab_count(r->subjects))
		return (NULL);
	return (&r->subj[sym].info);
}

/* The person of a subject, by its subjinfo's person (not -1). */
const struct person *
ref_person(const struct ref *r, int32_t person)
{
	return (&r->subj[person].p);
}

/* Index of a case by canonical id, or -1. */
int32_t
ref_case(const struct ref *r, const char *id)
{
	struct refkeys	 k;

	k.clen = strlen(id);
	k.cval = symtab_value(r->caseids, id, k.clen);
	return (ref_case_keyed(r, id, &k));
}

/* ref_case, with the case id's key from ref_keys. */
int32_t
ref_case_keyed(const struct ref *r, const char *id, const struct refkeys *k)
{
	uint32_t	 sym;

	sym = symtab_find_value(r->caseids, id, k->clen, k->cval);
	if (sym == SYM_NONE)
		return (-1);
	return (r->case_by_id != NULL ? r->case_by_id[sym] : (int32_t)sym);
}

/*
 * Compute the keys ref_staff_keyed(user) and ref_case_keyed(id) (id ""
 * for none) will probe with, once, and start loading what they will
 * read; likewise ref_prefetch_subject for ref_subject_keyed and, once a
 * subject's symbol is known, ref_prefetch_record for its facts: a
 * lookup's several probes and records then wait for memory together.
 */
void
ref_keys(const struct ref *r, const char *user, const char *id,
    struct refkeys *k)
{
	k->ulen = strlen(user);
	k->uval = symtab_value(r->names, user, k->ulen);
	symtab_prefetch_value(r->names, k->uval);
	k->clen = strlen(id);
	k->cval = 0;
	if (k->clen == 0)
		return;
	k->cval = symtab_value(r->caseids, id, k->clen);
	symtab_prefetch_value(r->caseids, k->cval);
}

uint64_t
ref_prefetch_subject(const struct ref *r, const char *v)
{
	uint64_t	 key = keytab_key(v, strlen(v));

	keytab_prefetch_key(r->subjects, key);
	return (key);
}

void
ref_prefetch_record(const struct ref *r, uint32_t sym)
{
	if (sym == SYM_NONE || sym >= keytab_count(r->subjects) ||
	    r->sc_off == NULL || r->sa_off == NULL)
		return;
	__builtin_prefetch(&r->subj[sym]);
	__builtin_prefetch(&r->sc_off[sym]);
	__builtin_prefetch(&r->sa_off[sym]);
}

/* Is user (names sym) a named assignee of the case? */
int
ref_case_has_user(const struct ref *r, const struct refcase *c, uint32_t u)
{
	uint32_t	 i;

	for (i = 0; i < c->nassign; i++)
		if (r->pool[c->assign_off + i] == u)
			return (1);
	return (0);
}

/* Is the subject on the case? */
int
ref_case_has_subject(const struct ref *r, const struct refcase *c,
    uint32_t s)
{
	uint32_t	 i;

	for (i = 0; i < c->nsubj; i++)
		if (r->pool[c->assign_off + c->nassign + i] == s)
			return (1);
	return (0);
}

/* Does a postcode lie in the municipality's own postcode areas? */
int
ref_resident(const struct ref *r, const char *pc)
{
	int	 i, v = 0;

	for (i = 0; i < 4; i++) {
		if (pc[i] < '0' || pc[i] > '9')
			return (0);
		v = v * 10 + (pc[i] - '0');
	}
	return (r->resident_pc4 != NULL && r->resident_pc4[v]);
}

/*
 * Turn per-key counts in off[1..n] into CSR offsets and place the items
 * with off[key] as the cursor; then off[k] is where k ends, so shift it
 * one back. No separate fill array: with a million subjects that was
 * 5.7 MB more at the peak of the load.
 */
static void
ref_place_begin(uint32_t *off, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		off[i + 1] += off[i];
}

static void
ref_place_end(uint32_t *off, size_t n)
{
	memmove(off + 1, off, n * sizeof *off);
	off[0] = 0;
}

/* Build CSR postings: n keys, m items, keys[i] gives the key of item i. */
static void
ref_postings(size_t n, size_t m, const uint32_t *keys, uint32_t **offp,
    uint32_t **itemsp)
{
	uint32_t	*off, *items;
	size_t		 i;

	off = xcalloc(n + 1, sizeof *off);
	for (i = 0; i < m; i++)
		if (keys[i] < n)
			off[keys[i] + 1]++;
	ref_place_begin(off, n);
	items = xcalloc(off[n] + 1, sizeof *items);
	for (i = 0; i < m; i++)
		if (keys[i] < n)
			items[off[keys[i]]++] = (uint32_t)i;
	ref_place_end(off, n);
	*offp = off;
	*itemsp = items;
}

/*
 * The municipality's postcode areas: those that hold at least one in a
 * thousand of the persons (residents dominate the persons table; people
 * living elsewhere scatter thinly over the country). The rows were
 * counted as they loaded (ref_count_pc4).
 */
static void
ref_find_residents(struct ref *r)
{
	size_t		 min;
	int		 v;

	min = r->npersons / 1000;
	if (min < 5)
		min = 5;
	r->resident_pc4 = xcalloc(10000, 1);
	for (v = 0; r->pc4_count != NULL && v < 10000; v++)
		r->resident_pc4[v] = r->pc4_count[v] >= min;
	free(r->pc4_count);
	r->pc4_count = NULL;
}

/*
 * How usual each case's type is for its department: the share, in
 * thousandths, of the department's cases that have this type. A sham case
 * often has a type its department hardly ever uses.
 */
static void
ref_type_shares(struct ref *r)
{
	struct symtab	*pairs;
	uint32_t	*pc, *dc, n = symtab_count(r->names), p;
	size_t		 i, cap;
	char		 key[32];

	pairs = symtab_new();
	cap = r->ncases + 1;
	pc = xcalloc(cap, sizeof *pc);
	dc = xcalloc(n + 1, sizeof *dc);
	for (i = 0; i < r->ncases; i++) {
		snprintf(key, sizeof key, "%u:%u", r->cases[i].dept,
		    r->cases[i].type);
		p = symtab_intern(pairs, key, strlen(key));
		pc[p]++;
		dc[r->cases[i].dept]++;
	}
	for (i = 0; i < r->ncases; i++) {
		snprintf(key, sizeof key, "%u:%u", r->cases[i].dept,
		    r->cases[i].type);
		p = symtab_find(pairs, key, strlen(key));
		r->cases[i].type_permille = (uint16_t)(pc[p] * 1000 /
		    dc[r->cases[i].dept]);
	}
	free(pc);
	free(dc);
	symtab_free(pairs);
}

/*
 * Order appointments by start, then end: of a subject's appointments at one
 * desk the first that covers a lookup explains it, so two that start
 * together must not be taken in the order their rows came (eval's file,
 * the server's table). Two with the same times, desk and subject are the
 * same to every rule.
 */
static int
ref_appt_cmp(const void *a, const void *b)
{
	const struct appt	*x = a, *y = b;

	if (x->start != y->start)
		return ((x->start > y->start) - (x->start < y->start));
	return ((x->end > y->end) - (x->end < y->end));
}

/*
 * Subject -> cases postings, counted straight from the cases' subject
 * lists: no list of (subject, case) pairs as long as all of them (with a
 * million cases, tens of megabytes that only lived for this).
 */
static void
ref_case_postings(struct ref *r, size_t nsym)
{
	const struct refcase	*k;
	uint32_t		*off, s;
	size_t			 i, j;

	off = xcalloc(nsym + 1, sizeof *off);
	for (i = 0; i < r->ncases; i++)
		for (k = &r->cases[i], j = 0; j < k->nsubj; j++)
			if ((s = r->pool[k->assign_off + k->nassign + j]) < nsym)
				off[s + 1]++;
	ref_place_begin(off, nsym);
	r->sc = xcalloc(off[nsym] + 1, sizeof *r->sc);
	for (i = 0; i < r->ncases; i++)
		for (k = &r->cases[i], j = 0; j < k->nsubj; j++)
			if ((s = r->pool[k->assign_off + k->nassign + j]) < nsym)
				r->sc[off[s]++] = (uint32_t)i;
	ref_place_end(off, nsym);
	r->sc_off = off;
}

/*
 * Give back what the doubling while loading left unused: up to half of
 * each table (a million cases and 1.3 million persons: about 60 MB).
 * Nothing is added to a store after ref_finish.
 */
static void *
ref_fit(void *p, size_t n, size_t size)
{
	return (n == 0 ? p : xreallocarray(p, n, size));
}

static void
ref_fit_all(struct ref *r)
{
	symtab_fit(r->names);
	keytab_fit(r->subjects);
	symtab_fit(r->caseids);
	r->staff = ref_fit(r->staff, r->nstaff, sizeof *r->staff);
	r->subjcap = keytab_count(r->subjects);
	r->subj = ref_fit(r->subj, r->subjcap, sizeof *r->subj);
	r->cases = ref_fit(r->cases, r->ncases, sizeof *r->cases);
	if (r->case_by_id != NULL)
		r->case_by_id = ref_fit(r->case_by_id,
		    symtab_count(r->caseids), sizeof *r->case_by_id);
	r->appts = ref_fit(r->appts, r->nappts, sizeof *r->appts);
	r->poolcap = r->poollen;
	r->pool = ref_fit(r->pool, r->poollen, sizeof *r->pool);
}

/*
 * Build the postings once every table is loaded. What only carried kinds
 * make (ref_carry) was carried with them: the appointments are in order
 * already (sorting again could swap two that start together), the
 * residents and the type shares are there.
 */
void
ref_finish(struct ref *r)
{
	uint32_t	*keys;
	size_t		 i, nsym;

	ref_mark_upto(r, REF_NKINDS);
	ref_fit_all(r);
	if (ref_kind_pos(REF_CASES) >= r->carried)
		ref_order_cases(r);
	if (r->nappts > 1 && ref_kind_pos(REF_APPOINTMENTS) >= r->carried)
		qsort(r->appts, r->nappts, sizeof *r->appts, ref_appt_cmp);
	nsym = keytab_count(r->subjects);
	ref_case_postings(r, nsym);
	keys = xcalloc(r->nappts + 1, sizeof *keys);
	for (i = 0; i < r->nappts; i++)
		keys[i] = r->appts[i].bsn;
	ref_postings(nsym, r->nappts, keys, &r->sa_off, &r->sa);
	for (i = 0; i < r->nappts; i++)
		keys[i] = r->appts[i].desk;
	ref_postings(symtab_count(r->names), r->nappts, keys, &r->ua_off,
	    &r->ua);
	free(keys);
	if (ref_kind_pos(REF_PERSONS) >= r->carried)
		ref_find_residents(r);
	if (ref_kind_pos(REF_CASES) >= r->carried)
		ref_type_shares(r);
	r->finished = 1;
}
