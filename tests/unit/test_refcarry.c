/*
 * test_refcarry.c: a store that carries the first kinds over from an
 * older one (ref_carry) and loads the rest is the store a full load
 * builds, field by field: the daemon reloading only the changed tables
 * must decide as `wachter eval` over the same files. The older store
 * held rows the newer files no longer have, in every kind after the
 * carried ones: a new user, department, case, plate, an official's BSN
 * on a person, a watchlist plate spelled so it packs to a person's BSN.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "enrich/ref.h"
#include "tap.h"
#include "testref.h"

/* Rows only the older files had, by kind. */
static const char *const extra[REF_NKINDS] = {
	[REF_STAFF] = "olduser,Old User,Oud,Oude afdeling,brp-raadplegen,"
	    "OLD-1,7300AA,9,100000149,2015-01-01,,mon-fri 08:00-17:00,"
	    "person\n",
	[REF_PERSONS] = "100000999,Oud,Piet,1950-01-01,9999ZZ,1,1,0\n",
	[REF_VEHICLES] = "ZZ-11-ZZ,100000998\n",
	[REF_CASES] = "ZAAK-2026-0099999,oud-type,Oude afdeling,open,"
	    "2026-03-01T09:00:00+01:00,,olduser,OLD-1,100000888;YY-22-YY;"
	    "100000010,2026-03-01T09:00:00+01:00\n",
	[REF_APPOINTMENTS] = "AFS-2026-009999,2026-03-02T10:00:00+01:00,"
	    "2026-03-02T10:10:00+01:00,olddesk,100000666,paspoort\n",
	[REF_WATCHLIST] = "100000149,vip,x\n1000001-49,protected,x\n"
	    "QQ-33-QQ,vip,x\n",
};

static char	*files[REF_NKINDS];
static size_t	 lens[REF_NKINDS];

/* Load kind k: the file, with its older extra rows when old is set. */
static void
load(struct ref *r, enum ref_kind k, int old)
{
	char	*data, *cause = NULL;
	size_t	 n = lens[k];

	data = xmalloc(n + strlen(extra[k]) + 1);
	memcpy(data, files[k], n);
	if (old) {
		memcpy(data + n, extra[k], strlen(extra[k]));
		n += strlen(extra[k]);
	}
	if (ref_load(r, k, data, n, ref_kind_file(k), &cause) != 0) {
		diag("%s: %s", ref_kind_file(k), cause);
		exit(1);
	}
	free(cause);
	free(data);
}

/* Load the positions from..REF_NKINDS-1, the older rows from old on. */
static void
load_from(struct ref *r, int from, int old)
{
	int	 i;

	for (i = from; i < REF_NKINDS; i++)
		load(r, ref_kind_at(i), i >= old);
	ref_finish(r);
}

#define SAME(x)	if ((a->x) != (b->x)) return (#x)
#define SAMEMEM(p, n) \
	if (((a->p == NULL) != (b->p == NULL)) || (a->p != NULL && \
	    memcmp(a->p, b->p, (n) * sizeof *a->p) != 0)) return (#p)

/* Every symbol of two tables the same string? */
static int
same_syms(const struct symtab *a, const struct symtab *b)
{
	uint32_t	 i;

	if (symtab_count(a) != symtab_count(b))
		return (0);
	for (i = 0; i < symtab_count(a); i++)
		if (strcmp(symtab_str(a, i), symtab_str(b, i)) != 0 ||
		    symtab_find(b, symtab_str(a, i),
		    strlen(symtab_str(a, i))) != i)
			return (0);
	return (1);
}

/* Are the subjects every row names numbered alike? */
static int
same_subjects(const struct ref *a, const struct ref *b)
{
	static const char *const keys[] = { "100000009", "100000010",
	    "100000095", "100000125", "12ABC3", "XX99XX", "100000999",
	    "100000998", "ZZ11ZZ", "100000888", "YY22YY", "100000666",
	    "QQ33QQ", "100000046", "100000113", "100000137" };
	size_t	 i;

	if (keytab_count(a->subjects) != keytab_count(b->subjects))
		return (0);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (ref_subject(a, keys[i]) != ref_subject(b, keys[i]))
			return (0);
	return (1);
}

/* The first field in which two stores differ, or NULL. */
static const char *
ref_differs(const struct ref *a, const struct ref *b)
{
	size_t	 i, nsym = keytab_count(a->subjects);

	if (!same_syms(a->names, b->names))
		return ("names");
	if (!same_syms(a->caseids, b->caseids))
		return ("caseids");
	if (!same_subjects(a, b))
		return ("subjects");
	SAME(nstaff); SAME(nstaff_by_name); SAME(npersons); SAME(ncases);
	SAME(nappts); SAME(poollen);
	SAMEMEM(staff, a->nstaff);
	SAMEMEM(staff_by_name, a->nstaff_by_name);
	SAMEMEM(subj, nsym);
	SAMEMEM(case_by_id, symtab_count(a->caseids));
	SAMEMEM(pool, a->poollen);
	SAMEMEM(resident_pc4, 10000);
	for (i = 0; i < a->ncases; i++) {
		SAME(cases[i].id); SAME(cases[i].type); SAME(cases[i].dept);
		SAME(cases[i].team); SAME(cases[i].opened);
		SAME(cases[i].closed); SAME(cases[i].registered);
		SAME(cases[i].assign_off); SAME(cases[i].nassign);
		SAME(cases[i].nsubj); SAME(cases[i].type_permille);
	}
	for (i = 0; i < a->nappts; i++) {
		SAME(appts[i].start); SAME(appts[i].end); SAME(appts[i].desk);
		SAME(appts[i].bsn); SAME(appts[i].day);
	}
	SAMEMEM(sc_off, nsym + 1);
	SAMEMEM(sc, a->sc_off[nsym]);
	SAMEMEM(sa_off, nsym + 1);
	SAMEMEM(sa, a->sa_off[nsym]);
	SAMEMEM(ua_off, symtab_count(a->names) + 1);
	SAMEMEM(ua, a->ua_off[symtab_count(a->names)]);
	return (NULL);
}

int
main(void)
{
	struct ref	*full, *old, *r;
	const char	*why;
	char		 rel[256];
	int		 k, npos;

	for (k = 0; k < REF_NKINDS; k++) {
		snprintf(rel, sizeof rel, "rules/tests/%s",
		    ref_kind_file((enum ref_kind)k));
		if ((files[k] = test_slurp(rel, &lens[k])) == NULL) {
			diag("cannot read %s", rel);
			return (1);
		}
	}
	full = ref_new();
	load_from(full, 0, REF_NKINDS);
	ok(full->nstaff > 0 && full->ncases > 0 && full->nappts > 0,
	    "the test data loads");
	for (npos = 1; npos <= REF_NKINDS; npos++) {
		old = ref_new();
		load_from(old, 0, npos);
		r = ref_carry(old, npos);
		ok(r != NULL, "carry %d kinds", npos);
		ref_free(old);		/* nothing points back into it */
		load_from(r, npos, REF_NKINDS);
		why = ref_differs(full, r);
		ok(why == NULL, "carry %d kinds (%s ...), load the rest: the "
		    "full load's store (differs in %s)", npos,
		    ref_kind_name(ref_kind_at(npos - 1)), why ? why : "nothing");
		is_int(r->carried, npos, "the store says what it carried");
		ref_free(r);
	}
	/* A store loaded out of order (staff first) carries nothing. */
	old = test_ref_load();
	ok(old != NULL && ref_carry(old, 1) == NULL,
	    "no carry from kinds loaded out of order");
	ref_free(old);
	/* A holder keeps a store alive after its owner lets go. */
	ref_hold(full);
	ref_free(full);
	is_int(full->ncases > 0, 1, "held store still there");
	ref_free(full);
	for (k = 0; k < REF_NKINDS; k++)
		free(files[k]);
	return (done_testing());
}
