/*
 * lookup_pack.c: a lookup in as many bytes as it uses. A struct lookup
 * has room for every field at its longest (about 1 KB); a waiting lookup
 * rarely uses 200 bytes of it, and thousands wait at once (the release
 * heap of engine_order.c, the holds). The packed form starts with the
 * event id and the user as C strings, so it can be ordered and compared
 * without unpacking.
 */
#include "config.h"

#include <string.h>

#include "event/event.h"
#include "event/lookup_pack.h"

/* The text fields, id first; each packed as its bytes and a NUL. */
#define LP_STR(ev)	{ (ev)->id, (ev)->user, (ev)->workstation,	\
	(ev)->application, (ev)->purpose, (ev)->case_raw, (ev)->case_id,\
	(ev)->q_surname, (ev)->q_given, (ev)->q_birthdate, (ev)->q_postcode }
#define LP_NSTR		11

static const size_t lp_size[LP_NSTR] = { EV_ID_MAX, EV_NAME_MAX,
	EV_NAME_MAX, EV_NAME_MAX, EV_NAME_MAX, EV_CASE_MAX, EV_CASEID_MAX,
	EV_TEXT_MAX, EV_TEXT_MAX, 16, 8 };

/* The fields that are not text, packed as they are. */
struct lp_head {
	int64_t		 ts, ts_alt;
	uint32_t	 source, nsubjects;
	int32_t		 q_housenumber;
	uint8_t		 reg, request, status, flags;
};

/* Bytes lookup_pack will write for ev. */
size_t
lookup_pack_size(const struct lookup *ev)
{
	const char	*s[LP_NSTR] = LP_STR(ev);
	size_t		 n = sizeof(struct lp_head), i;

	for (i = 0; i < LP_NSTR; i++)
		n += strnlen(s[i], lp_size[i]) + 1;
	return (n + ev->nsubjects * sizeof(struct subject));
}

/* Write ev into p (lookup_pack_size bytes). */
void
lookup_pack(const struct lookup *ev, unsigned char *p)
{
	const char	*s[LP_NSTR] = LP_STR(ev);
	struct lp_head	 h;
	size_t		 i, len;

	for (i = 0; i < LP_NSTR; i++) {
		len = strnlen(s[i], lp_size[i]);
		memcpy(p, s[i], len);
		p[len] = '\0';
		p += len + 1;
	}
	memset(&h, 0, sizeof h);
	h.ts = ev->ts;
	h.ts_alt = ev->ts_alt;
	h.source = ev->source;
	h.nsubjects = ev->nsubjects;
	h.q_housenumber = ev->q_housenumber;
	h.reg = ev->reg;
	h.request = ev->request;
	h.status = ev->status;
	h.flags = ev->flags;
	memcpy(p, &h, sizeof h);
	p += sizeof h;
	if (ev->nsubjects > 0)
		memcpy(p, ev->subjects, ev->nsubjects * sizeof *ev->subjects);
}

/* The user of a packed lookup (it follows the id). */
const char *
lookup_packed_user(const unsigned char *p)
{
	return ((const char *)p + strlen((const char *)p) + 1);
}

/* Read a packed lookup back into ev (initialised; its contents go). */
void
lookup_unpack(struct lookup *ev, const unsigned char *p)
{
	char		*s[LP_NSTR] = LP_STR(ev);
	struct lp_head	 h;
	struct subject	 sj;
	size_t		 i, len;
	uint32_t	 j;

	lookup_reset(ev);
	for (i = 0; i < LP_NSTR; i++) {
		len = strlen((const char *)p);
		memcpy(s[i], p, len);
		p += len + 1;
	}
	memcpy(&h, p, sizeof h);
	p += sizeof h;
	ev->ts = h.ts;
	ev->ts_alt = h.ts_alt;
	ev->source = h.source;
	ev->q_housenumber = h.q_housenumber;
	ev->reg = h.reg;
	ev->request = h.request;
	ev->status = h.status;
	ev->flags = h.flags;
	for (j = 0; j < h.nsubjects; j++, p += sizeof sj) {
		memcpy(&sj, p, sizeof sj);
		*lookup_add_subject(ev, "", 0, (enum subj_kind)sj.kind,
		    (enum subj_role)sj.role) = sj;
	}
}
