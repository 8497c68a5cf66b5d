/*
 * oid.h - names of the object identifiers certscope shows: extended key
 * usages, extensions and CA/Browser Forum policies; for `asn1` also name
 * attributes, algorithms, CMS and OCSP identifiers.
 */
#ifndef CS_OID_H
#define CS_OID_H

#include <stdbool.h>
#include <stddef.h>

/* The name of a dotted OID ("2.5.29.17" -> "subjectAltName"), or NULL. */
const char *cs_oid_name(const char *oid);

/*
 * The dotted text of the OBJECT IDENTIFIER whose DER TLV starts at tlv
 * (len bytes, tag included, the length octets saying exactly the rest)
 * into out ("2.5.29.17"), by libtasn1, which cuts text longer than
 * outsz - 1 (an OID past 4096 bytes is refused).  False, out
 * unspecified, when it does not decode or has no contents.
 */
bool cs_oid_dotted(const unsigned char *tlv, size_t len, char *out,
		   size_t outsz);

/*
 * A readable name for the OID whose DER TLV starts at tlv (len bytes,
 * tag included): its name when known, else "DOTTED extension"; "an
 * extension" when it does not decode (libtasn1).
 */
void cs_oid_ext_text(const unsigned char *tlv, size_t len, char *out,
		     size_t outsz);

#endif
