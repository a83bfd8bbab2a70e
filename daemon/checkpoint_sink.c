/*
 * checkpoint_sink.c: append each checkpoint note to a file (meant to live
 * on another mount or host, e.g. an NFS export the database host cannot
 * rewrite) followed by a blank line, and fsync it; optionally log it to
 * syslog too, on one line. `wachter verify --since-checkpoint` reads the
 * file as it is.
 *
 * The file must never hold a torn note before a whole one: the verifier
 * can only forgive a cut at the very end. So a short write is cut back
 * off at once, and before each append a tail left by a crash mid-write is
 * cut back to the end of the last whole note. A failed append is the
 * caller's to retry (chainstore keeps the notes); the last outcome is kept
 * here for /metrics and /healthz.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "checkpoint_sink.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define SINK_TAIL	4096	/* bytes read back to find the last note's end */

static struct checkpoint_sink_status sink_status = { 1, 0, 0, NULL };

/* Log a note on one line: its newlines become " | ". */
static void
checkpoint_sink_syslog(const char *note, size_t len)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (note[i] == '\n')
			buf_adds(&b, i + 1 < len ? " | " : "");
		else
			buf_addc(&b, (uint8_t)note[i]);
	}
	syslog(LOG_NOTICE, "wachter checkpoint: %s", buf_cstr(&b));
	buf_free(&b);
}

/*
 * Whether "\n\n" at t[i - 1], t[i] ends a whole note: the line before it
 * is a signature line, opened by an em dash ("\xe2\x80\x94 "). at_start:
 * t starts at the start of the file (else its first line may be cut).
 */
static int
checkpoint_sink_is_end(const char *t, ssize_t i, int at_start)
{
	ssize_t	 ls = i - 2;

	if (ls < 0 || t[i - 1] != '\n' || t[i] != '\n')
		return (0);
	while (ls > 0 && t[ls - 1] != '\n')
		ls--;
	return (i - 1 - ls >= 4 && memcmp(t + ls, "\xe2\x80\x94 ", 4) == 0 &&
	    (ls > 0 || at_start));
}

/* Where the last whole note of a file ends (0: none), or -1 if unknown. */
static off_t
checkpoint_sink_tail(int fd, off_t size)
{
	char	 tail[SINK_TAIL];
	off_t	 from = size > SINK_TAIL ? size - SINK_TAIL : 0;
	ssize_t	 n, i;

	if ((n = pread(fd, tail, (size_t)(size - from), from)) != size - from)
		return (-1);
	for (i = n - 1; i >= 1; i--)
		if (checkpoint_sink_is_end(tail, i, from == 0))
			return (from + i + 1);
	return (from == 0 ? 0 : -1);
}

/* Cut a torn note (a crash mid-write) off the end of the file. */
static int
checkpoint_sink_repair(int fd, const char *path, char **cause)
{
	struct stat	 st;
	off_t		 end;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return (0);
	if ((end = checkpoint_sink_tail(fd, st.st_size)) == st.st_size)
		return (0);
	if (end < 0 || ftruncate(fd, end) != 0) {
		xasprintf(cause, "%s: ends in a torn note that cannot be cut "
		    "off: %s", path, end < 0 ? "no note end found" :
		    strerror(errno));
		return (-1);
	}
	return (0);
}

/* Write all of b at the end; on failure cut off what was written. */
static int
checkpoint_sink_write(int fd, const char *path, const struct buf *b,
    char **cause)
{
	struct stat	 st;
	ssize_t		 n;
	int		 saved;

	if (fstat(fd, &st) != 0)
		st.st_size = -1;
	n = write(fd, b->data, b->len);	/* one write: O_APPEND keeps it whole */
	if (n == (ssize_t)b->len && fsync(fd) == 0)
		return (0);
	saved = n < 0 || n == (ssize_t)b->len ? errno : ENOSPC;
	if (n > 0 && S_ISREG(st.st_mode) && st.st_size >= 0)
		(void)ftruncate(fd, st.st_size);
	xasprintf(cause, "%s: %s%s", path, strerror(saved),
	    n >= 0 && n < (ssize_t)b->len ? " (short write, cut off)" : "");
	return (-1);
}

/* Remember how the last append went. */
static int
checkpoint_sink_note(int rc, const char *cause)
{
	sink_status.ok = rc == 0;
	if (rc == 0)
		sink_status.written++;
	else {
		sink_status.failures++;
		free(sink_status.error);
		sink_status.error = xstrdup(cause);
	}
	return (rc);
}

/* Append notes (each ending in a blank line) to path, then fsync. */
int
checkpoint_sink_append(const char *path, const char *note, size_t len,
    int use_syslog, char **cause)
{
	struct buf	 b;
	int		 fd, rc;

	if (use_syslog)
		checkpoint_sink_syslog(note, len);
	if (path == NULL)
		return (0);
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1)
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (checkpoint_sink_note(-1, *cause));
	}
	buf_init(&b);
	buf_add(&b, note, len);
	buf_addc(&b, '\n');
	rc = checkpoint_sink_repair(fd, path, cause);
	if (rc == 0)
		rc = checkpoint_sink_write(fd, path, &b, cause);
	buf_free(&b);
	close(fd);
	return (checkpoint_sink_note(rc, rc != 0 ? *cause : NULL));
}

/* How the sink has fared (for /metrics and /healthz). */
const struct checkpoint_sink_status *
checkpoint_sink_status(void)
{
	return (&sink_status);
}
