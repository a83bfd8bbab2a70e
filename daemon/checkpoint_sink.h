/* checkpoint_sink.h: copy each signed checkpoint off the database host. */
#ifndef WACHTER_CHECKPOINT_SINK_H
#define WACHTER_CHECKPOINT_SINK_H

#include <stddef.h>
#include <stdint.h>

struct checkpoint_sink_status {
	int		 ok;		/* the last append succeeded */
	uint64_t	 written;	/* appends that succeeded */
	uint64_t	 failures;	/* appends that failed */
	char		*error;		/* the last failure */
};

int	 checkpoint_sink_append(const char *, const char *, size_t, int,
	    char **) __attribute__((warn_unused_result));
const struct checkpoint_sink_status *checkpoint_sink_status(void);

#endif
