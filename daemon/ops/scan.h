/*
 * scan.h: wachter scan, the daemon's pipeline over history: files that no
 * longer grow, read to their end, decided, committed like wachterd -1.
 */
#ifndef WACHTER_SCAN_H
#define WACHTER_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

struct tail;
struct wachterd;

/* Exit codes of wachter scan (wachter(1)). */
#define SCAN_EXIT_OK		0	/* read to the end, committed */
#define SCAN_EXIT_ERROR		1	/* configuration, keys, database */
#define SCAN_EXIT_USAGE		2
#define SCAN_EXIT_BUSY		3	/* a wachterd holds the database */
#define SCAN_EXIT_STOPPED	4	/* interrupted; run again to go on */

/*
 * Lookups per transaction unless -b says: more than the daemon's usual
 * batch, since nobody waits for a backfill's alerts.
 */
#define SCAN_BATCH_DEFAULT	10000

/* A killed scan's session may take a moment to end and free the lock. */
#define SCAN_LOCK_WAIT		(5 * INT64_C(1000000))

/* The files named for one source. */
struct scan_group {
	char		*source;
	char		**files;
	size_t		 nfiles;
};

struct scan {
	struct scan_group *groups;	/* as given; none: the configured */
	size_t		 ngroups;
	struct scan_group *of[CONF_MAX_SOURCES];	/* by source index */
	int64_t		 batch;		/* events per transaction */
	int		 finished;	/* read to the end, decided */
	int		 tty;		/* progress on stderr */
	uint64_t	 bytes;		/* of all files, on disk */
	int64_t		 started;	/* monotonic µs */
	int64_t		 shown;		/* last progress line */
};

void	scan_init(struct scan *);
void	scan_add(struct scan *, const char *, const char *);
void	scan_free(struct scan *);
int	scan_conf(struct scan *, struct conf *, char **)
	    __attribute__((warn_unused_result));
void	scan_tail(const struct scan *, size_t, struct tail *);
void	scan_progress(struct wachterd *, int);
int	scan_done(struct wachterd *, int);

#endif
