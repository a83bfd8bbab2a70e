/*
 * config.h: the wachterd configuration file (wachter.conf(5)), parsed from
 * text into a struct that the daemon swaps in whole on reload.
 */
#ifndef WACHTER_CONF_CONFIG_H
#define WACHTER_CONF_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONF_MAX_SOURCES	64	/* log sources one daemon follows */

/* A source's lines may be this far out of time order, by default. */
#define CONF_LATENESS_DEFAULT	(15 * 60 * INT64_C(1000000))

struct conf_source {
	char		*name;		/* unique, used for positions */
	char		*path;		/* a file, or a glob of dated files */
	char		*format;	/* a source definition name or file */
	int64_t		 lateness;	/* lines may be this far out of
					   order, µs; -1: the format's */
	int64_t		 max_delay;	/* a line reaches the log at most this
					   long after its time (live), µs */
};

struct conf {
	char		*file;
	char		*conninfo;	/* libpq connection string */
	int		 migrate;	/* apply migrations at start */
	char		*user;		/* drop privileges to this user */
	char		*rules_dir;
	char		*sources_dir;	/* source definitions */
	char		*key_dir;
	char		*checkpoint_sink;	/* off-host file, or NULL */
	int		 checkpoint_syslog;
	int64_t		 checkpoint_interval;	/* µs */
	int64_t		 epoch_length;		/* µs */
	int64_t		 poll_interval;		/* µs between file checks */
	int64_t		 batch_delay;		/* µs a batch may wait */
	int64_t		 batch_events;		/* events per transaction */
	int64_t		 grace;			/* hold unexplained lookups */
	int64_t		 refdata_interval;	/* reference data check */
	int64_t		 max_line;		/* bytes; longer is quarantined */
	int		 ledger;		/* keep every lookup (AVG art. 15) */
	char		*metrics_listen;	/* host:port or NULL */
	size_t		 nsources;
	struct conf_source *sources;
};

int	 conf_parse(const char *, const char *, size_t, struct conf **,
	    char **) __attribute__((warn_unused_result));
void	 conf_free(struct conf *);
const struct conf_source *conf_find_source(const struct conf *,
	    const char *);

#endif
