/*
 * fuzz_ref.c: libFuzzer harness for the reference CSV loader. The first
 * byte picks the kind (staff, persons, ...), the rest is the CSV; data
 * that loads is indexed and queried.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "enrich/ref.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ref	*r;
	enum ref_kind	 kind;
	char		*cause = NULL;

	if (len < 1)
		return (0);
	kind = (enum ref_kind)(data[0] % REF_NKINDS);
	r = ref_new();
	if (ref_load(r, kind, (const char *)data + 1, len - 1, "fuzz.csv",
	    &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
	} else {
		ref_finish(r);
		(void)ref_staff(r, "jbakker");
		(void)ref_subjinfo(r, ref_subject(r, "100000046"));
		(void)ref_case(r, "ZAAK-2026-0000001");
		(void)ref_resident(r, "7300AA");
	}
	ref_free(r);
	return (0);
}
