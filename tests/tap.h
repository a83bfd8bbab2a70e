/*
 * tap.h: the few TAP helpers unit tests need. Each test program prints
 * "ok N - name" lines and a plan; automake's tap-driver.sh counts them.
 */
#ifndef WACHTER_TAP_H
#define WACHTER_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* Record one assertion. */
static inline int
tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline int
tap_ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	return (cond);
}

#define ok(cond, ...)	tap_ok(!!(cond), __VA_ARGS__)
#define is_int(got, want, name) do {					\
	long long _g = (long long)(got), _w = (long long)(want);	\
	if (!tap_ok(_g == _w, "%s", (name)))				\
		printf("#   got %lld, want %lld\n", _g, _w);	\
} while (0)
#define is_str(got, want, name) do {					\
	const char *_g = (got), *_w = (want);				\
	int _c = (_g != NULL && _w != NULL) ? strcmp(_g, _w) == 0 : _g == _w; \
	if (!tap_ok(_c, "%s", (name)))					\
		printf("#   got '%s', want '%s'\n", _g ? _g : "(null)",	\
		    _w ? _w : "(null)");					\
} while (0)
#define diag(...)	(printf("# "), printf(__VA_ARGS__), printf("\n"))

/* Print the plan and return the exit status. */
static inline int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return (tap_failed != 0);
}

#endif
