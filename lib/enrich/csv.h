/* csv.h: an RFC 4180 reader over a buffer, one row at a time. */
#ifndef WACHTER_CSV_H
#define WACHTER_CSV_H

#include <stddef.h>

#define CSV_MAXCOLS	32

struct csv {
	const char	*p;
	const char	*end;
	size_t		 line;		/* line the current row starts on */
	size_t		 next_line;
	char		*row;		/* unquoted cells, NUL-separated */
	size_t		 rowcap;
	size_t		 ncols;
	const char	*cols[CSV_MAXCOLS];
	size_t		 lens[CSV_MAXCOLS];
};

/*
 * Where rows end in bytes fed one at a time, read as csv_next reads them
 * (for loading a large file in pieces of whole rows).
 */
struct csv_scan {
	int		 quoted;	/* inside a quoted cell */
	int		 closing;	/* ... just after a quote in it */
	int		 cellstart;	/* where a cell begins */
};

void	 csv_scan_init(struct csv_scan *);
int	 csv_scan_row_end(struct csv_scan *, const char *, size_t, size_t *);
void	 csv_init(struct csv *, const char *, size_t);
void	 csv_free(struct csv *);
int	 csv_next(struct csv *, char **);
int	 csv_header(struct csv *, const char *const *, size_t, int *, char **);

#endif
