/*
 * jpath_check.h: the property the one-walk path lookup (lib/parse/jpath.c)
 * rests on, shared by the unit test and the fuzzer. For any paths and any
 * document, jpath_find() gives the token json_get() gives for each path;
 * and a line parsed with the walk gives the same lookup, reason, damage
 * and join key as with json_get() for each field (parser_general).
 */
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "parse/jpath.h"
#include "parse/json.h"
#include "parse/parser.h"

#define JPATH_CHECK_TOKS	64	/* start tokens tried per document */

/* 1 when jpath_find() and json_get() agree below every start token. */
static inline int
jpath_same_paths(const char *const *paths, size_t npaths, int icase,
    const struct json *j)
{
	struct jpath	*jp;
	int		 res[32], tok, same = 1;
	size_t		 i;

	if (npaths > sizeof res / sizeof res[0])
		npaths = sizeof res / sizeof res[0];
	jp = jpath_new(icase);
	for (i = 0; i < npaths; i++)
		jpath_add(jp, paths[i], strlen(paths[i]), (uint32_t)i);
	for (tok = -1; same && tok < (int)j->ntok &&
	    tok < JPATH_CHECK_TOKS; tok++) {
		jpath_find(jp, j, tok, res);
		for (i = 0; i < npaths; i++) {
			if (res[i] != json_get(j, tok, paths[i],
			    strlen(paths[i]), icase))
				same = 0;
		}
	}
	jpath_free(jp);
	return (same);
}

/* One definition's parser both ways, each with its own event. */
struct jpath_twin {
	struct parser	*walk;
	struct parser	*general;
	struct lookup	 a;
	struct lookup	 b;
};

static inline void
jpath_twin_init(struct jpath_twin *tw, const struct srcdef *walk,
    const struct srcdef *general)
{
	tw->walk = parser_new(walk);
	tw->general = parser_new(general);
	parser_general(tw->general, 1);
	lookup_init(&tw->a);
	lookup_init(&tw->b);
}

static inline void
jpath_twin_free(struct jpath_twin *tw)
{
	parser_free(tw->walk);
	parser_free(tw->general);
	lookup_free(&tw->a);
	lookup_free(&tw->b);
}

/* Whether two static strings (either may be NULL) say the same. */
static inline int
jpath_same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* Whether two events are the same, subjects included. */
static inline int
jpath_same_lookup(const struct lookup *a, const struct lookup *b)
{
	uint32_t	 i;

	/* Reset zeroes all of it before each line: bytes compare. */
	if (memcmp(a, b, offsetof(struct lookup, nsubjects)) != 0 ||
	    a->nsubjects != b->nsubjects)
		return (0);
	for (i = 0; i < a->nsubjects; i++) {
		if (strcmp(a->subjects[i].value, b->subjects[i].value) != 0 ||
		    a->subjects[i].kind != b->subjects[i].kind ||
		    a->subjects[i].role != b->subjects[i].role ||
		    a->subjects[i].valid != b->subjects[i].valid)
			return (0);
	}
	return (1);
}

/*
 * Parse a line both ways: 1 when all the caller can see is the same. The
 * result of the walk is left in *rc.
 */
static inline int
jpath_same_line(struct jpath_twin *tw, const char *line, size_t len,
    enum parse_rc *rc)
{
	const char	*ra = NULL, *rb = NULL;
	enum parse_rc	 a, b;

	a = parser_line(tw->walk, line, len, &tw->a, &ra);
	b = parser_line(tw->general, line, len, &tw->b, &rb);
	if (rc != NULL)
		*rc = a;
	if (a != b || (a == PARSE_BAD && !jpath_same_str(ra, rb)))
		return (0);
	return (jpath_same_lookup(&tw->a, &tw->b) &&
	    jpath_same_str(parser_damage(tw->walk),
	    parser_damage(tw->general)) &&
	    strcmp(parser_key(tw->walk), parser_key(tw->general)) == 0 &&
	    parser_is_part(tw->walk) == parser_is_part(tw->general));
}
