/*
 * testlib.h: helpers the chain tests share: hex, a deterministic sample
 * alert, and an in-memory chain built through the real writer.
 */
#ifndef WACHTER_TEST_CHAIN_H
#define WACHTER_TEST_CHAIN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/chain.h"
#include "util/xmalloc.h"

#define TEST_ORIGIN	"test.wachter.example/alerts"

/* Decode hex into out; the number of bytes. */
static inline size_t
test_unhex(uint8_t *out, const char *s)
{
	size_t	 i, n = strlen(s) / 2;
	unsigned v;

	for (i = 0; i < n; i++) {
		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return (n);
}

/* Hex of bytes in a static buffer (one at a time). */
static inline const char *
test_hex(const uint8_t *p, size_t n)
{
	static char	 s[4096];
	size_t		 i;

	for (i = 0; i < n && i < sizeof s / 2 - 1; i++)
		snprintf(s + 2 * i, 3, "%02x", p[i]);
	s[2 * i] = '\0';
	return (s);
}

/* A sample alert number i, deterministic. */
static inline struct alert *
test_alert(int i)
{
	struct alert	*a = alert_new();
	char		 s[64];

	a->kind = i % 3 == 2 ? ALERT_ADDENDUM : ALERT_NEW;
	a->severity = (uint8_t)(i % 5);
	snprintf(a->incident, sizeof a->incident, "inc-%04d", i / 3);
	snprintf(a->user, sizeof a->user, "medewerker%02d", i % 7);
	a->first_ts = 1732300000000000LL + i * 1000000LL;
	a->last_ts = a->first_ts + 5000000;
	a->score = 1500 + i;
	alert_add_rule(a, "own-address");
	if (i % 2)
		alert_add_rule(a, "celebrity");
	snprintf(s, sizeof s, "ev-%06d", i);
	alert_add_event(a, s);
	alert_add_subject(a, "999993653");
	xasprintf(&a->summary, "Opvraging zonder zaak #%d — ‘Zoë’", i);
	a->explanation = xstrdup("Geen afspraak gevonden.\nGeen zaak.");
	return (a);
}

/* Fixed test keys: root seed 0x01.., epoch 1 seed 0x02... */
static inline void
test_keys(uint8_t root_pk[CHAIN_PK], uint8_t root_sk[CHAIN_SK],
    uint8_t seed1[CHAIN_SEED])
{
	uint8_t	 rs[CHAIN_SEED];

	memset(rs, 0x01, sizeof rs);
	chain_epoch_keypair(root_pk, root_sk, rs);
	memset(seed1, 0x02, CHAIN_SEED);
}

#endif
