/* log.h: daemon logging to stderr with syslog priority prefixes for journald. */
#ifndef WACHTER_LOG_H
#define WACHTER_LOG_H

#include <stdarg.h>
#include <stdint.h>

void	log_init(const char *, int);
void	log_set_debug(int);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_crit(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
char	*log_escape(const char *, size_t);
uint64_t log_suppressed_total(void);

#endif
