/*
 * tsv.c: fields separated by tabs, with tab, newline and backslash
 * escaped, so that any text survives a line-based format. Used by the
 * engine's durable state (held lookups and open incidents).
 */
#include "config.h"

#include "util/tsv.h"

/* Append one field, escaped (the caller writes the separators). */
void
tsv_add(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\t')
			buf_adds(b, "\\t");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else if (*s == '\\')
			buf_adds(b, "\\\\");
		else
			buf_addc(b, (uint8_t)*s);
	}
}

/*
 * Take the next field of *pp, unescaped in place; NULL once the line is
 * used up. *pp becomes NULL after the last field.
 */
char *
tsv_next(char **pp)
{
	char	*p = *pp, *w, *f;

	if (p == NULL)
		return (NULL);
	for (f = w = p; *p != '\0' && *p != '\t'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			*w++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p;
		} else
			*w++ = *p;
	}
	*pp = *p == '\t' ? p + 1 : NULL;
	*w = '\0';
	return (f);
}
