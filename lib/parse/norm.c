/*
 * norm.c: normalisation of hand-typed identifiers. Each function writes a
 * NUL-terminated canonical form into the caller's buffer and returns its
 * length, or -1 when the input is not such an identifier.
 */
#include "config.h"

#include <string.h>

#include "parse/norm.h"

/* Whether c is ASCII whitespace. */
static int
norm_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f');
}

/* ASCII upper case. */
static char
norm_upper(char c)
{
	return (c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
}

/*
 * BSN 11-check: nine digits, 9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by
 * 11, and not 000000000.
 */
int
norm_bsn_valid(const char *s, size_t len)
{
	int	 sum = 0, i, zero = 1;

	if (len != 9)
		return (0);
	for (i = 0; i < 9; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
		if (s[i] != '0')
			zero = 0;
		sum += (i == 8 ? -1 : 9 - i) * (s[i] - '0');
	}
	return (!zero && sum % 11 == 0);
}

/* Licence plate: drop dashes and spaces, upper-case; letters and digits. */
int
norm_plate(const char *s, size_t len, char *dst, size_t dstsz)
{
	size_t	 i, n = 0;
	char	 c;

	for (i = 0; i < len; i++) {
		c = norm_upper(s[i]);
		if (c == '-' || norm_space(c))
			continue;
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return (-1);
		if (n + 1 >= dstsz)
			return (-1);
		dst[n++] = c;
	}
	if (n == 0)
		return (-1);
	dst[n] = '\0';
	return ((int)n);
}

/* Accept one of the separators - _ / . at *i. */
static void
norm_case_sep(const char *s, size_t n, size_t *i)
{
	if (*i < n && strchr("-_/.", s[*i]) != NULL && s[*i] != '\0')
		(*i)++;
}

/* Is s already ZAAK-YYYY-NNNNNNN, the form norm_case makes? */
static int
norm_case_canonical(const char *s, size_t len)
{
	size_t	 i;

	if (len != 17 || memcmp(s, "ZAAK-", 5) != 0 || s[9] != '-')
		return (0);
	for (i = 5; i < 17; i++)
		if (i != 9 && (s[i] < '0' || s[i] > '9'))
			return (0);
	return (1);
}

/*
 * Case reference: remove whitespace, upper-case, match
 * ^(ZAAK)?[-_/.]?(\d{4})[-_/.]?(\d{1,7})$ and rebuild ZAAK-YYYY-NNNNNNN.
 * Most logs write it in that form already: then it is copied as it is
 * (what the rebuild gives; test_norm holds the two to the same result).
 */
int
norm_case(const char *s, size_t len, char *dst, size_t dstsz)
{
	char	 t[64], year[5], num[8];
	size_t	 i, n = 0, k;

	if (norm_case_canonical(s, len)) {
		if (dstsz < 18)
			return (-1);
		memcpy(dst, s, 17);
		dst[17] = '\0';
		return (17);
	}
	for (i = 0; i < len; i++) {
		if (norm_space(s[i]))
			continue;
		if (n == sizeof t)
			return (-1);
		t[n++] = norm_upper(s[i]);
	}
	i = 0;
	if (n >= 4 && memcmp(t, "ZAAK", 4) == 0)
		i = 4;
	norm_case_sep(t, n, &i);
	for (k = 0; k < 4; k++, i++) {
		if (i >= n || t[i] < '0' || t[i] > '9')
			return (-1);
		year[k] = t[i];
	}
	year[4] = '\0';
	norm_case_sep(t, n, &i);
	if (n - i < 1 || n - i > 7)
		return (-1);
	memset(num, '0', 7);
	num[7] = '\0';
	for (k = 0; i + k < n; k++) {
		if (t[i + k] < '0' || t[i + k] > '9')
			return (-1);
	}
	memcpy(num + 7 - (n - i), t + i, n - i);
	if (dstsz < 18)
		return (-1);
	memcpy(dst, "ZAAK-", 5);
	memcpy(dst + 5, year, 4);
	dst[9] = '-';
	memcpy(dst + 10, num, 8);
	return (17);
}

/* Dutch postcode: four digits (no leading zero) and two letters, 1234AB. */
int
norm_postcode(const char *s, size_t len, char *dst, size_t dstsz)
{
	char	 t[6];
	size_t	 i, n = 0;

	for (i = 0; i < len; i++) {
		if (norm_space(s[i]))
			continue;
		if (n == sizeof t)
			return (-1);
		t[n++] = norm_upper(s[i]);
	}
	if (n != 6 || dstsz < 7 || t[0] == '0')
		return (-1);
	for (i = 0; i < 6; i++) {
		if (i < 4 ? (t[i] < '0' || t[i] > '9') :
		    (t[i] < 'A' || t[i] > 'Z'))
			return (-1);
	}
	memcpy(dst, t, 6);
	dst[6] = '\0';
	return (6);
}
