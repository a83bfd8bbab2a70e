/*
 * statebox.h: the engine's durable state (wachter.engine_state and
 * wachter.engine_user hold the lookups held for their grace period and
 * each official's recent memories, BSNs and plates among them) encrypted
 * at rest under a key only the daemon holds (docs/PRIVACY.md).
 */
#ifndef WACHTER_STATEBOX_H
#define WACHTER_STATEBOX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct statebox;

struct statebox *statebox_open(const char *, char **);
void	 statebox_free(struct statebox *);
int	 statebox_new_key(const struct statebox *);
void	 statebox_seal(struct statebox *, const char *, const uint8_t *,
	    size_t, struct buf *);
int	 statebox_unseal(struct statebox *, const char *, const uint8_t *,
	    size_t, struct buf *, int *, char **)
	    __attribute__((warn_unused_result));

#endif
