/*
 * pseudo.h: keyed pseudonyms for citizens' identifiers (docs/PRIVACY.md).
 * A BSN or licence plate enters a signed record only as its handle,
 * "ps:" (a person) or "pv:" (a vehicle) and 32 hex digits of a BLAKE2b
 * hash keyed with a secret only the daemon holds; the plaintext is kept apart, where retention can delete
 * it without touching the signed bytes.
 */
#ifndef WACHTER_PSEUDO_H
#define WACHTER_PSEUDO_H

#include <stddef.h>
#include <stdint.h>

#include "alert/alert.h"

#define PSEUDO_KEY		32
#define PSEUDO_PERSON		"ps:"
#define PSEUDO_VEHICLE		"pv:"
#define PSEUDO_HANDLE_LEN	(3 + 32)
#define PSEUDO_HANDLE_MAX	(PSEUDO_HANDLE_LEN + 1)

int		 pseudo_is_bsn(const char *);
void		 pseudo_handle(const uint8_t[PSEUDO_KEY], const char *,
		    char[PSEUDO_HANDLE_MAX]);
int		 pseudo_is_handle(const char *);
struct alert	*pseudo_alert(const uint8_t[PSEUDO_KEY], const struct alert *);

#endif
