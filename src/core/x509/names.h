/*
 * names.h - reference identity matching (RFC 6125, RFC 5280 4.2.1.6),
 * pure functions over the model.  Name constraints are in nc.h.
 *
 * Host names are matched against SAN dNSNames only, as browsers, Go and
 * rustls do: the subject CN is never used (cs_names_match_host reports
 * when the name is only in the CN).  A wildcard is only the whole
 * left-most label ("*.example.com"), matches exactly one label, and never
 * stands over a public suffix ("*.com", "*.co.uk").  Comparison is ASCII
 * case-insensitive; IDNA A-labels are compared as ASCII.  IP addresses
 * (v4 and v6, any textual form) are compared as bytes against iPAddress
 * SANs only.  E-mail addresses against rfc822Name SANs: local part
 * exact, domain case-insensitive.
 *
 * A host name with U-labels ("bücher.example") is converted to A-labels
 * with libidn2 (IDNA 2008 non-transitional, NFC input, as GnuTLS's
 * gnutls_idna_map does) before it is matched.
 *
 * Does not: consult the full Public Suffix List (a built-in list of
 * common suffixes is used).
 */
#ifndef CS_NAMES_H
#define CS_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "x509/model.h"

/* If s is an IPv4 or IPv6 literal (IPv6 may be in brackets), write its
 * bytes to out (16 bytes room) and the length (4 or 16) to *len. */
bool cs_names_parse_ip(const char *s, unsigned char out[16], size_t *len);

/* Does one SAN dNSName pattern (len bytes, may hold NUL -> never matches)
 * match host?  Applies the wildcard rules above. */
bool cs_names_dns_match(const char *pattern, size_t plen, const char *host);

enum cs_name_result {
	CS_NAME_MATCH = 0,
	CS_NAME_MISMATCH,   /* no SAN matches */
	CS_NAME_CN_ONLY,    /* no SAN matches, but the subject CN equals it */
	CS_NAME_NO_SAN,     /* certificate has no SAN of the needed type */
};

/*
 * The A-label form of a host name given in UTF-8.  Returns 0 with *out
 * NULL when host is ASCII (it is used as it is), 0 with *out the A-label
 * form (free()), or -1 with *err: CS_E_USAGE naming host and what IDNA
 * 2008 found wrong, CS_E_NOMEM.
 */
CS_MUST_CHECK int cs_names_host_ascii(const char *host, char **out,
				      struct cs_error *err);

/*
 * The U-label form of a DNS name with A-labels ("xn--bcher-kva.example"
 * -> "bücher.example") into out, for showing beside it: true when the
 * name (len bytes) has an A-label and all of it decodes under IDNA 2008;
 * false otherwise (out unchanged).
 */
bool cs_names_unicode(const char *name, size_t len, char *out, size_t outsz);

/* Match a host name or IP literal against the certificate (a U-label
 * host is matched in its A-label form; one IDNA 2008 refuses matches
 * nothing). */
enum cs_name_result cs_names_match_host(const struct cs_cert_model *m,
					const char *host);

/* Match an e-mail address against rfc822Name SANs. */
enum cs_name_result cs_names_match_email(const struct cs_cert_model *m,
					 const char *addr);

/*
 * Flags of cs_names_dns_syntax.  Without any, a name is letters, digits
 * and hyphens in labels of one or more, separated by single dots (RFC
 * 1034 3.5 preferred syntax, RFC 1123 2.1); each flag allows one more
 * form, but CS_DNS_LENGTHS, which checks the lengths too.
 */
enum {
	CS_DNS_WILDCARD = 1,   /* a left-most label of exactly "*" */
	CS_DNS_UNDERSCORE = 2, /* '_' in labels */
	CS_DNS_ROOT_DOT = 4,   /* a trailing dot (the DNS root) */
	CS_DNS_LENGTHS = 8,    /* checks: at most 253 octets, 63 a label
				  (RFC 1035 2.3.4) */
};

/* Is s (n bytes) a DNS name in that syntax, with flags (CS_DNS_*)?  The
 * empty name never is. */
bool cs_names_dns_syntax(const char *s, size_t n, unsigned flags);

/* True when name (without a leading "*.") is a public suffix such as
 * "com" or "co.uk" in the built-in list. */
bool cs_names_is_public_suffix(const char *name);

#endif
