/*
 * bench_parse.c: lines per second of the line parser over an uncompressed
 * log held in memory (no I/O in the loop).
 *   bench_parse definition.yaml log [rounds]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parse/parser.h"
#include "parse/srcdef.h"
#include "util/buf.h"

/* Read a file into a buffer. */
static void
slurp(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[65536];
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
}

int
main(int argc, char **argv)
{
	struct buf	 def, log;
	struct srcdef	*sd;
	struct parser	*p;
	struct lookup	 ev;
	struct timespec	 t0, t1;
	const char	*s, *end, *nl, *reason;
	char		*cause;
	unsigned long	 lines = 0, events = 0;
	int		 r, rounds = argc > 3 ? atoi(argv[3]) : 3;
	double		 secs;

	if (argc < 3)
		return (2);
	buf_init(&def);
	buf_init(&log);
	slurp(argv[1], &def);
	slurp(argv[2], &log);
	if ((sd = srcdef_load(argv[1], (char *)def.data, def.len, &cause)) ==
	    NULL) {
		fprintf(stderr, "%s\n", cause);
		return (1);
	}
	p = parser_new(sd);
	lookup_init(&ev);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; r < rounds; r++) {
		s = (const char *)log.data;
		end = s + log.len;
		while (s < end) {
			if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
				nl = end;
			lines++;
			if (parser_line(p, s, (size_t)(nl - s), &ev, &reason) ==
			    PARSE_EVENT)
				events++;
			s = nl + 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%lu lines (%lu events) in %.3f s: %.0f lines/s, %.0f MB/s\n",
	    lines, events, secs, lines / secs,
	    (double)log.len * rounds / secs / 1e6);
	lookup_free(&ev);
	parser_free(p);
	srcdef_free(sd);
	buf_free(&def);
	buf_free(&log);
	return (0);
}
