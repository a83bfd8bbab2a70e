/*
 * rule_load.c: read rule files (YAML, through libyaml's document API).
 * Every key is known or the file is refused; every error names
 * file:line:column and says in plain words what is wrong.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "alert/alert.h"
#include "rules/fact.h"
#include "rules/rule.h"
#include "rules/rload.h"
#include "util/xmalloc.h"

/* Record an error at a node; always returns -1. */
int
rl_err(struct rload *rl, yaml_node_t *n, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	xasprintf(rl->cause, "%s:%zu:%zu: %s", rl->file,
	    n ? n->start_mark.line + 1 : 1, n ? n->start_mark.column + 1 : 1,
	    msg ? msg : "error");
	free(msg);
	return (-1);
}

/* The text of a scalar node, or NULL. */
const char *
rl_scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return (NULL);
	return ((const char *)n->data.scalar.value);
}

/* Read a scalar as a string copy. */
int
rl_str(struct rload *rl, yaml_node_t *n, char **out)
{
	const char	*s = rl_scalar(n);

	if (s == NULL)
		return (rl_err(rl, n, "expected a text value"));
	free(*out);
	*out = xstrdup(s);
	return (0);
}

/* Read a scalar as a boolean. */
int
rl_bool(struct rload *rl, yaml_node_t *n, int64_t *out)
{
	const char	*s = rl_scalar(n);

	if (s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0))
		*out = 1;
	else if (s != NULL && (strcmp(s, "false") == 0 ||
	    strcmp(s, "no") == 0))
		*out = 0;
	else
		return (rl_err(rl, n, "expected true or false"));
	return (0);
}

/* Read a scalar as a number; decimals are kept in 1/1000 if milli. */
int
rl_num(struct rload *rl, yaml_node_t *n, int milli, int64_t *out)
{
	const char	*s = rl_scalar(n);
	char		*end;
	double		 d;

	if (s == NULL || *s == '\0')
		return (rl_err(rl, n, "expected a number"));
	d = strtod(s, &end);
	if (*end == '\0' && !(d >= -1e12 && d <= 1e12))
		return (rl_err(rl, n, "'%s' is out of range", s));
	if (*end != '\0' || (!milli && d != (double)(int64_t)d))
		return (rl_err(rl, n, "'%s' is not a %s", s,
		    milli ? "number" : "whole number"));
	*out = milli ? (int64_t)(d * 1000 + (d < 0 ? -0.5 : 0.5)) :
	    (int64_t)d;
	return (0);
}

/* Parse "90s", "30m", "3h", "2d" into µs. */
int
rule_duration(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;
	int64_t		 unit;

	v = strtoll(s, &end, 10);
	if (end == s || v < 0)
		return (-1);
	switch (*end) {
	case 's': unit = 1000000LL; break;
	case 'm': unit = 60 * 1000000LL; break;
	case 'h': unit = 3600 * 1000000LL; break;
	case 'd': unit = 86400 * 1000000LL; break;
	default: return (-1);
	}
	if (end[1] != '\0' || v > INT64_MAX / unit)
		return (-1);
	*out = v * unit;
	return (0);
}

/* Read a duration scalar. */
int
rl_duration(struct rload *rl, yaml_node_t *n, int64_t *out)
{
	const char	*s = rl_scalar(n);

	if (s == NULL || rule_duration(s, out) != 0)
		return (rl_err(rl, n, "expected a duration such as 30m, 3h "
		    "or 2d"));
	return (0);
}

/* Check that a string is one of a fact's allowed values. */
static int
rl_allowed(struct rload *rl, yaml_node_t *n, const struct fact_def *fd,
    const char *s, int64_t *bit)
{
	int	 i;

	if (fd->values == NULL)
		return (0);
	for (i = 0; fd->values[i] != NULL; i++) {
		if (strcmp(fd->values[i], s) == 0) {
			*bit |= 1LL << i;
			return (0);
		}
	}
	return (rl_err(rl, n, "'%s' is not a value of %s", s, fd->name));
}

/* Read the values of a predicate: a scalar or a list of scalars. */
static int
rl_values(struct rload *rl, yaml_node_t *n, const struct fact_def *fd,
    struct pred *p)
{
	yaml_node_item_t	*it;
	yaml_node_t		*v;
	const char		*s;

	if (n->type == YAML_SCALAR_NODE) {
		p->strs = xcalloc(1, sizeof *p->strs);
		p->strs[p->nstrs++] = xstrdup(rl_scalar(n));
		return (rl_allowed(rl, n, fd, rl_scalar(n), &p->num));
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return (rl_err(rl, n, "expected a value or a list"));
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		v = yaml_document_get_node(rl->doc, *it);
		if ((s = rl_scalar(v)) == NULL)
			return (rl_err(rl, v, "expected a value"));
		p->strs = xreallocarray(p->strs, p->nstrs + 1,
		    sizeof *p->strs);
		p->strs[p->nstrs++] = xstrdup(s);
		if (rl_allowed(rl, v, fd, s, &p->num) != 0)
			return (-1);
	}
	return (0);
}

/* Read an operator mapping such as {at_least: 3} or {not: [a, b]}. */
static int
rl_opmap(struct rload *rl, yaml_node_t *n, const struct fact_def *fd,
    struct pred *p)
{
	yaml_node_pair_t	*pr;
	yaml_node_t		*k, *v;
	const char		*ks;

	if (n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
		return (rl_err(rl, n, "expected one of at_least, at_most, not"));
	pr = n->data.mapping.pairs.start;
	k = yaml_document_get_node(rl->doc, pr->key);
	v = yaml_document_get_node(rl->doc, pr->value);
	ks = rl_scalar(k);
	if (ks != NULL && strcmp(ks, "not") == 0 && fd->type != FT_NUM) {
		p->op = PRED_NOT_IN;
		return (rl_values(rl, v, fd, p));
	}
	if (fd->type != FT_NUM)
		return (rl_err(rl, k, "%s is not a number; use a value, a list "
		    "or {not: ...}", fd->name));
	if (ks != NULL && strcmp(ks, "at_least") == 0)
		p->op = PRED_AT_LEAST;
	else if (ks != NULL && strcmp(ks, "at_most") == 0)
		p->op = PRED_AT_MOST;
	else
		return (rl_err(rl, k, "unknown comparison '%s'", ks ? ks : ""));
	return (rl_num(rl, v, 0, &p->num));
}

/* Read one predicate "fact: value". */
static int
rl_pred(struct rload *rl, yaml_node_t *k, yaml_node_t *v, struct pred *p)
{
	const struct fact_def	*fd;
	const char		*ks = rl_scalar(k);
	int			 f;

	memset(p, 0, sizeof *p);
	if (ks == NULL || (f = fact_lookup(ks)) < 0)
		return (rl_err(rl, k, "unknown fact '%s'", ks ? ks : ""));
	p->fact = (uint16_t)f;
	fd = fact_def(f);
	if (v->type == YAML_MAPPING_NODE)
		return (rl_opmap(rl, v, fd, p));
	switch (fd->type) {
	case FT_BOOL:
		p->op = PRED_IS;
		return (rl_bool(rl, v, &p->num));
	case FT_NUM:
		p->op = PRED_IS;
		return (rl_num(rl, v, 0, &p->num));
	default:
		p->op = PRED_IN;
		return (rl_values(rl, v, fd, p));
	}
}

/* Free the values of a predicate that was not kept. */
static void
rl_pred_free(struct pred *p)
{
	size_t	 i;

	for (i = 0; i < p->nstrs; i++)
		free(p->strs[i]);
	free(p->strs);
	p->strs = NULL;
	p->nstrs = 0;
}

/* Read a mapping of predicates, event facts and subject facts apart. */
int
rl_preds(struct rload *rl, yaml_node_t *n, struct pred **ev, size_t *nev,
    struct pred **sj, size_t *nsj)
{
	yaml_node_pair_t	*pr;
	struct pred		 p;

	if (n->type != YAML_MAPPING_NODE)
		return (rl_err(rl, n, "expected a mapping of fact: value"));
	for (pr = n->data.mapping.pairs.start;
	    pr < n->data.mapping.pairs.top; pr++) {
		if (rl_pred(rl, yaml_document_get_node(rl->doc, pr->key),
		    yaml_document_get_node(rl->doc, pr->value), &p) != 0) {
			rl_pred_free(&p);
			return (-1);
		}
		if (p.fact >= F_NEVENT && sj == NULL) {
			rl_pred_free(&p);
			return (rl_err(rl, yaml_document_get_node(rl->doc,
			    pr->key), "only event facts are allowed here"));
		}
		if (p.fact >= F_NEVENT) {
			*sj = xreallocarray(*sj, *nsj + 1, sizeof **sj);
			(*sj)[(*nsj)++] = p;
		} else {
			*ev = xreallocarray(*ev, *nev + 1, sizeof **ev);
			(*ev)[(*nev)++] = p;
		}
	}
	return (0);
}

