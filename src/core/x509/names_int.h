/*
 * names_int.h - what names.c lends nc_match.c: ASCII case-insensitive
 * comparison, the DNS root dot and the syntax names are matched in,
 * address literals, and e-mail addresses (the subject DN's too).
 * Internal to x509/.
 */
#ifndef CS_NAMES_INT_H
#define CS_NAMES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "x509/names.h"

#define CS_NAMES_MAX_EMAIL 1024  /* subject e-mail values we decode */

static inline char names_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive equality of n bytes (IDNA A-labels are ASCII,
 * RFC 5890 2.3.2.1, so this is the whole comparison). */
static inline bool names_ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (names_lower(a[i]) != names_lower(b[i]))
			return false;
	return true;
}

/* Drop one trailing dot (the DNS root, RFC 1034 3.1). */
static inline size_t names_strip_dot(const char *s, size_t n)
{
	return n > 0 && s[n - 1] == '.' ? n - 1 : n;
}

/* The syntax of the DNS names names.c and nc_match.c match: '_' is
 * tolerated because it is common in real SANs, the caller strips the
 * root dot, and RFC 1035 lengths hold (cs_names_dns_syntax). */
#define CS_DNS_MATCHING (CS_DNS_UNDERSCORE | CS_DNS_LENGTHS)

/* Is s (n bytes, may end with the root dot) an IP address literal? */
bool names_is_ip_text(const char *s, size_t n);

/* Compare two addresses: local part exact, domain ignoring ASCII case
 * (RFC 5280 4.2.1.6 and 7.5).  The '@' is the last one in each. */
bool names_email_eq(const char *a, size_t an, const char *b, size_t bn);

/*
 * Next e-mail attribute of an RFC 4514 DN string, from *pos on.  Writes
 * the unescaped value to out and its length to *outlen (SIZE_MAX when it
 * could not be decoded: such a name matches no constraint).  Returns
 * false at the end.
 */
bool names_next_dn_email(const char **pos, char *out, size_t outsz,
			 size_t *outlen);

#endif
