/* pipeline.h: from log lines to committed alerts, for one connection. */
#ifndef WACHTER_PIPELINE_H
#define WACHTER_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "conf/conf.h"
#include "enrich/ref.h"
#include "rules/rule.h"

struct wachterd;
struct pipeline;

/* Per source counters (since this pipeline was built). */
struct pipeline_stats {
	uint64_t	 read;		/* lines */
	uint64_t	 parsed;	/* lookups examined */
	uint64_t	 quarantined;	/* lines kept with a reason */
	uint64_t	 skipped;	/* joined lookups with a malformed part */
	uint64_t	 unattributed;	/* lookups without a user */
	int64_t		 last_ts;	/* newest lookup time read */
};

struct pipeline_totals {
	uint64_t	 decided;
	uint64_t	 explained;
	uint64_t	 flagged;
	uint64_t	 alerts;
	uint64_t	 batches;
	int64_t		 batch_us_last;
};

int		 pipeline_check_sources(const struct conf *, char **)
		    __attribute__((warn_unused_result));
struct pipeline	*pipeline_new(struct wachterd *, PGconn *, char **);
void		 pipeline_free(struct pipeline *);
void		 pipeline_start(struct pipeline *);
int		 pipeline_commit(struct pipeline *, int, int);
int		 pipeline_due(struct pipeline *, int64_t);
int		 pipeline_advance(struct pipeline *);
void		 pipeline_finish(struct pipeline *);
void		 pipeline_stop_reading(struct pipeline *);
int		 pipeline_inflight(const struct pipeline *);
int		 pipeline_pending(const struct pipeline *);
void		 pipeline_set_rules(struct pipeline *, const struct ruleset *);
struct ref	*pipeline_set_ref(struct pipeline *, struct ref *, int64_t);
int64_t		 pipeline_ref_version(const struct pipeline *);
struct ref	*pipeline_ref(const struct pipeline *);
const struct pipeline_stats *pipeline_source_stats(const struct pipeline *,
		    size_t, const char **, uint64_t *);
const struct pipeline_totals *pipeline_totals(const struct pipeline *);
const struct engine *pipeline_engine(const struct pipeline *);

/* Provided by wachterd.c. */
void		 wd_restart_pipeline(struct wachterd *, const char *);
void		 wd_batch_done(struct wachterd *);

#endif
