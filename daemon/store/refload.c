/*
 * refload.c: reading the reference tables (megabytes for a large
 * municipality) takes a while; doing it on the event loop would pause
 * ingestion. A worker thread checks the version counter and, when it
 * changed, loads new indexes on its own connection; the event loop is
 * told through a pipe and swaps them in. The thread writes nothing the
 * loop uses: it builds a new struct ref, copying from the one in use
 * (only read, never changed once built) the tables whose version did not
 * move, and frees the one swapped out once the loop no longer points
 * into it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <libpq-fe.h>

#include "log.h"
#include "store/refdb.h"
#include "store/refload.h"
#include "util/xmalloc.h"

struct refload {
	struct event	*ev;		/* pipe readable: the thread is done */
	int		 fds[2];
	pthread_t	 tid;
	int		 busy;
	refload_cb	 cb;
	void		*arg;

	/* Owned by the thread while busy. */
	struct ref	*old;		/* to free first, or NULL */
	char		*conninfo;	/* NULL: only free old */
	int64_t		 known;
	struct ref	*from;		/* held: the indexes in use, to carry */
	struct ref	*ref;
	int64_t		 version;
	char		*cause;
};

/* Load new indexes if the version moved (on the worker). */
static void
refload_check(struct refload *rl)
{
	PGconn		*c;
	int64_t		 version;

	c = PQconnectdb(rl->conninfo);
	if (PQstatus(c) != CONNECTION_OK)
		xasprintf(&rl->cause, "cannot connect: %s", PQerrorMessage(c));
	else if (refdb_version(c, &version, &rl->cause) == 0 &&
	    version != rl->known)
		rl->ref = refdb_load(c, rl->from, &rl->version, &rl->cause);
	PQfinish(c);
	ref_free(rl->from);
	rl->from = NULL;
}

/* The worker: free what was retired, check, tell the loop. */
static void *
refload_thread(void *arg)
{
	struct refload	*rl = arg;

	ref_free(rl->old);
	rl->old = NULL;
	if (rl->conninfo != NULL)
		refload_check(rl);
	while (write(rl->fds[1], "x", 1) == -1 && errno == EINTR)
		;
	return (NULL);
}

/* On the loop: collect the thread's result and hand it on. */
static void
refload_done(int fd, short what, void *arg)
{
	struct refload	*rl = arg;
	char		 x;
	struct ref	*ref;
	char		*cause;

	if (read(fd, &x, 1) != 1)
		return;
	pthread_join(rl->tid, NULL);
	rl->busy = 0;
	ref = rl->ref;
	cause = rl->cause;
	rl->ref = NULL;
	rl->cause = NULL;
	free(rl->conninfo);
	rl->conninfo = NULL;
	rl->cb(rl->arg, ref, rl->version, cause);
	free(cause);
}

/* Create the reloader; no thread runs until refload_start. */
struct refload *
refload_new(struct event_base *base, refload_cb cb, void *arg)
{
	struct refload	*rl;

	rl = xcalloc(1, sizeof *rl);
	if (pipe2(rl->fds, O_CLOEXEC) == -1)
		fatal("pipe");
	rl->cb = cb;
	rl->arg = arg;
	rl->ev = event_new(base, rl->fds[0], EV_READ | EV_PERSIST,
	    refload_done, rl);
	event_add(rl->ev, NULL);
	return (rl);
}

/* Run the thread on what rl holds; -1 if it could not start. */
static int
refload_run(struct refload *rl)
{
	if (pthread_create(&rl->tid, NULL, refload_thread, rl) != 0) {
		free(rl->conninfo);
		rl->conninfo = NULL;
		return (-1);
	}
	rl->busy = 1;
	return (0);
}

/*
 * Check (and load if changed) in the background; -1 if one is running.
 * The tables that did not change are carried over from the indexes in
 * use (from, or NULL), which the thread holds (ref_hold) while it reads
 * them: the loop may let go of them meanwhile.
 */
int
refload_start(struct refload *rl, const char *conninfo, int64_t known,
    struct ref *from)
{
	if (rl->busy)
		return (-1);
	rl->conninfo = xstrdup(conninfo);
	rl->known = known;
	rl->version = known;
	rl->from = ref_hold(from);
	if (refload_run(rl) != 0) {
		ref_free(rl->from);
		rl->from = NULL;
		return (-1);
	}
	return (0);
}

/*
 * Free indexes swapped out, in the background: a million cases take tens
 * of milliseconds to free, a pause of reading if done on the loop. The
 * caller must hold no pointer into them any more.
 */
void
refload_retire(struct refload *rl, struct ref *old)
{
	if (old == NULL)
		return;
	if (rl->busy) {
		ref_free(old);
		return;
	}
	rl->old = old;
	if (refload_run(rl) != 0) {
		ref_free(rl->old);
		rl->old = NULL;
	}
}

/* Wait for a running load, then free everything. */
void
refload_free(struct refload *rl)
{
	char	 x;

	if (rl == NULL)
		return;
	if (rl->busy) {
		pthread_join(rl->tid, NULL);
		(void)read(rl->fds[0], &x, 1);
		ref_free(rl->old);
		ref_free(rl->ref);
		free(rl->cause);
		free(rl->conninfo);
	}
	event_free(rl->ev);
	close(rl->fds[0]);
	close(rl->fds[1]);
	free(rl);
}
