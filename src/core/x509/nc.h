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

struct cs_tlv;

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

/* Is tag a GeneralName form GnuTLS imports in name constraints (rfc822Name,
 * dNSName, uniformResourceIdentifier, iPAddress, directoryName)?  The
 * others (otherName of any type, x400Address, ediPartyName, registeredID)
 * are read by certscope: cs_nc_foreign_violation. */
bool cs_nc_gnutls_form(unsigned tag);

/* The otherName GeneralName at gn (len bytes, tag [0] included):
 * OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT
 * ANY } (RFC 5280 4.2.1.6).  Its type-id's TLV into *type_id and, when
 * value is not NULL, the element after it into *value (false when there
 * is none).  False when gn is not an otherName so shaped. */
bool cs_nc_other_name(const unsigned char *gn, size_t len,
		      struct cs_tlv *type_id, struct cs_tlv *value);

/*
 * RFC 5280 4.2.1.10 for the forms GnuTLS does not import, read from the
 * DER of both extensions: a SAN name of such a form (an otherName form is
 * its type-id) is a violation when ca excludes a subtree of its form
 * (their subtree semantics are unknown here, so it may be within), or
 * when ca permits subtrees of its form and it is none of them exactly.
 * Names of forms ca does not constrain are not affected.  Returns true
 * with a sentence in why (a buffer of whysz bytes) when violated.
 */
bool cs_nc_foreign_violation(gnutls_x509_crt_t ca, gnutls_x509_crt_t cert,
			     char *why, size_t whysz);

/*
 * RFC 5280 4.2.1.10 for the other forms (nc_match.c): every SAN of cert
 * (directoryName constraints are cs_nc_dn_violation's), the subject DN's
 * e-mail attributes, and the subject CN when a client could fall back to
 * it (as a DNS name when there is no DNS SAN and the CN looks like a host
 * name; as an IP address when there is no DNS or IP SAN and the CN is an
 * address literal), against the name constraints of ca.  Returns true
 * when all names are allowed; otherwise false with a sentence in why such
 * as "DNS name 'www.evil.test' is outside the permitted subtree
 * 'example.test'".  Constraints of the forms GnuTLS does not import
 * (CS_SAN_OTHER in the model) are cs_nc_foreign_violation's.
 */
bool cs_nc_allows(const struct cs_cert_model *ca,
		  const struct cs_cert_model *cert, char *why, size_t whysz);

#endif
