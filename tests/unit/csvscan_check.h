/*
 * csvscan_check.h: the property the piece loader rests on, shared by the
 * unit test and the fuzzer: reading data whole with csv_next gives the
 * same rows as reading it in pieces cut at row ends csv_scan_row_end
 * found (cut where the bits of mask say).
 */
#include <stdlib.h>
#include <string.h>

#include "enrich/csv.h"

#define CSVSCAN_ROWS	256

/* One read's rows: a digest of each row's cells, and how it ended. */
struct csvscan_read {
	unsigned long	 h[CSVSCAN_ROWS];
	int		 n;
	int		 err;
};

/* Add the rows of one piece. */
static void
csvscan_read_piece(struct csvscan_read *rd, const char *d, size_t len)
{
	struct csv	 c;
	char		*why = NULL;
	unsigned long	 h;
	size_t		 i, j;
	int		 rv;

	csv_init(&c, d, len);
	while (!rd->err && rd->n < CSVSCAN_ROWS &&
	    (rv = csv_next(&c, &why)) != 0) {
		if (rv < 0) {
			free(why);
			why = NULL;
			rd->err = 1;
			break;
		}
		h = 5381 + c.ncols;
		for (i = 0; i < c.ncols; i++)
			for (h = h * 33 + 7, j = 0; j < c.lens[i]; j++)
				h = h * 33 + (unsigned char)c.cols[i][j];
		rd->h[rd->n++] = h;
	}
	csv_free(&c);
}

/* 1 when whole and in pieces read the same. */
static int
csvscan_check(const char *d, size_t len, unsigned long mask)
{
	struct csvscan_read	 whole, pieces;
	struct csv_scan		 cs;
	size_t			 at = 0, from = 0;
	int			 end, k = 0;

	memset(&whole, 0, sizeof whole);
	memset(&pieces, 0, sizeof pieces);
	csvscan_read_piece(&whole, d, len);
	csv_scan_init(&cs);
	while ((end = csv_scan_row_end(&cs, d, len, &at)) != -1) {
		if (end == 1 && (mask >> (k++ % 64) & 1)) {
			csvscan_read_piece(&pieces, d + from, at - from);
			from = at;
		}
	}
	csvscan_read_piece(&pieces, d + from, len - from);
	return (whole.n == pieces.n && whole.err == pieces.err &&
	    memcmp(whole.h, pieces.h, sizeof whole.h[0] * (size_t)whole.n) == 0);
}
