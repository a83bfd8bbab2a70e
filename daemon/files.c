/* files.c: read a whole file into memory, with a size limit. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "util/xmalloc.h"

/*
 * Read path into a NUL-terminated buffer of at most limit bytes. On
 * failure *cause says why, naming the file.
 */
int
file_read(const char *path, char **out, size_t *len, size_t limit,
    char **cause)
{
	struct stat	 st;
	char		*p;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > limit) {
		xasprintf(cause, "%s: %s", path, !S_ISREG(st.st_mode) ?
		    "not a regular file" : "file too large");
		close(fd);
		return (-1);
	}
	p = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		n = read(fd, p + got, (size_t)st.st_size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	p[got] = '\0';
	*out = p;
	*len = got;
	return (0);
}
