/*
 * csv.c: RFC 4180 rows: comma-separated, cells in double quotes may hold
 * commas, quotes ("") and line breaks. The reader copies the unquoted
 * cells of one row into a buffer it reuses, so a file costs one buffer.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "enrich/csv.h"
#include "util/xmalloc.h"

/* Start reading a buffer. */
void
csv_init(struct csv *c, const char *data, size_t len)
{
	memset(c, 0, sizeof *c);
	c->p = data;
	c->end = data + len;
	c->next_line = 1;
}

/* Free the row buffer. */
void
csv_free(struct csv *c)
{
	free(c->row);
	c->row = NULL;
}

/* Make room for n more bytes in the row buffer. */
static void
csv_reserve(struct csv *c, size_t used, size_t n)
{
	while (used + n > c->rowcap) {
		c->rowcap = c->rowcap ? c->rowcap * 2 : 1024;
		c->row = xreallocarray(c->row, 1, c->rowcap);
	}
}

/* Read one cell into the row buffer at *used; return the separator. */
static int
csv_cell(struct csv *c, size_t *used, char **cause)
{
	int	 quoted = 0, ch;

	if (c->p < c->end && *c->p == '"') {
		quoted = 1;
		c->p++;
	}
	for (;;) {
		if (c->p >= c->end) {
			if (quoted) {
				*cause = xstrdup("quoted cell not closed");
				return (-2);
			}
			return (-1);
		}
		ch = (unsigned char)*c->p++;
		if (quoted && ch == '"') {
			if (c->p < c->end && *c->p == '"') {
				c->p++;
				goto add;
			}
			quoted = 0;
			continue;
		}
		if (!quoted && (ch == ',' || ch == '\n'))
			return (ch);
		if (!quoted && ch == '\r')
			continue;
		if (ch == '\n')
			c->next_line++;
add:
		csv_reserve(c, *used, 1);
		c->row[(*used)++] = (char)ch;
	}
}

/* Read the next row: 1 a row, 0 end of data, -1 error in *cause. */
int
csv_next(struct csv *c, char **cause)
{
	size_t	 used = 0, start[CSV_MAXCOLS];
	int	 sep, i;

	while (c->p < c->end && *c->p == '\n') {
		c->p++;
		c->next_line++;
	}
	if (c->p >= c->end)
		return (0);
	c->line = c->next_line;
	c->ncols = 0;
	do {
		if (c->ncols == CSV_MAXCOLS) {
			*cause = xstrdup("too many columns");
			return (-1);
		}
		start[c->ncols] = used;
		sep = csv_cell(c, &used, cause);
		if (sep == -2)
			return (-1);
		c->lens[c->ncols] = used - start[c->ncols];
		c->ncols++;
		csv_reserve(c, used, 1);
		c->row[used++] = '\0';
	} while (sep == ',');
	c->next_line++;
	for (i = 0; i < (int)c->ncols; i++)
		c->cols[i] = c->row + start[i];
	return (1);
}

/*
 * Read the header row and map each wanted column name to its index in
 * idx (-1 when absent); a missing required column is an error.
 */
int
csv_header(struct csv *c, const char *const *names, size_t n, int *idx,
    char **cause)
{
	size_t	 i, j;
	int	 r;

	if ((r = csv_next(c, cause)) <= 0) {
		if (r == 0)
			*cause = xstrdup("empty file, no header");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		idx[i] = -1;
		for (j = 0; j < c->ncols; j++)
			if (strcmp(c->cols[j], names[i]) == 0)
				idx[i] = (int)j;
		if (idx[i] == -1) {
			xasprintf(cause, "header lacks column '%s'", names[i]);
			return (-1);
		}
	}
	return (0);
}

/* Start scanning at the beginning of a file. */
void
csv_scan_init(struct csv_scan *cs)
{
	memset(cs, 0, sizeof *cs);
	cs->cellstart = 1;
}

/*
 * Scan from *at to the first newline (or to len); advance *at past it.
 * Returns 1 when that newline ends a row, 0 when it lies inside a quoted
 * cell, -1 when the bytes ran out. A cell is quoted only when it opens
 * with a quote, "" inside it is a quote and any other quote is text, as
 * csv_cell reads it.
 */
int
csv_scan_row_end(struct csv_scan *cs, const char *d, size_t len, size_t *at)
{
	char	 ch;

	while (*at < len) {
		ch = d[(*at)++];
		if (cs->closing) {
			cs->closing = 0;
			if (ch == '"')
				continue;
			cs->quoted = 0;
		}
		if (cs->quoted) {
			if (ch == '"')
				cs->closing = 1;
			else if (ch == '\n')
				return (0);
			continue;
		}
		if (ch == '"' && cs->cellstart) {
			cs->quoted = 1;
			cs->cellstart = 0;
			continue;
		}
		cs->cellstart = ch == ',' || ch == '\n';
		if (ch == '\n')
			return (1);
	}
	return (-1);
}
