/*
 * fuzz_srcdef.c: libFuzzer harness for the source-definition loader; a
 * definition that loads is run over a few lines.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parser.h"
#include "parse/srcdef.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *lines[] = {
	("{\"a\":\"1\",\"t\":\"2026-03-02T05:25:33.632+01:00\",\"q\":"
	"{\"b\":[\"123456782\",\"x\"]},\"h\":{\"X-U\":\"u\"}}"),
	"2026-03-02 07:00:10;a;b;PJ919J;ZAAK-1;x;123456782;r1",
	"a,b,c",
	"",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct srcdef	*sd;
	struct parser	*p;
	struct lookup	 ev;
	const char	*reason;
	char		*cause = NULL;
	size_t		 i;

	sd = srcdef_load("fuzz.yaml", (const char *)data, len, &cause);
	if (sd == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
		return (0);
	}
	p = parser_new(sd);
	lookup_init(&ev);
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		(void)parser_line(p, lines[i], strlen(lines[i]), &ev, &reason);
	lookup_free(&ev);
	parser_free(p);
	srcdef_free(sd);
	return (0);
}
