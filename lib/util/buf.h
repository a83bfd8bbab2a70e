/* buf.h: a growable byte buffer. */
#ifndef WACHTER_BUF_H
#define WACHTER_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_reserve(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, uint8_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_add_be(struct buf *, uint64_t, int);
uint64_t be_get(const uint8_t *, int);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_consume(struct buf *, size_t);
const char *buf_cstr(struct buf *);

#endif
