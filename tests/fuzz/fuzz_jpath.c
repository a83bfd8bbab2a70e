/*
 * fuzz_jpath.c: libFuzzer harness for the one-walk path lookup against
 * json_get(); aborts on any difference. An even first byte picks a shipped
 * JSON definition and the rest is a line, parsed both ways (same lookup,
 * reason, damage and join key). An odd one: the rest is paths, one a line,
 * then a document, looked up both ways below every token (bit 1: header
 * names without case).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/srcdef.h"
#include "unit/jpath_check.h"
#include "unit/shipped_def.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *names[] = { "brp-audit-jsonl", "brp-gateway-jsonl",
    "ldv", "ldv-app-audit" };
#define NDEFS	(sizeof names / sizeof names[0])

static struct jpath_twin twins[NDEFS];
static struct json	 doc;

/* Load the shipped definitions once. */
static void
fuzz_init(void)
{
	char		*cause = NULL;
	struct srcdef	*sd;
	size_t		 i;

	for (i = 0; i < NDEFS; i++) {
		if ((sd = shipped_def(FUZZ_SOURCES, names[i], &cause)) == NULL)
			abort();
		jpath_twin_init(&twins[i], sd, sd);
	}
	json_init(&doc, 4096, 32);
	doc.lone_ok = 1;
}

/* Paths, one a line, then the document: looked up both ways. */
static int
fuzz_paths(const char *data, size_t len, int icase)
{
	const char	*paths[16], *reason;
	char		*copy, *s, *nl;
	size_t		 n = 0;
	int		 same = 1;

	copy = malloc(len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	for (s = copy; (nl = memchr(s, '\n', len - (size_t)(s - copy))) !=
	    NULL && n < 16; s = nl + 1) {
		*nl = '\0';
		if (*s != '\0')
			paths[n++] = s;
	}
	if (n > 0 && json_parse(&doc, s, len - (size_t)(s - copy),
	    &reason) == 0)
		same = jpath_same_paths(paths, n, icase, &doc);
	free(copy);
	return (same);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static int	 init;

	if (!init) {
		fuzz_init();
		init = 1;
	}
	if (len == 0)
		return (0);
	if (data[0] & 1) {
		if (!fuzz_paths((const char *)data + 1, len - 1,
		    (data[0] >> 1) & 1))
			abort();
		return (0);
	}
	if (!jpath_same_line(&twins[(data[0] >> 1) % NDEFS],
	    (const char *)data + 1, len - 1, NULL))
		abort();
	return (0);
}
