/*
 * jpath.c: one walk over an object's members in place of a json_get() per
 * path. A path may start with any of its prefixes that ends at a dot (keys
 * may hold dots), so each such prefix is a key of the set, in a bucket by
 * its length; a key holds the paths that end there and, as a set of its
 * own, the rest of those that go on below it. The semantics stay
 * json_get()'s: for each path, the first member in document order that
 * leads to a value wins. A path with very many dots (2^dots keys) and
 * any path under an array are left to json_get().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse/jpath.h"
#include "util/xmalloc.h"

#define JPATH_SHORT	32	/* key lengths with a bucket of their own */
#define JPATH_DOTS	6	/* more dots than this: json_get() alone */

struct jpath_path {
	const char	*path;
	size_t		 len;
	uint32_t	 slot;		/* where its token goes */
};

struct jpath_key {
	const char	*key;
	size_t		 len;
	int		 next;		/* in the same length bucket, or -1 */
	uint32_t	*ends;		/* slots of the paths that end here */
	size_t		 nends;
	struct jpath	*below;		/* the paths that go on, or NULL */
};

struct jpath {
	int		 icase;
	struct jpath_path *path;	/* every path walked from this set */
	size_t		 npath;
	struct jpath_path *deep;	/* looked up with json_get() */
	size_t		 ndeep;
	struct jpath_key *key;
	int		 nkey;
	int		 head[JPATH_SHORT + 1];	/* last: all longer keys */
};

/* An empty set; icase compares keys without regard to ASCII case. */
struct jpath *
jpath_new(int icase)
{
	struct jpath	*jp;
	int		 i;

	jp = xcalloc(1, sizeof *jp);
	jp->icase = icase;
	for (i = 0; i <= JPATH_SHORT; i++)
		jp->head[i] = -1;
	return (jp);
}

/* Free a set (the path text belongs to the caller). */
void
jpath_free(struct jpath *jp)
{
	int	 i;

	if (jp == NULL)
		return;
	for (i = 0; i < jp->nkey; i++) {
		free(jp->key[i].ends);
		jpath_free(jp->key[i].below);
	}
	free(jp->key);
	free(jp->path);
	free(jp->deep);
	free(jp);
}

/* Append a path to a list. */
static void
jpath_list(struct jpath_path **list, size_t *n, const char *path, size_t len,
    uint32_t slot)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[*n].path = path;
	(*list)[*n].len = len;
	(*list)[(*n)++].slot = slot;
}

/* The bucket of a key length. */
static int
jpath_bucket(size_t len)
{
	return (len < JPATH_SHORT ? (int)len : JPATH_SHORT);
}

/*
 * The key of these bytes, made if new. Keys that compare equal are one
 * key, so that a member matches at most one.
 */
static struct jpath_key *
jpath_key(struct jpath *jp, const char *key, size_t len)
{
	struct jpath_key	*k;
	int			 i, b = jpath_bucket(len);

	for (i = jp->head[b]; i >= 0; i = jp->key[i].next) {
		k = &jp->key[i];
		if (k->len == len && (jp->icase ? strncasecmp(k->key, key,
		    len) : memcmp(k->key, key, len)) == 0)
			return (k);
	}
	jp->key = xreallocarray(jp->key, (size_t)jp->nkey + 1, sizeof *jp->key);
	k = &jp->key[jp->nkey];
	memset(k, 0, sizeof *k);
	k->key = key;
	k->len = len;
	k->next = jp->head[b];
	jp->head[b] = jp->nkey++;
	return (k);
}

/* Enter a path under every key it may start with. */
static void
jpath_enter(struct jpath *jp, const char *path, size_t len, uint32_t slot)
{
	struct jpath_key	*k;
	size_t			 i;

	jpath_list(&jp->path, &jp->npath, path, len, slot);
	for (i = 0; i <= len; i++) {
		if (i < len && path[i] != '.')
			continue;
		k = jpath_key(jp, path, i);
		/* Nothing after the dot: json_get() gives the value itself. */
		if (i + 1 >= len) {
			k->ends = xreallocarray(k->ends, k->nends + 1,
			    sizeof *k->ends);
			k->ends[k->nends++] = slot;
			continue;
		}
		if (k->below == NULL)
			k->below = jpath_new(jp->icase);
		jpath_enter(k->below, path + i + 1, len - i - 1, slot);
	}
}

/*
 * Add a path (by reference: it must outlive the set; not empty) whose
 * token jpath_find() writes to res[slot].
 */
void
jpath_add(struct jpath *jp, const char *path, size_t len, uint32_t slot)
{
	size_t	 i, dots = 0;

	for (i = 0; i < len; i++)
		dots += path[i] == '.';
	if (dots > JPATH_DOTS)
		jpath_list(&jp->deep, &jp->ndeep, path, len, slot);
	else
		jpath_enter(jp, path, len, slot);
}

/* The key of the set a member's key is, or NULL. */
static const struct jpath_key *
jpath_match(const struct jpath *jp, const struct json *j,
    const struct json_tok *t)
{
	const struct jpath_key	*k;
	const char		*s = j->buf + t->start;
	int			 i;

	for (i = jp->head[jpath_bucket(t->len)]; i >= 0; i = k->next) {
		k = &jp->key[i];
		if (k->len != t->len)
			continue;
		if (jp->icase ? strncasecmp(s, k->key, k->len) == 0 :
		    (k->len == 0 || s[0] == k->key[0]) &&
		    memcmp(s, k->key, k->len) == 0)
			return (k);
	}
	return (NULL);
}

/* Under an array an index comes first: each path as json_get() has it. */
static int
jpath_array(const struct jpath *jp, const struct json *j, int tok, int *res)
{
	size_t	 i;
	int	 found = 0;

	for (i = 0; i < jp->npath; i++) {
		if (res[jp->path[i].slot] >= 0)
			continue;
		res[jp->path[i].slot] = json_get(j, tok, jp->path[i].path,
		    jp->path[i].len, jp->icase);
		found += res[jp->path[i].slot] >= 0;
	}
	return (found);
}

/* How many of the set's paths are not found yet. */
static size_t
jpath_left(const struct jpath *jp, const int *res)
{
	size_t	 i, left = 0;

	for (i = 0; i < jp->npath; i++)
		left += res[jp->path[i].slot] < 0;
	return (left);
}

/*
 * Find the set's paths not found yet (left of them) below a token; how
 * many it found. Members are taken in order and a path keeps the first
 * token found.
 */
static int
jpath_walk(const struct jpath *jp, const struct json *j, int tok, int *res,
    size_t left)
{
	const struct json_tok	*t = &j->tok[tok];
	const struct jpath_key	*k;
	uint32_t		 c, m;
	size_t			 i;
	int			 found = 0, n;

	if (t->type == JSON_ARRAY)
		return (jpath_array(jp, j, tok, res));
	if (t->type != JSON_OBJECT)
		return (0);
	c = (uint32_t)tok + 1;
	for (m = 0; m < t->n && left > 0; m++, c = j->tok[c + 1].next) {
		if ((k = jpath_match(jp, j, &j->tok[c])) == NULL)
			continue;
		for (i = 0; i < k->nends; i++) {
			if (res[k->ends[i]] < 0) {
				res[k->ends[i]] = (int)c + 1;
				found++;
				left--;
			}
		}
		if (k->below != NULL) {
			n = jpath_walk(k->below, j, (int)c + 1, res,
			    jpath_left(k->below, res));
			found += n;
			left -= (size_t)n;
		}
	}
	return (found);
}

/*
 * Find every path of the set below token tok (-1: none) of a parsed
 * document: res[slot] becomes the token json_get() returns, or -1.
 */
void
jpath_find(const struct jpath *jp, const struct json *j, int tok, int *res)
{
	size_t	 i;

	for (i = 0; i < jp->npath; i++)
		res[jp->path[i].slot] = -1;
	for (i = 0; i < jp->ndeep; i++)
		res[jp->deep[i].slot] = json_get(j, tok, jp->deep[i].path,
		    jp->deep[i].len, jp->icase);
	/*
	 * Every walked path was just cleared, so none is found yet (a count
	 * too high would only keep the walk going to the last member).
	 */
	if (tok >= 0 && (uint32_t)tok < j->ntok)
		(void)jpath_walk(jp, j, tok, res, jp->npath);
}
