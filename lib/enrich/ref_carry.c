/*
 * ref_carry.c: a new store that keeps the kinds an old one loaded first
 * (a prefix of ref_kind_at order), ready to load the rest. The daemon
 * reloads only the tables that changed: a new watchlist entry no longer
 * reads a million cases again.
 *
 * Kinds share the symbol tables and the subject records, but each kind
 * only appends symbols, so the symbols a prefix made are the first ones
 * (ref->mark) and a copy of those, numbered as before, is what loading
 * the prefix again would give. What a later kind wrote into an earlier
 * subject's record (the staff and watch flags, a plate mark) is undone.
 * Loading the same rows after the copy then builds the very store a
 * full load builds (test_enrich compares them field by field).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "enrich/ref.h"
#include "util/xmalloc.h"

/*
 * Persons, vehicles and cases first: the big tables that change least
 * often; then staff, appointments, the watchlist (daily, and small).
 */
static const enum ref_kind ref_order[REF_NKINDS] = {
	REF_PERSONS, REF_VEHICLES, REF_CASES, REF_STAFF, REF_APPOINTMENTS,
	REF_WATCHLIST
};

/* The kind loaded at a position. */
enum ref_kind
ref_kind_at(int pos)
{
	return (ref_order[pos]);
}

/* The position a kind is loaded at. */
int
ref_kind_pos(enum ref_kind k)
{
	int	 i;

	for (i = 0; i < REF_NKINDS && ref_order[i] != k; i++)
		;
	return (i);
}

/* Loading reaches position pos: note the symbols before each one passed. */
void
ref_mark_upto(struct ref *r, int pos)
{
	while (r->pos < pos) {
		r->pos++;
		r->mark[r->pos].names = symtab_count(r->names);
		r->mark[r->pos].subjects = keytab_count(r->subjects);
	}
}

/* Undo what kinds at positions npos and later wrote into kept records. */
static void
ref_carry_records(struct ref *r, int npos)
{
	int		 staff, watch;
	struct subjinfo	*si;
	size_t		 i;

	staff = ref_kind_pos(REF_STAFF) >= npos;
	watch = ref_kind_pos(REF_WATCHLIST) >= npos;
	for (i = 0; i < r->subjcap; i++) {
		si = &r->subj[i].info;
		if (staff)
			si->staff = 0;
		if (watch)
			si->watch = 0;
		if (si->plate_by > npos)
			si->plate = si->plate_by = 0;
	}
}

/* Keep the tables of each carried kind that only it fills. */
static void
ref_carry_tables(struct ref *r, const struct ref *old, int npos)
{
	if (ref_kind_pos(REF_PERSONS) < npos) {
		r->npersons = old->npersons;
		r->resident_pc4 = xmemdup(old->resident_pc4, 10000, 1);
	}
	if (ref_kind_pos(REF_CASES) < npos) {
		symtab_free(r->caseids);
		r->caseids = symtab_copy(old->caseids,
		    symtab_count(old->caseids));
		r->ncases = old->ncases;
		r->cases = xmemdup(old->cases, old->ncases, sizeof *r->cases);
		r->case_by_id = xmemdup(old->case_by_id,
		    symtab_count(old->caseids), sizeof *r->case_by_id);
		r->poollen = r->poolcap = old->poollen;
		r->pool = xmemdup(old->pool, old->poollen, sizeof *r->pool);
	}
	if (ref_kind_pos(REF_STAFF) < npos) {
		r->nstaff = old->nstaff;
		r->staff = xmemdup(old->staff, old->nstaff, sizeof *r->staff);
		r->nstaff_by_name = old->nstaff_by_name;
		r->staff_by_name = xmemdup(old->staff_by_name,
		    old->nstaff_by_name, sizeof *r->staff_by_name);
	}
	if (ref_kind_pos(REF_APPOINTMENTS) < npos) {
		r->nappts = old->nappts;
		r->appts = xmemdup(old->appts, old->nappts, sizeof *r->appts);
	}
}

/*
 * A store holding what old loaded at positions below npos (1 to
 * REF_NKINDS), to load the kinds from npos on into and ref_finish; NULL
 * when old was not loaded in ref_kind_at order.
 */
struct ref *
ref_carry(const struct ref *old, int npos)
{
	struct ref	*r;
	int		 i;

	if (!old->carryable || !old->finished || npos < 1 ||
	    npos > REF_NKINDS)
		return (NULL);
	r = ref_new();
	symtab_free(r->names);
	keytab_free(r->subjects);
	r->names = symtab_copy(old->names, old->mark[npos].names);
	r->subjects = keytab_copy(old->subjects, old->mark[npos].subjects);
	r->subjcap = old->mark[npos].subjects;
	r->subj = xmemdup(old->subj, r->subjcap, sizeof *r->subj);
	ref_carry_records(r, npos);
	ref_carry_tables(r, old, npos);
	for (i = 0; i <= npos; i++)
		r->mark[i] = old->mark[i];
	r->pos = npos - 1;
	r->carried = npos;
	for (i = 0; i < npos; i++)
		r->version[ref_kind_at(i)] = old->version[ref_kind_at(i)];
	return (r);
}
