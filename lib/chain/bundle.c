/*
 * bundle.c: write and parse export bundles. One item per line: a keyword,
 * a number and standard base64 of the exact stored bytes; the last line
 * counts the items so a cut file is noticed. The parser treats the file as
 * untrusted and reports file:line: message.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "chain/bundle.h"
#include "util/xmalloc.h"

#define CHAIN_BUNDLE_MAGIC	"wachter-bundle v1"

/* Append one item line. */
static void
chain_bundle_line(struct buf *out, const char *kw, int64_t n,
    const void *p, size_t len)
{
	buf_printf(out, "%s %" PRId64 " ", kw, n);
	chain_b64(out, p, len);
	buf_addc(out, '\n');
}

/* Write a bundle of the certificate, records and checkpoints given. */
void
chain_bundle_write(struct buf *out, const struct buf *cert,
    const struct chain_row *rows, size_t nrows, const struct chain_cprow *cps,
    size_t ncps)
{
	size_t	 i;

	buf_adds(out, CHAIN_BUNDLE_MAGIC "\n");
	chain_bundle_line(out, "certificate", 1, cert->data, cert->len);
	for (i = 0; i < nrows; i++)
		chain_bundle_line(out, "record", rows[i].seq, rows[i].record,
		    rows[i].len);
	for (i = 0; i < ncps; i++)
		chain_bundle_line(out, "checkpoint", cps[i].n, cps[i].note,
		    cps[i].len);
	buf_printf(out, "end %zu %zu\n", nrows, ncps);
}

/* Decode one "KEYWORD N BASE64" line into a new data buffer. */
static int
chain_bundle_item(struct chain_bundle *b, const char *s, size_t len,
    int64_t *n)
{
	const char	*sp1, *sp2;
	struct buf	*d;
	const char	*end;
	size_t		 got;

	sp1 = memchr(s, ' ', len);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', len - (sp1 + 1 - s)) : NULL;
	if (sp2 == NULL)
		return (-1);
	*n = 0;
	for (end = sp1 + 1; end < sp2; end++) {
		if (*end < '0' || *end > '9' || *n > (INT64_MAX - 9) / 10)
			return (-1);
		*n = *n * 10 + (*end - '0');
	}
	if (*n < 1)
		return (-1);
	b->data = xreallocarray(b->data, b->ndata + 1, sizeof *b->data);
	d = &b->data[b->ndata++];
	buf_init(d);
	buf_reserve(d, len);
	if (sodium_base642bin(d->data, len, sp2 + 1, len - (sp2 + 1 - s), NULL,
	    &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return (-1);
	d->len = got;
	return (0);
}

/* Point the rows and checkpoints at their decoded bytes. */
static void
chain_bundle_link(struct chain_bundle *b, int64_t *nums, char *kinds)
{
	size_t	 i;

	b->rows = xcalloc(b->ndata + 1, sizeof *b->rows);
	b->cps = xcalloc(b->ndata + 1, sizeof *b->cps);
	for (i = 0; i < b->ndata; i++) {
		if (kinds[i] == 'r') {
			b->rows[b->nrows].seq = nums[i];
			b->rows[b->nrows].record = b->data[i].data;
			b->rows[b->nrows++].len = b->data[i].len;
		} else {
			b->cps[b->ncps].n = nums[i];
			b->cps[b->ncps].note = (char *)b->data[i].data;
			b->cps[b->ncps++].len = b->data[i].len;
		}
	}
}

/* Check the closing "end R C" line. */
static int
chain_bundle_end(const char *s, size_t len, size_t nr, size_t nc)
{
	char	 want[64];

	snprintf(want, sizeof want, "end %zu %zu", nr, nc);
	return (len == strlen(want) && memcmp(s, want, len) == 0 ? 0 : -1);
}

/* Parse a bundle; records and checkpoints keep the file's order. */
int
chain_bundle_parse(const char *file, const char *s, size_t len,
    struct chain_bundle *b, char **cause)
{
	const char	*p = s, *nl;
	int64_t		*nums = NULL, n;
	char		*kinds = NULL;
	size_t		 line = 0, l, nr = 0, nc = 0;
	int		 ended = 0, rc = 0;

	memset(b, 0, sizeof *b);
	buf_init(&b->cert);
	while (rc == 0 && p < s + len) {
		line++;
		nl = memchr(p, '\n', s + len - p);
		l = nl ? (size_t)(nl - p) : (size_t)(s + len - p);
		if (ended)
			rc = -1;
		else if (line == 1)
			rc = l == strlen(CHAIN_BUNDLE_MAGIC) &&
			    memcmp(p, CHAIN_BUNDLE_MAGIC, l) == 0 ? 0 : -1;
		else if (l > 4 && memcmp(p, "end ", 4) == 0) {
			rc = chain_bundle_end(p, l, nr, nc);
			ended = 1;
		} else if (chain_bundle_item(b, p, l, &n) != 0)
			rc = -1;
		else if (l > 12 && memcmp(p, "certificate ", 12) == 0 &&
		    line == 2 && n == 1) {
			b->ndata--;
			buf_add(&b->cert, b->data[b->ndata].data,
			    b->data[b->ndata].len);
			buf_free(&b->data[b->ndata]);
		} else if ((l > 7 && memcmp(p, "record ", 7) == 0 && nc == 0) ||
		    (l > 11 && memcmp(p, "checkpoint ", 11) == 0)) {
			nums = xreallocarray(nums, b->ndata, sizeof *nums);
			kinds = xreallocarray(kinds, b->ndata, 1);
			nums[b->ndata - 1] = n;
			kinds[b->ndata - 1] = p[0] == 'r' ? 'r' : 'c';
			if (p[0] == 'r')
				nr++;
			else
				nc++;
		} else
			rc = -1;
		p = nl ? nl + 1 : s + len;
	}
	if (rc == 0 && !ended)
		xasprintf(cause, "%s: no end line (file cut short?)", file);
	else if (rc != 0)
		xasprintf(cause, "%s:%zu: malformed bundle line", file, line);
	if (rc == 0 && ended)
		chain_bundle_link(b, nums, kinds);
	free(nums);
	free(kinds);
	if (rc != 0 || !ended) {
		chain_bundle_free(b);
		return (-1);
	}
	return (0);
}

/* Free a parsed bundle. */
void
chain_bundle_free(struct chain_bundle *b)
{
	size_t	 i;

	for (i = 0; i < b->ndata; i++)
		buf_free(&b->data[i]);
	free(b->data);
	free(b->rows);
	free(b->cps);
	buf_free(&b->cert);
	memset(b, 0, sizeof *b);
}
