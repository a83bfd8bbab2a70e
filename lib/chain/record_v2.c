/*
 * record_v2.c: what version 2 of the record adds to version 1
 * (docs/CHAIN.md section 1a). The layout is the same; the subjects field
 * holds keyed pseudonyms, never a BSN or plate, and a reader checks that
 * it does, so the promise "no citizen's identifier in the signed bytes"
 * is verifiable by anyone.
 */
#include "config.h"

#include "alert/pseudo.h"
#include "chain/record.h"
#include "util/xmalloc.h"

/* Every subject of a version 2 record is a handle. */
int
chain_record_v2_check(const struct alert *a, char **cause)
{
	size_t	 i;

	for (i = 0; i < a->nsubjects; i++) {
		if (!pseudo_is_handle(a->subjects[i])) {
			xasprintf(cause, "version 2 record: subject %zu is not "
			    "a pseudonym", i + 1);
			return (-1);
		}
	}
	return (0);
}
