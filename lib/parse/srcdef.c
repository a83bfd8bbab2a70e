/*
 * srcdef.c: load a source definition from YAML text (libyaml's document
 * API). Every key is checked; the first problem is reported as
 * "file:line:column: message" with the position of the offending node.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "parse/srcdef.h"
#include "util/ydoc.h"
#include "util/xmalloc.h"

struct sd_load {
	const char	*file;
	yaml_document_t	 doc;
	char		*cause;
	struct srcdef	*sd;
};

typedef int (*sd_key_fn)(struct sd_load *, yaml_node_t *, void *);

struct sd_key {
	const char	*name;
	sd_key_fn	 fn;
};

static const char *sd_field_names[SF__MAX] = {
	[SF_ID] = "id", [SF_TIME] = "time", [SF_USER] = "user",
	[SF_WORKSTATION] = "workstation", [SF_APPLICATION] = "application",
	[SF_PURPOSE] = "purpose", [SF_CASE] = "case", [SF_REQUEST] = "request",
	[SF_STATUS] = "status", [SF_SURNAME] = "surname",
	[SF_PREFIX] = "prefix", [SF_GIVEN] = "given",
	[SF_BIRTHDATE] = "birthdate", [SF_POSTCODE] = "postcode",
	[SF_HOUSENUMBER] = "housenumber",
};

/* The YAML name of a field. */
const char *
srcdef_field_name(enum sd_field f)
{
	return ((size_t)f < SF__MAX ? sd_field_names[f] : "?");
}

/* Record the first error, at a node's position. */
static int __attribute__((format(printf, 3, 4)))
sd_err(struct sd_load *l, yaml_node_t *n, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (l->cause != NULL)
		return (-1);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	xasprintf(&l->cause, "%s:%lu:%lu: %s", l->file,
	    n ? (unsigned long)n->start_mark.line + 1 : 0UL,
	    n ? (unsigned long)n->start_mark.column + 1 : 0UL,
	    msg ? msg : "out of memory");
	free(msg);
	return (-1);
}

/* A scalar node's text, or NULL with an error. */
static const char *
sd_scalar(struct sd_load *l, yaml_node_t *n, const char *what)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE) {
		sd_err(l, n, "%s must be a single value", what);
		return (NULL);
	}
	return ((const char *)n->data.scalar.value);
}

/* Dispatch each key of a mapping to its handler; unknown keys are errors. */
static int
sd_mapping(struct sd_load *l, yaml_node_t *n, const struct sd_key *keys,
    void *arg, const char *what)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k;
	const char		*name;
	size_t			 i;

	if (n == NULL || n->type != YAML_MAPPING_NODE)
		return (sd_err(l, n, "%s must be a mapping of keys", what));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&l->doc, pair->key);
		if ((name = sd_scalar(l, k, "a key")) == NULL)
			return (-1);
		for (i = 0; keys[i].name != NULL; i++) {
			if (strcmp(keys[i].name, name) == 0)
				break;
		}
		if (keys[i].name == NULL)
			return (sd_err(l, k, "unknown key '%s' in %s", name,
			    what));
		if (keys[i].fn(l, yaml_document_get_node(&l->doc,
		    pair->value), arg) != 0)
			return (-1);
	}
	return (0);
}

/* Collect a scalar or a sequence of scalars into a string array. */
static int
sd_strings(struct sd_load *l, yaml_node_t *n, char ***out, size_t *nout,
    const char *what)
{
	yaml_node_item_t	*it;
	const char		*s;

	if (n != NULL && n->type == YAML_SCALAR_NODE) {
		*out = xreallocarray(*out, *nout + 1, sizeof **out);
		(*out)[(*nout)++] = xstrdup((const char *)n->data.scalar.value);
		return (0);
	}
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return (sd_err(l, n, "%s must be a value or a list", what));
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if ((s = sd_scalar(l, yaml_document_get_node(&l->doc, *it),
		    what)) == NULL)
			return (-1);
		*out = xreallocarray(*out, *nout + 1, sizeof **out);
		(*out)[(*nout)++] = xstrdup(s);
	}
	return (0);
}

/* Resolve one path: a JSON path, or a column name of a delimited log. */
static int
sd_path_set(struct sd_load *l, yaml_node_t *n, struct sd_path *p,
    const char *s, int header)
{
	struct srcdef	*sd = l->sd;
	size_t		 i;

	if (*s == '\0')
		return (sd_err(l, n, "empty path"));
	free(p->path);
	p->path = xstrdup(s);
	p->len = strlen(s);
	p->header = header;
	p->column = -1;
	if (sd->kind == SD_JSON) {
		if (header && sd->headers.path == NULL)
			return (sd_err(l, n, "'header' needs a top-level "
			    "'headers' path first"));
		return (0);
	}
	if (header)
		return (sd_err(l, n, "'header' is for JSON logs"));
	for (i = 0; i < sd->ncolumns; i++) {
		if (strcmp(sd->columns[i], s) == 0) {
			p->column = (int)i;
			return (0);
		}
	}
	return (sd_err(l, n, "no column named '%s' (declare 'columns' "
	    "before the fields)", s));
}

/* Add the alternatives of a path or header list to a source. */
static int
sd_src_alts(struct sd_load *l, yaml_node_t *n, struct sd_src *src, int header)
{
	char	**v = NULL;
	size_t	 nv = 0, i;
	int	 rc = 0;

	if (sd_strings(l, n, &v, &nv, header ? "header" : "path") != 0)
		rc = -1;
	for (i = 0; i < nv; i++) {
		if (rc == 0 && src->nalt == SD_ALT_MAX)
			rc = sd_err(l, n, "at most %d alternatives", SD_ALT_MAX);
		if (rc == 0)
			rc = sd_path_set(l, n, &src->alt[src->nalt++], v[i],
			    header);
		free(v[i]);
	}
	free(v);
	return (rc);
}

/* Key handlers of a value source mapping. */
static int
sd_src_path(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_src_alts(l, n, arg, 0));
}

static int
sd_src_header(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_src_alts(l, n, arg, 1));
}

/* Set a string option once. */
static int
sd_set_str(struct sd_load *l, yaml_node_t *n, char **dst, const char *what)
{
	const char	*s;

	if ((s = sd_scalar(l, n, what)) == NULL)
		return (-1);
	if (*s == '\0')
		return (sd_err(l, n, "%s must not be empty", what));
	free(*dst);
	*dst = xstrdup(s);
	return (0);
}

static int
sd_src_value(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_set_str(l, n, &((struct sd_src *)arg)->value, "value"));
}

static int
sd_src_before(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_set_str(l, n, &((struct sd_src *)arg)->before, "before"));
}

static int
sd_src_split(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_set_str(l, n, &((struct sd_src *)arg)->split, "split"));
}

/* Keys every value source accepts. */
#define SD_SRC_KEYS							\
	{ "path", sd_src_path }, { "column", sd_src_path },		\
	{ "header", sd_src_header }, { "value", sd_src_value },		\
	{ "before", sd_src_before }

/* Check that a source names where its value comes from. */
static int
sd_src_check(struct sd_load *l, yaml_node_t *n, struct sd_src *src)
{
	if (src->nalt == 0 && src->value == NULL)
		return (sd_err(l, n, "say where the value comes from ('path', "
		    "'column', 'header' or 'value')"));
	if (src->nalt != 0 && src->value != NULL)
		return (sd_err(l, n, "'value' excludes 'path', 'column' and "
		    "'header'"));
	return (0);
}

/* A value source: a path, a list of paths, or a mapping. */
static int
sd_src(struct sd_load *l, yaml_node_t *n, struct sd_src *src)
{
	static const struct sd_key keys[] = { SD_SRC_KEYS, { NULL, NULL } };

	if (n != NULL && n->type != YAML_MAPPING_NODE)
		return (sd_src_alts(l, n, src, 0));
	if (sd_mapping(l, n, keys, src, "a field") != 0)
		return (-1);
	return (sd_src_check(l, n, src));
}

/* time: a source plus format and zone. */
static int
sd_time_format(struct sd_load *l, yaml_node_t *n, void *arg)
{
	struct srcdef	*sd = l->sd;
	const char	*s, *p;

	if ((s = sd_scalar(l, n, "format")) == NULL)
		return (-1);
	if (strcmp(s, "rfc3339") == 0)
		sd->timefmt = SD_TIME_RFC3339;
	else if (strcmp(s, "epoch-s") == 0)
		sd->timefmt = SD_TIME_EPOCH_S;
	else if (strcmp(s, "epoch-ms") == 0)
		sd->timefmt = SD_TIME_EPOCH_MS;
	else if (strcmp(s, "epoch-us") == 0)
		sd->timefmt = SD_TIME_EPOCH_US;
	else if (strchr(s, '%') != NULL) {
		for (p = s; (p = strchr(p, '%')) != NULL; p += 2) {
			if (p[1] == '\0' || strchr("YmdHMSf%", p[1]) == NULL)
				return (sd_err(l, n, "format '%s': only %%Y %%m "
				    "%%d %%H %%M %%S %%f and %%%% are known", s));
		}
		sd->timefmt = SD_TIME_PATTERN;
		free(sd->timepattern);
		sd->timepattern = xstrdup(s);
	} else
		return (sd_err(l, n, "format '%s': want rfc3339, epoch-s, "
		    "epoch-ms, epoch-us or a pattern such as "
		    "'%%Y-%%m-%%d %%H:%%M:%%S'", s));
	return (0);
}

static int
sd_time_zone(struct sd_load *l, yaml_node_t *n, void *arg)
{
	const char	*s;

	if ((s = sd_scalar(l, n, "zone")) == NULL)
		return (-1);
	if (tz_zone_parse(s, &l->sd->zone) != 0)
		return (sd_err(l, n, "zone '%s': only UTC and Europe/Amsterdam "
		    "are known", s));
	return (0);
}

static int
sd_time(struct sd_load *l, yaml_node_t *n, struct sd_src *src)
{
	static const struct sd_key keys[] = { SD_SRC_KEYS,
	    { "format", sd_time_format }, { "zone", sd_time_zone },
	    { NULL, NULL } };

	if (n != NULL && n->type != YAML_MAPPING_NODE)
		return (sd_src_alts(l, n, src, 0));
	if (sd_mapping(l, n, keys, src, "time") != 0)
		return (-1);
	return (sd_src_check(l, n, src));
}

/* status: a source plus the values that mean success. */
static int
sd_status_success(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_strings(l, n, &l->sd->success, &l->sd->nsuccess,
	    "success"));
}

static int
sd_status(struct sd_load *l, yaml_node_t *n, struct sd_src *src)
{
	static const struct sd_key keys[] = { SD_SRC_KEYS,
	    { "success", sd_status_success }, { NULL, NULL } };

	if (n != NULL && n->type != YAML_MAPPING_NODE)
		return (sd_err(l, n, "status needs 'path' and 'success'"));
	if (sd_mapping(l, n, keys, src, "status") != 0 ||
	    sd_src_check(l, n, src) != 0)
		return (-1);
	if (l->sd->nsuccess == 0)
		return (sd_err(l, n, "status needs 'success': the values that "
		    "mean the lookup succeeded"));
	return (0);
}

/* request: a source plus a map from log values to request types. */
static int
sd_request_map(struct sd_load *l, yaml_node_t *n, void *arg)
{
	struct srcdef		*sd = l->sd;
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*from, *to;
	enum ev_request		 r;

	if (n == NULL || n->type != YAML_MAPPING_NODE)
		return (sd_err(l, n, "map must be a mapping of log value to "
		    "request type"));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&l->doc, pair->key);
		v = yaml_document_get_node(&l->doc, pair->value);
		if ((from = sd_scalar(l, k, "a log value")) == NULL ||
		    (to = sd_scalar(l, v, "a request type")) == NULL)
			return (-1);
		if ((r = ev_request_parse(to, strlen(to))) == EV_REQ_UNKNOWN &&
		    strcmp(to, "unknown") != 0)
			return (sd_err(l, v, "unknown request type '%s'", to));
		sd->requests = xreallocarray(sd->requests, sd->nrequests + 1,
		    sizeof *sd->requests);
		sd->requests[sd->nrequests].from = xstrdup(from);
		sd->requests[sd->nrequests++].request = (uint8_t)r;
	}
	return (0);
}

static int
sd_request(struct sd_load *l, yaml_node_t *n, struct sd_src *src)
{
	static const struct sd_key keys[] = { SD_SRC_KEYS,
	    { "map", sd_request_map }, { NULL, NULL } };

	if (n != NULL && n->type != YAML_MAPPING_NODE)
		return (sd_src_alts(l, n, src, 0));
	if (sd_mapping(l, n, keys, src, "request") != 0)
		return (-1);
	if (src->value != NULL && ev_request_parse(src->value,
	    strlen(src->value)) == EV_REQ_UNKNOWN)
		return (sd_err(l, n, "unknown request type '%s'", src->value));
	return (sd_src_check(l, n, src));
}

/* fields: one entry per event field. */
static int
sd_fields(struct sd_load *l, yaml_node_t *n, void *arg)
{
	struct srcdef		*sd = l->sd;
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*name;
	int			 f, rc;

	if (n == NULL || n->type != YAML_MAPPING_NODE)
		return (sd_err(l, n, "fields must be a mapping"));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&l->doc, pair->key);
		v = yaml_document_get_node(&l->doc, pair->value);
		if ((name = sd_scalar(l, k, "a field name")) == NULL)
			return (-1);
		for (f = 0; f < SF__MAX; f++) {
			if (strcmp(sd_field_names[f], name) == 0)
				break;
		}
		if (f == SF__MAX)
			return (sd_err(l, k, "unknown event field '%s'", name));
		if (sd->field[f].nalt != 0 || sd->field[f].value != NULL)
			return (sd_err(l, k, "field '%s' given twice", name));
		if (f == SF_TIME)
			rc = sd_time(l, v, &sd->field[f]);
		else if (f == SF_STATUS)
			rc = sd_status(l, v, &sd->field[f]);
		else if (f == SF_REQUEST)
			rc = sd_request(l, v, &sd->field[f]);
		else
			rc = sd_src(l, v, &sd->field[f]);
		if (rc != 0)
			return (-1);
	}
	return (0);
}

/* Subject keys. */
static int
sd_subj_kind(struct sd_load *l, yaml_node_t *n, void *arg)
{
	struct sd_subject	*s = arg;
	const char		*v;

	if ((v = sd_scalar(l, n, "kind")) == NULL)
		return (-1);
	if (strcmp(v, "bsn") == 0)
		s->kind = SUBJ_BSN;
	else if (strcmp(v, "plate") == 0)
		s->kind = SUBJ_PLATE;
	else
		return (sd_err(l, n, "kind '%s': want bsn or plate", v));
	return (0);
}

static int
sd_subj_role(struct sd_load *l, yaml_node_t *n, void *arg)
{
	struct sd_subject	*s = arg;
	const char		*v;

	if ((v = sd_scalar(l, n, "role")) == NULL)
		return (-1);
	if (strcmp(v, "queried") == 0)
		s->role = SUBJ_QUERIED;
	else if (strcmp(v, "returned") == 0)
		s->role = SUBJ_RETURNED;
	else if (strcmp(v, "owner") == 0)
		s->role = SUBJ_OWNER;
	else
		return (sd_err(l, n, "role '%s': want queried, returned or "
		    "owner", v));
	return (0);
}

static int
sd_subj_invalid(struct sd_load *l, yaml_node_t *n, void *arg)
{
	struct sd_subject	*s = arg;
	const char		*v;

	if ((v = sd_scalar(l, n, "invalid")) == NULL)
		return (-1);
	if (strcmp(v, "keep") == 0)
		s->invalid = SD_INVALID_KEEP;
	else if (strcmp(v, "malformed") == 0)
		s->invalid = SD_INVALID_BAD;
	else if (strcmp(v, "malformed-unless-error") == 0)
		s->invalid = SD_INVALID_BAD_IF_OK;
	else
		return (sd_err(l, n, "invalid '%s': want keep, malformed or "
		    "malformed-unless-error", v));
	return (0);
}

static int
sd_subj_when(struct sd_load *l, yaml_node_t *n, void *arg)
{
	struct sd_subject	*s = arg;

	return (sd_strings(l, n, &s->when, &s->nwhen, "when"));
}

/* subjects: a list of subject sources. */
static int
sd_subjects(struct sd_load *l, yaml_node_t *n, void *arg)
{
	static const struct sd_key keys[] = { SD_SRC_KEYS,
	    { "split", sd_src_split }, { "kind", sd_subj_kind },
	    { "role", sd_subj_role }, { "invalid", sd_subj_invalid },
	    { "when", sd_subj_when }, { NULL, NULL } };
	struct srcdef		*sd = l->sd;
	struct sd_subject	*s;
	yaml_node_item_t	*it;
	yaml_node_t		*v;

	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return (sd_err(l, n, "subjects must be a list"));
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		v = yaml_document_get_node(&l->doc, *it);
		sd->subjects = xreallocarray(sd->subjects, sd->nsubjects + 1,
		    sizeof *sd->subjects);
		s = &sd->subjects[sd->nsubjects++];
		memset(s, 0, sizeof *s);
		if (sd_mapping(l, v, keys, s, "a subject") != 0 ||
		    sd_src_check(l, v, &s->src) != 0)
			return (-1);
		if (s->kind == 0 || s->role == 0)
			return (sd_err(l, v, "a subject needs 'kind' and "
			    "'role'"));
	}
	return (0);
}

/* join keys. */
static int
sd_join_role(struct sd_load *l, yaml_node_t *n, void *arg)
{
	const char	*v;

	if ((v = sd_scalar(l, n, "role")) == NULL)
		return (-1);
	if (strcmp(v, "records") == 0)
		l->sd->join = SD_JOIN_RECORDS;
	else if (strcmp(v, "partner") == 0)
		l->sd->join = SD_JOIN_PARTNER;
	else
		return (sd_err(l, n, "role '%s': want records or partner", v));
	return (0);
}

static int
sd_join_key(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_src(l, n, &l->sd->key));
}

static int
sd_join_parent(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_src(l, n, &l->sd->parent));
}

static int
sd_join_with(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_set_str(l, n, &l->sd->with, "with"));
}

static int
sd_join_from(struct sd_load *l, yaml_node_t *n, void *arg)
{
	char	**v = NULL;
	size_t	 nv = 0, i;
	int	 f, rc = 0;

	if (sd_strings(l, n, &v, &nv, "from_records") != 0)
		rc = -1;
	for (i = 0; i < nv; i++) {
		for (f = 0; f < SF__MAX; f++) {
			if (strcmp(sd_field_names[f], v[i]) == 0)
				break;
		}
		if (rc == 0 && f == SF__MAX)
			rc = sd_err(l, n, "unknown event field '%s'", v[i]);
		else if (f < SF__MAX)
			l->sd->from_records |= 1U << f;
		free(v[i]);
	}
	free(v);
	return (rc);
}

static int
sd_join(struct sd_load *l, yaml_node_t *n, void *arg)
{
	static const struct sd_key keys[] = { { "role", sd_join_role },
	    { "key", sd_join_key }, { "parent", sd_join_parent },
	    { "with", sd_join_with }, { "from_records", sd_join_from },
	    { NULL, NULL } };
	struct srcdef	*sd = l->sd;

	if (sd_mapping(l, n, keys, NULL, "join") != 0)
		return (-1);
	if (sd->join == SD_JOIN_NONE || sd->key.nalt == 0)
		return (sd_err(l, n, "join needs 'role' and 'key'"));
	if (sd->join == SD_JOIN_RECORDS && sd->parent.nalt == 0)
		return (sd_err(l, n, "records need 'parent': the field that "
		    "only the parts of a group carry"));
	if (sd->join == SD_JOIN_PARTNER && sd->with == NULL)
		return (sd_err(l, n, "a partner needs 'with': the name of the "
		    "records' definition"));
	return (0);
}

/* Top-level keys. */
static int
sd_top_name(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_set_str(l, n, &l->sd->name, "name"));
}

static int
sd_top_description(struct sd_load *l, yaml_node_t *n, void *arg)
{
	return (sd_scalar(l, n, "description") == NULL ? -1 : 0);
}

static int
sd_top_register(struct sd_load *l, yaml_node_t *n, void *arg)
{
	const char	*v;

	if ((v = sd_scalar(l, n, "register")) == NULL)
		return (-1);
	if (strcmp(v, "brp") == 0)
		l->sd->reg = EV_REG_BRP;
	else if (strcmp(v, "rdw") == 0)
		l->sd->reg = EV_REG_RDW;
	else
		return (sd_err(l, n, "register '%s': want brp or rdw", v));
	return (0);
}

static int
sd_top_kind(struct sd_load *l, yaml_node_t *n, void *arg)
{
	const char	*v;

	if ((v = sd_scalar(l, n, "kind")) == NULL)
		return (-1);
	if (strcmp(v, "json") == 0)
		l->sd->kind = SD_JSON;
	else if (strcmp(v, "delimited") == 0)
		l->sd->kind = SD_DELIMITED;
	else
		return (sd_err(l, n, "kind '%s': want json or delimited", v));
	return (0);
}

static int
sd_top_separator(struct sd_load *l, yaml_node_t *n, void *arg)
{
	const char	*v;

	if ((v = sd_scalar(l, n, "separator")) == NULL)
		return (-1);
	if (strcmp(v, "\\t") == 0 || strcmp(v, "tab") == 0)
		v = "\t";
	if (strlen(v) != 1 || *v == '\n' || *v == '"')
		return (sd_err(l, n, "separator must be one character"));
	l->sd->sep = *v;
	return (0);
}

static int
sd_top_header(struct sd_load *l, yaml_node_t *n, void *arg)
{
	const char	*v;

	if ((v = sd_scalar(l, n, "header")) == NULL)
		return (-1);
	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
		l->sd->header = 1;
	else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
		l->sd->header = 0;
	else
		return (sd_err(l, n, "header must be true or false"));
	return (0);
}

static int
sd_top_columns(struct sd_load *l, yaml_node_t *n, void *arg)
{
	struct srcdef	*sd = l->sd;

	if (sd->kind != SD_DELIMITED)
		return (sd_err(l, n, "columns are for kind: delimited (put "
		    "'kind' first)"));
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return (sd_err(l, n, "columns must be a list of names"));
	return (sd_strings(l, n, &sd->columns, &sd->ncolumns, "a column"));
}

static int
sd_top_headers(struct sd_load *l, yaml_node_t *n, void *arg)
{
	const char	*v;

	if ((v = sd_scalar(l, n, "headers")) == NULL)
		return (-1);
	if (l->sd->kind != SD_JSON)
		return (sd_err(l, n, "headers are for kind: json"));
	return (sd_path_set(l, n, &l->sd->headers, v, 0));
}

static int
sd_top_max_line(struct sd_load *l, yaml_node_t *n, void *arg)
{
	const char	*v;
	char		*end;
	unsigned long	 x;

	if ((v = sd_scalar(l, n, "max_line")) == NULL)
		return (-1);
	errno = 0;
	x = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || errno != 0 || x < 64 ||
	    x > 16 * 1024 * 1024)
		return (sd_err(l, n, "max_line must be a byte count from 64 to "
		    "16777216"));
	l->sd->max_line = x;
	return (0);
}

/* How far out of time order this format's lines may be, by default. */
static int
sd_top_lateness(struct sd_load *l, yaml_node_t *n, void *arg)
{
	const char	*v;

	if ((v = sd_scalar(l, n, "lateness")) == NULL)
		return (-1);
	if (duration_parse(v, &l->sd->lateness) != 0)
		return (sd_err(l, n, "lateness must be a duration such as 15m "
		    "or 2h"));
	return (0);
}

/* Number the alternatives of a source, so a parser keeps one result each. */
static void
sd_number(struct srcdef *sd, struct sd_src *src)
{
	int	 i;

	for (i = 0; i < src->nalt; i++)
		src->alt[i].slot = sd->npaths++;
}

/* Number every path the parser looks up (the headers path aside). */
static void
sd_number_all(struct srcdef *sd)
{
	size_t	 i;

	for (i = 0; i < SF__MAX; i++)
		sd_number(sd, &sd->field[i]);
	sd_number(sd, &sd->key);
	sd_number(sd, &sd->parent);
	for (i = 0; i < sd->nsubjects; i++)
		sd_number(sd, &sd->subjects[i].src);
}

/* Checks that need the whole definition. */
static int
sd_finish(struct sd_load *l, yaml_node_t *root)
{
	struct srcdef	*sd = l->sd;
	size_t		 i, len = 0;

	if (sd->name == NULL)
		return (sd_err(l, root, "a definition needs a 'name'"));
	if (sd->reg == EV_REG_NONE)
		return (sd_err(l, root, "a definition needs 'register' (brp or "
		    "rdw)"));
	if (sd->field[SF_TIME].nalt == 0 && sd->join != SD_JOIN_PARTNER)
		return (sd_err(l, root, "fields need 'time'"));
	if (sd->field[SF_ID].nalt == 0 && sd->join != SD_JOIN_RECORDS)
		return (sd_err(l, root, "fields need 'id'"));
	if (sd->kind == SD_DELIMITED && sd->ncolumns == 0)
		return (sd_err(l, root, "a delimited log needs 'columns'"));
	sd_number_all(sd);
	if (sd->kind != SD_DELIMITED)
		return (0);
	for (i = 0; i < sd->ncolumns; i++)
		len += strlen(sd->columns[i]) + 1;
	sd->header_line = xmalloc(len + 1);
	sd->header_line[0] = '\0';
	for (i = 0; i < sd->ncolumns; i++) {
		if (i > 0)
			strncat(sd->header_line, &sd->sep, 1);
		strcat(sd->header_line, sd->columns[i]);
	}
	return (0);
}

/* Parse the YAML text into a document, or report where it broke. */
static int
sd_parse_yaml(struct sd_load *l, const char *text, size_t len)
{
	yaml_parser_t	 p;
	int		 rc = 0;

	if (!yaml_parser_initialize(&p))
		return (sd_err(l, NULL, "cannot initialise the YAML parser"));
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &l->doc)) {
		xasprintf(&l->cause, "%s:%lu:%lu: %s%s%s", l->file,
		    (unsigned long)p.problem_mark.line + 1,
		    (unsigned long)p.problem_mark.column + 1,
		    p.context ? p.context : "", p.context ? ": " : "",
		    p.problem ? p.problem : "YAML syntax error");
		rc = -1;
	}
	yaml_parser_delete(&p);
	return (rc);
}

/*
 * Load a definition from YAML text; file names it in messages. Returns
 * NULL with *cause ("file:line:column: message") on error.
 */
struct srcdef *
srcdef_load(const char *file, const char *text, size_t len, char **cause)
{
	static const struct sd_key keys[] = { { "name", sd_top_name },
	    { "description", sd_top_description },
	    { "register", sd_top_register }, { "kind", sd_top_kind },
	    { "separator", sd_top_separator }, { "header", sd_top_header },
	    { "columns", sd_top_columns }, { "headers", sd_top_headers },
	    { "max_line", sd_top_max_line }, { "fields", sd_fields },
	    { "lateness", sd_top_lateness },
	    { "subjects", sd_subjects }, { "join", sd_join },
	    { NULL, NULL } };
	struct sd_load	 l;
	yaml_node_t	*root;
	int		 rc;

	memset(&l, 0, sizeof l);
	l.file = file;
	if (sd_parse_yaml(&l, text, len) != 0) {
		*cause = l.cause;
		return (NULL);
	}
	l.sd = xcalloc(1, sizeof *l.sd);
	l.sd->file = xstrdup(file);
	l.sd->sep = ';';
	l.sd->max_line = 65536;
	l.sd->zone = TZ_AMSTERDAM;
	l.sd->headers.column = -1;
	if ((root = yaml_document_get_root_node(&l.doc)) == NULL)
		rc = sd_err(&l, NULL, "empty definition");
	else
		rc = sd_mapping(&l, root, keys, NULL, "a source definition");
	if (rc == 0)
		rc = sd_finish(&l, root);
	yaml_document_delete(&l.doc);
	if (rc != 0) {
		srcdef_free(l.sd);
		*cause = l.cause;
		return (NULL);
	}
	return (l.sd);
}

/* Free the strings of a value source. */
static void
sd_src_free(struct sd_src *src)
{
	int	 i;

	for (i = 0; i < src->nalt; i++)
		free(src->alt[i].path);
	free(src->value);
	free(src->before);
	free(src->split);
}

/* Free a string array. */
static void
sd_strings_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Free a definition. */
void
srcdef_free(struct srcdef *sd)
{
	size_t	 i;

	if (sd == NULL)
		return;
	for (i = 0; i < SF__MAX; i++)
		sd_src_free(&sd->field[i]);
	for (i = 0; i < sd->nsubjects; i++) {
		sd_src_free(&sd->subjects[i].src);
		sd_strings_free(sd->subjects[i].when, sd->subjects[i].nwhen);
	}
	free(sd->subjects);
	for (i = 0; i < sd->nrequests; i++)
		free(sd->requests[i].from);
	free(sd->requests);
	sd_strings_free(sd->success, sd->nsuccess);
	sd_strings_free(sd->columns, sd->ncolumns);
	sd_src_free(&sd->key);
	sd_src_free(&sd->parent);
	free(sd->headers.path);
	free(sd->header_line);
	free(sd->timepattern);
	free(sd->with);
	free(sd->name);
	free(sd->file);
	free(sd);
}
