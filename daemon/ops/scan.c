/*
 * scan.c: wachter scan. The first backfill of a year of history goes
 * through wachterd itself: the same pipeline, engine, chain and
 * transactions as `wachterd -1`, so a scan and the daemon cannot decide
 * differently. What is scan's own is only here: which files each source
 * reads (a fixed list, plain or gzip, instead of following a path), a
 * progress line on a terminal, and the summary and exit code at the end.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops/pipeline.h"
#include "ops/scan.h"
#include "ops/wachterd.h"
#include "source/tail.h"
#include "util/xmalloc.h"

#define SCAN_SHOW_US	1000000		/* progress line every second */

/* An empty scan; progress goes to stderr when it is a terminal. */
void
scan_init(struct scan *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->tty = isatty(STDERR_FILENO);
	sc->batch = SCAN_BATCH_DEFAULT;
}

/* The group of this source (NULL: the only one), made if new. */
static struct scan_group *
scan_group(struct scan *sc, const char *source)
{
	struct scan_group	*g;
	size_t			 i;

	for (i = 0; i < sc->ngroups; i++) {
		g = &sc->groups[i];
		if ((g->source == NULL) == (source == NULL) &&
		    (source == NULL || strcmp(g->source, source) == 0))
			return (g);
	}
	sc->groups = xreallocarray(sc->groups, sc->ngroups + 1,
	    sizeof *sc->groups);
	g = &sc->groups[sc->ngroups++];
	memset(g, 0, sizeof *g);
	g->source = source != NULL ? xstrdup(source) : NULL;
	return (g);
}

/*
 * Read file as source (NULL: the configuration's only source). A source
 * given without files (file NULL) reads its configured path.
 */
void
scan_add(struct scan *sc, const char *source, const char *file)
{
	struct scan_group	*g = scan_group(sc, source);

	if (file == NULL)
		return;
	g->files = xreallocarray(g->files, g->nfiles + 1, sizeof *g->files);
	g->files[g->nfiles++] = xstrdup(file);
}

/* Free the lists. */
void
scan_free(struct scan *sc)
{
	size_t	 i, j;

	for (i = 0; i < sc->ngroups; i++) {
		for (j = 0; j < sc->groups[i].nfiles; j++)
			free(sc->groups[i].files[j]);
		free(sc->groups[i].files);
		free(sc->groups[i].source);
	}
	free(sc->groups);
}

/* A source given no files reads its configured path or glob, as it is. */
static int
scan_configured(struct scan *sc, const struct conf_source *cs,
    const char *file, char **cause)
{
	glob_t	 g;
	size_t	 j;

	if (glob(cs->path, 0, NULL, &g) != 0) {
		xasprintf(cause, "%s: source %s: no file matches %s", file,
		    cs->name, cs->path);
		return (-1);
	}
	for (j = 0; j < g.gl_pathc; j++)
		scan_add(sc, cs->name, g.gl_pathv[j]);
	globfree(&g);
	return (0);
}

/* Give the groups their sources' names, and check each names one. */
static int
scan_names(struct scan *sc, const struct conf *c, char **cause)
{
	struct scan_group	*g;
	size_t			 i;

	for (i = 0; i < sc->ngroups; i++) {
		g = &sc->groups[i];
		if (g->source == NULL && c->nsources != 1) {
			xasprintf(cause, "%s has %zu sources: name the source "
			    "of %s with -s", c->file, c->nsources, g->files[0]);
			return (-1);
		}
		if (g->source == NULL && sc->ngroups != 1) {
			xasprintf(cause, "name the source of every file with "
			    "-s, or of none (%s)", g->files[0]);
			return (-1);
		}
		if (g->source == NULL)
			g->source = xstrdup(c->sources[0].name);
		if (conf_find_source(c, g->source) == NULL) {
			xasprintf(cause, "%s: no source named '%s'", c->file,
			    g->source);
			return (-1);
		}
	}
	return (0);
}

/* Every file can be read; add up their sizes for the progress line. */
static int
scan_check_files(struct scan *sc, struct scan_group *g, char **cause)
{
	struct stat	 st;
	char		*real;
	size_t		 i;
	int		 fd;

	for (i = 0; i < g->nfiles; i++) {
		if ((fd = open(g->files[i], O_RDONLY | O_CLOEXEC)) == -1 ||
		    fstat(fd, &st) == -1) {
			xasprintf(cause, "%s: %s", g->files[i],
			    strerror(errno));
			if (fd != -1)
				close(fd);
			return (-1);
		}
		close(fd);
		if (!S_ISREG(st.st_mode)) {
			xasprintf(cause, "%s: not a regular file", g->files[i]);
			return (-1);
		}
		/* Stored with the positions: a path that says where. */
		if ((real = realpath(g->files[i], NULL)) != NULL) {
			free(g->files[i]);
			g->files[i] = real;
		}
		sc->bytes += (uint64_t)st.st_size;
	}
	return (0);
}

/* Forget a configured source that reads nothing in this scan. */
static void
scan_drop_source(struct conf_source *cs)
{
	free(cs->name);
	free(cs->path);
	free(cs->format);
}

/*
 * Fit the configuration to the scan: only the sources given files are
 * built (a source with nothing to read would hold the engine's clock back
 * for ever), each with its list; the scan's batch size.
 */
int
scan_conf(struct scan *sc, struct conf *c, char **cause)
{
	struct conf_source	*cs;
	struct scan_group	*g;
	size_t			 i, j, n = 0;

	/* Nothing named: every configured source. */
	if (sc->ngroups == 0)
		for (i = 0; i < c->nsources; i++)
			(void)scan_group(sc, c->sources[i].name);
	if (scan_names(sc, c, cause) != 0)
		return (-1);
	for (i = 0; i < sc->ngroups; i++)
		if (sc->groups[i].nfiles == 0 && scan_configured(sc,
		    conf_find_source(c, sc->groups[i].source), c->file,
		    cause) != 0)
			return (-1);
	for (i = 0; i < c->nsources; i++) {
		cs = &c->sources[i];
		for (j = 0; j < sc->ngroups; j++)
			if (strcmp(sc->groups[j].source, cs->name) == 0)
				break;
		if (j == sc->ngroups) {
			scan_drop_source(cs);
			continue;
		}
		g = &sc->groups[j];
		if (scan_check_files(sc, g, cause) != 0)
			return (-1);
		free(cs->path);		/* what the health check looks at */
		cs->path = xstrdup(g->files[0]);
		c->sources[n] = *cs;
		sc->of[n++] = g;
	}
	c->nsources = n;
	c->batch_events = sc->batch;
	sc->started = wd_mono();
	return (0);
}

/* Hand source i's files to its tail. */
void
scan_tail(const struct scan *sc, size_t i, struct tail *t)
{
	if (i < CONF_MAX_SOURCES && sc->of[i] != NULL)
		tail_history(t, sc->of[i]->files, sc->of[i]->nfiles);
}

/* Lines read over all pipelines of this run, and bytes left to read. */
static uint64_t
scan_lines(struct wachterd *wd, uint64_t *left)
{
	const struct pipeline_stats	*st;
	const char			*name;
	uint64_t			 lines = 0, lag;
	size_t				 i;

	*left = 0;
	for (i = 0; i < CONF_MAX_SOURCES && i < wd->conf->nsources; i++)
		lines += wd->base_read[i];
	if (wd->pipe == NULL)
		return (lines);
	for (i = 0; (st = pipeline_source_stats(wd->pipe, i, &name,
	    &lag)) != NULL; i++) {
		lines += st->read;
		*left += lag;
	}
	return (lines);
}

/* On a terminal, every second: how far, how fast, how many alerts. */
void
scan_progress(struct wachterd *wd, int force)
{
	struct scan	*sc = wd->scan;
	int64_t		 now = wd_mono();
	uint64_t	 lines, left;
	double		 secs, done;

	if (!sc->tty || (!force && now - sc->shown < SCAN_SHOW_US) ||
	    wd->pipe == NULL)
		return;
	sc->shown = now;
	lines = scan_lines(wd, &left);
	secs = (double)(now - sc->started) / 1e6;
	done = sc->bytes == 0 || left >= sc->bytes ? 0 :
	    100.0 * (double)(sc->bytes - left) / (double)sc->bytes;
	/* Cursor back at the start: a log line written next replaces it. */
	fprintf(stderr, "\r\033[Kscan: %llu lines, %.0f%%, %.0f lines/s, "
	    "%llu alert(s)\r", (unsigned long long)lines, done,
	    secs > 0 ? (double)lines / secs : 0,
	    (unsigned long long)pipeline_totals(wd->pipe)->alerts);
}

/*
 * The loop ended: say what was done, and how it ended (rc is the
 * daemon's exit code).
 */
int
scan_done(struct wachterd *wd, int rc)
{
	struct scan			*sc = wd->scan;
	const struct pipeline_totals	*tot;
	uint64_t			 lines, left;
	double				 secs;

	scan_progress(wd, 1);
	if (sc->tty && sc->shown != 0)
		fputc('\n', stderr);
	lines = scan_lines(wd, &left);
	secs = (double)(wd_mono() - sc->started) / 1e6;
	if (wd->pipe != NULL) {
		tot = pipeline_totals(wd->pipe);
		printf("scan: %llu lines read, %llu lookups decided, %llu "
		    "flagged, %llu alert record(s) committed in %.1f s (%.0f "
		    "lines/s)\n", (unsigned long long)lines,
		    (unsigned long long)tot->decided,
		    (unsigned long long)tot->flagged,
		    (unsigned long long)tot->alerts, secs,
		    secs > 0 ? (double)lines / secs : 0);
	}
	if (rc != 0)
		return (SCAN_EXIT_ERROR);
	if (sc->finished && (wd->pipe == NULL || pipeline_inflight(wd->pipe) ||
	    pipeline_pending(wd->pipe))) {
		fprintf(stderr, "wachter scan: the database did not confirm the "
		    "last batch: run it again to go on\n");
		return (SCAN_EXIT_ERROR);
	}
	if (!sc->finished) {
		fprintf(stderr, "wachter scan: stopped before the end; what "
		    "was read is committed: run it again to go on\n");
		return (SCAN_EXIT_STOPPED);
	}
	return (SCAN_EXIT_OK);
}
