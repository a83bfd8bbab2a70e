/*
 * ydoc.c: thin helpers over libyaml's document API. libyaml keeps the
 * start mark of every node, which is all we need to report errors as
 * file:line:column. Loaders walk the tree, collect every error (not only
 * the first) and refuse unknown keys, so a typo is never silently ignored.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"
#include "util/ydoc.h"

static void	ydoc_error_at(struct ydoc *, yaml_mark_t, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

/* Record an error at a mark. */
static void
ydoc_error_at(struct ydoc *y, yaml_mark_t m, const char *fmt, va_list ap)
{
	char	 msg[512];

	vsnprintf(msg, sizeof msg, fmt, ap);
	buf_printf(&y->errors, "%s:%zu:%zu: %s\n", y->file, m.line + 1,
	    m.column + 1, msg);
	y->nerrors++;
}

/* Record an error about a node. */
void
ydoc_error(struct ydoc *y, yaml_node_t *n, const char *fmt, ...)
{
	va_list		 ap;
	yaml_mark_t	 m;

	memset(&m, 0, sizeof m);
	if (n != NULL)
		m = n->start_mark;
	va_start(ap, fmt);
	ydoc_error_at(y, m, fmt, ap);
	va_end(ap);
}

/* Record a syntax error reported by libyaml. */
static void
ydoc_syntax_error(struct ydoc *y, yaml_parser_t *p)
{
	yaml_mark_t	 m = p->problem_mark;

	buf_printf(&y->errors, "%s:%zu:%zu: YAML syntax error: %s%s%s\n",
	    y->file, m.line + 1, m.column + 1,
	    p->problem != NULL ? p->problem : "unknown problem",
	    p->context != NULL ? " " : "",
	    p->context != NULL ? p->context : "");
	y->nerrors++;
}

/*
 * Parse text into a document. Returns 0 on success; on failure the
 * message is in y->errors. The document must be freed in both cases.
 */
int
ydoc_load(struct ydoc *y, const char *file, const char *text, size_t len)
{
	yaml_parser_t	 p;

	memset(y, 0, sizeof *y);
	y->file = xstrdup(file);
	buf_init(&y->errors);
	if (!yaml_parser_initialize(&p))
		return (-1);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		ydoc_syntax_error(y, &p);
		yaml_parser_delete(&p);
		return (-1);
	}
	y->loaded = 1;
	yaml_parser_delete(&p);
	if (yaml_document_get_root_node(&y->doc) == NULL) {
		buf_printf(&y->errors, "%s:1:1: the file is empty\n", file);
		y->nerrors++;
		return (-1);
	}
	return (0);
}

/* Free a document and its errors. */
void
ydoc_free(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	buf_free(&y->errors);
	free(y->file);
	memset(y, 0, sizeof *y);
}

/* The root node. */
yaml_node_t *
ydoc_root(struct ydoc *y)
{
	return (yaml_document_get_root_node(&y->doc));
}

/* Check a node is a mapping; report otherwise. */
int
ydoc_is_map(struct ydoc *y, yaml_node_t *n, const char *what)
{
	if (n != NULL && n->type == YAML_MAPPING_NODE)
		return (1);
	ydoc_error(y, n, "%s must be a mapping of keys to values", what);
	return (0);
}

/* Check a node is a sequence; report otherwise. */
int
ydoc_is_seq(struct ydoc *y, yaml_node_t *n, const char *what)
{
	if (n != NULL && n->type == YAML_SEQUENCE_NODE)
		return (1);
	ydoc_error(y, n, "%s must be a list", what);
	return (0);
}

/* The value of a key in a mapping, or NULL if absent. */
yaml_node_t *
ydoc_get(struct ydoc *y, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t	*pr;
	yaml_node_t		*k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return (NULL);
	for (pr = map->data.mapping.pairs.start;
	    pr < map->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(&y->doc, pr->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return (yaml_document_get_node(&y->doc, pr->value));
	}
	return (NULL);
}

/* Report keys of a mapping that are not in the NULL-terminated list. */
int
ydoc_check_keys(struct ydoc *y, yaml_node_t *map, const char *const *allowed)
{
	yaml_node_pair_t	*pr, *q;
	yaml_node_t		*k, *kq;
	const char *const	*a;
	int			 bad = 0;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return (0);
	for (pr = map->data.mapping.pairs.start;
	    pr < map->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(&y->doc, pr->key);
		if (k == NULL || k->type != YAML_SCALAR_NODE) {
			ydoc_error(y, k, "a key must be a plain word");
			bad++;
			continue;
		}
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, (char *)k->data.scalar.value) == 0)
				break;
		if (*a == NULL) {
			ydoc_error(y, k, "unknown key '%s'",
			    (char *)k->data.scalar.value);
			bad++;
		}
		for (q = map->data.mapping.pairs.start; q < pr; q++) {
			kq = yaml_document_get_node(&y->doc, q->key);
			if (kq != NULL && kq->type == YAML_SCALAR_NODE &&
			    strcmp((char *)kq->data.scalar.value,
			    (char *)k->data.scalar.value) == 0) {
				ydoc_error(y, k, "key '%s' is given twice",
				    (char *)k->data.scalar.value);
				bad++;
			}
		}
	}
	return (bad == 0);
}

/* A scalar's text, or NULL (with an error) if the node is not a scalar. */
const char *
ydoc_str(struct ydoc *y, yaml_node_t *n, const char *what)
{
	if (n != NULL && n->type == YAML_SCALAR_NODE)
		return ((const char *)n->data.scalar.value);
	ydoc_error(y, n, "%s must be a single value, not a list or mapping",
	    what);
	return (NULL);
}

/* Parse an integer scalar within [min, max]; 0 on success. */
int
ydoc_int(struct ydoc *y, yaml_node_t *n, const char *what, int64_t min,
    int64_t max, int64_t *out)
{
	const char	*s;
	char		*end;
	long long	 v;

	if ((s = ydoc_str(y, n, what)) == NULL)
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0) {
		ydoc_error(y, n, "%s must be a whole number, not '%s'", what, s);
		return (-1);
	}
	if (v < min || v > max) {
		ydoc_error(y, n, "%s must be between %" PRId64 " and %" PRId64
		    ", not %lld", what, min, max, v);
		return (-1);
	}
	*out = v;
	return (0);
}

/* Parse a yes/no scalar; 0 on success. */
int
ydoc_bool(struct ydoc *y, yaml_node_t *n, const char *what, int *out)
{
	const char	*s;

	if ((s = ydoc_str(y, n, what)) == NULL)
		return (-1);
	if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
		*out = 1;
		return (0);
	}
	if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0) {
		*out = 0;
		return (0);
	}
	ydoc_error(y, n, "%s must be true or false, not '%s'", what, s);
	return (-1);
}

/*
 * Parse a duration such as 90s, 15m, 2h, 3d or 250ms into microseconds.
 * A bare number is seconds. 0 on success.
 */
int
duration_parse(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;
	int64_t		 unit;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || v < 0 || errno != 0)
		return (-1);
	if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
		unit = 1000000;
	else if (strcmp(end, "ms") == 0)
		unit = 1000;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		unit = 60 * INT64_C(1000000);
	else if (strcmp(end, "h") == 0)
		unit = 3600 * INT64_C(1000000);
	else if (strcmp(end, "d") == 0)
		unit = 86400 * INT64_C(1000000);
	else
		return (-1);
	if (v > INT64_MAX / unit)
		return (-1);
	*out = v * unit;
	return (0);
}

/* A duration scalar (see duration_parse), or an error at its place. */
int
ydoc_duration(struct ydoc *y, yaml_node_t *n, const char *what, int64_t *out)
{
	const char	*s;

	if ((s = ydoc_str(y, n, what)) == NULL)
		return (-1);
	if (duration_parse(s, out) == 0)
		return (0);
	ydoc_error(y, n, "%s must be a duration such as 250ms, 30s, 15m, 2h "
	    "or 3d, not '%s'", what, s);
	return (-1);
}

/* Number of items in a sequence (0 for anything else). */
size_t
ydoc_seq_len(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return (0);
	return ((size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start));
}

/* Item i of a sequence. */
yaml_node_t *
ydoc_seq_at(struct ydoc *y, yaml_node_t *n, size_t i)
{
	if (i >= ydoc_seq_len(n))
		return (NULL);
	return (yaml_document_get_node(&y->doc,
	    n->data.sequence.items.start[i]));
}
