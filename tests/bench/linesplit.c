/*
 * linesplit.c: the floor any log reader stands on: read files in large
 * blocks and split them into lines with memchr, touching nothing else.
 * Prints the lines, bytes and CPU seconds, and lines per CPU second
 * (the machines this runs on are shared: waiting for a core is no cost).
 *   linesplit FILE...
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK	(1 << 20)

/* Count the lines of one file; a last line without newline counts too. */
static int
linesplit_file(const char *path, char *blk, unsigned long long *lines,
    unsigned long long *bytes)
{
	const char	*p, *e, *nl;
	ssize_t		 n;
	int		 fd, open_line = 0;

	if ((fd = open(path, O_RDONLY)) == -1) {
		perror(path);
		return (-1);
	}
	while ((n = read(fd, blk, BLOCK)) > 0) {
		*bytes += (unsigned long long)n;
		for (p = blk, e = blk + n; p < e; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL) {
				open_line = 1;
				break;
			}
			(*lines)++;
			open_line = 0;
		}
	}
	close(fd);
	if (n < 0) {
		perror(path);
		return (-1);
	}
	*lines += (unsigned long long)open_line;
	return (0);
}

int
main(int argc, char **argv)
{
	struct timespec		 t0, t1;
	unsigned long long	 lines = 0, bytes = 0;
	double			 s;
	char			*blk;
	int			 i;

	if (argc < 2) {
		fprintf(stderr, "usage: linesplit FILE...\n");
		return (2);
	}
	if ((blk = malloc(BLOCK)) == NULL)
		return (1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (i = 1; i < argc; i++)
		if (linesplit_file(argv[i], blk, &lines, &bytes) != 0)
			return (1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("lines: %llu, bytes: %llu, cpu seconds: %.3f, lines/s: %.0f\n",
	    lines, bytes, s, s > 0 ? lines / s : 0.0);
	free(blk);
	return (0);
}
