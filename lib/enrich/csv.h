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

void	 csv_init(struct csv *, const char *, size_t);
void	 csv_free(struct csv *);
int	 csv_next(struct csv *, char **);
int	 csv_header(struct csv *, const char *const *, size_t, int *, char **);

#endif
