/*
 * metrics.h: a small registry of counters, gauges and histograms with fixed
 * label sets, rendered in the Prometheus text exposition format (0.0.4) and
 * served over HTTP at /metrics and /healthz (metrics_http.c).
 *
 * A family is registered once with its label names; a series (one set of
 * label values) is looked up with metric_get, which allocates only the
 * first time a label set is seen. Keep the returned series pointer where a
 * label set is fixed (one per source) so the hot path is a single add.
 * Everything runs on the daemon's one event loop: there is no locking.
 */
#ifndef WACHTER_METRICS_H
#define WACHTER_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct event_base;

enum metric_type {
	METRIC_COUNTER,
	METRIC_GAUGE,
	METRIC_HISTOGRAM
};

struct metrics;
struct metric;
struct metric_series;

/* Called before each scrape to refresh gauges such as ages and lags. */
typedef void (*metrics_collect_cb)(struct metrics *, void *);
/* Health: return 0 when healthy, else -1 and an allocated *cause. */
typedef int (*metrics_health_cb)(void *, char **);

struct metrics	*metrics_new(void);
void		 metrics_free(struct metrics *);
void		 metrics_set_collect(struct metrics *, metrics_collect_cb,
		     void *);
struct metric	*metrics_add(struct metrics *, enum metric_type,
		     const char *, const char *, const char *const *);
struct metric	*metrics_add_histogram(struct metrics *, const char *,
		     const char *, const char *const *, const double *,
		     size_t);
struct metric	*metrics_find(struct metrics *, const char *);
void		 metrics_render(struct metrics *, struct buf *);

struct metric_series *metric_get(struct metric *, const char *const *);
struct metric_series *metric_get1(struct metric *, const char *);
struct metric_series *metric_get2(struct metric *, const char *,
		     const char *);
struct metric_series *metric_get3(struct metric *, const char *,
		     const char *, const char *);
void		 metric_inc(struct metric_series *);
void		 metric_add(struct metric_series *, double);
void		 metric_set(struct metric_series *, double);
void		 metric_observe(struct metric_series *, double);
double		 metric_value(const struct metric_series *);
uint64_t	 metric_count(const struct metric_series *);

/* The families wachterd exports; metrics_define_wachter fills them in. */
struct wachter_metrics {
	struct metric	*events_read;		/* {source} */
	struct metric	*events_parsed;		/* {source} */
	struct metric	*events_quarantined;	/* {source,reason} */
	struct metric	*lookups_explained;	/* {source,department,
						    explanation} */
	struct metric	*alerts;		/* {rule,severity} */
	struct metric	*source_lag_seconds;	/* {source} */
	struct metric	*source_lag_bytes;	/* {source} */
	struct metric	*database_up;
	struct metric	*batch_seconds;		/* histogram */
	struct metric	*checkpoint_age_seconds;
	struct metric	*reloads;		/* {result} */
	struct metric	*last_reload_success;
	struct metric	*chain_tampered;
	struct metric	*engine_clock;		/* event time, seconds */
	struct metric	*lookups_waiting;	/* for their turn in time */
	struct metric	*lookups_held;		/* for their grace period */
	struct metric	*lookups_alone;		/* {why}: late, outlier */
};

void		 metrics_define_wachter(struct metrics *,
		     struct wachter_metrics *);

/* The HTTP listener. */
struct metrics_http;

struct metrics_http *metrics_http_start(struct event_base *,
		     struct metrics *, const char *, metrics_health_cb,
		     void *, char **) __attribute__((warn_unused_result));
int		 metrics_http_port(const struct metrics_http *);
uint64_t	 metrics_http_refused(const struct metrics_http *);
int		 metrics_http_open(const struct metrics_http *);
void		 metrics_http_free(struct metrics_http *);

#define METRICS_LISTEN_DEFAULT	"127.0.0.1:9187"
#define MH_MAXCONN	32	/* metrics connections served at once */
#define MH_RESERVE	256	/* descriptors left for the core */
#define MH_IDLE		5	/* seconds a metrics connection may idle */
#define METRICS_MAX_SERIES	4096

#endif
