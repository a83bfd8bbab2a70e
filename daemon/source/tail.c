/*
 * tail.c: follow a log source like `tail -F`, and better.
 *
 * epoll refuses regular files, so files are polled with fstat on a timer.
 * A source is a path or a glob. Each file is known by device, inode and a
 * fingerprint of its first bytes (inodes are reused). Handled:
 *
 *  - rename-and-create: stat(path) names a new inode; the old descriptor is
 *    read to its end, and kept until it has been quiet for a while (the
 *    writer may not have reopened yet), then the new file is followed;
 *  - delete-and-recreate: the same, the old file having no links left;
 *  - copytruncate: the file shrinks or its first bytes change; the rest of
 *    the old content is read from the copy beside it when one is found;
 *  - restart: saved positions are matched by identity, also for a file
 *    renamed while the daemon was down.
 *
 * Only a path that does not exist (ENOENT) means rotation. Any other
 * failure to stat it (a folder made unreadable for a moment, an I/O
 * error, a directory put in the file's place) is waited out (and reported
 * by the daemon's health check): the open file is read on, and a
 * half-written line is not split.
 *
 * Files are read oldest first: a file that still holds lines after a
 * round's budget keeps the later ones (its successor after rotation, the
 * next dated file of a glob) waiting, so a backlog comes out in order.
 *
 * A partial last line is held until its newline arrives. A line longer
 * than max_line is handed out cut, flagged, and the rest skipped.
 *
 * History (wachter scan): instead of a path, a fixed list of files that
 * no longer grow, plain or gzip, read one after the other, each finished
 * at its end. A gzip file's positions count its uncompressed bytes; to
 * resume inside one, it is decompressed again up to the position.
 */
#include "config.h"

#include <sys/queue.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <zlib.h>

#include "log.h"
#include "source/tail.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#ifndef TAILQ_FOREACH_SAFE	/* glibc's sys/queue.h lacks it */
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))
#endif

#define TAIL_READ	(256 * 1024)	/* bytes per read */
#define TAIL_BUDGET	(4 * 1024 * 1024)	/* bytes read per round */
#define TAIL_QUIET	(5 * INT64_C(1000000))	/* a rotated file is done */

struct tail_file {
	char		*path;
	int		 fd;
	uint64_t	 dev;
	uint64_t	 ino;
	uint8_t		 fp[TAIL_FP_MAX];
	size_t		 fplen;
	uint64_t	 rdoff;		/* next byte to read */
	uint64_t	 lineoff;	/* file offset of buf.data[start] */
	struct buf	 buf;
	size_t		 start;		/* handed-out bytes at buf's front */
	int		 skipping;	/* inside an overlong line */
	uint64_t	 skipoff;	/* where it began */
	struct buf	 head;		/* its first max_line bytes */
	int		 rotated;	/* no longer at the source path */
	int64_t		 last_growth;
	gzFile		 gz;		/* history: a gzip file, or NULL */
	int		 eof;		/* history: read to its end */
	TAILQ_ENTRY(tail_file) entry;
};
TAILQ_HEAD(tail_files, tail_file);

struct tail_saved {
	struct tail_pos	 pos;
	char		*path;
};

struct tail {
	char		*name;
	char		*pattern;
	int		 is_glob;
	size_t		 max_line;
	struct event	*timer;
	struct timeval	 interval;
	tail_line_cb	 line_cb;
	tail_note_cb	 note_cb;
	void		*arg;
	int		 paused;
	struct tail_files files;	/* oldest first */
	struct tail_saved *saved;
	size_t		 nsaved;
	char		**history;	/* files to read in order, or NULL */
	uint64_t	*historysize;	/* their sizes on disk */
	size_t		 nhistory;
	size_t		 nexthistory;	/* the next one to open */
};

static void	tail_poll(int, short, void *);

/* Microseconds on the monotonic clock. */
static int64_t
tail_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* Tell the owner something about a file (rotation, truncation, ...). */
static void
tail_note(struct tail *t, const char *what, const char *path)
{
	char	 msg[1024];

	if (t->note_cb == NULL)
		return;
	snprintf(msg, sizeof msg, "source %s: %s: %s", t->name, path, what);
	t->note_cb(t->arg, msg);
}

/* Create a tail for one source; nothing is read before tail_start. */
struct tail *
tail_new(struct event_base *base, const char *name, const char *pattern,
    int64_t poll_us, size_t max_line, tail_line_cb line_cb,
    tail_note_cb note_cb, void *arg)
{
	struct tail	*t;

	t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->pattern = xstrdup(pattern);
	t->is_glob = strpbrk(pattern, "*?[") != NULL;
	t->max_line = max_line;
	t->line_cb = line_cb;
	t->note_cb = note_cb;
	t->arg = arg;
	t->interval.tv_sec = poll_us / 1000000;
	t->interval.tv_usec = poll_us % 1000000;
	TAILQ_INIT(&t->files);
	t->timer = evtimer_new(base, tail_poll, t);
	return (t);
}

/* Remember a position saved in the database, to resume from. */
void
tail_saved(struct tail *t, const struct tail_pos *p)
{
	struct tail_saved	*s;

	t->saved = xreallocarray(t->saved, t->nsaved + 1, sizeof *t->saved);
	s = &t->saved[t->nsaved++];
	s->pos = *p;
	s->path = xstrdup(p->path);
	s->pos.path = s->path;
}

/*
 * Read these files, in this order, instead of following the path: history
 * that no longer grows (wachter scan). Call before tail_start.
 */
void
tail_history(struct tail *t, char *const *paths, size_t n)
{
	struct stat	 st;
	size_t		 i;

	t->history = xcalloc(n, sizeof *t->history);
	t->historysize = xcalloc(n, sizeof *t->historysize);
	for (i = 0; i < n; i++) {
		t->history[i] = xstrdup(paths[i]);
		if (stat(paths[i], &st) == 0)
			t->historysize[i] = (uint64_t)st.st_size;
	}
	t->nhistory = n;
}

/* Read up to TAIL_FP_MAX bytes of a file's start. */
static size_t
tail_read_fp(int fd, uint8_t *fp)
{
	ssize_t	 n;

	n = pread(fd, fp, TAIL_FP_MAX, 0);
	return (n > 0 ? (size_t)n : 0);
}

/* Whether a saved fingerprint is the start of this file. */
static int
tail_fp_matches(const uint8_t *have, size_t havelen, const uint8_t *saved,
    size_t savedlen)
{
	if (savedlen == 0 || havelen < savedlen)
		return (savedlen == 0);
	return (memcmp(have, saved, savedlen) == 0);
}

/* Find the saved position for a file identity, or NULL. */
static struct tail_saved *
tail_find_saved(struct tail *t, uint64_t dev, uint64_t ino,
    const uint8_t *fp, size_t fplen)
{
	size_t	 i;

	for (i = 0; i < t->nsaved; i++) {
		if (t->saved[i].pos.dev == dev && t->saved[i].pos.ino == ino &&
		    tail_fp_matches(fp, fplen, t->saved[i].pos.fp,
		    t->saved[i].pos.fplen))
			return (&t->saved[i]);
	}
	return (NULL);
}

/* The open file with this identity, or NULL. */
static struct tail_file *
tail_find_open(struct tail *t, uint64_t dev, uint64_t ino)
{
	struct tail_file	*f;

	TAILQ_FOREACH(f, &t->files, entry)
		if (f->dev == dev && f->ino == ino)
			return (f);
	return (NULL);
}

/*
 * A history file that starts like gzip is read through zlib, from a
 * descriptor of its own (gzclose closes it).
 */
static void
tail_gz_open(struct tail *t, struct tail_file *f)
{
	int	 fd;

	if (f->fplen < 2 || f->fp[0] != 0x1f || f->fp[1] != 0x8b)
		return;
	if ((fd = dup(f->fd)) == -1 || (f->gz = gzdopen(fd, "rb")) == NULL) {
		log_warn("source %s: %s: cannot read it as gzip", t->name,
		    f->path);
		if (fd != -1)
			close(fd);
		f->eof = 1;
		return;
	}
	(void)gzbuffer(f->gz, TAIL_READ);
}

/*
 * Read from where f was read up to: pread for a plain file, the next
 * bytes of the stream for gzip. A damaged gzip file ends there, loudly.
 */
static ssize_t
tail_pread(struct tail *t, struct tail_file *f, void *dst, size_t n)
{
	const char	*why;
	int		 rc, err;

	if (f->gz == NULL)
		return (pread(f->fd, dst, n, (off_t)f->rdoff));
	if ((rc = gzread(f->gz, dst, (unsigned)n)) >= 0)
		return (rc);
	why = gzerror(f->gz, &err);
	log_warnx("source %s: %s: gzip: %s; the rest of this file is not "
	    "read", t->name, f->path, why);
	return (0);
}

/*
 * Open a file and start it at its saved offset (or at from). Returns NULL
 * when it cannot be opened or holds nothing new.
 */
static struct tail_file *
tail_open(struct tail *t, const char *path, int64_t from)
{
	struct tail_file	*f;
	struct tail_saved	*s;
	struct stat		 st;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			log_warn("source %s: cannot open %s", t->name, path);
		return (NULL);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return (NULL);
	}
	f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->fplen = tail_read_fp(fd, f->fp);
	buf_init(&f->buf);
	buf_init(&f->head);
	f->last_growth = tail_now();
	s = tail_find_saved(t, f->dev, f->ino, f->fp, f->fplen);
	if (t->history != NULL)
		tail_gz_open(t, f);
	if (s != NULL && (f->gz != NULL || s->pos.end <= (uint64_t)st.st_size))
		f->rdoff = f->lineoff = s->pos.end;
	else if (from >= 0)
		f->rdoff = f->lineoff = (uint64_t)from;
	if (f->gz != NULL && f->rdoff > 0 &&
	    gzseek(f->gz, (z_off_t)f->rdoff, SEEK_SET) != (z_off_t)f->rdoff)
		f->eof = 1;		/* shorter than the saved position */
	TAILQ_INSERT_TAIL(&t->files, f, entry);
	tail_note(t, "reading", path);
	return (f);
}

/* Close and forget a file. */
static void
tail_close(struct tail *t, struct tail_file *f)
{
	TAILQ_REMOVE(&t->files, f, entry);
	if (f->gz != NULL)
		(void)gzclose(f->gz);
	close(f->fd);
	buf_free(&f->buf);
	buf_free(&f->head);
	free(f->path);
	free(f);
}

/* Fill a position for the line at [off, end) of f. */
static void
tail_fill_pos(struct tail_file *f, struct tail_pos *p, uint64_t off,
    uint64_t end)
{
	p->dev = f->dev;
	p->ino = f->ino;
	memcpy(p->fp, f->fp, f->fplen);
	p->fplen = f->fplen;
	p->path = f->path;
	p->off = off;
	p->end = end;
}

/* Hand one line to the owner; returns the callback's answer. */
static int
tail_emit(struct tail *t, struct tail_file *f, const char *line, size_t len,
    int flags, uint64_t off, uint64_t end)
{
	struct tail_pos	 p;

	if (f->fplen < TAIL_FP_MAX && end > f->fplen)
		f->fplen = tail_read_fp(f->fd, f->fp);
	tail_fill_pos(f, &p, off, end);
	return (t->line_cb(t->arg, line, len, flags, &p));
}

/* Drop handed-out bytes from the front of the buffer. */
static void
tail_compact(struct tail_file *f)
{
	buf_consume(&f->buf, f->start);
	f->start = 0;
}

/*
 * Start skipping an overlong line: keep its head (to quarantine it) and
 * remember where it began; it is handed out once its end is known.
 */
static void
tail_skip_start(struct tail *t, struct tail_file *f, const char *p)
{
	buf_reset(&f->head);
	buf_add(&f->head, p, t->max_line);
	f->skipping = 1;
	f->skipoff = f->lineoff;
}

/* Hand out an overlong line (its head) now that its end is known. */
static int
tail_skip_end(struct tail *t, struct tail_file *f, int flags)
{
	f->skipping = 0;
	return (tail_emit(t, f, (const char *)f->head.data, f->head.len,
	    TAIL_LINE_TOOLONG | flags, f->skipoff, f->lineoff));
}

/*
 * Hand out the complete lines in f's buffer. Returns 1 if the owner asked
 * to pause.
 */
static int
tail_lines(struct tail *t, struct tail_file *f)
{
	const char	*p, *nl;
	size_t		 avail, len;
	uint64_t	 off;

	for (;;) {
		if (f->buf.data == NULL)	/* nothing read yet */
			return (0);
		p = (const char *)f->buf.data + f->start;
		avail = f->buf.len - f->start;
		nl = memchr(p, '\n', avail);
		off = f->lineoff;
		if (nl == NULL) {
			if (avail > t->max_line && !f->skipping)
				tail_skip_start(t, f, p);
			if (f->skipping) {
				f->start += avail;
				f->lineoff += avail;
			}
			return (0);
		}
		len = (size_t)(nl - p);
		if (!f->skipping && len > t->max_line)
			tail_skip_start(t, f, p);
		f->start += len + 1;
		f->lineoff += len + 1;
		if (f->skipping) {
			if (tail_skip_end(t, f, 0) != 0)
				return (1);
			continue;
		}
		if (tail_emit(t, f, p, len, 0, off, off + len + 1) != 0)
			return (1);
	}
}

/*
 * Read what is new in f and hand out its lines, up to a budget per round so
 * one round cannot run for ever. Returns 1 if paused, 2 if the budget ran
 * out before the end of what the file holds.
 */
static int
tail_read(struct tail *t, struct tail_file *f)
{
	size_t	 done = 0;
	ssize_t	 n;

	if (tail_lines(t, f) != 0)
		return (1);
	/* History has no writer to keep up with: no budget. */
	while (!f->eof) {
		if (t->history == NULL && done >= TAIL_BUDGET)
			return (2);
		tail_compact(f);
		buf_reserve(&f->buf, TAIL_READ);
		n = tail_pread(t, f, f->buf.data + f->buf.len, TAIL_READ);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			f->eof = t->history != NULL;
			break;
		}
		f->buf.len += (size_t)n;
		f->rdoff += (uint64_t)n;
		done += (size_t)n;
		f->last_growth = tail_now();
		if (tail_lines(t, f) != 0)
			return (1);
	}
	return (0);
}

/*
 * After copytruncate, the copy beside the file holds what was written
 * between our last read and the truncation: find it by fingerprint.
 */
static void
tail_find_copy(struct tail *t, struct tail_file *f)
{
	char		*dup1, *dup2, *dir, *base, *p;
	DIR		*d;
	struct dirent	*de;
	struct tail_file *c;
	uint8_t		 fp[TAIL_FP_MAX];
	size_t		 fplen;
	struct stat	 st;
	int		 fd;

	dup1 = xstrdup(f->path);
	dup2 = xstrdup(f->path);
	dir = dirname(dup1);
	base = basename(dup2);
	if ((d = opendir(dir)) == NULL)
		goto out;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, base, strlen(base)) != 0 ||
		    strcmp(de->d_name, base) == 0)
			continue;
		xasprintf(&p, "%s/%s", dir, de->d_name);
		fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd != -1 && fstat(fd, &st) == 0 &&
		    (uint64_t)st.st_size > f->lineoff &&
		    (fplen = tail_read_fp(fd, fp)) >= f->fplen &&
		    memcmp(fp, f->fp, f->fplen) == 0) {
			close(fd);
			if ((c = tail_open(t, p, (int64_t)f->lineoff)) != NULL) {
				c->rotated = 1;
				tail_note(t, "reading the rest of the "
				    "truncated file from this copy", p);
			}
			free(p);
			break;
		}
		if (fd != -1)
			close(fd);
		free(p);
	}
	closedir(d);
out:
	free(dup1);
	free(dup2);
}

/*
 * Check whether f was truncated in place (copytruncate): it shrank, or its
 * first bytes are no longer the ones we saw. Start it again from 0.
 */
static void
tail_check_truncate(struct tail *t, struct tail_file *f)
{
	struct stat	 st;
	uint8_t		 fp[TAIL_FP_MAX];
	size_t		 fplen;

	if (t->history != NULL || fstat(f->fd, &st) != 0)
		return;		/* history does not change */
	fplen = tail_read_fp(f->fd, fp);
	if ((uint64_t)st.st_size >= f->rdoff &&
	    (f->fplen == 0 || (fplen >= f->fplen &&
	    memcmp(fp, f->fp, f->fplen) == 0)))
		return;
	tail_note(t, "truncated, reading it again from the start",
	    f->path);
	tail_find_copy(t, f);
	buf_reset(&f->buf);
	f->start = 0;
	f->skipping = 0;
	f->rdoff = f->lineoff = 0;
	f->fplen = fplen;
	memcpy(f->fp, fp, fplen);
}

/*
 * Remember how far a file was read when it is closed, so that a later
 * glob scan neither reads it again nor misses what is appended to it.
 */
static void
tail_remember(struct tail *t, struct tail_file *f)
{
	struct tail_saved	*s;
	struct tail_pos		 p;

	tail_fill_pos(f, &p, f->rdoff, f->rdoff);
	if ((s = tail_find_saved(t, f->dev, f->ino, f->fp, f->fplen)) != NULL) {
		s->pos.off = s->pos.end = f->rdoff;
		return;
	}
	tail_saved(t, &p);
}

/*
 * A rotated file that has been quiet at its end is finished. A last line
 * without newline is handed out flagged, never dropped.
 */
static int
tail_finish_rotated(struct tail *t, struct tail_file *f)
{
	const char	*p;
	size_t		 len;
	uint64_t	 off;

	if (!f->rotated || (t->history != NULL ? !f->eof :
	    tail_now() - f->last_growth < TAIL_QUIET))
		return (0);
	len = f->buf.len - f->start;
	if (t->history != NULL && f->gz == NULL && (len > 0 || f->skipping)) {
		/* Perhaps a line still being written: left for wachterd. */
		log_warnx("source %s: %s: the last line has no newline; it is "
		    "left unread", t->name, f->path);
	} else if (f->skipping) {
		if (tail_skip_end(t, f, TAIL_LINE_NOEOL) != 0)
			return (1);
	} else if (len > 0) {
		/* Handed out once, even if the owner pauses at it. */
		p = (const char *)f->buf.data + f->start;
		off = f->lineoff;
		f->start += len;
		f->lineoff += len;
		if (tail_emit(t, f, p, len > t->max_line ? t->max_line : len,
		    TAIL_LINE_NOEOL, off, off + len) != 0)
			return (1);
	}
	tail_note(t, t->history != NULL ? "read to its end" :
	    "rotated file read to its end", f->path);
	tail_remember(t, f);
	tail_close(t, f);
	return (0);
}

/*
 * stat the source path; something other than a regular file there fails
 * with EISDIR or EINVAL. Only ENOENT is a rotation: the daemon's health
 * check (health.c) reports the others, and the tail waits them out.
 */
static int
tail_stat_path(struct tail *t, struct stat *st)
{
	if (stat(t->pattern, st) != 0)
		return (-1);
	if (S_ISREG(st->st_mode))
		return (0);
	errno = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
	return (-1);
}

/* For a plain path: notice a new file at the path (rotation). */
static void
tail_check_path(struct tail *t)
{
	struct tail_file	*f, *cur;
	struct stat		 st;

	cur = TAILQ_LAST(&t->files, tail_files);
	if (cur != NULL && cur->rotated)
		cur = NULL;
	if (tail_stat_path(t, &st) != 0) {
		if (cur != NULL && errno == ENOENT) {
			cur->rotated = 1;
			tail_note(t, "removed or renamed", cur->path);
		}
		return;
	}
	if (cur != NULL && cur->dev == st.st_dev && cur->ino == st.st_ino)
		return;
	if ((f = tail_find_open(t, st.st_dev, st.st_ino)) != NULL)
		return;
	TAILQ_FOREACH(f, &t->files, entry)
		f->rotated = 1;
	(void)tail_open(t, t->pattern, 0);
}

/* For a glob: open matching files not yet followed (sorted by name). */
static void
tail_check_glob(struct tail *t)
{
	glob_t			 g;
	struct stat		 st;
	struct tail_saved	*s;
	struct tail_file	*f;
	uint8_t			 fp[TAIL_FP_MAX];
	size_t			 i, fplen;
	int			 fd;

	if (glob(t->pattern, 0, NULL, &g) != 0)
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		if (stat(g.gl_pathv[i], &st) != 0 || !S_ISREG(st.st_mode) ||
		    tail_find_open(t, st.st_dev, st.st_ino) != NULL)
			continue;
		if ((fd = open(g.gl_pathv[i], O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		fplen = tail_read_fp(fd, fp);
		close(fd);
		s = tail_find_saved(t, st.st_dev, st.st_ino, fp, fplen);
		if (s != NULL && s->pos.end == (uint64_t)st.st_size)
			continue;	/* read to its end already */
		if ((f = tail_open(t, g.gl_pathv[i], 0)) != NULL)
			f->rotated = 1;	/* done once quiet at its end */
	}
	globfree(&g);
}

/*
 * On start, files whose saved position lies before their end but that are
 * no longer at the path (renamed while we were down) are found by identity
 * beside the path and read to their end first.
 */
static void
tail_recover_renamed(struct tail *t)
{
	struct tail_file	*f;
	struct stat		 st;
	size_t			 i;
	char			*dup, *dir, *p;
	DIR			*d;
	struct dirent		*de;

	dup = xstrdup(t->pattern);
	dir = dirname(dup);
	for (i = 0; i < t->nsaved; i++) {
		if (stat(t->pattern, &st) == 0 &&
		    st.st_ino == t->saved[i].pos.ino &&
		    st.st_dev == t->saved[i].pos.dev)
			continue;
		if ((d = opendir(dir)) == NULL)
			break;
		while ((de = readdir(d)) != NULL) {
			if (de->d_ino != t->saved[i].pos.ino)
				continue;
			xasprintf(&p, "%s/%s", dir, de->d_name);
			if (stat(p, &st) == 0 &&
			    (uint64_t)st.st_size > t->saved[i].pos.end &&
			    (f = tail_open(t, p, -1)) != NULL) {
				if (f->rdoff == 0 && t->saved[i].pos.end != 0)
					tail_close(t, f); /* not the same file */
				else
					f->rotated = 1;
			}
			free(p);
		}
		closedir(d);
	}
	free(dup);
}

/* History: open the next file of the list when none is open. */
static void
tail_next_history(struct tail *t)
{
	struct tail_file	*f;

	while (TAILQ_EMPTY(&t->files) && t->nexthistory < t->nhistory) {
		f = tail_open(t, t->history[t->nexthistory++], 0);
		if (f != NULL)
			f->rotated = 1;		/* finished at its end */
		else
			log_warnx("source %s: %s: cannot be read; skipped",
			    t->name, t->history[t->nexthistory - 1]);
	}
}

/* One round: notice new files, read each, finish rotated ones. */
static void
tail_round(struct tail *t)
{
	struct tail_file	*f, *next;
	int			 rc;

	if (t->paused)
		return;
	do {
		if (t->history != NULL)
			tail_next_history(t);
		else if (t->is_glob)
			tail_check_glob(t);
		else
			tail_check_path(t);
		TAILQ_FOREACH_SAFE(f, &t->files, entry, next) {
			tail_check_truncate(t, f);
			if ((rc = tail_read(t, f)) == 1) {
				t->paused = 1;
				return;
			}
			/*
			 * Files are followed oldest first (a rotated file
			 * before its successor, dated files by name). While
			 * one still holds lines, the later ones wait: read
			 * round by round in turn, a backlog of dated files
			 * would hand out tomorrow's lines before the rest of
			 * today's, and the engine would judge those as late.
			 */
			if (rc == 2)
				break;
			if (tail_finish_rotated(t, f) != 0) {
				t->paused = 1;
				return;
			}
		}
	} while (t->history != NULL && TAILQ_EMPTY(&t->files) &&
	    t->nexthistory < t->nhistory);
}

/* Timer callback. */
static void
tail_poll(int fd, short what, void *arg)
{
	struct tail	*t = arg;

	tail_round(t);
	evtimer_add(t->timer, &t->interval);
}

/* Open the files and start polling. */
void
tail_start(struct tail *t)
{
	if (!t->is_glob && t->history == NULL)
		tail_recover_renamed(t);
	tail_round(t);
	evtimer_add(t->timer, &t->interval);
}

/* Continue after the owner asked to pause. */
void
tail_resume(struct tail *t)
{
	if (!t->paused)
		return;
	t->paused = 0;
	tail_round(t);
}

/*
 * What is left of a gzip file: compressed bytes not yet taken in, lines
 * not yet handed out, and at least 1 until its end has been read (zlib
 * may hold the whole rest in its buffer).
 */
static uint64_t
tail_gz_lag(struct tail_file *f)
{
	struct stat	 st;
	z_off_t		 in = gzoffset(f->gz);
	uint64_t	 lag = f->buf.len - f->start + !f->eof;

	if (fstat(f->fd, &st) == 0 && in >= 0 && st.st_size > (off_t)in)
		lag += (uint64_t)(st.st_size - (off_t)in);
	return (lag);
}

/* Bytes written to the source's open files that are not yet handed out. */
uint64_t
tail_lag_bytes(struct tail *t)
{
	struct tail_file	*f;
	struct stat		 st;
	uint64_t		 lag = 0;
	size_t			 i;

	TAILQ_FOREACH(f, &t->files, entry) {
		if (f->gz != NULL)
			lag += tail_gz_lag(f);
		else if (fstat(f->fd, &st) == 0 &&
		    (uint64_t)st.st_size > f->lineoff)
			lag += (uint64_t)st.st_size - f->lineoff;
	}
	for (i = t->nexthistory; i < t->nhistory; i++)
		lag += t->historysize[i] + 1;	/* even if empty */
	return (lag);
}

/* Whether a history (wachter scan) has been read to the end of its last file. */
int
tail_history_done(const struct tail *t)
{
	return (t->history != NULL && t->nexthistory == t->nhistory &&
	    TAILQ_EMPTY(&t->files));
}

/* Stop following and free everything. */
void
tail_free(struct tail *t)
{
	struct tail_file	*f;
	size_t			 i;

	if (t == NULL)
		return;
	while ((f = TAILQ_FIRST(&t->files)) != NULL)
		tail_close(t, f);
	for (i = 0; i < t->nsaved; i++)
		free(t->saved[i].path);
	free(t->saved);
	for (i = 0; i < t->nhistory; i++)
		free(t->history[i]);
	free(t->history);
	free(t->historysize);
	event_free(t->timer);
	free(t->name);
	free(t->pattern);
	free(t);
}
