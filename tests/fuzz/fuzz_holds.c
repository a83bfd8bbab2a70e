/*
 * fuzz_holds.c: libFuzzer harness for the engine state read back from the
 * database after a restart (engine_holds_import, util/tsv.c): held lookups
 * and open incidents. The database is not trusted more than a log. The
 * input is read as it is, and once more sealed with the hash line the
 * exporter writes, so the fuzzer gets past the hash check.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "enrich/ref.h"
#include "enrich/symtab.h"
#include "rules/engine.h"
#include "rules/rule.h"
#include "util/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct ruleset	*rs;
	static struct ref	*ref;
	struct engine_settings	 set;
	struct engine		*e;
	struct buf		 b;
	char			*cause = NULL;
	int			 k;

	if (rs == NULL) {
		rs = ruleset_new();
		ref = ref_new();
		ref_finish(ref);
	}
	buf_init(&b);
	buf_add(&b, data, len);
	buf_printf(&b, "end\t%016llx\n",
	    (unsigned long long)symtab_hash((const char *)data, len));
	for (k = 0; k < 2; k++) {
		engine_defaults(&set);
		e = engine_new(rs, ref, &set);
		if (engine_holds_import(e, k ? (const char *)b.data :
		    (const char *)data, k ? b.len : len, &cause) != 0) {
			if (cause == NULL)
				abort();
			free(cause);
			cause = NULL;
		}
		engine_free(e);
	}
	buf_free(&b);
	return (0);
}
