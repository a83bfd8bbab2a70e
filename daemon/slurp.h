/* slurp.h: reading whole files (plain or gzip) and rule and reference folders. */
#ifndef WACHTER_SLURP_H
#define WACHTER_SLURP_H

#include "enrich/ref.h"
#include "rules/rule.h"
#include "util/buf.h"

/* One piece of whole rows, header first; skip: file lines before its rows. */
typedef int	(*slurp_piece_fn)(void *, const char *, size_t, size_t,
		    char **);

int		 slurp_file(const char *, struct buf *, char **);
int		 slurp_csv(const char *, slurp_piece_fn, void *, char **);
struct ruleset	*slurp_rules(const char *, char **);
struct ref	*slurp_ref(const char *, int, char **);

#endif
