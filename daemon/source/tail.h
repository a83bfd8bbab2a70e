/*
 * tail.h: follow one configured log source (a path, or a glob of dated
 * files) across rotation, handing out complete lines with their positions.
 */
#ifndef WACHTER_TAIL_H
#define WACHTER_TAIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define TAIL_FP_MAX	256	/* bytes of a file's start that identify it */

struct event_base;
struct tail;

/* Identity of a file and a position in it, as stored in source_file. */
struct tail_pos {
	uint64_t	 dev;
	uint64_t	 ino;
	uint8_t		 fp[TAIL_FP_MAX];
	size_t		 fplen;
	const char	*path;
	uint64_t	 off;		/* where the line starts */
	uint64_t	 end;		/* just after its newline */
};

/* Line flags. */
#define TAIL_LINE_TOOLONG	0x01	/* cut at max_line; the rest skipped */
#define TAIL_LINE_NOEOL		0x02	/* rotated file ended without newline */

/*
 * Called for each line (without its newline). Return 0 to go on, 1 to stop
 * handing out lines until tail_resume() (backpressure).
 */
typedef int (*tail_line_cb)(void *, const char *, size_t, int,
    const struct tail_pos *);
/* Called when a file is opened, rotated, truncated or finished. */
typedef void (*tail_note_cb)(void *, const char *);

struct tail	*tail_new(struct event_base *, const char *, const char *,
		    int64_t, size_t, tail_line_cb, tail_note_cb, void *);
void		 tail_saved(struct tail *, const struct tail_pos *);
void		 tail_history(struct tail *, char *const *, size_t);
void		 tail_start(struct tail *);
void		 tail_resume(struct tail *);
void		 tail_free(struct tail *);
uint64_t	 tail_lag_bytes(struct tail *);
int		 tail_history_done(const struct tail *);

#endif
