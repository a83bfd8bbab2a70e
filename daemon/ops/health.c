/*
 * health.c: counters and health checks that belong to no one pipeline
 * stage: how many metrics connections were refused, how many repeated
 * log lines were suppressed, whether the checkpoint sink is writable, and
 * whether each source's path can be read.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xmalloc.h"

#include "checkpoint_sink.h"
#include "ops/health.h"
#include "log.h"
#include "ops/metrics.h"
#include "ops/wachterd.h"

static const char *const health_source_label[] = { "source", NULL };

/* Register the families (once, with the others). */
void
health_define(struct metrics *r)
{
	(void)metrics_add(r, METRIC_COUNTER, "wachter_http_refused_total",
	    "Metrics connections closed at once because too many were open.",
	    NULL);
	(void)metrics_add(r, METRIC_COUNTER, "wachter_log_suppressed_total",
	    "Repeated log lines not written (rate limit).", NULL);
	(void)metrics_add(r, METRIC_GAUGE, "wachter_checkpoint_sink_up",
	    "1 when the last append to the checkpoint sink succeeded, else 0.",
	    NULL);
	(void)metrics_add(r, METRIC_COUNTER,
	    "wachter_checkpoint_sink_failures_total",
	    "Appends to the checkpoint sink that failed (each is retried).",
	    NULL);
	(void)metrics_add(r, METRIC_GAUGE, "wachter_source_path_ok",
	    "1 when a source's path (or a glob's folder) exists and can be "
	    "read, else 0.", health_source_label);
}

/*
 * What is wrong with a source's path, or NULL: a missing file, a folder
 * where a file should be, or one that cannot be read. For a glob of dated
 * files, its folder.
 */
const char *
health_source_path(const char *path)
{
	struct stat	 st;
	char		*copy, *dir;
	const char	*why = NULL;
	int		 glob = strpbrk(path, "*?[") != NULL;

	copy = xstrdup(path);
	dir = glob ? dirname(copy) : copy;
	if (stat(dir, &st) != 0)
		why = errno == ENOENT ? (glob ? "its folder does not exist" :
		    "does not exist") : "cannot be examined";
	else if (!glob && S_ISDIR(st.st_mode))
		why = "is a folder, not a log file";
	else if (glob && !S_ISDIR(st.st_mode))
		why = "its folder is not a folder";
	else if (access(dir, glob ? R_OK | X_OK : R_OK) != 0)
		why = "cannot be read";
	free(copy);
	return (why);
}

/*
 * Look at every source's path; say so in the log once when its state
 * changes (a log that is not there yet is normal at first, so that is
 * said at start as well).
 */
void
health_sources(struct wachterd *wd)
{
	const struct conf_source	*cs;
	const char			*why;
	size_t				 i;

	for (i = 0; i < wd->conf->nsources && i < CONF_MAX_SOURCES; i++) {
		cs = &wd->conf->sources[i];
		why = health_source_path(cs->path);
		if (why == wd->src_problem[i] && wd->src_checked)
			continue;
		if (why != NULL)
			log_warnx("source %s: %s %s; waiting for it", cs->name,
			    cs->path, why);
		else if (wd->src_checked)
			log_info("source %s: %s can be read again", cs->name,
			    cs->path);
		wd->src_problem[i] = why;
	}
	wd->src_checked = 1;
}

/* Bring a counter up to a total kept elsewhere. */
static void
health_counter(struct metrics *r, const char *name, uint64_t total)
{
	struct metric_series	*s;
	double			 v;

	if ((s = metric_get(metrics_find(r, name), NULL)) == NULL)
		return;
	v = metric_value(s);
	if ((double)total > v)
		metric_add(s, (double)total - v);
}

/* Before a scrape. */
void
health_collect(struct wachterd *wd)
{
	const struct checkpoint_sink_status	*ss = checkpoint_sink_status();
	size_t					 i;

	if (wd->mhttp != NULL)
		health_counter(wd->metrics, "wachter_http_refused_total",
		    metrics_http_refused(wd->mhttp));
	health_counter(wd->metrics, "wachter_log_suppressed_total",
	    log_suppressed_total());
	health_counter(wd->metrics, "wachter_checkpoint_sink_failures_total",
	    ss->failures);
	metric_set(metric_get(metrics_find(wd->metrics,
	    "wachter_checkpoint_sink_up"), NULL), ss->ok);
	for (i = 0; i < wd->conf->nsources && i < CONF_MAX_SOURCES; i++)
		metric_set(metric_get1(metrics_find(wd->metrics,
		    "wachter_source_path_ok"), wd->conf->sources[i].name),
		    wd->src_problem[i] == NULL);
}

/* /healthz beyond the database: 0 when healthy, else -1 and *cause. */
int
health_check(struct wachterd *wd, char **cause)
{
	const struct checkpoint_sink_status	*ss = checkpoint_sink_status();
	size_t					 i;

	if (!ss->ok) {
		xasprintf(cause, "checkpoint sink failing: %s", ss->error);
		return (-1);
	}
	for (i = 0; i < wd->conf->nsources && i < CONF_MAX_SOURCES; i++) {
		if (wd->src_problem[i] != NULL) {
			xasprintf(cause, "degraded: source %s: %s",
			    wd->conf->sources[i].name, wd->src_problem[i]);
			return (-1);
		}
	}
	return (0);
}
