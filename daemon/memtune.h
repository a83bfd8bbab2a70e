/*
 * memtune.h: how both programs ask the C library to manage memory.
 */
#ifndef WACHTER_MEMTUNE_H
#define WACHTER_MEMTUNE_H

void	 memtune(void);

#endif
