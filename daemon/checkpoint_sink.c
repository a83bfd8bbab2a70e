/*
 * checkpoint_sink.c: append each checkpoint note to a file (meant to live
 * on another mount or host, e.g. an NFS export the database host cannot
 * rewrite) followed by a blank line, and fsync it; optionally log it to
 * syslog too, on one line. `wachter verify --since-checkpoint` reads the
 * file as it is.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "checkpoint_sink.h"
#include "util/buf.h"
#include "util/xmalloc.h"

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

/* Append one note and a blank line to path, then fsync. */
int
checkpoint_sink_append(const char *path, const char *note, size_t len,
    int use_syslog, char **cause)
{
	struct buf	 b;
	ssize_t		 n;
	int		 fd, rc = 0;

	if (use_syslog)
		checkpoint_sink_syslog(note, len);
	if (path == NULL)
		return (0);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	buf_init(&b);
	buf_add(&b, note, len);
	buf_addc(&b, '\n');
	n = write(fd, b.data, b.len);	/* one write: O_APPEND keeps it whole */
	if (n != (ssize_t)b.len || fsync(fd) != 0) {
		xasprintf(cause, "%s: %s", path, n < 0 || n == (ssize_t)b.len ?
		    strerror(errno) : "short write");
		rc = -1;
	}
	buf_free(&b);
	close(fd);
	return (rc);
}
