/* checkpoint_sink.h: copy each signed checkpoint off the database host. */
#ifndef WACHTER_CHECKPOINT_SINK_H
#define WACHTER_CHECKPOINT_SINK_H

#include <stddef.h>

int	 checkpoint_sink_append(const char *, const char *, size_t, int,
	    char **) __attribute__((warn_unused_result));

#endif
