/*
 * lines.c: a line reader over zlib's gzread, which reads gzip and plain
 * files alike. A line longer than the limit is returned cut to the limit
 * with its full length, and the rest of it is skipped without buffering.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lines.h"
#include "util/xmalloc.h"

#define LINES_CHUNK	(256 * 1024)

struct lines {
	gzFile		 gz;
	char		*path;
	char		*buf;
	size_t		 cap;
	size_t		 start;		/* first unread byte */
	size_t		 end;		/* end of data */
	size_t		 max;
	size_t		 base;		/* bytes before it hold a cut line */
	uint64_t	 offset;	/* of buf[start] */
	uint64_t	 lineno;
	int		 eof;
};

/* Open a file; max bounds the bytes kept of one line. */
struct lines *
lines_open(const char *path, size_t max, char **cause)
{
	struct lines	*l;
	gzFile		 gz;

	if ((gz = gzopen(path, "rb")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno ? errno :
		    ENOMEM));
		return (NULL);
	}
	gzbuffer(gz, 128 * 1024);
	l = xcalloc(1, sizeof *l);
	l->gz = gz;
	l->path = xstrdup(path);
	l->max = max;
	l->cap = max + LINES_CHUNK;
	l->buf = xmalloc(l->cap);
	return (l);
}

/* Read more bytes after the held ones; -1 on a read error. */
static int
lines_fill(struct lines *l, char **cause)
{
	int	 n, err;

	if (l->start > l->base) {
		memmove(l->buf + l->base, l->buf + l->start, l->end - l->start);
		l->end = l->base + (l->end - l->start);
		l->start = l->base;
	}
	n = gzread(l->gz, l->buf + l->end, (unsigned)(l->cap - l->end));
	if (n < 0) {
		xasprintf(cause, "%s: %s", l->path, gzerror(l->gz, &err));
		return (-1);
	}
	if (n == 0)
		l->eof = 1;
	l->end += (size_t)n;
	return (0);
}

/* Skip the rest of an over-long line; count its bytes into ln->full. */
static int
lines_skip(struct lines *l, struct line *ln, char **cause)
{
	char	*nl;

	for (;;) {
		nl = memchr(l->buf + l->start, '\n', l->end - l->start);
		if (nl != NULL) {
			ln->full += (size_t)(nl - (l->buf + l->start));
			l->offset += (uint64_t)(nl - (l->buf + l->start)) + 1;
			l->start = (size_t)(nl - l->buf) + 1;
			return (0);
		}
		ln->full += l->end - l->start;
		l->offset += l->end - l->start;
		l->start = l->end = l->base;
		if (l->eof)
			return (0);
		if (lines_fill(l, cause) != 0)
			return (-1);
	}
}

/*
 * The next line: 1 when one is returned, 0 at the end of the file, -1 on
 * error. A last line without a newline is returned too. The data stays
 * valid until the next call.
 */
int
lines_next(struct lines *l, struct line *ln, char **cause)
{
	char	*nl;
	size_t	 have;

	l->base = 0;
	for (;;) {
		have = l->end - l->start;
		nl = memchr(l->buf + l->start, '\n', have);
		if (nl != NULL || have > l->max || (l->eof && have > 0))
			break;
		if (l->eof)
			return (0);
		if (lines_fill(l, cause) != 0)
			return (-1);
	}
	ln->data = l->buf + l->start;
	ln->offset = l->offset;
	ln->lineno = ++l->lineno;
	if (nl != NULL && (size_t)(nl - ln->data) <= l->max) {
		ln->len = ln->full = (size_t)(nl - ln->data);
		l->start += ln->len + 1;
		l->offset += ln->len + 1;
		return (1);
	}
	if (have <= l->max) {
		ln->len = ln->full = have;
		l->start = l->end;
		l->offset += have;
		return (1);
	}
	/* Too long: keep the first max bytes at the front, drop the rest. */
	memmove(l->buf, ln->data, have);
	ln->data = l->buf;
	ln->len = ln->full = l->max;
	l->base = l->start = l->max;
	l->end = have;
	l->offset += l->max;
	return (lines_skip(l, ln, cause) != 0 ? -1 : 1);
}

/* Close the file. */
void
lines_close(struct lines *l)
{
	if (l == NULL)
		return;
	gzclose(l->gz);
	free(l->path);
	free(l->buf);
	free(l);
}
