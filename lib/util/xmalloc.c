/*
 * xmalloc.c: allocation wrappers. A daemon that cannot allocate a few bytes
 * cannot do anything useful, so failure aborts with a message rather than
 * forcing every caller to handle NULL.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

static void xalloc_fail(const char *, size_t) __attribute__((noreturn));

/* Report an allocation failure and abort. */
static void
xalloc_fail(const char *what, size_t size)
{
	fprintf(stderr, "<2>wachter: %s: out of memory allocating %zu bytes\n",
	    what, size);
	abort();
}

/* Allocate size bytes. */
void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		xalloc_fail("xmalloc", size);
	return (p);
}

/* Allocate a zeroed array of n elements of size bytes. */
void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = calloc(n, size)) == NULL)
		xalloc_fail("xcalloc", n * size);
	return (p);
}

/* Resize an array to n elements of size bytes, checking for overflow. */
void *
xreallocarray(void *ptr, size_t n, size_t size)
{
	void	*p;

	if (size != 0 && n > SIZE_MAX / size)
		xalloc_fail("xreallocarray overflow", SIZE_MAX);
	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = realloc(ptr, n * size)) == NULL)
		xalloc_fail("xreallocarray", n * size);
	return (p);
}

/* Duplicate a string. */
char *
xstrdup(const char *s)
{
	return (xstrndup(s, strlen(s)));
}

/* Duplicate at most n bytes of a string, always terminating it. */
char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

/* Format into a newly allocated string. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n < 0)
		xalloc_fail("xasprintf", 0);
	return (n);
}
