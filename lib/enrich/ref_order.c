/*
 * ref_order.c: the cases in one order whatever order their rows came in.
 * When two cases explain a lookup equally well the first one in the store
 * is taken, and what is known of that case (its type, its life) feeds the
 * rules; wachter eval reads cases.csv in the municipality's order and
 * wachterd reads them from PostgreSQL in the server's. Both sort them here
 * by case id, bytewise (a canonical id is 17 bytes of ASCII), the rows of
 * an id given twice in the order they came, so eval and the daemon decide
 * alike from the same rows in any order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "enrich/ref.h"
#include "enrich/symtab.h"
#include "util/xmalloc.h"

#define CASEID_LEN	17	/* "ZAAK-" and 12 more (ref_row_case) */

struct case_key {
	char		 id[CASEID_LEN];
	uint32_t	 idx;		/* position as loaded */
};

static int
case_key_cmp(const void *a, const void *b)
{
	const struct case_key	*x = a, *y = b;
	int			 c;

	if ((c = memcmp(x->id, y->id, CASEID_LEN)) != 0)
		return (c);
	return ((x->idx > y->idx) - (x->idx < y->idx));
}

/* Whether the cases are in order already (the usual case: no copy). */
static int
cases_in_order(const struct ref *r)
{
	const char	*prev = NULL, *id;
	size_t		 i;

	for (i = 0; i < r->ncases; i++) {
		id = symtab_str(r->caseids, r->cases[i].id);
		if (prev != NULL && memcmp(prev, id, CASEID_LEN) > 0)
			return (0);
		prev = id;
	}
	return (1);
}

/* Move the cases so that new position i holds the one loaded at from[i]. */
static void
cases_permute(struct ref *r, const struct case_key *from)
{
	struct refcase	 tmp;
	uint8_t		*done;
	size_t		 i, j, k;

	done = xcalloc(r->ncases, 1);
	for (i = 0; i < r->ncases; i++) {
		if (done[i] || from[i].idx == i)
			continue;
		tmp = r->cases[i];
		for (j = i; (k = from[j].idx) != i; j = k) {
			r->cases[j] = r->cases[k];
			done[j] = 1;
		}
		r->cases[j] = tmp;
		done[j] = 1;
	}
	free(done);
}

/*
 * Sort the cases by id and point every id at its case again (the last row
 * of an id given twice, as when loading).
 */
void
ref_order_cases(struct ref *r)
{
	struct case_key	*keys;
	size_t		 i;

	if (r->ncases < 2 || cases_in_order(r))
		return;
	keys = xreallocarray(NULL, r->ncases, sizeof *keys);
	for (i = 0; i < r->ncases; i++) {
		memcpy(keys[i].id, symtab_str(r->caseids, r->cases[i].id),
		    CASEID_LEN);
		keys[i].idx = (uint32_t)i;
	}
	qsort(keys, r->ncases, sizeof *keys, case_key_cmp);
	cases_permute(r, keys);
	free(keys);
	if (r->case_by_id == NULL)
		r->case_by_id = xreallocarray(NULL, symtab_count(r->caseids),
		    sizeof *r->case_by_id);
	for (i = 0; i < r->ncases; i++)
		r->case_by_id[r->cases[i].id] = (int32_t)i;
}
