/*
 * nc.h - name constraints (RFC 5280 4.2.1.10): read from the DER of the
 * extension, its form and directoryName subtrees (nc.c); on the names of
 * the model, the other forms (nc_match.c).  Used by path/ (rules.c and
 * webpki.c).
 */
#ifndef CS_NC_H
#define CS_NC_H

#include <stdbool.h>
#include <stddef.h>
#include <gnutls/x509.h>

#include "x509/model.h"

/* Why crt's name constraints extension is malformed (no subtrees, an
 * empty or unknown list, a minimum or maximum, a DNS, IP or e-mail base
 * of the wrong form), or NULL when it is absent or well formed. */
const char *cs_nc_malformed(gnutls_x509_crt_t crt);

/*
 * RFC 5280 4.2.1.10, 6.1.3 (b) and (c) for directoryName: the subject
 * (its raw DN; an empty one is not a name) and every SAN directoryName
 * of cert within some permitted subtree of ca (if any is listed) and
 * within no excluded one.  Returns NULL or why not.
 */
const char *cs_nc_dn_violation(gnutls_x509_crt_t ca, gnutls_x509_crt_t cert,
			       const gnutls_datum_t *subject);

/*
 * RFC 5280 4.2.1.10 for the other forms (nc_match.c): every SAN of cert
 * (directoryName constraints are cs_nc_dn_violation's), the subject DN's
 * e-mail attributes, and the subject CN when a client could fall back to
 * it (as a DNS name when there is no DNS SAN and the CN looks like a host
 * name; as an IP address when there is no DNS or IP SAN and the CN is an
 * address literal), against the name constraints of ca.  Returns true
 * when all names are allowed; otherwise false with a sentence in why such
 * as "DNS name 'www.evil.test' is outside the permitted subtree
 * 'example.test'".  Unsupported constraint forms in a critical extension
 * are a violation (RFC 5280 4.2.1.10: must reject what it cannot check).
 */
bool cs_nc_allows(const struct cs_cert_model *ca,
		  const struct cs_cert_model *cert, char *why, size_t whysz);

#endif
