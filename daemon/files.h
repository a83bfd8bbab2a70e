/* files.h: reading whole small files (configuration, rules, keys). */
#ifndef WACHTER_FILES_H
#define WACHTER_FILES_H

#include <stddef.h>

int	file_read(const char *, char **, size_t *, size_t, char **)
	    __attribute__((warn_unused_result));

#endif
