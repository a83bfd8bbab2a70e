/*
 * health.c: counters and health checks that belong to no one pipeline
 * stage: how many metrics connections were refused, how many repeated
 * log lines were suppressed, and whether the checkpoint sink is writable.
 */
#include "config.h"

#include <stdlib.h>

#include "util/xmalloc.h"

#include "checkpoint_sink.h"
#include "health.h"
#include "log.h"
#include "metrics.h"
#include "wachterd.h"

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

	if (wd->mhttp != NULL)
		health_counter(wd->metrics, "wachter_http_refused_total",
		    metrics_http_refused(wd->mhttp));
	health_counter(wd->metrics, "wachter_log_suppressed_total",
	    log_suppressed_total());
	health_counter(wd->metrics, "wachter_checkpoint_sink_failures_total",
	    ss->failures);
	metric_set(metric_get(metrics_find(wd->metrics,
	    "wachter_checkpoint_sink_up"), NULL), ss->ok);
}

/* /healthz beyond the database: 0 when healthy, else -1 and *cause. */
int
health_check(struct wachterd *wd, char **cause)
{
	const struct checkpoint_sink_status	*ss = checkpoint_sink_status();

	(void)wd;
	if (ss->ok)
		return (0);
	xasprintf(cause, "checkpoint sink failing: %s", ss->error);
	return (-1);
}
