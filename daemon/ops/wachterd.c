/*
 * wachterd.c: the daemon. Reads its configuration and rules, connects to
 * PostgreSQL, and runs one event loop: tails feed the pipeline, a tick
 * commits batches and checkpoints, signals reload or drain. systemd owns
 * daemonizing, the user and the sandbox: wachterd stays in the foreground.
 */
#include "config.h"

#include <sys/stat.h>

#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <sodium.h>

#include "ops/health.h"
#include "keyfile.h"
#include "log.h"
#include "memtune.h"
#include "ops/notify.h"
#include "ops/pipeline.h"
#include "ops/privs.h"
#include "ops/scan.h"
#include "slurp.h"
#include "store/chainstore.h"
#include "store/ledger.h"
#include "store/migrate.h"
#include "store/pseudostore.h"
#include "store/refdb.h"
#include "store/refload.h"
#include "store/statebox.h"
#include "util/xmalloc.h"
#include "ops/wachterd.h"

#define WD_CONF_DEFAULT	WACHTER_SYSCONFDIR "/wachter.conf"
#define WD_TICK_US	100000		/* batches, checkpoints */
#define WD_DRAIN_SECS	30		/* bounded shutdown */
#define WD_ONCE_QUIET	10		/* -1: ticks with nothing read */
#define WD_LOCK_WAIT	(30 * INT64_C(1000000))	/* for a killed daemon's
						   session to end */

static void	wd_tick(int, short, void *);
static void	wd_drain(struct wachterd *);
static int	wd_db_lock(struct wachterd *, PGconn *, char **);
static void	wd_counter_to(struct metric_series *, uint64_t);

/* Wall clock in microseconds since 1970 UTC. */
int64_t
wd_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* Monotonic clock in microseconds, for intervals. */
int64_t
wd_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* Read and parse a configuration file. */
static struct conf *
wd_load_conf(const char *path, char **cause)
{
	struct conf	*c;
	struct buf	 text;

	buf_init(&text);
	if (slurp_file(path, &text, cause) != 0) {
		buf_free(&text);
		return (NULL);
	}
	if (conf_parse(path, buf_cstr(&text), text.len, &c, cause) != 0)
		c = NULL;
	buf_free(&text);
	return (c);
}

/*
 * Load everything a configuration needs that can be checked without the
 * database: the rules and every source definition.
 */
static struct ruleset *
wd_load_all(const struct conf *c, char **cause)
{
	struct ruleset	*rs;

	if ((rs = slurp_rules(c->rules_dir, cause)) == NULL)
		return (NULL);
	if (pipeline_check_sources(c, cause) != 0) {
		ruleset_free(rs);
		return (NULL);
	}
	return (rs);
}

/* The connection is up: migrate if asked, restore the chain, build. */
static int
wd_db_up(void *arg, PGconn *c)
{
	struct wachterd	*wd = arg;
	char		*cause = NULL;
	int		 rc;

	if (wd->conf->migrate && migrate_apply(c, 0, &cause) < 0)
		goto fail;
	if (wd_db_lock(wd, c, &cause) != 0)
		goto fail;
	if ((rc = chainstore_restore(wd->chain, c, wd_now(), &cause)) == 2)
		fatalx("cannot start: %s", cause);
	if (rc != 0)
		goto fail;
	if ((wd->pipe = pipeline_new(wd, c, &cause)) == NULL)
		goto fail;
	log_info("database connected; %zu source(s), chain of %llu record(s)",
	    wd->conf->nsources,
	    (unsigned long long)chainstore_size(wd->chain));
	wd->state = WD_RUNNING;
	pipeline_start(wd->pipe);
	if (!wd->notified_ready) {
		wd->notified_ready = 1;
		(void)notify_ready();
	}
	(void)notify_status("following %zu source(s)", wd->conf->nsources);
	return (0);
fail:
	log_warnx("database: %s", cause);
	free(cause);
	chainstore_abort(wd->chain);
	return (-1);
}

/*
 * One wachterd per database: a second one would read the same logs and
 * sign a second history. The lock lives as long as the session. A daemon
 * killed a moment ago may still hold it, so a new one waits a while
 * before it gives up for good.
 */
static int
wd_db_lock(struct wachterd *wd, PGconn *c, char **cause)
{
	PGresult	*r;
	int		 locked;

	r = PQexec(c, "SELECT pg_try_advisory_lock(hashtext('wachterd'))");
	locked = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	    strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (locked)
		return (0);
	if (wd->scan != NULL && wd_mono() - wd->started_mono >=
	    SCAN_LOCK_WAIT) {
		log_warnx("a wachterd or another scan holds this database "
		    "(%s): stop it before scanning; wachterd goes on from "
		    "where the scan ends", PQdb(c));
		exit(SCAN_EXIT_BUSY);
	}
	if (wd_mono() - wd->started_mono < WD_LOCK_WAIT)
		xasprintf(cause, "another wachterd holds this database; "
		    "waiting for it to stop");
	else
		fatalx("cannot start: another wachterd holds this database "
		    "(%s); stop it first, one daemon per database",
		    PQdb(c));
	return (-1);
}

/* Add a pipeline's counters to the totals before it is freed. */
static void
wd_keep_counts(struct wachterd *wd)
{
	const struct pipeline_stats	*st;
	const char			*name;
	uint64_t			 lag;
	size_t				 i;
	uint64_t			 released, late, outliers;
	size_t				 waiting;

	if (wd->pipe == NULL)
		return;
	for (i = 0; i < CONF_MAX_SOURCES &&
	    (st = pipeline_source_stats(wd->pipe, i, &name, &lag)) != NULL;
	    i++) {
		wd->base_read[i] += st->read;
		wd->base_parsed[i] += st->parsed;
	}
	engine_counts(pipeline_engine(wd->pipe), &released, &late, &outliers,
	    &waiting);
	wd->base_late += late;
	wd->base_outliers += outliers;
}

/* The engine's clock and queues. */
static void
wd_collect_engine(struct wachterd *wd)
{
	const struct engine	*e = pipeline_engine(wd->pipe);
	uint64_t		 released, late, outliers;
	size_t			 waiting;
	int64_t			 clock = engine_watermark(e);

	engine_counts(e, &released, &late, &outliers, &waiting);
	if (clock != INT64_MIN)
		metric_set(metric_get(wd->wm.engine_clock, NULL),
		    (double)clock / 1e6);
	metric_set(metric_get(wd->wm.lookups_waiting, NULL), (double)waiting);
	metric_set(metric_get(wd->wm.lookups_held, NULL),
	    (double)engine_holds(e));
	wd_counter_to(metric_get1(wd->wm.lookups_alone, "late"),
	    wd->base_late + late);
	wd_counter_to(metric_get1(wd->wm.lookups_alone, "outlier"),
	    wd->base_outliers + outliers);
}

/* Bring a counter up to a total kept elsewhere (counters only grow). */
static void
wd_counter_to(struct metric_series *m, uint64_t total)
{
	double	 v = metric_value(m);

	if ((double)total > v)
		metric_add(m, (double)total - v);
}

/* Before each scrape: the values that are read rather than counted. */
static void
wd_collect(struct metrics *m, void *arg)
{
	struct wachterd			*wd = arg;
	const struct pipeline_stats	*st;
	const char			*name;
	uint64_t			 lag;
	int64_t				 now = wd_now();
	size_t				 i;

	health_collect(wd);
	metric_set(metric_get(wd->wm.database_up, NULL),
	    db_is_up(wd->db) && wd->pipe != NULL);
	metric_set(metric_get(wd->wm.chain_tampered, NULL),
	    chainstore_alarm(wd->chain) != NULL);
	if (chainstore_last_checkpoint(wd->chain) > 0)
		metric_set(metric_get(wd->wm.checkpoint_age_seconds, NULL),
		    (double)(now - chainstore_last_checkpoint(wd->chain)) / 1e6);
	if (wd->pipe == NULL)
		return;
	for (i = 0; i < CONF_MAX_SOURCES &&
	    (st = pipeline_source_stats(wd->pipe, i, &name, &lag)) != NULL;
	    i++) {
		wd_counter_to(metric_get1(wd->wm.events_read, name),
		    wd->base_read[i] + st->read);
		wd_counter_to(metric_get1(wd->wm.events_parsed, name),
		    wd->base_parsed[i] + st->parsed);
		metric_set(metric_get1(wd->wm.source_lag_bytes, name),
		    (double)lag);
		metric_set(metric_get1(wd->wm.source_lag_seconds, name),
		    lag == 0 || st->last_ts == 0 ? 0 :
		    (double)(now - st->last_ts) / 1e6);
	}
	wd_collect_engine(wd);
}

/* /healthz: healthy while the database is reachable and sources open. */
static int
wd_health(void *arg, char **cause)
{
	struct wachterd	*wd = arg;

	if (chainstore_alarm(wd->chain) != NULL) {
		xasprintf(cause, "chain tampered: %s", chainstore_alarm(wd->chain));
		return (-1);
	}
	if (wd->pipe != NULL && db_is_up(wd->db))
		return (health_check(wd, cause));
	*cause = xstrdup("database unreachable; reading paused");
	return (-1);
}

/* Warn loudly while the root secret is on this host (docs/CHAIN.md). */
static void
wd_root_secret_warn(const char *keydir)
{
	char	*found;

	if (!keyfile_root_secret_near(keydir, &found))
		return;
	log_warnx("WARNING: the root secret %s is on this host. Move it "
	    "offline now: with it, whoever takes this host can start a new "
	    "log and roll history back undetected", found);
	free(found);
}

/* Tell systemd's watchdog that the event loop is alive. */
static void
wd_watchdog(int fd, short what, void *arg)
{
	(void)notify_watchdog();
}

/* The connection was lost: drop everything not committed. */
static void
wd_db_down(void *arg, const char *why)
{
	struct wachterd	*wd = arg;

	log_warnx("database connection lost: %s; reading pauses until it is "
	    "back", why);
	(void)notify_status("database unreachable, reading paused");
	wd_keep_counts(wd);
	pipeline_free(wd->pipe);
	wd->pipe = NULL;
	chainstore_abort(wd->chain);
	if (wd->state == WD_DRAINING)
		event_base_loopbreak(wd->base);
}

/* Deferred from a callback: drop the connection and rebuild. */
static void
wd_restart_cb(int fd, short what, void *arg)
{
	struct wachterd	*wd = arg;

	if (db_is_up(wd->db))
		db_fail(wd->db, "transaction failed");
}

/*
 * A transaction did not commit: rebuild from the committed state. Not
 * done inside the database callback that reported it.
 */
void
wd_restart_pipeline(struct wachterd *wd, const char *why)
{
	struct timeval	 tv = { 0, 0 };

	event_base_once(wd->base, -1, EV_TIMEOUT, wd_restart_cb, wd, &tv);
}

/*
 * A batch committed. When draining, commit what was read while it was in
 * flight, then stop once nothing is left.
 */
void
wd_batch_done(struct wachterd *wd)
{
	if (wd->state != WD_DRAINING)
		return;
	if (!wd->final_sent || pipeline_pending(wd->pipe))
		wd->final_sent = pipeline_commit(wd->pipe, 1, 1);
	else
		event_base_loopbreak(wd->base);
}

/*
 * The background check of the reference data finished: swap in new
 * indexes, unless the pipeline was rebuilt (and loaded them) meanwhile.
 */
static void
wd_reference_loaded(void *arg, struct ref *ref, int64_t version,
    const char *cause)
{
	struct wachterd	*wd = arg;
	int64_t		 t0, t1;
	char		 what[256];

	if (cause != NULL)
		log_warnx("reference data not reloaded: %s", cause);
	if (ref == NULL)
		return;
	if (wd->pipe == NULL || version <= pipeline_ref_version(wd->pipe)) {
		refload_retire(wd->refload, ref);
		return;
	}
	/* Both times are logged: the second is how long reading paused. */
	refdb_describe(ref, what, sizeof what);
	t0 = wd_mono();
	refload_retire(wd->refload, pipeline_set_ref(wd->pipe, ref, version));
	t1 = wd_mono();
	log_info("reference data reloaded (version %lld): loaded in %.3f s "
	    "beside the event loop (%s), swapped in on it in %.3f s",
	    (long long)version, (double)(t0 - wd->refcheck_mono) / 1e6, what,
	    (double)(t1 - t0) / 1e6);
}

/*
 * -1: once every source has been read to its end and stayed there for a
 * few ticks, nothing more is coming: decide what waits, commit, seal, exit.
 */
static void
wd_once_check(struct wachterd *wd)
{
	const struct pipeline_stats	*st;
	const char			*name;
	uint64_t			 lag, read = 0;
	size_t				 i;

	for (i = 0; (st = pipeline_source_stats(wd->pipe, i, &name,
	    &lag)) != NULL; i++)
		read += st->read;
	if (read != wd->once_read || pipeline_inflight(wd->pipe)) {
		wd->once_read = read;
		wd->once_quiet = 0;
		return;
	}
	if (++wd->once_quiet < WD_ONCE_QUIET)
		return;
	log_info("-1: every source read to its end; deciding what waits");
	if (wd->scan != NULL)
		wd->scan->finished = 1;
	pipeline_finish(wd->pipe);
	wd_drain(wd);
}

/* Periodic work: commit batches, checkpoint, let held lookups expire. */
static void
wd_tick(int fd, short what, void *arg)
{
	struct wachterd	*wd = arg;
	int64_t		 now = wd_now(), mono;
	int		 cp;

	if (wd->pipe == NULL || wd->state != WD_RUNNING)
		return;
	if (now - wd->last_refcheck >= wd->conf->refdata_interval) {
		wd->last_refcheck = now;
		if (refload_start(wd->refload, wd->conf->conninfo,
		    pipeline_ref_version(wd->pipe),
		    pipeline_ref(wd->pipe)) == 0)
			wd->refcheck_mono = wd_mono();
	}
	if (pipeline_advance(wd->pipe) && wd->once)
		wd_once_check(wd);
	if (wd->pipe == NULL || wd->state != WD_RUNNING)
		return;
	/* By the monotonic clock: a wall clock set back stops nothing. */
	mono = wd_mono();
	if (mono - wd->src_mono >= 1000000) {
		wd->src_mono = mono;
		health_sources(wd);
	}
	cp = wd->cp_mono == 0 ||
	    mono - wd->cp_mono >= wd->conf->checkpoint_interval;
	if ((cp || pipeline_due(wd->pipe, now)) &&
	    pipeline_commit(wd->pipe, cp, 0) && cp)
		wd->cp_mono = mono;
	if (wd->scan != NULL)
		scan_progress(wd, 0);
}

/*
 * SIGHUP: load the configuration, rules and source definitions into new
 * structures; on any error keep the old ones and say so.
 */
static void
wd_reload(struct wachterd *wd)
{
	struct conf	*c;
	struct ruleset	*rs;
	char		*cause = NULL;

	log_info("reloading %s", wd->conf_path);
	(void)notify_reloading();
	if ((c = wd_load_conf(wd->conf_path, &cause)) == NULL ||
	    (rs = wd_load_all(c, &cause)) == NULL) {
		log_warnx("reload failed, keeping the running configuration:"
		    "\n%s", cause);
		(void)notify_status("reload failed; running the previous "
		    "configuration");
		(void)notify_ready();
		metric_inc(metric_get1(wd->wm.reloads, "failed"));
		metric_set(metric_get(wd->wm.last_reload_success, NULL), 0);
		free(cause);
		conf_free(c);
		return;
	}
	if (strcmp(c->conninfo, wd->conf->conninfo) != 0 ||
	    c->nsources != wd->conf->nsources ||
	    (c->metrics_listen == NULL) != (wd->conf->metrics_listen == NULL) ||
	    (c->user == NULL) != (wd->conf->user == NULL))
		log_warnx("reload: database, sources, user and metrics.listen "
		    "cannot change while running; restart wachterd to apply "
		    "them");
	if (wd->pipe != NULL)
		pipeline_set_rules(wd->pipe, rs);
	ruleset_free(wd->rules);
	wd->rules = rs;
	log_set_debug(wd->debug);
	conf_free(c);
	log_info("reload done: %zu rule(s) active", rs->n);
	metric_inc(metric_get1(wd->wm.reloads, "ok"));
	metric_set(metric_get(wd->wm.last_reload_success, NULL), 1);
	(void)notify_ready();
}

/* Drain: read no more, commit the batch and a sealing checkpoint, exit. */
static void
wd_drain(struct wachterd *wd)
{
	struct timeval	 tv = { WD_DRAIN_SECS, 0 };

	if (wd->state == WD_DRAINING)
		return;
	log_info("stopping: committing what was read");
	(void)notify_stopping();
	if (wd->pipe == NULL) {
		event_base_loopbreak(wd->base);
		return;
	}
	wd->state = WD_DRAINING;
	pipeline_stop_reading(wd->pipe);
	evtimer_add(wd->ev_drain, &tv);
	if (!pipeline_inflight(wd->pipe))
		wd->final_sent = pipeline_commit(wd->pipe, 1, 1);
}

/* The drain deadline passed. */
static void
wd_drain_timeout(int fd, short what, void *arg)
{
	struct wachterd	*wd = arg;

	log_warnx("stopping: the database did not confirm the last batch in "
	    "time; it will be read again at the next start");
	wd->exit_code = 1;
	event_base_loopbreak(wd->base);
}

/* All signals end up here. */
static void
wd_signal(int sig, short what, void *arg)
{
	struct wachterd	*wd = arg;

	switch (sig) {
	case SIGHUP:
		wd_reload(wd);
		break;
	case SIGTERM:
	case SIGINT:
		wd_drain(wd);
		break;
	}
}

#ifndef WACHTERD_NO_MAIN	/* wachterd's own: options, -n */
static void
usage(void)
{
	fprintf(stderr, "usage: wachterd [-1dn] [-c file]\n");
	exit(2);
}

/*
 * -n, beyond the files' syntax: the account to become exists, the key
 * folder holds the keys, and every source's path can be read (a log that
 * is not there yet is only a warning).
 */
static int
wd_check_host(const struct conf *c)
{
	const char	*why;
	char		*path;
	struct stat	 st;
	size_t		 i;
	int		 rc = 0;

	if (c->user != NULL && getpwnam(c->user) == NULL) {
		fprintf(stderr, "%s: user: no account '%s' on this host\n",
		    c->file, c->user);
		rc = 1;
	}
	xasprintf(&path, "%s/epoch.key", c->key_dir);
	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: keys: %s is missing (wachter keygen %s)\n",
		    c->file, path, c->key_dir);
		rc = 1;
	} else if ((st.st_mode & 077) != 0) {
		fprintf(stderr, "%s: keys: %s must be mode 0600, not %04o "
		    "(chmod 600 %s)\n", c->file, path,
		    (unsigned)(st.st_mode & 07777), path);
		rc = 1;
	}
	free(path);
	for (i = 0; i < c->nsources; i++)
		if ((why = health_source_path(c->sources[i].path)) != NULL)
			fprintf(stderr, "%s: warning: source %s: %s %s\n",
			    c->file, c->sources[i].name, c->sources[i].path,
			    why);
	return (rc);
}

/* -n: the database, when it answers, holds the key folder's log. */
static int
wd_check_log(const struct conf *c)
{
	char	*cause = NULL;
	int	 rc;

	rc = chainstore_check_log(c->key_dir, c->conninfo, &cause);
	if (rc == 1)
		fprintf(stderr, "%s: keys: %s\n", c->file, cause);
	else if (rc == -1)
		fprintf(stderr, "%s: warning: database: %s; the keys were not "
		    "checked against its log\n", c->file, cause);
	free(cause);
	return (rc == 1);
}

/* -n: check the configuration, rules and source definitions. */
static int
wd_check(const char *path)
{
	struct conf	*c;
	struct ruleset	*rs;
	char		*cause = NULL;
	int		 rc;

	if ((c = wd_load_conf(path, &cause)) == NULL ||
	    (rs = wd_load_all(c, &cause)) == NULL) {
		fprintf(stderr, "%s%s", cause,
		    cause[strlen(cause) - 1] == '\n' ? "" : "\n");
		free(cause);
		conf_free(c);
		return (1);
	}
	ruleset_free(rs);
	rc = wd_check_host(c);
	if (rc == 0)
		rc = wd_check_log(c);
	conf_free(c);
	if (rc == 0)
		printf("configuration OK\n");
	return (rc);
}
#endif

/* Set up signals and timers on the event base. */
static void
wd_events(struct wachterd *wd)
{
	struct timeval	 tick = { 0, WD_TICK_US }, tv;
	int64_t		 usec;

	wd->ev_sighup = evsignal_new(wd->base, SIGHUP, wd_signal, wd);
	wd->ev_sigterm = evsignal_new(wd->base, SIGTERM, wd_signal, wd);
	wd->ev_sigint = evsignal_new(wd->base, SIGINT, wd_signal, wd);
	evsignal_add(wd->ev_sighup, NULL);
	evsignal_add(wd->ev_sigterm, NULL);
	evsignal_add(wd->ev_sigint, NULL);
	wd->ev_tick = event_new(wd->base, -1, EV_PERSIST, wd_tick, wd);
	evtimer_add(wd->ev_tick, &tick);
	wd->ev_drain = evtimer_new(wd->base, wd_drain_timeout, wd);
	signal(SIGPIPE, SIG_IGN);
	if ((usec = notify_watchdog_usec()) > 0) {
		tv.tv_sec = usec / 2 / 1000000;
		tv.tv_usec = usec / 2 % 1000000;
		wd->ev_watchdog = event_new(wd->base, -1, EV_PERSIST,
		    wd_watchdog, wd);
		evtimer_add(wd->ev_watchdog, &tv);
	}
}

/* Free everything at exit (helps leak checkers). */
static void
wd_free(struct wachterd *wd)
{
	refload_free(wd->refload);
	pipeline_free(wd->pipe);
	db_free(wd->db);
	chainstore_free(wd->chain);
	ledger_free(wd->ledger);
	statebox_free(wd->box);
	pseudostore_free(wd->pseudo);
	ruleset_free(wd->rules);
	event_free(wd->ev_sighup);
	event_free(wd->ev_sigterm);
	event_free(wd->ev_sigint);
	event_free(wd->ev_tick);
	event_free(wd->ev_drain);
	if (wd->ev_watchdog != NULL)
		event_free(wd->ev_watchdog);
	metrics_http_free(wd->mhttp);
	metrics_free(wd->metrics);
	event_base_free(wd->base);
	conf_free(wd->conf);
	free(wd->conf_path);
}

/*
 * Run the daemon with the configuration at path until it stops; returns
 * the exit code. wachter scan runs it too, with wd->scan set: read the
 * scan's files to their end (-1), no metrics listener.
 */
int
wachterd_run(struct wachterd *wd, const char *path)
{
	char	*cause = NULL;
	int	 rc;

	if (sodium_init() < 0)
		fatalx("libsodium cannot be initialised");
	wd->conf_path = xstrdup(path);
	if ((wd->conf = wd_load_conf(path, &cause)) == NULL ||
	    (wd->rules = wd_load_all(wd->conf, &cause)) == NULL)
		fatalx("cannot start:\n%s", cause);
	if (privs_drop(wd->conf->user, &cause) != 0)
		fatalx("cannot start: %s", cause);
	/* As the account that will read them: each file must be readable. */
	if (wd->scan != NULL && scan_conf(wd->scan, wd->conf, &cause) != 0)
		fatalx("cannot start:\n%s", cause);
	wd->chain = chainstore_open(wd->conf->key_dir,
	    wd->conf->checkpoint_sink, wd->conf->checkpoint_syslog,
	    wd->conf->epoch_length, &cause);
	if (wd->chain == NULL)
		fatalx("cannot start: keys: %s", cause);
	wd_root_secret_warn(wd->conf->key_dir);
	if ((wd->box = statebox_open(wd->conf->key_dir, &cause)) == NULL ||
	    (wd->pseudo = pseudostore_open(wd->conf->key_dir, &cause)) == NULL)
		fatalx("cannot start: keys: %s", cause);
	if (wd->conf->ledger &&
	    (wd->ledger = ledger_new(wd->conf->key_dir, &cause)) == NULL)
		fatalx("cannot start: ledger: %s", cause);
	wd->started_mono = wd_mono();
	wd->base = event_base_new();
	wd_events(wd);
	wd->refload = refload_new(wd->base, wd_reference_loaded, wd);
	wd->metrics = metrics_new();
	metrics_define_wachter(wd->metrics, &wd->wm);
	health_define(wd->metrics);
	metrics_set_collect(wd->metrics, wd_collect, wd);
	if (wd->scan == NULL && (wd->mhttp = metrics_http_start(wd->base,
	    wd->metrics, wd->conf->metrics_listen, wd_health, wd,
	    &cause)) == NULL)
		fatalx("cannot start: metrics: %s", cause);
	wd->db = db_new(wd->base, wd->conf->conninfo, wd_db_up, wd_db_down,
	    wd);
	db_start(wd->db);
	log_info("started (%s)", PACKAGE_STRING);
	event_base_dispatch(wd->base);
	log_info("stopped");
	rc = wd->exit_code;
	if (wd->scan != NULL)
		rc = scan_done(wd, rc);
	wd_free(wd);
	return (rc);
}

#ifndef WACHTERD_NO_MAIN
int
main(int argc, char **argv)
{
	struct wachterd	 wd;
	const char	*path = WD_CONF_DEFAULT;
	int		 ch, check = 0;

	memtune();
	memset(&wd, 0, sizeof wd);
	while ((ch = getopt(argc, argv, "1c:dn")) != -1) {
		switch (ch) {
		case '1':
			wd.once = 1;
			break;
		case 'c':
			path = optarg;
			break;
		case 'd':
			wd.debug = 1;
			break;
		case 'n':
			check = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("wachterd", wd.debug);
	if (check) {
		if (sodium_init() < 0)
			fatalx("libsodium cannot be initialised");
		return (wd_check(path));
	}
	return (wachterd_run(&wd, path));
}
#endif
