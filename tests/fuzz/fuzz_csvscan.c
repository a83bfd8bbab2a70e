/*
 * fuzz_csvscan.c: libFuzzer harness for the row ends the reference
 * loader cuts its pieces at: the first 8 bytes say where to cut, the
 * rest is read whole and in pieces, which must give the same rows.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "unit/csvscan_check.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	unsigned long	 mask = 0;
	size_t		 i;

	if (len < 8)
		return (0);
	for (i = 0; i < 8; i++)
		mask = mask << 8 | data[i];
	if (!csvscan_check((const char *)data + 8, len - 8, mask))
		abort();
	return (0);
}
