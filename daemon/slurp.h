/* slurp.h: reading whole files (plain or gzip) and rule and reference folders. */
#ifndef WACHTER_SLURP_H
#define WACHTER_SLURP_H

#include "enrich/ref.h"
#include "rules/rule.h"
#include "util/buf.h"

int		 slurp_file(const char *, struct buf *, char **);
struct ruleset	*slurp_rules(const char *, char **);
struct ref	*slurp_ref(const char *, int, char **);

#endif
