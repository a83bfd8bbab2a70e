/*
 * fuzz_conf.c: libFuzzer harness for the configuration parser; a
 * configuration that parses is searched for a source.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "conf/conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct conf	*c = NULL;
	char		*cause = NULL;

	if (conf_parse("fuzz.conf", (const char *)data, len, &c,
	    &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
		return (0);
	}
	(void)conf_find_source(c, "brp");
	conf_free(c);
	return (0);
}
