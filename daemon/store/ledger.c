/*
 * ledger.c: gather the ledger's rows as three JSON arrays (lookups,
 * decisions, pseudonyms' plaintext) and hand them to wachter.ledger_add in
 * one statement per batch: one round trip however many lookups. Rows
 * gathered before a failed transaction are sent with the next; the
 * database ignores rows it already has, as after a crash.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/pseudo.h"
#include "enrich/explain.h"
#include "parse/json.h"
#include "store/ledger.h"
#include "store/pseudostore.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct ledger {
	struct pseudostore	*ps;
	struct buf		 lookups;
	struct buf		 decisions;
	struct buf		 plain;
};

static const char ledger_sql[] =
	"SELECT wachter.ledger_add(('[' || $1 || ']')::json,"
	" ('[' || $2 || ']')::json, ('[' || $3 || ']')::json)";

/* Open the ledger with the daemon's pseudonym key. */
struct ledger *
ledger_new(const char *keydir, char **cause)
{
	struct ledger	*l;

	l = xcalloc(1, sizeof *l);
	if ((l->ps = pseudostore_open(keydir, cause)) == NULL) {
		free(l);
		return (NULL);
	}
	buf_init(&l->lookups);
	buf_init(&l->decisions);
	buf_init(&l->plain);
	return (l);
}

/* Free the ledger and what it gathered. */
void
ledger_free(struct ledger *l)
{
	if (l == NULL)
		return;
	pseudostore_free(l->ps);
	buf_free(&l->lookups);
	buf_free(&l->decisions);
	buf_free(&l->plain);
	free(l);
}

/*
 * Append s as a JSON string. Text that is not valid UTF-8 would make the
 * whole batch fail in PostgreSQL, and so every retry: its non-ASCII bytes
 * become '?'.
 */
static void
ledger_str(struct buf *b, const char *s)
{
	int	 valid = json_utf8_valid(s, strlen(s));

	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			buf_printf(b, "\\u%04x", (unsigned char)*s);
		else if ((unsigned char)*s >= 0x80 && !valid)
			buf_addc(b, '?');
		else
			buf_addc(b, (uint8_t)*s);
	}
	buf_addc(b, '"');
}

/* Start the next object of an array. */
static void
ledger_next(struct buf *b)
{
	if (b->len != 0)
		buf_addc(b, ',');
}

/* One subject: its handle for the lookup, its plaintext apart. */
static void
ledger_subject(struct ledger *l, struct buf *subj, const struct subject *s,
    int64_t ts)
{
	char	 h[PSEUDO_HANDLE_MAX];

	pseudostore_handle(l->ps, s->value, h);
	ledger_next(subj);
	ledger_str(subj, h);
	ledger_next(&l->plain);
	buf_printf(&l->plain, "{\"h\":\"%s\",\"k\":\"%s\",\"v\":", h,
	    s->kind == SUBJ_PLATE ? "plate" : "bsn");
	ledger_str(&l->plain, s->value);
	buf_printf(&l->plain, ",\"ts\":%" PRId64 "}", ts);
}

/* Note one lookup as it is examined. */
void
ledger_lookup(struct ledger *l, const struct lookup *ev, const char *source)
{
	struct buf	 subj;
	uint32_t	 i;

	if (l == NULL || ev->ts == EV_TS_NONE)
		return;
	buf_init(&subj);
	for (i = 0; i < ev->nsubjects; i++)
		ledger_subject(l, &subj, &ev->subjects[i], ev->ts);
	ledger_next(&l->lookups);
	buf_adds(&l->lookups, "{\"id\":");
	ledger_str(&l->lookups, ev->id);
	buf_printf(&l->lookups, ",\"ts\":%" PRId64 ",\"src\":", ev->ts);
	ledger_str(&l->lookups, source);
	buf_adds(&l->lookups, ",\"user\":");
	ledger_str(&l->lookups, ev->user);
	buf_adds(&l->lookups, ",\"req\":");
	ledger_str(&l->lookups, ev->reg == EV_REG_RDW ? "Kenteken" :
	    ev_request_name(ev->request));
	buf_adds(&l->lookups, ",\"case\":");
	ledger_str(&l->lookups, ev->case_id);
	buf_printf(&l->lookups, ",\"subj\":[%s]}", subj.len ?
	    buf_cstr(&subj) : "");
	buf_free(&subj);
}

/* Note how a lookup was decided. */
void
ledger_decision(struct ledger *l, const struct decision *d, int64_t now)
{
	if (l == NULL)
		return;
	ledger_next(&l->decisions);
	buf_adds(&l->decisions, "{\"id\":");
	ledger_str(&l->decisions, d->event);
	buf_printf(&l->decisions, ",\"ts\":%" PRId64 ",\"expl\":\"%s\","
	    "\"flag\":%s,\"out\":%s,\"inc\":", now,
	    explain_name((enum expl_kind)d->expl), d->flagged ? "true" :
	    "false", d->outside ? "true" : "false");
	ledger_str(&l->decisions, d->incident);
	buf_addc(&l->decisions, '}');
}

/* Put what was gathered into the transaction. */
void
ledger_flush(struct ledger *l, struct db_txn *txn)
{
	struct db_stmt	*st;

	if (l == NULL || (l->lookups.len == 0 && l->decisions.len == 0))
		return;
	st = db_txn_add(txn, ledger_sql, 3);
	db_stmt_text(st, 0, l->lookups.len ? buf_cstr(&l->lookups) : "");
	db_stmt_text(st, 1, l->decisions.len ? buf_cstr(&l->decisions) : "");
	db_stmt_text(st, 2, l->plain.len ? buf_cstr(&l->plain) : "");
	buf_reset(&l->lookups);
	buf_reset(&l->decisions);
	buf_reset(&l->plain);
}
