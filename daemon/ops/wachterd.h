/*
 * wachterd.h: the daemon's context, passed to every callback. One
 * event_base; no configuration in globals.
 */
#ifndef WACHTERD_H
#define WACHTERD_H

#include <stdint.h>

#include "conf/conf.h"
#include "event/event.h"
#include "rules/engine.h"
#include "source/tail.h"
#include "store/db.h"

#include "ops/metrics.h"

struct event_base;
struct event;
struct chainstore;
struct pseudostore;
struct statebox;
struct pipeline;
struct scan;

enum wd_state {
	WD_STARTING = 0,	/* waiting for the database */
	WD_RUNNING,
	WD_DRAINING,		/* SIGTERM: finish the batch, seal, exit */
};

struct wachterd {
	struct event_base	*base;
	char			*conf_path;
	struct conf		*conf;
	int			 debug;
	enum wd_state		 state;

	struct ruleset		*rules;		/* the loaded rule set */
	struct db		*db;
	struct chainstore	*chain;
	struct ledger		*ledger;	/* NULL when off */
	struct statebox		*box;		/* engine state at rest */
	struct pseudostore	*pseudo;	/* unattributed lookups */
	struct pipeline		*pipe;		/* NULL while the db is down */
	struct refload		*refload;	/* background reference reload */

	struct event		*ev_sighup;
	struct event		*ev_sigterm;
	struct event		*ev_sigint;
	struct event		*ev_tick;	/* batches, checkpoints, holds */
	struct event		*ev_drain;	/* deadline for draining */
	struct event		*ev_watchdog;	/* sd_notify WATCHDOG=1 */
	struct metrics		*metrics;
	struct wachter_metrics	 wm;
	struct metrics_http	*mhttp;
	/* Counts of earlier pipelines, per source. */
	uint64_t		 base_read[CONF_MAX_SOURCES];
	uint64_t		 base_parsed[CONF_MAX_SOURCES];
	uint64_t		 base_late, base_outliers;
	int			 notified_ready;
	int			 final_sent;	/* draining: sealing batch sent */
	int64_t			 last_refcheck;	/* µs, wall clock */
	int64_t			 refcheck_mono;	/* that check began, monotonic */
	int			 exit_code;
	int			 once;		/* -1: read to the end, exit */
	int64_t			 cp_mono;	/* last checkpoint, monotonic µs */
	int64_t			 started_mono;
	const char		*src_problem[CONF_MAX_SOURCES];	/* or NULL */
	int			 src_checked;
	int64_t			 src_mono;	/* last look at the paths */
	uint64_t		 once_read;	/* -1: lines read at last tick */
	int			 once_quiet;	/* -1: ticks nothing was read */
	struct scan		*scan;		/* wachter scan, or NULL */
};

int64_t	wd_now(void);
int64_t	wd_mono(void);
int	wachterd_run(struct wachterd *, const char *);

#endif
