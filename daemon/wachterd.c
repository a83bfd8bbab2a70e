/* wachterd.c: placeholder main, replaced by the daemon shell. */
#include "config.h"

int
main(void)
{
	return (0);
}
