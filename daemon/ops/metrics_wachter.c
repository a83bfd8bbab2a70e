/*
 * metrics_wachter.c: the metric families wachterd exports, registered in
 * one place so their names, help texts and labels form one list an
 * operator can read next to wachterd(8).
 */
#include "config.h"

#include "ops/metrics.h"

static const char *const mw_source[] = { "source", NULL };
static const char *const mw_quarantine[] = { "source", "reason", NULL };
static const char *const mw_explained[] = {
	"source", "department", "explanation", NULL
};
static const char *const mw_alert[] = { "rule", "severity", NULL };
static const char *const mw_reload[] = { "result", NULL };
static const char *const mw_alone[] = { "why", NULL };

/* Upper bounds of the batch latency histogram, in seconds. */
static const double mw_batch_bounds[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
};

/* Register wachterd's families in r and remember them in w. */
void
metrics_define_wachter(struct metrics *r, struct wachter_metrics *w)
{
	w->events_read = metrics_add(r, METRIC_COUNTER,
	    "wachter_events_read_total",
	    "Log lines read from a source.", mw_source);
	w->events_parsed = metrics_add(r, METRIC_COUNTER,
	    "wachter_events_parsed_total",
	    "Log lines parsed into lookups.", mw_source);
	w->events_quarantined = metrics_add(r, METRIC_COUNTER,
	    "wachter_events_quarantined_total",
	    "Log lines set aside as malformed, by reason.", mw_quarantine);
	w->lookups_explained = metrics_add(r, METRIC_COUNTER,
	    "wachter_lookups_explained_total",
	    "Lookups by the explanation found (or none).", mw_explained);
	w->alerts = metrics_add(r, METRIC_COUNTER, "wachter_alerts_total",
	    "Alerts written to the chain.", mw_alert);
	w->source_lag_seconds = metrics_add(r, METRIC_GAUGE,
	    "wachter_source_lag_seconds",
	    "Age of the newest lookup committed from a source.", mw_source);
	w->source_lag_bytes = metrics_add(r, METRIC_GAUGE,
	    "wachter_source_lag_bytes",
	    "Bytes of a source not yet committed.", mw_source);
	w->database_up = metrics_add(r, METRIC_GAUGE, "wachter_database_up",
	    "1 when the database connection is up, else 0.", NULL);
	w->batch_seconds = metrics_add_histogram(r, "wachter_batch_seconds",
	    "Time from a batch's first event to its commit.", NULL,
	    mw_batch_bounds, sizeof mw_batch_bounds / sizeof *mw_batch_bounds);
	w->checkpoint_age_seconds = metrics_add(r, METRIC_GAUGE,
	    "wachter_checkpoint_age_seconds",
	    "Seconds since the last sealed checkpoint.", NULL);
	w->reloads = metrics_add(r, METRIC_COUNTER, "wachter_reloads_total",
	    "Reloads on SIGHUP, by result (ok or failed).", mw_reload);
	w->last_reload_success = metrics_add(r, METRIC_GAUGE,
	    "wachter_last_reload_success",
	    "1 when the last reload (or the start) succeeded, else 0.", NULL);
	metric_set(metric_get(w->last_reload_success, NULL), 1);
	w->chain_tampered = metrics_add(r, METRIC_GAUGE,
	    "wachter_chain_tampered",
	    "1 while the daemon refuses to sign: the stored chain holds rows "
	    "it did not write or history it signed was changed.", NULL);
	w->engine_clock = metrics_add(r, METRIC_GAUGE,
	    "wachter_engine_clock_seconds",
	    "The engine's event-time clock (Unix time): every lookup before it "
	    "has been judged.", NULL);
	w->lookups_waiting = metrics_add(r, METRIC_GAUGE,
	    "wachter_lookups_waiting",
	    "Lookups read but waiting for every source to pass their time.",
	    NULL);
	w->lookups_held = metrics_add(r, METRIC_GAUGE, "wachter_lookups_held",
	    "Unexplained lookups held for their grace period.", NULL);
	w->lookups_alone = metrics_add(r, METRIC_COUNTER,
	    "wachter_lookups_alone_total",
	    "Lookups judged on their own: late (after their moment) or "
	    "outlier (dated far ahead of their log).", mw_alone);
}
