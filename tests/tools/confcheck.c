/*
 * confcheck.c: parse a wachter.conf with the daemon's parser and print
 * "configuration OK" or every error; a test tool until wachterd -n exists.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "conf/conf.h"
#include "util/buf.h"

int
main(int argc, char **argv)
{
	struct conf	*c;
	struct buf	 b;
	FILE		*f;
	char		 chunk[4096], *cause = NULL;
	size_t		 n;

	if (argc != 2 || (f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: confcheck FILE\n");
		return (2);
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (conf_parse(argv[1], (const char *)b.data, b.len, &c, &cause) != 0) {
		fprintf(stderr, "%s", cause);
		free(cause);
		buf_free(&b);
		return (1);
	}
	printf("configuration OK\n");
	conf_free(c);
	buf_free(&b);
	return (0);
}
