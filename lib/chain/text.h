/*
 * text.h: the canonical text rule of chain records. A text field is valid
 * UTF-8 made only of code points whose every sequence is already in NFC
 * (see docs/CHAIN.md); anything else is escaped as \u{HEX} before hashing.
 */
#ifndef WACHTER_CHAIN_TEXT_H
#define WACHTER_CHAIN_TEXT_H

#include <stddef.h>

#include "util/buf.h"

int	 chain_text_canonical(const char *, size_t);
void	 chain_text_normalise(struct buf *, const char *, size_t);

#endif
