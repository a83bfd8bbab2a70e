/*
 * json_dump.c: print what the JSON scanner makes of each input line, in the
 * same canonical form as json_ref.py prints from python3's json module, so
 * json_ref.sh can compare the two line by line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/json.h"
#include "util/xmalloc.h"

/* Print bytes as hex. */
static void
hex(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		printf("%02x", (unsigned char)s[i]);
}

/* Print one leaf (or empty container) and check json_get finds it. */
static void
leaf(const struct json *j, int tok, const char *path, size_t plen,
    char *val, size_t valsz, int simple)
{
	static const char	*types[] = { "?", "o", "a", "s", "n", "t", "f",
	    "z" };
	size_t			 n = 0;

	printf(" %s:", types[j->tok[tok].type]);
	hex(path, plen);
	printf("=");
	if (j->tok[tok].type != JSON_OBJECT && j->tok[tok].type != JSON_ARRAY) {
		if (json_str(j, tok, val, valsz, &n) != 0)
			printf("STRFAIL");
		hex(val, n);
	}
	if (simple && json_get(j, 0, path, plen, 0) != tok)
		printf("GETFAIL");
}

/* Walk a value, building the path of keys and indexes (joined by '.'). */
static void
walk(const struct json *j, int tok, char *path, size_t plen, char *val,
    size_t valsz, int simple, int root)
{
	const struct json_tok	*t = &j->tok[tok];
	char			 key[64];
	size_t			 klen, n;
	uint32_t		 k;
	int			 c, s;

	if ((t->type != JSON_OBJECT && t->type != JSON_ARRAY) || t->n == 0) {
		leaf(j, tok, path, plen, val, valsz, simple);
		return;
	}
	for (k = 0; k < t->n; k++) {
		n = plen;
		if (!root)
			path[n++] = '.';
		s = simple;
		if (t->type == JSON_OBJECT) {
			c = json_child(j, tok, k);
			if (json_str(j, c - 1, val, valsz, &klen) != 0)
				printf("KEYFAIL");
			if (klen == 0 || memchr(val, '.', klen) != NULL ||
			    j->tok[c - 1].esc)
				s = 0;
		} else {
			c = json_child(j, tok, k);
			klen = (size_t)snprintf(key, sizeof key, "%u", k);
			memcpy(val, key, klen);
		}
		memcpy(path + n, val, klen);
		walk(j, c, path, n + klen, val, valsz, s, 0);
	}
}

int
main(int argc, char **argv)
{
	struct json	 j;
	char		*line = NULL, *path, *val;
	size_t		 cap = 0;
	ssize_t		 len;
	const char	*reason;

	json_init(&j, 1 << 20, JSON_DEPTH_MAX);
	while ((len = getline(&line, &cap, stdin)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (json_parse(&j, line, (size_t)len, &reason) != 0) {
			printf("BAD\n");
			continue;
		}
		path = xmalloc(2 * (size_t)len + 16);
		val = xmalloc((size_t)len + 16);
		printf("OK");
		walk(&j, 0, path, 0, val, (size_t)len + 16, 1, 1);
		printf("\n");
		free(path);
		free(val);
	}
	free(line);
	json_free(&j);
	return (0);
}
