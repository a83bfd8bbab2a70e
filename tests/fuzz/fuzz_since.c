/*
 * fuzz_since.c: libFuzzer harness for the file of kept checkpoints that
 * `wachter verify --since-checkpoint` splits into notes (a torn tail, junk
 * between notes, notes of other logs).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "chain/chain.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct chain_verify_in	 in;
	struct chain_report	 rep;

	memset(&in, 0, sizeof in);
	strcpy(in.origin, "fuzz.invalid/alerts");
	in.since = (const char *)data;
	in.sincelen = len;
	chain_verify(&in, &rep);
	chain_report_free(&rep);
	return (0);
}
