/* refload.h: reload reference data in the background, swap on the loop. */
#ifndef WACHTER_REFLOAD_H
#define WACHTER_REFLOAD_H

#include <stdint.h>

#include "enrich/ref.h"

struct event_base;
struct refload;

/* Called on the event loop: new data (owned by the callee), or NULL. */
typedef void (*refload_cb)(void *, struct ref *, int64_t, const char *);

struct refload	*refload_new(struct event_base *, refload_cb, void *);
int		 refload_start(struct refload *, const char *, int64_t,
		    struct ref *);
void		 refload_retire(struct refload *, struct ref *);
void		 refload_free(struct refload *);

#endif
