/* fuzz_json.c: libFuzzer harness for the JSON scanner and path lookup. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse/json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct json	 j;
	static int		 init;
	static const char	*paths[] = { "a", "a.b", "query.x.0", "0",
	    "headers.x-gebruiker", "a.b.c.d" };
	const char		*reason;
	char			 buf[64];
	size_t			 i, n;
	uint32_t		 t;

	if (!init) {
		json_init(&j, 512, JSON_DEPTH_MAX);
		init = 1;
	}
	if (json_parse(&j, (const char *)data, len, &reason) != 0)
		return (0);
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
		(void)json_get(&j, 0, paths[i], strlen(paths[i]), (int)(i & 1));
	for (t = 0; t < j.ntok; t++) {
		if (json_str(&j, (int)t, buf, sizeof buf, &n) == 0 &&
		    n >= sizeof buf)
			abort();
		(void)json_child(&j, (int)t, 1);
	}
	return (0);
}
