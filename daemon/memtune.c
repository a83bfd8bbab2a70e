/*
 * memtune.c: the allocator settings wachterd and wachter start with. They
 * are the programs' to choose: lib/ holds no process-wide state.
 */
#include "config.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "memtune.h"

/*
 * The reference tables grow by doubling to tens of megabytes. glibc
 * raises its mmap threshold (up to 32 MB) each time a mapped block is
 * freed, such as a loader's read buffer; then each doubling copies a table
 * within the heap and leaves the old copy behind as a hole. A fixed
 * threshold keeps every large table mapped, so it grows in place by
 * mremap and shrinks by giving pages back: with 1 M cases, 26 MB less
 * peak RSS (docs/PERFORMANCE.md, "Reference data memory").
 */
void
memtune(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}
