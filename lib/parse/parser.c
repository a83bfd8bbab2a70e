/*
 * parser.c: the generic line parser. A JSON line is scanned once into
 * tokens and the paths of all event fields are found in one walk over the
 * object (jpath.c); a delimited line is split into columns. Values are
 * validated and normalised into the caller's event. A line whose time or
 * subjects cannot be read is BAD with a short reason; any other field that
 * is too long, holds a NUL or is no value is cut or dropped and the event
 * marked damaged, so that a padded field cannot hide who looked up whom
 * (docs/BAD-INPUT.md).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/json.h"
#include "parse/jpath.h"
#include "parse/norm.h"
#include "parse/parser.h"
#include "parse/tz.h"
#include "util/xmalloc.h"

#define PARSER_TOKENS	4096
#define PARSER_DEPTH	32
#define PARSER_COLUMNS	64
#define PARSER_VALUE	256
#define PV_EPOCH_MAX	INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */

enum pv {
	PV_ABSENT = 0,
	PV_FOUND,
	PV_LONG,	/* does not fit */
	PV_TYPE,	/* an object or array where a value was expected */
	PV_NUL,		/* an escaped NUL byte (dropped from the value) */
};

struct parser {
	const struct srcdef	*sd;
	struct json		 j;
	int			 hdr;
	struct jpath		*paths;		/* from the top object */
	struct jpath		*hpaths;	/* under the header object */
	int			*at;		/* each path's token, this line */
	int			 general;	/* json_get() for each path */
	const char		*line;
	size_t			 len;
	uint32_t		 colstart[PARSER_COLUMNS];
	uint32_t		 collen[PARSER_COLUMNS];
	size_t			 ncol;
	char			 reqraw[EV_NAME_MAX];
	char			 key[EV_ID_MAX];
	int			 part;
	char			 val[PARSER_VALUE];
	const char		*damage;	/* first damaged field, or NULL */
	char			 why[96];
};

static const char *pv_name[SF__MAX] = {
	[SF_ID] = "id", [SF_TIME] = "time", [SF_USER] = "user",
	[SF_WORKSTATION] = "workstation", [SF_APPLICATION] = "application",
	[SF_PURPOSE] = "purpose", [SF_CASE] = "case reference",
	[SF_REQUEST] = "request type", [SF_STATUS] = "status",
	[SF_SURNAME] = "surname", [SF_PREFIX] = "surname",
	[SF_GIVEN] = "given name", [SF_BIRTHDATE] = "birth date",
	[SF_POSTCODE] = "postcode", [SF_HOUSENUMBER] = "house number",
};

static const char *pv_too_long[SF__MAX] = {
	[SF_ID] = "id too long", [SF_TIME] = "time too long",
	[SF_USER] = "user too long", [SF_WORKSTATION] = "workstation too long",
	[SF_APPLICATION] = "application too long",
	[SF_PURPOSE] = "purpose too long", [SF_CASE] = "case reference too long",
	[SF_REQUEST] = "request type too long", [SF_STATUS] = "status too long",
	[SF_SURNAME] = "surname too long", [SF_PREFIX] = "surname too long",
	[SF_GIVEN] = "given name too long", [SF_BIRTHDATE] = "birth date too long",
	[SF_POSTCODE] = "postcode too long",
	[SF_HOUSENUMBER] = "house number too long",
};

static const char *pv_type[SF__MAX] = {
	[SF_ID] = "id is not a value", [SF_TIME] = "time is not a value",
	[SF_USER] = "user is not a value",
	[SF_WORKSTATION] = "workstation is not a value",
	[SF_APPLICATION] = "application is not a value",
	[SF_PURPOSE] = "purpose is not a value",
	[SF_CASE] = "case reference is not a value",
	[SF_REQUEST] = "request type is not a value",
	[SF_STATUS] = "status is not a value",
	[SF_SURNAME] = "surname is not a value",
	[SF_PREFIX] = "surname is not a value",
	[SF_GIVEN] = "given name is not a value",
	[SF_BIRTHDATE] = "birth date is not a value",
	[SF_POSTCODE] = "postcode is not a value",
	[SF_HOUSENUMBER] = "house number is not a value",
};

/* Enter the paths of a value source into the sets they are found from. */
static void
pv_compile_src(struct parser *p, const struct sd_src *src)
{
	const struct sd_path	*a;
	int			 i;

	for (i = 0; i < src->nalt; i++) {
		a = &src->alt[i];
		jpath_add(a->header ? p->hpaths : p->paths, a->path, a->len,
		    a->slot);
	}
}

/* Compile every path the definition names, for one walk per line. */
static void
pv_compile(struct parser *p)
{
	const struct srcdef	*sd = p->sd;
	size_t			 i;

	p->paths = jpath_new(0);
	p->hpaths = jpath_new(1);
	p->at = xreallocarray(NULL, sd->npaths + 1, sizeof *p->at);
	for (i = 0; i < SF__MAX; i++)
		pv_compile_src(p, &sd->field[i]);
	pv_compile_src(p, &sd->key);
	pv_compile_src(p, &sd->parent);
	for (i = 0; i < sd->nsubjects; i++)
		pv_compile_src(p, &sd->subjects[i].src);
}

/* Make a parser for one definition. */
struct parser *
parser_new(const struct srcdef *sd)
{
	struct parser	*p;

	p = xcalloc(1, sizeof *p);
	p->sd = sd;
	if (sd->kind == SD_JSON) {
		json_init(&p->j, PARSER_TOKENS, PARSER_DEPTH);
		p->j.lone_ok = 1;
		pv_compile(p);
	}
	return (p);
}

/* Free a parser (not its definition). */
void
parser_free(struct parser *p)
{
	if (p == NULL)
		return;
	if (p->sd->kind == SD_JSON) {
		json_free(&p->j);
		jpath_free(p->paths);
		jpath_free(p->hpaths);
		free(p->at);
	}
	free(p);
}

/*
 * Look each path up with json_get() instead of the one walk: the reference
 * the walk is checked against (tests and fuzzing).
 */
void
parser_general(struct parser *p, int on)
{
	p->general = on;
}

/* The definition a parser runs. */
const struct srcdef *
parser_def(const struct parser *p)
{
	return (p->sd);
}

/* The join key of the last line parsed ("" if none). */
const char *
parser_key(const struct parser *p)
{
	return (p->key);
}

/*
 * Why the last event is damaged (a field cut or dropped), or NULL. The
 * caller evaluates the event and also keeps the line with this reason.
 */
const char *
parser_damage(const struct parser *p)
{
	return (p->damage);
}

/* Whether the last line was a part of a group (it carries a parent). */
int
parser_is_part(const struct parser *p)
{
	return (p->part);
}

/* Keep the part before the source's 'before' marker. */
static void
pv_before(const struct sd_src *src, char *dst, size_t *len)
{
	char	*cut;

	if (src->before != NULL && (cut = strstr(dst, src->before)) != NULL) {
		*cut = '\0';
		*len = (size_t)(cut - dst);
	}
}

/* Copy bytes into dst; what does not fit is cut at a character. */
static enum pv
pv_copy(const char *s, size_t n, char *dst, size_t dstsz, size_t *len)
{
	enum pv	 rc = PV_FOUND;

	if (n >= dstsz) {
		n = json_utf8_cut(s, dstsz - 1);
		rc = PV_LONG;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	*len = n;
	return (rc);
}

/* Drop the NUL bytes an escape put into a value. */
static void
pv_strip_nul(char *dst, size_t *len)
{
	size_t	 i, n = 0;

	for (i = 0; i < *len; i++)
		if (dst[i] != '\0')
			dst[n++] = dst[i];
	dst[n] = '\0';
	*len = n;
}

/* Note that a field was cut or dropped: the event is damaged. */
static void
pv_damaged(struct parser *p, struct lookup *ev, const char *what,
    const char *how)
{
	ev->flags |= EV_F_DAMAGED;
	if (p->damage != NULL)
		return;
	snprintf(p->why, sizeof p->why, "%s %s (evaluated, flagged "
	    "damaged)", what, how);
	p->damage = p->why;
}

/* The JSON token a path names (or -1). */
static int
pv_tok(const struct parser *p, const struct sd_path *path)
{
	if (!p->general)
		return (p->at[path->slot]);
	if (path->header)
		return (json_get(&p->j, p->hdr, path->path, path->len, 1));
	return (json_get(&p->j, 0, path->path, path->len, 0));
}

/* Find the token (JSON) or column of a source; PV_ABSENT if none. */
static inline enum pv
pv_locate(const struct parser *p, const struct sd_src *src, int *where)
{
	int	 i, t;

	for (i = 0; i < src->nalt; i++) {
		if (p->sd->kind == SD_DELIMITED) {
			t = src->alt[i].column;
			if ((size_t)t < p->ncol && p->collen[t] != 0) {
				*where = t;
				return (PV_FOUND);
			}
			continue;
		}
		if ((t = pv_tok(p, &src->alt[i])) < 0 ||
		    p->j.tok[t].type == JSON_NULL)
			continue;
		*where = t;
		return (PV_FOUND);
	}
	return (PV_ABSENT);
}

/*
 * Copy the value at a token or column into dst. Whatever comes back, dst
 * holds a usable value: cut when PV_LONG, without its NULs when PV_NUL.
 */
static inline enum pv
pv_at(const struct parser *p, int where, char *dst, size_t dstsz, size_t *len)
{
	enum pv	 rc = PV_FOUND;
	int	 type;

	if (p->sd->kind == SD_DELIMITED)
		return (pv_copy(p->line + p->colstart[where],
		    p->collen[where], dst, dstsz, len));
	type = p->j.tok[where].type;
	if (type == JSON_OBJECT || type == JSON_ARRAY)
		return (PV_TYPE);
	if (json_str(&p->j, where, dst, dstsz, len) != 0)
		rc = PV_LONG;
	/* The scanner refuses a raw NUL: only an escape can make one. */
	if (p->j.tok[where].esc && memchr(dst, '\0', *len) != NULL) {
		pv_strip_nul(dst, len);
		if (rc == PV_FOUND)
			rc = PV_NUL;
	}
	return (rc);
}

/* Get a scalar value of a source into dst. */
static enum pv
pv_get(const struct parser *p, const struct sd_src *src, char *dst,
    size_t dstsz, size_t *len)
{
	enum pv	 rc;
	int	 where;

	*len = 0;
	dst[0] = '\0';
	if (src->value != NULL)
		return (pv_copy(src->value, strlen(src->value), dst, dstsz,
		    len));
	if ((rc = pv_locate(p, src, &where)) != PV_FOUND)
		return (rc);
	if ((rc = pv_at(p, where, dst, dstsz, len)) != PV_TYPE)
		pv_before(src, dst, len);
	return (rc);
}

/*
 * Fetch a text field into an event string: 1 if found, 0 if absent. A
 * value that is too long, holds a NUL or is no value makes the time BAD
 * (-1, with a reason); any other field is cut or dropped and the event
 * marked damaged.
 */
static int
pv_field(struct parser *p, struct lookup *ev, enum sd_field f, char *dst,
    size_t dstsz, size_t *len, const char **reason)
{
	enum pv	 rc;

	rc = pv_get(p, &p->sd->field[f], dst, dstsz, len);
	if (rc == PV_ABSENT || rc == PV_FOUND)
		return (rc == PV_FOUND);
	if (f == SF_TIME) {
		*reason = rc == PV_LONG ? pv_too_long[f] : rc == PV_TYPE ?
		    pv_type[f] : "NUL byte";
		return (-1);
	}
	pv_damaged(p, ev, pv_name[f], rc == PV_LONG ? "too long" :
	    rc == PV_TYPE ? "is not a value" : "holds a NUL byte");
	return (rc != PV_TYPE);
}

/* Parse an unsigned decimal integer (at most 18 digits). */
static int
pv_uint(const char *s, size_t len, int64_t *out)
{
	size_t	 i;
	int64_t	 v = 0;

	if (len == 0 || len > 18)
		return (-1);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return (0);
}

/* The time of the event, in the definition's format and zone. */
static int
pv_time(struct parser *p, struct lookup *ev, const char **reason)
{
	const struct srcdef	*sd = p->sd;
	struct tz_civil		 c;
	char			 v[64];
	size_t			 len;
	int64_t			 x = 0;
	int			 rc, f = 0;

	if ((rc = pv_field(p, ev, SF_TIME, v, sizeof v, &len, reason)) <= 0) {
		if (rc == 0 && sd->field[SF_TIME].nalt != 0)
			*reason = "missing time";
		return (rc == 0 && sd->field[SF_TIME].nalt == 0 ? 0 : -1);
	}
	switch (sd->timefmt) {
	case SD_TIME_RFC3339:
		rc = tz_rfc3339(v, len, &ev->ts);
		break;
	case SD_TIME_PATTERN:
		rc = tz_strptime(sd->timepattern, v, len, &c);
		if (rc == 0 && (f = tz_local(sd->zone, &c, &ev->ts,
		    &ev->ts_alt)) < 0)
			rc = -1;
		break;
	default:
		/* Up to the end of year 9999, so the scaling cannot overflow. */
		rc = pv_uint(v, len, &x);
		if (sd->timefmt == SD_TIME_EPOCH_S)
			x = x > PV_EPOCH_MAX ? (rc = -1) : x * 1000000;
		else if (sd->timefmt == SD_TIME_EPOCH_MS)
			x = x > PV_EPOCH_MAX * 1000 ? (rc = -1) : x * 1000;
		else if (x > PV_EPOCH_MAX * 1000000)
			rc = -1;
		ev->ts = x;
		break;
	}
	if (rc != 0) {
		*reason = "bad time";
		return (-1);
	}
	if (f & TZ_AMBIGUOUS)
		ev->flags |= EV_F_AMBIGUOUS_TIME;
	if (f & TZ_NONEXISTENT)
		ev->flags |= EV_F_NONEXISTENT_TIME;
	return (0);
}

/* Request type: the definition's map first, then the standard names. */
static int
pv_request(struct parser *p, struct lookup *ev, const char **reason)
{
	const struct srcdef	*sd = p->sd;
	size_t			 len, i;
	int			 rc;

	rc = pv_field(p, ev, SF_REQUEST, p->reqraw, sizeof p->reqraw, &len, reason);
	if (rc <= 0)
		return (rc);
	for (i = 0; i < sd->nrequests; i++) {
		if (strcmp(sd->requests[i].from, p->reqraw) == 0) {
			ev->request = sd->requests[i].request;
			return (0);
		}
	}
	ev->request = (uint8_t)ev_request_parse(p->reqraw, len);
	return (0);
}

/* Status: success values mean OK, anything else an error. */
static int
pv_status(struct parser *p, struct lookup *ev, const char **reason)
{
	const struct srcdef	*sd = p->sd;
	char			 v[EV_NAME_MAX];
	size_t			 len, i;
	int			 rc;

	ev->status = EV_STATUS_OK;
	if (sd->field[SF_STATUS].nalt == 0 && sd->field[SF_STATUS].value == NULL)
		return (0);
	if ((rc = pv_field(p, ev, SF_STATUS, v, sizeof v, &len, reason)) <= 0) {
		if (rc == 0)
			*reason = "missing status";
		return (-1);
	}
	ev->status = EV_STATUS_ERROR;
	for (i = 0; i < sd->nsuccess; i++) {
		if (strcmp(sd->success[i], v) == 0)
			ev->status = EV_STATUS_OK;
	}
	return (0);
}

/* The case reference as typed and normalised. */
static int
pv_case(struct parser *p, struct lookup *ev, const char **reason)
{
	size_t	 len, i;
	int	 rc;

	rc = pv_field(p, ev, SF_CASE, ev->case_raw, sizeof ev->case_raw, &len,
	    reason);
	if (rc <= 0)
		return (rc);
	for (i = 0; i < len && ev->case_raw[i] == ' '; i++)
		;
	if (i == len)
		return (0);
	if (norm_case(ev->case_raw, len, ev->case_id, sizeof ev->case_id) < 0) {
		ev->case_id[0] = '\0';
		ev->flags |= EV_F_CASE_INVALID;
	}
	return (0);
}

/* Search keys as typed: surname with its prefix, postcode normalised. */
static int
pv_query(struct parser *p, struct lookup *ev, const char **reason)
{
	char	 pre[EV_TEXT_MAX], sur[EV_TEXT_MAX], both[2 * EV_TEXT_MAX];
	char	 v[16];
	size_t	 plen, slen, pclen, len;
	int64_t	 hn;

	(void)pv_field(p, ev, SF_PREFIX, pre, sizeof pre, &plen, reason);
	(void)pv_field(p, ev, SF_SURNAME, sur, sizeof sur, &slen, reason);
	(void)pv_field(p, ev, SF_GIVEN, ev->q_given, sizeof ev->q_given, &len,
	    reason);
	(void)pv_field(p, ev, SF_BIRTHDATE, ev->q_birthdate,
	    sizeof ev->q_birthdate, &len, reason);
	(void)pv_field(p, ev, SF_POSTCODE, v, sizeof v, &pclen, reason);
	/* Both fit: each is shorter than EV_TEXT_MAX and holds no NUL. */
	memcpy(both, pre, plen);
	len = plen;
	if (plen > 0 && slen > 0)
		both[len++] = ' ';
	memcpy(both + len, sur, slen);
	len += slen;
	if (pv_copy(both, len, ev->q_surname, sizeof ev->q_surname, &len) !=
	    PV_FOUND)
		pv_damaged(p, ev, "surname", "too long");
	if (pclen > 0 && norm_postcode(v, pclen, ev->q_postcode,
	    sizeof ev->q_postcode) < 0)
		ev->q_postcode[0] = '\0';
	(void)pv_field(p, ev, SF_HOUSENUMBER, v, sizeof v, &len, reason);
	if (len > 0 && pv_uint(v, len, &hn) == 0 && hn <= INT32_MAX)
		ev->q_housenumber = (int32_t)hn;
	return (0);
}

/* Whether the event already lists this subject in this role. */
static int
pv_subj_dup(const struct lookup *ev, const char *v, uint8_t kind, uint8_t role)
{
	uint32_t	 i;

	for (i = 0; i < ev->nsubjects; i++) {
		if (ev->subjects[i].kind == kind &&
		    ev->subjects[i].role == role &&
		    strcmp(ev->subjects[i].value, v) == 0)
			return (1);
	}
	return (0);
}

/* Add one subject value; an invalid one is kept or makes the line BAD. */
static int
pv_subj_add(struct lookup *ev, const struct sd_subject *s, const char *v,
    size_t len, const char **reason)
{
	struct subject	*subj;
	char		 norm[SUBJ_VALUE_MAX];
	int		 valid, bad;

	if (len == 0)
		return (0);
	if (s->kind == SUBJ_BSN)
		valid = norm_bsn_valid(v, len);
	else if ((valid = norm_plate(v, len, norm, sizeof norm) > 0)) {
		v = norm;
		len = strlen(norm);
	}
	bad = s->invalid == SD_INVALID_BAD || (s->invalid ==
	    SD_INVALID_BAD_IF_OK && ev->status == EV_STATUS_OK);
	if (!valid && bad) {
		if (s->kind == SUBJ_PLATE)
			*reason = "invalid plate";
		else if (s->role == SUBJ_QUERIED)
			*reason = "invalid queried BSN";
		else
			*reason = "invalid result BSN";
		return (-1);
	}
	if (len >= SUBJ_VALUE_MAX) {
		*reason = s->kind == SUBJ_BSN ? "BSN too long" : "plate too long";
		return (-1);
	}
	if (memchr(v, '\0', len) != NULL) {
		*reason = "NUL byte";
		return (-1);
	}
	if (!valid || !pv_subj_dup(ev, v, s->kind, s->role)) {
		subj = lookup_add_subject(ev, v, len, s->kind, s->role);
		subj->valid = (uint8_t)valid;
	}
	return (0);
}

/* Add a value that may hold several subjects joined by 'split'. */
static int
pv_subj_split(struct lookup *ev, const struct sd_subject *s, const char *v,
    size_t len, const char **reason)
{
	const char	*sep;
	size_t		 slen, n;

	if (s->src.split == NULL)
		return (pv_subj_add(ev, s, v, len, reason));
	slen = strlen(s->src.split);
	while ((sep = memmem(v, len, s->src.split, slen)) != NULL) {
		n = (size_t)(sep - v);
		if (pv_subj_add(ev, s, v, n, reason) != 0)
			return (-1);
		v += n + slen;
		len -= n + slen;
	}
	return (pv_subj_add(ev, s, v, len, reason));
}

/*
 * Read one subject value into p->val and add it. A NUL is dropped (the
 * event damaged); a value too long or no value makes the line BAD.
 */
static int
pv_subj_at(struct parser *p, struct lookup *ev, const struct sd_subject *s,
    int where, const char **reason)
{
	enum pv	 rc;
	size_t	 len;

	rc = pv_at(p, where, p->val, sizeof p->val, &len);
	if (rc == PV_NUL)
		pv_damaged(p, ev, "subject", "holds a NUL byte");
	else if (rc != PV_FOUND) {
		*reason = rc == PV_LONG ? "subject too long" :
		    "subject is not a value";
		return (-1);
	}
	return (pv_subj_split(ev, s, p->val, len, reason));
}

/* Whether a subject source applies to this line's raw request type. */
static int
pv_subj_when(const struct parser *p, const struct sd_subject *s)
{
	size_t	 i;

	if (s->nwhen == 0)
		return (1);
	for (i = 0; i < s->nwhen; i++) {
		if (strcmp(s->when[i], p->reqraw) == 0)
			return (1);
	}
	return (0);
}

/* One subject source: a scalar, a JSON array of scalars, or a split cell. */
static int
pv_subject(struct parser *p, struct lookup *ev, const struct sd_subject *s,
    const char **reason)
{
	const struct json_tok	*t;
	uint32_t		 k;
	int			 where, c;

	if (!pv_subj_when(p, s))
		return (0);
	if (s->src.value != NULL)
		return (pv_subj_split(ev, s, s->src.value,
		    strlen(s->src.value), reason));
	if (pv_locate(p, &s->src, &where) != PV_FOUND)
		return (0);
	if (p->sd->kind == SD_JSON && (t = &p->j.tok[where])->type ==
	    JSON_ARRAY) {
		for (k = 0, c = where + 1; k < t->n; k++, c =
		    (int)p->j.tok[c].next) {
			if (pv_subj_at(p, ev, s, c, reason) != 0)
				return (-1);
		}
		return (0);
	}
	return (pv_subj_at(p, ev, s, where, reason));
}

/* The join key and whether the line is a part of a group. */
static int
pv_join(struct parser *p, const char **reason)
{
	const struct srcdef	*sd = p->sd;
	char			 v[8];
	size_t			 len;
	enum pv			 rc;

	p->key[0] = '\0';
	p->part = 0;
	if (sd->join == SD_JOIN_NONE)
		return (0);
	rc = pv_get(p, &sd->key, p->key, sizeof p->key, &len);
	if (rc != PV_FOUND || len == 0) {
		*reason = rc == PV_LONG ? "join key too long" :
		    "missing join key";
		return (-1);
	}
	if (sd->join == SD_JOIN_RECORDS) {
		rc = pv_get(p, &sd->parent, v, sizeof v, &len);
		p->part = rc == PV_LONG || (rc == PV_FOUND && len > 0);
	}
	return (0);
}

/* Fill the event from a scanned line. */
static int
pv_event(struct parser *p, struct lookup *ev, const char **reason)
{
	const struct srcdef	*sd = p->sd;
	size_t			 len, i;
	int			 rc;

	ev->reg = sd->reg;
	rc = pv_field(p, ev, SF_ID, ev->id, sizeof ev->id, &len, reason);
	if (rc == 0 && sd->field[SF_ID].nalt != 0) {
		*reason = "missing id";
		return (-1);
	}
	if (pv_time(p, ev, reason) != 0 || pv_join(p, reason) != 0 ||
	    pv_status(p, ev, reason) != 0 || pv_request(p, ev, reason) != 0 ||
	    pv_case(p, ev, reason) != 0 || pv_query(p, ev, reason) != 0)
		return (-1);
	(void)pv_field(p, ev, SF_USER, ev->user, sizeof ev->user, &len, reason);
	(void)pv_field(p, ev, SF_WORKSTATION, ev->workstation,
	    sizeof ev->workstation, &len, reason);
	(void)pv_field(p, ev, SF_APPLICATION, ev->application,
	    sizeof ev->application, &len, reason);
	(void)pv_field(p, ev, SF_PURPOSE, ev->purpose, sizeof ev->purpose, &len,
	    reason);
	for (i = 0; i < sd->nsubjects; i++) {
		if (pv_subject(p, ev, &sd->subjects[i], reason) != 0)
			return (-1);
	}
	return (0);
}

/* Split a delimited line into columns (no quoting). */
static size_t
pv_split(struct parser *p, const char *line, size_t len)
{
	const char	*q, *end = line + len, *s = line;

	p->ncol = 0;
	for (;;) {
		q = memchr(s, p->sd->sep, (size_t)(end - s));
		if (p->ncol < PARSER_COLUMNS) {
			p->colstart[p->ncol] = (uint32_t)(s - line);
			p->collen[p->ncol] = (uint32_t)((q ? q : end) - s);
		}
		p->ncol++;
		if (q == NULL)
			break;
		s = q + 1;
	}
	return (p->ncol);
}

/* Whether a line holds only whitespace. */
static int
pv_blank(const char *line, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return (0);
	}
	return (1);
}

/* Validate and split a delimited line. */
static enum parse_rc
pv_delimited(struct parser *p, const char *line, size_t len,
    const char **reason)
{
	const struct srcdef	*sd = p->sd;

	if (memchr(line, '\0', len) != NULL) {
		*reason = "NUL byte";
		return (PARSE_BAD);
	}
	if (!json_utf8_valid(line, len)) {
		*reason = "invalid UTF-8";
		return (PARSE_BAD);
	}
	if (sd->header && strlen(sd->header_line) == len &&
	    memcmp(sd->header_line, line, len) == 0)
		return (PARSE_SKIP);
	if (pv_split(p, line, len) != sd->ncolumns) {
		*reason = "wrong column count";
		return (PARSE_BAD);
	}
	return (PARSE_EVENT);
}

/*
 * Parse one line (without its newline) into ev, which is reset first.
 * Returns PARSE_EVENT, PARSE_SKIP, or PARSE_BAD with a static reason.
 */
enum parse_rc
parser_line(struct parser *p, const char *line, size_t len, struct lookup *ev,
    const char **reason)
{
	const struct srcdef	*sd = p->sd;
	enum parse_rc		 rc;

	lookup_reset(ev);
	p->key[0] = '\0';
	p->part = 0;
	p->reqraw[0] = '\0';
	p->damage = NULL;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (pv_blank(line, len))
		return (PARSE_SKIP);
	/* Padding must not hide a lookup: read it, but flag it. */
	if (len > sd->max_line)
		pv_damaged(p, ev, "line", "longer than the format's max_line");
	p->line = line;
	p->len = len;
	if (sd->kind == SD_DELIMITED) {
		if ((rc = pv_delimited(p, line, len, reason)) != PARSE_EVENT)
			return (rc);
	} else {
		if (json_parse(&p->j, line, len, reason) != 0)
			return (PARSE_BAD);
		if (p->j.tok[0].type != JSON_OBJECT) {
			*reason = "not a JSON object";
			return (PARSE_BAD);
		}
		if (p->j.nlone > 0)
			pv_damaged(p, ev, "text", "holds a lone surrogate "
			    "escape");
		p->hdr = sd->headers.path == NULL ? -1 :
		    json_get(&p->j, 0, sd->headers.path, sd->headers.len, 0);
		jpath_find(p->paths, &p->j, 0, p->at);
		jpath_find(p->hpaths, &p->j, p->hdr, p->at);
	}
	return (pv_event(p, ev, reason) == 0 ? PARSE_EVENT : PARSE_BAD);
}

/*
 * Best effort: the id (or join key) of a line that failed, for quarantine
 * reports. JSON: a top-level "name":"value" found in the raw bytes; a
 * delimited log: the id column, counted from the end when it is the last.
 */
size_t
parser_salvage(struct parser *p, const char *line, size_t len, int what,
    char *dst, size_t dstsz)
{
	const struct sd_src	*src;
	const char		*s, *end = line + len, *q;
	char			 pat[80];
	size_t			 n, i;
	int			 c;

	src = what == PARSER_SALVAGE_KEY ? &p->sd->key : &p->sd->field[SF_ID];
	if (src->nalt == 0 || dstsz == 0)
		return (0);
	if (p->sd->kind == SD_DELIMITED) {
		c = src->alt[0].column;
		pv_split(p, line, len);
		if (p->ncol > PARSER_COLUMNS)
			return (0);
		if ((size_t)c == p->sd->ncolumns - 1)
			c = (int)p->ncol - 1;
		if ((size_t)c >= p->ncol)
			return (0);
		s = line + p->colstart[c];
		n = p->collen[c];
	} else {
		if (src->alt[0].len + 4 > sizeof pat || src->alt[0].header ||
		    memchr(src->alt[0].path, '.', src->alt[0].len) != NULL)
			return (0);
		n = (size_t)snprintf(pat, sizeof pat, "\"%s\":\"",
		    src->alt[0].path);
		if ((s = memmem(line, len, pat, n)) == NULL)
			return (0);
		s += n;
		if ((q = memchr(s, '"', (size_t)(end - s))) == NULL)
			return (0);
		n = (size_t)(q - s);
	}
	if (n == 0 || n >= dstsz)
		return (0);
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e ||
		    s[i] == '\\')
			return (0);
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	return (n);
}
