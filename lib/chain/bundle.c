/*
 * bundle.c: write and read export bundles. One item per line: a keyword,
 * a number and standard base64 of the exact stored bytes; the last line
 * counts the items so a cut file is noticed, and every line, the last
 * too, ends in a newline. The reader takes one line at a time, so a
 * bundle can be verified without holding its records; it treats the file
 * as untrusted and reports file:line: message.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/bundle.h"
#include "util/xmalloc.h"

#define CHAIN_BUNDLE_MAGIC	"wachter-bundle v1"

/* The first line and the certificate's. */
void
chain_bundle_write_head(struct buf *out, const struct buf *cert)
{
	buf_adds(out, CHAIN_BUNDLE_MAGIC "\n");
	chain_bundle_write_item(out, "certificate", 1, cert->data, cert->len);
}

/* One item line. */
void
chain_bundle_write_item(struct buf *out, const char *kw, int64_t n,
    const void *p, size_t len)
{
	buf_printf(out, "%s %" PRId64 " ", kw, n);
	chain_b64(out, p, len);
	buf_addc(out, '\n');
}

/* The closing line. */
void
chain_bundle_write_end(struct buf *out, size_t nrows, size_t ncps)
{
	buf_printf(out, "end %zu %zu\n", nrows, ncps);
}

/* Write a bundle of the certificate, records and checkpoints given. */
void
chain_bundle_write(struct buf *out, const struct buf *cert,
    const struct chain_row *rows, size_t nrows, const struct chain_cprow *cps,
    size_t ncps)
{
	size_t	 i;

	chain_bundle_write_head(out, cert);
	for (i = 0; i < nrows; i++)
		chain_bundle_write_item(out, "record", rows[i].seq,
		    rows[i].record, rows[i].len);
	for (i = 0; i < ncps; i++)
		chain_bundle_write_item(out, "checkpoint", cps[i].n, cps[i].note,
		    cps[i].len);
	chain_bundle_write_end(out, nrows, ncps);
}

/* The value of a base64 digit, or 64 for anything else. */
static uint8_t
chain_bundle_digit(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (c - '0' + 52);
	return (c == '+' ? 62 : c == '/' ? 63 : 64);
}

/*
 * Canonical standard base64 (RFC 4648 section 4, '=' padding, unused bits
 * zero) into out, which has room for len * 3 / 4 bytes; -1 if it is not.
 * Table-free and quick: bundles carry hundreds of megabytes of it, and
 * the data is public, so there is no need for a constant-time decoder.
 */
static int
chain_bundle_b64(uint8_t *out, const char *s, size_t len, size_t *got)
{
	const uint8_t	*p = (const uint8_t *)s;
	uint8_t		 d[4] = { 0, 0, 0, 0 };
	size_t		 i, k, pad = 0, o = 0;

	if (len % 4 != 0)
		return (-1);
	if (len > 0 && p[len - 1] == '=')
		pad = len > 1 && p[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len; i += 4) {
		for (k = 0; k < 4; k++) {
			d[k] = i + k >= len - pad ? 0 : chain_bundle_digit(p[i + k]);
			if (d[k] == 64)
				return (-1);
		}
		out[o++] = d[0] << 2 | d[1] >> 4;
		out[o++] = (d[1] & 0xf) << 4 | d[2] >> 2;
		out[o++] = (d[2] & 0x3) << 6 | d[3];
	}
	if ((pad == 1 && (d[2] & 0x3) != 0) || (pad == 2 && (d[1] & 0xf) != 0))
		return (-1);	/* unused bits set: not canonical */
	*got = o - pad;
	return (0);
}

/* Decode "N BASE64" (after the keyword) into data (NULL: number only). */
static int
chain_bundle_decode(const char *s, size_t len, int64_t *n, struct buf *data)
{
	const char	*sp, *p;
	size_t		 got;

	if ((sp = memchr(s, ' ', len)) == NULL || sp == s)
		return (-1);
	*n = 0;
	for (p = s; p < sp; p++) {
		if (*p < '0' || *p > '9' || *n > (INT64_MAX - 9) / 10)
			return (-1);
		*n = *n * 10 + (*p - '0');
	}
	if (*n < 1)
		return (-1);
	if (data == NULL)
		return (0);
	buf_reset(data);
	buf_reserve(data, len);
	if (chain_bundle_b64(data->data, sp + 1, len - (sp + 1 - s), &got) != 0)
		return (-1);
	data->len = got;
	return (0);
}

/* Whether line s starts with keyword kw and a space. */
static int
chain_bundle_kw(const char *s, size_t len, const char *kw)
{
	size_t	 k = strlen(kw);

	return (len > k + 1 && memcmp(s, kw, k) == 0 && s[k] == ' ');
}

/* Check the closing "end R C" line. */
static int
chain_bundle_end(struct chain_bundle_reader *r, const char *s, size_t len)
{
	char	 want[64];

	snprintf(want, sizeof want, "end %zu %zu", r->nrows, r->ncps);
	r->ended = 1;
	return (len == strlen(want) && memcmp(s, want, len) == 0 ? 0 : -1);
}

/*
 * Read one line (without its newline; nl says whether it had one). The
 * item's kind and number come back, its bytes in data (not for records
 * when the reader skips them: a first pass). -1: malformed.
 */
int
chain_bundle_next(struct chain_bundle_reader *r, const char *s, size_t len,
    int nl, struct buf *data, int *kind, int64_t *n)
{
	r->line++;
	*kind = 0;
	if (!nl || r->ended)
		return (-1);
	if (r->line == 1)
		return (len == strlen(CHAIN_BUNDLE_MAGIC) &&
		    memcmp(s, CHAIN_BUNDLE_MAGIC, len) == 0 ? 0 : -1);
	if (chain_bundle_kw(s, len, "end")) {
		*kind = 'e';
		return (chain_bundle_end(r, s, len));
	}
	if (r->line == 2 && chain_bundle_kw(s, len, "certificate")) {
		*kind = 'c';
		return (chain_bundle_decode(s + 12, len - 12, n, data) != 0 ||
		    *n != 1 ? -1 : 0);
	}
	if (chain_bundle_kw(s, len, "record") && r->ncps == 0) {
		*kind = 'r';
		r->nrows++;
		return (chain_bundle_decode(s + 7, len - 7, n,
		    r->skip_records ? NULL : data));
	}
	if (chain_bundle_kw(s, len, "checkpoint")) {
		*kind = 'k';
		r->ncps++;
		return (chain_bundle_decode(s + 11, len - 11, n, data));
	}
	return (-1);
}

/* Parse a bundle held in memory; records and checkpoints keep their order. */
int
chain_bundle_parse(const char *file, const char *s, size_t len,
    struct chain_bundle *b, char **cause)
{
	struct chain_bundle_reader	 r;
	struct buf			 d;
	const char			*p = s, *nl;
	int64_t				 n;
	int				 kind, rc = 0;

	memset(b, 0, sizeof *b);
	memset(&r, 0, sizeof r);
	buf_init(&b->cert);
	buf_init(&d);
	while (rc == 0 && p < s + len) {
		nl = memchr(p, '\n', s + len - p);
		rc = chain_bundle_next(&r, p, nl ? (size_t)(nl - p) :
		    (size_t)(s + len - p), nl != NULL, &d, &kind, &n);
		if (rc == 0)
			chain_bundle_keep(b, kind, n, &d);
		p = nl ? nl + 1 : s + len;
	}
	buf_free(&d);
	if (rc != 0)
		xasprintf(cause, "%s:%zu: malformed bundle line", file, r.line);
	else if (!r.ended)
		xasprintf(cause, "%s: no end line (file cut short?)", file);
	if (rc != 0 || !r.ended) {
		chain_bundle_free(b);
		return (-1);
	}
	chain_bundle_link(b);
	return (0);
}

/* Keep one item of a bundle read into memory. */
void
chain_bundle_keep(struct chain_bundle *b, int kind, int64_t n,
    const struct buf *d)
{
	struct chain_bundle_item	*it;

	if (kind == 'c')
		buf_add(&b->cert, d->data, d->len);
	if (kind != 'r' && kind != 'k')
		return;
	b->items = xreallocarray(b->items, b->nitems + 1, sizeof *b->items);
	it = &b->items[b->nitems++];
	it->kind = kind;
	it->n = n;
	buf_init(&it->data);
	buf_add(&it->data, d->data, d->len);
}

/* Point the rows and checkpoints at the kept items. */
void
chain_bundle_link(struct chain_bundle *b)
{
	struct chain_bundle_item	*it;
	size_t				 i;

	b->rows = xcalloc(b->nitems + 1, sizeof *b->rows);
	b->cps = xcalloc(b->nitems + 1, sizeof *b->cps);
	b->nrows = b->ncps = 0;
	for (i = 0; i < b->nitems; i++) {
		it = &b->items[i];
		if (it->kind == 'r') {
			b->rows[b->nrows].seq = it->n;
			b->rows[b->nrows].record = it->data.data;
			b->rows[b->nrows++].len = it->data.len;
		} else {
			b->cps[b->ncps].n = it->n;
			b->cps[b->ncps].note = (char *)it->data.data;
			b->cps[b->ncps++].len = it->data.len;
		}
	}
}

/* Free a parsed bundle. */
void
chain_bundle_free(struct chain_bundle *b)
{
	size_t	 i;

	for (i = 0; i < b->nitems; i++)
		buf_free(&b->items[i].data);
	free(b->items);
	free(b->rows);
	free(b->cps);
	buf_free(&b->cert);
	memset(b, 0, sizeof *b);
}
