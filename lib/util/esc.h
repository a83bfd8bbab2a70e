/*
 * esc.h: make untrusted text safe for a terminal or a log line. Printable
 * UTF-8 is kept (names like Wiśniewski stay readable); C0 controls, DEL,
 * C1 controls, bidirectional overrides and invalid UTF-8 become \xNN per
 * byte, as does a backslash, so nothing can move the cursor, recolour,
 * set a title (OSC), reorder text or forge a line.
 */
#ifndef WACHTER_ESC_H
#define WACHTER_ESC_H

#include <stddef.h>

struct buf;

void	 esc_term(struct buf *, const char *, size_t, const char *);
char	*esc_term_str(const char *, const char *);

#endif
