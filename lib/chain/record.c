/*
 * record.c: encode and decode chain records. Integers are big-endian;
 * after a fixed header come tag-length-value fields in ascending tag order.
 * The decoder is strict: every byte must be accounted for, so that one
 * record has exactly one encoding.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "chain/record.h"
#include "chain/text.h"
#include "util/xmalloc.h"

static const uint8_t chain_magic[4] = { 'W', 'C', 'H', 'R' };

/* Append a field header. */
static void
chain_put_tag(struct buf *b, enum chain_tag tag, size_t len)
{
	buf_add_be(b, tag, 2);
	buf_add_be(b, len, 4);
}

/* Append a text field. */
static void
chain_put_text(struct buf *b, enum chain_tag tag, const char *s)
{
	if (s == NULL)
		s = "";
	chain_put_tag(b, tag, strlen(s));
	buf_add(b, s, strlen(s));
}

/* Append a list of texts: count, then each length and bytes. */
static void
chain_put_list(struct buf *b, enum chain_tag tag, char **l, size_t n)
{
	size_t	 i, len = 4;

	for (i = 0; i < n; i++)
		len += 4 + strlen(l[i]);
	chain_put_tag(b, tag, len);
	buf_add_be(b, n, 4);
	for (i = 0; i < n; i++) {
		buf_add_be(b, strlen(l[i]), 4);
		buf_add(b, l[i], strlen(l[i]));
	}
}

/* Encode a record whose alert is already canonical (chain_alert_canonical). */
void
chain_record_encode(struct buf *b, const struct chain_record *r)
{
	const struct alert *a = r->alert;

	buf_add(b, chain_magic, sizeof chain_magic);
	buf_addc(b, r->version == CHAIN_RECORD_V2 ? CHAIN_RECORD_V2 :
	    CHAIN_RECORD_VERSION);
	buf_add_be(b, r->seq, 8);
	buf_add_be(b, r->epoch, 4);
	buf_add_be(b, (uint64_t)r->time_us, 8);
	buf_add(b, r->log_id, MERKLE_HASH);
	buf_add(b, r->prev, MERKLE_HASH);
	chain_put_tag(b, CHAIN_TAG_KIND, 1);
	buf_addc(b, a->kind);
	chain_put_tag(b, CHAIN_TAG_SEVERITY, 1);
	buf_addc(b, a->severity);
	chain_put_text(b, CHAIN_TAG_INCIDENT, a->incident);
	chain_put_text(b, CHAIN_TAG_USER, a->user);
	chain_put_tag(b, CHAIN_TAG_FIRST_TS, 8);
	buf_add_be(b, (uint64_t)a->first_ts, 8);
	chain_put_tag(b, CHAIN_TAG_LAST_TS, 8);
	buf_add_be(b, (uint64_t)a->last_ts, 8);
	chain_put_tag(b, CHAIN_TAG_SCORE, 4);
	buf_add_be(b, (uint32_t)a->score, 4);
	chain_put_list(b, CHAIN_TAG_RULES, a->rules, a->nrules);
	chain_put_list(b, CHAIN_TAG_EVENTS, a->events, a->nevents);
	chain_put_list(b, CHAIN_TAG_SUBJECTS, a->subjects, a->nsubjects);
	chain_put_text(b, CHAIN_TAG_SUMMARY, a->summary);
	chain_put_text(b, CHAIN_TAG_EXPLANATION, a->explanation);
	if (a->nprov > 0)
		chain_put_list(b, CHAIN_TAG_PROVISIONAL, a->prov, a->nprov);
	if (a->kind == ALERT_EXPLAINED)
		chain_put_list(b, CHAIN_TAG_EXPLAINED_BY, a->by, a->nby);
}

/* A canonical copy of one text. */
static char *
chain_canon_str(const char *s)
{
	struct buf	 b;
	char		*out;

	buf_init(&b);
	if (s != NULL)
		chain_text_normalise(&b, s, strlen(s));
	out = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return (out);
}

/* Copy a list of texts, each made canonical. */
static char **
chain_canon_list(char **l, size_t n)
{
	char	**out;
	size_t	 i;

	out = xcalloc(n + 1, sizeof *out);
	for (i = 0; i < n; i++)
		out[i] = chain_canon_str(l[i]);
	return (out);
}

/*
 * Copy a fixed-size text field, made canonical; an escaped form too long
 * for the field is cut at a UTF-8 code point boundary, so it stays canonical.
 */
static void
chain_canon_fixed(char *dst, size_t size, const char *src)
{
	char	*s = chain_canon_str(src);
	size_t	 n = strlen(s);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	free(s);
}

/* A copy of an alert with every text made canonical: what a record holds. */
struct alert *
chain_alert_canonical(const struct alert *a)
{
	struct alert	*c = alert_new();

	c->kind = a->kind;
	c->severity = a->severity;
	c->first_ts = a->first_ts;
	c->last_ts = a->last_ts;
	c->score = a->score;
	chain_canon_fixed(c->incident, sizeof c->incident, a->incident);
	chain_canon_fixed(c->user, sizeof c->user, a->user);
	c->nrules = a->nrules;
	c->rules = chain_canon_list(a->rules, a->nrules);
	c->nevents = a->nevents;
	c->events = chain_canon_list(a->events, a->nevents);
	c->nsubjects = a->nsubjects;
	c->subjects = chain_canon_list(a->subjects, a->nsubjects);
	c->summary = chain_canon_str(a->summary);
	c->explanation = chain_canon_str(a->explanation);
	c->nprov = a->nprov;
	c->prov = chain_canon_list(a->prov, a->nprov);
	c->nby = a->nby;
	c->by = chain_canon_list(a->by, a->nby);
	return (c);
}

/* A cursor over the field area of a record being decoded. */
struct chain_rd {
	const uint8_t	*p;
	size_t		 len;
	char		**cause;
};

/* Fail a decode with a reason naming the tag. */
static int
chain_rd_fail(struct chain_rd *rd, unsigned tag, const char *why)
{
	xasprintf(rd->cause, "field %u: %s", tag, why);
	return (-1);
}

/* Decode a canonical text of exactly len bytes into a new string. */
static int
chain_rd_text(struct chain_rd *rd, unsigned tag, const uint8_t *p,
    size_t len, char **out)
{
	if (!chain_text_canonical((const char *)p, len))
		return (chain_rd_fail(rd, tag, "text is not canonical UTF-8"));
	*out = xstrndup((const char *)p, len);
	return (0);
}

/* Decode a text into a fixed-size array. */
static int
chain_rd_fixed(struct chain_rd *rd, unsigned tag, const uint8_t *p,
    size_t len, char *dst, size_t size)
{
	char	*s;

	if (len >= size)
		return (chain_rd_fail(rd, tag, "text too long"));
	if (chain_rd_text(rd, tag, p, len, &s) != 0)
		return (-1);
	memcpy(dst, s, len + 1);
	free(s);
	return (0);
}

/* Decode a list of texts. */
static int
chain_rd_list(struct chain_rd *rd, unsigned tag, const uint8_t *p,
    size_t len, char ***list, size_t *n)
{
	size_t	 count, i, off = 4, ilen;

	if (len < 4)
		return (chain_rd_fail(rd, tag, "list too short"));
	count = be_get(p, 4);
	if (count > (len - 4) / 4)
		return (chain_rd_fail(rd, tag, "list count too large"));
	*list = xcalloc(count + 1, sizeof **list);
	for (i = 0; i < count; i++) {
		if (len - off < 4)
			return (chain_rd_fail(rd, tag, "list item cut"));
		ilen = be_get(p + off, 4);
		off += 4;
		if (ilen > len - off)
			return (chain_rd_fail(rd, tag, "list item cut"));
		if (chain_rd_text(rd, tag, p + off, ilen, &(*list)[i]) != 0)
			return (-1);
		(*n)++;
		off += ilen;
	}
	if (off != len)
		return (chain_rd_fail(rd, tag, "bytes after the last list item"));
	return (0);
}

/* Check a fixed-width field's length. */
static int
chain_rd_width(struct chain_rd *rd, unsigned tag, size_t len, size_t want)
{
	if (len != want)
		return (chain_rd_fail(rd, tag, "wrong length"));
	return (0);
}

/* Decode one known field into the alert. */
static int
chain_rd_field(struct chain_rd *rd, unsigned tag, const uint8_t *p,
    size_t len, struct alert *a)
{
	switch (tag) {
	case CHAIN_TAG_KIND:
		if (chain_rd_width(rd, tag, len, 1) != 0)
			return (-1);
		if (p[0] > ALERT_EXPLAINED)
			return (chain_rd_fail(rd, tag, "unknown kind"));
		a->kind = p[0];
		return (0);
	case CHAIN_TAG_SEVERITY:
		if (chain_rd_width(rd, tag, len, 1) != 0)
			return (-1);
		if (p[0] > ALERT_CRITICAL)
			return (chain_rd_fail(rd, tag, "unknown severity"));
		a->severity = p[0];
		return (0);
	case CHAIN_TAG_INCIDENT:
		return (chain_rd_fixed(rd, tag, p, len, a->incident,
		    sizeof a->incident));
	case CHAIN_TAG_USER:
		return (chain_rd_fixed(rd, tag, p, len, a->user,
		    sizeof a->user));
	case CHAIN_TAG_FIRST_TS:
	case CHAIN_TAG_LAST_TS:
		if (chain_rd_width(rd, tag, len, 8) != 0)
			return (-1);
		if (tag == CHAIN_TAG_FIRST_TS)
			a->first_ts = (int64_t)be_get(p, 8);
		else
			a->last_ts = (int64_t)be_get(p, 8);
		return (0);
	case CHAIN_TAG_SCORE:
		if (chain_rd_width(rd, tag, len, 4) != 0)
			return (-1);
		a->score = (int32_t)(uint32_t)be_get(p, 4);
		return (0);
	case CHAIN_TAG_RULES:
		return (chain_rd_list(rd, tag, p, len, &a->rules, &a->nrules));
	case CHAIN_TAG_EVENTS:
		return (chain_rd_list(rd, tag, p, len, &a->events,
		    &a->nevents));
	case CHAIN_TAG_SUBJECTS:
		return (chain_rd_list(rd, tag, p, len, &a->subjects,
		    &a->nsubjects));
	case CHAIN_TAG_SUMMARY:
		return (chain_rd_text(rd, tag, p, len, &a->summary));
	case CHAIN_TAG_EXPLANATION:
		return (chain_rd_text(rd, tag, p, len, &a->explanation));
	case CHAIN_TAG_PROVISIONAL:
		return (chain_rd_list(rd, tag, p, len, &a->prov, &a->nprov));
	case CHAIN_TAG_EXPLAINED_BY:
		return (chain_rd_list(rd, tag, p, len, &a->by, &a->nby));
	}
	return (chain_rd_fail(rd, tag, "unknown mandatory field"));
}

/* Is s one of the n texts of l? */
static int
chain_list_has(char **l, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(l[i], s) == 0)
			return (1);
	return (0);
}

/*
 * The rules of provisional alerts and follow-ups (docs/CHAIN.md 1b):
 * field 0x8101 lists, once each, events of field 9 of a kind 0 or 1
 * record, and is absent when empty; a kind 2 record names at least one
 * event and has field 0x8102 with one item per event; no other record
 * has it.
 */
static int
chain_rd_followup(struct chain_rd *rd, const struct alert *a)
{
	size_t	 i;

	if (a->prov != NULL && a->nprov == 0)
		return (chain_rd_fail(rd, CHAIN_TAG_PROVISIONAL, "empty list"));
	if (a->nprov > 0 && a->kind == ALERT_EXPLAINED)
		return (chain_rd_fail(rd, CHAIN_TAG_PROVISIONAL, "in a "
		    "follow-up"));
	for (i = 0; i < a->nprov; i++)
		if (!chain_list_has(a->events, a->nevents, a->prov[i]) ||
		    chain_list_has(a->prov, i, a->prov[i]))
			return (chain_rd_fail(rd, CHAIN_TAG_PROVISIONAL,
			    "not an event of the record, or twice"));
	if (a->kind != ALERT_EXPLAINED && a->by != NULL)
		return (chain_rd_fail(rd, CHAIN_TAG_EXPLAINED_BY, "only in a "
		    "follow-up"));
	if (a->kind == ALERT_EXPLAINED && (a->nevents == 0 ||
	    a->nby != a->nevents))
		return (chain_rd_fail(rd, CHAIN_TAG_EXPLAINED_BY, "a follow-up "
		    "needs one item per event"));
	return (0);
}

/* Decode the fields after the header; every mandatory tag once, in order. */
static int
chain_rd_fields(struct chain_rd *rd, struct alert *a)
{
	unsigned	 tag, last = 0;
	size_t		 len;

	while (rd->len > 0) {
		if (rd->len < 6)
			return (chain_rd_fail(rd, last, "field header cut"));
		tag = be_get(rd->p, 2);
		len = be_get(rd->p + 2, 4);
		if (len > rd->len - 6)
			return (chain_rd_fail(rd, tag, "field runs past the end"));
		if (tag <= last)
			return (chain_rd_fail(rd, tag, "tags out of order"));
		if (tag <= CHAIN_TAG_LAST && tag != last + 1)
			return (chain_rd_fail(rd, last + 1, "missing"));
		if ((tag < CHAIN_TAG_OPTIONAL || tag == CHAIN_TAG_PROVISIONAL ||
		    tag == CHAIN_TAG_EXPLAINED_BY) &&
		    chain_rd_field(rd, tag, rd->p + 6, len, a) != 0)
			return (-1);
		last = tag;
		rd->p += 6 + len;
		rd->len -= 6 + len;
	}
	if (last < CHAIN_TAG_LAST)
		return (chain_rd_fail(rd, last + 1, "missing"));
	return (chain_rd_followup(rd, a));
}

/* Decode and validate a record; on error *cause says what is wrong. */
int
chain_record_decode(const uint8_t *p, size_t len, struct chain_record *r,
    char **cause)
{
	struct chain_rd	 rd;

	memset(r, 0, sizeof *r);
	if (len > CHAIN_RECORD_MAX) {
		*cause = xstrdup("record too large");
		return (-1);
	}
	if (len < CHAIN_RECORD_HDR || memcmp(p, chain_magic, 4) != 0) {
		*cause = xstrdup("not a chain record (bad magic or too short)");
		return (-1);
	}
	if (p[4] != CHAIN_RECORD_VERSION && p[4] != CHAIN_RECORD_V2) {
		xasprintf(cause, "unknown record version %u", p[4]);
		return (-1);
	}
	r->seq = be_get(p + 5, 8);
	r->epoch = (uint32_t)be_get(p + 13, 4);
	r->time_us = (int64_t)be_get(p + 17, 8);
	memcpy(r->log_id, p + 25, MERKLE_HASH);
	memcpy(r->prev, p + 57, MERKLE_HASH);
	r->alert = alert_new();
	rd.p = p + CHAIN_RECORD_HDR;
	rd.len = len - CHAIN_RECORD_HDR;
	rd.cause = cause;
	r->version = p[4];
	if (chain_rd_fields(&rd, r->alert) != 0 || (r->version ==
	    CHAIN_RECORD_V2 && chain_record_v2_check(r->alert, cause) != 0)) {
		chain_record_clear(r);
		return (-1);
	}
	return (0);
}

/* Free what a decoded record owns. */
void
chain_record_clear(struct chain_record *r)
{
	alert_free(r->alert);
	r->alert = NULL;
}

/* Compare two text lists. */
static int
chain_list_equal(char **a, size_t na, char **b, size_t nb)
{
	size_t	 i;

	if (na != nb)
		return (0);
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return (0);
	return (1);
}

/* Compare two optional texts, NULL being empty. */
static int
chain_str_equal(const char *a, const char *b)
{
	return (strcmp(a ? a : "", b ? b : "") == 0);
}

/* 1 if two alerts hold the same record fields; else *field names one. */
int
chain_alert_equal(const struct alert *a, const struct alert *b,
    const char **field)
{
	if (a->kind != b->kind)
		*field = "kind";
	else if (a->severity != b->severity)
		*field = "severity";
	else if (strcmp(a->incident, b->incident) != 0)
		*field = "incident";
	else if (strcmp(a->user, b->user) != 0)
		*field = "user";
	else if (a->first_ts != b->first_ts)
		*field = "first_ts";
	else if (a->last_ts != b->last_ts)
		*field = "last_ts";
	else if (a->score != b->score)
		*field = "score";
	else if (!chain_list_equal(a->rules, a->nrules, b->rules, b->nrules))
		*field = "rules";
	else if (!chain_list_equal(a->events, a->nevents, b->events,
	    b->nevents))
		*field = "events";
	else if (!chain_list_equal(a->subjects, a->nsubjects, b->subjects,
	    b->nsubjects))
		*field = "subjects";
	else if (!chain_str_equal(a->summary, b->summary))
		*field = "summary";
	else if (!chain_str_equal(a->explanation, b->explanation))
		*field = "explanation";
	else
		return (1);
	return (0);
}
