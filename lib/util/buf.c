/* buf.c: a growable byte buffer used for records, queries and line assembly. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"

/* Start an empty buffer. */
void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Release a buffer's memory. */
void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

/* Empty a buffer but keep its memory for reuse. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
}

/* Make room for n more bytes (plus a terminating NUL). */
void
buf_reserve(struct buf *b, size_t n)
{
	size_t	 want = b->len + n + 1;

	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < want)
		b->cap *= 2;
	b->data = xreallocarray(b->data, b->cap, 1);
}

/* Append n bytes. */
void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n != 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Append one byte. */
void
buf_addc(struct buf *b, uint8_t c)
{
	buf_add(b, &c, 1);
}

/* Append the low `bytes` bytes of v, big-endian (the chain's and the
 * sealed state's integers). */
void
buf_add_be(struct buf *b, uint64_t v, int bytes)
{
	while (bytes-- > 0)
		buf_addc(b, (uint8_t)(v >> (8 * bytes)));
}

/* Read a big-endian integer of `bytes` bytes. */
uint64_t
be_get(const uint8_t *p, int bytes)
{
	uint64_t v = 0;
	int	 i;

	for (i = 0; i < bytes; i++)
		v = (v << 8) | p[i];
	return (v);
}

/* Append a NUL-terminated string. */
void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append formatted text. */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Drop the first n bytes, moving the rest to the front. */
void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		if (b->data != NULL)
			b->data[0] = '\0';
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

/* The contents as a C string (always terminated, never NULL). */
const char *
buf_cstr(struct buf *b)
{
	buf_reserve(b, 0);
	b->data[b->len] = '\0';
	return ((const char *)b->data);
}
