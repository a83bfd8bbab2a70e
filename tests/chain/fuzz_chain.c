/*
 * fuzz_chain.c: libFuzzer harness for the chain's parsers of untrusted
 * input: records, signed notes, checkpoint and certificate bodies, verifier
 * keys and export bundles. Built with --enable-fuzzing (clang).
 */
#include "config.h"

#include <stdlib.h>

#include "chain/bundle.h"
#include "chain/chain.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Feed one input to every parser. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct chain_record	 r;
	struct chain_note	 n;
	struct chain_checkpoint	 c;
	struct chain_cert	 cert;
	struct chain_bundle	 b;
	uint8_t			 pk[CHAIN_PK];
	char			 name[CHAIN_NAME_MAX], *cause = NULL;
	const char		*s = (const char *)data;

	if (chain_record_decode(data, len, &r, &cause) == 0)
		chain_record_clear(&r);
	free(cause);
	cause = NULL;
	if (chain_note_split(s, len, &n, &cause) == 0) {
		if (chain_checkpoint_parse(n.body, n.bodylen, &c, &cause) != 0)
			free(cause);
		cause = NULL;
		if (chain_cert_parse(n.body, n.bodylen, &cert, &cause) != 0)
			free(cause);
	} else
		free(cause);
	cause = NULL;
	if (chain_vkey_parse(s, len, name, pk, &cause) != 0)
		free(cause);
	cause = NULL;
	if (chain_bundle_parse("fuzz", s, len, &b, &cause) == 0)
		chain_bundle_free(&b);
	else
		free(cause);
	return (0);
}
