/*
 * checkpoint.c: the bodies of checkpoints and epoch certificates. Parsing is
 * strict (decimal without leading zeros, canonical base64, no extra lines)
 * so that each value has one text, which makes a re-signed or edited note
 * visible as a different note.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "chain/note.h"
#include "util/xmalloc.h"

#define CHAIN_CERT_MAGIC	"wachter-epoch-certificate v1"
#define CHAIN_LINES_MAX		8

/* Lines of a body (each ended by a newline, which is not included). */
struct chain_lines {
	const char	*p[CHAIN_LINES_MAX];
	size_t		 len[CHAIN_LINES_MAX];
	size_t		 n;
};

/* Split a body into lines; -1 if it has too many or lacks a final newline. */
static int
chain_lines_split(const char *s, size_t len, struct chain_lines *l)
{
	const char	*nl;

	l->n = 0;
	if (len == 0 || s[len - 1] != '\n')
		return (-1);
	while (len > 0) {
		if (l->n == CHAIN_LINES_MAX)
			return (-1);
		nl = memchr(s, '\n', len);
		l->p[l->n] = s;
		l->len[l->n++] = nl - s;
		len -= nl + 1 - s;
		s = nl + 1;
	}
	return (0);
}

/* Parse a canonical decimal no larger than max. */
static int
chain_dec(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t	 i;

	if (len == 0 || len > 20 || (len > 1 && s[0] == '0'))
		return (-1);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		if (v > (max - (uint64_t)(s[i] - '0')) / 10)
			return (-1);
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return (0);
}

/* Split one line into space-separated words (at most n). */
static size_t
chain_words(const char *s, size_t len, const char **w, size_t *wl, size_t n)
{
	size_t	 k = 0;
	const char *sp;

	while (k < n) {
		sp = memchr(s, ' ', len);
		w[k] = s;
		wl[k++] = sp ? (size_t)(sp - s) : len;
		if (sp == NULL)
			return (k);
		len -= sp + 1 - s;
		s = sp + 1;
	}
	return (k + 1);	/* more words than wanted */
}

/* Copy a line as a name. */
static int
chain_line_name(const char *s, size_t len, char *out)
{
	if (len == 0 || len >= CHAIN_NAME_MAX)
		return (-1);
	memcpy(out, s, len);
	out[len] = '\0';
	return (chain_name_valid(out) ? 0 : -1);
}

/* The "wachter-history D HASH A HASH" line (section 4a of CHAIN.md). */
static void
chain_hist_line(struct buf *b, const struct chain_checkpoint *c)
{
	int	 i;

	buf_adds(b, "wachter-history");
	for (i = 0; i < CHAIN_HISTS; i++) {
		buf_printf(b, " %" PRIu64 " ", c->hist[i].n);
		chain_b64(b, c->hist[i].hash, MERKLE_HASH);
	}
	buf_addc(b, '\n');
}

/* Parse the "wachter-history" line; a count of 0 goes with a zero hash. */
static int
chain_hist_parse(const char *s, size_t len, struct chain_checkpoint *c)
{
	static const merkle_hash zero;
	const char	*w[1 + 2 * CHAIN_HISTS];
	size_t		 wl[1 + 2 * CHAIN_HISTS];
	int		 i;

	if (chain_words(s, len, w, wl, 1 + 2 * CHAIN_HISTS) !=
	    1 + 2 * CHAIN_HISTS || wl[0] != 15 ||
	    memcmp(w[0], "wachter-history", 15) != 0)
		return (-1);
	for (i = 0; i < CHAIN_HISTS; i++) {
		if (chain_dec(w[1 + 2 * i], wl[1 + 2 * i], INT64_MAX,
		    &c->hist[i].n) != 0 ||
		    chain_unb64(c->hist[i].hash, MERKLE_HASH, w[2 + 2 * i],
		    wl[2 + 2 * i]) != 0 ||
		    (c->hist[i].n == 0) != (memcmp(c->hist[i].hash, zero,
		    MERKLE_HASH) == 0))
			return (-1);
	}
	c->has_hist = 1;
	return (0);
}

/* Append a checkpoint body. */
void
chain_checkpoint_body(struct buf *b, const struct chain_checkpoint *c)
{
	buf_printf(b, "%s\n%" PRIu64 "\n", c->origin, c->size);
	chain_b64(b, c->root, MERKLE_HASH);
	buf_printf(b, "\nwachter-epoch %" PRIu32 " %" PRIu64 " %" PRId64 "\n",
	    c->epoch, c->n, c->time_us);
	if (c->has_hist)
		chain_hist_line(b, c);
	if (c->seal) {
		buf_printf(b, "wachter-next %" PRIu32 " ", c->epoch + 1);
		chain_b64(b, c->next_pk, CHAIN_PK);
		buf_addc(b, '\n');
	}
}

/* Parse the "wachter-epoch E N TIME" line. */
static int
chain_epoch_line(const char *s, size_t len, struct chain_checkpoint *c)
{
	const char	*w[4];
	size_t		 wl[4];
	uint64_t	 e, t;

	if (chain_words(s, len, w, wl, 4) != 4 || wl[0] != 13 ||
	    memcmp(w[0], "wachter-epoch", 13) != 0 ||
	    chain_dec(w[1], wl[1], UINT32_MAX, &e) != 0 || e == 0 ||
	    chain_dec(w[2], wl[2], INT64_MAX, &c->n) != 0 || c->n == 0 ||
	    chain_dec(w[3], wl[3], INT64_MAX, &t) != 0)
		return (-1);
	c->epoch = (uint32_t)e;
	c->time_us = (int64_t)t;
	return (0);
}

/* Parse the "wachter-next E PUBKEY" line of a sealing checkpoint. */
static int
chain_next_line(const char *s, size_t len, struct chain_checkpoint *c)
{
	const char	*w[3];
	size_t		 wl[3];
	uint64_t	 e;

	if (chain_words(s, len, w, wl, 3) != 3 || wl[0] != 12 ||
	    memcmp(w[0], "wachter-next", 12) != 0 ||
	    chain_dec(w[1], wl[1], UINT32_MAX, &e) != 0 ||
	    e != (uint64_t)c->epoch + 1 ||
	    chain_unb64(c->next_pk, CHAIN_PK, w[2], wl[2]) != 0)
		return (-1);
	c->seal = 1;
	return (0);
}

/* Parse a checkpoint body (the signed part of the note). */
int
chain_checkpoint_parse(const char *s, size_t len, struct chain_checkpoint *c,
    char **cause)
{
	struct chain_lines	 l;
	size_t			 i = 4;

	memset(c, 0, sizeof *c);
	if (chain_lines_split(s, len, &l) != 0 || l.n < 4 || l.n > 6) {
		*cause = xstrdup("checkpoint: wrong number of lines");
		return (-1);
	}
	if (chain_line_name(l.p[0], l.len[0], c->origin) != 0) {
		*cause = xstrdup("checkpoint: bad origin line");
		return (-1);
	}
	if (chain_dec(l.p[1], l.len[1], INT64_MAX, &c->size) != 0) {
		*cause = xstrdup("checkpoint: bad tree size line");
		return (-1);
	}
	if (chain_unb64(c->root, MERKLE_HASH, l.p[2], l.len[2]) != 0) {
		*cause = xstrdup("checkpoint: bad root hash line");
		return (-1);
	}
	if (chain_epoch_line(l.p[3], l.len[3], c) != 0) {
		*cause = xstrdup("checkpoint: bad wachter-epoch line");
		return (-1);
	}
	if (i < l.n && l.len[i] > 16 && memcmp(l.p[i], "wachter-history ",
	    16) == 0 && chain_hist_parse(l.p[i], l.len[i], c) != 0) {
		*cause = xstrdup("checkpoint: bad wachter-history line");
		return (-1);
	}
	i += c->has_hist;
	if (i < l.n && chain_next_line(l.p[i], l.len[i], c) != 0) {
		*cause = xstrdup("checkpoint: bad wachter-next line");
		return (-1);
	}
	if (i + (size_t)c->seal != l.n) {
		*cause = xstrdup("checkpoint: wrong number of lines");
		return (-1);
	}
	return (0);
}

/* Append an epoch certificate body. */
void
chain_cert_body(struct buf *b, const struct chain_cert *c)
{
	buf_printf(b, CHAIN_CERT_MAGIC "\n%s\n%" PRIu32 "\n", c->origin,
	    c->epoch);
	chain_b64(b, c->pk, CHAIN_PK);
	buf_printf(b, "\n%" PRId64 "\n", c->time_us);
}

/* Parse an epoch certificate body. */
int
chain_cert_parse(const char *s, size_t len, struct chain_cert *c, char **cause)
{
	struct chain_lines	 l;
	uint64_t		 e, t;

	memset(c, 0, sizeof *c);
	if (chain_lines_split(s, len, &l) != 0 || l.n != 5 ||
	    l.len[0] != strlen(CHAIN_CERT_MAGIC) ||
	    memcmp(l.p[0], CHAIN_CERT_MAGIC, l.len[0]) != 0 ||
	    chain_line_name(l.p[1], l.len[1], c->origin) != 0 ||
	    chain_dec(l.p[2], l.len[2], UINT32_MAX, &e) != 0 || e == 0 ||
	    chain_unb64(c->pk, CHAIN_PK, l.p[3], l.len[3]) != 0 ||
	    chain_dec(l.p[4], l.len[4], INT64_MAX, &t) != 0) {
		*cause = xstrdup("malformed epoch certificate");
		return (-1);
	}
	c->epoch = (uint32_t)e;
	c->time_us = (int64_t)t;
	return (0);
}
