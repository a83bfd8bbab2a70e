/*
 * guard.c: the daemon's check of the stored chain before it signs more of
 * it (docs/CHAIN.md section 9). Checkpoints are fed first (from the one
 * the head names onwards), then every record in seq order; the first
 * finding stops the guard, and the daemon refuses to sign.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "chain/chain.h"
#include "chain/guard.h"
#include "util/xmalloc.h"

#define CHAIN_HEAD_V1	"wachter-chain-head v1"
#define CHAIN_HEAD_V2	"wachter-chain-head v2"	/* with the tree line */

/* A checkpoint after the head whose root the records must still give. */
struct chain_guard_want {
	uint64_t	 n;
	uint64_t	 size;
	merkle_hash	 root;
};

struct chain_guard {
	struct chain_head	 h;
	char			 origin[CHAIN_NAME_MAX];
	merkle_hash		 log_id;
	uint8_t			 mackey[CHAIN_MACKEY];
	uint32_t		 epoch;		/* signs the next checkpoint */
	uint8_t			 pk[CHAIN_PK];
	uint64_t		 next_n;
	int			 saw_head;	/* head checkpoint row seen */
	int			 cps_done;
	uint64_t		 cp_n;		/* last checkpoint */
	uint64_t		 cp_size;
	int64_t			 cp_time;
	struct chain_guard_want	*want;
	size_t			 nwant, wanti;
	struct merkle_frontier	 tree;
	int			 resume;	/* the head's record is due */
	merkle_hash		 last;
	int64_t			 last_time;
	char			*error;
};

/* Append base64 of a hash and a separator. */
static void
chain_head_b64(struct buf *b, const uint8_t *p, size_t len, char sep)
{
	chain_b64(b, p, len);
	buf_addc(b, sep);
}

/* The head file's text; v2 adds the frontier over records 1..size. */
static void
chain_head_text(struct buf *b, const struct chain_head *h, int v2)
{
	int	 i;

	buf_printf(b, "%s\ncheckpoint %" PRIu64 " %" PRIu64 " ",
	    v2 ? CHAIN_HEAD_V2 : CHAIN_HEAD_V1, h->cp_n, h->cp_size);
	chain_head_b64(b, h->cp_root, MERKLE_HASH, ' ');
	chain_head_b64(b, h->cp_note, MERKLE_HASH, '\n');
	buf_printf(b, "epoch %" PRIu32 " ", h->epoch);
	chain_head_b64(b, h->pk, CHAIN_PK, '\n');
	buf_printf(b, "records %" PRIu64 " ", h->size);
	chain_head_b64(b, h->leaf, MERKLE_HASH, '\n');
	if (!v2)
		return;
	buf_adds(b, "tree");
	for (i = 63; i >= 0; i--)
		if (h->size & ((uint64_t)1 << i)) {
			buf_addc(b, ' ');
			chain_b64(b, h->tree.sub[i], MERKLE_HASH);
		}
	buf_addc(b, '\n');
}

/* The head file's text: v2 when the tree is known. */
void
chain_head_format(struct buf *b, const struct chain_head *h)
{
	chain_head_text(b, h, h->has_tree);
}

/* Read the tree line's hashes, one per set bit of size, largest first. */
static int
chain_head_tree(const char *p, struct chain_head *h)
{
	int	 i;

	if (strncmp(p, "tree", 4) != 0)
		return (-1);
	p += 4;
	for (i = 63; i >= 0; i--) {
		if ((h->size & ((uint64_t)1 << i)) == 0)
			continue;
		if (*p != ' ' || strnlen(p + 1, 44) != 44 ||
		    chain_unb64(h->tree.sub[i], MERKLE_HASH, p + 1, 44) != 0)
			return (-1);
		p += 45;
	}
	h->tree.size = h->size;
	h->has_tree = 1;
	return (0);
}

/*
 * Parse a head file; only the exact canonical text of v1 (written before
 * the tree line) or v2 is accepted.
 */
int
chain_head_parse(const char *s, size_t len, struct chain_head *h,
    char **cause)
{
	char		 t[4][64], *z, *tl;
	unsigned long long cn = 0, cs = 0, rs = 0;
	unsigned long	 e = 0;
	struct buf	 again;
	size_t		 m = sizeof CHAIN_HEAD_V1 - 1;
	int		 ok, v2;

	memset(h, 0, sizeof *h);
	z = xstrndup(s, len);
	v2 = strncmp(z, CHAIN_HEAD_V2 "\n", m + 1) == 0;
	ok = (v2 || strncmp(z, CHAIN_HEAD_V1 "\n", m + 1) == 0) &&
	    sscanf(z + m, "\ncheckpoint %llu %llu %63s %63s\n"
	    "epoch %lu %63s\nrecords %llu %63s", &cn, &cs, t[0], t[1], &e,
	    t[2], &rs, t[3]) == 8 && e > 0 && e <= UINT32_MAX &&
	    chain_unb64(h->cp_root, MERKLE_HASH, t[0], strlen(t[0])) == 0 &&
	    chain_unb64(h->cp_note, MERKLE_HASH, t[1], strlen(t[1])) == 0 &&
	    chain_unb64(h->pk, CHAIN_PK, t[2], strlen(t[2])) == 0 &&
	    chain_unb64(h->leaf, MERKLE_HASH, t[3], strlen(t[3])) == 0;
	h->cp_n = cn;
	h->cp_size = cs;
	h->epoch = (uint32_t)e;
	h->size = rs;
	if (ok && v2)
		ok = (tl = strstr(z, "\ntree")) != NULL &&
		    chain_head_tree(tl + 1, h) == 0;
	free(z);
	buf_init(&again);
	if (ok) {
		chain_head_text(&again, h, v2);
		ok = again.len == len && memcmp(again.data, s, len) == 0;
	}
	buf_free(&again);
	if (!ok)
		*cause = xstrdup("not a chain head file");
	return (ok ? 0 : -1);
}

/* The MAC the daemon stores beside each record it writes. */
void
chain_record_mac(uint8_t out[CHAIN_MAC], const uint8_t key[CHAIN_MACKEY],
    const merkle_hash leaf)
{
	crypto_auth_hmacsha256(out, leaf, MERKLE_HASH, key);
}

/* A guard starting from head h, for the log of this origin and root key. */
struct chain_guard *
chain_guard_new(const struct chain_head *h, const char *origin,
    const uint8_t root_pk[CHAIN_PK], const uint8_t mackey[CHAIN_MACKEY])
{
	struct chain_guard	*g;

	g = xcalloc(1, sizeof *g);
	g->h = *h;
	strncpy(g->origin, origin, sizeof g->origin - 1);
	chain_log_id(g->log_id, root_pk);
	memcpy(g->mackey, mackey, CHAIN_MACKEY);
	g->epoch = h->epoch;
	memcpy(g->pk, h->pk, CHAIN_PK);
	g->next_n = h->cp_n + 1;
	g->cp_n = h->cp_n;
	g->cp_size = h->cp_size;
	g->cp_time = -1;
	merkle_frontier_init(&g->tree);
	if (h->has_tree && h->size > 0) {
		g->tree = h->tree;
		g->resume = 1;
	}
	return (g);
}

/* Free a guard; the MAC key is wiped. */
void
chain_guard_free(struct chain_guard *g)
{
	if (g == NULL)
		return;
	sodium_memzero(g->mackey, sizeof g->mackey);
	free(g->want);
	free(g->error);
	free(g);
}

/* Note the first finding; later calls fail at once. */
static int __attribute__((format(printf, 2, 3)))
chain_guard_fail(struct chain_guard *g, const char *fmt, ...)
{
	va_list	 ap;

	if (g->error == NULL) {
		va_start(ap, fmt);
		if (vasprintf(&g->error, fmt, ap) == -1)
			abort();
		va_end(ap);
	}
	return (-1);
}

/* The first finding, or NULL. */
const char *
chain_guard_error(const struct chain_guard *g)
{
	return (g->error);
}

/* The checkpoint row the head names: byte for byte what was signed. */
static int
chain_guard_head_cp(struct chain_guard *g, const char *note, size_t len)
{
	struct chain_checkpoint	 c;
	struct chain_note	 n;
	merkle_hash		 h;
	char			*cause;

	crypto_hash_sha256(h, (const uint8_t *)note, len);
	if (sodium_memcmp(h, g->h.cp_note, MERKLE_HASH) != 0)
		return (chain_guard_fail(g, "checkpoint %" PRIu64 " is not the "
		    "one this daemon signed (rewritten)", g->h.cp_n));
	if (chain_note_split(note, len, &n, &cause) != 0 ||
	    chain_checkpoint_parse(n.body, n.bodylen, &c, &cause) != 0) {
		free(cause);
		return (chain_guard_fail(g, "checkpoint %" PRIu64 ": cannot "
		    "parse", g->h.cp_n));
	}
	g->saw_head = 1;
	g->cp_time = c.time_us;
	return (0);
}

/* A checkpoint after the head: it must be signed with this daemon's key. */
static int
chain_guard_new_cp(struct chain_guard *g, uint64_t rn, const char *note,
    size_t len)
{
	struct chain_checkpoint	 c;
	struct chain_note	 n;
	char			*cause = NULL;

	if (rn != g->next_n)
		return (chain_guard_fail(g, "checkpoint %" PRIu64 " where %"
		    PRIu64 " was due (checkpoints removed or inserted)", rn,
		    g->next_n));
	if (chain_note_split(note, len, &n, &cause) != 0 ||
	    chain_checkpoint_parse(n.body, n.bodylen, &c, &cause) != 0 ||
	    chain_note_verify(&n, g->origin, g->pk, &cause) != 0 ||
	    c.n != rn || c.epoch != g->epoch || strcmp(c.origin, g->origin)) {
		free(cause);
		return (chain_guard_fail(g, "checkpoint %" PRIu64 " was not "
		    "signed by this daemon's key of epoch %" PRIu32 " (foreign)",
		    rn, g->epoch));
	}
	if (c.size < g->cp_size || (g->cp_time >= 0 && c.time_us < g->cp_time))
		return (chain_guard_fail(g, "checkpoint %" PRIu64 " goes back "
		    "in size or time", rn));
	g->want = xreallocarray(g->want, g->nwant + 1, sizeof *g->want);
	g->want[g->nwant].n = rn;
	g->want[g->nwant].size = c.size;
	memcpy(g->want[g->nwant++].root, c.root, MERKLE_HASH);
	if (c.seal) {
		g->epoch++;
		memcpy(g->pk, c.next_pk, CHAIN_PK);
	}
	g->next_n++;
	g->cp_n = rn;
	g->cp_size = c.size;
	g->cp_time = c.time_us;
	return (0);
}

/* Feed one stored checkpoint (numbers from the head's on, ascending). */
int
chain_guard_checkpoint(struct chain_guard *g, int64_t n, const char *note,
    size_t len)
{
	if (g->error != NULL)
		return (-1);
	if (n < 1 || (uint64_t)n < g->h.cp_n)
		return (0);
	if ((uint64_t)n == g->h.cp_n)
		return (chain_guard_head_cp(g, note, len));
	if (g->h.cp_n > 0 && !g->saw_head)
		return (chain_guard_fail(g, "checkpoint %" PRIu64 " this daemon "
		    "signed is missing (removed)", g->h.cp_n));
	return (chain_guard_new_cp(g, (uint64_t)n, note, len));
}

/* Check the tree head against every checkpoint of the current size. */
static int
chain_guard_roots(struct chain_guard *g)
{
	merkle_hash	 root;
	uint64_t	 size = g->tree.size;

	if (size != g->h.cp_size && (g->wanti >= g->nwant ||
	    g->want[g->wanti].size != size))
		return (0);
	merkle_frontier_root(&g->tree, root);
	if (g->h.cp_n > 0 && size == g->h.cp_size &&
	    sodium_memcmp(root, g->h.cp_root, MERKLE_HASH) != 0)
		return (chain_guard_fail(g, "records 1..%" PRIu64 " no longer "
		    "give the root of checkpoint %" PRIu64 " this daemon signed "
		    "(history rewritten)", size, g->h.cp_n));
	for (; g->wanti < g->nwant && g->want[g->wanti].size == size;
	    g->wanti++)
		if (sodium_memcmp(root, g->want[g->wanti].root,
		    MERKLE_HASH) != 0)
			return (chain_guard_fail(g, "records 1..%" PRIu64 " do "
			    "not give the root of checkpoint %" PRIu64, size,
			    g->want[g->wanti].n));
	return (0);
}

/*
 * The checkpoints are in: the head's must have been among them. Resuming,
 * the tree starts at the head's record: no later checkpoint this daemon
 * signed can be smaller.
 */
static int
chain_guard_cps_done(struct chain_guard *g)
{
	if (g->cps_done)
		return (0);
	g->cps_done = 1;
	if (g->h.cp_n > 0 && !g->saw_head)
		return (chain_guard_fail(g, "checkpoint %" PRIu64 " this daemon "
		    "signed is missing (removed)", g->h.cp_n));
	if (g->resume && g->nwant > 0 && g->want[0].size < g->tree.size)
		return (chain_guard_fail(g, "checkpoint %" PRIu64 " covers %"
		    PRIu64 " records, fewer than this daemon committed (%"
		    PRIu64 ")", g->want[0].n, g->want[0].size, g->tree.size));
	return (chain_guard_roots(g));
}

/*
 * All checkpoints are fed. A checkpoint newer than the head's that covers
 * fewer records than the head counts (signed and stored, then killed
 * before the head file took it on, while later records were committed)
 * cannot be checked from the head's frontier, which is past its size:
 * check from record 1 then. Rare (a kill at that moment), and the full
 * check is the one that holds without a head tree (section 9).
 */
void
chain_guard_checkpoints_done(struct chain_guard *g)
{
	if (g->resume && g->nwant > 0 && g->want[0].size < g->tree.size) {
		g->resume = 0;
		merkle_frontier_init(&g->tree);
	}
}

/* The first seq to feed: the head's last record when resuming, else 1. */
uint64_t
chain_guard_from(const struct chain_guard *g)
{
	return (g->resume ? g->h.size : 1);
}

/*
 * Resuming: the stored rows numbered up to the head's record (count, and
 * the smallest seq) must be exactly 1..size, none removed or added.
 */
int
chain_guard_prefix(struct chain_guard *g, int64_t count, int64_t min)
{
	if (g->error != NULL)
		return (-1);
	if (!g->resume || (count == (int64_t)g->h.size && min == 1))
		return (0);
	return (chain_guard_fail(g, "%" PRId64 " rows numbered up to %" PRIu64
	    " where this daemon committed records 1..%" PRIu64 " (rows "
	    "removed or inserted)", count, g->h.size, g->h.size));
}

/* Read a big-endian integer of n bytes. */
static uint64_t
chain_guard_be(const uint8_t *p, int n)
{
	uint64_t	 v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return (v);
}

/* Header checks every record gets: its place and its log. */
static int
chain_guard_header(struct chain_guard *g, uint64_t i, const uint8_t *p,
    size_t len)
{
	/* Version 1, or 2 (citizens by pseudonym: docs/CHAIN.md 1a). */
	if (len < CHAIN_RECORD_HDR || memcmp(p, "WCHR", 4) != 0 ||
	    (p[4] != 1 && p[4] != 2) ||
	    chain_guard_be(p + 5, 8) != i)
		return (chain_guard_fail(g, "record %" PRIu64 ": not a record "
		    "of this position", i));
	if (sodium_memcmp(p + 25, g->log_id, MERKLE_HASH) != 0)
		return (chain_guard_fail(g, "record %" PRIu64 ": not this "
		    "log's", i));
	return (0);
}

/* And its link to the record before. */
static int
chain_guard_link(struct chain_guard *g, uint64_t i, const uint8_t *p,
    size_t len)
{
	merkle_hash	 zero;

	memset(zero, 0, sizeof zero);
	if (chain_guard_header(g, i, p, len) != 0)
		return (-1);
	if (sodium_memcmp(p + 57, i == 1 ? zero : g->last, MERKLE_HASH) != 0)
		return (chain_guard_fail(g, "record %" PRIu64 ": does not link "
		    "to record %" PRIu64 " (rewritten or relinked)", i, i - 1));
	return (0);
}

/* A record after the head: well formed and carrying this daemon's MAC. */
static int
chain_guard_own(struct chain_guard *g, uint64_t i, const uint8_t *p,
    size_t len, const uint8_t *mac, size_t maclen, const merkle_hash leaf)
{
	struct chain_record	 r;
	uint8_t			 want[CHAIN_MAC];
	char			*cause;
	int			 bad;

	if (chain_record_decode(p, len, &r, &cause) != 0) {
		free(cause);
		return (chain_guard_fail(g, "record %" PRIu64 ": cannot decode",
		    i));
	}
	bad = r.time_us < g->last_time;
	chain_record_clear(&r);
	if (bad)
		return (chain_guard_fail(g, "record %" PRIu64 ": time goes back",
		    i));
	chain_record_mac(want, g->mackey, leaf);
	if (mac == NULL || maclen != CHAIN_MAC ||
	    sodium_memcmp(mac, want, CHAIN_MAC) != 0)
		return (chain_guard_fail(g, "record %" PRIu64 " was not written "
		    "by this daemon (no valid MAC)", i));
	return (0);
}

/*
 * The head's own record, first when resuming: its leaf hash must be the
 * head's. Through each record's prev it commits to every record before
 * it, so a history rewritten and relinked up to here changes it. Its
 * leaf is in the head's tree already.
 */
static int
chain_guard_resume(struct chain_guard *g, uint64_t i, const uint8_t *p,
    size_t len, merkle_hash leaf, int64_t *time_us)
{
	if (chain_guard_header(g, i, p, len) != 0)
		return (-1);
	merkle_leaf(leaf, p, len);
	if (sodium_memcmp(leaf, g->h.leaf, MERKLE_HASH) != 0)
		return (chain_guard_fail(g, "record %" PRIu64 " is not the one "
		    "this daemon committed (rewritten)", i));
	*time_us = (int64_t)chain_guard_be(p + 17, 8);
	memcpy(g->last, leaf, MERKLE_HASH);
	g->last_time = *time_us;
	g->resume = 0;
	return (0);
}

/*
 * Feed the next stored record (seq column, bytes, mac column). Its leaf
 * hash and time come back for the writer.
 */
int
chain_guard_record(struct chain_guard *g, int64_t seq, const uint8_t *p,
    size_t len, const uint8_t *mac, size_t maclen, merkle_hash leaf,
    int64_t *time_us)
{
	uint64_t	 i = g->resume ? g->h.size : g->tree.size + 1;

	if (g->error != NULL || chain_guard_cps_done(g) != 0)
		return (-1);
	if (seq != (int64_t)i)
		return (chain_guard_fail(g, "row with seq %" PRId64 " where %"
		    PRIu64 " was due (rows removed or inserted)", seq, i));
	if (g->resume)
		return (chain_guard_resume(g, i, p, len, leaf, time_us));
	if (chain_guard_link(g, i, p, len) != 0)
		return (-1);
	merkle_leaf(leaf, p, len);
	*time_us = (int64_t)chain_guard_be(p + 17, 8);
	if (i > g->h.size && chain_guard_own(g, i, p, len, mac, maclen,
	    leaf) != 0)
		return (-1);
	if (i == g->h.size && sodium_memcmp(leaf, g->h.leaf, MERKLE_HASH))
		return (chain_guard_fail(g, "record %" PRIu64 " is not the one "
		    "this daemon committed (rewritten)", i));
	merkle_frontier_add(&g->tree, leaf);
	memcpy(g->last, leaf, MERKLE_HASH);
	if (*time_us > g->last_time)
		g->last_time = *time_us;
	return (chain_guard_roots(g));
}

/* All records are in: nothing this daemon committed may be missing. */
int
chain_guard_end(struct chain_guard *g)
{
	if (g->error != NULL || chain_guard_cps_done(g) != 0)
		return (-1);
	if (g->resume)
		return (chain_guard_fail(g, "record %" PRIu64 " this daemon "
		    "committed is missing (records removed)", g->h.size));
	if (g->tree.size < g->h.size || g->tree.size < g->h.cp_size)
		return (chain_guard_fail(g, "%" PRIu64 " records stored, but "
		    "this daemon committed %" PRIu64 " (records removed)",
		    g->tree.size, g->h.size));
	if (g->wanti < g->nwant)
		return (chain_guard_fail(g, "checkpoint %" PRIu64 " covers %"
		    PRIu64 " records; %" PRIu64 " are stored", g->want[g->wanti].n,
		    g->want[g->wanti].size, g->tree.size));
	return (0);
}

/* After a clean run: the last checkpoint and the key that signs next. */
void
chain_guard_state(const struct chain_guard *g, uint64_t *cp_n,
    int64_t *cp_time, uint32_t *epoch, uint8_t pk[CHAIN_PK])
{
	*cp_n = g->cp_n;
	*cp_time = g->cp_time;
	*epoch = g->epoch;
	memcpy(pk, g->pk, CHAIN_PK);
}

/* After a clean run: the tree over every record, the last leaf and time. */
void
chain_guard_tree(const struct chain_guard *g, struct merkle_frontier *f,
    merkle_hash last, int64_t *time_us)
{
	*f = g->tree;
	memcpy(last, g->last, MERKLE_HASH);
	*time_us = g->last_time;
}
