/*
 * parser.h: turn one raw log line into a struct lookup, driven by a source
 * definition. No allocation per line: the parser owns its scratch space and
 * the caller reuses one event.
 */
#ifndef WACHTER_PARSER_H
#define WACHTER_PARSER_H

#include <stddef.h>

#include "event/event.h"
#include "parse/srcdef.h"

enum parse_rc {
	PARSE_EVENT = 0,	/* ev is filled */
	PARSE_SKIP,		/* blank line or the CSV header */
	PARSE_BAD,		/* malformed; *reason says why */
};

struct parser;

struct parser	*parser_new(const struct srcdef *);
void		 parser_free(struct parser *);
void		 parser_general(struct parser *, int);
const struct srcdef *parser_def(const struct parser *);
enum parse_rc	 parser_line(struct parser *, const char *, size_t,
		    struct lookup *, const char **);
const char	*parser_key(const struct parser *);
const char	*parser_damage(const struct parser *);
int		 parser_is_part(const struct parser *);
size_t		 parser_salvage(struct parser *, const char *, size_t, int,
		    char *, size_t);

#define PARSER_SALVAGE_ID	0
#define PARSER_SALVAGE_KEY	1

#endif
