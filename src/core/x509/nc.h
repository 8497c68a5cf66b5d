/*
 * nc.h - name constraints (RFC 5280 4.2.1.10) read from the DER of the
 * extension: its form, and directoryName subtrees.  Used by path/
 * (rules.c and webpki.c).
 */
#ifndef CS_NC_H
#define CS_NC_H

#include <gnutls/x509.h>

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

#endif
