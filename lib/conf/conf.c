/*
 * config.c: parse wachter.conf. Every problem is collected (not only the
 * first) as file:line:column: message; unknown keys are errors so that a
 * misspelt setting is never silently ignored.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "util/xmalloc.h"
#include "util/ydoc.h"

static const char *const conf_top_keys[] = {
	"database", "user", "rules", "source_definitions", "keys",
	"checkpoint", "sources", "batch", "poll_interval", "grace",
	"reference_check", "max_line", "metrics", "ledger", NULL
};
static const char *const conf_db_keys[] = { "conninfo", "migrate", NULL };
static const char *const conf_cp_keys[] = {
	"interval", "epoch", "sink", "syslog", NULL
};
static const char *const conf_src_keys[] = { "name", "path", "format",
	"lateness", "max_delay", NULL };
static const char *const conf_batch_keys[] = { "events", "delay", NULL };
static const char *const conf_metrics_keys[] = { "listen", NULL };

/* Defaults an operator would expect without a setting. */
static void
conf_defaults(struct conf *c)
{
	c->conninfo = xstrdup("dbname=wachter");
	c->rules_dir = xstrdup(WACHTER_DATADIR "/rules");
	c->sources_dir = xstrdup(WACHTER_DATADIR "/sources");
	c->key_dir = xstrdup("/var/lib/wachter/keys");
	c->checkpoint_interval = 60 * INT64_C(1000000);
	c->epoch_length = 15 * 60 * INT64_C(1000000);
	c->poll_interval = 250 * INT64_C(1000);
	c->batch_delay = 200 * INT64_C(1000);
	c->batch_events = 2000;
	c->grace = 3 * 86400 * INT64_C(1000000);
	c->refdata_interval = 60 * INT64_C(1000000);
	c->max_line = 1024 * 1024;
	c->ledger = 1;
}

/* Replace *dst with a copy of a scalar's text if it is one. */
static void
conf_set_str(struct ydoc *y, yaml_node_t *n, const char *what, char **dst)
{
	const char	*s;

	if (n == NULL || (s = ydoc_str(y, n, what)) == NULL)
		return;
	if (*s == '\0') {
		ydoc_error(y, n, "%s must not be empty", what);
		return;
	}
	free(*dst);
	*dst = xstrdup(s);
}

/* Set a duration if the key is present. */
static void
conf_set_duration(struct ydoc *y, yaml_node_t *n, const char *what,
    int64_t min, int64_t *dst)
{
	int64_t	 v;

	if (n == NULL || ydoc_duration(y, n, what, &v) != 0)
		return;
	if (v < min) {
		ydoc_error(y, n, "%s is too short", what);
		return;
	}
	*dst = v;
}

/* The database section. */
static void
conf_parse_database(struct ydoc *y, yaml_node_t *n, struct conf *c)
{
	yaml_node_t	*v;

	if (n == NULL || !ydoc_is_map(y, n, "database") ||
	    !ydoc_check_keys(y, n, conf_db_keys))
		return;
	conf_set_str(y, ydoc_get(y, n, "conninfo"), "database.conninfo",
	    &c->conninfo);
	if ((v = ydoc_get(y, n, "migrate")) != NULL)
		(void)ydoc_bool(y, v, "database.migrate", &c->migrate);
}

/* The checkpoint section. */
static void
conf_parse_checkpoint(struct ydoc *y, yaml_node_t *n, struct conf *c)
{
	yaml_node_t	*v;

	if (n == NULL || !ydoc_is_map(y, n, "checkpoint") ||
	    !ydoc_check_keys(y, n, conf_cp_keys))
		return;
	conf_set_duration(y, ydoc_get(y, n, "interval"),
	    "checkpoint.interval", 1000000, &c->checkpoint_interval);
	if (c->checkpoint_interval > 60 * INT64_C(1000000))
		ydoc_error(y, ydoc_get(y, n, "interval"),
		    "checkpoint.interval may be at most 60s: auditors rely "
		    "on a checkpoint every minute");
	conf_set_duration(y, ydoc_get(y, n, "epoch"), "checkpoint.epoch",
	    60 * INT64_C(1000000), &c->epoch_length);
	conf_set_str(y, ydoc_get(y, n, "sink"), "checkpoint.sink",
	    &c->checkpoint_sink);
	if ((v = ydoc_get(y, n, "syslog")) != NULL)
		(void)ydoc_bool(y, v, "checkpoint.syslog",
		    &c->checkpoint_syslog);
}

/* The batch section. */
static void
conf_parse_batch(struct ydoc *y, yaml_node_t *n, struct conf *c)
{
	yaml_node_t	*v;

	if (n == NULL || !ydoc_is_map(y, n, "batch") ||
	    !ydoc_check_keys(y, n, conf_batch_keys))
		return;
	if ((v = ydoc_get(y, n, "events")) != NULL)
		(void)ydoc_int(y, v, "batch.events", 1, 1000000,
		    &c->batch_events);
	conf_set_duration(y, ydoc_get(y, n, "delay"), "batch.delay", 1000,
	    &c->batch_delay);
}

/* One entry of the sources list. */
static void
conf_parse_source(struct ydoc *y, yaml_node_t *n, struct conf *c)
{
	struct conf_source	*s;
	size_t			 i;

	if (!ydoc_is_map(y, n, "a source") ||
	    !ydoc_check_keys(y, n, conf_src_keys))
		return;
	c->sources = xreallocarray(c->sources, c->nsources + 1,
	    sizeof *c->sources);
	s = &c->sources[c->nsources++];
	memset(s, 0, sizeof *s);
	conf_set_str(y, ydoc_get(y, n, "name"), "source name", &s->name);
	conf_set_str(y, ydoc_get(y, n, "path"), "source path", &s->path);
	conf_set_str(y, ydoc_get(y, n, "format"), "source format", &s->format);
	s->lateness = -1;	/* the format's, else CONF_LATENESS_DEFAULT */
	s->max_delay = 5 * 60 * INT64_C(1000000);
	conf_set_duration(y, ydoc_get(y, n, "lateness"), "source lateness", 0,
	    &s->lateness);
	conf_set_duration(y, ydoc_get(y, n, "max_delay"), "source max_delay",
	    0, &s->max_delay);
	if (s->name == NULL || s->path == NULL || s->format == NULL) {
		ydoc_error(y, n, "a source needs a name, a path and a format");
		return;
	}
	for (i = 0; i + 1 < c->nsources; i++)
		if (c->sources[i].name != NULL &&
		    strcmp(c->sources[i].name, s->name) == 0)
			ydoc_error(y, ydoc_get(y, n, "name"),
			    "source name '%s' is used twice", s->name);
}

/* The top-level mapping. */
static void
conf_parse_top(struct ydoc *y, yaml_node_t *root, struct conf *c)
{
	yaml_node_t	*n, *m;
	size_t		 i;

	if (!ydoc_is_map(y, root, "the configuration") ||
	    !ydoc_check_keys(y, root, conf_top_keys))
		return;
	conf_parse_database(y, ydoc_get(y, root, "database"), c);
	conf_set_str(y, ydoc_get(y, root, "user"), "user", &c->user);
	conf_set_str(y, ydoc_get(y, root, "rules"), "rules", &c->rules_dir);
	conf_set_str(y, ydoc_get(y, root, "source_definitions"),
	    "source_definitions", &c->sources_dir);
	conf_set_str(y, ydoc_get(y, root, "keys"), "keys", &c->key_dir);
	conf_parse_checkpoint(y, ydoc_get(y, root, "checkpoint"), c);
	conf_parse_batch(y, ydoc_get(y, root, "batch"), c);
	conf_set_duration(y, ydoc_get(y, root, "poll_interval"),
	    "poll_interval", 1000, &c->poll_interval);
	conf_set_duration(y, ydoc_get(y, root, "grace"), "grace", 0,
	    &c->grace);
	conf_set_duration(y, ydoc_get(y, root, "reference_check"),
	    "reference_check", 1000000, &c->refdata_interval);
	if ((n = ydoc_get(y, root, "ledger")) != NULL)
		(void)ydoc_bool(y, n, "ledger", &c->ledger);
	if ((n = ydoc_get(y, root, "max_line")) != NULL)
		(void)ydoc_int(y, n, "max_line", 1024, 64 * 1024 * 1024,
		    &c->max_line);
	if ((n = ydoc_get(y, root, "metrics")) != NULL &&
	    ydoc_is_map(y, n, "metrics") &&
	    ydoc_check_keys(y, n, conf_metrics_keys))
		conf_set_str(y, ydoc_get(y, n, "listen"), "metrics.listen",
		    &c->metrics_listen);
	n = ydoc_get(y, root, "sources");
	if (n == NULL || !ydoc_is_seq(y, n, "sources") ||
	    ydoc_seq_len(n) == 0) {
		ydoc_error(y, n != NULL ? n : root,
		    "at least one source (a log file to read) is needed");
		return;
	}
	if (ydoc_seq_len(n) > CONF_MAX_SOURCES) {
		ydoc_error(y, n, "at most %d sources; run a second wachterd "
		    "for more", CONF_MAX_SOURCES);
		return;
	}
	for (i = 0; (m = ydoc_seq_at(y, n, i)) != NULL; i++)
		conf_parse_source(y, m, c);
}

/*
 * Parse configuration text. On success *out is the new configuration;
 * on failure *cause holds every error, one per line.
 */
int
conf_parse(const char *file, const char *text, size_t len, struct conf **out,
    char **cause)
{
	struct ydoc	 y;
	struct conf	*c;

	*out = NULL;
	c = xcalloc(1, sizeof *c);
	c->file = xstrdup(file);
	conf_defaults(c);
	if (ydoc_load(&y, file, text, len) == 0)
		conf_parse_top(&y, ydoc_root(&y), c);
	if (y.nerrors != 0) {
		*cause = xstrdup(buf_cstr(&y.errors));
		ydoc_free(&y);
		conf_free(c);
		return (-1);
	}
	ydoc_free(&y);
	*out = c;
	return (0);
}

/* Free a configuration. */
void
conf_free(struct conf *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nsources; i++) {
		free(c->sources[i].name);
		free(c->sources[i].path);
		free(c->sources[i].format);
	}
	free(c->sources);
	free(c->file);
	free(c->conninfo);
	free(c->user);
	free(c->rules_dir);
	free(c->sources_dir);
	free(c->key_dir);
	free(c->checkpoint_sink);
	free(c->metrics_listen);
	free(c);
}

/* The source with this name, or NULL. */
const struct conf_source *
conf_find_source(const struct conf *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->nsources; i++)
		if (strcmp(c->sources[i].name, name) == 0)
			return (&c->sources[i]);
	return (NULL);
}
