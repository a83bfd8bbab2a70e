/*
 * metrics.c: the metrics registry and its Prometheus text rendering.
 * Families keep their series in a small chained hash table and in creation
 * order; a series is allocated once, the first time its label values are
 * seen, so counting into an existing series never allocates. Past
 * METRICS_MAX_SERIES series a family counts into a hidden overflow series
 * rather than growing without bound on untrusted label values.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ops/metrics.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define METRIC_MAX_LABELS	4
#define METRIC_HASH_SIZE	64

struct metric_series {
	struct metric		*family;
	struct metric_series	*hnext;		/* hash chain */
	struct metric_series	*next;		/* creation order */
	uint32_t		 hash;
	char			*values[METRIC_MAX_LABELS];
	double			 value;		/* or a histogram's sum */
	uint64_t		 count;		/* histogram observations */
	uint64_t		*buckets;	/* per bound, not cumulative */
};

struct metric {
	struct metrics		*registry;
	char			*name;
	char			*help;
	enum metric_type	 type;
	size_t			 nlabels;
	char			*labels[METRIC_MAX_LABELS];
	double			*bounds;
	size_t			 nbounds;
	size_t			 nseries;
	struct metric_series	*hash[METRIC_HASH_SIZE];
	struct metric_series	*first;
	struct metric_series	*last;
	struct metric_series	 overflow;
	struct metric		*next;
};

struct metrics {
	struct metric		*first;
	struct metric		*last;
	metrics_collect_cb	 collect;
	void			*collect_arg;
};

/* Create an empty registry. */
struct metrics *
metrics_new(void)
{
	return (xcalloc(1, sizeof (struct metrics)));
}

/* Free one series' memory (not the struct for the overflow series). */
static void
metric_series_clear(struct metric_series *s)
{
	size_t	 i;

	for (i = 0; i < METRIC_MAX_LABELS; i++)
		free(s->values[i]);
	free(s->buckets);
}

/* Free a registry and every family and series in it. */
void
metrics_free(struct metrics *r)
{
	struct metric		*m, *mnext;
	struct metric_series	*s, *snext;
	size_t			 i;

	if (r == NULL)
		return;
	for (m = r->first; m != NULL; m = mnext) {
		mnext = m->next;
		for (s = m->first; s != NULL; s = snext) {
			snext = s->next;
			metric_series_clear(s);
			free(s);
		}
		metric_series_clear(&m->overflow);
		for (i = 0; i < m->nlabels; i++)
			free(m->labels[i]);
		free(m->bounds);
		free(m->name);
		free(m->help);
		free(m);
	}
	free(r);
}

/* Set the callback that refreshes computed gauges before a scrape. */
void
metrics_set_collect(struct metrics *r, metrics_collect_cb cb, void *arg)
{
	r->collect = cb;
	r->collect_arg = arg;
}

/* Whether a name fits [a-zA-Z_:][a-zA-Z0-9_:]* (no ':' for labels). */
static int
metrics_valid_name(const char *s, int colon)
{
	const char	*p;

	if (*s == '\0' || (*s >= '0' && *s <= '9'))
		return (0);
	for (p = s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_')
			continue;
		if (*p == ':' && colon)
			continue;
		return (0);
	}
	return (1);
}

/* The family with this name, or NULL. */
struct metric *
metrics_find(struct metrics *r, const char *name)
{
	struct metric	*m;

	for (m = r->first; m != NULL; m = m->next)
		if (strcmp(m->name, name) == 0)
			return (m);
	return (NULL);
}

/* Check a family's names; a bad one is a programming error. */
static void
metrics_check(struct metrics *r, enum metric_type type, const char *name,
    const char *const *labels)
{
	size_t	 i;

	if (!metrics_valid_name(name, 1) || strncmp(name, "__", 2) == 0)
		fatalx("metrics: bad metric name '%s'", name);
	if (metrics_find(r, name) != NULL)
		fatalx("metrics: '%s' registered twice", name);
	for (i = 0; labels != NULL && labels[i] != NULL; i++) {
		if (i == METRIC_MAX_LABELS)
			fatalx("metrics: '%s' has too many labels", name);
		if (!metrics_valid_name(labels[i], 0) ||
		    strncmp(labels[i], "__", 2) == 0)
			fatalx("metrics: '%s' has a bad label '%s'", name,
			    labels[i]);
		if (type == METRIC_HISTOGRAM && strcmp(labels[i], "le") == 0)
			fatalx("metrics: histogram '%s' may not use 'le'",
			    name);
	}
}

/* Allocate a series' histogram buckets if its family needs them. */
static void
metric_series_init(struct metric *m, struct metric_series *s)
{
	s->family = m;
	if (m->type == METRIC_HISTOGRAM)
		s->buckets = xcalloc(m->nbounds + 1, sizeof *s->buckets);
}

/* Create a family and link it into the registry. */
static struct metric *
metrics_add_family(struct metrics *r, enum metric_type type,
    const char *name, const char *help, const char *const *labels)
{
	struct metric	*m;

	metrics_check(r, type, name, labels);
	m = xcalloc(1, sizeof *m);
	m->registry = r;
	m->type = type;
	m->name = xstrdup(name);
	m->help = xstrdup(help);
	while (labels != NULL && labels[m->nlabels] != NULL) {
		m->labels[m->nlabels] = xstrdup(labels[m->nlabels]);
		m->nlabels++;
	}
	if (r->last != NULL)
		r->last->next = m;
	else
		r->first = m;
	r->last = m;
	return (m);
}

/*
 * Register a counter or gauge; label names end with NULL (or pass NULL for
 * none). A family without labels has its one series from the start.
 */
struct metric *
metrics_add(struct metrics *r, enum metric_type type, const char *name,
    const char *help, const char *const *labels)
{
	struct metric	*m;

	if (type == METRIC_HISTOGRAM)
		fatalx("metrics: '%s': use metrics_add_histogram", name);
	m = metrics_add_family(r, type, name, help, labels);
	metric_series_init(m, &m->overflow);
	if (m->nlabels == 0)
		(void)metric_get(m, NULL);
	return (m);
}

/* Register a histogram with ascending finite upper bounds. */
struct metric *
metrics_add_histogram(struct metrics *r, const char *name, const char *help,
    const char *const *labels, const double *bounds, size_t nbounds)
{
	struct metric	*m;
	size_t		 i;

	for (i = 0; i < nbounds; i++)
		if (!isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
			fatalx("metrics: '%s' has bad bucket bounds", name);
	m = metrics_add_family(r, METRIC_HISTOGRAM, name, help, labels);
	m->bounds = xreallocarray(NULL, nbounds == 0 ? 1 : nbounds,
	    sizeof *m->bounds);
	memcpy(m->bounds, bounds, nbounds * sizeof *bounds);
	m->nbounds = nbounds;
	metric_series_init(m, &m->overflow);
	if (m->nlabels == 0)
		(void)metric_get(m, NULL);
	return (m);
}

/* FNV-1a over the label values, each followed by a NUL. */
static uint32_t
metric_hash(const struct metric *m, const char *const *values)
{
	uint32_t	 h = 2166136261U;
	const char	*p;
	size_t		 i;

	for (i = 0; i < m->nlabels; i++) {
		for (p = values[i]; ; p++) {
			h = (h ^ (unsigned char)*p) * 16777619U;
			if (*p == '\0')
				break;
		}
	}
	return (h);
}

/* Whether a series has exactly these label values. */
static int
metric_series_match(const struct metric *m, const struct metric_series *s,
    const char *const *values)
{
	size_t	 i;

	for (i = 0; i < m->nlabels; i++)
		if (strcmp(s->values[i], values[i]) != 0)
			return (0);
	return (1);
}

/* Create a series for new label values and link it in. */
static struct metric_series *
metric_series_new(struct metric *m, const char *const *values, uint32_t h)
{
	struct metric_series	*s;
	size_t			 i;

	s = xcalloc(1, sizeof *s);
	metric_series_init(m, s);
	s->hash = h;
	for (i = 0; i < m->nlabels; i++)
		s->values[i] = xstrdup(values[i]);
	s->hnext = m->hash[h % METRIC_HASH_SIZE];
	m->hash[h % METRIC_HASH_SIZE] = s;
	if (m->last != NULL)
		m->last->next = s;
	else
		m->first = s;
	m->last = s;
	m->nseries++;
	return (s);
}

/*
 * The series for these label values (one per label name; NULL when the
 * family has none), created the first time it is asked for.
 */
struct metric_series *
metric_get(struct metric *m, const char *const *values)
{
	struct metric_series	*s;
	uint32_t		 h;
	size_t			 i;

	if (m->nlabels != 0 && values == NULL)
		fatalx("metrics: '%s' needs label values", m->name);
	for (i = 0; i < m->nlabels; i++)
		if (values[i] == NULL)
			fatalx("metrics: '%s' label %zu is NULL", m->name, i);
	h = metric_hash(m, values);
	for (s = m->hash[h % METRIC_HASH_SIZE]; s != NULL; s = s->hnext)
		if (s->hash == h && metric_series_match(m, s, values))
			return (s);
	if (m->nseries >= METRICS_MAX_SERIES)
		return (&m->overflow);
	return (metric_series_new(m, values, h));
}

/* Shorthand for a family with one label. */
struct metric_series *
metric_get1(struct metric *m, const char *a)
{
	const char	*v[] = { a };

	if (m->nlabels != 1)
		fatalx("metrics: '%s' has %zu labels, not 1", m->name,
		    m->nlabels);
	return (metric_get(m, v));
}

/* Shorthand for a family with two labels. */
struct metric_series *
metric_get2(struct metric *m, const char *a, const char *b)
{
	const char	*v[] = { a, b };

	if (m->nlabels != 2)
		fatalx("metrics: '%s' has %zu labels, not 2", m->name,
		    m->nlabels);
	return (metric_get(m, v));
}

/* Shorthand for a family with three labels. */
struct metric_series *
metric_get3(struct metric *m, const char *a, const char *b, const char *c)
{
	const char	*v[] = { a, b, c };

	if (m->nlabels != 3)
		fatalx("metrics: '%s' has %zu labels, not 3", m->name,
		    m->nlabels);
	return (metric_get(m, v));
}

/* Add one to a counter or gauge. */
void
metric_inc(struct metric_series *s)
{
	metric_add(s, 1);
}

/* Add to a counter (which never goes down) or a gauge. */
void
metric_add(struct metric_series *s, double v)
{
	if (s->family->type == METRIC_HISTOGRAM || isnan(v))
		return;
	if (s->family->type == METRIC_COUNTER && v < 0)
		return;
	s->value += v;
}

/* Set a gauge. */
void
metric_set(struct metric_series *s, double v)
{
	if (s->family->type == METRIC_GAUGE)
		s->value = v;
}

/* Record one observation in a histogram. */
void
metric_observe(struct metric_series *s, double v)
{
	struct metric	*m = s->family;
	size_t		 i;

	if (m->type != METRIC_HISTOGRAM || isnan(v))
		return;
	for (i = 0; i < m->nbounds && v > m->bounds[i]; i++)
		/* nothing */;
	s->buckets[i]++;
	s->count++;
	s->value += v;
}

/* A counter's or gauge's value, or a histogram's sum. */
double
metric_value(const struct metric_series *s)
{
	return (s->value);
}

/* A histogram's number of observations. */
uint64_t
metric_count(const struct metric_series *s)
{
	return (s->count);
}

/*
 * Format a sample value as Prometheus parses it: integers plainly, other
 * numbers with the fewest digits that read back the same.
 */
static void
metrics_fmt(double v, char *out, size_t len)
{
	if (isnan(v))
		snprintf(out, len, "NaN");
	else if (isinf(v))
		snprintf(out, len, "%sInf", v > 0 ? "+" : "-");
	else if (v > -9007199254740992.0 && v < 9007199254740992.0 &&
	    v == (double)(int64_t)v)
		snprintf(out, len, "%.0f", v);
	else {
		snprintf(out, len, "%.15g", v);
		if (strtod(out, NULL) != v)
			snprintf(out, len, "%.17g", v);
	}
}

/* Length of the valid UTF-8 sequence at p (0 if invalid). */
static size_t
metrics_utf8_len(const unsigned char *p)
{
	size_t	 n, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return (0);
	cp = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (n);
}

/*
 * Append text escaped for a label value (quote too) or a HELP line:
 * backslash, newline and invalid UTF-8 (replaced by U+FFFD).
 */
static void
metrics_escape(struct buf *b, const char *s, int quote)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	while (*p != '\0') {
		if (*p == '\\')
			buf_adds(b, "\\\\");
		else if (*p == '\n')
			buf_adds(b, "\\n");
		else if (*p == '"' && quote)
			buf_adds(b, "\\\"");
		else if ((n = metrics_utf8_len(p)) == 0)
			buf_adds(b, "\xef\xbf\xbd");
		else {
			buf_add(b, p, n);
			p += n;
			continue;
		}
		p++;
	}
}

/* Append one sample line: name, suffix, labels (plus le), value. */
static void
metrics_sample(struct buf *b, const struct metric *m,
    const struct metric_series *s, const char *suffix, const char *le,
    double v)
{
	char	 num[64];
	size_t	 i;

	buf_adds(b, m->name);
	buf_adds(b, suffix);
	if (m->nlabels != 0 || le != NULL) {
		buf_addc(b, '{');
		for (i = 0; i < m->nlabels; i++) {
			buf_printf(b, "%s%s=\"", i == 0 ? "" : ",",
			    m->labels[i]);
			metrics_escape(b, s->values[i], 1);
			buf_addc(b, '"');
		}
		if (le != NULL)
			buf_printf(b, "%sle=\"%s\"", m->nlabels ? "," : "", le);
		buf_addc(b, '}');
	}
	metrics_fmt(v, num, sizeof num);
	buf_printf(b, " %s\n", num);
}

/* Append a histogram series: cumulative buckets, +Inf, sum and count. */
static void
metrics_render_histogram(struct buf *b, const struct metric *m,
    const struct metric_series *s)
{
	char		 le[64];
	uint64_t	 cum = 0;
	size_t		 i;

	for (i = 0; i < m->nbounds; i++) {
		cum += s->buckets[i];
		metrics_fmt(m->bounds[i], le, sizeof le);
		metrics_sample(b, m, s, "_bucket", le, (double)cum);
	}
	metrics_sample(b, m, s, "_bucket", "+Inf", (double)s->count);
	metrics_sample(b, m, s, "_sum", NULL, s->value);
	metrics_sample(b, m, s, "_count", NULL, (double)s->count);
}

/* Append one family: HELP, TYPE and each series in creation order. */
static void
metrics_render_family(struct buf *b, const struct metric *m)
{
	static const char *const types[] = { "counter", "gauge", "histogram" };
	const struct metric_series	*s;

	buf_printf(b, "# HELP %s ", m->name);
	metrics_escape(b, m->help, 0);
	buf_printf(b, "\n# TYPE %s %s\n", m->name, types[m->type]);
	for (s = m->first; s != NULL; s = s->next) {
		if (m->type == METRIC_HISTOGRAM)
			metrics_render_histogram(b, m, s);
		else
			metrics_sample(b, m, s, "", NULL, s->value);
	}
}

/* Render the whole registry in the text exposition format. */
void
metrics_render(struct metrics *r, struct buf *b)
{
	const struct metric	*m;

	if (r->collect != NULL)
		r->collect(r, r->collect_arg);
	for (m = r->first; m != NULL; m = m->next)
		metrics_render_family(b, m);
}
