/*
 * fuzz_esc.c: libFuzzer harness for the terminal escaper: whatever comes
 * in, nothing that can steer a terminal comes out.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/esc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	esc_term(&b, (const char *)data, len, NULL);
	for (i = 0; i < b.len; i++) {
		if (b.data[i] < 0x20 || b.data[i] == 0x7f)
			abort();
		if (i + 1 < b.len && b.data[i] == 0xc2 && b.data[i + 1] < 0xa0 &&
		    b.data[i + 1] >= 0x80)
			abort();
		if (i + 2 < b.len && memcmp(b.data + i, "\xe2\x80\xae", 3) == 0)
			abort();
	}
	buf_free(&b);
	return (0);
}
