/*
 * lines.h: read a whole plain or gzip file line by line (for CLI commands
 * that read corpus files; the daemon tails with daemon/source/).
 */
#ifndef WACHTER_LINES_H
#define WACHTER_LINES_H

#include <stddef.h>
#include <stdint.h>

struct lines;

/* One line: bytes without the newline, cut at the reader's limit. */
struct line {
	const char	*data;
	size_t		 len;		/* bytes held (<= the limit) */
	size_t		 full;		/* bytes the line really had */
	uint64_t	 offset;	/* of its first byte, uncompressed */
	uint64_t	 lineno;	/* 1-based */
};

struct lines	*lines_open(const char *, size_t, char **)
		    __attribute__((warn_unused_result));
int		 lines_next(struct lines *, struct line *, char **)
		    __attribute__((warn_unused_result));
void		 lines_close(struct lines *);

#endif
