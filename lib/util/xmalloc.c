/*
 * xmalloc.c: allocation wrappers. A daemon that cannot allocate a few bytes
 * cannot do anything useful, so failure aborts with a message rather than
 * forcing every caller to handle NULL.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

static void xalloc_fail(const char *, size_t) __attribute__((noreturn));

#ifdef FAULT_INJECTION
/*
 * Test builds only (./configure --enable-fault-injection): the environment
 * variable WACHTER_FAIL_ALLOC=N makes the Nth allocation through this file
 * fail as if the system had no memory left, so tests can show what such a
 * failure costs (tests/e2e/alloc_fail.sh).
 */
static unsigned long long xalloc_count;
static unsigned long long xalloc_fail_at;

/* Whether this allocation is the one to fail. */
static int
xalloc_injected(void)
{
	static int	 init;
	const char	*s;

	if (!init) {
		init = 1;
		if ((s = getenv("WACHTER_FAIL_ALLOC")) != NULL)
			xalloc_fail_at = strtoull(s, NULL, 10);
	}
	return (++xalloc_count == xalloc_fail_at);
}
#define XALLOC_INJECTED()	xalloc_injected()
#else
#define XALLOC_INJECTED()	0
#endif

/*
 * Report an allocation failure and abort. The abort is the whole recovery:
 * everything wachterd has not committed is read again after a restart.
 */
static void
xalloc_fail(const char *what, size_t size)
{
	fprintf(stderr, "<2>%s: %s: out of memory allocating %zu bytes\n",
	    program_invocation_short_name, what, size);
	abort();
}

/* Allocate size bytes. */
void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if (XALLOC_INJECTED() || (p = malloc(size)) == NULL)
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
	if (XALLOC_INJECTED() || (p = calloc(n, size)) == NULL)
		xalloc_fail("xcalloc", n * size);
	return (p);
}

/* A copy of an array of n elements of size bytes, or NULL for none. */
void *
xmemdup(const void *p, size_t n, size_t size)
{
	void	*q;

	if (p == NULL || n == 0)
		return (NULL);
	q = xreallocarray(NULL, n, size);
	memcpy(q, p, n * size);
	return (q);
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
	if (XALLOC_INJECTED() || (p = realloc(ptr, n * size)) == NULL)
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

	if (XALLOC_INJECTED())
		xalloc_fail("xasprintf", 0);
	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n < 0)
		xalloc_fail("xasprintf", 0);
	return (n);
}
