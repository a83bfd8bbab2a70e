/*
 * json.h: a strict, zero-copy JSON scanner for one log line.
 *
 * json_parse() validates the whole line (RFC 8259, UTF-8, depth limit) and
 * fills a flat token array that points into the caller's buffer; nothing is
 * allocated per line. Values are found by path and unescaped on demand.
 */
#ifndef WACHTER_JSON_H
#define WACHTER_JSON_H

#include <stddef.h>
#include <stdint.h>

enum json_type {
	JSON_NONE = 0,
	JSON_OBJECT,
	JSON_ARRAY,
	JSON_STRING,
	JSON_NUMBER,
	JSON_TRUE,
	JSON_FALSE,
	JSON_NULL,
};

/* One value (or object key). Strings exclude their quotes. */
struct json_tok {
	uint32_t	 start;	/* byte offset in the line */
	uint32_t	 len;
	uint32_t	 next;	/* index of the token after this subtree */
	uint32_t	 n;	/* object members or array elements */
	uint8_t		 type;	/* enum json_type */
	uint8_t		 esc;	/* JSON_ESC_* */
};

#define JSON_ESC	0x01	/* string contains backslash escapes */
#define JSON_ESC_LONE	0x02	/* ...one a lone surrogate (read as U+FFFD) */

struct json {
	const char	*buf;
	size_t		 len;
	struct json_tok	*tok;
	uint32_t	 ntok;
	uint32_t	 cap;
	uint32_t	 maxdepth;
	int		 lone_ok;	/* accept lone surrogate escapes */
	uint32_t	 nlone;		/* strings holding one, last parse */
};

#define JSON_DEPTH_MAX	64

void	 json_init(struct json *, uint32_t, uint32_t);
void	 json_free(struct json *);
int	 json_parse(struct json *, const char *, size_t, const char **)
	    __attribute__((warn_unused_result));
int	 json_get(const struct json *, int, const char *, size_t, int);
int	 json_child(const struct json *, int, uint32_t);
int	 json_str(const struct json *, int, char *, size_t, size_t *)
	    __attribute__((warn_unused_result));
int	 json_utf8_valid(const char *, size_t);
size_t	 json_utf8_cut(const char *, size_t);
int	 json_eq(const struct json *, int, const char *, size_t);
const char *json_type_name(enum json_type);

#endif
