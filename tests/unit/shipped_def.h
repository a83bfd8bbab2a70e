/*
 * shipped_def.h: load one of the source definitions shipped in
 * contrib/sources by name, for the tests and fuzzers that hold a parser to
 * the real definitions (test_jpath, fuzz_jpath, fuzz_parser). lib/ reads
 * no files, so the reading is here.
 */
#include <stdio.h>
#include <stdlib.h>

#include "parse/srcdef.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* DIR/NAME.yaml loaded, or NULL with *cause set. */
static inline struct srcdef *
shipped_def(const char *dir, const char *name, char **cause)
{
	char		*path;
	char		 chunk[4096];
	struct buf	 b;
	struct srcdef	*sd = NULL;
	FILE		*f;
	size_t		 n;

	xasprintf(&path, "%s/%s.yaml", dir, name);
	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: cannot open", path);
		free(path);
		return (NULL);
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	sd = srcdef_load(path, (const char *)b.data, b.len, cause);
	buf_free(&b);
	free(path);
	return (sd);
}
